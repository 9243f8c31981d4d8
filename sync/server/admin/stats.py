"""Statistics of the mediation sessions for the admin site's dashboard.

They read the `sessions` table that `sync.server.events` keeps up to date from the buses'
events (one row per session and device, the highest version winning).  Counting rules, the
same as the bus's own statistics (`numeribus_kiosk.journal.stats`):

- deleted sessions (``deleted = 1``) are left out;
- a session belongs to its ``day`` (the date of its start in its own UTC offset) and ``month``;
- a session with several publics counts, with all its participants, once in each of its
  publics: the "by public" lines may add up to more than the total (the page says so);
- labels are grouped ignoring case and accents ("EHPAD" and "Ehpad" are one line), shown with
  their most used spelling; an empty commune is "non renseignée";
- lines are sorted by participants (most first), then by label; months in calendar order.

Periods are whole days, both ends included (`Period`); `parse_period` reads the dashboard's
GET form (a month, or a from/to pair) and says what is wrong in French.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from numeribus_kiosk.catalogue.schedule import FRENCH_MONTHS, french_day
from numeribus_kiosk.catalogue.text import fold
from numeribus_kiosk.journal.stats import Group, Row, group_rows

DEFAULT_MONTHS = 12
NO_COMMUNE = "Commune non renseignée"


class PeriodError(ValueError):
    """A period the dashboard's form cannot use; the message is French, for the page."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        """In French: "du 1er décembre 2025 au 30 novembre 2026", "novembre 2026" for a whole month."""
        if self.start.day == 1 and self.end == month_end(self.start):
            return month_label(self.start)
        if self.start == self.end:
            return french_day(self.start)
        number = "1er" if self.start.day == 1 else str(self.start.day)
        if self.start.year == self.end.year and self.start.month == self.end.month:
            return f"du {number} au {french_day(self.end, weekday=False)}"
        return f"du {french_day(self.start, weekday=False)} au {french_day(self.end, weekday=False)}"

    def months(self) -> list[str]:
        """Every month of the period, "YYYY-MM", in order."""
        months = []
        current = self.start.replace(day=1)
        while current <= self.end:
            months.append(f"{current:%Y-%m}")
            current = month_end(current) + timedelta(days=1)
        return months


@dataclass(frozen=True, slots=True)
class Dashboard:
    period: Period
    sessions: int
    participants: int
    by_month: tuple[Row, ...]
    by_public: tuple[Row, ...]
    by_activity: tuple[Row, ...]
    by_commune: tuple[Row, ...]

    @property
    def empty(self) -> bool:
        return self.sessions == 0


def month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def month_label(day: date) -> str:
    return f"{FRENCH_MONTHS[day.month - 1]} {day.year}"


def last_months(today: date, count: int = DEFAULT_MONTHS) -> Period:
    """The `count` calendar months ending with today's month."""
    first = today.replace(day=1)
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(first, month_end(today))


def calendar_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def parse_period(
    month: str | None, start: str | None, end: str | None, today: date, default: Period | None = None
) -> Period:
    """The period of a form: a month "YYYY-MM", else from/to "YYYY-MM-DD" (either may be left
    empty: the default's start, or today), else `default` (the last 12 months when None)."""
    default = default or last_months(today)
    month = (month or "").strip()
    start = (start or "").strip()
    end = (end or "").strip()
    if month:
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise PeriodError("Le mois doit s’écrire AAAA-MM, par exemple 2026-11.") from None
        return Period(first, month_end(first))
    if not start and not end:
        return default
    try:
        first = date.fromisoformat(start) if start else default.start
    except ValueError:
        raise PeriodError("La date de début doit s’écrire AAAA-MM-JJ, par exemple 2026-11-02.") from None
    try:
        last = date.fromisoformat(end) if end else today
    except ValueError:
        raise PeriodError("La date de fin doit s’écrire AAAA-MM-JJ, par exemple 2026-11-30.") from None
    if last < first:
        raise PeriodError("La date de fin est avant la date de début.")
    return Period(first, last)


def _add(groups: dict[str, Group], label: str, participants: int) -> None:
    groups.setdefault(fold(label), Group()).add(label, participants)


def _publics(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()] if isinstance(value, list) else []


def dashboard(db: sqlite_utils.Database, period: Period) -> Dashboard:
    """The dashboard's figures for `period` (see the module docstring for the rules)."""
    rows = db.execute(
        "SELECT month, activity, commune, publics, participants FROM sessions "
        "WHERE deleted = 0 AND day >= ? AND day <= ? ORDER BY started_at",
        [period.start.isoformat(), period.end.isoformat()],
    ).fetchall()
    months = {month: [0, 0] for month in period.months()}
    by_public: dict[str, Group] = {}
    by_activity: dict[str, Group] = {}
    by_commune: dict[str, Group] = {}
    total_participants = 0
    for month, activity, commune, publics, participants in rows:
        participants = int(participants or 0)
        total_participants += participants
        counts = months.setdefault(month, [0, 0])
        counts[0] += 1
        counts[1] += participants
        _add(by_activity, (activity or "").strip() or "Activité non renseignée", participants)
        _add(by_commune, (commune or "").strip() or NO_COMMUNE, participants)
        seen: set[str] = set()
        for public in _publics(publics):
            key = fold(public)
            if key not in seen:  # "EHPAD" and "Ehpad" in one session count once
                seen.add(key)
                _add(by_public, public, participants)
    by_month = tuple(
        Row(month_label(date.fromisoformat(f"{month}-01")), counts[0], counts[1])
        for month, counts in sorted(months.items())
    )
    return Dashboard(
        period=period,
        sessions=len(rows),
        participants=total_participants,
        by_month=by_month,
        by_public=group_rows(by_public),
        by_activity=group_rows(by_activity),
        by_commune=group_rows(by_commune),
    )
