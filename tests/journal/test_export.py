import csv
import errno
import io
import os
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest

from numeribus_kiosk.journal import export, requests, sessions, survey
from numeribus_kiosk.journal.export import ExportError, sessions_in_period
from numeribus_kiosk.journal.requests import JournalError

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
BASE = {
    "started_at": "2026-11-26T14:00:00+01:00",
    "duration_min": 90,
    "place": "Salle des fêtes, Murat",
    "activity": "café tablette",
    "publics": ["seniors / EHPAD"],
    "participants": 12,
    "mediator": "Camille",
}


def make(session_id="s", **overrides) -> sessions.Session:
    data = sessions.validate({**BASE, **overrides})
    data["publics"], data["equipment"] = tuple(data["publics"]), tuple(data["equipment"])
    stamp = "2026-11-26T16:00:00+00:00"
    return sessions.Session(id=session_id, **data, created_at=stamp, updated_at=stamp)


@pytest.fixture(scope="module")
def mapping():
    return survey.load_mapping(survey.DEFAULT_MAPPING)


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11", (date(2026, 11, 1), date(2026, 11, 30))),
        ("2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
        ("2028-02", (date(2028, 2, 1), date(2028, 2, 29))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
        (" 2026-01 ", (date(2026, 1, 1), date(2026, 1, 31))),
    ],
)
def test_parse_month(text, expected):
    assert export.parse_month(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "novembre", "2026-11-01", "", "0000-01"])
def test_bad_months(text):
    with pytest.raises(JournalError, match="is not a month: expected YYYY-MM"):
        export.parse_month(text)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "20261126", "2026-11-26T10:00", "26/11/2026", ""])
def test_bad_days(text):
    with pytest.raises(JournalError, match="is not a date: expected YYYY-MM-DD"):
        export.parse_day(text)


def test_period():
    assert export.period() == (None, None)
    assert export.period(month="2026-11") == (date(2026, 11, 1), date(2026, 11, 30))
    assert export.period(date_from="2026-11-05") == (date(2026, 11, 5), None)
    assert export.period(date_to=date(2026, 11, 5)) == (None, date(2026, 11, 5))
    assert export.period(date_from="2026-11-05", date_to="2026-11-05") == (date(2026, 11, 5), date(2026, 11, 5))
    with pytest.raises(JournalError, match="not both"):
        export.period(month="2026-11", date_to="2026-11-05")
    with pytest.raises(JournalError, match=r"starts \(2026-11-06\) after it ends \(2026-11-05\)"):
        export.period(date_from="2026-11-06", date_to="2026-11-05")


def test_period_label():
    assert export.period_label(None, None) == "all dates"
    assert export.period_label(*export.parse_month("2026-02")) == "2026-02"
    assert export.period_label(date(2026, 2, 1), date(2026, 2, 27)) == "2026-02-01 to 2026-02-27"
    assert export.period_label(date(2026, 2, 1), date(2026, 3, 31)) == "2026-02-01 to 2026-03-31"
    assert export.period_label(date(2026, 2, 3), date(2026, 2, 3)) == "2026-02-03"
    assert export.period_label(date(2026, 2, 3), None) == "from 2026-02-03"
    assert export.period_label(None, date(2026, 2, 3)) == "until 2026-02-03"


def test_month_boundaries_use_each_sessions_own_offset():
    found = [
        make("oct-last", started_at="2026-10-31T23:59:00+01:00"),  # 22:59 UTC, October
        make("nov-first-utc-oct", started_at="2026-11-01T00:30:00+01:00"),  # 23:30 UTC on 31 Oct
        make("nov-last-utc-dec", started_at="2026-11-30T23:30:00-05:00"),  # 04:30 UTC on 1 Dec
        make("dec-first-utc-nov", started_at="2026-12-01T00:15:00+02:00"),  # 22:15 UTC on 30 Nov
        make("nov-mid", started_at="2026-11-15T10:00:00Z"),
    ]
    november = sessions_in_period(found, *export.parse_month("2026-11"))
    assert [s.id for s in november] == ["nov-first-utc-oct", "nov-last-utc-dec", "nov-mid"]
    december = sessions_in_period(found, *export.parse_month("2026-12"))
    assert [s.id for s in december] == ["dec-first-utc-nov"]
    assert [s.id for s in sessions_in_period(found, date(2026, 11, 15), None)] == [
        "nov-last-utc-dec",
        "dec-first-utc-nov",
        "nov-mid",
    ]
    assert [s.id for s in sessions_in_period(found, None, date(2026, 10, 31))] == ["oct-last"]
    assert sessions_in_period(found, None, None) == found


# --- CSV --------------------------------------------------------------------------------------


def test_csv_has_one_column_per_category(mapping):
    found = [
        make("a", activity="atelier tablette", publics=["Seniors / Ehpad"], partner="EHPAD Les Tilleuls"),
        make("b", activity="jeux vidéo", publics=["adolescents"], participants=7, notes="=cmd|' /C calc'!A0"),
    ]
    rows = list(csv.reader(io.StringIO(export.csv_text(found, mapping), newline=""), delimiter=";"))
    header = rows[0]
    assert header == [*export.CSV_COLUMNS, *(f"survey_{category_id}" for category_id in mapping.ids)]
    first, second = (dict(zip(header, row, strict=True)) for row in rows[1:])
    assert first["survey_publics_empeches"] == "12" and first["survey_partenariats"] == "12"
    assert first["survey_jeunesse"] == "0" and first["survey_demarches_en_ligne"] == "0"
    assert second["survey_jeunesse"] == "7" and second["survey_publics_empeches"] == "0"
    assert second["survey_partenariats"] == "0" and second["survey_hors_les_murs"] == "7"
    assert second["notes"] == "'=cmd|' /C calc'!A0"


