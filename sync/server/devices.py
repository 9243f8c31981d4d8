"""Devices (buses) known to headquarters, their pairing codes, nonces and alarms.

Tables (migration set ``hq_devices``):

devices
    One row per enrolled bus.  ``device_id`` is the bus's journal device id (the one in its
    outbox events); ``name`` is what `device add NAME` was given; ``status`` is ``active`` or
    ``revoked``; ``acknowledged`` is the highest contiguous outbox sequence held (kept by
    `events`); ``catalogue_version`` is what the bus last said it holds; ``bus_locations`` is a
    JSON list of the copy locations that are on board this bus.
pairing_codes
    One-time codes made by `device add`, kept (to tell "used" and "expired" from "unknown")
    7 days past their expiry.
nonces
    Request nonces seen per key, for replay protection (docs/protocol.md).
alarms
    Things an administrator must look at: a sequence conflict, a device that sends another
    device's events...  ``resolved_at`` is set from the admin site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("hq_devices")


@migrations(name="0001_devices")
def _m0001_devices(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE devices (
            device_id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            key_id TEXT NOT NULL UNIQUE,
            public_key TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
            enrolled_at TEXT NOT NULL,
            revoked_at TEXT,
            last_seen_at TEXT,
            acknowledged INTEGER NOT NULL DEFAULT 0,
            catalogue_version INTEGER NOT NULL DEFAULT 0,
            bus_locations TEXT NOT NULL DEFAULT '["NUMERIBUS"]'
        )"""
    )
    db.execute(
        """CREATE TABLE pairing_codes (
            code TEXT PRIMARY KEY,          -- normalised (protocol.normalise_pairing_code)
            device_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            device_id TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE nonces (
            key_id TEXT NOT NULL,
            nonce TEXT NOT NULL,
            seen_at INTEGER NOT NULL,       -- seconds since 1970, headquarters' clock
            PRIMARY KEY (key_id, nonce)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX nonces_seen_at ON nonces (seen_at)")
    db.execute(
        """CREATE TABLE alarms (
            id INTEGER PRIMARY KEY,
            device_id TEXT,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            resolved_at TEXT
        )"""
    )


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    name: str
    key_id: str
    public_key: str
    status: str
    enrolled_at: str
    revoked_at: str | None
    last_seen_at: str | None
    acknowledged: int
    catalogue_version: int
    bus_locations: tuple[str, ...]

    @property
    def active(self) -> bool:
        return self.status == "active"


_COLUMNS = (
    "device_id, name, key_id, public_key, status, enrolled_at, revoked_at, last_seen_at, "
    "acknowledged, catalogue_version, bus_locations"
)


def _device(row) -> Device:
    return Device(*row[:10], bus_locations=tuple(json.loads(row[10])))


def get_device(db: sqlite_utils.Database, device_id: str) -> Device | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM devices WHERE device_id = ?", [device_id]).fetchone()
    return _device(row) if row else None


def device_by_name(db: sqlite_utils.Database, name: str) -> Device | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM devices WHERE name = ?", [name]).fetchone()
    return _device(row) if row else None


def device_by_key(db: sqlite_utils.Database, key_id: str) -> Device | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM devices WHERE key_id = ?", [key_id]).fetchone()
    return _device(row) if row else None


def list_devices(db: sqlite_utils.Database) -> list[Device]:
    return [_device(row) for row in db.execute(f"SELECT {_COLUMNS} FROM devices ORDER BY name").fetchall()]


def raise_alarm(
    db: sqlite_utils.Database, device_id: str | None, kind: str, message: str, details: dict, now: datetime
) -> int:
    """Record an alarm for the admin site; runs in the caller's transaction. Returns its id."""
    cursor = db.execute(
        "INSERT INTO alarms (device_id, kind, message, details, created_at) VALUES (?, ?, ?, ?, ?)",
        [device_id, kind, message, json.dumps(details, ensure_ascii=False), now.isoformat(timespec="seconds")],
    )
    return cursor.lastrowid
