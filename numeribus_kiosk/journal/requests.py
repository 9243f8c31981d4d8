"""Visitors' document requests ("Me réserver ce document au prochain passage").

A request carries personal data (a name and one free contact field: phone, e-mail or library
card number).  Rules, from DESIGN.md "Security":

- minimal fields, and only with the visitor's explicit consent;
- never written to logs: this module logs identifiers only, error messages never quote what
  the visitor typed, and ``repr()`` of a `DocumentRequest` masks the name and the contact;
- deleted on the bus once headquarters holds them: `purge_acknowledged_personal_data`.

Every change is written in the same transaction as its outbox event ("request.created",
"request.handled").

This module also holds what the other visitor-side modules share: `JournalError` and the text
cleaning helpers.
"""

from __future__ import annotations

import json
import logging
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from . import outbox

logger = logging.getLogger(__name__)

NAME_MAX = 100
CONTACT_MAX = 100
STOP_MAX = 100
TITLE_MAX = 500
STATUSES = ("new", "handled")

# Personal fields blanked on the bus (row and outbox payload) once headquarters holds them.
PERSONAL_FIELDS = ("name", "contact")
# (table, kind of the creating outbox event) for every record carrying personal data.
_PERSONAL_TABLES = (("requests", "request.created"), ("volunteer_offers", "volunteer.created"))

_LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"


class JournalError(ValueError):
    """Invalid input for a journal record.  The message never repeats what the visitor typed."""


# --- helpers shared by the visitor-side modules ------------------------------------------------


def _drop_char(ch: str) -> bool:
    # Cc: control characters, Cf: format characters (bidi overrides, zero-width...),
    # Cs: lone surrogates (cannot be stored as UTF-8), Co: private use.
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")


def clean_line(value: object, field: str, *, max_len: int | None, required: bool) -> str:
    """One line of text: NFC, control characters removed, blanks collapsed, stripped, checked."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise JournalError(f"{field} must be text")
    value = unicodedata.normalize("NFC", value)
    # isprintable() is False for every character the two passes below change or drop (tabs,
    # line breaks, Cc, Cf, Cs, Co): most texts skip them (headquarters checks every event).
    if not value.isprintable():
        value = "".join(" " if ch == "\t" or ch in _LINE_BREAKS else ch for ch in value)
        value = "".join(ch for ch in value if not _drop_char(ch))
    value = " ".join(value.split())
    if required and not value:
        raise JournalError(f"{field} is required")
    if max_len is not None and len(value) > max_len:
        raise JournalError(f"{field} must be at most {max_len} characters (it has {len(value)})")
    return value


def clean_text(value: object, field: str, *, max_len: int, required: bool = False) -> str:
    """Free text that may span lines: like `clean_line`, but line breaks are kept (as "\\n")."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise JournalError(f"{field} must be text")
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    if value.isprintable():  # one line, nothing to drop (see clean_line)
        value = " ".join(value.split())
    else:
        value = "".join("\n" if ch in _LINE_BREAKS else " " if ch == "\t" else ch for ch in value)
        lines = ("".join(ch for ch in line if not _drop_char(ch)) for line in value.split("\n"))
        value = "\n".join(" ".join(line.split()) for line in lines).strip()
    if required and not value:
        raise JournalError(f"{field} is required")
    if len(value) > max_len:
        raise JournalError(f"{field} must be at most {max_len} characters (it has {len(value)})")
    return value


def check_consent(consent: object) -> None:
    if consent is not True:
        raise JournalError("consent is required: the visitor must accept that their details are kept")


def timestamp(now: datetime | None) -> tuple[datetime, str]:
    """`now` (default: the local time) and its ISO 8601 text with its UTC offset."""
    if now is None:
        now = datetime.now().astimezone()
    if not isinstance(now, datetime):
        raise JournalError("now must be a datetime")
    if now.tzinfo is None or now.utcoffset() is None:
        raise JournalError("now must be timezone-aware (an ISO timestamp with its offset is stored)")
    return now, now.isoformat(timespec="seconds")


