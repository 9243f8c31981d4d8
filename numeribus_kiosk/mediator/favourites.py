"""Per-mediator favourites: named session templates, one tap to fill the form (issue 4, item 2).

A favourite holds what repeats from one workshop to the next — `TEMPLATE_FIELDS`: activity,
publics, participants, duration, partner, equipment — never the date, the place (the day's stop)
or the notes.  Labels are unique per mediator; saving under an existing label replaces it.
Favourites are a preference of the bus, kept in ``mediator_favourites`` (journal.db), not sent
to headquarters.  No Qt.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from ..journal import sessions
from ..journal.requests import JournalError, clean_line, timestamp

TEMPLATE_FIELDS = ("activity", "publics", "participants", "duration_min", "partner", "equipment")
LABEL_MAX = 60
MAX_PER_MEDIATOR = 12

# Values that make a template a valid session, for the fields a template does not hold.
_FILLER = {
    "started_at": "2000-01-01T00:00:00+00:00",
    "place": "-",
    "mediator": "-",
    "notes": "",
}


@dataclass(frozen=True, slots=True)
class Favourite:
    id: str
    mediator: str
    label: str
    data: dict

    def to_dict(self) -> dict:
        return {"id": self.id, "mediator": self.mediator, "label": self.label, "data": dict(self.data)}


def template(data: dict) -> dict:
    """The template fields of a session's `data`, checked as a session would be."""
    if not isinstance(data, dict):
        raise JournalError("a favourite must be an object")
    unknown = sorted(str(key) for key in data if key not in TEMPLATE_FIELDS)
    if unknown:
        raise JournalError(f"a favourite holds only {', '.join(TEMPLATE_FIELDS)}; not {', '.join(unknown)}")
    base = {"activity": "", "publics": [], "participants": 0, "duration_min": 60, "partner": None, "equipment": []}
    clean = sessions.validate({**_FILLER, **base, **data})
    return {field: clean[field] for field in TEMPLATE_FIELDS}


def save_favourite(
    db: sqlite_utils.Database, mediator: str, label: str, data: dict, now: datetime | None = None
) -> Favourite:
    """Save `data` (template fields) as `mediator`'s favourite `label`, replacing one of the same label."""
    who = clean_line(mediator, "mediator", max_len=sessions.LINE_MAX, required=True)
    name = clean_line(label, "label", max_len=LABEL_MAX, required=True)
    values = template(data)
    _now, stamp = timestamp(now)
    with db.atomic():
        row = db.execute("SELECT id FROM mediator_favourites WHERE mediator = ? AND label = ?", [who, name]).fetchone()
        if row is None:
            count = db.execute("SELECT count(*) FROM mediator_favourites WHERE mediator = ?", [who]).fetchone()[0]
            if count >= MAX_PER_MEDIATOR:
                raise JournalError(f"at most {MAX_PER_MEDIATOR} favourites per mediator; delete one first")
            favourite_id = str(uuid.uuid4())
            db.execute(
                "INSERT INTO mediator_favourites (id, mediator, label, data, created_at) VALUES (?, ?, ?, ?, ?)",
                [favourite_id, who, name, json.dumps(values, ensure_ascii=False), stamp],
            )
        else:
            favourite_id = row[0]
            db.execute(
                "UPDATE mediator_favourites SET data = ? WHERE id = ?",
                [json.dumps(values, ensure_ascii=False), favourite_id],
            )
    return Favourite(favourite_id, who, name, values)


def list_favourites(db: sqlite_utils.Database, mediator: str) -> list[Favourite]:
    """`mediator`'s favourites in the order they were first saved."""
    rows = db.execute(
        "SELECT id, mediator, label, data FROM mediator_favourites WHERE mediator = ? ORDER BY created_at, rowid",
        [" ".join(str(mediator).split())],
    ).fetchall()
    return [Favourite(row[0], row[1], row[2], json.loads(row[3])) for row in rows]


def delete_favourite(db: sqlite_utils.Database, favourite_id: str) -> bool:
    """Delete one favourite; False when there is none with this id."""
    with db.atomic():
        cursor = db.execute("DELETE FROM mediator_favourites WHERE id = ?", [str(favourite_id)])
    return cursor.rowcount > 0


def known_mediators(db: sqlite_utils.Database) -> list[str]:
    """Names of mediators who logged a session or saved a favourite on this bus, sorted."""
    rows = db.execute(
        "SELECT mediator FROM sessions WHERE deleted = 0 UNION SELECT mediator FROM mediator_favourites"
    ).fetchall()
    return sorted((row[0] for row in rows), key=str.casefold)
