"""sync.server.admin.stats: the dashboard's figures, from sessions a real bus journal uploaded."""

from __future__ import annotations

from datetime import date

import pytest

from sync.server import events
from sync.server.admin import stats
from tests.sync.bus_journal import NOW

from .conftest import EXPECTED, at


def _as_dict(rows) -> dict:
    return {row.label: (row.sessions, row.participants) for row in rows}


def test_the_last_twelve_months(hq, filled):
    figures = stats.dashboard(hq.db(), stats.last_months(date(2026, 11, 27)))
    assert figures.period == stats.Period(date(2025, 12, 1), date(2026, 11, 30))
    assert figures.period.label == "du 1er décembre 2025 au 30 novembre 2026"
    assert (figures.sessions, figures.participants) == (EXPECTED["sessions"], EXPECTED["participants"])
    months = _as_dict(figures.by_month)
    assert list(months)[0] == "décembre 2025" and list(months)[-1] == "novembre 2026" and len(months) == 12
    assert {label: value for label, value in months.items() if value != (0, 0)} == EXPECTED["months"]
    # Publics: a session counts in each of its publics, so the lines add up to more than the total.
    assert _as_dict(figures.by_public) == EXPECTED["publics"]
    assert sum(row.sessions for row in figures.by_public) > figures.sessions
    assert [row.label for row in figures.by_public] == list(EXPECTED["publics"])  # most participants first
    # "Atelier tablette" and "atelier tablette" are one line, with the spelling recorded first.
    assert _as_dict(figures.by_activity) == EXPECTED["activities"]
    assert _as_dict(figures.by_commune) == EXPECTED["communes"]


def test_a_month_and_a_range(hq, filled):
    november = stats.dashboard(hq.db(), stats.parse_period("2026-11", "", "", date(2026, 11, 27)))
    assert (november.sessions, november.participants) == (2, 20)
    assert [row.label for row in november.by_month] == ["novembre 2026"]
    assert november.period.label == "novembre 2026"
    everything = stats.dashboard(hq.db(), stats.parse_period("", "2025-01-01", "2026-12-31", date(2026, 11, 27)))
    assert (everything.sessions, everything.participants) == (6, 106)  # the 2025 session, never the deleted one
    assert _as_dict(everything.by_commune)["Roanne"] == (1, 50)
    one_day = stats.dashboard(hq.db(), stats.parse_period("", "2026-11-26", "2026-11-26", date(2026, 11, 27)))
    assert (one_day.sessions, one_day.participants) == (1, 8)
    empty = stats.dashboard(hq.db(), stats.parse_period("2024-02", "", "", date(2026, 11, 27)))
    assert empty.empty and empty.by_public == () and _as_dict(empty.by_month) == {"février 2024": (0, 0)}


def test_a_session_belongs_to_its_own_day(hq, bus):
    # 23:30 on 30 November in Paris is already December in UTC: it counts in November.
    bus.add_session(NOW, started_at="2026-11-30T23:30:00+01:00", participants=3, participants_by_age=None)
    events.ingest(hq.db(), bus.device_id, bus.pending(), hq.now())
    november = stats.dashboard(hq.db(), stats.parse_period("2026-11", None, None, date(2026, 12, 1)))
    assert november.sessions == 1


def test_the_same_public_twice_in_other_case_counts_once(hq, bus):
    bus.add_session(
        NOW, started_at=at("2026-11-02"), publics=["EHPAD", "Ehpad "], participants=4, participants_by_age=None
    )
    bus.add_session(NOW, started_at=at("2026-11-03"), publics=["Ehpad"], participants=2, participants_by_age=None)
    events.ingest(hq.db(), bus.device_id, bus.pending(), hq.now())
    figures = stats.dashboard(hq.db(), stats.parse_period("2026-11", "", "", date(2026, 11, 27)))
    # One line; on a tie of spellings, the one recorded first names it.
    assert _as_dict(figures.by_public) == {"EHPAD": (2, 6)}


@pytest.mark.parametrize(
    ("month", "start", "end", "message"),
    [
        ("2026-13", "", "", "AAAA-MM"),
        ("novembre", "", "", "AAAA-MM"),
        ("", "26/11/2026", "", "date de début"),
        ("", "2026-11-01", "hier", "date de fin"),
        ("", "2026-11-30", "2026-11-01", "avant la date de début"),
    ],
)
def test_bad_periods_are_explained_in_french(month, start, end, message):
    with pytest.raises(stats.PeriodError, match=message):
        stats.parse_period(month, start, end, date(2026, 11, 27))


def test_periods_with_one_end(hq):
    today = date(2026, 11, 27)
    assert stats.parse_period("", "2026-03-01", "", today) == stats.Period(date(2026, 3, 1), today)
    assert stats.parse_period("", "", "2026-03-31", today) == stats.Period(date(2025, 12, 1), date(2026, 3, 31))
    assert stats.parse_period(None, None, None, today) == stats.last_months(today)
    year = stats.calendar_year(today)
    assert stats.parse_period("", "", "", today, year) == stats.Period(date(2026, 1, 1), date(2026, 12, 31))
    assert stats.Period(date(2026, 1, 1), date(2026, 12, 31)).label == "du 1er janvier 2026 au 31 décembre 2026"
    assert stats.Period(date(2026, 11, 2), date(2026, 11, 20)).label == "du 2 au 20 novembre 2026"
    assert stats.Period(date(2026, 11, 2), date(2026, 11, 2)).label == "lundi 2 novembre 2026"
    assert stats.last_months(date(2026, 1, 15), 3) == stats.Period(date(2025, 11, 1), date(2026, 1, 31))
