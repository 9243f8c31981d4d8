"""Issue 4, item 8, at a CI-friendly size: SIGKILL a writer of sessions at random moments.

Every save the writer reported (it prints after the commit) must be there; the file must pass
``integrity_check``; the outbox sequence must have no gap; nothing may be duplicated.

NUMERIBUS_DURABILITY_KILLS=500 runs the issue's "hundreds of times" (default: 50, ~20 s).
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import sessions_schema

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer_process.py")
KILLS = int(os.environ.get("NUMERIBUS_DURABILITY_KILLS", "50"))
SEED = 20261126

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def test_sigkilled_writers_lose_no_reported_save(data_dir):
    rng = random.Random(SEED)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NUMERIBUS_DATA_DIR", None)
    reported: dict[str, int] = {}
    started = time.monotonic()
    for run in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), str(data_dir), str(run)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        # Start-up (imports, opening, migrations) takes ~0.1-0.2 s: some kills land there,
        # most in the middle of the writing loop.
        time.sleep(rng.uniform(0.02, 0.45))
        writer.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, f"the writer stopped by itself: {err.decode(errors='replace')}"
        for line in out.decode().split("\n")[:-1]:  # a line without its "\n" was not fully reported
            session_id, seq = line.split()
            assert session_id not in reported
            reported[session_id] = int(seq)
    elapsed = time.monotonic() - started
    print(f"{KILLS} kills, {len(reported)} reported saves, {elapsed:.1f} s")
    assert len(reported) > KILLS  # the kills did land while writing

    db = store.open_journal_db(data_dir)
    sessions_schema.migrations.apply(db)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = [row[0] for row in db.execute("SELECT id FROM sessions")]
        assert len(ids) == len(set(ids))
        missing = set(reported) - set(ids)
        assert not missing, f"{len(missing)} reported saves are missing"
        seqs = [row[0] for row in db.execute("SELECT seq FROM outbox ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1)), "the outbox sequence has a gap"
        created = dict(
            db.execute(
                "SELECT entity_id, count(*) FROM outbox WHERE kind = 'session.created' GROUP BY entity_id"
            ).fetchall()
        )
        assert set(created) == set(ids), "a session without its event, or an event without its session"
        assert set(created.values()) == {1}, "a session with more than one session.created event"
        for session_id, seq in reported.items():
            assert db.execute("SELECT entity_id FROM outbox WHERE seq = ?", [seq]).fetchone()[0] == session_id
        # Every save is one transaction: as many events as sessions, and nothing else.
        assert len(seqs) == len(ids)
    finally:
        db.close()
