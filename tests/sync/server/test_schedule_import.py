"""The schedule and the agenda at headquarters (sync.server.schedule): imports and single edits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest

from numeribus_kiosk.catalogue.schedule import (
    Passage,
    ScheduleError,
    Workshop,
    demo_dir,
    read_passages,
    read_workshops,
)
from sync.server import publish, schedule

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "schedule"


def test_detect_tells_a_schedule_from_an_agenda():
    assert schedule.detect((demo_dir() / "schedule.csv").read_text("utf-8")) == "schedule"
    assert schedule.detect((demo_dir() / "agenda.csv").read_text("utf-8")) == "agenda"
    assert schedule.detect((FIXTURES / "workshops_bom_semicolon.csv").read_text("utf-8-sig")) == "agenda"
    assert schedule.detect((FIXTURES / "passages_bom_semicolon.csv").read_text("utf-8-sig")) == "schedule"
    assert schedule.detect("\n\nDATE;Start;End;Commune;Kind;Title\n") == "agenda"


def test_the_demo_schedule_and_agenda_are_published(hq):
    db = hq.db()
    report = schedule.import_schedule(db, demo_dir() / "schedule.csv", hq.now())
    expected_passages = read_passages(demo_dir() / "schedule.csv").items
    assert report.what == "schedule" and report.imported == len(expected_passages) == 32
    assert report.diff.added == 32 and report.version == publish.current_version(db)
    report = schedule.import_schedule(db, demo_dir() / "agenda.csv", hq.now())
    expected_workshops = read_workshops(demo_dir() / "agenda.csv").items
    assert report.what == "agenda" and report.imported == len(expected_workshops) == 21
    assert {p.id: p for p in schedule.passages(db)} == {p.id: p for p in expected_passages}
    assert {w.id: w for w in schedule.workshops(db)} == {w.id: w for w in expected_workshops}
    assert publish.get(db, "passage", "DEMO-P01").data == expected_passages[0].to_dict()
    listed = schedule.passages(db)
    assert listed == sorted(listed, key=lambda p: (p.date, p.start, p.commune, p.id))


def test_an_import_replaces_the_set_and_only_changes_get_versions(hq, tmp_path):
    db = hq.db()
    source = (demo_dir() / "schedule.csv").read_text("utf-8").splitlines(keepends=True)
    path = tmp_path / "schedule.csv"
    path.write_text("".join(source), "utf-8")
    schedule.import_schedule(db, path, hq.now())
    version = publish.current_version(db)
    again = schedule.import_schedule(db, path, hq.now())
    assert not again.diff.changed and publish.current_version(db) == version
    # one stop moved to the afternoon, one stop cancelled
    header, first, second, *rest = source
    path.write_text(header + first.replace("09:30,12:00", "13:30,16:00") + "".join(rest), "utf-8")
    report = schedule.import_schedule(db, path, hq.now())
    assert (report.diff.added, report.diff.updated, report.diff.removed) == (0, 1, 1)
    entries, _, _ = publish.changes_since(db, version, 100)
    assert [(e.key, e.deleted) for e in entries] == [("DEMO-P01", False), ("DEMO-P02", True)]
    assert entries[0].data["start"] == "13:30"
    # the agenda is not touched by a schedule import
    schedule.import_schedule(db, demo_dir() / "agenda.csv", hq.now())
    count = publish.count_live(db, "workshop")
    schedule.import_schedule(db, path, hq.now())
    assert publish.count_live(db, "workshop") == count


def test_bad_rows_are_skipped_and_reported(hq):
    db = hq.db()
    report = schedule.import_schedule(db, FIXTURES / "workshops_bad_rows.csv", hq.now())
    data = report.to_dict()
    assert data["what"] == "agenda"
    assert data["imported"] == 2 and data["read"] == 2 + len(data["skipped"]) == 8
    assert any("unknown kind 'yoga'" in s["reason"] for s in data["skipped"])
    assert all(isinstance(s["line"], int) for s in data["skipped"])
    assert [w.id for w in schedule.workshops(db)] == ["OK-1", "OK-2"]


@pytest.mark.parametrize(
    "name, message",
    [
        ("passages_missing_column.csv", "missing required column"),
        ("passages_no_valid_row.csv", "no valid row"),
        ("passages_latin1.csv", "not UTF-8"),
        ("nothing.csv", "cannot be read"),
    ],
)
def test_an_unusable_file_changes_nothing(hq, name, message):
    db = hq.db()
    schedule.import_schedule(db, demo_dir() / "schedule.csv", hq.now())
    version = publish.current_version(db)
    with pytest.raises(ScheduleError, match=message):
        schedule.import_schedule(db, FIXTURES / name, hq.now())
    assert publish.current_version(db) == version
    assert publish.count_live(db, "passage") == 32


def test_semicolons_and_bom(hq):
    db = hq.db()
    report = schedule.import_schedule(db, FIXTURES / "passages_bom_semicolon.csv", hq.now())
    assert report.what == "schedule" and report.imported == 2
    assert {p.id for p in schedule.passages(db)} == {"P1", "P2"}


PASSAGE = Passage(
    id="P-ADMIN-1",
    date=date(2026, 12, 1),
    start=time(9, 30),
    end=time(12),
    commune="Noirétable",
    place="Place de l'Église",
)
WORKSHOP = Workshop(
    id="W-ADMIN-1",
    date=date(2026, 12, 1),
    start=time(10),
    end=time(11, 30),
    commune="Noirétable",
    place="dans le bus",
    kind="tablette",
    title="Atelier tablettes",
    seats=6,
    registration=True,
)


def test_single_passage_edits(hq):
    db = hq.db()
    version = schedule.put_passage(db, PASSAGE, hq.now())
    assert version == 1
    assert schedule.put_passage(db, PASSAGE, hq.now()) is None
    assert schedule.passages(db) == [PASSAGE]
    moved = replace(PASSAGE, start=time(10))
    assert schedule.put_passage(db, moved, hq.now()) == 2
    assert schedule.passages(db) == [moved]
    assert schedule.delete_passage(db, PASSAGE.id, hq.now()) is True
    assert schedule.delete_passage(db, PASSAGE.id, hq.now()) is False
    assert schedule.delete_passage(db, "unknown", hq.now()) is False
    assert schedule.passages(db) == []
    assert publish.get(db, "passage", PASSAGE.id).deleted


def test_single_workshop_edits(hq):
    db = hq.db()
    assert schedule.put_workshop(db, WORKSHOP, hq.now()) == 1
    assert schedule.workshops(db) == [WORKSHOP]
    assert schedule.put_workshop(db, replace(WORKSHOP, seats=None), hq.now()) == 2
    assert schedule.workshops(db)[0].seats is None
    assert schedule.delete_workshop(db, WORKSHOP.id, hq.now()) is True
    assert schedule.workshops(db) == []


@pytest.mark.parametrize(
    "item, message",
    [
        (replace(PASSAGE, end=time(9)), "ends"),
        (replace(PASSAGE, commune="  "), "no commune"),
        (replace(PASSAGE, id=""), "no id"),
        (replace(PASSAGE, date="2026-12-01"), "no valid date"),
        (replace(WORKSHOP, kind="yoga"), "unknown kind"),
        (replace(WORKSHOP, title=""), "no title"),
        (replace(WORKSHOP, seats=-1), "seats"),
        (replace(WORKSHOP, start="10:00"), "times"),
    ],
)
def test_invalid_items_are_refused_with_a_clear_message(hq, item, message):
    db = hq.db()
    put = schedule.put_passage if isinstance(item, Passage) else schedule.put_workshop
    with pytest.raises(schedule.ScheduleValidationError, match=message) as caught:
        put(db, item, hq.now())
    assert isinstance(caught.value, ValueError)
    assert publish.current_version(db) == 0


def test_a_workshop_is_not_a_passage(hq):
    with pytest.raises(schedule.ScheduleValidationError, match="Expected a passage"):
        schedule.put_passage(hq.db(), WORKSHOP, hq.now())


def test_items_from_form_fields_follow_the_csv_rules():
    passage = schedule.passage_from_fields(
        {"date": "2026-12-01", "start": "9:30", "end": "12:00", "commune": " Noirétable ", "place": "Place"}
    )
    assert passage.id == "P-20261201-0930-noiretable"
    assert (passage.commune, passage.start, passage.public) == ("Noirétable", time(9, 30), "tout public")
    workshop = schedule.workshop_from_fields(
        {
            "id": "W1",
            "date": "2026-12-01",
            "start": "10:00",
            "end": "11:30",
            "commune": "Charlieu",
            "kind": "Cafe_Tablette",
            "title": "Café, tablettes; et « guillemets »",
            "seats": 8,
            "registration": "oui",
        }
    )
    assert workshop.kind == "cafe_tablette" and workshop.seats == 8 and workshop.registration
    assert workshop.title == "Café, tablettes; et « guillemets »"
    with pytest.raises(schedule.ScheduleValidationError, match=r"bad date '01/12/2026' \(expected YYYY-MM-DD\)\.$"):
        schedule.passage_from_fields({"date": "01/12/2026", "start": "9:30", "end": "12:00", "commune": "X"})
    with pytest.raises(schedule.ScheduleValidationError, match="no such day"):
        schedule.passage_from_fields({"date": "2026-02-30", "start": "9:30", "end": "12:00", "commune": "X"})
    with pytest.raises(schedule.ScheduleValidationError, match="unknown kind"):
        schedule.workshop_from_fields(
            {"date": "2026-12-01", "start": "10:00", "end": "11:00", "commune": "X", "kind": "yoga", "title": "Y"}
        )
