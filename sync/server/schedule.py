"""The bus schedule (passages) and the workshop agenda at headquarters: CSV imports and edits.

Passages and workshops are published as ``passage`` / ``workshop`` entities of the change log,
keyed by their id, with ``Passage.to_dict()`` / ``Workshop.to_dict()`` as data.  The CSV files
are read with the kiosk's readers (`numeribus_kiosk.catalogue.schedule`; columns in
docs/schedule-formats.md): an import replaces the whole set of its kind (absent items get a
tombstone, unchanged ones nothing).  Whether a file is a schedule or an agenda is told from its
header: an agenda has the ``kind`` and ``title`` columns.

The admin site edits single items with `put_passage`, `delete_passage`, `put_workshop`,
`delete_workshop`; `passage_from_fields` / `workshop_from_fields` turn form fields into items
with the same rules as a CSV row.  A refused item raises `ScheduleValidationError` (a
`ValueError`) with a plain English message.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlite_utils

from numeribus_kiosk.catalogue.schedule import (
    PASSAGE_COLUMNS,
    WORKSHOP_COLUMNS,
    WORKSHOP_KINDS,
    WORKSHOP_REQUIRED,
    Passage,
    ScheduleError,
    SkippedRow,
    Workshop,
    parse_passages,
    parse_workshops,
)

from . import publish

PASSAGE = "passage"
WORKSHOP = "workshop"

__all__ = [
    "ScheduleError",
    "ScheduleImportReport",
    "ScheduleValidationError",
    "delete_passage",
    "delete_workshop",
    "detect",
    "import_schedule",
    "passage_from_fields",
    "passages",
    "put_passage",
    "put_workshop",
    "workshop_from_fields",
    "workshops",
]


class ScheduleValidationError(ValueError):
    """A passage or workshop that cannot be published; the message says why, in plain English."""


@dataclass(slots=True)
class ScheduleImportReport:
    file: str
    what: str  # "schedule" (passages) or "agenda" (workshops)
    read: int = 0  # rows met, usable or not
    imported: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    diff: publish.Diff = field(default_factory=publish.Diff)
    version: int = 0

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "what": self.what,
            "read": self.read,
            "imported": self.imported,
            "changed": self.diff.changed,
            "added": self.diff.added,
            "updated": self.diff.updated,
            "removed": self.diff.removed,
            "unchanged": self.diff.unchanged,
            "version": self.version,
            "skipped": [{"line": s.line, "reason": s.reason} for s in self.skipped],
        }


# --------------------------------------------------------------------------- reading


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleError(f"{path}: not UTF-8 text (byte {exc.start + 1}); save the file as CSV UTF-8") from None


def detect(text: str) -> str:
    """ "agenda" when the CSV header has the agenda's own columns (kind, title), else "schedule"."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    cells = next(csv.reader([header_line], delimiter=delimiter), [])
    header = {unicodedata.normalize("NFC", c).strip().lower() for c in cells}
    own = set(WORKSHOP_REQUIRED) - set(PASSAGE_COLUMNS)
    return "agenda" if own <= header else "schedule"


def import_schedule(db: sqlite_utils.Database, path: str | Path, now: datetime) -> ScheduleImportReport:
    """Publish a schedule or agenda CSV as the whole set of passages or workshops.

    Raises `ScheduleError` (nothing changed) when the file cannot be read, lacks a required
    column or has no valid row.  Bad rows are skipped and reported.
    """
    path = Path(path)
    text = _text(path)
    what = detect(text)
    items, skipped = (parse_workshops if what == "agenda" else parse_passages)(text, str(path))
    kind = WORKSHOP if what == "agenda" else PASSAGE
    diff = publish.replace_all(db, kind, ((i.id, *publish.encode(i.to_dict())) for i in items), now)
    return ScheduleImportReport(
        file=str(path),
        what=what,
        read=len(items) + len(skipped),
        imported=len(items),
        skipped=list(skipped),
        diff=diff,
        version=publish.current_version(db),
    )


# --------------------------------------------------------------------------- items


def passage_from_data(data: Mapping) -> Passage:
    """The `Passage` of a published ``passage`` entity's data (the bus reads it the same way)."""
    return Passage.from_dict(dict(data))


def workshop_from_data(data: Mapping) -> Workshop:
    """The `Workshop` of a published ``workshop`` entity's data (the bus reads it the same way)."""
    return Workshop.from_dict(dict(data))


def passages(db: sqlite_utils.Database) -> list[Passage]:
    """Every published passage, by date, start time, commune and id."""
    items = [passage_from_data(c.data) for c in publish.live_entities(db, kinds=[PASSAGE])]
    return sorted(items, key=lambda p: (p.date, p.start, p.commune, p.id))


