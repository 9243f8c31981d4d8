"""Opening the bus's two SQLite files: where they live, their pragmas, their migrations.

- `catalogue.db` is owned by headquarters and can always be downloaded again:
  WAL, ``synchronous=NORMAL``.
- `journal.db` holds what only the bus knows (sessions, requests, the outbox):
  WAL, ``synchronous=FULL`` so that a power cut right after a commit loses nothing.

Order of things when a file is opened:
1. the data directory is resolved (``--data-dir`` > ``NUMERIBUS_DATA_DIR`` > the
   platform's user data directory) and created if needed;
2. an existing file is checked to really be an SQLite database;
3. the connection gets its pragmas (WAL first, outside any transaction);
4. pending migrations are applied, each in its own transaction.

Every failure the environment can cause (directory not writable, a file that is
not a database or is corrupt, a disk that is full) becomes one `StoreError`
whose message names the path; the command line prints it without a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import platformdirs
import sqlite_utils
from sqlite_utils.migrations import Migrations

APP_NAME = "numeribus"
DATA_DIR_ENV = "NUMERIBUS_DATA_DIR"
CATALOGUE_FILE = "catalogue.db"
JOURNAL_FILE = "journal.db"


class StoreError(Exception):
    """The environment prevents opening or writing a database; the message says where and why."""


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data directory: the explicit one, else $NUMERIBUS_DATA_DIR, else the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def ensure_data_dir(data_dir: Path) -> Path:
    """Create the data directory if needed and check that we can write into it."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise StoreError(f"The data directory {data_dir} exists but is not a directory.") from exc
    except OSError as exc:
        raise StoreError(f"Cannot create the data directory {data_dir}: {exc.strerror or exc}.") from exc
    if not data_dir.is_dir():
        raise StoreError(f"The data directory {data_dir} is not a directory.")
    # Unique per process and thread: the journal's writer thread and the UI thread may check at once.
    probe = data_dir / f".write-test-{os.getpid()}-{threading.get_ident()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"The data directory {data_dir} is not writable: {exc.strerror or exc}.") from exc
    return data_dir


def _check_is_database(path: Path) -> None:
    """Refuse a folder where the database file should be.

    The file itself is never open()ed here: POSIX advisory locks belong to the process, and
    closing ANY descriptor of a file drops every lock the process holds on it, including those of
    its other SQLite connections.  Another process would then think it is alone, checkpoint and
    delete the WAL, and those connections would go on reading a stale copy.  Whether the file is
    an SQLite database at all is told by SQLite's first read (see `describe_sqlite_error`)."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file.")


def describe_sqlite_error(path: Path, exc: BaseException) -> str:
    """Plain words for an sqlite3 error met while using `path`."""
    text = str(exc)
    lowered = text.lower()
    if "file is not a database" in lowered:
        return (
            f"{path} is not an SQLite database (it may have been overwritten). "
            "Move it aside; the catalogue can be imported or synchronised again."
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return f"The database {path} is corrupt ({text}). Move it aside and restore a backup or import again."
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return f"Cannot write to the database {path} ({text}). Check the permissions of its folder."
    if "full" in lowered:
        return f"The disk holding {path} is full ({text})."
    if "locked" in lowered or "busy" in lowered:
        return f"The database {path} is busy in another program ({text}). Try again in a moment."
    return f"Database error in {path}: {text}."


def _prepare(db: sqlite_utils.Database, synchronous: str, migrations: Iterable[Migrations]) -> None:
    db.enable_wal()
    db.conn.execute(f"PRAGMA synchronous={synchronous}")
    db.conn.execute("PRAGMA foreign_keys=ON")
    migrations = tuple(migrations)
    if not any(migration_set.pending(db) for migration_set in migrations):
        return  # the usual case: no write lock taken (an import may be holding it)
    # One opener at a time checks and applies the migrations: the write lock is taken first
    # (BEGIN IMMEDIATE waits for the busy timeout), each migration is a savepoint inside it.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        for migration_set in migrations:
            migration_set.apply(db)
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise
    db.conn.commit()


def _retry_while_busy(conn: sqlite3.Connection, step, attempts: int = 200, pause_s: float = 0.05) -> None:
    """Run `step` again while another connection holds the lock it needs.

    Two programs (or two threads) opening a new file at once both try to switch it to WAL and
    to create its tables; SQLite answers "database is locked" at once in some of these cases
    instead of waiting for the busy timeout.  Every migration is its own transaction and
    checks what is already applied, so trying again is safe."""
    for attempt in range(attempts):
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if ("locked" not in text and "busy" not in text) or attempt == attempts - 1:
                raise
            if conn.in_transaction:
                conn.rollback()
            time.sleep(pause_s)


def open_database(
    path: Path,
    *,
    synchronous: str,
    migrations: Iterable[Migrations] = (),
    check_same_thread: bool = True,
) -> sqlite_utils.Database:
    """Open (or create) the SQLite file at `path` with our pragmas and apply `migrations`."""
    ensure_data_dir(path.parent)
    _check_is_database(path)
    conn = None
    try:
        conn = sqlite3.connect(str(path), check_same_thread=check_same_thread, timeout=10.0)
        db = sqlite_utils.Database(conn)
        # Reading the schema is the first thing that fails on a damaged file.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _retry_while_busy(conn, lambda: _prepare(db, synchronous, migrations))
        return db
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise StoreError(describe_sqlite_error(path, exc)) from exc
    except OSError as exc:
        if conn is not None:
            conn.close()
        if exc.errno == errno.ENOSPC:
            raise StoreError(f"The disk holding {path} is full.") from exc
        raise StoreError(f"Cannot open {path}: {exc.strerror or exc}.") from exc


def catalogue_path(data_dir: Path) -> Path:
    return Path(data_dir) / CATALOGUE_FILE


def journal_path(data_dir: Path) -> Path:
    return Path(data_dir) / JOURNAL_FILE


def open_catalogue_db(data_dir: Path, *, check_same_thread: bool = True) -> sqlite_utils.Database:
    """Open catalogue.db in `data_dir` (WAL, synchronous=NORMAL), migrated."""
    from .catalogue import schedule, schema

    return open_database(
        catalogue_path(data_dir),
        synchronous="NORMAL",
        migrations=(schema.migrations, schedule.migrations),
        check_same_thread=check_same_thread,
    )


def open_journal_db(data_dir: Path, *, check_same_thread: bool = True) -> sqlite_utils.Database:
    """Open journal.db in `data_dir` (WAL, synchronous=FULL), migrated."""
    from .journal import schema, sessions_schema, visitor_schema
    from .mediator import schema as mediator_schema

    db = open_database(
        journal_path(data_dir),
        synchronous="FULL",
        migrations=(
            schema.migrations,
            visitor_schema.migrations,
            sessions_schema.migrations,
            mediator_schema.migrations,
        ),
        check_same_thread=check_same_thread,
    )
    # Visitors' personal data is erased once headquarters has it: freed pages are
    # overwritten with zeros rather than left readable in the file.
    db.execute("PRAGMA secure_delete=ON")
    return db


@contextlib.contextmanager
def write_transaction(db):
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or a savepoint inside a transaction already open.

    `db` is a sqlite_utils Database or a sqlite3 Connection; it is what the block receives.
    IMMEDIATE takes SQLite's write lock first: a transaction that reads, then writes, never fails
    half-way because another connection wrote in between (WAL)."""
    conn = getattr(db, "conn", db)
    if conn.in_transaction:
        name = f"sp_{uuid.uuid4().hex}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled everything back
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
