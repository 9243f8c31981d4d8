"""Administrators of the admin site: accounts, login with lockout, sessions and CSRF tokens.

Tables (migration set ``hq_admin``):

admin_users
    One row per administrator (`numeribus-sync admin add-user`).  The password is stored only
    as ``scrypt(password, salt)`` with a random 16-byte salt per user; the scrypt parameters are
    stored beside the hash so they can be raised later (a password hashed with older parameters
    is hashed again at its next correct login).
admin_login_failures
    Wrong passwords per user name (known or not, so that the answer never tells whether a name
    exists).  After `MAX_FAILURES` wrong passwords the name is locked for `LOCK_SECONDS`; while
    locked, the password is not even checked and the attempt does not count.  A correct login
    clears the row.
admin_sessions
    One row per signed-in browser.  The browser holds a random token (cookie); only its SHA-256
    is stored, so a copy of hq.db does not let anyone sign in.  A session ends at its
    ``expires_at`` (``[admin] session_hours`` after the login) or at logout.  ``flash`` holds a
    one-time message for the next page ("Le bus a été révoqué.").

CSRF: every form of a signed-in page carries `csrf_token(token)`, an HMAC of a fixed text keyed
by the session token, so it is bound to the session, needs no storage and changes at each
login.  The login form (no session yet) uses a double-submit token: a random value in a cookie
and in the form.

Passwords never appear in a log record or an exception message.  All times are UTC, injected
by the caller (``now``), so tests need no sleeps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils
from sqlite_utils.migrations import Migrations

from ..database import write_transaction

log = logging.getLogger(__name__)

migrations = Migrations("hq_admin")

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1024
USERNAME_MAX_LENGTH = 64
MAX_FAILURES = 5
LOCK_SECONDS = 5 * 60
SALT_BYTES = 16
TOKEN_BYTES = 32
# About 100 ms per hash on the development machine (see numeribus_kiosk/mediator/pin.py).
SCRYPT_PARAMS = {"algorithm": "scrypt", "n": 2**15, "r": 8, "p": 1, "dklen": 32}
FAILURE_MEMORY = timedelta(days=1)  # failure rows untouched this long are forgotten

_USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")
_CSRF_CONTEXT = b"numeribus-admin-csrf-v1"


@migrations(name="0001_accounts")
def _m0001_accounts(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE admin_users (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            salt TEXT NOT NULL,
            params TEXT NOT NULL,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL,
            last_login_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE admin_login_failures (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE admin_sessions (
            token_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL COLLATE NOCASE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            flash TEXT
        )"""
    )
    db.execute("CREATE INDEX admin_sessions_username ON admin_sessions (username)")


class AccountError(ValueError):
    """A user name or password that cannot be used, or an unknown/duplicate user (no password inside)."""


@dataclass(frozen=True, slots=True)
class AdminUser:
    username: str
    created_at: str
    password_changed_at: str
    last_login_at: str | None


@dataclass(frozen=True, slots=True)
class LoginResult:
    """What `authenticate` found: `ok`; the end of the lock when locked; wrong passwords still allowed."""

    ok: bool
    username: str | None = None  # the stored spelling of the name, when ok
    locked_until: datetime | None = None
    remaining_attempts: int = MAX_FAILURES

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@dataclass(frozen=True, slots=True)
class AdminSession:
    username: str
    token_hash: str
    created_at: str
    expires_at: str
    flash: str | None


# --------------------------------------------------------------------------- helpers


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def validate_username(username: object) -> str:
    """`username` if it is 1 to 64 ASCII letters, digits or ``. _ @ -`` (starting with a letter or digit)."""
    if not isinstance(username, str) or not username:
        raise AccountError("The user name is empty.")
    if len(username) > USERNAME_MAX_LENGTH:
        raise AccountError(f"The user name is longer than {USERNAME_MAX_LENGTH} characters.")
    if not _USERNAME_RE.fullmatch(username):
        raise AccountError(
            "The user name may contain only letters without accents, digits and . _ @ -, "
            "and must start with a letter or a digit."
        )
    return username


def validate_password(password: object) -> str:
    """`password` if it has 10 to 1024 characters; the message never quotes it."""
    if not isinstance(password, str):
        raise AccountError("The password must be text.")
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(f"The password is too short: it needs at least {PASSWORD_MIN_LENGTH} characters.")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(f"The password is longer than {PASSWORD_MAX_LENGTH} characters.")
    if password != password.strip():
        raise AccountError("The password starts or ends with a space; remove it (spaces are easy to mistype).")
    return password


