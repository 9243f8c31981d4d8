"""The mediator PIN: hashing, verification, lockout, persistence, secrecy."""

from __future__ import annotations

import hashlib
import json
import logging

import pytest

from numeribus_kiosk.mediator import pin as pinmod
from numeribus_kiosk.mediator import schema
from numeribus_kiosk.mediator.pin import (
    BASE_LOCK_SECONDS,
    MAX_LOCK_SECONDS,
    NoPinError,
    PinError,
    has_pin,
    set_pin,
    status,
    verify,
)
from numeribus_kiosk.store import open_journal_db

PIN = "73915"
WRONG = "11111"
T0 = 1_800_000_000.0


@pytest.fixture
def db(data_dir):
    database = open_journal_db(data_dir)
    schema.migrations.apply(database)
    yield database
    database.close()


def _fail(db, times, now):
    result = None
    for _ in range(times):
        result = verify(db, WRONG, now=now)
    return result


def test_hash_is_not_the_pin_and_salt_is_random(db):
    assert not has_pin(db)
    set_pin(db, PIN, now=T0)
    assert has_pin(db)
    row1 = db.execute("SELECT hash, salt, params FROM mediator_pin").fetchone()
    assert len(bytes.fromhex(row1[1])) == 16
    params = json.loads(row1[2])
    assert params["algorithm"] == "scrypt" and params["n"] >= 2**14 and params["r"] >= 8
    # what is stored is exactly scrypt(PIN, salt) with those parameters, nothing else (a substring
    # test fails by chance: a 5-digit PIN turns up in about 1 random 64-hex hash in 17,000; it did)
    expected = hashlib.scrypt(
        PIN.encode("ascii"),
        salt=bytes.fromhex(row1[1]),
        n=params["n"],
        r=params["r"],
        p=params["p"],
        dklen=params["dklen"],
        maxmem=2**26,
    )
    assert row1[0] == expected.hex() and row1[0] != PIN
    set_pin(db, PIN, now=T0)
    row2 = db.execute("SELECT hash, salt FROM mediator_pin").fetchone()
    assert row2[1] != row1[1] and row2[0] != row1[0]
    assert db.execute("SELECT count(*) FROM mediator_pin").fetchone()[0] == 1


def test_verify_ok_and_wrong(db):
    set_pin(db, PIN, now=T0)
    assert verify(db, PIN, now=T0).ok
    result = verify(db, WRONG, now=T0)
    assert not result.ok and result.locked_until is None and result.remaining_attempts == 4
    assert not verify(db, PIN + "0", now=T0).ok
    assert not verify(db, "", now=T0).ok  # malformed entries count as wrong


def test_verify_without_pin(db):
    with pytest.raises(NoPinError):
        verify(db, PIN, now=T0)


def test_five_failures_lock_for_five_minutes(db):
    set_pin(db, PIN, now=T0)
    result = _fail(db, 4, T0)
    assert result.remaining_attempts == 1 and not result.locked
    result = verify(db, WRONG, now=T0)
    assert result.locked_until == T0 + BASE_LOCK_SECONDS and result.remaining_attempts == 0
    # Locked: even the right PIN is refused without being checked, and nothing is counted.
    locked = verify(db, PIN, now=T0 + BASE_LOCK_SECONDS - 1)
    assert not locked.ok and locked.locked_until == T0 + BASE_LOCK_SECONDS
    for _ in range(10):
        verify(db, WRONG, now=T0 + 10)
    assert status(db, now=T0 + 10).locked_until == T0 + BASE_LOCK_SECONDS
    # Once the lock is over, a full series is allowed again.
    after = T0 + BASE_LOCK_SECONDS
    assert status(db, now=after).remaining_attempts == 5
    assert verify(db, PIN, now=after).ok


