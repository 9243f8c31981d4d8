"""Mediation sessions: what a mediator logs after a workshop (issue 4, items 2, 3, 7 and 8).

A session's fields are the ``journal add --json`` contract:

=====================  =========================================================================
``started_at``         ISO 8601 date and time WITH its UTC offset ("2026-11-26T14:00:00+01:00");
                       a naive or unparsable date is refused
``duration_min``       positive integer (minutes)
``place``              non-empty text
``activity``           non-empty text
``publics``            non-empty list of non-empty texts (duplicates are dropped)
``participants``       integer >= 0 (required)
``participants_by_age``optional: object {age group: integer >= 0} or null; its total may not
                       exceed ``participants``
``partner``            text or null (empty text becomes null); optional, default null
``equipment``          list of texts; optional, default []
``mediator``           non-empty text
``notes``              text, may be empty; optional, default ""
=====================  =========================================================================

Any other key is refused.  Every error is a `JournalError` whose message names the field.

Every change is one transaction in journal.db together with its outbox event, carrying the
full payload of the session: "session.created", "session.updated" (version + 1) and
"session.deleted" (a tombstone: ``deleted = 1``, the row is never erased).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from . import outbox
from .requests import JournalError, clean_line, clean_text, timestamp

logger = logging.getLogger(__name__)

LINE_MAX = 200
NOTES_MAX = 5000
LIST_MAX = 50
DURATION_MAX = 24 * 60

REQUIRED_FIELDS = ("started_at", "duration_min", "place", "activity", "publics", "participants", "mediator")
OPTIONAL_FIELDS = ("participants_by_age", "partner", "equipment", "notes")
FIELDS = (
    "started_at",
    "duration_min",
    "place",
    "activity",
    "publics",
    "participants",
    "participants_by_age",
    "partner",
    "equipment",
    "mediator",
    "notes",
)


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    started_at: str
    duration_min: int
    place: str
    activity: str
    publics: tuple[str, ...]
    participants: int
    participants_by_age: dict | None
    partner: str | None
    equipment: tuple[str, ...]
    mediator: str
    notes: str
    created_at: str
    updated_at: str
    deleted: bool = False
    version: int = 1

    def data(self) -> dict:
        """The contract fields only (what `validate` accepts): for "repeat the last session"."""
        return {
            "started_at": self.started_at,
            "duration_min": self.duration_min,
            "place": self.place,
            "activity": self.activity,
            "publics": list(self.publics),
            "participants": self.participants,
            "participants_by_age": dict(self.participants_by_age) if self.participants_by_age is not None else None,
            "partner": self.partner,
            "equipment": list(self.equipment),
            "mediator": self.mediator,
            "notes": self.notes,
        }

    def to_dict(self) -> dict:
        """Everything, JSON-ready: the outbox payload and `journal list --json`."""
        return {
            "id": self.id,
            **self.data(),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted": self.deleted,
            "version": self.version,
        }


# --- validation -------------------------------------------------------------------------------


def _int(value: object, field: str, *, minimum: int, maximum: int | None = None) -> int:
    # bool is an int in Python: `true` is not a number of participants.
    if isinstance(value, bool) or not isinstance(value, int):
        raise JournalError(f"{field} must be a whole number")
    if value < minimum:
        raise JournalError(f"{field} must be at least {minimum} (got {value})")
    if maximum is not None and value > maximum:
        raise JournalError(f"{field} must be at most {maximum} (got {value})")
    return value


def _started_at(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise JournalError("started_at must be an ISO 8601 date and time with its offset, e.g. 2026-11-26T14:00+01:00")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise JournalError(
            "started_at is not a valid ISO 8601 date and time (expected e.g. 2026-11-26T14:00+01:00)"
        ) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise JournalError("started_at must include its UTC offset, e.g. 2026-11-26T14:00+01:00")
    return moment.isoformat()


def _text_list(value: object, field: str, *, required: bool) -> list[str]:
    if not isinstance(value, list):
        raise JournalError(f"{field} must be a list of texts")
    items: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise JournalError(f"{field}[{index}] must be text")
        text = clean_line(item, f"{field}[{index}]", max_len=LINE_MAX, required=True)
        if text not in items:
            items.append(text)
    if required and not items:
        raise JournalError(f"{field} must list at least one entry")
    if len(items) > LIST_MAX:
        raise JournalError(f"{field} may list at most {LIST_MAX} entries")
    return items


def _by_age(value: object, participants: int) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise JournalError("participants_by_age must be an object {age group: number} or null")
    groups: dict[str, int] = {}
    for key, count in value.items():
        group = clean_line(key, "participants_by_age group", max_len=LINE_MAX, required=True)
        groups[group] = groups.get(group, 0) + _int(count, f"participants_by_age[{group}]", minimum=0)
    if sum(groups.values()) > participants:
        raise JournalError("participants_by_age adds up to more than participants")
    return groups or None


def validate(data: dict) -> dict:
    """Check and clean one session; returns a new dict with every field of `FIELDS`.

    Raises `JournalError` (naming the field) on a missing required field, an unknown key, or a
    bad value.
    """
    if not isinstance(data, dict):
        raise JournalError("a session must be a JSON object")
    unknown = sorted(str(key) for key in data if key not in FIELDS)
    if unknown:
        raise JournalError(f"unknown field(s): {', '.join(unknown)}; known fields: {', '.join(FIELDS)}")
    missing = [field for field in REQUIRED_FIELDS if field not in data]
    if missing:
        raise JournalError(f"missing field(s): {', '.join(missing)}")
    participants = _int(data["participants"], "participants", minimum=0)
    partner = clean_line(data.get("partner"), "partner", max_len=LINE_MAX, required=False)
    return {
        "started_at": _started_at(data["started_at"]),
        "duration_min": _int(data["duration_min"], "duration_min", minimum=1, maximum=DURATION_MAX),
        "place": clean_line(data["place"], "place", max_len=LINE_MAX, required=True),
        "activity": clean_line(data["activity"], "activity", max_len=LINE_MAX, required=True),
        "publics": _text_list(data["publics"], "publics", required=True),
        "participants": participants,
        "participants_by_age": _by_age(data.get("participants_by_age"), participants),
        "partner": partner or None,
        "equipment": _text_list(data.get("equipment", []), "equipment", required=False),
        "mediator": clean_line(data["mediator"], "mediator", max_len=LINE_MAX, required=True),
        "notes": clean_text(data.get("notes", ""), "notes", max_len=NOTES_MAX),
    }


# --- storage ----------------------------------------------------------------------------------

SESSION_COLUMNS = (
    "id, started_at, duration_min, place, activity, publics, participants, participants_by_age, "
    "partner, equipment, mediator, notes, created_at, updated_at, deleted, version"
)


def session_from_row(row) -> Session:
    """A Session from a row of SESSION_COLUMNS (headquarters' projection has the same columns)."""
    return Session(
        id=row[0],
        started_at=row[1],
        duration_min=row[2],
        place=row[3],
        activity=row[4],
        publics=tuple(json.loads(row[5])),
        participants=row[6],
        participants_by_age=json.loads(row[7]) if row[7] is not None else None,
        partner=row[8],
        equipment=tuple(json.loads(row[9])),
        mediator=row[10],
        notes=row[11],
        created_at=row[12],
        updated_at=row[13],
        deleted=bool(row[14]),
        version=row[15],
    )


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _write(db: sqlite_utils.Database, session: Session, *, insert: bool) -> None:
    values = [
        session.started_at,
        session.duration_min,
        session.place,
        session.activity,
        _json(list(session.publics)),
        session.participants,
        _json(session.participants_by_age),
        session.partner,
        _json(list(session.equipment)),
        session.mediator,
        session.notes,
        session.created_at,
        session.updated_at,
        int(session.deleted),
        session.version,
    ]
    if insert:
        db.execute(f"INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ({', '.join('?' * 16)})", [session.id, *values])
    else:
        db.execute(
            "UPDATE sessions SET started_at = ?, duration_min = ?, place = ?, activity = ?, publics = ?, "
            "participants = ?, participants_by_age = ?, partner = ?, equipment = ?, mediator = ?, notes = ?, "
            "created_at = ?, updated_at = ?, deleted = ?, version = ? WHERE id = ?",
            [*values, session.id],
        )


def _session(session_id: str, data: dict, created_at: str, updated_at: str, deleted: bool, version: int) -> Session:
    return Session(
        id=session_id,
        started_at=data["started_at"],
        duration_min=data["duration_min"],
        place=data["place"],
        activity=data["activity"],
        publics=tuple(data["publics"]),
        participants=data["participants"],
        participants_by_age=data["participants_by_age"],
        partner=data["partner"],
        equipment=tuple(data["equipment"]),
        mediator=data["mediator"],
        notes=data["notes"],
        created_at=created_at,
        updated_at=updated_at,
        deleted=deleted,
        version=version,
    )


def add_session(db: sqlite_utils.Database, data: dict, now: datetime | None = None) -> Session:
    """Validate `data` and record it with its "session.created" event, in one transaction."""
    clean = validate(data)
    now, stamp = timestamp(now)
    session = _session(str(uuid.uuid4()), clean, stamp, stamp, False, 1)
    with db.atomic():
        _write(db, session, insert=True)
        event = outbox.append(db, "session.created", session.id, session.to_dict(), now=now)
    logger.info("session %s recorded (outbox seq %d)", session.id, event.seq)
    return session


def get_session(db: sqlite_utils.Database, session_id: str) -> Session | None:
    """The session with this id, tombstones included; None if there is none."""
    row = db.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", [session_id]).fetchone()
    return session_from_row(row) if row else None


def _existing(db: sqlite_utils.Database, session_id: str) -> Session:
    current = get_session(db, session_id) if isinstance(session_id, str) else None
    if current is None:
        raise JournalError("no such session")
    return current


def update_session(db: sqlite_utils.Database, session_id: str, changes: dict, now: datetime | None = None) -> Session:
    """Apply `changes` (some contract fields) with a "session.updated" event carrying the full session.

    The merged session is validated as a whole; the version goes up by one.  Changes that
    leave the session as it is write nothing (a repeated tap).  A deleted or unknown session
    raises `JournalError`.
    """
    if not isinstance(changes, dict):
        raise JournalError("changes must be an object")
    now, stamp = timestamp(now)
    with db.atomic():
        current = _existing(db, session_id)
        if current.deleted:
            raise JournalError("this session was deleted and cannot be changed")
        clean = validate({**current.data(), **changes})
        if clean == current.data():
            return current
        session = _session(current.id, clean, current.created_at, stamp, False, current.version + 1)
        _write(db, session, insert=False)
        event = outbox.append(db, "session.updated", session.id, session.to_dict(), now=now)
    logger.info("session %s updated to version %d (outbox seq %d)", session.id, session.version, event.seq)
    return session


def delete_session(db: sqlite_utils.Database, session_id: str, now: datetime | None = None) -> Session:
    """Mark a session deleted (a tombstone, never erased) with its "session.deleted" event.

    Deleting a deleted session again writes nothing.  An unknown id raises `JournalError`.
    """
    now, stamp = timestamp(now)
    with db.atomic():
        current = _existing(db, session_id)
        if current.deleted:
            return current
        session = _session(current.id, current.data(), current.created_at, stamp, True, current.version + 1)
        _write(db, session, insert=False)
        event = outbox.append(db, "session.deleted", session.id, session.to_dict(), now=now)
    logger.info("session %s deleted (outbox seq %d)", session.id, event.seq)
    return session


def _sort_key(session: Session):
    return datetime.fromisoformat(session.started_at)


def session_day(session: Session) -> date:
    """The day a session belongs to: the date of its start in its own UTC offset."""
    return datetime.fromisoformat(session.started_at).date()


def list_sessions(db: sqlite_utils.Database, include_deleted: bool = False) -> list[Session]:
    """Sessions in the order they started (the order they were recorded for equal times)."""
    where = "" if include_deleted else " WHERE deleted = 0"
    rows = db.execute(f"SELECT {SESSION_COLUMNS} FROM sessions{where} ORDER BY rowid").fetchall()
    return sorted((session_from_row(row) for row in rows), key=_sort_key)  # stable: rowid order for ties


def last_session(db: sqlite_utils.Database) -> Session | None:
    """The session recorded most recently and not deleted: the model of "repeat the last session"."""
    row = db.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE deleted = 0 ORDER BY rowid DESC LIMIT 1").fetchone()
    return session_from_row(row) if row else None
