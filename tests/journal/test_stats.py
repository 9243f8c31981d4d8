"""On-board statistics of the mediation sessions: periods, the tour's dates, counting."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import Passage
from numeribus_kiosk.journal import sessions, stats
from numeribus_kiosk.journal.stats import Period, Row

TODAY = date(2026, 11, 26)  # a Thursday
PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 18, 0, tzinfo=PARIS)


@pytest.fixture
def journal(data_dir):
    db = store.open_journal_db(data_dir)
    yield db
    db.close()


def add(db, started_at: str, *, place="Salle des fêtes", activity="atelier tablette", publics=("seniors",),
        participants=5) -> sessions.Session:  # fmt: skip
    return sessions.add_session(
        db,
        {
            "started_at": started_at,
            "duration_min": 90,
            "place": place,
            "activity": activity,
            "publics": list(publics),
            "participants": participants,
            "mediator": "Camille",
        },
        now=NOW,
    )


def figures(db, start: date, end: date) -> stats.Stats:
    return stats.compute(sessions.list_sessions(db), start, end)


# --------------------------------------------------------------------------- periods


def test_today_is_one_day():
    assert stats.period_dates("today", TODAY) == Period("today", TODAY, TODAY)


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2026, 11, 26), date(2026, 11, 23)),  # Thursday
        (date(2026, 11, 23), date(2026, 11, 23)),  # Monday: its own week
        (date(2026, 11, 29), date(2026, 11, 23)),  # Sunday: still the week that began on Monday
        (date(2026, 12, 31), date(2026, 12, 28)),  # across the new year
        (date(2027, 1, 3), date(2026, 12, 28)),
    ],
)
def test_week_is_monday_to_sunday(today, monday):
    period = stats.period_dates("week", today)
    assert (period.start, period.end) == (monday, monday + timedelta(days=6))
    assert period.start.weekday() == 0 and period.end.weekday() == 6 and today in period


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (date(2026, 11, 26), date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 2, 14), date(2027, 2, 1), date(2027, 2, 28)),
        (date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (date(2027, 1, 31), date(2027, 1, 1), date(2027, 1, 31)),
    ],
)
def test_month_is_the_calendar_month(today, first, last):
    assert stats.period_dates("month", today) == Period("month", first, last)


TOUR = (date(2026, 11, 2), date(2026, 11, 27))


@pytest.mark.parametrize("today", [date(2026, 11, 2), date(2026, 11, 26), date(2026, 11, 27)])
def test_tour_is_the_schedule_when_today_is_within_it(today):
    assert stats.period_dates("tour", today, TOUR) == Period("tour", *TOUR, fallback=False)


@pytest.mark.parametrize(
    ("today", "tour"),
    [
        (date(2026, 11, 28), TOUR),  # the tour is over
        (date(2026, 11, 1), TOUR),  # the next tour has not begun
        (date(2026, 11, 26), None),  # no schedule
    ],
)
def test_tour_falls_back_to_the_last_28_days(today, tour):
    period = stats.period_dates("tour", today, tour)
    assert period.fallback
    assert period.end == today and period.start == today - timedelta(days=27)
    assert (period.end - period.start).days + 1 == stats.FALLBACK_DAYS


def test_bad_periods_are_refused():
    with pytest.raises(ValueError, match="unknown period 'year'"):
        stats.period_dates("year", TODAY)
    with pytest.raises(ValueError, match="before it starts"):
        stats.period_dates("tour", TODAY, (date(2026, 11, 27), date(2026, 11, 2)))


# --------------------------------------------------------------------------- the tour's dates


def passage(ident: str, day: date) -> Passage:
    return Passage(ident, day, time(9), time(12), "Noirétable")


def test_tour_dates_are_the_first_and_last_passages(data_dir):
    db = store.open_catalogue_db(data_dir)
    try:
        assert stats.tour_dates(db) is None  # no schedule yet
        schedule.replace_passages(
            db, [passage("b", date(2026, 11, 20)), passage("a", date(2026, 11, 2)), passage("c", date(2026, 11, 27))]
        )
        assert stats.tour_dates(db) == TOUR
    finally:
        db.close()
    assert stats.read_tour_dates(data_dir) == TOUR


def test_read_tour_dates_without_a_catalogue(data_dir):
    assert stats.read_tour_dates(data_dir) is None
    assert not (data_dir / "catalogue.db").exists()  # read-only: nothing created


def test_read_tour_dates_of_a_broken_catalogue_is_logged(data_dir, caplog):
    (data_dir / "catalogue.db").write_bytes(b"not a database at all" * 100)
    with caplog.at_level(logging.ERROR, logger="numeribus_kiosk.journal.stats"):
        assert stats.read_tour_dates(data_dir) is None
    assert "could not be read" in caplog.text and "catalogue.db" in caplog.text


def test_tour_dates_of_an_unmigrated_catalogue(data_dir):
    import sqlite3

    conn = sqlite3.connect(data_dir / "catalogue.db")
    conn.execute("CREATE TABLE meta (k TEXT)")
    conn.close()
    assert stats.read_tour_dates(data_dir) is None


# --------------------------------------------------------------------------- dates in French


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 26), date(2026, 11, 26), "jeudi 26 novembre"),
        (date(2026, 12, 1), date(2026, 12, 1), "mardi 1er décembre"),
        (date(2026, 11, 2), date(2026, 11, 27), "du 2 au 27 novembre"),
        (date(2026, 11, 1), date(2026, 11, 30), "du 1er au 30 novembre"),
        (date(2026, 10, 30), date(2026, 11, 26), "du 30 octobre au 26 novembre"),
        (date(2026, 12, 28), date(2027, 1, 3), "du 28 décembre 2026 au 3 janvier 2027"),
        (date(2025, 11, 2), date(2025, 11, 27), "du 2 au 27 novembre 2025"),  # not this year
        (date(2025, 3, 1), date(2025, 4, 1), "du 1er mars au 1er avril 2025"),
        (date(2027, 1, 4), date(2027, 1, 4), "lundi 4 janvier 2027"),
    ],
)
def test_french_dates(start, end, expected):
    assert stats.french_dates(start, end, TODAY) == expected


def test_french_dates_refuse_a_reversed_period():
    with pytest.raises(ValueError, match="before it starts"):
        stats.french_dates(date(2026, 11, 27), date(2026, 11, 2), TODAY)


# --------------------------------------------------------------------------- counting


def test_no_session_gives_zeros(journal):
    result = figures(journal, TODAY, TODAY)
    assert result.empty and result.sessions == 0 and result.participants == 0
    assert result.by_public == result.by_activity == result.by_place == ()
    assert (result.start, result.end) == (TODAY, TODAY)


def test_totals_and_lines(journal):
    add(journal, "2026-11-26T10:00:00+01:00", place="Médiathèque de Noirétable", activity="atelier tablette",
        publics=["seniors"], participants=6)  # fmt: skip
    add(journal, "2026-11-26T14:00:00+01:00", place="EHPAD Les Tilleuls", activity="café tablette",
        publics=["seniors", "résidents EHPAD"], participants=8)  # fmt: skip
    add(journal, "2026-11-25T16:00:00+01:00", place="Médiathèque de Noirétable", activity="jeux vidéo",
        publics=["adolescents"], participants=3)  # fmt: skip
    result = figures(journal, date(2026, 11, 25), date(2026, 11, 26))
    assert (result.sessions, result.participants) == (3, 17)
    assert result.by_public == (Row("seniors", 2, 14), Row("résidents EHPAD", 1, 8), Row("adolescents", 1, 3))
    assert result.by_activity == (Row("café tablette", 1, 8), Row("atelier tablette", 1, 6), Row("jeux vidéo", 1, 3))
    assert result.by_place == (Row("Médiathèque de Noirétable", 2, 9), Row("EHPAD Les Tilleuls", 1, 8))
    # A session with two publics counts in both: the lines add up to more than the total.
    assert sum(r.participants for r in result.by_public) == 25 > result.participants
    assert sum(r.sessions for r in result.by_activity) == result.sessions


def test_first_and_last_days_are_included(journal):
    add(journal, "2026-11-01T00:00:00+01:00", participants=1)  # first minute of the 1st
    add(journal, "2026-11-30T23:59:00+01:00", participants=2)  # last minute of the 30th
    add(journal, "2026-10-31T23:59:00+01:00", participants=100)  # the day before
    add(journal, "2026-12-01T00:00:00+01:00", participants=1000)  # the day after
    month = stats.period_dates("month", TODAY)
    assert stats.compute_period(sessions.list_sessions(journal), month).participants == 3
    assert figures(journal, date(2026, 10, 31), date(2026, 10, 31)).participants == 100
    assert figures(journal, date(2026, 12, 1), date(2026, 12, 1)).participants == 1000


def test_a_session_counts_on_the_day_of_its_own_offset(journal):
    # 00:30 in Paris on 1 December is still 30 November in UTC: it counts on 1 December.
    add(journal, "2026-12-01T00:30:00+01:00", participants=4)
    # 23:30 in Guadeloupe (UTC-4) on 30 November is 1 December in Paris and in UTC: 30 November.
    add(journal, "2026-11-30T23:30:00-04:00", participants=7)
    # 23:30 UTC+14 on 30 November is the morning of 30 November in UTC: still 30 November.
    add(journal, "2026-11-30T23:30:00+14:00", participants=9)
    assert figures(journal, date(2026, 11, 30), date(2026, 11, 30)).participants == 16
    assert figures(journal, date(2026, 12, 1), date(2026, 12, 1)).participants == 4
    # In the order they started (UTC+14, Paris, Guadeloupe), each on its own local day.
    days = [stats.session_day(s) for s in sessions.list_sessions(journal)]
    assert days == [date(2026, 11, 30), date(2026, 12, 1), date(2026, 11, 30)]


def test_deleted_sessions_are_not_counted(journal):
    kept = add(journal, "2026-11-26T10:00:00+01:00", activity="atelier tablette", participants=6)
    gone = add(journal, "2026-11-26T14:00:00+01:00", activity="impression 3D", participants=10)
    sessions.delete_session(journal, gone.id, now=NOW)
    result = figures(journal, TODAY, TODAY)
    assert (result.sessions, result.participants) == (1, 6)
    assert result.by_activity == (Row("atelier tablette", 1, 6),)
    # A tombstone handed in directly is ignored too.
    everything = sessions.list_sessions(journal, include_deleted=True)
    assert {s.id for s in everything} == {kept.id, gone.id}
    assert stats.compute(everything, TODAY, TODAY) == result


def test_an_edited_session_counts_with_its_new_values(journal):
    session = add(journal, "2026-11-26T10:00:00+01:00", participants=6)
    sessions.update_session(journal, session.id, {"participants": 9, "started_at": "2026-11-25T10:00:00+01:00"})
    assert figures(journal, TODAY, TODAY).empty
    assert figures(journal, date(2026, 11, 25), date(2026, 11, 25)).participants == 9


def test_lines_sorted_by_participants_then_label_ignoring_accents(journal):
    for public, participants in (("familles", 4), ("élèves", 4), ("Adultes", 4), ("zèbres", 9), ("bébés", 1)):
        add(journal, "2026-11-26T10:00:00+01:00", publics=[public], participants=participants)
    labels = [r.label for r in figures(journal, TODAY, TODAY).by_public]
    # "élèves" sorts as "eleves" (before "familles"), capitals do not come first.
    assert labels == ["zèbres", "Adultes", "élèves", "familles", "bébés"]


def test_spellings_are_grouped_and_the_most_used_is_shown(journal):
    add(journal, "2026-11-26T09:00:00+01:00", place="Ehpad les Tilleuls", participants=1)
    add(journal, "2026-11-26T10:00:00+01:00", place="EHPAD Les Tilleuls", participants=2)
    add(journal, "2026-11-26T11:00:00+01:00", place="EHPAD Les Tilleuls", participants=3)
    add(journal, "2026-11-26T12:00:00+01:00", place="Salle des Fêtes", publics=["Enfants", "enfants"], participants=5)
    add(journal, "2026-11-26T13:00:00+01:00", place="salle des fetes", publics=["enfants"], participants=5)
    result = figures(journal, TODAY, TODAY)
    # A tie (one "Salle des Fêtes", one "salle des fetes"): the first one recorded.
    assert result.by_place == (Row("Salle des Fêtes", 2, 10), Row("EHPAD Les Tilleuls", 3, 6))
    # "Enfants" and "enfants" in one session: that session counts once for the public.
    assert Row("Enfants", 2, 10) in result.by_public


def test_sessions_without_participants_still_count(journal):
    add(journal, "2026-11-26T10:00:00+01:00", activity="permanence", participants=0)
    add(journal, "2026-11-26T11:00:00+01:00", activity="permanence", participants=0)
    result = figures(journal, TODAY, TODAY)
    assert (result.sessions, result.participants) == (2, 0) and not result.empty
    assert result.by_activity == (Row("permanence", 2, 0),)


def test_compute_refuses_a_reversed_period():
    with pytest.raises(ValueError, match="before it starts"):
        stats.compute([], date(2026, 11, 27), date(2026, 11, 26))
