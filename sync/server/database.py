"""hq.db: headquarters' one SQLite file (WAL, synchronous=FULL), with every module's migrations.

Each server module that stores something owns its tables and its `Migrations` set
(devices, events, publish, admin accounts); this module opens the file and applies them all, in
a fixed order, through the kiosk's `store.open_database` (the same pragmas, the same
one-opener-migrates lock).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import sqlite_utils
from sqlite_utils.migrations import Migrations

from numeribus_kiosk.store import ensure_data_dir, open_database, write_transaction  # noqa: F401 (re-exported)

HQ_FILE = "hq.db"
DATA_DIR_ENV = "NUMERIBUS_SYNC_DATA_DIR"

# Modules whose `migrations` set is applied, in this order.
MIGRATION_MODULES = (
    "sync.server.database",
    "sync.server.devices",
    "sync.server.events",
    "sync.server.publish",
    "sync.server.admin.accounts",
)

migrations = Migrations("hq_core")


@migrations(name="0001_meta")
def _m0001_meta(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $NUMERIBUS_SYNC_DATA_DIR, else the user's data folder for numeribus-sync."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("numeribus-sync", appauthor=False))


def hq_path(data_dir: Path) -> Path:
    return Path(data_dir) / HQ_FILE


def all_migrations() -> tuple[Migrations, ...]:
    return tuple(importlib.import_module(name).migrations for name in MIGRATION_MODULES)


def open_hq_db(data_dir: Path, *, check_same_thread: bool = True) -> sqlite_utils.Database:
    """Open (or create) hq.db in `data_dir`, migrated."""
    ensure_data_dir(Path(data_dir))
    return open_database(
        hq_path(data_dir), synchronous="FULL", migrations=all_migrations(), check_same_thread=check_same_thread
    )


def get_meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite_utils.Database, key: str, value: object) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, str(value)])


# --- transactions ----------------------------------------------------------------------------


@contextlib.contextmanager
def read_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One consistent view for several SELECTs (a WAL snapshot); joins an open transaction."""
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
