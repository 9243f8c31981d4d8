"""Tests for the bus schedule and the workshop agenda (numeribus_kiosk.catalogue.schedule)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import (
    WORKSHOP_KINDS,
    Passage,
    ScheduleError,
    Workshop,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schedule"
TODAY = date(2026, 3, 2)  # a Monday


@pytest.fixture
def db(tmp_path):
    database = sqlite_utils.Database(tmp_path / "catalogue.db")
    schedule.migrations.apply(database)
    yield database
    database.close()


def passage(ident: str, day: date, commune: str = "Noirétable", start=time(9, 30), end=time(12, 0), **kw):
    return Passage(id=ident, date=day, start=start, end=end, commune=commune, **kw)


def workshop(ident: str, day: date, kind: str = "tablette", start=time(10, 0), end=time(11, 30), **kw):
    kw.setdefault("commune", "Noirétable")
    kw.setdefault("place", "Place de l'Église")
    kw.setdefault("title", "Atelier tablettes")
    return Workshop(id=ident, date=day, start=start, end=end, kind=kind, **kw)


# --------------------------------------------------------------------------- demo files


def test_demo_dir_is_the_assets_folder():
    assert schedule.demo_dir() == Path(__file__).resolve().parents[2] / "numeribus_kiosk" / "assets" / "demo"


def test_demo_schedule_reads_without_skipped_rows():
    items, skipped = schedule.read_passages(schedule.demo_dir() / "schedule.csv")
    assert skipped == []
    assert 25 <= len(items) <= 40
    assert all(p.demo for p in items)
    assert len({p.commune for p in items}) >= 15
    assert any("EHPAD" in p.place for p in items)
    span = max(p.date for p in items) - min(p.date for p in items)
    assert timedelta(weeks=6) <= span <= timedelta(weeks=9)


def test_demo_agenda_reads_without_skipped_rows_and_matches_stops():
    workshops, skipped = schedule.read_workshops(schedule.demo_dir() / "agenda.csv")
    assert skipped == []
    assert 15 <= len(workshops) <= 30
    assert all(w.demo for w in workshops)
    assert {"tablette", "cafe_tablette", "fablab_3d", "demarches", "lecture_numerique"} <= {w.kind for w in workshops}
    passages, _ = schedule.read_passages(schedule.demo_dir() / "schedule.csv")
    for w in workshops:  # every workshop happens during a stop of the bus
        assert any(
            p.date == w.date and p.commune == w.commune and p.start <= w.start and w.end <= p.end for p in passages
        ), w.id


# --------------------------------------------------------------------------- skipped rows


def test_every_bad_passage_row_is_skipped_with_its_line_and_reason():
    path = FIXTURES / "passages_bad_rows.csv"
    items, skipped = schedule.read_passages(path)
    assert [p.id for p in items] == ["OK-1", "OK-2"]
    assert items[1].notes == "Deux lignes\nde notes"
    reasons = {s.line: s.reason for s in skipped}
    assert all(s.file == str(path) for s in skipped)
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "bad date" in reasons[3] and "YYYY-MM-DD" in reasons[3]
    assert "no such day" in reasons[4]
    assert "bad start time" in reasons[5] and "HH:MM" in reasons[5]
    assert "not after start" in reasons[6]
    assert reasons[7] == "missing commune"
    assert reasons[8] == "missing date"
    assert "duplicate id" in reasons[9]
    assert "11 fields for 10 columns" in reasons[10]
    assert "bad demo" in reasons[11]


def test_every_bad_workshop_row_is_skipped_with_its_line_and_reason():
    items, skipped = schedule.read_workshops(FIXTURES / "workshops_bad_rows.csv")
    assert [w.id for w in items] == ["OK-1", "OK-2"]
    assert items[1].kind == "fablab_3d"  # kinds are case-insensitive
    assert items[1].seats is None and items[1].registration is False
    assert items[0].seats == 6 and items[0].registration is True
    reasons = {s.line: s.reason for s in skipped}
    assert "unknown kind 'yoga'" in reasons[3] and "cafe_tablette" in reasons[3]
    assert reasons[4] == "missing kind"
    assert reasons[5] == "missing title"
    assert "bad seats" in reasons[6]
    assert "bad registration" in reasons[7]
    assert "not after start" in reasons[8]


def test_missing_required_column_raises_one_error_naming_the_file():
    path = FIXTURES / "passages_missing_column.csv"
    with pytest.raises(ScheduleError, match="missing required column commune") as info:
        schedule.read_passages(path)
    assert str(path) in str(info.value)


def test_missing_columns_of_the_agenda_are_all_named():
    with pytest.raises(ScheduleError, match="missing required columns kind, title"):
        schedule.parse_workshops("date,start,end,commune\n2026-03-03,10:00,11:00,Charlieu\n", "agenda.csv")


def test_a_file_with_no_valid_row_raises_with_the_first_problem():
    path = FIXTURES / "passages_no_valid_row.csv"
    with pytest.raises(ScheduleError, match=r"no valid row \(2 skipped; first problem, line 2: bad date") as info:
        schedule.read_passages(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
def test_an_empty_file_raises(text):
    with pytest.raises(ScheduleError, match="empty"):
        schedule.parse_passages(text, "vide.csv")


def test_header_only_raises_no_valid_row():
    with pytest.raises(ScheduleError, match="no valid row"):
        schedule.parse_passages("date,start,end,commune\n", "vide.csv")


def test_a_file_that_is_not_utf8_raises_a_clear_error():
    with pytest.raises(ScheduleError, match="not UTF-8"):
        schedule.read_passages(FIXTURES / "passages_latin1.csv")


def test_a_missing_file_raises_schedule_error(tmp_path):
    with pytest.raises(ScheduleError, match="cannot be read"):
        schedule.read_passages(tmp_path / "absent.csv")


# --------------------------------------------------------------------------- variants


def test_bom_semicolon_crlf_and_header_case_are_accepted():
    items, skipped = schedule.read_passages(FIXTURES / "passages_bom_semicolon.csv")
    assert skipped == []
    assert [p.id for p in items] == ["P1", "P2"]
    assert items[0].place == "EHPAD La Roseraie, salle commune"  # ',' inside a ';' file
    assert items[0].public == "résidents" and items[0].demo is True
    assert items[1].commune == "Saint-Étienne" and items[1].public == "tout public"


def test_bom_semicolon_agenda_without_optional_columns():
    items, skipped = schedule.read_workshops(FIXTURES / "workshops_bom_semicolon.csv")
    assert skipped == []
    (w,) = items
    assert w.kind == "cafe_tablette" and w.seats == 8 and w.audience == "tout public"
    assert w.id == "W-20260303-1000-charlieu-cafe_tablette"  # derived when there is no id column


def test_ids_are_derived_when_absent():
    (p,), _ = schedule.parse_passages("date,start,end,commune\n2026-03-03,9:30,12:00,Saint-Just-en-Chevalet\n")
    assert p.id == "P-20260303-0930-saint-just-en-chevalet"
    assert p.start == time(9, 30)


# --------------------------------------------------------------------------- storage


def test_migration_creates_both_tables(db):
    assert {"passages", "workshops"} <= set(db.table_names())
    schedule.migrations.apply(db)  # applying again is harmless
    assert [m.name for m in schedule.migrations.applied(db)] == ["m001_passages_and_workshops"]


def test_replace_and_read_back_round_trip(db):
    items = [
        passage("A", date(2026, 3, 3), notes="Parking derrière l'église", address="1 place de l'Église"),
        passage("B", date(2026, 3, 4), public="résidents de l'EHPAD", demo=True),
    ]
    assert schedule.replace_passages(db, items) is True
    assert schedule.upcoming_passages(db, TODAY) == items
    ws = [workshop("W1", date(2026, 3, 3), seats=None, registration=True, description="Café", demo=True)]
    assert schedule.replace_workshops(db, ws) is True
    assert schedule.upcoming_workshops(db, TODAY) == ws


def test_replace_replaces_the_whole_list(db):
    schedule.replace_passages(db, [passage("A", date(2026, 3, 3)), passage("B", date(2026, 3, 4))])
    schedule.replace_passages(db, [passage("C", date(2026, 3, 5))])
    assert [p.id for p in schedule.upcoming_passages(db, TODAY)] == ["C"]


def test_reimporting_the_same_items_changes_nothing(db):
    items, _ = schedule.read_passages(schedule.demo_dir() / "schedule.csv")
    assert schedule.replace_passages(db, items) is True
    before = db.execute("PRAGMA data_version").fetchone()[0]
    changes = db.conn.total_changes
    assert schedule.replace_passages(db, reversed(items)) is False  # order does not matter
    assert db.conn.total_changes == changes  # not a single row written
    assert db.execute("PRAGMA data_version").fetchone()[0] == before
    assert db["passages"].count == len(items)


def test_empty_list_is_refused_and_the_old_list_stays(db):
    schedule.replace_passages(db, [passage("A", date(2026, 3, 3))])
    schedule.replace_workshops(db, [workshop("W", date(2026, 3, 3))])
    with pytest.raises(ScheduleError, match="empty list"):
        schedule.replace_passages(db, [])
    with pytest.raises(ScheduleError, match="empty list"):
        schedule.replace_workshops(db, iter(()))
    assert db["passages"].count == 1 and db["workshops"].count == 1


def test_a_failure_mid_way_leaves_the_old_list(db, monkeypatch):
    old = [passage("OLD-1", date(2026, 3, 3)), passage("OLD-2", date(2026, 3, 4))]
    schedule.replace_passages(db, old)
    new = [passage(f"NEW-{i}", date(2026, 3, 5) + timedelta(days=i)) for i in range(5)]
    real_row = schedule._passage_row
    calls = []

    def failing_row(p):
        calls.append(p.id)
        if len(calls) == 3:  # after the old rows were deleted and two new ones inserted
            raise RuntimeError("power cut")
        return real_row(p)

    monkeypatch.setattr(schedule, "_passage_row", failing_row)
    with pytest.raises(RuntimeError, match="power cut"):
        schedule.replace_passages(db, new)
    assert len(calls) == 3
    assert not db.conn.in_transaction
    assert schedule.upcoming_passages(db, TODAY) == old


def test_a_database_error_mid_way_leaves_the_old_list(db):
    old = [workshop("OLD", date(2026, 3, 3))]
    schedule.replace_workshops(db, old)
    db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON workshops WHEN NEW.title = 'Boum' "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    new = [workshop("N1", date(2026, 3, 4)), workshop("N2", date(2026, 3, 5), title="Boum")]
    with pytest.raises(Exception, match="refused"):
        schedule.replace_workshops(db, new)
    assert schedule.upcoming_workshops(db, TODAY) == old


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([passage("A", date(2026, 3, 3)), passage("A", date(2026, 3, 4))], "duplicate id"),
        ([passage("A", date(2026, 3, 3), commune=" ")], "no commune"),
        ([passage("A", date(2026, 3, 3), start=time(12), end=time(9))], "ends before it starts"),
        ([passage("", date(2026, 3, 3))], "no id"),
    ],
)
def test_invalid_items_are_refused_before_anything_is_written(db, items, message):
    schedule.replace_passages(db, [passage("OLD", date(2026, 3, 3))])
    with pytest.raises(ScheduleError, match=message):
        schedule.replace_passages(db, items)
    assert [p.id for p in schedule.upcoming_passages(db, TODAY)] == ["OLD"]


def test_unknown_kind_and_wrong_type_are_refused(db):
    with pytest.raises(ScheduleError, match="unknown kind"):
        schedule.replace_workshops(db, [workshop("W", date(2026, 3, 3), kind="yoga")])
    with pytest.raises(TypeError):
        schedule.replace_workshops(db, [passage("P", date(2026, 3, 3))])


# --------------------------------------------------------------------------- queries


@pytest.fixture
def filled(db):
    schedule.replace_passages(
        db,
        [
            passage("past", date(2026, 2, 27), commune="Charlieu"),
            passage("today-usson", TODAY, commune="Usson-en-Forez", start=time(14), end=time(17)),
            passage("today-ecotay", TODAY, commune="Écotay-l'Olme"),
            passage("today-boen", TODAY, commune="Boën-sur-Lignon", start=time(14), end=time(16)),
            passage("later-boen", date(2026, 3, 10), commune="Boën-sur-Lignon"),
            passage("tomorrow-charlieu", date(2026, 3, 3), commune="Charlieu"),
        ],
    )
    schedule.replace_workshops(
        db,
        [
            workshop("w-past", date(2026, 3, 1)),
            workshop("w-3d", date(2026, 3, 4), kind="fablab_3d", start=time(14), end=time(16)),
            workshop("w-cafe", date(2026, 3, 4), kind="cafe_tablette", start=time(9), end=time(10)),
            workshop("w-tab", TODAY, kind="tablette"),
            workshop("w-3d-later", date(2026, 3, 20), kind="fablab_3d"),
        ],
    )
    return db


def test_upcoming_passages_ordered_by_date_then_commune(filled):
    ids = [p.id for p in schedule.upcoming_passages(filled, TODAY)]
    # today's passages by commune, accents ignored (Écotay between Boën and Usson)
    assert ids == ["today-boen", "today-ecotay", "today-usson", "tomorrow-charlieu", "later-boen"]
    assert [p.id for p in schedule.upcoming_passages(filled, TODAY, limit=2)] == [
        "today-boen",
        "today-ecotay",
    ]
    assert schedule.upcoming_passages(filled, date(2026, 4, 1)) == []


def test_passages_by_commune(filled):
    groups = schedule.passages_by_commune(filled, TODAY)
    assert list(groups) == ["Boën-sur-Lignon", "Charlieu", "Écotay-l'Olme", "Usson-en-Forez"]
    assert [p.id for p in groups["Boën-sur-Lignon"]] == ["today-boen", "later-boen"]
    assert [p.id for p in groups["Charlieu"]] == ["tomorrow-charlieu"]  # the past one is gone


def test_upcoming_workshops(filled):
    assert [w.id for w in schedule.upcoming_workshops(filled, TODAY)] == [
        "w-tab",
        "w-cafe",
        "w-3d",
        "w-3d-later",
    ]
    assert [w.id for w in schedule.upcoming_workshops(filled, TODAY, kind="fablab_3d")] == [
        "w-3d",
        "w-3d-later",
    ]
    assert [w.id for w in schedule.upcoming_workshops(filled, TODAY, kind="fablab_3d", limit=1)] == ["w-3d"]
    assert schedule.upcoming_workshops(filled, TODAY, kind="jeux_video") == []
    with pytest.raises(ValueError, match="unknown workshop kind"):
        schedule.upcoming_workshops(filled, TODAY, kind="yoga")


def test_queries_on_empty_tables(db):
    assert schedule.upcoming_passages(db, TODAY) == []
    assert schedule.passages_by_commune(db, TODAY) == {}
    assert schedule.upcoming_workshops(db, TODAY) == []


# --------------------------------------------------------------------------- demo rebasing


def test_rebase_moves_the_first_demo_item_into_the_coming_week():
    items = [passage("a", date(2026, 1, 6), demo=True), passage("b", date(2026, 1, 20), demo=True)]
    rebased = schedule.rebase_demo_dates(items, TODAY)
    assert rebased[0].date == date(2026, 3, 3)  # the Tuesday after Monday 2 March
    assert rebased[1].date - rebased[0].date == timedelta(days=14)
    assert [p.date.weekday() for p in rebased] == [p.date.weekday() for p in items]


def test_rebase_moves_future_demo_items_back_and_leaves_real_items_alone():
    real = passage("real", date(2027, 6, 1))
    items = [passage("demo", date(2027, 1, 5), demo=True), real]
    rebased = schedule.rebase_demo_dates(items, TODAY)
    assert TODAY <= rebased[0].date < TODAY + timedelta(days=7)
    assert rebased[1] is real


def test_rebase_of_items_already_in_the_coming_week_changes_nothing():
    items = [passage("a", TODAY + timedelta(days=6), demo=True)]
    assert schedule.rebase_demo_dates(items, TODAY) == items
    assert schedule.rebase_demo_dates([], TODAY) == []


@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1)),
    gaps=st.lists(st.integers(min_value=0, max_value=60), max_size=5),
)
def test_rebase_properties(first, today, gaps):
    days = [first + timedelta(days=sum(gaps[:i])) for i in range(len(gaps) + 1)]
    items = [passage(str(i), d, demo=True) for i, d in enumerate(days)]
    rebased = schedule.rebase_demo_dates(items, today)
    assert today <= min(p.date for p in rebased) <= today + timedelta(days=6)
    shift = rebased[0].date - items[0].date
    assert shift.days % 7 == 0
    assert all(r.date - i.date == shift for r, i in zip(rebased, items, strict=True))


def test_rebase_keeps_workshops_on_the_days_of_their_stops():
    passages, _ = schedule.read_passages(schedule.demo_dir() / "schedule.csv")
    workshops, _ = schedule.read_workshops(schedule.demo_dir() / "agenda.csv")
    rebased = schedule.rebase_demo_dates([*passages, *workshops], TODAY)
    stops = {(p.date, p.commune) for p in rebased if isinstance(p, Passage)}
    assert all((w.date, w.commune) in stops for w in rebased if isinstance(w, Workshop))


def test_load_demo_stores_upcoming_items_and_is_idempotent(tmp_path):
    with sqlite_utils.Database(tmp_path / "catalogue.db") as db:
        n_passages, n_workshops = schedule.load_demo(db, TODAY)
        assert (n_passages, n_workshops) == (db["passages"].count, db["workshops"].count)
        upcoming = schedule.upcoming_passages(db, TODAY)
        assert len(upcoming) == n_passages
        assert TODAY <= upcoming[0].date < TODAY + timedelta(days=7)
        assert len(schedule.upcoming_workshops(db, TODAY)) == n_workshops
        changes = db.conn.total_changes
        schedule.load_demo(db, TODAY)
        assert db.conn.total_changes == changes


def test_load_demo_with_a_broken_folder_keeps_the_old_lists(tmp_path, db):
    schedule.replace_passages(db, [passage("OLD", date(2026, 3, 3))])
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "schedule.csv").write_text("date,start,end,commune\n2026-03-03,09:00,10:00,Violay\n")
    with pytest.raises(ScheduleError, match="agenda.csv"):
        schedule.load_demo(db, TODAY, folder=folder)
    assert [p.id for p in schedule.upcoming_passages(db, TODAY)] == ["OLD"]


def test_all_kinds_are_known():
    assert set(WORKSHOP_KINDS) == {
        "tablette",
        "cafe_tablette",
        "fablab_3d",
        "demarches",
        "lecture_numerique",
        "jeux_video",
        "autre",
    }


def test_items_are_frozen():
    p = passage("A", TODAY)
    with pytest.raises(AttributeError):
        p.commune = "Violay"  # type: ignore[misc]
    assert replace(p, commune="Violay").commune == "Violay"


def test_skipped_rows_print_with_file_and_line():
    _, skipped = schedule.parse_passages(
        "date,start,end,commune\n2026-03-03,09:30,12:00,Violay\n2026-03-03,12:00,09:00,Violay\n", "s.csv"
    )
    assert str(skipped[0]) == "s.csv: line 3: end 09:00 is not after start 12:00"
    assert skipped[0].position == 3


def test_describe_and_to_dict_for_the_command_line():
    p = passage("A", date(2026, 12, 1), commune="Noirétable", place="Place de l'Église")
    assert p.describe() == "mardi 1er décembre 2026, 9 h 30 – 12 h : Noirétable, Place de l'Église"
    assert passage("B", TODAY, public="résidents").describe().endswith("(résidents)")
    w = workshop("W", TODAY, title="Café tablettes", seats=1, registration=True)
    assert w.describe() == (
        "lundi 2 mars 2026, 10 h – 11 h 30 : Café tablettes – Noirétable, Place de l'Église (sur inscription, 1 place)"
    )
    assert p.to_dict()["date"] == "2026-12-01" and p.to_dict()["start"] == "09:30"
    assert w.to_dict()["seats"] == 1
