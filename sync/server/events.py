"""The buses' outbox events at headquarters: stored once, checked, and projected into tables.

`ingest(db, device_id, events, now)` takes one batch (from ``POST /api/v1/events`` or from a USB
bundle) and handles it in ONE write transaction (``BEGIN IMMEDIATE``), in sequence order
(docs/protocol.md, "Up: events"):

1. ``(device, seq)`` already held with the same hash: ``duplicate`` (a retry).  This is decided
   before the payload is looked at: a retry may carry ``name``/``contact`` already nulled by the
   bus, under the original hash.
2. held with another hash: ``conflict``, and an alarm for the admin site (one per conflicting
   content while it is unresolved).
3. new and valid: ``stored``, and projected (below).
4. new and invalid (hash that does not match, unknown kind, payload refused): ``quarantined``
   with a plain ``reason``; held (its seq counts as received) but projected nowhere.

Then ``devices.acknowledged`` advances to the highest contiguous sequence held, and
``devices.catalogue_version`` takes the version the bus says it holds.  A batch that is malformed
as a whole (not a list, a missing field, a seq that is not a positive integer, the same seq
twice, another device's events) raises `EventsError` and nothing is written.

Tables (migration set ``hq_events``):

events
    Every event received, ``UNIQUE(device_id, seq)``: kind, entity_id, device_time, payload
    (JSON text), hash, received_at, via (``api`` or ``bundle``), status (``stored`` or
    ``quarantined``) and reason.  Personal fields (``name``, ``contact``) of a request or a
    volunteer offer deleted at headquarters are nulled here too (`scrub_personal_data`); the
    hash stays, so that a retry is still recognised.
sessions
    One row per (device_id, id): the session as of its highest ``version`` (ties: the higher
    seq), whatever order its events arrived in; deleted sessions stay as ``deleted = 1``.  Also
    ``day`` (``YYYY-MM-DD``, the date of ``started_at`` in its own offset), ``month``
    (``YYYY-MM``) and ``commune`` (`commune_of` the place, helped by the communes of the
    published schedule and agenda) for the statistics.
requests
    Visitors' document requests (with name and contact); ``handled_at`` is the bus's
    (``request.handled``), ``hq_status``/``hq_handled_at`` what headquarters did.
feedback, volunteers
    Opinions (anonymous) and volunteer offers (with name and contact).
usage
    Anonymous daily counters per (device_id, day, counter): the deltas of every ``usage.daily``
    event added up.

Nothing personal is ever logged: log lines carry device ids, counts, sequence numbers and
reasons, and reasons never quote a visitor's text.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlite_utils
from sqlite_utils.migrations import Migrations

from numeribus_kiosk.catalogue.text import fold
from numeribus_kiosk.journal import feedback as kiosk_feedback
from numeribus_kiosk.journal import requests as kiosk_requests
from numeribus_kiosk.journal import sessions as kiosk_sessions
from numeribus_kiosk.journal.outbox import event_hash
from numeribus_kiosk.journal.requests import JournalError, clean_line, clean_text

from . import devices
from .database import write_transaction

logger = logging.getLogger(__name__)

migrations = Migrations("hq_events")

EVENT_FIELDS = ("seq", "kind", "entity_id", "device_time", "payload", "hash")
OPTIONAL_EVENT_FIELDS = ("device_id",)
SESSION_KINDS = ("session.created", "session.updated", "session.deleted")
KINDS = (
    *SESSION_KINDS,
    "request.created",
    "request.handled",
    "feedback.created",
    "volunteer.created",
    "usage.daily",
)
PERSONAL_FIELDS = kiosk_requests.PERSONAL_FIELDS  # ("name", "contact")
# Kinds whose payload carries personal fields, by the table they feed.
PERSONAL_KINDS = {"requests": ("request.created",), "volunteers": ("volunteer.created",)}
# How long the texts of an event may be before the batch is refused as malformed.
TEXT_FIELD_MAX = 1000
REASON_MAX = 300
PROBLEMS_MAX = 20
COUNTER_NAME = re.compile(r"[a-z0-9_.]{1,64}")
COUNTER_MAX = 10_000_000
SQLITE_INT_MAX = 2**63 - 1
# " — ", " - " or "," : what separates the commune from the rest of a session's place.
_COMMUNE_END = re.compile(r" [—–-] |,")


# --- schema -----------------------------------------------------------------------------------


@migrations(name="0001_events")
def _m0001_events(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE events (
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            device_time TEXT NOT NULL,
            payload TEXT NOT NULL,
            hash TEXT NOT NULL,
            received_at TEXT NOT NULL,
            via TEXT NOT NULL CHECK (via IN ('api', 'bundle')),
            status TEXT NOT NULL CHECK (status IN ('stored', 'quarantined')),
            reason TEXT,
            UNIQUE (device_id, seq)
        )"""
    )
    db.execute("CREATE INDEX events_entity ON events (device_id, entity_id)")
    db.execute("CREATE INDEX events_status ON events (status)")
    db.execute(
        """CREATE TABLE sessions (
            device_id TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
            started_at TEXT NOT NULL,
            day TEXT NOT NULL,
            month TEXT NOT NULL,
            duration_min INTEGER NOT NULL,
            place TEXT NOT NULL,
            commune TEXT NOT NULL,
            activity TEXT NOT NULL,
            publics TEXT NOT NULL,
            participants INTEGER NOT NULL,
            participants_by_age TEXT,
            partner TEXT,
            equipment TEXT NOT NULL,
            mediator TEXT NOT NULL,
            notes TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (device_id, id)
        )"""
    )
    db.execute("CREATE INDEX sessions_day ON sessions (deleted, day)")
    db.execute(
        """CREATE TABLE requests (
            device_id TEXT NOT NULL,
            id TEXT NOT NULL,
            record_id TEXT NOT NULL,
            title TEXT NOT NULL,
            name TEXT,
            contact TEXT,
            stop TEXT NOT NULL,
            created_at TEXT NOT NULL,
            handled_at TEXT,
            hq_status TEXT NOT NULL DEFAULT 'new' CHECK (hq_status IN ('new', 'handled')),
            hq_handled_at TEXT,
            PRIMARY KEY (device_id, id)
        )"""
    )
    db.execute(
        """CREATE TABLE feedback (
            device_id TEXT NOT NULL,
            id TEXT NOT NULL,
            score INTEGER NOT NULL,
            text TEXT NOT NULL,
            wished_workshops TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (device_id, id)
        )"""
    )
    db.execute(
        """CREATE TABLE volunteers (
            device_id TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT,
            contact TEXT,
            topic TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (device_id, id)
        )"""
    )
    db.execute(
        """CREATE TABLE usage (
            device_id TEXT NOT NULL,
            day TEXT NOT NULL,
            counter TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (device_id, day, counter)
        ) WITHOUT ROWID"""
    )


