"""The outbox: every change recorded on the bus, numbered, hashed, waiting for headquarters.

`append` must run inside the caller's transaction (``with db.atomic():``) together
with the change it describes, so that the change and its outbox row are committed
or lost together.  Sequence numbers are gapless per device.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    seq: int
    device_id: str
    kind: str
    entity_id: str
    device_time: str
    payload: dict
    hash: str


def device_id(db: sqlite_utils.Database) -> str:
    return db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]


def event_hash(device: str, seq: int, kind: str, entity_id: str, device_time: str, payload: dict) -> str:
    """SHA-256 over the canonical JSON of the event: a retry sends the same hash."""
    canonical = json.dumps(
        [device, seq, kind, entity_id, device_time, payload],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    db: sqlite_utils.Database, kind: str, entity_id: str, payload: dict, *, now: datetime | None = None
) -> OutboxEvent:
    """Add one event; call inside ``db.atomic()`` with the change it records."""
    if not db.conn.in_transaction:
        raise RuntimeError("outbox.append must run inside the transaction of the change it records")
    device = device_id(db)
    seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM outbox").fetchone()[0]
    device_time = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    digest = event_hash(device, seq, kind, entity_id, device_time, payload)
    db.execute(
        "INSERT INTO outbox (seq, device_id, kind, entity_id, device_time, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [seq, device, kind, entity_id, device_time, json.dumps(payload, ensure_ascii=False), digest],
    )
    return OutboxEvent(seq, device, kind, entity_id, device_time, payload, digest)


def pending(db: sqlite_utils.Database, limit: int = 100) -> list[OutboxEvent]:
    """Events not yet acknowledged by headquarters, in sequence order."""
    rows = db.execute(
        "SELECT seq, device_id, kind, entity_id, device_time, payload, hash FROM outbox "
        "WHERE acknowledged = 0 ORDER BY seq LIMIT ?",
        [limit],
    ).fetchall()
    return [OutboxEvent(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]


def pending_count(db: sqlite_utils.Database) -> int:
    """How many events headquarters has not acknowledged yet."""
    return db.execute("SELECT count(*) FROM outbox WHERE acknowledged = 0").fetchone()[0]


def acknowledge(db: sqlite_utils.Database, up_to_seq: int) -> int:
    """Mark every event up to `up_to_seq` as held by headquarters; returns how many changed."""
    with db.atomic():
        cursor = db.execute("UPDATE outbox SET acknowledged = 1 WHERE acknowledged = 0 AND seq <= ?", [up_to_seq])
        return cursor.rowcount