def workshops(db: sqlite_utils.Database) -> list[Workshop]:
    """Every published workshop, by date, start time, commune and id."""
    items = [workshop_from_data(c.data) for c in publish.live_entities(db, kinds=[WORKSHOP])]
    return sorted(items, key=lambda w: (w.date, w.start, w.commune, w.id))


def _check_common(item: Passage | Workshop, what: str) -> None:
    if not isinstance(item.id, str) or not item.id.strip():
        raise ScheduleValidationError(f"The {what} has no id.")
    if not isinstance(item.date, date) or isinstance(item.date, datetime):
        raise ScheduleValidationError(f"The {what} {item.id!r} has no valid date.")
    if not isinstance(item.start, time) or not isinstance(item.end, time):
        raise ScheduleValidationError(f"The {what} {item.id!r} has no valid start and end times.")
    if item.end <= item.start:
        raise ScheduleValidationError(
            f"The {what} {item.id!r} ends ({item.end:%H:%M}) before it starts ({item.start:%H:%M})."
        )
    if not isinstance(item.commune, str) or not item.commune.strip():
        raise ScheduleValidationError(f"The {what} {item.id!r} has no commune.")


def put_passage(db: sqlite_utils.Database, passage: Passage, now: datetime) -> int | None:
    """Publish one passage (new or changed); its new version, or None when unchanged."""
    if not isinstance(passage, Passage):
        raise ScheduleValidationError(f"Expected a passage, got {type(passage).__name__}.")
    _check_common(passage, "passage")
    return publish.put(db, PASSAGE, passage.id, passage.to_dict(), now)


def put_workshop(db: sqlite_utils.Database, workshop: Workshop, now: datetime) -> int | None:
    """Publish one workshop (new or changed); its new version, or None when unchanged."""
    if not isinstance(workshop, Workshop):
        raise ScheduleValidationError(f"Expected a workshop, got {type(workshop).__name__}.")
    _check_common(workshop, "workshop")
    if workshop.kind not in WORKSHOP_KINDS:
        raise ScheduleValidationError(
            f"The workshop {workshop.id!r} has an unknown kind {workshop.kind!r} "
            f"(expected one of: {', '.join(WORKSHOP_KINDS)})."
        )
    if not isinstance(workshop.title, str) or not workshop.title.strip():
        raise ScheduleValidationError(f"The workshop {workshop.id!r} has no title.")
    if workshop.seats is not None and (
        isinstance(workshop.seats, bool) or not isinstance(workshop.seats, int) or workshop.seats < 0
    ):
        raise ScheduleValidationError(f"The workshop {workshop.id!r} has a bad number of seats.")
    return publish.put(db, WORKSHOP, workshop.id, workshop.to_dict(), now)


def delete_passage(db: sqlite_utils.Database, passage_id: str, now: datetime) -> bool:
    """Withdraw a passage (a tombstone); False when there was no such passage."""
    return publish.remove(db, PASSAGE, passage_id, now) is not None


def delete_workshop(db: sqlite_utils.Database, workshop_id: str, now: datetime) -> bool:
    """Withdraw a workshop (a tombstone); False when there was no such workshop."""
    return publish.remove(db, WORKSHOP, workshop_id, now) is not None


def _one_row(fields: Mapping[str, object], columns: tuple[str, ...], parse, what: str):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerow(["" if fields.get(c) is None else str(fields.get(c)) for c in columns])
    try:
        items, skipped = parse(buffer.getvalue(), what)
    except ScheduleError as exc:
        reason = str(exc).split("first problem, line 2: ", 1)[-1].removesuffix(")")
        raise ScheduleValidationError(f"The {what} cannot be saved: {reason}.") from None
    if skipped:  # cannot happen for a single row that parsed, but never publish half a form
        raise ScheduleValidationError(f"The {what} cannot be saved: {skipped[0].reason}.")
    return items[0]


def passage_from_fields(fields: Mapping[str, object]) -> Passage:
    """A passage from form fields named like the CSV columns (the same checks as an import row;
    without an ``id``, one is made from the date, time and commune)."""
    return _one_row(fields, PASSAGE_COLUMNS, parse_passages, "passage")


def workshop_from_fields(fields: Mapping[str, object]) -> Workshop:
    """A workshop from form fields named like the CSV columns (see `passage_from_fields`)."""
    return _one_row(fields, WORKSHOP_COLUMNS, parse_workshops, "workshop")
