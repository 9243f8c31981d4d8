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


@migrations()
def m002_favourites_and_audit(db):
    """Per-mediator favourites (session templates) and the audit log of mediator actions.

    - ``mediator_favourites``: a named template of a session (activity, publics, participants,
      duration, partner, equipment as JSON) for one mediator; a label is unique per mediator.
    - ``mediator_audit``: who did what and when in the mediator mode, never personal data: the
      action is one of `audit.ACTIONS`, the target an identifier (a session or request id), the
      detail a short code ("timeout", "csv 2026-11").
    """
    db.execute(
        """
        CREATE TABLE mediator_favourites (
            id TEXT PRIMARY KEY,
            mediator TEXT NOT NULL,
            label TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (mediator, label)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE mediator_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            mediator TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        )
        """
    )
