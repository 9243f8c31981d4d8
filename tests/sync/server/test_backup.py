"""sync.server.backup: an online backup while the real service takes uploads, and restores that
put back exactly what was backed up or refuse with one sentence and change nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from sync import protocol
from sync.server import backup as hq_backup
from sync.server import devices
from sync.server.app import create_app
from sync.server.database import HQ_FILE
from sync.server.state import HQ, HQ_KEY_FILE
from tests.sync.bus_journal import forge
from tests.sync.live import serve_in_thread
from tests.sync.signing import enrol_device, signed_request

NOW = datetime(2026, 11, 27, 3, 0).astimezone()


def event(device, seq: int) -> dict:
    day = (datetime(2025, 1, 1) + timedelta(days=seq)).date().isoformat()
    return forge(device.device_id, seq, "usage.daily", day, {"day": day, "counters": {"search": seq}})


def events_held(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / HQ_FILE)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def everything(data_dir: Path) -> dict[str, list]:
    """Every row of every table of hq.db (to compare two data folders)."""
    conn = sqlite3.connect(data_dir / HQ_FILE)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM [{t}]").fetchall())) for t in tables}
    finally:
        conn.close()


@pytest.fixture
def hq(tmp_path):
    service = HQ(tmp_path / "hq")
    (tmp_path / "hq" / "config.toml").write_text("[server]\nport = 8470\n", encoding="utf-8")
    yield service
    service.close()


def test_a_backup_taken_while_buses_upload_is_whole_and_restores(hq, tmp_path):
    dest = tmp_path / "backups"
    with serve_in_thread(create_app(hq)) as url, httpx.Client(base_url=url) as client:
        device = enrol_device(client, hq, "Bus Forez")
        stop = threading.Event()
        sent = []

        def upload() -> None:  # the service keeps writing while the backup runs
            seq = 0
            while not stop.is_set() and seq < 400:
                batch = [event(device, seq + i + 1) for i in range(10)]
                body = {"device_id": device.device_id, "events": batch}
                answer = signed_request(client, device, "POST", "/api/v1/events", body)
                assert answer.status_code == 200
                seq += 10
                sent.append(seq)

        writer = threading.Thread(target=upload)
        writer.start()
        try:
            while len(sent) < 5:
                stop.wait(0.01)
            before = events_held(hq.data_dir)
            result = hq_backup.backup(hq.data_dir, dest, NOW)
            after = events_held(hq.data_dir)
        finally:
            stop.set()
            writer.join()
    assert result.folder == dest / "numeribus-hq-20261127-030000"
    assert set(result.files) == {HQ_FILE, HQ_KEY_FILE, "config.toml"}
    assert before <= result.counts["events"] <= after  # one moment, while uploads went on
    assert oct(result.folder.stat().st_mode & 0o777) == "0o700"
    assert oct((result.folder / HQ_KEY_FILE).stat().st_mode & 0o777) == "0o600"
    assert not (result.folder / (HQ_FILE + "-wal")).exists()  # one self-contained file
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["hq_fingerprint"] == hq.fingerprint and manifest["counts"] == result.counts

    # restored into a new folder: the same service (key, devices, events of that moment)
    fresh = tmp_path / "restored"
    restored = hq_backup.restore(result.folder, fresh, NOW)
    assert restored.set_aside is None and restored.counts == result.counts
    again = HQ(fresh)
    try:
        assert again.fingerprint == hq.fingerprint
        assert devices.device_by_name(again.db(), "Bus Forez").device_id == device.device_id
        assert again.db().execute("SELECT count(*) FROM events").fetchone()[0] == result.counts["events"]
    finally:
        again.close()


def test_restore_puts_back_that_moment_and_sets_the_present_aside(hq, tmp_path):
    devices.add_device_code(hq.db(), "Bus 1", hq.now(), 24)
    backed = hq_backup.backup(hq.data_dir, tmp_path / "backups", NOW)
    at_backup = everything(hq.data_dir)
    devices.add_device_code(hq.db(), "Bus 2", hq.now(), 24)  # after the backup
    later = everything(hq.data_dir)
    hq.close()

    result = hq_backup.restore(backed.folder, hq.data_dir, NOW + timedelta(hours=5))
    assert everything(hq.data_dir) == at_backup
    assert result.set_aside == hq.data_dir / "before-restore-20261127-080000"
    assert everything(result.set_aside) == later  # nothing lost: the present is kept aside
    assert (result.set_aside / HQ_KEY_FILE).read_bytes() == (hq.data_dir / HQ_KEY_FILE).read_bytes()


def test_keep_deletes_the_oldest_backups(hq, tmp_path):
    dest = tmp_path / "backups"
    for minutes in range(4):
        result = hq_backup.backup(hq.data_dir, dest, NOW + timedelta(minutes=minutes), keep=2)
    assert [p.name for p in hq_backup.complete_backups(dest)] == [
        "numeribus-hq-20261127-030200",
        "numeribus-hq-20261127-030300",
    ]
    assert result.deleted == ["numeribus-hq-20261127-030100"]
    with pytest.raises(hq_backup.BackupError, match="--keep must be at least 1"):
        hq_backup.backup(hq.data_dir, dest, NOW + timedelta(minutes=9), keep=0)
    with pytest.raises(hq_backup.BackupError, match="exists already"):
        hq_backup.backup(hq.data_dir, dest, NOW + timedelta(minutes=3))


def damage(folder: Path, how: str) -> None:
    if how == "bit flipped in hq.db":
        path = folder / HQ_FILE
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x04
        path.write_bytes(bytes(data))
    elif how == "truncated hq.db":
        path = folder / HQ_FILE
        path.write_bytes(path.read_bytes()[:4096])
    elif how == "no manifest (interrupted)":
        (folder / "manifest.json").unlink()
    elif how == "manifest not json":
        (folder / "manifest.json").write_text("{", encoding="utf-8")
    elif how == "another key":
        protocol.save_private_key(protocol.generate_key(), folder / HQ_KEY_FILE)
    elif how == "key missing":
        (folder / HQ_KEY_FILE).unlink()
    elif how == "a file outside the folder":
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["files"]["../hq.db"] = manifest["files"][HQ_FILE]
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "not a backup":
        (folder / "manifest.json").write_text('{"format": "something else", "files": {}}', encoding="utf-8")


CASES = {
    "bit flipped in hq.db": "is not the file the backup wrote",
    "truncated hq.db": "is not the file the backup wrote",
    "no manifest (interrupted)": "an interrupted or unfinished backup",
    "manifest not json": "cannot be read",
    "another key": "is not the file the backup wrote",
    "key missing": "is missing from the backup",
    "a file outside the folder": "lists an unexpected file",
    "not a backup": "is not a numéribus headquarters backup",
}


@pytest.mark.parametrize("how", list(CASES))
def test_a_damaged_backup_is_refused_and_nothing_changes(hq, tmp_path, how):
    backed = hq_backup.backup(hq.data_dir, tmp_path / "backups", NOW)
    devices.add_device_code(hq.db(), "Bus 2", hq.now(), 24)
    hq.close()
    present = everything(hq.data_dir)
    listing = sorted(p.name for p in hq.data_dir.iterdir())
    damage(backed.folder, how)
    with pytest.raises(hq_backup.BackupError, match=CASES[how]) as refused:
        hq_backup.restore(backed.folder, hq.data_dir, NOW)
    assert "\n" not in str(refused.value)
    assert everything(hq.data_dir) == present
    assert sorted(p.name for p in hq.data_dir.iterdir()) == listing


def test_a_database_sound_byte_for_byte_but_damaged_inside_is_refused(hq, tmp_path):
    """A copy whose manifest was rewritten to match it (not what backup() wrote) still goes
    through SQLite's integrity check."""
    backed = hq_backup.backup(hq.data_dir, tmp_path / "backups", NOW)
    path = backed.folder / HQ_FILE
    data = bytearray(path.read_bytes())
    data[100:108] = b"\xff" * 8  # the schema page's b-tree header
    path.write_bytes(bytes(data))
    manifest = json.loads((backed.folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][HQ_FILE] = {"sha256": protocol.file_sha256(path), "size": path.stat().st_size}
    (backed.folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(hq_backup.BackupError, match="is not sound"):
        hq_backup.read_backup(backed.folder)


def test_restore_refuses_while_the_service_runs(hq, tmp_path):
    backed = hq_backup.backup(hq.data_dir, tmp_path / "backups", NOW)
    # what a running `numeribus-sync serve` holds
    with hq_backup.ServiceLock(hq.data_dir), pytest.raises(hq_backup.BackupError, match="service is running"):
        hq_backup.restore(backed.folder, hq.data_dir, NOW)
    assert hq_backup.restore(backed.folder, hq.data_dir, NOW).set_aside is not None


def test_backup_problems_are_said_plainly(tmp_path, hq):
    with pytest.raises(hq_backup.BackupError, match="no headquarters database"):
        hq_backup.backup(tmp_path / "empty", tmp_path / "backups", NOW)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(hq_backup.BackupError, match="could not be written") as refused:
        hq_backup.backup(hq.data_dir, blocked, NOW)
    assert "nothing was kept" in str(refused.value)
    if os.geteuid() != 0:  # root writes anywhere
        read_only = tmp_path / "read-only"
        read_only.mkdir(mode=0o500)
        with pytest.raises(hq_backup.BackupError, match="could not be written"):
            hq_backup.backup(hq.data_dir, read_only, NOW)
