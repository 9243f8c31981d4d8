"""What every part of the headquarters service shares while it runs: folder, settings, key, database.

`HQ` is made once per process (`numeribus-sync serve`, or a test) and handed to
`app.create_app`; routes reach it with ``Depends(get_hq)``.  Each thread gets its own
connection to hq.db (SQLite connections are not shared between threads; FastAPI runs
plain ``def`` routes on a thread pool).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from fastapi import Request

from .. import protocol
from .config import HQConfig, load_config
from .database import open_hq_db

HQ_KEY_FILE = "hq-key.pem"


def utc_now() -> datetime:
    return datetime.now(UTC)


class HQ:
    def __init__(
        self,
        data_dir: str | Path,
        config: HQConfig | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.config = config or load_config(self.data_dir)
        self.clock = clock  # replaceable in tests: the freshness window, code expiry...
        self._local = threading.local()
        self._connections: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()
        self.db()  # creates the folder and hq.db, applies migrations, before the key is written
        self.key = protocol.load_or_create_private_key(self.data_dir / HQ_KEY_FILE)
        self.public_key = protocol.public_text(self.key)
        self.key_id = protocol.key_id(self.key)
        self.fingerprint = protocol.fingerprint(self.key)

    def now(self) -> datetime:
        return self.clock()

    def db(self) -> sqlite_utils.Database:
        """This thread's connection to hq.db."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_hq_db(self.data_dir, check_same_thread=False)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.conn.close()
            self._connections.clear()
        self._local = threading.local()


def get_hq(request: Request) -> HQ:
    """FastAPI dependency: the running service's `HQ`."""
    return request.app.state.hq
