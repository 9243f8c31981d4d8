"""On-board statistics of the mediation sessions (issue 4, item 4): what the mediator screen shows.

For a *period* (`PERIODS`) this module counts the sessions recorded in journal.db and their
participants, in total and by public, by activity and by place.  No Qt; the screen's bridge is
``numeribus_kiosk/ui/stats_model.py``.

Periods (`period_dates`), all ending dates included:

``today``   today only;
``week``    this ISO week, Monday to Sunday;
``month``   this calendar month, the 1st to its last day;
``tour``    the current tour ("Cette tournée"): from the first to the last passage date of the bus
            schedule loaded in catalogue.db (`read_tour_dates`), **when today falls within those
            dates**.  When there is no schedule, or today is before its first passage (a schedule
            published for the next tour) or after its last one (the tour is over), the period is
            the last 28 days instead, today included (`FALLBACK_DAYS`); `Period.fallback` is then
            True and the screen says "les 28 derniers jours" with its dates, so a mediator never
            mistakes it for a tour.

Counting rules (`compute`):

- sessions come from `sessions.list_sessions` (deleted sessions, the tombstones, are left out; a
  tombstone passed in anyway is ignored);
- a session belongs to the day of its ``started_at`` *in its own UTC offset* (a session started
  at 23:30+01:00 on the 30th counts on the 30th, whatever the kiosk's clock says);
- a session with several publics counts, with all its participants, in each of its publics: the
  "by public" lines may add up to more than the total (the screen says so);
- labels are grouped ignoring case and accents ("EHPAD" and "Ehpad" are one line), shown with
  their most used spelling (the first one recorded on a tie);
- lines are sorted by participants (most first), then by label (case and accents ignored).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from numeribus_kiosk.catalogue.schedule import french_day
from numeribus_kiosk.catalogue.text import fold

from .sessions import Session, session_day

log = logging.getLogger(__name__)

PERIODS = ("today", "week", "month", "tour")
FALLBACK_DAYS = 28


class Row(NamedTuple):
    """One line of a chart: a public, an activity or a place."""

    label: str
    sessions: int
    participants: int


@dataclass(frozen=True, slots=True)
class Period:
    """The days a figure covers: `start` to `end`, both included."""

    key: str  # one of PERIODS
    start: date
    end: date
    fallback: bool = False  # "tour" without a current tour: the last FALLBACK_DAYS days

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Stats:
    """The figures of one period."""

    start: date
    end: date
    sessions: int
    participants: int
    by_public: tuple[Row, ...]
    by_activity: tuple[Row, ...]
    by_place: tuple[Row, ...]

    @property
    def empty(self) -> bool:
        return self.sessions == 0


# --------------------------------------------------------------------------- periods


def period_dates(key: str, today: date, tour: tuple[date, date] | None = None) -> Period:
    """The days of period `key` seen from `today`; `tour` is (first, last) passage date or None.

    Raises ValueError for an unknown key or a tour ending before it starts.
    """
    if key == "today":
        return Period(key, today, today)
    if key == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(key, monday, monday + timedelta(days=6))
    if key == "month":
        first = today.replace(day=1)
        next_month = (first + timedelta(days=32)).replace(day=1)
        return Period(key, first, next_month - timedelta(days=1))
    if key == "tour":
        if tour is not None:
            first, last = tour
            if last < first:
                raise ValueError(f"the tour ends ({last}) before it starts ({first})")
            if first <= today <= last:
                return Period(key, first, last)
        return Period(key, today - timedelta(days=FALLBACK_DAYS - 1), today, fallback=True)
    raise ValueError(f"unknown period {key!r} (expected one of: {', '.join(PERIODS)})")


def tour_dates(db) -> tuple[date, date] | None:
    """(first, last) passage date of the schedule in catalogue.db `db`; None without a schedule.

    `db` is a sqlite_utils.Database or a sqlite3.Connection.
    """
    try:
        row = db.execute("SELECT MIN(date), MAX(date) FROM passages").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None  # a catalogue.db never migrated: no schedule
        raise
    if row is None or row[0] is None:
        return None
    return date.fromisoformat(row[0]), date.fromisoformat(row[1])


def read_tour_dates(data_dir: Path) -> tuple[date, date] | None:
    """`tour_dates` of the data directory's catalogue.db, on a read-only connection of its own.

    A missing or unreadable catalogue is logged and gives None (the last 28 days are shown):
    statistics must never stop the kiosk.
    """
    from numeribus_kiosk.store import catalogue_path

    path = catalogue_path(Path(data_dir))
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return tour_dates(conn)
        finally:
            conn.close()
    except (sqlite3.Error, ValueError) as exc:
        log.error("the bus schedule in %s could not be read for the tour's dates: %s", path, exc)
        return None


def french_dates(start: date, end: date, today: date) -> str:
    """The period's dates as a French sentence says them.

    "jeudi 26 novembre" (one day), "du 2 au 27 novembre", "du 30 novembre au 6 décembre",
    "du 28 décembre 2026 au 3 janvier 2027"; the year is written when it is not today's.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    other_year = start.year != today.year or end.year != today.year
    if start == end:
        return french_day(start, year=other_year)
    if start.year != end.year:
        return f"du {french_day(start, weekday=False)} au {french_day(end, weekday=False)}"
    if start.month == end.month:
        number = "1er" if start.day == 1 else str(start.day)
        return f"du {number} au {french_day(end, weekday=False, year=other_year)}"
    return f"du {french_day(start, weekday=False, year=False)} au {french_day(end, weekday=False, year=other_year)}"


