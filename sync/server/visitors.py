"""What the buses' visitors left, as the admin site shows it: requests, opinions, volunteer offers, usage.

Reads the tables that `sync.server.events` fills from the outbox events, and does what
headquarters' staff do with them: mark a request handled, delete a request or a volunteer offer,
export the requests as CSV.

Personal data (a visitor's name and contact) is shown only on the admin site and in its exports.
Deleting a request or an offer removes it from headquarters' database for real: the projection
row is deleted AND the name and contact are nulled in the stored event it came from (its hash is
kept, so a retry of that event is still recognised and does not bring it back), with SQLite's
``secure_delete`` on so the old bytes are zeroed, then a WAL checkpoint.  Nothing personal is
logged, and ``repr()`` of a `VisitorRequest` or a `VolunteerEntry` hides the name and contact.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from numeribus_kiosk.journal.export import csv_table

from .database import write_transaction
from .events import PERSONAL_KINDS, scrub_personal_data

logger = logging.getLogger(__name__)

REQUEST_STATUSES = ("new", "handled")
REQUESTS_CSV_COLUMNS = (
    "device",
    "id",
    "created_at",
    "title",
    "record_id",
    "name",
    "contact",
    "stop",
    "status",
    "handled_at",
)


@dataclass(frozen=True, slots=True, repr=False)
class VisitorRequest:
    """A visitor's document request.  `handled`: by the bus's mediator or at headquarters.

    `handled_at`: when (the bus's time when the bus handled it, else headquarters'); `handled_by`:
    "bus", "hq" or None.  `name`/`contact` are None once deleted on the bus before it was held.
    """

    device_id: str
    device_name: str | None
    id: str
    title: str
    record_id: str
    name: str | None
    contact: str | None
    stop: str
    created_at: str
    handled: bool
    handled_at: str | None
    handled_by: str | None = None

    def __repr__(self) -> str:
        return (
            f"VisitorRequest(device_id={self.device_id!r}, id={self.id!r}, title={self.title!r}, "
            f"name=<hidden>, contact=<hidden>, created_at={self.created_at!r}, handled={self.handled!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    device_id: str
    device_name: str | None
    id: str
    score: int
    text: str
    wished_workshops: tuple[str, ...]
    created_at: str


@dataclass(frozen=True, slots=True, repr=False)
class VolunteerEntry:
    device_id: str
    device_name: str | None
    id: str
    name: str | None
    contact: str | None
    topic: str
    created_at: str

    def __repr__(self) -> str:
        return (
            f"VolunteerEntry(device_id={self.device_id!r}, id={self.id!r}, name=<hidden>, contact=<hidden>, "
            f"topic={self.topic!r}, created_at={self.created_at!r})"
        )

    __str__ = __repr__


# --- requests ---------------------------------------------------------------------------------


def _request(row) -> VisitorRequest:
    device_id, device_name, id_, title, record_id, name, contact, stop, created_at = row[:9]
    bus_handled_at, hq_status, hq_handled_at = row[9:]
    handled_by = "bus" if bus_handled_at else "hq" if hq_status == "handled" else None
    return VisitorRequest(
        device_id=device_id,
        device_name=device_name,
        id=id_,
        title=title,
        record_id=record_id,
        name=name,
        contact=contact,
        stop=stop,
        created_at=created_at,
        handled=handled_by is not None,
        handled_at=bus_handled_at or hq_handled_at,
        handled_by=handled_by,
    )


def list_requests(db: sqlite_utils.Database, status: str | None = None) -> list[VisitorRequest]:
    """Every request (or only the "new" or "handled" ones), newest first.

    Raises ValueError for another status.
    """
    condition = {
        None: "",
        "new": "WHERE r.handled_at IS NULL AND r.hq_status = 'new'",
        "handled": "WHERE r.handled_at IS NOT NULL OR r.hq_status = 'handled'",
    }
    if status not in condition:
        raise ValueError(f"status must be one of {', '.join(REQUEST_STATUSES)} or None")
    rows = db.execute(
        "SELECT r.device_id, d.name, r.id, r.title, r.record_id, r.name, r.contact, r.stop, r.created_at, "
        "r.handled_at, r.hq_status, r.hq_handled_at "
        f"FROM requests AS r LEFT JOIN devices AS d ON d.device_id = r.device_id {condition[status]} "
        "ORDER BY r.created_at DESC, d.name, r.id"
    ).fetchall()
    return [_request(row) for row in rows]


def get_request(db: sqlite_utils.Database, device_id: str, request_id: str) -> VisitorRequest | None:
    row = db.execute(
        "SELECT r.device_id, d.name, r.id, r.title, r.record_id, r.name, r.contact, r.stop, r.created_at, "
        "r.handled_at, r.hq_status, r.hq_handled_at "
        "FROM requests AS r LEFT JOIN devices AS d ON d.device_id = r.device_id WHERE r.device_id = ? AND r.id = ?",
        [device_id, request_id],
    ).fetchone()
    return _request(row) if row else None


def mark_request_handled(db: sqlite_utils.Database, device_id: str, request_id: str, now: datetime) -> bool:
    """Mark a request handled at headquarters (the first time only); False when there is no such request."""
    with write_transaction(db):
        found = db.execute(
            "SELECT hq_status FROM requests WHERE device_id = ? AND id = ?", [device_id, request_id]
        ).fetchone()
        if found is None:
            return False
        if found[0] != "handled":
            db.execute(
                "UPDATE requests SET hq_status = 'handled', hq_handled_at = ? WHERE device_id = ? AND id = ?",
                [now.isoformat(timespec="seconds"), device_id, request_id],
            )
    logger.info("request %s of device %s marked handled at headquarters", request_id, device_id)
    return True


def _delete_personal(db: sqlite_utils.Database, table: str, device_id: str, entity_id: str) -> bool:
    """Delete one row of `table` (requests or volunteers) and scrub its events; True if anything went."""
    secure_delete = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")  # a connection setting: freed bytes are zeroed
    try:
        with write_transaction(db):
            deleted = db.execute(f"DELETE FROM {table} WHERE device_id = ? AND id = ?", [device_id, entity_id])
            scrubbed = scrub_personal_data(db, device_id, entity_id, PERSONAL_KINDS[table])
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure_delete)}")
    gone = deleted.rowcount > 0 or scrubbed > 0
    if gone and not db.conn.in_transaction:
        # Old page images may still be in the WAL file: copy back and truncate it (best effort:
        # a busy reader leaves it for SQLite's next checkpoint).
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return gone


def delete_request(db: sqlite_utils.Database, device_id: str, request_id: str) -> bool:
    """Delete a request and the name and contact its event brought; False when there was nothing to delete."""
    gone = _delete_personal(db, "requests", device_id, request_id)
    if gone:
        logger.info("request %s of device %s deleted with its personal data", request_id, device_id)
    return gone


def requests_csv(rows: list[VisitorRequest]) -> str:
    """The requests as CSV text (``;``, CRLF, formulas neutralised: the kiosk's export conventions).

    Prefix it with a byte-order mark (``.encode("utf-8-sig")``) for a file opened by French
    spreadsheet software.
    """
    return csv_table(
        REQUESTS_CSV_COLUMNS,
        (
            [
                row.device_name or row.device_id,
                row.id,
                row.created_at,
                row.title,
                row.record_id,
                row.name,
                row.contact,
                row.stop,
                "handled" if row.handled else "new",
                row.handled_at,
            ]
            for row in rows
        ),
    )


# --- feedback and volunteer offers ------------------------------------------------------------


def list_feedback(db: sqlite_utils.Database) -> list[FeedbackEntry]:
    """Every opinion, newest first."""
    rows = db.execute(
        "SELECT f.device_id, d.name, f.id, f.score, f.text, f.wished_workshops, f.created_at "
        "FROM feedback AS f LEFT JOIN devices AS d ON d.device_id = f.device_id "
        "ORDER BY f.created_at DESC, d.name, f.id"
    ).fetchall()
    return [FeedbackEntry(*row[:5], tuple(json.loads(row[5])), row[6]) for row in rows]


def list_volunteers(db: sqlite_utils.Database) -> list[VolunteerEntry]:
    """Every volunteer offer, newest first."""
    rows = db.execute(
        "SELECT v.device_id, d.name, v.id, v.name, v.contact, v.topic, v.created_at "
        "FROM volunteers AS v LEFT JOIN devices AS d ON d.device_id = v.device_id "
        "ORDER BY v.created_at DESC, d.name, v.id"
    ).fetchall()
    return [VolunteerEntry(*row) for row in rows]


def delete_volunteer(db: sqlite_utils.Database, device_id: str, offer_id: str) -> bool:
    """Delete a volunteer offer and the name and contact its event brought; False when there was nothing."""
    gone = _delete_personal(db, "volunteers", device_id, offer_id)
    if gone:
        logger.info("volunteer offer %s of device %s deleted with its personal data", offer_id, device_id)
    return gone


# --- usage counters ---------------------------------------------------------------------------


def usage_totals(db: sqlite_utils.Database, start: date | None = None, end: date | None = None) -> dict[str, int]:
    """{counter: total} over every bus, for the days from `start` to `end` (both included; None: open)."""
    rows = db.execute(
        "SELECT counter, sum(count) FROM usage WHERE (? IS NULL OR day >= ?) AND (? IS NULL OR day <= ?) "
        "GROUP BY counter ORDER BY counter",
        [_day(start), _day(start), _day(end), _day(end)],
    ).fetchall()
    return {counter: total for counter, total in rows}


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
