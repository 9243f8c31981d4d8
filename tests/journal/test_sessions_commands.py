import argparse
import csv
import io
import json
import sys

import pytest

from numeribus_kiosk import cli
from numeribus_kiosk.cli import CommandError
from numeribus_kiosk.journal import commands, export, sessions, survey
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
    assert rows[0] == list(export.export_columns(survey.load_mapping(survey.DEFAULT_MAPPING)))
    assert len(rows) == 2  # the tombstone is not exported
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == first.id
    assert row["publics"] == "seniors / EHPAD, tout public"
    assert row["participants"] == "12"
    assert row["partner"] == "Mairie; CCAS"
    assert row["notes"] == '\'=HYPERLINK("x")\nligne 2'  # no formula for the spreadsheet
    assert row["survey_personnes_agees"] == "12" and row["survey_jeunesse"] == "0"
    assert "1 session(s) (all dates)" in capsys.readouterr().err


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
    sheets = root.findall(".//table:table", ns)
    assert [sheet.get(f"{{{ns['table']}}}name") for sheet in sheets] == ["sessions", "Enquête annuelle"]
    rows = sheets[0].findall("table:table-row", ns)

    def texts(row):
        cells = row.findall("table:table-cell", ns)
        return ["\n".join(p.text or "" for p in cell.findall("text:p", ns)) for cell in cells]

    columns = export.export_columns(survey.load_mapping(survey.DEFAULT_MAPPING))
    assert texts(rows[0]) == list(columns)
    values = dict(zip(columns, texts(rows[1]), strict=True))
    assert values["id"] == first.id
    assert values["notes"] == "a < b & c\nligne 2"
    assert values["partner"] == "=1+1"  # a typed string cell, never a formula
    cells = rows[1].findall("table:table-cell", ns)
    participants = cells[columns.index("participants")]
    assert participants.get(f"{{{ns['office']}}}value-type") == "float"
    assert participants.get(f"{{{ns['office']}}}value") == "12"


# --- periods, the survey mapping, journal survey ----------------------------------------------

MAPPING = """
[[category]]
id = "numerique"
label = "Médiation numérique"
activities = ["café tablette"]

[[category]]
id = "partenaires"
label = "Avec un partenaire"
with_partner = true
"""


def add_around_november(data_dir) -> dict[str, str]:
    db = commands.open_sessions_db(data_dir)
    ids = {}
    for key, started, extra in [
        ("oct", "2026-10-31T23:30:00+01:00", {}),
        ("nov1", "2026-11-01T00:10:00+01:00", {"activity": "jeux vidéo", "publics": ["enfants"], "participants": 5}),
        ("nov30", "2026-11-30T23:30:00-05:00", {"partner": "ADAPEI", "publics": ["malvoyants"], "participants": 4}),
        ("dec", "2026-12-01T00:15:00+02:00", {}),
    ]:
        ids[key] = sessions.add_session(db, {**SESSION, "started_at": started, **extra}).id
    db.close()
    return ids


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ["oct", "nov1", "dec", "nov30"]),  # in the order they started: "dec" began 6 h 15 min earlier
        (["--month", "2026-11"], ["nov1", "nov30"]),
        (["--month", "2026-10"], ["oct"]),
        (["--from", "2026-11-30"], ["dec", "nov30"]),
        (["--to", "2026-10-31"], ["oct"]),
        (["--from", "2026-11-30", "--to", "2026-11-30"], ["nov30"]),
        (["--month", "2027-01"], []),
    ],
)
def test_list_and_export_by_period(data_dir, tmp_path, capsys, options, expected):
    ids = add_around_november(data_dir)
    names = {value: key for key, value in ids.items()}
    assert [names[item["id"]] for item in listed(data_dir, capsys, *options)] == expected
    out = tmp_path / "period.csv"
    assert run(data_dir, "journal", "export", "--out", str(out), *options) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert [names[row["id"]] for row in rows] == expected
    assert f"{len(expected)} session(s)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--month", "2026-13"], "'2026-13' is not a month: expected YYYY-MM"),
        (["--month", "novembre"], "is not a month"),
        (["--from", "2026-02-30"], "'2026-02-30' is not a date: expected YYYY-MM-DD"),
        (["--to", "30/11/2026"], "is not a date"),
    ],
)
def test_unreadable_period_is_a_usage_error(capsys, options, message):
    for command in ("list", "export", "survey"):
        extra = ["--out", "x.csv"] if command == "export" else []
        with pytest.raises(SystemExit) as caught:
            parser().parse_args(["journal", command, *extra, *options])
        assert caught.value.code == 2
        assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--month", "2026-11", "--from", "2026-11-02"], "--month cannot be combined with --from or --to"),
        (["--to", "2026-11-30", "--month", "2026-11"], "--month cannot be combined"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "--from 2026-11-30 is after --to 2026-11-01"),
    ],
)
def test_inconsistent_period_writes_nothing(data_dir, tmp_path, options, message):
    out = tmp_path / "x.csv"
    for argv in (["export", "--out", str(out)], ["list"], ["survey"]):
        with pytest.raises(CommandError, match=message):
            run(data_dir, "journal", *argv, *options)
    assert not out.exists() and not (data_dir / "journal.db").exists()


