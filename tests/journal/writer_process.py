"""A writer for the durability test: adds sessions to journal.db until it is killed.

Usage: python writer_process.py DATA_DIR TAG

After each commit it prints "<session id> <outbox seq>" and flushes stdout, so that every line
the test reads is a save that reported success.  The test kills it with SIGKILL.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    data_dir, tag = Path(sys.argv[1]), sys.argv[2]
    from numeribus_kiosk import store
    from numeribus_kiosk.journal import sessions, sessions_schema

    db = store.open_journal_db(data_dir)
    sessions_schema.migrations.apply(db)
    number = 0
    while True:
        number += 1
        session = sessions.add_session(
            db,
            {
                "started_at": "2026-11-26T14:00:00+01:00",
                "duration_min": 60,
                "place": f"writer {tag}",
                "activity": "atelier tablette",
                "publics": ["seniors / EHPAD"],
                "participants": number,
                "partner": None,
                "equipment": ["tablettes x6"],
                "mediator": "durability test",
                "notes": "x" * (number % 7) * 100,
            },
        )
        # add_session has committed: only now may the save be reported.
        seq = db.execute(
            "SELECT seq FROM outbox WHERE kind = 'session.created' AND entity_id = ?", [session.id]
        ).fetchone()[0]
        sys.stdout.write(f"{session.id} {seq}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
