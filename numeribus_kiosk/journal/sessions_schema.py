"""Schema of the mediation sessions in journal.db (migration set ``journal-sessions``).

Applied after the ``journal`` set (which creates ``meta`` and ``outbox``) whenever the
sessions are used: ``sessions_schema.migrations.apply(store.open_journal_db(data_dir))``.

A session is never erased: deleting it sets ``deleted = 1`` (a tombstone) so that the
deletion can travel to headquarters as an outbox event, before or after a sync.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("journal-sessions")


@migrations()
def m001_sessions(db):
    db.execute(
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            duration_min INTEGER NOT NULL CHECK (duration_min > 0),
            place TEXT NOT NULL CHECK (place <> ''),
            activity TEXT NOT NULL CHECK (activity <> ''),
            publics TEXT NOT NULL,
            participants INTEGER NOT NULL CHECK (participants >= 0),
            participants_by_age TEXT,
            partner TEXT,
            equipment TEXT NOT NULL DEFAULT '[]',
            mediator TEXT NOT NULL CHECK (mediator <> ''),
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
            version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
        )
        """
    )
    db.execute("CREATE INDEX sessions_started_at ON sessions (deleted, started_at)")
