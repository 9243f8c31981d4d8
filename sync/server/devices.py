"""Devices (buses) known to headquarters, their pairing codes, nonces and alarms.

Tables (migration set ``hq_devices``):

devices
    One row per enrolled bus.  ``device_id`` is the bus's journal device id (the one in its
    outbox events); ``name`` is what `device add NAME` was given; ``status`` is ``active`` or
    ``revoked``; ``acknowledged`` is the highest contiguous outbox sequence held (kept by
    `events`); ``catalogue_version`` is what the bus last said it holds; ``bus_locations`` is a
    JSON list of the copy locations that are on board this bus: headquarters' ``[catalogue]
    bus_locations`` when it enrolled (the territory's location code, docs/territory.md).
pairing_codes
    One-time codes made by `device add`, kept (to tell "used" and "expired" from "unknown")
    7 days past their expiry.
nonces
    Request nonces seen per key, for replay protection (docs/protocol.md).
alarms
    Things an administrator must look at: a sequence conflict, a device that sends another
    device's events...  ``resolved_at`` is set from the admin site.

Pairing and enrolment (docs/protocol.md, "Enrolment"): `add_device_code` makes a one-time code
for a NAME (it replaces that NAME's code not used yet); `enrol` registers a bus that proves it
knows a code.  A NAME that already has a device gets the new key: when the bus kept its journal
(same device id) the row is updated in place; when the bus is a new one (a replaced disk, another
device id) the old row is revoked and renamed ``NAME (replaced YYYY-MM-DD HH:MM:SS)`` so that its
events stay attributed, and the NAME goes to the new device.  `revoke` stops a device's key at
once and cancels the NAME's code not used yet.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .. import protocol
from .database import write_transaction
from .errors import ApiError

if TYPE_CHECKING:
    from .state import HQ

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


# --- copy locations ---------------------------------------------------------------------------

LOCATIONS_MAX = 20
LOCATION_MAX = 32


def validate_locations(codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Copy location codes ("NUMERIBUS", "NB2"): 1 to 20, each 1 to 32 printable characters without
    spaces, kept in their order without repeats (compared ignoring case, as the bus does)."""
    found: dict[str, str] = {}
    for code in codes:
        text = (code or "").strip()
        if not text or len(text) > LOCATION_MAX or not text.isprintable() or any(c.isspace() for c in text):
            raise DeviceError(
                f"A location code has 1 to {LOCATION_MAX} characters and no spaces, like NUMERIBUS ({code!r} given)."
            )
        found.setdefault(text.casefold(), text)
    if not 1 <= len(found) <= LOCATIONS_MAX:
        raise DeviceError(f"Give 1 to {LOCATIONS_MAX} location codes ({len(found)} given).")
    return tuple(found.values())


def set_bus_locations(db: sqlite_utils.Database, name: str, codes: list[str] | tuple[str, ...]) -> Device:
    """Record which copy locations are on board the device NAME; returns the device as changed.

    Runs in the caller's transaction; the caller publishes the device's configuration
    (`publish.publish_device_config`) so that the bus takes them at its next sync."""
    locations = validate_locations(codes)
    device = device_by_name(db, validate_name(name))
    if device is None:
        raise DeviceError(f"There is no device named {name.strip()!r} (see `numeribus-sync device list`).")
    db.execute(
        "UPDATE devices SET bus_locations = ? WHERE device_id = ?", [json.dumps(list(locations)), device.device_id]
    )
    return get_device(db, device.device_id)


# --- names, pairing codes, enrolment -----------------------------------------------------------

NAME_MAX = 64
CODE_RETENTION = timedelta(days=7)  # a code is kept this long past its expiry (to say "used"/"expired")


class DeviceError(ValueError):
    """A device operation that cannot be done; the message says why in one plain sentence."""