def _scrypt(password: str, salt: bytes, params: dict) -> bytes:
    if params.get("algorithm") != "scrypt":
        raise AccountError("The stored password uses an unknown hashing scheme; set the password again.")
    n, r, p, dklen = int(params["n"]), int(params["r"]), int(params["p"]), int(params["dklen"])
    maxmem = 128 * r * (n + p + 2) + 2**20
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=maxmem)


def _hashed(password: str) -> tuple[str, str, str]:
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_PARAMS)
    return digest.hex(), salt.hex(), json.dumps(SCRYPT_PARAMS, sort_keys=True)


# A hash to compare against when the user does not exist, so that the answer takes as long.
_DUMMY_SALT = os.urandom(SALT_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- users


def add_user(db: sqlite_utils.Database, username: str, password: str, now: datetime) -> AdminUser:
    """Create an administrator; raises `AccountError` for a bad name or password or an existing user."""
    username = validate_username(username)
    validate_password(password)
    digest, salt, params = _hashed(password)
    stamp = _iso(now)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM admin_users WHERE username = ?", [username]).fetchone():
            raise AccountError(f"An administrator named {username} already exists.")
        db.execute(
            "INSERT INTO admin_users (username, password_hash, salt, params, created_at, password_changed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [username, digest, salt, params, stamp, stamp],
        )
    log.info("administrator %s added", username)
    return AdminUser(username, stamp, stamp, None)


def set_password(db: sqlite_utils.Database, username: str, password: str, now: datetime) -> None:
    """Replace a user's password; their open sessions end and any lock is lifted."""
    validate_password(password)
    digest, salt, params = _hashed(password)
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE admin_users SET password_hash = ?, salt = ?, params = ?, password_changed_at = ? "
            "WHERE username = ?",
            [digest, salt, params, _iso(now), username],
        )
        if cursor.rowcount == 0:
            raise AccountError(f"There is no administrator named {username}.")
        db.execute("DELETE FROM admin_sessions WHERE username = ?", [username])
        db.execute("DELETE FROM admin_login_failures WHERE username = ?", [username])
    log.info("password of administrator %s changed", username)


def list_users(db: sqlite_utils.Database) -> list[AdminUser]:
    rows = db.execute(
        "SELECT username, created_at, password_changed_at, last_login_at FROM admin_users ORDER BY username"
    ).fetchall()
    return [AdminUser(*row) for row in rows]


def get_user(db: sqlite_utils.Database, username: str) -> AdminUser | None:
    row = db.execute(
        "SELECT username, created_at, password_changed_at, last_login_at FROM admin_users WHERE username = ?",
        [username],
    ).fetchone()
    return AdminUser(*row) if row else None


def remove_user(db: sqlite_utils.Database, username: str) -> bool:
    """Delete an administrator and end their sessions; False if there was none of that name."""
    with write_transaction(db):
        cursor = db.execute("DELETE FROM admin_users WHERE username = ?", [username])
        db.execute("DELETE FROM admin_sessions WHERE username = ?", [username])
        db.execute("DELETE FROM admin_login_failures WHERE username = ?", [username])
    if cursor.rowcount:
        log.info("administrator %s removed", username)
    return bool(cursor.rowcount)


# --------------------------------------------------------------------------- login


def _lock_state(db: sqlite_utils.Database, username: str, now: datetime) -> tuple[int, datetime | None]:
    row = db.execute(
        "SELECT failures, locked_until FROM admin_login_failures WHERE username = ?", [username]
    ).fetchone()
    if row is None:
        return 0, None
    locked_until = _parse(row[1])
    if locked_until is not None and now >= locked_until:
        return 0, None  # the lock is over: a fresh series starts
    return int(row[0]), locked_until


