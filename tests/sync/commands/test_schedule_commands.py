"""`numeribus-sync schedule import FILE.csv`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from numeribus_kiosk.catalogue.schedule import demo_dir
from sync.server import schedule, snapshots
from sync.server.state import HQ
from tests.sync.commands.cli_runner import run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "schedule"


def test_import_a_schedule_then_an_agenda(hq_dir, capsys):
    status, out, _ = run(hq_dir, capsys, "schedule", "import", str(demo_dir() / "schedule.csv"), "--json")
    assert status == 0
    data = json.loads(out)
    assert (data["what"], data["imported"], data["added"], data["changed"]) == ("schedule", 32, 32, True)
    status, out, _ = run(hq_dir, capsys, "schedule", "import", str(demo_dir() / "agenda.csv"))
    assert status == 0
    assert "21 workshops of the agenda" in out and "Published: 21 added" in out
    hq = HQ(hq_dir)
    try:
        assert len(schedule.passages(hq.db())) == 32 and len(schedule.workshops(hq.db())) == 21
        snapshot = snapshots.latest_snapshot(hq.db())
        assert snapshot.entities == 32 + 21 + 7
    finally:
        hq.close()
    status, out, _ = run(hq_dir, capsys, "schedule", "import", str(demo_dir() / "agenda.csv"))
    assert "Nothing changed" in out


def test_skipped_rows_are_reported(hq_dir, capsys):
    status, out, err = run(hq_dir, capsys, "schedule", "import", str(FIXTURES / "passages_bad_rows.csv"), "--json")
    assert status == 0
    data = json.loads(out)
    assert data["skipped"] and all({"line", "reason"} == set(s) for s in data["skipped"])
    status, out, err = run(hq_dir, capsys, "schedule", "import", str(FIXTURES / "passages_bad_rows.csv"))
    assert "Skipped line 3: bad date '03/03/2026'" in err


@pytest.mark.parametrize("name", ["passages_missing_column.csv", "passages_no_valid_row.csv", "missing.csv"])
def test_an_unusable_file_is_one_sentence_and_changes_nothing(hq_dir, capsys, name):
    run(hq_dir, capsys, "schedule", "import", str(demo_dir() / "schedule.csv"))
    status, _, err = run(hq_dir, capsys, "schedule", "import", str(FIXTURES / name))
    assert status == 1
    assert err.startswith("numeribus-sync: ") and err.strip().endswith("Nothing was changed.")
    assert "Traceback" not in err
    hq = HQ(hq_dir)
    try:
        assert len(schedule.passages(hq.db())) == 32
    finally:
        hq.close()