def _iso(moment: datetime) -> str:
    """Stored times: UTC, to the second, so that they compare as text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def validate_name(name: str) -> str:
    """A device NAME: not empty, at most 64 characters, printable; returned without outer spaces."""
    text = (name or "").strip()
    if not text:
        raise DeviceError("A device name cannot be empty.")
    if len(text) > NAME_MAX:
        raise DeviceError(f"A device name has at most {NAME_MAX} characters ({len(text)} given).")
    if not text.isprintable():
        raise DeviceError("A device name can only hold printable characters (no tabs or line breaks).")
    return text


def add_device_code(db: sqlite_utils.Database, name: str, now: datetime, hours: int) -> tuple[str, datetime]:
    """A new one-time pairing code for NAME, valid `hours`; returns (code as shown, expiry).

    A code of NAME not used yet is replaced (only the last one shown works)."""
    name = validate_name(name)
    if hours <= 0:
        raise DeviceError("A pairing code must be valid for at least one hour.")
    expires_at = now + timedelta(hours=hours)
    with write_transaction(db):
        _purge_codes(db, now)
        db.execute("DELETE FROM pairing_codes WHERE device_name = ? AND used_at IS NULL", [name])
        while True:
            code = protocol.new_pairing_code()
            try:
                db.execute(
                    "INSERT INTO pairing_codes (code, device_name, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    [protocol.normalise_pairing_code(code), name, _iso(now), _iso(expires_at)],
                )
            except sqlite3.IntegrityError:  # 60 bits: practically never, but a code must be unique
                continue
            return code, expires_at


def _purge_codes(db: sqlite_utils.Database, now: datetime) -> None:
    db.execute("DELETE FROM pairing_codes WHERE expires_at < ?", [_iso(now - CODE_RETENTION)])


@dataclass(frozen=True, slots=True)
class PendingCode:
    name: str
    created_at: str
    expires_at: str


def pending_codes(db: sqlite_utils.Database, now: datetime) -> list[PendingCode]:
    """Codes not used yet and not expired, by name (the codes themselves are not shown again)."""
    rows = db.execute(
        "SELECT device_name, created_at, expires_at FROM pairing_codes "
        "WHERE used_at IS NULL AND expires_at > ? ORDER BY device_name",
        [_iso(now)],
    ).fetchall()
    return [PendingCode(*row) for row in rows]


def _find_code(db: sqlite_utils.Database, device_id: str, public_key: str, proof: str, now: datetime):
    rows = db.execute(
        "SELECT code, device_name, expires_at, used_at FROM pairing_codes WHERE expires_at >= ?",
        [_iso(now - CODE_RETENTION)],
    ).fetchall()
    for code, name, expires_at, used_at in rows:
        if protocol.proofs_match(protocol.enrol_proof(code, device_id, public_key), proof):
            return code, name, datetime.fromisoformat(expires_at), used_at
    return None


def _check_enrol_request(device_id: object, public_key: object, proof: object) -> None:
    problems = []
    if not isinstance(device_id, str) or not device_id.strip() or len(device_id) > 128 or not device_id.isprintable():
        problems.append("device_id: expected the bus's journal device id (1 to 128 printable characters)")
    if not isinstance(public_key, str):
        problems.append("public_key: expected an Ed25519 public key in base64url")
    else:
        try:
            protocol.load_public(public_key)
        except (protocol.ProtocolError, ValueError):
            problems.append("public_key: expected an Ed25519 public key in base64url (32 bytes)")
    if not isinstance(proof, str) or len(proof) != 64:
        problems.append("proof: expected the HMAC-SHA256 of the enrolment, in hex")
    if problems:
        raise ApiError(
            422, "invalid_request", "The enrolment request does not have the expected form.", {"problems": problems}
        )


def enrol(db: sqlite_utils.Database, hq: HQ, device_id: str, public_key: str, proof: str, now: datetime) -> dict:
    """Register the bus that proves it knows a pairing code; the answer of POST /api/v1/enrol.

    Raises ApiError: 403 pairing_code_invalid / pairing_code_used / pairing_code_expired,
    409 device_exists (this device id, or this key, already belongs to another NAME), 422."""
    _check_enrol_request(device_id, public_key, proof)
    kid = protocol.key_id(public_key)
    with write_transaction(db):
        found = _find_code(db, device_id, public_key, proof, now)
        if found is None:
            raise ApiError(403, "pairing_code_invalid", "This pairing code is not one headquarters gave.")
        code, name, expires_at, used_at = found
        if used_at is not None:
            raise ApiError(
                403, "pairing_code_used", "This pairing code was already used; make a new one with `device add`."
            )
        if expires_at <= now:
            raise ApiError(
                403, "pairing_code_expired", "This pairing code has expired; make a new one with `device add`."
            )
        for other in (get_device(db, device_id), device_by_key(db, kid)):
            if other is not None and other.name != name:
                raise ApiError(
                    409,
                    "device_exists",
                    f"This bus is already enrolled as {other.name!r}; revoke it or enrol it under that name.",
                    {"name": other.name},
                )
        current = device_by_name(db, name)
        if current is not None and current.device_id == device_id:
            db.execute(
                "UPDATE devices SET key_id = ?, public_key = ?, status = 'active', revoked_at = NULL, "
                "enrolled_at = ? WHERE device_id = ?",
                [kid, public_key, _iso(now), device_id],
            )
        else:
            if current is not None:  # a new bus (another journal) takes over this NAME
                db.execute(
                    "UPDATE devices SET name = ?, status = 'revoked', revoked_at = coalesce(revoked_at, ?), "
                    "key_id = 'replaced:' || key_id WHERE device_id = ?",
                    [f"{name} (replaced {now.strftime('%Y-%m-%d %H:%M:%S')})", _iso(now), current.device_id],
                )
            # A new bus's copies on board: headquarters' [catalogue] bus_locations (the territory's
            # location code), sent to the bus as its configuration.
            locations = json.dumps(sorted(hq.config.reader_options.bus_locations))
            db.execute(
                "INSERT INTO devices (device_id, name, key_id, public_key, enrolled_at, bus_locations) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [device_id, name, kid, public_key, _iso(now), locations],
            )
        db.execute("UPDATE pairing_codes SET used_at = ?, device_id = ? WHERE code = ?", [_iso(now), device_id, code])
    return {
        "device_id": device_id,
        "name": name,
        "key_id": kid,
        "api_version": protocol.API_VERSION,
        "hq_public_key": hq.public_key,
        "hq_key_id": hq.key_id,
        "proof": protocol.enrolled_proof(code, device_id, public_key, hq.public_key),
    }


def revoke(db: sqlite_utils.Database, name: str, now: datetime) -> Device | None:
    """Stop NAME's key at once and cancel NAME's code not used yet.

    Returns the revoked device (None when NAME only had a pending code); raises DeviceError
    when NAME is neither a device nor a pending code."""
    name = validate_name(name)
    with write_transaction(db):
        cancelled = db.execute("DELETE FROM pairing_codes WHERE device_name = ? AND used_at IS NULL", [name]).rowcount
        device = device_by_name(db, name)
        if device is None:
            if not cancelled:
                raise DeviceError(f"There is no device named {name!r} (see `numeribus-sync device list`).")
            return None
        db.execute(
            "UPDATE devices SET status = 'revoked', revoked_at = coalesce(revoked_at, ?) WHERE device_id = ?",
            [_iso(now), device.device_id],
        )
        return get_device(db, device.device_id)


# --- request authentication (sync.server.auth) ---------------------------------------------------


def accept_request(db: sqlite_utils.Database, device_id: str, key_id: str, nonce: str, now: datetime) -> bool:
    """Record a verified request's nonce and the device's last contact, in one transaction.

    False (and nothing recorded) when this key already used this nonce within NONCE_MEMORY_S.
    Forgets the nonces older than NONCE_MEMORY_S on the way."""
    now_s = int(now.timestamp())
    with write_transaction(db):
        db.execute("DELETE FROM nonces WHERE seen_at < ?", [now_s - protocol.NONCE_MEMORY_S])
        try:
            db.execute("INSERT INTO nonces (key_id, nonce, seen_at) VALUES (?, ?, ?)", [key_id, nonce, now_s])
        except sqlite3.IntegrityError:
            return False
        db.execute("UPDATE devices SET last_seen_at = ? WHERE device_id = ?", [_iso(now), device_id])
    return True