# --- document requests ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class DocumentRequest:
    id: str
    record_id: str
    title: str
    name: str
    contact: str
    stop: str
    consent: bool
    created_at: str
    status: str = "new"
    handled_at: str | None = None
    personal_data_deleted: bool = False

    def __repr__(self) -> str:
        # Name and contact are personal data: never shown, whether or not they were deleted.
        return (
            f"DocumentRequest(id={self.id!r}, record_id={self.record_id!r}, title={self.title!r}, "
            f"name=<hidden>, contact=<hidden>, stop={self.stop!r}, consent={self.consent!r}, "
            f"created_at={self.created_at!r}, status={self.status!r}, handled_at={self.handled_at!r}, "
            f"personal_data_deleted={self.personal_data_deleted!r})"
        )

    __str__ = __repr__


_REQUEST_COLUMNS = (
    "id, record_id, title, name, contact, stop, consent, created_at, status, handled_at, personal_data_deleted"
)


def _request_from_row(row) -> DocumentRequest:
    return DocumentRequest(
        id=row[0],
        record_id=row[1],
        title=row[2],
        name=row[3],
        contact=row[4],
        stop=row[5],
        consent=bool(row[6]),
        created_at=row[7],
        status=row[8],
        handled_at=row[9],
        personal_data_deleted=bool(row[10]),
    )


def add_request(
    db: sqlite_utils.Database,
    record_id: str,
    title: str,
    name: str,
    contact: str,
    stop: str,
    consent: bool,
    now: datetime | None = None,
) -> DocumentRequest:
    """Record a visitor's request and its "request.created" event in one transaction.

    Raises `JournalError` when consent is not exactly True, when the name or the contact is
    missing or longer than 100 characters (after removing control characters and surrounding
    blanks), when the stop is longer than 100 characters, or when the record id is missing.
    The title is a snapshot of the catalogue's title, cut to 500 characters.
    """
    check_consent(consent)
    record_id = clean_line(record_id, "record_id", max_len=200, required=True)
    title = clean_line(title, "title", max_len=None, required=False)[:TITLE_MAX].rstrip()
    name = clean_line(name, "name", max_len=NAME_MAX, required=True)
    contact = clean_line(contact, "contact", max_len=CONTACT_MAX, required=True)
    stop = clean_line(stop, "stop", max_len=STOP_MAX, required=False)
    now, created_at = timestamp(now)
    request = DocumentRequest(
        id=str(uuid.uuid4()),
        record_id=record_id,
        title=title,
        name=name,
        contact=contact,
        stop=stop,
        consent=True,
        created_at=created_at,
    )
    payload = {
        "id": request.id,
        "record_id": record_id,
        "title": title,
        "name": name,
        "contact": contact,
        "stop": stop,
        "consent": True,
        "created_at": created_at,
    }
    with db.atomic():
        db.execute(
            "INSERT INTO requests (id, record_id, title, name, contact, stop, consent, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
            [request.id, record_id, title, name, contact, stop, created_at],
        )
        event = outbox.append(db, "request.created", request.id, payload, now=now)
    logger.info("document request %s recorded (outbox seq %d)", request.id, event.seq)
    return request