def authenticate(db: sqlite_utils.Database, username: str, password: str, now: datetime) -> LoginResult:
    """Check a login.  Counts wrong passwords per name and locks the name after `MAX_FAILURES`.

    While the name is locked the password is not checked.  An unknown name or a malformed
    entry is treated exactly like a wrong password (same hashing work, same counting).
    """
    name = username if isinstance(username, str) else ""
    name = name.strip()[:USERNAME_MAX_LENGTH]
    _failures, locked_until = _lock_state(db, name, now)
    if locked_until is not None:
        return LoginResult(False, locked_until=locked_until, remaining_attempts=0)
    row = None
    if name:
        row = db.execute(
            "SELECT username, password_hash, salt, params FROM admin_users WHERE username = ?", [name]
        ).fetchone()
    candidate = password if isinstance(password, str) else ""
    if row is None:
        _scrypt(candidate, _DUMMY_SALT, SCRYPT_PARAMS)
        ok = False
    else:
        params = json.loads(row[3])
        digest = _scrypt(candidate, bytes.fromhex(row[2]), params)
        ok = hmac.compare_digest(digest, bytes.fromhex(row[1]))
    stamp = _iso(now)
    with write_transaction(db):
        # Another request may have counted meanwhile: decide on the fresh state.
        failures, locked_until = _lock_state(db, name, now)
        if locked_until is not None:
            return LoginResult(False, locked_until=locked_until, remaining_attempts=0)
        if ok:
            db.execute("DELETE FROM admin_login_failures WHERE username = ?", [name])
            db.execute("UPDATE admin_users SET last_login_at = ? WHERE username = ?", [stamp, row[0]])
            if params != SCRYPT_PARAMS:
                digest_hex, salt_hex, params_json = _hashed(candidate)
                db.execute(
                    "UPDATE admin_users SET password_hash = ?, salt = ?, params = ? WHERE username = ?",
                    [digest_hex, salt_hex, params_json, row[0]],
                )
        else:
            failures += 1
            until = now + timedelta(seconds=LOCK_SECONDS) if failures >= MAX_FAILURES else None
            db.execute(
                "INSERT INTO admin_login_failures (username, failures, locked_until, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, "
                "locked_until = excluded.locked_until, updated_at = excluded.updated_at",
                [name, 0 if until else failures, _iso(until) if until else None, stamp],
            )
            db.execute(
                "DELETE FROM admin_login_failures WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                [_iso(now - FAILURE_MEMORY), stamp],
            )
    if ok:
        log.info("administrator %s signed in", row[0])
        return LoginResult(True, username=row[0])
    # The name typed may be a password typed in the wrong field: it is not logged.
    if until is not None:
        log.warning("admin login locked for %d minutes after %d wrong passwords", LOCK_SECONDS // 60, MAX_FAILURES)
        return LoginResult(False, locked_until=until, remaining_attempts=0)
    log.info("wrong admin login; %d attempt(s) left before a lock", MAX_FAILURES - failures)
    return LoginResult(False, remaining_attempts=MAX_FAILURES - failures)


# --------------------------------------------------------------------------- sessions


def open_session(db: sqlite_utils.Database, username: str, now: datetime, hours: int) -> str:
    """Start a session for `username`; returns the token for the cookie (stored only hashed)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction(db):
        db.execute("DELETE FROM admin_sessions WHERE expires_at <= ?", [_iso(now)])
        db.execute(
            "INSERT INTO admin_sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
            [token_hash(token), username, _iso(now), _iso(now + timedelta(hours=hours))],
        )
    return token


def session_for(db: sqlite_utils.Database, token: str | None, now: datetime) -> AdminSession | None:
    """The live session of this cookie token, or None (no token, unknown, expired, user removed)."""
    if not token or len(token) > 200:
        return None
    row = db.execute(
        "SELECT s.username, s.token_hash, s.created_at, s.expires_at, s.flash FROM admin_sessions s "
        "JOIN admin_users u ON u.username = s.username WHERE s.token_hash = ?",
        [token_hash(token)],
    ).fetchone()
    if row is None or _parse(row[3]) <= now:
        return None
    return AdminSession(*row)


def close_session(db: sqlite_utils.Database, token: str | None) -> None:
    if token:
        with write_transaction(db):
            db.execute("DELETE FROM admin_sessions WHERE token_hash = ?", [token_hash(token)])


def set_flash(db: sqlite_utils.Database, session: AdminSession, message: str) -> None:
    """A message shown once, on the next page this session opens."""
    with write_transaction(db):
        db.execute("UPDATE admin_sessions SET flash = ? WHERE token_hash = ?", [message, session.token_hash])


def pop_flash(db: sqlite_utils.Database, session: AdminSession) -> str | None:
    if session.flash is None:
        return None
    with write_transaction(db):
        db.execute("UPDATE admin_sessions SET flash = NULL WHERE token_hash = ?", [session.token_hash])
    return session.flash


# --------------------------------------------------------------------------- CSRF


def csrf_token(session_token: str) -> str:
    """The CSRF token of the session whose cookie token is `session_token`."""
    return hmac.new(session_token.encode("utf-8"), _CSRF_CONTEXT, hashlib.sha256).hexdigest()


def csrf_ok(session_token: str | None, given: object) -> bool:
    """Whether `given` (a form field) is this session's CSRF token; constant-time."""
    if not session_token or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(csrf_token(session_token).encode("ascii"), given.encode("utf-8", "replace"))


def new_login_token() -> str:
    """A random value for the login form's double-submit CSRF check (cookie and hidden field)."""
    return secrets.token_urlsafe(24)


def login_token_ok(cookie: str | None, given: object) -> bool:
    if not cookie or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(cookie.encode("utf-8", "replace"), given.encode("utf-8", "replace"))
