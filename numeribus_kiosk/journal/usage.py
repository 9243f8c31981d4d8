"""Anonymous daily usage counters: how many times something happened on a given day, nothing more.

Counters hold counts only -- no time of day, no session, nothing about a person -- under names
from the fixed set `COUNTERS`.  An increment is a single upsert and writes no outbox event; the
day's totals go to headquarters in one "usage.daily" event once the day is over (`close_days`).

Exactly once
    `close_days` records, in the same transaction as the events it writes, how much of each
    counter has been reported (``usage_counters.reported``) and which days were closed
    (``usage_days_sent``).  Calling it again emits nothing new.

Late increments (choice: correction events, never refusal)
    An increment for a day that was already closed (the bus clock corrected backwards, an action
    stamped just before midnight and saved after the close...) is accepted.  The next
    `close_days` emits another "usage.daily" event for that day carrying only the delta
    ``count - reported``.  Refusing would drop a count the visitor really made; so every
    "usage.daily" event is a delta and headquarters **adds up** all the "usage.daily" events of a
    device for a day (the first one is the delta from zero).  Payload of every such event:
    ``{"day": "YYYY-MM-DD", "counters": {name: count, ...}}``; its entity id is the day.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from itertools import groupby

import sqlite_utils

from . import outbox
from .requests import JournalError, timestamp

logger = logging.getLogger(__name__)

COUNTERS = frozenset(
    {
        "search",
        "notice_opened",
        "request",
        "feedback",
        "volunteer",
        "a11y.text_large",
        "a11y.font_dys",
        "a11y.contrast",
        "a11y.theme_dark",
        "a11y.theme_cream",
        "a11y.speech",
        "a11y.syllables",
        "a11y.reduced_motion",
        "profile.malvoyant",
        "profile.dys",
        "profile.senior",
        "language.en",
        "idle_reset",
    }
)

EVENT_KIND = "usage.daily"


def _day(value: object, name: str) -> str:
    # A datetime is a date too, but its isoformat() would carry the time of day.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise JournalError(f"{name} must be a datetime.date (not a datetime)")
    return value.isoformat()


def increment(db: sqlite_utils.Database, counter: str, today: date, by: int = 1) -> None:
    """Add `by` (a positive integer) to `counter` for the day `today`: one upsert, no outbox event.

    Unknown counter names raise `JournalError` (a ValueError).  Inside a caller's transaction
    the increment is part of it; otherwise it is committed at once.
    """
    if counter not in COUNTERS:
        raise JournalError(f"unknown usage counter {counter!r}")
    if isinstance(by, bool) or not isinstance(by, int) or by < 1:
        raise JournalError("by must be a positive integer")
    day = _day(today, "today")
    db.execute(
        "INSERT INTO usage_counters (day, counter, count) VALUES (?, ?, ?) "
        "ON CONFLICT (day, counter) DO UPDATE SET count = count + excluded.count",
        [day, counter, by],
    )


def counters_for(db: sqlite_utils.Database, day: date) -> dict[str, int]:
    """The counts of `day` (everything counted, reported or not), by counter name."""
    rows = db.execute(
        "SELECT counter, count FROM usage_counters WHERE day = ? AND count > 0 ORDER BY counter",
        [_day(day, "day")],
    ).fetchall()
    return {counter: count for counter, count in rows}


def closed_days(db: sqlite_utils.Database) -> list[str]:
    """Days (ISO text) already closed by `close_days`, in order."""
    return [row[0] for row in db.execute("SELECT day FROM usage_days_sent ORDER BY day").fetchall()]


def close_days(db: sqlite_utils.Database, today: date, now: datetime | None = None) -> list[outbox.OutboxEvent]:
    """Write one "usage.daily" event per day before `today` with counts not yet reported.

    For a day never closed the event carries all its counters and the day is recorded in
    ``usage_days_sent``; for a day already closed that got late increments it carries only the
    deltas (see the module docstring).  Everything happens in one transaction; returns the
    events written, in day order (an empty list when there is nothing new).
    """
    before = _day(today, "today")
    now, closed_at = timestamp(now)
    events: list[outbox.OutboxEvent] = []
    with db.atomic():
        rows = db.execute(
            "SELECT day, counter, count - reported FROM usage_counters "
            "WHERE day < ? AND count > reported ORDER BY day, counter",
            [before],
        ).fetchall()
        for day, day_rows in groupby(rows, key=lambda row: row[0]):
            counters = {counter: delta for _, counter, delta in day_rows}
            event = outbox.append(db, EVENT_KIND, day, {"day": day, "counters": counters}, now=now)
            db.execute("UPDATE usage_counters SET reported = count WHERE day = ?", [day])
            db.execute(
                "INSERT OR IGNORE INTO usage_days_sent (day, closed_at, first_seq) VALUES (?, ?, ?)",
                [day, closed_at, event.seq],
            )
            events.append(event)
    if events:
        logger.info("usage counters closed for %s", ", ".join(event.entity_id for event in events))
    return events
