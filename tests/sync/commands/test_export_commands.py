"""`numeribus-sync export sessions|survey` on a headquarters database fed by real bus journals."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from numeribus_kiosk.journal import export as kiosk_export
from numeribus_kiosk.journal import sessions, survey
from sync.cli import main
from sync.server import events
from tests.sync.bus_journal import NOW, BusJournal, enrol_directly

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def hq_dir(hq, tmp_path):
    """A headquarters data folder holding sessions of two buses: (folder, {label: (bus name, Session)})."""
    one, two = BusJournal(tmp_path / "bus1"), BusJournal(tmp_path / "bus2")
    enrol_directly(hq, "Bus 1", one.device_id)
    enrol_directly(hq, "Bus 2", two.device_id)
    made = {
        "october": ("Bus 1", one.add_session(started_at="2026-10-15T10:00:00+02:00", publics=["enfants"])),
        "november": ("Bus 1", one.add_session()),
        "late": (
            "Bus 2",
            two.add_session(started_at="2026-11-30T23:30:00-05:00", participants=4, participants_by_age=None),
        ),
        "deleted": ("Bus 2", two.add_session(started_at="2026-11-12T10:00:00+01:00")),
    }
    sessions.delete_session(two.db, made["deleted"][1].id, now=NOW)
    for journal in (one, two):
        events.ingest(hq.db(), journal.device_id, journal.pending(), hq.now())
        journal.close()
    hq.close()
    return hq.data_dir, made


def run(data_dir, *args):
    return main(["--data-dir", str(data_dir), "export", *args])


def test_sessions_json(hq_dir, capsys):
    data_dir, made = hq_dir
    assert run(data_dir, "sessions", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    expected = [made[k] for k in ("october", "november", "late")]
    assert found == [{"device": name, "id": s.id, **s.data()} for name, s in expected]
    assert all(list(row) == ["device", "id", *sessions.FIELDS] for row in found)


def test_sessions_json_of_a_month_and_of_days(hq_dir, capsys):
    data_dir, made = hq_dir
    assert run(data_dir, "sessions", "--json", "--month", "2026-11") == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == [
        made["november"][1].id,
        made["late"][1].id,
    ]
    assert run(data_dir, "sessions", "--json", "--from", "2026-10-01", "--to", "2026-11-26") == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == [
        made["october"][1].id,
        made["november"][1].id,
    ]
    assert run(data_dir, "sessions", "--json", "--from", "2027-01-01") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_sessions_csv_file(hq_dir, tmp_path, capsys):
    data_dir, made = hq_dir
    out = tmp_path / "novembre.csv"
    assert run(data_dir, "sessions", "--format", "csv", "--out", str(out), "--month", "2026-11") == 0
    assert capsys.readouterr().err.strip() == f"2 session(s) (2026-11) written to {out}"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    mapping = survey.load_mapping(survey.DEFAULT_MAPPING)
    assert rows[0] == ["device", *kiosk_export.export_columns(mapping)]
    assert [(row[0], row[1]) for row in rows[1:]] == [("Bus 1", made["november"][1].id), ("Bus 2", made["late"][1].id)]
    assert rows[2][rows[0].index("participants")] == "4"


def test_sessions_csv_is_the_default_format_and_ods_works(hq_dir, tmp_path):
    data_dir, _ = hq_dir
    assert run(data_dir, "sessions", "--out", str(tmp_path / "all.csv")) == 0
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbfdevice;id;")
    assert run(data_dir, "sessions", "--format", "ods", "--out", str(tmp_path / "all.ods")) == 0
    with zipfile.ZipFile(tmp_path / "all.ods") as archive:
        xml = archive.read("content.xml").decode("utf-8")
    assert "<text:p>device</text:p>" in xml and 'table:name="Enquête annuelle"' in xml


def test_a_mapping_file_chooses_the_survey_columns(hq_dir, tmp_path, capsys):
    data_dir, _ = hq_dir
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[[category]]\nid = "jeunes"\nlabel = "Jeunes"\npublics = ["enfants"]\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run(data_dir, "sessions", "--out", str(out), "--mapping", str(mapping)) == 0
    assert f"survey categories from {mapping}" in capsys.readouterr().err
    header = out.read_bytes().decode("utf-8-sig").split("\r\n")[0]
    assert header.endswith(";version;survey_jeunes")


TERRITORY = """
[server]
port = 8470

[branding]
name = "navette numérique"
article = "la"
logo = "navette.png"

[[survey.category]]
id = "jeunes"
label = "Public jeunesse"
publics = ["enfants"]

[sync]
discovery = false

