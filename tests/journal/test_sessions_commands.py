import argparse
import csv
import io
import json
import sys

import pytest

from numeribus_kiosk import cli
from numeribus_kiosk.cli import CommandError
from numeribus_kiosk.journal import commands, sessions
from tests.conftest import run_kiosk

SESSION = {
    "started_at": "2026-11-26T14:00:00+01:00",
    "duration_min": 90,
    "place": "Salle des fêtes, Murat",
    "activity": "café tablette",
    "publics": ["seniors / EHPAD", "tout public"],
    "participants": 12,
    "partner": None,
    "equipment": ["tablettes x6"],
    "mediator": "Camille",
    "notes": "",
}


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir")
    commands.add_commands(p.add_subparsers(dest="command"))
    return p


def run(data_dir, *argv, stdin: bytes | None = None, monkeypatch=None):
    args = parser().parse_args(["--data-dir", str(data_dir), *argv])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    return args.handler(args)


def listed(data_dir, capsys, *extra):
    capsys.readouterr()
    assert run(data_dir, "journal", "list", "--json", *extra) == 0
    return json.loads(capsys.readouterr().out)


def test_add_from_file_then_list(data_dir, tmp_path, capsys):
    source = tmp_path / "session.json"
    source.write_text(json.dumps(SESSION), encoding="utf-8")
    assert run(data_dir, "journal", "add", "--json", str(source)) == 0
    new_id = json.loads(capsys.readouterr().out)["id"]
    [item] = listed(data_dir, capsys)
    assert item["id"] == new_id
    for key, value in SESSION.items():
        assert item[key] == value
    run(data_dir, "journal", "list")
    text = capsys.readouterr().out
    assert new_id in text and "café tablette" in text and "12 participant(s)" in text