# --- results and errors -----------------------------------------------------------------------


class EventsError(Exception):
    """A batch refused as a whole (nothing written): `code` as in docs/protocol.md, `status` for HTTP."""

    STATUSES = {"invalid_request": 422, "wrong_device": 403, "unknown_device": 404, "batch_too_large": 413}

    def __init__(self, code: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    @property
    def status(self) -> int:
        return self.STATUSES.get(self.code, 422)


@dataclass(frozen=True, slots=True)
class IngestResult:
    acknowledged: int
    results: list[dict] = field(default_factory=list)
    conflicts: int = 0

    def answer(self) -> dict:
        """The JSON answer of ``POST /api/v1/events`` (also the ``details`` of a 409)."""
        return {"acknowledged": self.acknowledged, "results": self.results}

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result["status"] == status)


class _Refused(Exception):
    """An event that is quarantined; the message is its reason."""


# --- transactions -----------------------------------------------------------------------------


# --- checking the batch -----------------------------------------------------------------------


def _check_batch(device_id: str, events: object) -> list[dict]:
    """The events sorted by seq; raises `EventsError` when the batch is malformed as a whole."""
    if not isinstance(events, list):
        raise EventsError("invalid_request", "The events must be a list.", {"problems": ["events must be a list"]})
    problems: list[str] = []
    foreign: list[int] = []
    seen: set[int] = set()
    for index, event in enumerate(events):
        where = f"events[{index}]"
        if not isinstance(event, dict):
            problems.append(f"{where} must be an object")
            continue
        missing = [name for name in EVENT_FIELDS if name not in event]
        if missing:
            problems.append(f"{where}: missing field(s): {', '.join(missing)}")
        unknown = sorted(str(name) for name in event if name not in EVENT_FIELDS + OPTIONAL_EVENT_FIELDS)
        if unknown:
            problems.append(f"{where}: unknown field(s): {', '.join(unknown)}"[:REASON_MAX])
        if not _utf8(event):
            problems.append(f"{where}: holds text that is not valid Unicode (a lone surrogate)")
        seq = event.get("seq")
        if "seq" in event:
            if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= SQLITE_INT_MAX:
                problems.append(f"{where}: seq must be a positive integer (at most {SQLITE_INT_MAX})")
            elif seq in seen:
                problems.append(f"{where}: seq {seq} appears twice in the batch")
            else:
                seen.add(seq)
        for name in ("kind", "entity_id", "device_time", "hash", "device_id"):
            if name in event and (not isinstance(event[name], str) or len(event[name]) > TEXT_FIELD_MAX):
                problems.append(f"{where}: {name} must be a text of at most {TEXT_FIELD_MAX} characters")
        if "payload" in event and not isinstance(event["payload"], dict):
            problems.append(f"{where}: payload must be an object")
        if isinstance(event.get("device_id"), str) and event["device_id"] != device_id:
            foreign.append(index)
    if foreign:
        raise EventsError(
            "wrong_device",
            "The batch holds events of another device; nothing was stored.",
            {"problems": [f"events[{index}]: device_id is not the sending device's" for index in foreign]},
        )
    if problems:
        shown = problems[:PROBLEMS_MAX]
        if len(problems) > PROBLEMS_MAX:
            shown.append(f"... and {len(problems) - PROBLEMS_MAX} more")
        raise EventsError(
            "invalid_request", "The batch of events is malformed; nothing was stored.", {"problems": shown}
        )
    return sorted(events, key=lambda event: event["seq"])