def test_csv_without_a_mapping_keeps_the_session_columns():
    rows = list(csv.reader(io.StringIO(export.csv_text([make()])), delimiter=";"))
    assert rows[0] == list(export.CSV_COLUMNS)


def test_exports_hold_session_fields_only(mapping):
    """Visitors' personal data lives in other tables; the export is built from sessions alone."""
    columns = export.export_columns(mapping)
    assert set(columns) == {"id", *sessions.FIELDS, "created_at", "updated_at", "version"} | {
        f"survey_{category_id}" for category_id in mapping.ids
    }
    assert not set(requests.PERSONAL_FIELDS) & set(columns)


# --- ODS --------------------------------------------------------------------------------------


def read_ods(content: bytes):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.infolist()[0].filename == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        root = ElementTree.fromstring(archive.read("content.xml"))
    sheets = {}
    for table in root.findall(".//table:table", NS):
        rows = []
        for row in table.findall("table:table-row", NS):
            cells = []
            for cell in row.findall("table:table-cell", NS):
                if cell.get(f"{{{NS['office']}}}value-type") == "float":
                    cells.append(int(cell.get(f"{{{NS['office']}}}value")))
                else:
                    cells.append("\n".join(p.text or "" for p in cell.findall("text:p", NS)))
            rows.append(cells)
        sheets[table.get(f"{{{NS['table']}}}name")] = rows
    return sheets


def test_ods_second_sheet_holds_the_survey_totals(mapping):
    found = [
        make("a", activity="atelier tablette", publics=["seniors / EHPAD"], participants=8, partner="EHPAD"),
        make("b", activity="accompagnement aux démarches en ligne", publics=["adultes"], participants=3),
        make("c", activity="jeux vidéo", publics=["enfants", "personnes DYS"], participants=5),
    ]
    sheets = read_ods(export.ods_bytes(found, mapping))
    assert list(sheets) == ["sessions", "Enquête annuelle"]
    assert sheets["sessions"][0] == list(export.export_columns(mapping))
    assert [row[0] for row in sheets["sessions"][1:]] == ["a", "b", "c"]
    header, *totals = sheets["Enquête annuelle"]
    assert header == ["id", "label", "sessions", "participants"]
    by_id = {row[0]: row for row in totals}
    assert [row[0] for row in totals] == list(mapping.ids)
    assert by_id["action_culturelle"][1:] == ["Actions culturelles (animations, ateliers)", 2, 13]
    assert by_id["mediation_numerique"][2:] == [3, 16]
    assert by_id["demarches_en_ligne"][2:] == [1, 3]
    assert by_id["publics_empeches"][2:] == [2, 13]
    assert by_id["personnes_agees"][2:] == [1, 8]
    assert by_id["handicap"][2:] == [1, 5]
    assert by_id["jeunesse"][2:] == [1, 5]
    assert by_id["hors_les_murs"][2:] == [3, 16]
    assert by_id["partenariats"][2:] == [1, 8]
    # the per-session columns add up to the sheet's participants
    columns = sheets["sessions"][0]
    for category_id, row in by_id.items():
        index = columns.index(f"survey_{category_id}")
        assert sum(line[index] for line in sheets["sessions"][1:]) == row[3]


def test_ods_without_a_mapping_has_one_sheet():
    assert list(read_ods(export.ods_bytes([make()]))) == ["sessions"]


def test_export_bytes(mapping):
    assert export.export_bytes([make()], "csv", mapping).startswith(b"\xef\xbb\xbfid;")
    assert export.export_bytes([make()], "ods", mapping).startswith(b"PK")
    with pytest.raises(ValueError, match="unknown export format"):
        export.export_bytes([make()], "xls", mapping)


# --- atomic writes ----------------------------------------------------------------------------


def test_write_atomically_replaces_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "sessions.csv"
    export.write_atomically(path, b"first")
    export.write_atomically(path, b"second")
    assert path.read_bytes() == b"second"
    assert os.listdir(tmp_path) == ["sessions.csv"]


def test_a_missing_folder_is_reported(tmp_path):
    with pytest.raises(ExportError, match="is not available") as caught:
        export.write_atomically(tmp_path / "gone" / "sessions.csv", b"x")
    assert caught.value.reason == "gone"
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize(
    ("code", "reason", "words"),
    [
        (errno.ENOSPC, "full", "there is not enough space left"),
        (errno.EROFS, "read_only", "it is read-only"),
        (errno.EACCES, "not_allowed", "writing there is not allowed"),
        (errno.EIO, "gone", "the folder or drive is not available (removed?)"),
        (errno.EINTR, "failed", os.strerror(errno.EINTR)),
    ],
)
def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch, code, reason, words):
    path = tmp_path / "sessions.csv"
    export.write_atomically(path, b"previous")

    def failing_fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", failing_fsync)  # the disk fails while the new file is written
    with pytest.raises(ExportError) as caught:
        export.write_atomically(path, b"new")
    monkeypatch.undo()
    assert caught.value.reason == reason
    assert str(caught.value) == f"Cannot write {path}: {words}."
    assert path.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["sessions.csv"]  # the temp file is gone


def test_the_folder_is_synced_after_the_rename(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.path.realpath(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    path = tmp_path / "sessions.csv"
    export.write_atomically(path, b"x")
    assert len(synced) == 2
    assert synced[0].startswith(str(tmp_path / ".sessions.csv."))  # the temp file, before its rename
    assert synced[1] == str(tmp_path)