def test_survey_totals_json_and_text(data_dir, capsys):
    add_around_november(data_dir)
    capsys.readouterr()
    assert run(data_dir, "journal", "survey", "--month", "2026-11", "--json") == 0
    totals = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    default = survey.load_mapping(survey.DEFAULT_MAPPING)
    assert list(totals) == list(default.ids)
    assert all(set(item) == {"id", "label", "sessions", "participants"} for item in totals.values())
    assert totals["hors_les_murs"] == {
        "id": "hors_les_murs",
        "label": "Actions hors les murs",
        "sessions": 2,
        "participants": 9,
    }
    assert (totals["jeunesse"]["sessions"], totals["jeunesse"]["participants"]) == (1, 5)
    assert (totals["handicap"]["sessions"], totals["handicap"]["participants"]) == (1, 4)
    assert (totals["partenariats"]["sessions"], totals["partenariats"]["participants"]) == (1, 4)
    assert (totals["personnes_agees"]["sessions"], totals["personnes_agees"]["participants"]) == (0, 0)

    assert run(data_dir, "journal", "survey", "--from", "2026-12-01") == 0
    captured = capsys.readouterr()
    assert "Annual survey, from 2026-12-01" in captured.err
    line = next(line for line in captured.out.splitlines() if line.startswith("personnes_agees "))
    assert "1 session(s)" in line and "12 participant(s)" in line and "dont personnes âgées dépendantes" in line


def test_the_bus_mapping_then_the_mapping_option(data_dir, tmp_path, capsys):
    add_around_november(data_dir)
    own = data_dir / "survey-mapping.toml"
    own.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "own.csv"
    capsys.readouterr()
    assert run(data_dir, "journal", "export", "--month", "2026-11", "--out", str(out)) == 0
    assert f"survey categories from {own}" in capsys.readouterr().err
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header[-2:] == ["survey_numerique", "survey_partenaires"]
    assert len(header) == len(export.CSV_COLUMNS) + 2

    other = tmp_path / "other.toml"
    other.write_text('[[category]]\nid = "tout"\nlabel = "Tout"\nall = true\n', encoding="utf-8")
    assert run(data_dir, "journal", "survey", "--mapping", str(other), "--json") == 0
    assert json.loads(capsys.readouterr().out) == [{"id": "tout", "label": "Tout", "sessions": 4, "participants": 33}]


CONFIG = """
[bus]
code = "NB42"

[lists]
publics = ["enfants", "malvoyants", "seniors / EHPAD", "tout public"]

[[survey.category]]
id = "jeunes"
label = "Public jeunesse"
publics = ["Enfants"]

[branding]
name = "navette numérique"
article = "la"

[[survey.category]]
id = "handicap"
label = "Personnes en situation de handicap"
publics = ["malvoyants"]

[[survey.category]]
id = "tout"
label = "Toutes les séances"
all = true
"""


def test_config_toml_categories_in_the_export_and_the_totals(data_dir, tmp_path, capsys):
    """config.toml's [[survey.category]] make the export's columns and sheet, over the bus's survey-mapping.toml."""
    ids = add_around_november(data_dir)
    config, own = data_dir / "config.toml", data_dir / "survey-mapping.toml"
    config.write_text(CONFIG, encoding="utf-8")
    own.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "novembre.csv"
    capsys.readouterr()
    assert run(data_dir, "journal", "export", "--month", "2026-11", "--out", str(out)) == 0
    note = f"survey categories from {config} ([[survey.category]]; {own} is not used)"
    assert capsys.readouterr().err.strip() == f"2 session(s) (2026-11) written to {out}; {note}"
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][-3:] == ["survey_jeunes", "survey_handicap", "survey_tout"] and "survey_numerique" not in rows[0]
    by_id = {row[0]: row[-3:] for row in rows[1:]}
    assert by_id == {ids["nov1"]: ["5", "0", "5"], ids["nov30"]: ["0", "4", "4"]}

    ods = tmp_path / "novembre.ods"
    assert run(data_dir, "journal", "export", "--format", "ods", "--month", "2026-11", "--out", str(ods)) == 0
    import zipfile

    with zipfile.ZipFile(ods) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert 'table:name="Enquête annuelle"' in content and "Personnes en situation de handicap" in content

    capsys.readouterr()
    assert run(data_dir, "journal", "survey", "--json") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": "jeunes", "label": "Public jeunesse", "sessions": 1, "participants": 5},
        {"id": "handicap", "label": "Personnes en situation de handicap", "sessions": 1, "participants": 4},
        {"id": "tout", "label": "Toutes les séances", "sessions": 4, "participants": 33},
    ]
    assert run(data_dir, "journal", "survey", "--month", "2026-11") == 0
    assert capsys.readouterr().err.strip() == f"Annual survey, 2026-11; {note}:"


