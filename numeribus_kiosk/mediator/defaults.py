"""What the session form holds before the mediator touches it (issue 4, item 2).  No Qt.

A typical session must be logged in a few taps, so the form opens with everything it can guess:

- **when**: now, rounded down to 5 minutes (`round_down`);
- **where**: today's scheduled stop for that moment (`todays_stop`): the passage of today whose
  hours contain the moment, else the nearest passage of today, else the place of the last
  session, else "" (`default_place`).  A stop is written "commune, place" (`stop_label`), the
  way the schedule names it;
- **how long**: 60 minutes when the configured quick picks offer it, else their first one
  (`default_duration`);
- **who**: the mediator currently logging.

"Répéter la dernière séance" (`repeat_session`) takes everything from the last session but the
date (now), the place (today's stop, else the last session's) and the notes, which describe one
session only.  A favourite (`apply_template`) fills its template fields
(:data:`numeribus_kiosk.mediator.favourites.TEMPLATE_FIELDS`) and keeps the rest.

Equipment is stored as a list of texts.  An entry whose first word is a plural ("tablettes",
"liseuses") is *counted*: the form offers a number, stored in the text ("6 tablettes",
"1 tablette"; `equipment_text`), and read back with `parse_equipment`.

The schedule is read from ``catalogue.db`` on a read-only connection of its own
(`read_stops`); a catalogue that cannot be read gives no stop (logged), never an error.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from ..catalogue import schedule
from ..catalogue.schedule import Passage
from ..catalogue.text import fold
from . import favourites

log = logging.getLogger(__name__)

STEP_MIN = 5
DEFAULT_DURATION = 60
# One-tap numbers of participants offered next to the − / + buttons.
PARTICIPANT_PICKS = (4, 6, 8, 10, 12, 15, 20)
PLACE_CHOICES_MAX = 6
_LEADING_COUNT = re.compile(r"^\s*(\d{1,4})\s+(\S.*)$")


# --------------------------------------------------------------------------- time


def round_down(moment: datetime, minutes: int = STEP_MIN) -> datetime:
    """`moment` rounded down to a multiple of `minutes` (seconds dropped), its offset kept."""
    if minutes < 1:
        raise ValueError("minutes must be at least 1")
    return moment.replace(minute=moment.minute - moment.minute % minutes, second=0, microsecond=0)


def default_duration(durations: Sequence[int]) -> int:
    """60 minutes when the quick picks offer it (or offer nothing), else the first quick pick."""
    if not durations or DEFAULT_DURATION in durations:
        return DEFAULT_DURATION
    return durations[0]


def duration_text(minutes: int) -> str:
    """ "30 min", "1 h", "1 h 30", "2 h 05"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


# --------------------------------------------------------------------------- place


def stop_label(passage: Passage) -> str:
    """The place of a stop as the session records it: "Noirétable, Place de l'Église"."""
    return ", ".join(part for part in (passage.commune.strip(), passage.place.strip()) if part)


def _distance(passage: Passage, moment: datetime) -> timedelta:
    """How far `moment` is from the passage's hours (zero inside them)."""
    now = datetime.combine(passage.date, moment.time())
    start = datetime.combine(passage.date, passage.start)
    end = datetime.combine(passage.date, passage.end)
    if now < start:
        return start - now
    if now > end:
        return now - end
    return timedelta(0)


def todays_stop(passages: Iterable[Passage], moment: datetime) -> Passage | None:
    """The passage of `moment`'s day whose hours contain it, else the nearest one that day.

    Hours are inclusive (a session logged at 12:00 belongs to the 9:30-12:00 stop).  Two stops as
    near: the earlier one.  None when the bus has no stop that day."""
    day = moment.date()
    today = [p for p in passages if p.date == day]
    if not today:
        return None
    return min(today, key=lambda p: (_distance(p, moment), p.start, p.id))


def default_place(passages: Iterable[Passage], moment: datetime, last_place: str | None = None) -> str:
    """Today's stop for `moment`, else the place of the last session, else ""."""
    stop = todays_stop(passages, moment)
    if stop is not None:
        return stop_label(stop)
    return (last_place or "").strip()


def place_choices(
    passages: Iterable[Passage], moment: datetime, extra: Iterable[str] = (), limit: int = PLACE_CHOICES_MAX
) -> list[str]:
    """The places offered as chips: today's stops (nearest first), then the next stops, then `extra`.

    Distinct (case and accents ignored), at most `limit`."""
    passages = list(passages)
    day = moment.date()
    today = sorted((p for p in passages if p.date == day), key=lambda p: (_distance(p, moment), p.start, p.id))
    later = sorted((p for p in passages if p.date > day), key=lambda p: (p.date, p.start, p.id))
    chosen: list[str] = []
    seen: set[str] = set()
    for label in [*(stop_label(p) for p in today + later), *extra]:
        key = fold(label.strip())
        if label.strip() and key not in seen:
            seen.add(key)
            chosen.append(label.strip())
        if len(chosen) >= limit:
            break
    return chosen