def test_lock_doubles_then_caps_and_success_resets(db):
    set_pin(db, PIN, now=T0)
    now = T0
    expected = BASE_LOCK_SECONDS
    durations = []
    for _ in range(12):
        result = _fail(db, 5, now)
        durations.append(result.locked_until - now)
        now = result.locked_until
    assert durations[:4] == [300, 600, 1200, 2400]
    assert max(durations) == MAX_LOCK_SECONDS and durations[-1] == MAX_LOCK_SECONDS
    assert all(b >= a for a, b in zip(durations, durations[1:], strict=False))
    # A correct PIN resets the counters: the next series locks for 5 minutes again.
    assert verify(db, PIN, now=now).ok
    assert _fail(db, 5, now).locked_until == now + expected


def test_success_resets_failure_count(db):
    set_pin(db, PIN, now=T0)
    _fail(db, 4, T0)
    assert verify(db, PIN, now=T0).ok
    assert verify(db, WRONG, now=T0).remaining_attempts == 4


def test_lock_persists_across_reopen(data_dir):
    db = open_journal_db(data_dir)
    schema.migrations.apply(db)
    set_pin(db, PIN, now=T0)
    _fail(db, 5, T0)
    db.close()
    db = open_journal_db(data_dir)
    try:
        schema.migrations.apply(db)
        assert has_pin(db)
        st = status(db, now=T0 + 60)
        assert st.locked and st.locked_until == T0 + BASE_LOCK_SECONDS
        assert not verify(db, PIN, now=T0 + 60).ok
        assert verify(db, PIN, now=T0 + BASE_LOCK_SECONDS).ok
    finally:
        db.close()


def test_failures_persist_across_reopen(data_dir):
    db = open_journal_db(data_dir)
    set_pin(db, PIN, now=T0)  # applies the migration set by itself
    _fail(db, 3, T0)
    db.close()
    db = open_journal_db(data_dir)
    try:
        assert verify(db, WRONG, now=T0).remaining_attempts == 1
    finally:
        db.close()


@pytest.mark.parametrize("bad", ["", "123", "123456789", "12a4", "12 34", " 1234", "1234\n", "١٢٣٤", "²³⁴⁵", "-1234"])
def test_bad_pins_refused(db, bad):
    with pytest.raises(PinError) as info:
        set_pin(db, bad)
    if bad.strip():
        assert bad.strip() not in str(info.value)
    assert not has_pin(db)


def test_non_string_pin_refused(db):
    with pytest.raises(PinError):
        set_pin(db, 1234)  # type: ignore[arg-type]


def test_pin_never_logged_nor_in_messages(db, caplog):
    secret = "80426"
    caplog.set_level(logging.DEBUG)
    set_pin(db, secret, now=T0)
    verify(db, secret, now=T0)
    _fail(db, 5, T0)
    verify(db, secret, now=T0 + 1)
    verify(db, secret, now=T0 + BASE_LOCK_SECONDS)
    assert caplog.records, "the module is expected to log what happens"
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert WRONG not in record.getMessage()
    # Nor in error messages about a refused PIN.
    for bad in ("8042", "804269871", "80a26"):
        with pytest.raises(PinError) as info:
            set_pin(db, bad + "x" if bad == "8042" else bad)
        assert bad not in str(info.value)


def test_old_parameters_are_upgraded_on_success(db, monkeypatch):
    weak = {"algorithm": "scrypt", "n": 2**10, "r": 8, "p": 1, "dklen": 32}
    monkeypatch.setattr(pinmod, "SCRYPT_PARAMS", weak)
    set_pin(db, PIN, now=T0)
    monkeypatch.undo()
    set_at = db.execute("SELECT set_at FROM mediator_pin").fetchone()[0]
    assert verify(db, PIN, now=T0 + 5).ok
    params, set_at2 = db.execute("SELECT params, set_at FROM mediator_pin").fetchone()
    assert json.loads(params) == pinmod.SCRYPT_PARAMS and set_at2 == set_at
    assert verify(db, PIN, now=T0 + 6).ok and not verify(db, WRONG, now=T0 + 6).ok


def test_verify_time_is_in_range(db):
    import time

    set_pin(db, PIN, now=T0)
    start = time.perf_counter()
    verify(db, PIN, now=T0)
    elapsed = time.perf_counter() - start
    assert 0.02 < elapsed < 2.0  # slow on purpose (~100 ms), yet usable on a kiosk
