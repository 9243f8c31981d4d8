"""`numeribus-sync backup` and `restore`: in process, and against the real `serve` holding its lock."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from sync.server.state import HQ
from tests.sync.commands.cli_runner import run
from tests.sync.commands.test_serve_command import start_serve, wait_for_health
from tests.sync.live import free_loopback_port


def test_backup_then_restore(hq_dir, tmp_path, capsys):
    HQ(hq_dir).close()
    status, out, err = run(hq_dir, capsys, "backup", str(tmp_path / "backups"), "--json", "--keep", "3")
    assert status == 0, err
    written = json.loads(out)
    assert set(written["files"]) == {"hq.db", "hq-key.pem"} and written["deleted"] == []
    status, out, err = run(hq_dir, capsys, "restore", written["folder"])
    assert status == 0, err
    assert out.startswith(f"Restored the backup of {written['created_at']} into {hq_dir}.")
    assert "What was there before is kept in" in out


def test_plain_sentences(hq_dir, tmp_path, capsys):
    status, out, err = run(hq_dir, capsys, "backup", str(tmp_path / "backups"))
    assert status == 1 and err.startswith("numeribus-sync: There is no headquarters database to back up")
    status, out, err = run(hq_dir, capsys, "restore", str(tmp_path / "nowhere"))
    assert status == 1 and "is not a folder" in err and len(err.strip().splitlines()) == 1


def test_the_running_service_holds_its_folder(hq_dir, tmp_path, capsys):
    HQ(hq_dir).close()
    status, out, _ = run(hq_dir, capsys, "backup", str(tmp_path / "backups"), "--json")
    first = json.loads(out)["folder"]
    port = free_loopback_port()
    serve = start_serve(tmp_path, port, "--no-announce")  # tmp_path / "hq" is hq_dir
    try:
        wait_for_health(f"http://127.0.0.1:{port}", serve)
        # an online backup while it serves
        time.sleep(1.1)  # backups are named to the second
        status, out, err = run(hq_dir, capsys, "backup", str(tmp_path / "backups"), "--keep", "1")
        assert status == 0 and out.startswith("Backup written:"), err
        assert f"Older backups deleted: {Path(first).name}." in out
        folder = out.split("Backup written: ", 1)[1].split(" (", 1)[0]
        # no restore under it
        status, out, err = run(hq_dir, capsys, "restore", folder)
        assert status == 1 and "The headquarters service is running" in err and "systemctl stop" in err
        # and no second serve on the same folder
        second = start_serve(tmp_path, free_loopback_port(), "--no-announce")
        _, second_err = second.communicate(timeout=120)
        assert second.returncode == 1 and "already being served" in second_err and "Traceback" not in second_err
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.communicate()
    assert serve.returncode == 0