def read_stops(data_dir: Path, today: date) -> list[Passage]:
    """The bus's passages from `today` on, read from catalogue.db without writing to it.

    A missing or unreadable catalogue gives [] (logged): the form then proposes the last place."""
    from ..store import catalogue_path

    path = catalogue_path(Path(data_dir))
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return schedule.upcoming_passages(Database(conn), today)
        finally:
            conn.close()
    except (sqlite3.Error, ValueError) as exc:
        log.error("the bus schedule in %s could not be read for the session form: %s", path, exc)
        return []


# --------------------------------------------------------------------------- equipment


def is_counted(name: str) -> bool:
    """True for equipment counted by the unit: its first word is a plural ("tablettes", "liseuses")."""
    words = name.split()
    if not words:
        return False
    first = words[0]
    return len(first) > 2 and first[-1] in "sx" and first[-2] not in "sx"


def _singular(name: str) -> str:
    first, _, rest = name.partition(" ")
    first = first[:-1] if is_counted(name) else first
    return f"{first} {rest}" if rest else first


def equipment_text(name: str, count: int | None = None) -> str:
    """The stored text of one piece of equipment: "tablettes", "6 tablettes", "1 tablette"."""
    name = " ".join(name.split())
    if count is None or count <= 0:
        return name
    if count == 1:
        return f"1 {_singular(name)}"
    return f"{count} {name}"


def parse_equipment(items: Iterable[str], known: Sequence[str]) -> tuple[dict[str, int | None], list[str]]:
    """Read stored equipment texts back against the configured list `known`.

    Returns ({known name: count or None}, [texts matching no known entry]).  "6 tablettes" and
    "1 tablette" both match "tablettes" (case and accents ignored)."""
    by_key: dict[str, str] = {}
    for name in known:
        by_key.setdefault(fold(name), name)
        by_key.setdefault(fold(_singular(name)), name)
    found: dict[str, int | None] = {}
    others: list[str] = []
    for item in items:
        text = " ".join(str(item).split())
        if not text:
            continue
        count: int | None = None
        match = _LEADING_COUNT.match(text)
        name = by_key.get(fold(text))
        if name is None and match:
            name = by_key.get(fold(match.group(2)))
            if name is not None:
                count = int(match.group(1))
        if name is None:
            if text not in others:
                others.append(text)
        elif name not in found or found[name] is None:
            found[name] = count
    return found, others


# --------------------------------------------------------------------------- whole forms


def new_session(
    moment: datetime,
    *,
    passages: Iterable[Passage] = (),
    last_place: str | None = None,
    mediator: str = "",
    durations: Sequence[int] = (),
) -> dict:
    """The contract fields of a fresh form: valid once an activity and a public are chosen."""
    return {
        "started_at": round_down(moment).isoformat(),
        "duration_min": default_duration(durations),
        "place": default_place(passages, moment, last_place),
        "activity": "",
        "publics": [],
        "participants": 0,
        "participants_by_age": None,
        "partner": None,
        "equipment": [],
        "mediator": mediator,
        "notes": "",
    }


def repeat_session(last: dict, moment: datetime, *, passages: Iterable[Passage] = (), mediator: str = "") -> dict:
    """The last session's fields (`Session.data()`) for a new one: now, today's stop, no notes.

    The mediator is the one logging now (the last session's when nobody is named)."""
    data = dict(last)
    data["publics"] = list(data.get("publics") or [])
    data["equipment"] = list(data.get("equipment") or [])
    by_age = data.get("participants_by_age")
    data["participants_by_age"] = dict(by_age) if by_age else None
    data["started_at"] = round_down(moment).isoformat()
    data["place"] = default_place(passages, moment, data.get("place"))
    data["mediator"] = mediator or data.get("mediator", "")
    data["notes"] = ""
    return data


def apply_template(data: dict, template: dict) -> dict:
    """`data` with a favourite's template fields put in (the others untouched).

    Participants by age are dropped when the favourite changes the number of participants."""
    merged = dict(data)
    for field in favourites.TEMPLATE_FIELDS:
        if field in template:
            value = template[field]
            merged[field] = list(value) if isinstance(value, (list, tuple)) else value
    if merged.get("participants") != data.get("participants"):
        merged["participants_by_age"] = None
    return merged
