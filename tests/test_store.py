import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.store import StoreError


def test_both_files_created_with_their_pragmas(data_dir):
    catalogue = store.open_catalogue_db(data_dir)
    journal = store.open_journal_db(data_dir)
    try:
        assert (data_dir / "catalogue.db").is_file() and (data_dir / "journal.db").is_file()
        assert catalogue.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert journal.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # 1 = NORMAL, 2 = FULL
        assert catalogue.execute("PRAGMA synchronous").fetchone()[0] == 1
        assert journal.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert "records" in catalogue.table_names()
        assert {"passages", "workshops"} <= set(catalogue.table_names())
        assert {"outbox", "meta"} <= set(journal.table_names())
    finally:
        catalogue.close()
        journal.close()


def test_migrations_are_applied_once(data_dir):
    for _ in range(2):
        db = store.open_journal_db(data_dir)
        device = db.execute("SELECT value FROM meta WHERE key='device_id'").fetchone()[0]
        applied = db.execute("SELECT count(*) FROM _sqlite_migrations WHERE migration_set='journal'").fetchone()[0]
        db.close()
    assert applied == 2 and device


def test_data_dir_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("NUMERIBUS_DATA_DIR", str(tmp_path / "env"))
    assert store.resolve_data_dir(None) == tmp_path / "env"
    assert store.resolve_data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    monkeypatch.delenv("NUMERIBUS_DATA_DIR")
    assert "numeribus" in str(store.resolve_data_dir(None))


def test_data_dir_that_is_a_file(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="not-a-dir"):
        store.open_catalogue_db(blocker)
    with pytest.raises(StoreError, match="not-a-dir"):
        store.open_journal_db(blocker / "below")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_data_dir_not_writable(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="not writable"):
            store.open_catalogue_db(locked)
    finally:
        locked.chmod(0o700)


def test_read_only_filesystem_is_refused_clearly(tmp_path):
    # /proc refuses new files even to root: a real unwritable place.
    with pytest.raises(StoreError, match="/proc"):
        store.open_catalogue_db(Path("/proc/numeribus-test"))


def test_file_that_is_not_a_database(data_dir):
    (data_dir / "catalogue.db").write_bytes(b"these are not the pages you are looking for" * 100)
    with pytest.raises(StoreError, match="catalogue.db.*not an SQLite database"):
        store.open_catalogue_db(data_dir)


def test_corrupt_database(data_dir):
    db = store.open_journal_db(data_dir)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    path = data_dir / "journal.db"
    data = bytearray(path.read_bytes())
    # Keep the header, scribble over the schema page.
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="journal.db.*corrupt"):
        store.open_journal_db(data_dir)


def test_truncated_database(data_dir):
    db = store.open_catalogue_db(data_dir)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    path = data_dir / "catalogue.db"
    path.write_bytes(path.read_bytes()[: 4096 + 50])
    with pytest.raises(StoreError, match="catalogue.db.*corrupt"):
        store.open_catalogue_db(data_dir)


def test_sqlite_errors_are_described():
    path = Path("/x/catalogue.db")
    assert "full" in store.describe_sqlite_error(path, sqlite3.OperationalError("database or disk is full"))
    assert "busy" in store.describe_sqlite_error(path, sqlite3.OperationalError("database is locked"))


def test_concurrent_first_opens_of_a_new_journal_all_succeed(tmp_path):
    """Two bridges open a new journal.db at the same moment: both get it, migrated once."""
    import threading

    from numeribus_kiosk import store

    for round_ in range(10):
        data_dir = tmp_path / f"d{round_}"
        errors: list[BaseException] = []
        start = threading.Barrier(4)

        def opener(start=start, data_dir=data_dir, errors=errors):
            start.wait()
            try:
                store.open_journal_db(data_dir, check_same_thread=False).close()
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=opener) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        db = store.open_journal_db(data_dir)
        try:
            names = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations")]
        finally:
            db.close()
        assert len(names) == len(set(names))


def test_opening_a_second_connection_keeps_the_first_ones_locks(data_dir):
    """POSIX advisory locks belong to the process: closing ANY descriptor of the file drops all
    of them.  Opening a database must therefore never open() the file itself while the process
    already has a connection to it; otherwise another process believes it is alone, checkpoints,
    deletes the WAL, and our first connection goes on reading a stale copy (seen at headquarters:
    a pairing code added by `device add` was invisible to the running server)."""
    first = store.open_journal_db(data_dir)
    first.execute("SELECT count(*) FROM meta").fetchone()
    script = (
        "import sys; from pathlib import Path; from numeribus_kiosk import store\n"
        "db = store.open_journal_db(Path(sys.argv[1]))\n"
        "with db.atomic():\n"
        "    db.execute('INSERT INTO meta (key, value) VALUES (?, ?)', [sys.argv[2], 'another process'])\n"
        "db.conn.close()\n"
    )
    others = []
    try:
        for round_ in range(3):
            others.append(store.open_journal_db(data_dir))  # another connection of this process
            key = f"written_{round_}"
            subprocess.run(
                [sys.executable, "-c", script, str(data_dir), key], check=True, cwd=Path(__file__).resolve().parents[1]
            )
            assert first.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone() == ("another process",)
    finally:
        for db in others:
            db.conn.close()
        first.conn.close()
