"""sync.server.admin.accounts: administrators, slow hashes, lockout, sessions, CSRF tokens."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

import pytest

from sync.server.admin import accounts

PASSWORD = "bibliobus-Loire-2026"


@pytest.fixture
def db(hq):
    return hq.db()


def test_a_user_is_stored_with_a_salted_scrypt_hash_only(db, hq):
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    accounts.add_user(db, "paul", PASSWORD, hq.now())
    rows = db.execute("SELECT username, password_hash, salt, params FROM admin_users ORDER BY username").fetchall()
    assert [r[0] for r in rows] == ["marie", "paul"]
    (_, hash_m, salt_m, params), (_, hash_p, salt_p, _) = rows
    assert salt_m != salt_p and hash_m != hash_p  # one salt per user: same password, other hash
    assert '"algorithm": "scrypt"' in params
    expected = hashlib.scrypt(PASSWORD.encode(), salt=bytes.fromhex(salt_m), n=2**15, r=8, p=1, dklen=32, maxmem=2**26)
    assert hash_m == expected.hex()
    dump = "\n".join(db.conn.iterdump())
    assert PASSWORD not in dump


def test_names_and_passwords_are_checked(db, hq):
    for bad_name in ("", "a b", "é", "-x", "x" * 65, None):
        with pytest.raises(accounts.AccountError):
            accounts.add_user(db, bad_name, PASSWORD, hq.now())
    for bad_password in ("", "Zq9#", "123456789", " " + PASSWORD, PASSWORD + " ", "x" * 1025, None):
        with pytest.raises(accounts.AccountError) as error:
            accounts.add_user(db, "marie", bad_password, hq.now())
        if bad_password:
            assert bad_password.strip() not in str(error.value)
    assert accounts.list_users(db) == []
    accounts.add_user(db, "marie.dupont@ddlm", "x" * 10, hq.now())
    with pytest.raises(accounts.AccountError, match="already exists"):
        accounts.add_user(db, "MARIE.dupont@ddlm", PASSWORD, hq.now())  # names ignore case


def test_list_remove_and_set_password(db, hq):
    accounts.add_user(db, "paul", PASSWORD, hq.now())
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    assert [u.username for u in accounts.list_users(db)] == ["marie", "paul"]
    token = accounts.open_session(db, "paul", hq.now(), 8)
    accounts.set_password(db, "paul", "un autre mot de passe", hq.now())
    assert accounts.session_for(db, token, hq.now()) is None  # a new password ends the sessions
    assert not accounts.authenticate(db, "paul", PASSWORD, hq.now()).ok
    assert accounts.authenticate(db, "paul", "un autre mot de passe", hq.now()).ok
    token = accounts.open_session(db, "paul", hq.now(), 8)
    assert accounts.remove_user(db, "paul") is True
    assert accounts.remove_user(db, "paul") is False
    assert accounts.session_for(db, token, hq.now()) is None
    assert [u.username for u in accounts.list_users(db)] == ["marie"]
    with pytest.raises(accounts.AccountError):
        accounts.set_password(db, "nobody", PASSWORD, hq.now())


def test_authenticate_good_and_bad(db, hq):
    accounts.add_user(db, "Marie", PASSWORD, hq.now())
    good = accounts.authenticate(db, "marie", PASSWORD, hq.now())
    assert good.ok and good.username == "Marie"  # the stored spelling
    assert accounts.get_user(db, "marie").last_login_at == hq.now().isoformat(timespec="seconds")
    bad = accounts.authenticate(db, "marie", PASSWORD.upper(), hq.now())
    assert not bad.ok and not bad.locked and bad.remaining_attempts == accounts.MAX_FAILURES - 1
    assert not accounts.authenticate(db, "marie", None, hq.now()).ok
    assert not accounts.authenticate(db, "nobody", PASSWORD, hq.now()).ok
    assert not accounts.authenticate(db, "", "", hq.now()).ok


def test_lockout_after_five_wrong_passwords_for_five_minutes(db, hq, hq_clock):
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    for left in range(accounts.MAX_FAILURES - 1, 0, -1):
        assert accounts.authenticate(db, "marie", "wrong password", hq.now()).remaining_attempts == left
    fifth = accounts.authenticate(db, "marie", "wrong password", hq.now())
    assert fifth.locked and fifth.locked_until == hq.now() + timedelta(minutes=5)
    # Locked: even the right password is refused, and the attempt does not extend the lock.
    hq_clock.advance(minutes=4, seconds=59)
    locked = accounts.authenticate(db, "MARIE", PASSWORD, hq.now())
    assert not locked.ok and locked.locked_until == fifth.locked_until
    hq_clock.advance(seconds=1)
    assert accounts.authenticate(db, "marie", PASSWORD, hq.now()).ok
    # A correct login starts a fresh series.
    assert accounts.authenticate(db, "marie", "wrong", hq.now()).remaining_attempts == accounts.MAX_FAILURES - 1


def test_unknown_names_are_locked_the_same_way(db, hq):
    for _ in range(accounts.MAX_FAILURES):
        result = accounts.authenticate(db, "ghost", "whatever-password", hq.now())
    assert result.locked


def test_a_lock_of_one_name_does_not_lock_another(db, hq):
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    accounts.add_user(db, "paul", PASSWORD, hq.now())
    for _ in range(accounts.MAX_FAILURES):
        accounts.authenticate(db, "paul", "wrong password", hq.now())
    assert accounts.authenticate(db, "marie", PASSWORD, hq.now()).ok


def test_passwords_and_typed_names_never_reach_the_log(db, hq, caplog):
    caplog.set_level(logging.DEBUG)
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    accounts.authenticate(db, "marie", PASSWORD, hq.now())
    for _ in range(accounts.MAX_FAILURES + 1):
        accounts.authenticate(db, "secret-typed-in-the-name-field", "a-wrong-password", hq.now())
    accounts.set_password(db, "marie", "le-nouveau-mot-de-passe", hq.now())
    text = caplog.text
    for secret in (PASSWORD, "a-wrong-password", "secret-typed-in-the-name-field", "le-nouveau-mot-de-passe"):
        assert secret not in text
    assert "locked" in text


def test_sessions_are_stored_hashed_and_expire(db, hq, hq_clock):
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    token = accounts.open_session(db, "marie", hq.now(), 8)
    assert len(token) >= 40
    assert db.execute("SELECT count(*) FROM admin_sessions WHERE token_hash = ?", [token]).fetchone()[0] == 0
    session = accounts.session_for(db, token, hq.now())
    assert session.username == "marie" and session.token_hash == accounts.token_hash(token)
    assert accounts.session_for(db, token + "x", hq.now()) is None
    assert accounts.session_for(db, None, hq.now()) is None
    assert accounts.session_for(db, "x" * 1000, hq.now()) is None
    hq_clock.advance(hours=7, minutes=59)
    assert accounts.session_for(db, token, hq.now()) is not None
    hq_clock.advance(minutes=1)
    assert accounts.session_for(db, token, hq.now()) is None
    accounts.open_session(db, "marie", hq.now(), 8)  # expired sessions are cleared on the way
    assert db.execute("SELECT count(*) FROM admin_sessions").fetchone()[0] == 1


def test_close_session_and_flash(db, hq):
    accounts.add_user(db, "marie", PASSWORD, hq.now())
    token = accounts.open_session(db, "marie", hq.now(), 8)
    session = accounts.session_for(db, token, hq.now())
    assert accounts.pop_flash(db, session) is None
    accounts.set_flash(db, session, "Le bus a été révoqué.")
    session = accounts.session_for(db, token, hq.now())
    assert accounts.pop_flash(db, session) == "Le bus a été révoqué."
    assert accounts.session_for(db, token, hq.now()).flash is None
    accounts.close_session(db, token)
    assert accounts.session_for(db, token, hq.now()) is None


def test_csrf_tokens_are_bound_to_the_session():
    one, two = accounts.new_login_token(), accounts.new_login_token()
    assert one != two
    assert accounts.csrf_ok(one, accounts.csrf_token(one))
    assert not accounts.csrf_ok(two, accounts.csrf_token(one))
    assert not accounts.csrf_ok(one, "")
    assert not accounts.csrf_ok(one, None)
    assert not accounts.csrf_ok(None, accounts.csrf_token(one))
    assert not accounts.csrf_ok(one, accounts.csrf_token(one)[:-1] + "é")
    assert accounts.login_token_ok(one, one)
    assert not accounts.login_token_ok(one, two)
    assert not accounts.login_token_ok(None, one)
    assert not accounts.login_token_ok(one, "")