def test_add_from_stdin_with_bom(data_dir, capsys, monkeypatch):
    stdin = b"\xef\xbb\xbf" + json.dumps(SESSION, ensure_ascii=False).encode("utf-8")
    assert run(data_dir, "journal", "add", "--json", "-", stdin=stdin, monkeypatch=monkeypatch) == 0
    assert len(listed(data_dir, capsys)) == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not json", "Not valid JSON"),
        (b"[1, 2]", "one JSON object"),
        (json.dumps({**SESSION, "participants": -2}).encode(), "participants must be at least 0"),
        (json.dumps({k: v for k, v in SESSION.items() if k != "participants"}).encode(), "missing field"),
        (json.dumps({**SESSION, "started_at": "2026-11-26T14:00"}).encode(), "started_at must include its UTC offset"),
        (json.dumps({**SESSION, "started_at": "soon"}).encode(), "started_at is not a valid"),
        (json.dumps({**SESSION, "extra": 1}).encode(), "unknown field"),
        (b'{"participants": NaN}', "NaN is not a number"),
        (b'{"place": "a", "place": "b"}', "appears twice"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(data_dir, capsys, monkeypatch, payload, message):
    with pytest.raises(CommandError, match=message):
        run(data_dir, "journal", "add", "--json", "-", stdin=payload, monkeypatch=monkeypatch)
    assert not (data_dir / "journal.db").exists()


def test_missing_file(data_dir, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(data_dir, "journal", "add", "--json", str(tmp_path / "absent.json"))


def test_list_hides_tombstones_unless_asked(data_dir, capsys):
    db = commands.open_sessions_db(data_dir)
    kept = sessions.add_session(db, SESSION)
    gone = sessions.add_session(db, {**SESSION, "activity": "jeux vidéo"})
    sessions.delete_session(db, gone.id)
    db.close()
    assert [item["id"] for item in listed(data_dir, capsys)] == [kept.id]
    everything = listed(data_dir, capsys, "--include-deleted")
    assert [(item["id"], item["deleted"]) for item in everything] == [(kept.id, False), (gone.id, True)]


def test_empty_list(data_dir, capsys):
    assert listed(data_dir, capsys) == []


def test_export_csv(data_dir, tmp_path, capsys):
    db = commands.open_sessions_db(data_dir)
    first = sessions.add_session(db, {**SESSION, "notes": '=HYPERLINK("x")\nligne 2', "partner": "Mairie; CCAS"})
    gone = sessions.add_session(db, SESSION)
    sessions.delete_session(db, gone.id)
    db.close()
    out = tmp_path / "sessions.csv"
    assert run(data_dir, "journal", "export", "--format", "csv", "--out", str(out)) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == list(commands.CSV_COLUMNS)
    assert len(rows) == 2  # the tombstone is not exported
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == first.id
    assert row["publics"] == "seniors / EHPAD, tout public"
    assert row["participants"] == "12"
    assert row["partner"] == "Mairie; CCAS"
    assert row["notes"] == '\'=HYPERLINK("x")\nligne 2'  # no formula for the spreadsheet
    assert "1 session(s)" in capsys.readouterr().err


def test_export_into_a_folder_is_refused(data_dir, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        run(data_dir, "journal", "export", "--format", "csv", "--out", str(tmp_path))


def test_export_format_is_checked():
    with pytest.raises(SystemExit):
        parser().parse_args(["journal", "export", "--format", "xls", "--out", "x"])


# --- the real command -------------------------------------------------------------------------


def _wired() -> bool:
    for action in cli.build_parser()._subparsers._group_actions:
        if isinstance(action, argparse._SubParsersAction) and "journal" in action.choices:
            return True
    return False


needs_cli = pytest.mark.skipif(not _wired(), reason="not wired into cli.py yet")


@needs_cli
def test_real_command_add_and_list(data_dir):
    result = run_kiosk("journal", "add", "--json", "-", data_dir=data_dir, input=json.dumps(SESSION))
    assert result.returncode == 0, result.stderr
    new_id = json.loads(result.stdout)["id"]
    result = run_kiosk("journal", "list", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert [item["id"] for item in json.loads(result.stdout)] == [new_id]


@needs_cli
@pytest.mark.parametrize(
    "payload",
    ["{not json", json.dumps({**SESSION, "participants": -1}), json.dumps({**SESSION, "started_at": "2026-11-26"})],
)
def test_real_command_refuses_bad_input(data_dir, payload):
    result = run_kiosk("journal", "add", "--json", "-", data_dir=data_dir, input=payload)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("numeribus-kiosk: ")
    assert "Traceback" not in result.stderr
    assert not (data_dir / "journal.db").exists()


def test_export_ods(data_dir, tmp_path):
    import zipfile
    from xml.etree import ElementTree

    db = commands.open_sessions_db(data_dir)
    first = sessions.add_session(db, {**SESSION, "notes": "a < b & c\nligne 2", "partner": "=1+1"})
    db.close()
    out = tmp_path / "sessions.ods"
    assert run(data_dir, "journal", "export", "--format", "ods", "--out", str(out)) == 0
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        ElementTree.fromstring(archive.read("META-INF/manifest.xml"))
        root = ElementTree.fromstring(archive.read("content.xml"))
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    }
    rows = root.findall(".//table:table-row", ns)

    def texts(row):
        cells = row.findall("table:table-cell", ns)
        return ["\n".join(p.text or "" for p in cell.findall("text:p", ns)) for cell in cells]

    assert texts(rows[0]) == list(commands.CSV_COLUMNS)
    values = dict(zip(commands.CSV_COLUMNS, texts(rows[1]), strict=True))
    assert values["id"] == first.id
    assert values["notes"] == "a < b & c\nligne 2"
    assert values["partner"] == "=1+1"  # a typed string cell, never a formula
    cells = rows[1].findall("table:table-cell", ns)
    participants = cells[commands.CSV_COLUMNS.index("participants")]
    assert participants.get(f"{{{ns['office']}}}value-type") == "float"
    assert participants.get(f"{{{ns['office']}}}value") == "12"