[[survey.category]]
id = "partenariats"
label = "Actions en partenariat"
with_partner = true
"""


def test_config_toml_categories_make_the_export_and_the_totals(hq_dir, tmp_path, capsys):
    """config.toml's [[survey.category]] over headquarters' survey-mapping.toml, said on stderr."""
    data_dir, made = hq_dir
    config, own = data_dir / "config.toml", data_dir / survey.MAPPING_FILE
    config.write_text(TERRITORY, encoding="utf-8")
    own.write_text('[[category]]\nid = "tout"\nlabel = "Tout"\nall = true\n', encoding="utf-8")
    note = f"survey categories from {config} ([[survey.category]]; {own} is not used)"
    out = tmp_path / "all.csv"
    assert run(data_dir, "sessions", "--out", str(out)) == 0
    assert capsys.readouterr().err.strip() == f"3 session(s) (all dates) written to {out}; {note}"
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][0] == "device" and rows[0][-2:] == ["survey_jeunes", "survey_partenariats"]
    assert "survey_tout" not in rows[0]
    columns = {row[1]: row[-2:] for row in rows[1:]}  # id -> (jeunes, partenariats)
    assert columns == {
        made["october"][1].id: ["8", "8"],  # enfants, with the EHPAD partner
        made["november"][1].id: ["0", "8"],
        made["late"][1].id: ["0", "4"],
    }
    ods = tmp_path / "all.ods"
    assert run(data_dir, "sessions", "--format", "ods", "--out", str(ods)) == 0
    with zipfile.ZipFile(ods) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    assert 'table:name="Enquête annuelle"' in xml and "Actions en partenariat" in xml
    capsys.readouterr()
    assert run(data_dir, "survey", "--json") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": "jeunes", "label": "Public jeunesse", "sessions": 1, "participants": 8},
        {"id": "partenariats", "label": "Actions en partenariat", "sessions": 3, "participants": 20},
    ]
    assert run(data_dir, "survey") == 0
    assert capsys.readouterr().err.strip() == f"Annual survey, all buses, all dates; {note}:"


def test_a_broken_survey_part_of_config_toml_is_refused(hq_dir, tmp_path, capsys):
    data_dir, _ = hq_dir
    (data_dir / "config.toml").write_text(TERRITORY.replace('id = "jeunes"', 'id = "jeunes"\nid = "x"'))
    out = tmp_path / "x.csv"
    assert run(data_dir, "sessions", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"numeribus-sync: Invalid survey mapping: {data_dir / 'config.toml'}, line 12: not valid TOML"
    )
    assert not out.exists()


def test_survey_json_and_text(hq_dir, capsys):
    data_dir, made = hq_dir
    assert run(data_dir, "survey", "--json", "--month", "2026-11") == 0
    totals = json.loads(capsys.readouterr().out)
    mapping = survey.load_mapping(survey.DEFAULT_MAPPING)
    expected = survey.survey_totals([made["november"][1], made["late"][1]], mapping)
    assert totals == [total._asdict() for total in expected]
    assert run(data_dir, "survey") == 0
    captured = capsys.readouterr()
    assert "Annual survey, all buses, all dates" in captured.err
    lines = captured.out.splitlines()
    assert len(lines) == len(mapping.categories)
    assert lines[0].split()[:3] == ["action_culturelle", "3", "session(s)"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("sessions",), "--out FILE"),
        (("sessions", "--json", "--out", "x.csv"), "either --json or --out"),
        (("sessions", "--json", "--format", "csv"), "either --json or --out"),
        (("sessions", "--json", "--month", "2026-11", "--from", "2026-11-01"), "--month cannot be combined"),
        (("survey", "--from", "2026-11-20", "--to", "2026-11-01"), "is after --to"),
        (("survey", "--mapping", "missing.toml"), "Invalid survey mapping"),
    ],
)
def test_user_errors_are_one_sentence_and_write_nothing(hq_dir, tmp_path, capsys, monkeypatch, args, message):
    data_dir, _ = hq_dir
    monkeypatch.chdir(tmp_path)
    assert run(data_dir, *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("numeribus-sync: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()


def test_an_out_folder_and_a_missing_database_are_refused(hq_dir, tmp_path, capsys):
    data_dir, _ = hq_dir
    assert run(data_dir, "sessions", "--out", str(tmp_path)) == 1
    assert "is a folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    assert run(empty, "sessions", "--json") == 1
    assert "no hq.db" in capsys.readouterr().err
    assert not empty.exists()  # an export never creates a database


def test_bad_period_values_are_command_line_errors(hq_dir, capsys):
    data_dir, _ = hq_dir
    with pytest.raises(SystemExit) as exited:
        run(data_dir, "sessions", "--json", "--month", "2026-13")
    assert exited.value.code == 2
    assert "--month" in capsys.readouterr().err


def test_bare_export_prints_its_help(capsys, tmp_path):
    assert main(["--data-dir", str(tmp_path), "export"]) == 2
    assert "sessions" in capsys.readouterr().err


def test_the_installed_command_runs(hq_dir):
    data_dir, made = hq_dir
    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_SYNC_DATA_DIR"}
    done = subprocess.run(
        [sys.executable, "-m", "sync.cli", "--data-dir", str(data_dir), "export", "sessions", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
