"""`numeribus-sync catalogue import|stats`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from numeribus_kiosk.catalogue.demo import demo_catalogue_path
from sync.cli import main
from sync.server import publish, snapshots
from sync.server.state import HQ
from tests.sync.commands.cli_runner import run

CSV = "id;title;year;copies\nC1;Le Petit Nicolas;2013;NUMERIBUS|1|R GOS\nC2;Les fourmis;1991;\n"


def open_hq(hq_dir: Path) -> HQ:
    return HQ(hq_dir)


def test_import_publishes_the_records_the_lists_and_a_snapshot(hq_dir, capsys):
    status, out, _ = run(hq_dir, capsys, "catalogue", "import", str(demo_catalogue_path()), "--json")
    assert status == 0
    data = json.loads(out)
    assert (data["read"], data["imported"], data["added"], data["changed"]) == (3000, 3000, 3000, True)
    assert data["version"] == 3000 + 7  # the records, then the seven lists
    assert data["snapshot_version"] == data["version"]
    hq = open_hq(hq_dir)
    try:
        db = hq.db()
        assert publish.count_live(db, "record") == 3000
        assert publish.count_live(db, "list") == 7
        assert snapshots.latest_snapshot(db).version == data["version"]
    finally:
        hq.close()
    status, out, _ = run(hq_dir, capsys, "catalogue", "import", str(demo_catalogue_path()), "--json")
    again = json.loads(out)
    assert status == 0 and again["changed"] is False and again["unchanged"] == 3000
    assert again["version"] == data["version"]


def test_import_text_report(hq_dir, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(CSV + ";sans id;;\n", encoding="utf-8")
    status, out, _ = run(hq_dir, capsys, "catalogue", "import", str(path))
    assert status == 0
    assert "Read 3 records from 1 file(s)." in out
    assert "Published: 2 added, 0 updated, 0 removed, 0 unchanged" in out
    assert "Skipped 1 records:" in out
    path.write_text(CSV.replace("1991", "1992"), encoding="utf-8")
    status, out, _ = run(hq_dir, capsys, "catalogue", "import", str(path))
    assert "Published: 0 added, 1 updated, 0 removed, 1 unchanged" in out
    status, out, _ = run(hq_dir, capsys, "catalogue", "import", str(path))
    assert "Nothing changed" in out


def test_import_errors_are_one_sentence_and_change_nothing(hq_dir, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    run(hq_dir, capsys, "catalogue", "import", str(path))
    status, out, err = run(hq_dir, capsys, "catalogue", "import", str(path), str(tmp_path / "missing.mrc"))
    assert status == 1
    assert err.startswith("numeribus-sync: catalogue file not found") and "kept" in err
    assert "Traceback" not in err
    status, out, _ = run(hq_dir, capsys, "catalogue", "stats", "--json")
    assert json.loads(out)["records"] == 2


def test_stats(hq_dir, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    run(hq_dir, capsys, "catalogue", "import", str(path))
    path.write_text(CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n", encoding="utf-8")
    run(hq_dir, capsys, "catalogue", "import", str(path), "--format", "csv")
    status, out, _ = run(hq_dir, capsys, "catalogue", "stats", "--json")
    stats = json.loads(out)
    assert status == 0
    assert stats["records"] == 1 and stats["tombstones"] == 1
    assert stats["snapshot_version"] == stats["version"]
    assert stats["imported_at"]
    status, out, _ = run(hq_dir, capsys, "catalogue", "stats")
    assert "records: 1" in out


def test_bare_catalogue_prints_its_help(hq_dir, capsys):
    assert main(["--data-dir", str(hq_dir), "catalogue"]) == 2
    assert "import" in capsys.readouterr().err


def test_the_real_command_in_a_subprocess(hq_dir, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    script = Path(sys.executable).with_name("numeribus-sync")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sync.cli"]
    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_SYNC_DATA_DIR"}
    done = subprocess.run(
        [*command, "--data-dir", str(hq_dir), "catalogue", "import", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == 2
