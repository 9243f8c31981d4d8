"""sync.server.exports: every bus's sessions as JSON, CSV and ODS, and the annual survey's totals."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest

from numeribus_kiosk.journal import export as kiosk_export
from numeribus_kiosk.journal import sessions, survey
from sync.server import events, exports
from tests.sync.bus_journal import NOW, BusJournal, enrol_directly

MAPPING = survey.load_mapping(survey.DEFAULT_MAPPING)


@pytest.fixture
def buses(hq, tmp_path):
    """Two buses with sessions uploaded: (bus 1, bus 2, {label: Session})."""
    one, two = BusJournal(tmp_path / "bus1"), BusJournal(tmp_path / "bus2")
    enrol_directly(hq, "Bus 1", one.device_id)
    enrol_directly(hq, "Bus 2", two.device_id)
    made = {
        "october": one.add_session(
            started_at="2026-10-31T10:00:00+01:00",
            activity="jeux vidéo",
            publics=["ados"],
            participants_by_age=None,
            partner=None,
        ),
        "ehpad": one.add_session(),  # 2026-11-26 14:00+01:00, seniors, partner
        "late": two.add_session(
            started_at="2026-11-30T23:30:00-05:00",
            place="=cmd, Montbrison",
            publics=["tout public"],
            partner=None,
            notes="a\nb",
            participants=3,
            participants_by_age=None,
        ),
        "december": two.add_session(
            started_at="2026-12-01T09:00:00+01:00", participants=2, participants_by_age=None, partner=""
        ),
        "deleted": two.add_session(started_at="2026-11-10T09:00:00+01:00"),
    }
    made["ehpad"] = sessions.update_session(one.db, made["ehpad"].id, {"participants": 12}, now=NOW)
    sessions.delete_session(two.db, made["deleted"].id, now=NOW + timedelta(minutes=1))
    for journal in (one, two):
        events.ingest(hq.db(), journal.device_id, journal.pending(), hq.now())
    yield one, two, made
    one.close()
    two.close()


def test_sessions_as_dicts_hold_exactly_device_id_and_the_journal_add_fields(hq, buses):
    _, _, made = buses
    found = exports.sessions_as_dicts(hq.db())
    assert [row["id"] for row in found] == [made[k].id for k in ("october", "ehpad", "late", "december")]
    for row in found:
        assert list(row) == ["device", "id", *sessions.FIELDS]
    ehpad = found[1]
    assert ehpad == {
        "device": "Bus 1",
        "id": made["ehpad"].id,
        **made["ehpad"].data(),
    }
    assert ehpad["participants"] == 12 and ehpad["publics"] == ["seniors / EHPAD"]
    assert [row["device"] for row in found] == ["Bus 1", "Bus 1", "Bus 2", "Bus 2"]
    # a JSON session is accepted back by `journal add` once device and id are taken away
    for row in found:
        assert sessions.validate({k: v for k, v in row.items() if k not in ("device", "id")}) == {
            k: row[k] for k in sessions.FIELDS
        }


def test_periods_use_the_day_in_the_sessions_own_offset(hq, buses):
    _, _, made = buses
    november = kiosk_export.parse_month("2026-11")
    assert [row["id"] for row in exports.sessions_as_dicts(hq.db(), *november)] == [
        made["ehpad"].id,
        made["late"].id,  # 30 November 23:30 -05:00 is 1 December in UTC
    ]
    assert [row["id"] for row in exports.sessions_as_dicts(hq.db(), date(2026, 11, 30), None)] == [
        made["late"].id,
        made["december"].id,
    ]
    assert [row["id"] for row in exports.sessions_as_dicts(hq.db(), None, date(2026, 10, 31))] == [made["october"].id]
    assert exports.sessions_as_dicts(hq.db(), date(2027, 1, 1), date(2027, 1, 31)) == []


def test_csv_is_the_kiosk_export_with_a_device_column(hq, buses):
    _, _, made = buses
    start, end = kiosk_export.parse_month("2026-11")
    content = exports.export_sessions_bytes(hq.db(), "csv", start, end, MAPPING)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").split("\r\n")
    header = lines[0].split(";")
    assert header == ["device", *kiosk_export.export_columns(MAPPING)]
    assert header[:4] == ["device", "id", "started_at", "duration_min"]
    # the rows are the kiosk's own rows for the same sessions, with the bus's name first
    kiosk_lines = kiosk_export.csv_text([made["ehpad"], made["late"]], MAPPING).split("\r\n")
    assert lines[1] == "Bus 1;" + kiosk_lines[1]
    assert lines[2].startswith("Bus 2;")
    assert "'=cmd, Montbrison" in lines[2]  # formulas neutralised, as on the bus
    assert made["deleted"].id not in content.decode("utf-8-sig")
    without_mapping = exports.export_sessions_bytes(hq.db(), "csv", start, end).decode("utf-8-sig")
    assert without_mapping.split("\r\n")[0] == "device;" + ";".join(kiosk_export.CSV_COLUMNS)


def test_ods_has_the_device_column_and_the_survey_sheet(hq, buses):
    content = exports.export_sessions_bytes(hq.db(), "ods", None, None, MAPPING)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist()[0] == "mimetype"
        xml = archive.read("content.xml").decode("utf-8")
    assert '<table:table table:name="sessions">' in xml and 'table:name="Enquête annuelle"' in xml
    first_row = xml.split("<table:table-row>")[1]
    assert first_row.startswith('<table:table-cell office:value-type="string"><text:p>device</text:p>')
    assert xml.count("<text:p>Bus 1</text:p>") == 2 and xml.count("<text:p>Bus 2</text:p>") == 2
    assert "<text:p>a</text:p><text:p>b</text:p>" in xml  # line breaks kept, as on the bus


def test_json_bytes_and_unknown_formats(hq, buses):
    start, end = kiosk_export.parse_month("2026-11")
    assert json.loads(exports.export_sessions_bytes(hq.db(), "json", start, end)) == exports.sessions_as_dicts(
        hq.db(), start, end
    )
    with pytest.raises(ValueError):
        exports.export_sessions_bytes(hq.db(), "xlsx")


def test_survey_totals_over_every_bus_are_the_kiosk_totals(hq, buses):
    _, _, made = buses
    live = [made[k] for k in ("october", "ehpad", "late", "december")]
    assert exports.survey_totals(hq.db(), mapping=MAPPING) == survey.survey_totals(live, MAPPING)
    assert exports.survey_totals(hq.db()) == survey.survey_totals(live, MAPPING)  # the default mapping
    november = exports.survey_totals(hq.db(), *kiosk_export.parse_month("2026-11"), MAPPING)
    by_id = {total.id: total for total in november}
    assert (by_id["personnes_agees"].sessions, by_id["personnes_agees"].participants) == (1, 12)
    assert by_id["partenariats"].sessions == 1  # the EHPAD's partner; not the session without one
    assert (by_id["action_culturelle"].sessions, by_id["action_culturelle"].participants) == (2, 15)


def test_load_mapping_prefers_the_data_folders_file(hq, tmp_path):
    assert exports.load_mapping(hq.data_dir).source == survey.DEFAULT_MAPPING
    own = hq.data_dir / survey.MAPPING_FILE
    own.write_text('[[category]]\nid = "tout"\nlabel = "Tout"\nall = true\n', encoding="utf-8")
    assert exports.load_mapping(hq.data_dir).ids == ("tout",)
    with pytest.raises(survey.SurveyMappingError):
        exports.load_mapping(hq.data_dir, tmp_path / "missing.toml")


def test_load_mapping_prefers_config_toml_categories_then_the_option(hq, tmp_path):
    own = hq.data_dir / survey.MAPPING_FILE
    own.write_text('[[category]]\nid = "tout"\nlabel = "Tout"\nall = true\n', encoding="utf-8")
    config = hq.data_dir / "config.toml"
    config.write_text('[server]\nport = 8470\n\n[[survey.category]]\nid = "p"\nlabel = "P"\nwith_partner = true\n')
    mapping = exports.load_mapping(hq.data_dir)
    assert (mapping.ids, mapping.source, mapping.shadowed) == (("p",), config, own)
    assert exports.load_mapping(hq.data_dir, own).ids == ("tout",)
    config.write_text("[server]\nport = 8470\n\n[[survey.category]]\nid = 'p'\nlabel = 'P'\n")
    with pytest.raises(survey.SurveyMappingError, match=r"config.toml, line 4: category 'p' has no rule"):
        exports.load_mapping(hq.data_dir)  # never the survey-mapping.toml instead
