"""Schema of the visitor-side records in journal.db: requests, feedback, volunteer offers, usage.

A migration set of its own (``journal-visitors``), applied after the ``journal`` set (which
creates ``meta`` and ``outbox``) whenever journal.db is opened.

Personal data lives only in ``requests`` and ``volunteer_offers`` (``name``, ``contact``); both
are blanked once headquarters has acknowledged the event that carried them (see
`numeribus_kiosk.journal.requests.purge_acknowledged_personal_data`).
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("journal-visitors")


@migrations()
def m001_visitor_records(db):
    # A visitor asks for a document to be brought on a later visit.
    db.execute(
        """
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL,
            title TEXT NOT NULL,
            name TEXT NOT NULL,
            contact TEXT NOT NULL,
            stop TEXT NOT NULL DEFAULT '',
            consent INTEGER NOT NULL CHECK (consent = 1),
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'handled')),
            handled_at TEXT,
            personal_data_deleted INTEGER NOT NULL DEFAULT 0 CHECK (personal_data_deleted IN (0, 1))
        )
        """
    )
    db.execute("CREATE INDEX requests_status ON requests (status)")
    # Anonymous opinion: five faces, an optional text, the workshops they would like.
    db.execute(
        """
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY,
            score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
            text TEXT NOT NULL DEFAULT '',
            wished_workshops TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        )
        """
    )
    # "Partager mes savoirs": an inhabitant offers to lead a workshop.
    db.execute(
        """
        CREATE TABLE volunteer_offers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            contact TEXT NOT NULL,
            topic TEXT NOT NULL,
            consent INTEGER NOT NULL CHECK (consent = 1),
            created_at TEXT NOT NULL,
            personal_data_deleted INTEGER NOT NULL DEFAULT 0 CHECK (personal_data_deleted IN (0, 1))
        )
        """
    )
    # Anonymous daily counters.  `reported` is how much of `count` has already been put in a
    # "usage.daily" outbox event: a late increment for a closed day is sent later as the delta
    # `count - reported` (see numeribus_kiosk.journal.usage.close_days).
    db.execute(
        """
        CREATE TABLE usage_counters (
            day TEXT NOT NULL,
            counter TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            reported INTEGER NOT NULL DEFAULT 0 CHECK (reported >= 0 AND reported <= count),
            PRIMARY KEY (day, counter)
        ) WITHOUT ROWID
        """
    )
    # Days whose counters have been closed: one row per day, written with its first event.
    db.execute(
        """
        CREATE TABLE usage_days_sent (
            day TEXT PRIMARY KEY,
            closed_at TEXT NOT NULL,
            first_seq INTEGER NOT NULL
        ) WITHOUT ROWID
        """
    )