@pytest.mark.parametrize("command", ["export", "survey"])
def test_a_bad_survey_part_of_config_toml_stops_before_anything_is_written(data_dir, tmp_path, command):
    config = data_dir / "config.toml"
    (data_dir / "survey-mapping.toml").write_text(MAPPING, encoding="utf-8")  # never used instead
    config.write_text(CONFIG.replace('publics = ["malvoyants"]', 'publics = "malvoyants"'), encoding="utf-8")
    out = tmp_path / "x.csv"
    extra = ["--out", str(out)] if command == "export" else []
    message = rf"Invalid survey mapping: {config}, line 20: publics \(category 'handicap'\) must be a list of texts"
    with pytest.raises(CommandError, match=message):
        run(data_dir, "journal", command, *extra)
    assert not out.exists() and not (data_dir / "journal.db").exists()


@pytest.mark.parametrize("command", ["export", "survey"])
def test_a_bad_mapping_stops_before_anything_is_written(data_dir, tmp_path, command):
    broken = tmp_path / "broken.toml"
    broken.write_text('[[category]]\nid = "a"\nlabel = "A"\nactivites = ["x"]\n', encoding="utf-8")
    out = tmp_path / "x.csv"
    extra = ["--out", str(out)] if command == "export" else []
    with pytest.raises(CommandError, match=r"Invalid survey mapping: .*broken.toml, line 4: unknown key 'activites'"):
        run(data_dir, "journal", command, *extra, "--mapping", str(broken))
    with pytest.raises(CommandError, match="absent.toml: no such file"):
        run(data_dir, "journal", command, *extra, "--mapping", str(tmp_path / "absent.toml"))
    assert not out.exists() and not (data_dir / "journal.db").exists()


def test_visitors_personal_data_never_reaches_an_export(data_dir, tmp_path):
    from numeribus_kiosk.journal import requests, visitor_schema

    db = commands.open_sessions_db(data_dir)
    visitor_schema.migrations.apply(db)
    requests.add_request(db, "rec-1", "Le Petit Prince", "Jeanne Dupont", "06 12 34 56 78", "Murat", True)
    sessions.add_session(db, SESSION)
    db.close()
    for fmt in ("csv", "ods"):
        out = tmp_path / f"all.{fmt}"
        assert run(data_dir, "journal", "export", "--format", fmt, "--out", str(out)) == 0
        content = out.read_bytes()
        if fmt == "ods":
            import zipfile

            with zipfile.ZipFile(out) as archive:
                content = archive.read("content.xml")
        assert b"Jeanne" not in content and b"06 12 34" not in content and b"Camille" in content


@needs_cli
def test_real_command_period_and_survey(data_dir, tmp_path):
    result = run_kiosk("journal", "add", "--json", "-", data_dir=data_dir, input=json.dumps(SESSION))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "x.ods"
    result = run_kiosk(
        "journal", "export", "--format", "ods", "--out", str(out), "--month", "2026-13", data_dir=data_dir
    )
    assert result.returncode == 2 and "is not a month" in result.stderr and not out.exists()
    result = run_kiosk("journal", "survey", "--month", "2026-11", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert {item["id"]: item["participants"] for item in json.loads(result.stdout)}["personnes_agees"] == 12
    broken = tmp_path / "broken.toml"
    broken.write_text("[[category]]\nid = 'a'\nlabel = 'A'\n", encoding="utf-8")
    result = run_kiosk("journal", "export", "--out", str(out), "--mapping", str(broken), data_dir=data_dir)
    assert result.returncode == 1 and not out.exists()
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"numeribus-kiosk: Invalid survey mapping: {broken}, line 1: category 'a' has no rule: "
        "give activities = [...], publics = [...], with_partner = true or all = true."
    ]


@needs_cli
def test_real_command_with_the_categories_of_config_toml(data_dir):
    result = run_kiosk("journal", "add", "--json", "-", data_dir=data_dir, input=json.dumps(SESSION))
    assert result.returncode == 0, result.stderr
    (data_dir / "config.toml").write_text(CONFIG, encoding="utf-8")
    result = run_kiosk("journal", "survey", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert [(item["id"], item["participants"]) for item in json.loads(result.stdout)] == [
        ("jeunes", 0),
        ("handicap", 0),
        ("tout", 12),
    ]
    (data_dir / "config.toml").write_text(CONFIG.replace("[[survey.category]]", "[[survey.categorie]]", 1))
    result = run_kiosk("journal", "survey", data_dir=data_dir)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"numeribus-kiosk: Invalid survey mapping: {data_dir / 'config.toml'}, line 8: unknown key 'categorie' "
        "in [survey]; it holds only [[survey.category]] tables."
    ]


def test_export_into_a_missing_folder_is_refused(data_dir, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot write .*absent: the folder or drive is not available"):
        run(data_dir, "journal", "export", "--out", str(tmp_path / "absent" / "x.csv"))
    assert not (tmp_path / "absent").exists()
