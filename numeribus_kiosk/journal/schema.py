"""Schema of journal.db: what only the bus knows, and the outbox that carries it to headquarters."""

from __future__ import annotations

import uuid

from sqlite_utils.migrations import Migrations

migrations = Migrations("journal")


@migrations()
def m001_meta_and_outbox(db):
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", [str(uuid.uuid4())])
    # One row per change, in the same transaction as the change itself.  `seq` is
    # gapless per device: rows are never deleted (an acknowledged row may have its
    # payload pruned, never its number).
    db.execute(
        """
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            device_time TEXT NOT NULL,
            payload TEXT NOT NULL,
            hash TEXT NOT NULL,
            acknowledged INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX outbox_pending ON outbox (acknowledged, seq)")


@migrations()
def m002_outbox_entity_index(db):
    # The purge of personal data looks events up by kind and entity.
    db.execute("CREATE INDEX outbox_entity ON outbox (kind, entity_id)")