def get_request(db: sqlite_utils.Database, request_id: str) -> DocumentRequest | None:
    row = db.execute(f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE id = ?", [request_id]).fetchone()
    return _request_from_row(row) if row else None


def list_requests(db: sqlite_utils.Database, status: str | None = None) -> list[DocumentRequest]:
    """Requests in the order they were made; only those with `status` ("new" or "handled") if given."""
    if status is None:
        rows = db.execute(f"SELECT {_REQUEST_COLUMNS} FROM requests ORDER BY rowid").fetchall()
    elif status in STATUSES:
        rows = db.execute(
            f"SELECT {_REQUEST_COLUMNS} FROM requests WHERE status = ? ORDER BY rowid", [status]
        ).fetchall()
    else:
        raise JournalError(f"status must be one of {', '.join(STATUSES)}")
    return [_request_from_row(row) for row in rows]


def mark_handled(db: sqlite_utils.Database, request_id: str, now: datetime | None = None) -> DocumentRequest:
    """Mark a request as handled, with its "request.handled" event, in one transaction.

    Marking an already handled request again changes nothing and writes no event (a repeated
    tap).  An unknown id raises `JournalError`.
    """
    now, handled_at = timestamp(now)
    with db.atomic():
        current = get_request(db, request_id)
        if current is None:
            raise JournalError("no such request")
        if current.status == "handled":
            return current
        db.execute("UPDATE requests SET status = 'handled', handled_at = ? WHERE id = ?", [handled_at, request_id])
        event = outbox.append(db, "request.handled", request_id, {"id": request_id, "handled_at": handled_at}, now=now)
        updated = get_request(db, request_id)
    logger.info("document request %s handled (outbox seq %d)", request_id, event.seq)
    assert updated is not None
    return updated


def forget_purged_pages(db: sqlite_utils.Database) -> None:
    """After `purge_acknowledged_personal_data` deleted something: the old page images still in
    the WAL are copied over in journal.db (zeroed by secure_delete) and the WAL is truncated, so
    the names leave the files too.  Outside any transaction; off the UI thread."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def purge_acknowledged_personal_data(db: sqlite_utils.Database) -> int:
    """Delete the personal data headquarters already holds; returns how many records were purged.

    For every request and volunteer offer whose creating event ("request.created",
    "volunteer.created") is acknowledged (``outbox.acknowledged = 1``) and that still holds
    personal data: the name and the contact become "" in the row, become null in that outbox
    row's payload, and the row is marked ``personal_data_deleted`` -- all in one transaction.

    The outbox row keeps its ``seq`` and its ``hash``: the hash was computed on the original
    payload and no longer matches the pruned one, which is fine because an acknowledged event is
    never sent again (`outbox.pending` only returns unacknowledged events) and headquarters keeps
    the original.

    The sync agent calls this right after `outbox.acknowledge`.  Because it works from the
    ``acknowledged`` flag rather than from what was just acknowledged, a power cut between the
    two calls is caught up by the next call (calling it at start-up is also safe); a second call
    with nothing new to purge is a no-op and returns 0.
    """
    # secure_delete zeroes the bytes freed by the updates, so that the old name does not linger in
    # free space inside the database pages; restored afterwards (it is a connection setting).
    # Old page images may still sit in the WAL file until it is checkpointed: run
    # `forget_purged_pages` after this, off the UI thread, to get rid of them.
    secure_delete = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        purged = _purge(db)
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure_delete)}")
    if purged:
        logger.info("personal data deleted from %d acknowledged record(s)", purged)
    return purged


def _purge(db: sqlite_utils.Database) -> int:
    purged = 0
    with db.atomic():
        for table, kind in _PERSONAL_TABLES:
            rows = db.execute(
                f"SELECT t.id, o.seq, o.payload FROM {table} AS t "
                "JOIN outbox AS o ON o.kind = ? AND o.entity_id = t.id "
                "WHERE o.acknowledged = 1 AND t.personal_data_deleted = 0",
                [kind],
            ).fetchall()
            purged_ids = set()
            for entity_id, seq, payload_text in rows:
                payload = json.loads(payload_text)
                for field in PERSONAL_FIELDS:
                    if field in payload:
                        payload[field] = None
                db.execute(
                    "UPDATE outbox SET payload = ? WHERE seq = ?",
                    [json.dumps(payload, ensure_ascii=False), seq],
                )
                purged_ids.add(entity_id)
            for entity_id in purged_ids:
                db.execute(
                    f"UPDATE {table} SET name = '', contact = '', personal_data_deleted = 1 WHERE id = ?",
                    [entity_id],
                )
            purged += len(purged_ids)
    return purged