# --------------------------------------------------------------------------- counting


class Group:
    """Sessions and participants counted under one folded key, shown with its most frequent
    spelling (headquarters' dashboard counts the same way)."""

    __slots__ = ("participants", "sessions", "spellings")

    def __init__(self) -> None:
        self.sessions = 0
        self.participants = 0
        self.spellings: dict[str, int] = {}  # insertion order = first seen

    def add(self, label: str, participants: int) -> None:
        self.sessions += 1
        self.participants += participants
        self.spellings[label] = self.spellings.get(label, 0) + 1

    def label(self) -> str:
        best = max(self.spellings.values())
        return next(label for label, count in self.spellings.items() if count == best)


def group_rows(groups: dict[str, Group]) -> tuple[Row, ...]:
    """Most participants first, then most sessions, then alphabetical."""
    rows = [Row(group.label(), group.sessions, group.participants) for group in groups.values()]
    return tuple(sorted(rows, key=lambda r: (-r.participants, -r.sessions, fold(r.label), r.label)))


def compute(sessions: Iterable[Session], start: date, end: date) -> Stats:
    """The figures of the sessions whose day (`session_day`) is within `start`..`end` (included).

    Deleted sessions are ignored.  Raises ValueError when `end` is before `start`.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    count = participants = 0
    publics: dict[str, Group] = {}
    activities: dict[str, Group] = {}
    places: dict[str, Group] = {}
    for session in sessions:
        if session.deleted or not start <= session_day(session) <= end:
            continue
        count += 1
        participants += session.participants
        seen: set[str] = set()
        for public in session.publics:
            key = fold(public)
            if key not in seen:  # "Enfants" and "enfants" in one session: counted once
                seen.add(key)
                publics.setdefault(key, Group()).add(public, session.participants)
        activities.setdefault(fold(session.activity), Group()).add(session.activity, session.participants)
        places.setdefault(fold(session.place), Group()).add(session.place, session.participants)
    return Stats(start, end, count, participants, group_rows(publics), group_rows(activities), group_rows(places))


def compute_period(sessions: Iterable[Session], period: Period) -> Stats:
    """`compute` over a `Period`."""
    return compute(sessions, period.start, period.end)


__all__ = [
    "FALLBACK_DAYS",
    "PERIODS",
    "Period",
    "Row",
    "Stats",
    "compute",
    "compute_period",
    "french_dates",
    "period_dates",
    "read_tour_dates",
    "session_day",
    "tour_dates",
]