def _utf8(value: object) -> bool:
    """True when every text in `value` (keys included) can be written as UTF-8 (no lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_utf8(key) and _utf8(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_utf8(item) for item in value)
    return True


def _numbers_fit(value: object) -> bool:
    """True when every integer in `value` fits in SQLite's 64 bits."""
    if isinstance(value, int):
        return -SQLITE_INT_MAX - 1 <= value <= SQLITE_INT_MAX
    if isinstance(value, dict):
        return all(_numbers_fit(item) for item in value.values())
    if isinstance(value, list):
        return all(_numbers_fit(item) for item in value)
    return True


# --- checking one event's payload -------------------------------------------------------------


def _keys(payload: dict, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    missing = [name for name in required if name not in payload]
    if missing:
        raise _Refused(f"payload: missing field(s): {', '.join(missing)}")
    unknown = sorted(str(name) for name in payload if name not in required + optional)
    if unknown:
        raise _Refused(f"payload: unknown field(s): {', '.join(unknown)}")


def _moment(value: object, name: str) -> str:
    """An ISO 8601 date and time with its offset, as the bus writes them."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(value)
            if moment.utcoffset() is not None:
                return value
    raise _Refused(f"payload: {name} must be an ISO 8601 date and time with its offset")


def _same_id(payload: dict, entity_id: str) -> str:
    if payload["id"] != entity_id:
        raise _Refused("payload: id is not the event's entity_id")
    return entity_id


def _line(value: object, name: str, *, max_len: int | None, required: bool) -> str:
    try:
        return clean_line(value, name, max_len=max_len, required=required)
    except JournalError as exc:
        raise _Refused(f"payload: {exc}") from None


def _personal(payload: dict, name: str, max_len: int) -> str | None:
    # null in a payload whose personal data was already deleted on the bus
    return None if payload[name] is None else _line(payload[name], name, max_len=max_len, required=True)


def _consent(payload: dict) -> None:
    if payload["consent"] is not True:
        raise _Refused("payload: consent must be true")


def _check_session(kind: str, entity_id: str, payload: dict) -> dict:
    _keys(
        payload,
        ("id", *kiosk_sessions.REQUIRED_FIELDS, "created_at", "updated_at", "deleted", "version"),
        kiosk_sessions.OPTIONAL_FIELDS,
    )
    _same_id(payload, entity_id)
    try:
        clean = kiosk_sessions.validate({name: payload[name] for name in kiosk_sessions.FIELDS if name in payload})
    except JournalError as exc:
        raise _Refused(f"payload: {exc}") from None
    version = payload["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _Refused("payload: version must be a positive integer")
    deleted = payload["deleted"]
    if not isinstance(deleted, bool):
        raise _Refused("payload: deleted must be true or false")
    if deleted != (kind == "session.deleted"):
        raise _Refused(f"payload: deleted must be {'true' if kind == 'session.deleted' else 'false'} in {kind}")
    return {
        **clean,
        "id": entity_id,
        "created_at": _moment(payload["created_at"], "created_at"),
        "updated_at": _moment(payload["updated_at"], "updated_at"),
        "deleted": deleted,
        "version": version,
    }


def _check_request(entity_id: str, payload: dict) -> dict:
    _keys(payload, ("id", "record_id", "title", "name", "contact", "stop", "consent", "created_at"))
    _consent(payload)
    title = payload["title"]
    if not isinstance(title, str) or len(title) > kiosk_requests.TITLE_MAX:
        raise _Refused(f"payload: title must be a text of at most {kiosk_requests.TITLE_MAX} characters")
    return {
        "id": _same_id(payload, entity_id),
        "record_id": _line(payload["record_id"], "record_id", max_len=200, required=True),
        "title": _line(title, "title", max_len=kiosk_requests.TITLE_MAX, required=False),
        "name": _personal(payload, "name", kiosk_requests.NAME_MAX),
        "contact": _personal(payload, "contact", kiosk_requests.CONTACT_MAX),
        "stop": _line(payload["stop"], "stop", max_len=kiosk_requests.STOP_MAX, required=False),
        "created_at": _moment(payload["created_at"], "created_at"),
    }


def _check_handled(entity_id: str, payload: dict) -> dict:
    _keys(payload, ("id", "handled_at"))
    return {"id": _same_id(payload, entity_id), "handled_at": _moment(payload["handled_at"], "handled_at")}


def _check_feedback(entity_id: str, payload: dict) -> dict:
    _keys(payload, ("id", "score", "text", "wished_workshops", "created_at"))
    score = payload["score"]
    if isinstance(score, bool) or score not in kiosk_feedback.SCORES:
        raise _Refused("payload: score must be an integer from 1 to 5")
    try:
        text = clean_text(payload["text"], "text", max_len=kiosk_feedback.TEXT_MAX)
    except JournalError as exc:
        raise _Refused(f"payload: {exc}") from None
    wished = payload["wished_workshops"]
    if not isinstance(wished, list) or any(kind not in kiosk_feedback.WORKSHOP_KINDS for kind in wished):
        raise _Refused(
            f"payload: wished_workshops must be a list of workshop kinds ({', '.join(kiosk_feedback.WORKSHOP_KINDS)})"
        )
    return {
        "id": _same_id(payload, entity_id),
        "score": score,
        "text": text,
        "wished_workshops": list(dict.fromkeys(wished)),
        "created_at": _moment(payload["created_at"], "created_at"),
    }


def _check_volunteer(entity_id: str, payload: dict) -> dict:
    _keys(payload, ("id", "name", "contact", "topic", "consent", "created_at"))
    _consent(payload)
    try:
        topic = clean_text(payload["topic"], "topic", max_len=kiosk_feedback.TOPIC_MAX, required=True)
    except JournalError as exc:
        raise _Refused(f"payload: {exc}") from None
    return {
        "id": _same_id(payload, entity_id),
        "name": _personal(payload, "name", kiosk_requests.NAME_MAX),
        "contact": _personal(payload, "contact", kiosk_requests.CONTACT_MAX),
        "topic": topic,
        "created_at": _moment(payload["created_at"], "created_at"),
    }


def _check_usage(entity_id: str, payload: dict) -> dict:
    _keys(payload, ("day", "counters"))
    day = payload["day"]
    try:
        if not isinstance(day, str) or len(day) != 10:
            raise ValueError
        date.fromisoformat(day)
    except ValueError:
        raise _Refused("payload: day must be a date YYYY-MM-DD") from None
    if day != entity_id:
        raise _Refused("payload: day is not the event's entity_id")
    counters = payload["counters"]
    if not isinstance(counters, dict):
        raise _Refused("payload: counters must be an object {name: count}")
    for name, count in counters.items():
        if not COUNTER_NAME.fullmatch(name):
            raise _Refused("payload: a counter name must be 1 to 64 characters among a-z, 0-9, '_' and '.'")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= COUNTER_MAX:
            raise _Refused(f"payload: counter {name} must be a whole number from 0 to {COUNTER_MAX}")
    return {"day": day, "counters": dict(counters)}


def check_event(device_id: str, event: dict) -> tuple[str, dict]:
    """(kind, clean payload) of a well-formed event; raises `_Refused` (its reason) otherwise."""
    kind, entity_id, payload = event["kind"], event["entity_id"], event["payload"]
    expected = event_hash(device_id, event["seq"], kind, entity_id, event["device_time"], payload)
    if expected != event["hash"]:
        raise _Refused("hash does not match the event's content")
    if not _numbers_fit(payload):
        raise _Refused("payload: a number is too large")
    if kind in SESSION_KINDS:
        return kind, _check_session(kind, entity_id, payload)
    checks = {
        "request.created": _check_request,
        "request.handled": _check_handled,
        "feedback.created": _check_feedback,
        "volunteer.created": _check_volunteer,
        "usage.daily": _check_usage,
    }
    if kind not in checks:
        raise _Refused(f"unknown kind {kind[:60]!r}")
    return kind, checks[kind](entity_id, payload)


# --- projections ------------------------------------------------------------------------------


def published_communes(db: sqlite_utils.Database) -> tuple[str, ...]:
    """The communes of the passages and workshops headquarters publishes (`sync.server.publish`)."""
    # `+deleted`: keeps SQLite on the (kind, key, scope) index; on the tombstones index it read the
    # whole change log, 84 ms per batch with 250,000 records (benchmarks/sync_first.py), 0.06 ms here
    rows = db.execute(
        "SELECT DISTINCT json_extract(data, '$.commune') FROM changes "
        "WHERE kind IN ('passage', 'workshop') AND +deleted = 0 AND json_valid(data)"
    ).fetchall()
    return tuple(sorted({" ".join(row[0].split()) for row in rows if isinstance(row[0], str) and row[0].strip()}))


def commune_of(place: str, communes: tuple[str, ...] = ()) -> str:
    """The commune of a session's place (best effort, for the statistics).

    A place that starts with one of `communes` (the published ones; compared ignoring case,
    accents and blanks; the longest wins) gets that commune as it is spelt there.  Otherwise,
    what comes before the first " — ", " - " or ",": the mediator's form writes a stop as
    "Noirétable, Place de l'Église"; a place typed by hand may be "Boën — EHPAD Les Tilleuls",
    or just "Chazelles-sur-Lyon" (then the whole place).
    """
    place = " ".join((place or "").split())
    folded = fold(place)
    best = ""
    for commune in communes:
        key = fold(commune)
        if key and folded.startswith(key) and len(key) > len(fold(best)):
            rest = folded[len(key) :]
            if not rest or rest[0] in " ,;(—–":
                best = commune
    if best:
        return best
    head = _COMMUNE_END.split(place, maxsplit=1)[0].strip()
    return head or place


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _project_session(
    db: sqlite_utils.Database, device_id: str, seq: int, session: dict, communes: tuple[str, ...]
) -> None:
    started_at = session["started_at"]
    db.execute(
        """INSERT INTO sessions (device_id, id, version, seq, deleted, started_at, day, month, duration_min, place,
               commune, activity, publics, participants, participants_by_age, partner, equipment, mediator, notes,
               created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (device_id, id) DO UPDATE SET
               version = excluded.version, seq = excluded.seq, deleted = excluded.deleted,
               started_at = excluded.started_at, day = excluded.day, month = excluded.month,
               duration_min = excluded.duration_min, place = excluded.place, commune = excluded.commune,
               activity = excluded.activity, publics = excluded.publics, participants = excluded.participants,
               participants_by_age = excluded.participants_by_age, partner = excluded.partner,
               equipment = excluded.equipment, mediator = excluded.mediator, notes = excluded.notes,
               created_at = excluded.created_at, updated_at = excluded.updated_at
           WHERE excluded.version > sessions.version
              OR (excluded.version = sessions.version AND excluded.seq > sessions.seq)""",
        [
            device_id,
            session["id"],
            session["version"],
            seq,
            int(session["deleted"]),
            started_at,
            started_at[:10],
            started_at[:7],
            session["duration_min"],
            session["place"],
            commune_of(session["place"], communes),
            session["activity"],
            _json(session["publics"]),
            session["participants"],
            _json(session["participants_by_age"]),
            session["partner"],
            _json(session["equipment"]),
            session["mediator"],
            session["notes"],
            session["created_at"],
            session["updated_at"],
        ],
    )


def _bus_handled_at(db: sqlite_utils.Database, device_id: str, request_id: str) -> str | None:
    """When the bus said it handled this request, from a stored "request.handled" event."""
    rows = db.execute(
        "SELECT payload FROM events WHERE device_id = ? AND entity_id = ? AND kind = 'request.handled' "
        "AND status = 'stored' ORDER BY seq",
        [device_id, request_id],
    ).fetchall()
    return json.loads(rows[0][0])["handled_at"] if rows else None


def _project(db: sqlite_utils.Database, device_id: str, seq: int, kind: str, data: dict, communes) -> None:
    """Feed one stored event into its table; `communes()` gives the published communes (once)."""
    if kind in SESSION_KINDS:
        _project_session(db, device_id, seq, data, communes())
    elif kind == "request.created":
        # A "request.handled" stored earlier (events may arrive in any order) is applied now.
        db.execute(
            "INSERT OR IGNORE INTO requests (device_id, id, record_id, title, name, contact, stop, created_at, "
            "handled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                device_id,
                data["id"],
                data["record_id"],
                data["title"],
                data["name"],
                data["contact"],
                data["stop"],
                data["created_at"],
                _bus_handled_at(db, device_id, data["id"]),
            ],
        )
    elif kind == "request.handled":
        db.execute(
            "UPDATE requests SET handled_at = ? WHERE device_id = ? AND id = ? AND handled_at IS NULL",
            [data["handled_at"], device_id, data["id"]],
        )
    elif kind == "feedback.created":
        db.execute(
            "INSERT OR IGNORE INTO feedback (device_id, id, score, text, wished_workshops, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [device_id, data["id"], data["score"], data["text"], _json(data["wished_workshops"]), data["created_at"]],
        )
    elif kind == "volunteer.created":
        db.execute(
            "INSERT OR IGNORE INTO volunteers (device_id, id, name, contact, topic, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [device_id, data["id"], data["name"], data["contact"], data["topic"], data["created_at"]],
        )
    elif kind == "usage.daily":
        for counter, delta in data["counters"].items():
            db.execute(
                "INSERT INTO usage (device_id, day, counter, count) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (device_id, day, counter) DO UPDATE SET count = count + excluded.count",
                [device_id, data["day"], counter, delta],
            )


# --- ingestion --------------------------------------------------------------------------------


def _conflict_alarm(db: sqlite_utils.Database, device: devices.Device, seq: int, held: str, got: str, now) -> None:
    details = {"seq": seq, "held_hash": held, "received_hash": got}
    text = json.dumps(details, ensure_ascii=False)
    already = db.execute(
        "SELECT 1 FROM alarms WHERE device_id = ? AND kind = 'sequence_conflict' AND details = ? "
        "AND resolved_at IS NULL",
        [device.device_id, text],
    ).fetchone()
    if already is None:
        devices.raise_alarm(
            db,
            device.device_id,
            "sequence_conflict",
            f"The bus {device.name} sent sequence {seq} again with another content.",
            details,
            now,
        )


def wrong_device_alarm(db: sqlite_utils.Database, device_id: str, now: datetime) -> None:
    """An alarm (one while unresolved) for a device that sent events naming another device.

    Committed on its own: the batch itself is refused whole.
    """
    with write_transaction(db):
        device = devices.get_device(db, device_id)
        if device is None:
            return
        already = db.execute(
            "SELECT 1 FROM alarms WHERE device_id = ? AND kind = 'wrong_device' AND resolved_at IS NULL", [device_id]
        ).fetchone()
        if already is None:
            devices.raise_alarm(
                db,
                device_id,
                "wrong_device",
                f"The bus {device.name} sent events that name another device; they were refused.",
                {},
                now,
            )
    logger.warning("device %s: a batch naming another device was refused", device_id)


def _quarantine_payload(kind: str, payload: dict) -> dict:
    """What is kept of a refused event's payload: without personal fields when consent was not given."""
    if kind in ("request.created", "volunteer.created") and payload.get("consent") is not True:
        return {key: (None if key in PERSONAL_FIELDS else value) for key, value in payload.items()}
    return payload


def _advance_acknowledged(db: sqlite_utils.Database, device_id: str, held: int) -> int:
    """The highest contiguous seq held, from the stored value `held` on."""
    for (seq,) in db.execute(
        "SELECT seq FROM events WHERE device_id = ? AND seq > ? ORDER BY seq", [device_id, held]
    ).fetchall():
        if seq != held + 1:
            break
        held = seq
    return held


def ingest(
    db: sqlite_utils.Database,
    device_id: str,
    events: list[dict],
    now: datetime,
    via: str = "api",
    catalogue_version: int | None = None,
) -> IngestResult:
    """Store a batch of outbox events of `device_id` (see the module docstring); one transaction.

    Raises `EventsError` (nothing written) for a malformed batch, another device's events, or a
    device headquarters does not know.
    """
    if via not in ("api", "bundle"):
        raise ValueError(f"via must be 'api' or 'bundle', not {via!r}")
    if catalogue_version is not None and (
        isinstance(catalogue_version, bool)
        or not isinstance(catalogue_version, int)
        or not 0 <= catalogue_version <= SQLITE_INT_MAX
    ):
        raise EventsError(
            "invalid_request",
            "catalogue_version must be a whole number.",
            {"problems": ["catalogue_version must be a whole number >= 0"]},
        )
    try:
        ordered = _check_batch(device_id, events)
    except EventsError as exc:
        if exc.code == "wrong_device":
            wrong_device_alarm(db, device_id, now)
        raise
    received_at = now.isoformat(timespec="seconds")
    results: list[dict] = []
    conflicts = 0
    known: list[tuple[str, ...]] = []

    def communes() -> tuple[str, ...]:
        if not known:
            known.append(published_communes(db))
        return known[0]

    with write_transaction(db):
        device = devices.get_device(db, device_id)
        if device is None:
            raise EventsError("unknown_device", "This device is not enrolled at headquarters.")
        for event in ordered:
            seq = event["seq"]
            held = db.execute("SELECT hash FROM events WHERE device_id = ? AND seq = ?", [device_id, seq]).fetchone()
            if held is not None:
                if held[0] == event["hash"]:
                    results.append({"seq": seq, "status": "duplicate"})
                else:
                    conflicts += 1
                    _conflict_alarm(db, device, seq, held[0], event["hash"], now)
                    results.append({"seq": seq, "status": "conflict"})
                continue
            try:
                kind, data = check_event(device_id, event)
            except _Refused as refused:
                reason = str(refused)[:REASON_MAX]
                status, payload = "quarantined", _quarantine_payload(event["kind"], event["payload"])
                logger.warning("device %s: event %d (%.60s) quarantined: %s", device_id, seq, event["kind"], reason)
            else:
                reason, status, payload = None, "stored", event["payload"]
            db.execute(
                "INSERT INTO events (device_id, seq, kind, entity_id, device_time, payload, hash, received_at, via, "
                "status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    device_id,
                    seq,
                    event["kind"],
                    event["entity_id"],
                    event["device_time"],
                    json.dumps(payload, ensure_ascii=False),
                    event["hash"],
                    received_at,
                    via,
                    status,
                    reason,
                ],
            )
            if status == "stored":
                _project(db, device_id, seq, kind, data, communes)
                results.append({"seq": seq, "status": "stored"})
            else:
                results.append({"seq": seq, "status": "quarantined", "reason": reason})
        acknowledged = _advance_acknowledged(db, device_id, device.acknowledged)
        db.execute(
            "UPDATE devices SET acknowledged = ?, catalogue_version = coalesce(?, catalogue_version) "
            "WHERE device_id = ?",
            [acknowledged, catalogue_version, device_id],
        )
    result = IngestResult(acknowledged, results, conflicts)
    logger.info(
        "device %s: %d event(s) via %s: %d stored, %d duplicate, %d quarantined, %d conflict; acknowledged %d",
        device_id,
        len(results),
        via,
        result.count("stored"),
        result.count("duplicate"),
        result.count("quarantined"),
        conflicts,
        acknowledged,
    )
    return result


# --- what the admin site shows about events ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuarantinedEvent:
    device_id: str
    device_name: str | None
    seq: int
    kind: str
    entity_id: str
    device_time: str
    received_at: str
    via: str
    reason: str


def quarantined_events(db: sqlite_utils.Database, device_id: str | None = None) -> list[QuarantinedEvent]:
    """The quarantined events (of one device, or all), newest first; payloads are not included."""
    where, params = ("AND e.device_id = ?", [device_id]) if device_id is not None else ("", [])
    rows = db.execute(
        "SELECT e.device_id, d.name, e.seq, e.kind, e.entity_id, e.device_time, e.received_at, e.via, e.reason "
        "FROM events AS e LEFT JOIN devices AS d ON d.device_id = e.device_id "
        f"WHERE e.status = 'quarantined' {where} ORDER BY e.rowid DESC",
        params,
    ).fetchall()
    return [QuarantinedEvent(*row) for row in rows]


def scrub_personal_data(db: sqlite_utils.Database, device_id: str, entity_id: str, kinds: tuple[str, ...]) -> int:
    """Null `PERSONAL_FIELDS` in the stored payloads of that entity's events of `kinds`; returns how many.

    Runs in the caller's transaction.  The hash is kept: a retry of the event is still a duplicate.
    """
    placeholders = ", ".join("?" * len(kinds))
    rows = db.execute(
        f"SELECT rowid, payload FROM events WHERE device_id = ? AND entity_id = ? AND kind IN ({placeholders})",
        [device_id, entity_id, *kinds],
    ).fetchall()
    changed = 0
    for rowid, text in rows:
        payload = json.loads(text)
        if isinstance(payload, dict) and any(payload.get(name) is not None for name in PERSONAL_FIELDS):
            for name in PERSONAL_FIELDS:
                if name in payload:
                    payload[name] = None
            db.execute(
                "UPDATE events SET payload = ? WHERE rowid = ?", [json.dumps(payload, ensure_ascii=False), rowid]
            )
            changed += 1
    return changed
