"""The mediator's tables in journal.db: a migration set of its own (``mediator``).

- ``mediator_pin``: at most one row (``id = 1``): the scrypt hash of the PIN and its salt (hex),
  the scrypt parameters as JSON (so they can be raised later; a PIN is re-hashed with the
  current parameters the next time it is verified), and when it was set (ISO 8601, UTC).
- ``mediator_lock``: at most one row (``id = 1``): wrong PINs in the current series, how many
  series of wrong PINs ended in a lock since the last correct PIN, and the end of the current
  lock in epoch seconds (wall clock, so that a restart does not clear it), or NULL.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("mediator")


@migrations()
def m001_pin_and_lock(db):
    db.execute(
        """
        CREATE TABLE mediator_pin (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hash TEXT NOT NULL,
            salt TEXT NOT NULL,
            params TEXT NOT NULL,
            set_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE mediator_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
            series INTEGER NOT NULL DEFAULT 0 CHECK (series >= 0),
            locked_until REAL
        )
        """
    )
