"""The mediator PIN: a slow salted hash in journal.db, and a lockout after wrong PINs.

- A PIN is 4 to 8 ASCII digits. It is stored only as ``scrypt(pin, salt)`` with a random
  16-byte salt; the scrypt parameters are stored beside the hash, so they can be raised later
  (a PIN hashed with older parameters is re-hashed with `SCRYPT_PARAMS` after a correct entry).
  With n=2**15, r=8, p=1 one verification takes about 100 ms on the kiosk's class of machine.
- After `MAX_FAILURES` wrong PINs the mode locks for `BASE_LOCK_SECONDS` (5 minutes); each new
  series of wrong PINs before a correct one doubles the lock (10, 20, 40 min...), capped at
  `MAX_LOCK_SECONDS` (24 h). A correct PIN resets everything. While locked, `verify` answers
  "locked" without looking at the PIN, and the attempt does not count.
- The lock is stored in journal.db as wall-clock epoch seconds, so a restart does not clear it.
- Times are injectable (`now`, epoch seconds) so tests need no sleeps.
- The PIN never appears in a log record or an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from . import schema

log = logging.getLogger(__name__)

PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 8
MAX_FAILURES = 5
BASE_LOCK_SECONDS = 5 * 60
MAX_LOCK_SECONDS = 24 * 60 * 60
SALT_BYTES = 16
# Measured: n=2**14 ~46 ms, n=2**15 ~105 ms, n=2**16 ~210 ms per hash on the development machine.
SCRYPT_PARAMS = {"algorithm": "scrypt", "n": 2**15, "r": 8, "p": 1, "dklen": 32}

_PIN_RE = re.compile(r"[0-9]+")


class PinError(ValueError):
    """A PIN that cannot be used, or no PIN set. The message never contains the PIN."""


class NoPinError(PinError):
    """No mediator PIN has been set yet."""


@dataclass(frozen=True)
class VerifyResult:
    """What `verify` found: `ok`; the end of the lock (epoch seconds) when locked; the wrong
    PINs still allowed before the next lock (0 while locked)."""

    ok: bool
    locked_until: float | None
    remaining_attempts: int

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@dataclass(frozen=True)
class PinStatus:
    """Whether a PIN is set (and since when, ISO 8601 UTC) and the lock state at a given time."""

    pin_set: bool
    set_at: str | None
    locked_until: float | None
    remaining_attempts: int

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def validate_pin(pin: object) -> str:
    """Return `pin` if it is 4 to 8 ASCII digits; else raise `PinError` (without the PIN)."""
    if not isinstance(pin, str):
        raise PinError("The PIN must be given as text.")
    if not pin:
        raise PinError(f"The PIN is empty: it needs {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits.")
    if not _PIN_RE.fullmatch(pin):
        raise PinError("The PIN may contain digits (0-9) only.")
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        raise PinError(f"The PIN must have {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits.")
    return pin


def _scrypt(pin: str, salt: bytes, params: dict) -> bytes:
    if params.get("algorithm") != "scrypt":
        raise PinError("The stored PIN uses an unknown hashing scheme; set the PIN again.")
    n, r, p, dklen = int(params["n"]), int(params["r"]), int(params["p"]), int(params["dklen"])
    maxmem = 128 * r * (n + p + 2) + 2**20
    return hashlib.scrypt(pin.encode("ascii", "replace"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=maxmem)


def _ensure_schema(db) -> None:
    if not db["mediator_pin"].exists() or not db["mediator_lock"].exists():
        schema.migrations.apply(db)


def _iso_utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="seconds")


def _lock_seconds(series: int) -> int:
    """Length of the lock that ends series number `series` (1-based)."""
    if series <= 1:
        return BASE_LOCK_SECONDS
    # Past 2**9 * 5 min the cap applies anyway; avoid huge exponents.
    return min(BASE_LOCK_SECONDS * 2 ** min(series - 1, 20), MAX_LOCK_SECONDS)


def _read_lock(db) -> tuple[int, int, float | None]:
    row = db.execute("SELECT failures, series, locked_until FROM mediator_lock WHERE id = 1").fetchone()
    if row is None:
        return 0, 0, None
    return int(row[0]), int(row[1]), (float(row[2]) if row[2] is not None else None)


def _write_lock(db, failures: int, series: int, locked_until: float | None) -> None:
    db.execute(
        "INSERT INTO mediator_lock (id, failures, series, locked_until) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, series = excluded.series, "
        "locked_until = excluded.locked_until",
        [failures, series, locked_until],
    )


def _active_lock(locked_until: float | None, now: float) -> float | None:
    return locked_until if locked_until is not None and now < locked_until else None


class _Immediate:
    """A write transaction taken at once (BEGIN IMMEDIATE), committed or rolled back on exit."""

    def __init__(self, db):
        self.conn = db.conn

    def __enter__(self):
        if self.conn.in_transaction:
            self.conn.commit()
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.commit()
        else:
            self.conn.rollback()
        return False


def _store_hash(db, pin: str, now: float) -> None:
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_PARAMS)
    with _Immediate(db):
        db.execute(
            "INSERT INTO mediator_pin (id, hash, salt, params, set_at) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, "
            "params = excluded.params, set_at = excluded.set_at",
            [digest.hex(), salt.hex(), json.dumps(SCRYPT_PARAMS, sort_keys=True), _iso_utc(now)],
        )
        _write_lock(db, 0, 0, None)


def set_pin(db, pin: str, now: float | None = None) -> None:
    """Set (or replace) the mediator PIN; this also clears any lock and failure count."""
    validate_pin(pin)
    _ensure_schema(db)
    _store_hash(db, pin, time.time() if now is None else now)
    log.info("Mediator PIN set.")


def has_pin(db) -> bool:
    """Whether a mediator PIN has been set."""
    _ensure_schema(db)
    return db.execute("SELECT 1 FROM mediator_pin WHERE id = 1").fetchone() is not None


def status(db, now: float | None = None) -> PinStatus:
    """Whether a PIN is set and whether the mode is locked at `now` (default: the current time)."""
    _ensure_schema(db)
    now = time.time() if now is None else now
    row = db.execute("SELECT set_at FROM mediator_pin WHERE id = 1").fetchone()
    failures, _series, locked_until = _read_lock(db)
    active = _active_lock(locked_until, now)
    return PinStatus(
        pin_set=row is not None,
        set_at=row[0] if row else None,
        locked_until=active,
        remaining_attempts=0 if active else max(MAX_FAILURES - failures, 0),
    )


def verify(db, pin: str, now: float | None = None) -> VerifyResult:
    """Check `pin` against the stored hash, counting wrong PINs and locking after a series.

    While locked, the PIN is not checked and the attempt does not count. A malformed entry
    (not 4 to 8 digits) counts as a wrong PIN. Raises `NoPinError` when no PIN is set.
    """
    _ensure_schema(db)
    now = time.time() if now is None else now
    failures, series, locked_until = _read_lock(db)
    active = _active_lock(locked_until, now)
    if active is not None:
        log.info("Mediator PIN not checked: the mode is locked until %s.", _iso_utc(active))
        return VerifyResult(ok=False, locked_until=active, remaining_attempts=0)
    row = db.execute("SELECT hash, salt, params FROM mediator_pin WHERE id = 1").fetchone()
    if row is None:
        raise NoPinError("No mediator PIN is set yet.")
    stored_hex, salt_hex, params_json = row
    params = json.loads(params_json)
    candidate = pin if isinstance(pin, str) else ""
    # Hash even a malformed entry, so that its answer takes as long as any other.
    digest = _scrypt(candidate, bytes.fromhex(salt_hex), params)
    ok = hmac.compare_digest(digest, bytes.fromhex(stored_hex))
    if ok:
        try:
            validate_pin(candidate)
        except PinError:
            ok = False

    with _Immediate(db):
        # Another process may have counted or locked meanwhile: decide on the fresh state.
        failures, series, locked_until = _read_lock(db)
        active = _active_lock(locked_until, now)
        if active is not None:
            return VerifyResult(ok=False, locked_until=active, remaining_attempts=0)
        if ok:
            _write_lock(db, 0, 0, None)
        else:
            failures += 1
            if failures >= MAX_FAILURES:
                series += 1
                until = now + _lock_seconds(series)
                _write_lock(db, 0, series, until)
                log.warning(
                    "Mediator mode locked until %s after %d wrong PINs (series %d).",
                    _iso_utc(until),
                    MAX_FAILURES,
                    series,
                )
                return VerifyResult(ok=False, locked_until=until, remaining_attempts=0)
            _write_lock(db, failures, series, None)
    if not ok:
        log.info("Wrong mediator PIN; %d attempt(s) left before a lock.", MAX_FAILURES - failures)
        return VerifyResult(ok=False, locked_until=None, remaining_attempts=MAX_FAILURES - failures)
    log.info("Mediator PIN accepted.")
    if params != SCRYPT_PARAMS:
        salt = os.urandom(SALT_BYTES)
        new_digest = _scrypt(candidate, salt, SCRYPT_PARAMS)
        with _Immediate(db):
            db.execute(
                "UPDATE mediator_pin SET hash = ?, salt = ?, params = ? WHERE id = 1",
                [new_digest.hex(), salt.hex(), json.dumps(SCRYPT_PARAMS, sort_keys=True)],
            )
        log.info("Mediator PIN re-hashed with the current scrypt parameters.")
    return VerifyResult(ok=True, locked_until=None, remaining_attempts=MAX_FAILURES)
