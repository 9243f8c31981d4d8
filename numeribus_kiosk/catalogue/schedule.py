"""The bus schedule ("Prochains passages du numéribus") and the workshop agenda ("Ateliers").

Headquarters publishes both; the bus keeps them in ``catalogue.db`` and a later sync replaces
them.  This module holds:

- the two models, `Passage` (one stop of the bus) and `Workshop` (one workshop at a stop);
- the CSV readers (`read_passages`, `read_workshops`; the columns are documented in
  ``docs/schedule-formats.md``): a bad row is skipped and reported with its line number and a
  reason, it never aborts the file; a file without a required column, or without a single valid
  row, raises `ScheduleError`;
- the storage: the migration set `migrations` (applied by the store when it opens
  ``catalogue.db``), `replace_passages` / `replace_workshops` (atomic, idempotent, an empty list
  is refused unless ``allow_empty``), the single-item changes headquarters' sync sends
  (`put_passage`, `delete_passage`, `put_workshop`, `delete_workshop`: each joins the caller's
  open transaction, if any), and the queries the kiosk screens use;
- `Passage.from_dict` / `Workshop.from_dict`: the inverse of ``to_dict`` (the data of a
  published ``passage`` / ``workshop`` entity), checked, refusing bad data with `ScheduleError`;
- the demo data: `demo_dir`, `rebase_demo_dates` and `load_demo`.

No Qt, no network.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple, TypeVar

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .. import ASSETS_DIR
from .text import fold

# Workshop kinds, as stable identifiers (the UI translates them).
WORKSHOP_KINDS = (
    "tablette",  # atelier tablettes
    "cafe_tablette",  # café tablettes
    "fablab_3d",  # initiation à l'impression 3D, mini fablab
    "demarches",  # accompagnement aux démarches en ligne
    "lecture_numerique",  # lecture et écoute numériques (liseuses, livres audio, DYS...)
    "jeux_video",  # jeux vidéo
    "autre",
)

DEFAULT_PUBLIC = "tout public"

PASSAGE_COLUMNS = ("id", "date", "start", "end", "commune", "place", "address", "notes", "public", "demo")
PASSAGE_REQUIRED = ("date", "start", "end", "commune")
WORKSHOP_COLUMNS = (
    "id",
    "date",
    "start",
    "end",
    "commune",
    "place",
    "kind",
    "title",
    "description",
    "audience",
    "seats",
    "registration",
    "demo",
)
WORKSHOP_REQUIRED = ("date", "start", "end", "commune", "kind", "title")

PASSAGES_FILE = "schedule.csv"
WORKSHOPS_FILE = "agenda.csv"


class ScheduleError(Exception):
    """A schedule or agenda that cannot be used at all (the message says which file and why)."""


FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_day(day: date, *, weekday: bool = True, year: bool = True) -> str:
    """A day in French words: "mardi 1er décembre 2026"; without the weekday and/or the year
    on demand ("1er décembre").  No locale needed."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {FRENCH_MONTHS[day.month - 1]}"
    if weekday:
        text = f"{FRENCH_WEEKDAYS[day.weekday()]} {text}"
    return f"{text} {day.year}" if year else text


def french_date(day: date) -> str:
    """The date in French words: "mardi 1er décembre 2026"."""
    return french_day(day)


def french_clock(moment: time | datetime) -> str:
    """A time as French signage writes it: "9 h", "14 h 05"."""
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def french_hours(start: time, end: time) -> str:
    """Opening hours as French signage writes them: "9 h 30 – 12 h"."""
    return f"{french_clock(start)} – {french_clock(end)}"


def _json_ready(item) -> dict:
    data = asdict(item)
    data["date"] = item.date.isoformat()
    data["start"] = f"{item.start:%H:%M}"
    data["end"] = f"{item.end:%H:%M}"
    return data


@dataclass(frozen=True, slots=True)
class Passage:
    """One stop of the numéribus: where and when visitors can come aboard."""

    id: str
    date: date
    start: time
    end: time
    commune: str
    place: str = ""  # "Place de la mairie", "EHPAD Les Tilleuls"
    address: str = ""  # street address, when useful
    notes: str = ""  # practical notes: "parking derrière l'église"
    public: str = DEFAULT_PUBLIC  # "tout public", "résidents de l'EHPAD"...
    demo: bool = False

    def to_dict(self) -> dict:
        """A JSON-ready dict: date "YYYY-MM-DD", times "HH:MM"."""
        return _json_ready(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Passage:
        """The passage of a `to_dict` form (unknown keys are ignored: a newer headquarters may add some).

        Values are taken as they are (no trimming), checked: `ScheduleError` says what is wrong."""
        return cls(**_common_from_dict(data, "passage", _PASSAGE_TEXT))

    def describe(self) -> str:
        """One line of French: "mardi 1er décembre 2026, 9 h 30 – 12 h : Noirétable, Place de l'Église"."""
        where = ", ".join(x for x in (self.commune, self.place) if x)
        text = f"{french_date(self.date)}, {french_hours(self.start, self.end)} : {where}"
        return text if self.public == DEFAULT_PUBLIC else f"{text} ({self.public})"


@dataclass(frozen=True, slots=True)
class Workshop:
    """One workshop of the agenda ("atelier tablettes", "café tablettes"...)."""

    id: str
    date: date
    start: time
    end: time
    commune: str
    place: str
    kind: str  # one of WORKSHOP_KINDS
    title: str
    description: str = ""
    audience: str = DEFAULT_PUBLIC
    seats: int | None = None  # None: not limited / not said
    registration: bool = False  # True: "sur inscription"
    demo: bool = False

    def to_dict(self) -> dict:
        """A JSON-ready dict: date "YYYY-MM-DD", times "HH:MM"."""
        return _json_ready(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> Workshop:
        """The workshop of a `to_dict` form (same rules as `Passage.from_dict`; the kind must be one
        of `WORKSHOP_KINDS`, the title not blank, seats a whole number or null)."""
        values = _common_from_dict(data, "workshop", _WORKSHOP_TEXT)
        what = f"workshop {values['id']!r}"
        if values.get("kind") not in WORKSHOP_KINDS:
            expected = ", ".join(WORKSHOP_KINDS)
            raise ScheduleError(f"{what}: unknown kind {data.get('kind')!r} (expected one of: {expected})")
        values.setdefault("place", "")
        if not values.get("title", "").strip():
            raise ScheduleError(f"{what}: missing title")
        seats = data.get("seats")
        if seats is not None and (isinstance(seats, bool) or not isinstance(seats, int) or seats < 0):
            raise ScheduleError(f"{what}: bad seats {seats!r} (expected a whole number, or null)")
        values["seats"] = seats
        values["registration"] = _flag_from_dict(data, "registration", what)
        return cls(**values)

    def describe(self) -> str:
        """One line of French: "mardi 1er décembre 2026, 10 h – 11 h 30 : Café tablettes – Charlieu, ...".

        Registration and seats, when given, follow in brackets: "(sur inscription, 6 places)".
        """
        where = ", ".join(x for x in (self.commune, self.place) if x)
        text = f"{french_date(self.date)}, {french_hours(self.start, self.end)} : {self.title} – {where}"
        extras = []
        if self.registration:
            extras.append("sur inscription")
        if self.seats is not None:
            extras.append(f"{self.seats} place{'s' if self.seats > 1 else ''}")
        return f"{text} ({', '.join(extras)})" if extras else text


Item = TypeVar("Item", Passage, Workshop)


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A CSV row a reader could not use: its line in the file and why, in plain words."""

    line: int  # 1-based line where the row starts (the header is line 1)
    reason: str
    file: str = ""

    @property
    def position(self) -> int:  # the name `record.Skipped` uses
        return self.line

    def __str__(self) -> str:
        return f"{self.file}: line {self.line}: {self.reason}" if self.file else f"line {self.line}: {self.reason}"


class ReadResult(NamedTuple):
    """What a reader produced: the valid items, and the rows it skipped (line number, reason)."""

    items: list
    skipped: list[SkippedRow]


# --------------------------------------------------------------------------- parsing values

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_TRUE = {"1", "oui", "o", "yes", "y", "true", "vrai", "x"}
_FALSE = {"", "0", "non", "n", "no", "false", "faux"}


class _RowError(ValueError):
    """One row's problem, in plain words."""


def _parse_date(value: str, column: str) -> date:
    value = value.strip()
    if not value:
        raise _RowError(f"missing {column}")
    if not _DATE.match(value):
        raise _RowError(f"bad {column} {value!r} (expected YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _RowError(f"bad {column} {value!r} (no such day)") from None


def _parse_time(value: str, column: str) -> time:
    value = value.strip()
    if not value:
        raise _RowError(f"missing {column} time")
    match = _TIME.match(value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise _RowError(f"bad {column} time {value!r} (expected HH:MM)")
    return time(int(match.group(1)), int(match.group(2)))


def _parse_flag(value: str, column: str) -> bool:
    v = fold(value.strip())
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise _RowError(f"bad {column} {value!r} (expected 1 or 0, oui or non)")


def _parse_seats(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise _RowError(f"bad seats {value!r} (expected a whole number, or nothing)")
    return int(value)


_PASSAGE_TEXT = ("place", "address", "notes", "public")
_WORKSHOP_TEXT = ("place", "kind", "title", "description", "audience")


def _flag_from_dict(data: Mapping, key: str, what: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ScheduleError(f"{what}: bad {key} {value!r} (expected true or false)")
    return value


def _common_from_dict(data: Mapping, kind: str, text_fields: tuple[str, ...]) -> dict:
    """The checked fields every `to_dict` form has (id, date, times, commune, demo) and `text_fields`."""
    if not isinstance(data, Mapping):
        raise ScheduleError(f"a {kind} must be a JSON object, not {type(data).__name__}")
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise ScheduleError(f"a {kind} has no id")
    what = f"{kind} {ident!r}"
    values: dict = {"id": ident}
    try:
        for key in ("date", "start", "end"):
            if not isinstance(data.get(key), str):
                raise _RowError(f"missing {key}" if data.get(key) is None else f"bad {key} {data.get(key)!r}")
        values["date"] = _parse_date(data["date"], "date")
        values["start"] = _parse_time(data["start"], "start")
        values["end"] = _parse_time(data["end"], "end")
        _check_times(values["start"], values["end"])
    except _RowError as exc:
        raise ScheduleError(f"{what}: {exc}") from None
    commune = data.get("commune")
    if not isinstance(commune, str) or not commune.strip():
        raise ScheduleError(f"{what}: missing commune")
    values["commune"] = commune
    for key in text_fields:
        if key in data:
            if not isinstance(data[key], str):
                raise ScheduleError(f"{what}: {key} must be text, not {data[key]!r}")
            values[key] = data[key]
    values["demo"] = _flag_from_dict(data, "demo", what)
    return values


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _check_times(start: time, end: time) -> None:
    if end <= start:
        raise _RowError(f"end {end:%H:%M} is not after start {start:%H:%M}")


def _passage_from_row(row: dict[str, str]) -> Passage:
    day, start, end, commune = _when_and_where(row)
    place = row.get("place", "").strip()
    ident = row.get("id", "").strip() or f"P-{day:%Y%m%d}-{start:%H%M}-{_slug(commune)}"
    return Passage(
        id=ident,
        date=day,
        start=start,
        end=end,
        commune=commune,
        place=place,
        address=row.get("address", "").strip(),
        notes=row.get("notes", "").strip(),
        public=row.get("public", "").strip() or DEFAULT_PUBLIC,
        demo=_parse_flag(row.get("demo", ""), "demo"),
    )


def _when_and_where(row: dict[str, str]) -> tuple[date, time, time, str]:
    """The date, times and commune every schedule row has, checked."""
    day = _parse_date(row["date"], "date")
    start = _parse_time(row["start"], "start")
    end = _parse_time(row["end"], "end")
    _check_times(start, end)
    commune = row["commune"].strip()
    if not commune:
        raise _RowError("missing commune")
    return day, start, end, commune


def _workshop_from_row(row: dict[str, str]) -> Workshop:
    day, start, end, commune = _when_and_where(row)
    kind = row["kind"].strip().lower()
    if not kind:
        raise _RowError("missing kind")
    if kind not in WORKSHOP_KINDS:
        raise _RowError(f"unknown kind {row['kind'].strip()!r} (expected one of: {', '.join(WORKSHOP_KINDS)})")
    title = row["title"].strip()
    if not title:
        raise _RowError("missing title")
    ident = row.get("id", "").strip() or f"W-{day:%Y%m%d}-{start:%H%M}-{_slug(commune)}-{kind}"
    return Workshop(
        id=ident,
        date=day,
        start=start,
        end=end,
        commune=commune,
        place=row.get("place", "").strip(),
        kind=kind,
        title=title,
        description=row.get("description", "").strip(),
        audience=row.get("audience", "").strip() or DEFAULT_PUBLIC,
        seats=_parse_seats(row.get("seats", "")),
        registration=_parse_flag(row.get("registration", ""), "registration"),
        demo=_parse_flag(row.get("demo", ""), "demo"),
    )


# --------------------------------------------------------------------------- CSV readers


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleError(f"{name}: not UTF-8 text (byte {exc.start + 1}); save the file as CSV UTF-8") from None


def _read_csv(text: str, name: str, columns: Sequence[str], required: Sequence[str], build) -> ReadResult:
    lines = text.splitlines(keepends=True)
    header_line = next((ln for ln in lines if ln.strip()), "")
    if not header_line:
        raise ScheduleError(f"{name}: the file is empty")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    items: list = []
    skipped: list[SkippedRow] = []
    seen_ids: set[str] = set()
    last_line = 0
    for cells in reader:
        line = last_line + 1  # where this row starts (csv counts the lines it has consumed)
        last_line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank lines are not rows
        if header is None:
            header = [unicodedata.normalize("NFC", c).strip().lower() for c in cells]
            missing = [c for c in required if c not in header]
            if missing:
                raise ScheduleError(
                    f"{name}: missing required column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} (found: {', '.join(h for h in header if h) or 'nothing'}; "
                    f"separator {delimiter!r})"
                )
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            skipped.append(
                SkippedRow(line, f"{len(cells)} fields for {len(header)} columns (a stray separator?)", name)
            )
            continue
        row = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header) if col in columns}
        try:
            item = build(row)
        except _RowError as exc:
            skipped.append(SkippedRow(line, str(exc), name))
            continue
        if item.id in seen_ids:
            skipped.append(SkippedRow(line, f"duplicate id {item.id!r}", name))
            continue
        seen_ids.add(item.id)
        items.append(item)
    if header is None:
        raise ScheduleError(f"{name}: the file is empty")
    if not items:
        detail = f"; first problem, line {skipped[0].line}: {skipped[0].reason}" if skipped else ""
        raise ScheduleError(f"{name}: no valid row ({len(skipped)} skipped{detail})")
    return ReadResult(items, skipped)


def parse_passages(text: str, name: str = "<schedule>") -> ReadResult:
    """Read a schedule CSV given as text (see `read_passages`)."""
    return _read_csv(text.removeprefix("\ufeff"), name, PASSAGE_COLUMNS, PASSAGE_REQUIRED, _passage_from_row)


def parse_workshops(text: str, name: str = "<agenda>") -> ReadResult:
    """Read an agenda CSV given as text (see `read_workshops`)."""
    return _read_csv(text.removeprefix("\ufeff"), name, WORKSHOP_COLUMNS, WORKSHOP_REQUIRED, _workshop_from_row)


def read_passages(path: str | Path) -> ReadResult:
    """Read a schedule CSV file: UTF-8 (BOM or not), ',' or ';' separated.

    Returns the valid passages and the skipped rows (`SkippedRow(line, reason, file)`).
    Raises `ScheduleError` when the file cannot be read, lacks a required column or has no valid row.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_passages(_decode(data, str(path)), str(path))


def read_workshops(path: str | Path) -> ReadResult:
    """Read an agenda CSV file (same rules as `read_passages`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_workshops(_decode(data, str(path)), str(path))


# --------------------------------------------------------------------------- storage

migrations = Migrations("schedule")


@migrations()
def m001_passages_and_workshops(db: Database) -> None:
    db["passages"].create(
        {
            "id": str,
            "date": str,  # ISO YYYY-MM-DD
            "start_time": str,  # HH:MM
            "end_time": str,
            "commune": str,
            "place": str,
            "address": str,
            "notes": str,
            "public": str,
            "demo": int,
        },
        pk="id",
        not_null={"date", "start_time", "end_time", "commune"},
    )
    db["passages"].create_index(["date", "commune", "start_time"], index_name="idx_passages_date")
    db["workshops"].create(
        {
            "id": str,
            "date": str,
            "start_time": str,
            "end_time": str,
            "commune": str,
            "place": str,
            "kind": str,
            "title": str,
            "description": str,
            "audience": str,
            "seats": int,
            "registration": int,
            "demo": int,
        },
        pk="id",
        not_null={"date", "start_time", "end_time", "commune", "kind", "title"},
    )
    db["workshops"].create_index(["date", "start_time"], index_name="idx_workshops_date")
    db["workshops"].create_index(["kind", "date"], index_name="idx_workshops_kind")


def _passage_row(p: Passage) -> dict:
    row = asdict(p)
    row["date"] = p.date.isoformat()
    row["start_time"] = f"{p.start:%H:%M}"
    row["end_time"] = f"{p.end:%H:%M}"
    del row["start"], row["end"]
    row["demo"] = int(p.demo)
    return row


def _workshop_row(w: Workshop) -> dict:
    row = asdict(w)
    row["date"] = w.date.isoformat()
    row["start_time"] = f"{w.start:%H:%M}"
    row["end_time"] = f"{w.end:%H:%M}"
    del row["start"], row["end"]
    row["registration"] = int(w.registration)
    row["demo"] = int(w.demo)
    return row


def _passage_from_db(row: dict) -> Passage:
    return Passage(
        id=row["id"],
        date=date.fromisoformat(row["date"]),
        start=time.fromisoformat(row["start_time"]),
        end=time.fromisoformat(row["end_time"]),
        commune=row["commune"],
        place=row["place"] or "",
        address=row["address"] or "",
        notes=row["notes"] or "",
        public=row["public"] or DEFAULT_PUBLIC,
        demo=bool(row["demo"]),
    )


def _workshop_from_db(row: dict) -> Workshop:
    return Workshop(
        id=row["id"],
        date=date.fromisoformat(row["date"]),
        start=time.fromisoformat(row["start_time"]),
        end=time.fromisoformat(row["end_time"]),
        commune=row["commune"],
        place=row["place"] or "",
        kind=row["kind"],
        title=row["title"],
        description=row["description"] or "",
        audience=row["audience"] or DEFAULT_PUBLIC,
        seats=row["seats"],
        registration=bool(row["registration"]),
        demo=bool(row["demo"]),
    )


def _validate(items: Sequence[Item], cls: type, what: str, allow_empty: bool = False) -> None:
    if not items and not allow_empty:
        raise ScheduleError(f"refusing to replace the {what} with an empty list (it would delete everything)")
    ids: set[str] = set()
    for item in items:
        if not isinstance(item, cls):
            raise TypeError(f"expected {cls.__name__}, got {type(item).__name__}")
        if not item.id:
            raise ScheduleError(f"{what}: an item has no id")
        if item.id in ids:
            raise ScheduleError(f"{what}: duplicate id {item.id!r}")
        ids.add(item.id)
        if not item.commune.strip():
            raise ScheduleError(f"{what}: {item.id!r} has no commune")
        if item.end <= item.start:
            raise ScheduleError(f"{what}: {item.id!r} ends before it starts")
        if isinstance(item, Workshop) and item.kind not in WORKSHOP_KINDS:
            raise ScheduleError(f"{what}: {item.id!r} has an unknown kind {item.kind!r}")


def _replace(db: Database, table: str, items: Sequence, to_row, from_db) -> bool:
    with db.atomic():
        # Compared inside the transaction, so that nothing can slip in between the check and the write.
        current = sorted((from_db(r) for r in db[table].rows), key=lambda i: i.id)
        if current == sorted(items, key=lambda i: i.id):
            return False  # the same list again: not a row is written
        db.execute(f"DELETE FROM [{table}]")
        for item in items:
            db[table].insert(to_row(item))
    return True


def replace_passages(db: Database, items: Iterable[Passage], *, allow_empty: bool = False) -> bool:
    """Replace the whole schedule with `items`, in one transaction (a savepoint of the caller's).

    Returns True when the stored schedule changed, False when it already held exactly these
    passages (nothing is written).  An empty list is refused with `ScheduleError` unless
    `allow_empty` (headquarters' snapshot says there is no passage at all); if anything fails,
    the previous schedule stays.
    """
    items = list(items)
    _validate(items, Passage, "schedule", allow_empty)
    return _replace(db, "passages", items, _passage_row, _passage_from_db)


def replace_workshops(db: Database, items: Iterable[Workshop], *, allow_empty: bool = False) -> bool:
    """Replace the whole agenda with `items` (same rules as `replace_passages`)."""
    items = list(items)
    _validate(items, Workshop, "agenda", allow_empty)
    return _replace(db, "workshops", items, _workshop_row, _workshop_from_db)


def _put(db: Database, table: str, item, to_row, from_db) -> bool:
    with db.atomic():
        current = next(iter(db[table].rows_where("id = ?", [item.id])), None)
        if current is not None and from_db(current) == item:
            return False
        db[table].insert(to_row(item), replace=True)
    return True


def _delete(db: Database, table: str, ident: str) -> bool:
    with db.atomic():
        return db.execute(f"DELETE FROM [{table}] WHERE id = ?", [ident]).rowcount > 0


def put_passage(db: Database, passage: Passage) -> bool:
    """Add or replace one passage; True when the stored schedule changed (False: it already held it).

    Checked like `replace_passages` (`ScheduleError`); joins the caller's open transaction if any."""
    _validate([passage], Passage, "schedule")
    return _put(db, "passages", passage, _passage_row, _passage_from_db)


def delete_passage(db: Database, passage_id: str) -> bool:
    """Remove one passage; False when there was no such passage.  Joins an open transaction."""
    return _delete(db, "passages", passage_id)


def put_workshop(db: Database, workshop: Workshop) -> bool:
    """Add or replace one workshop (same rules as `put_passage`)."""
    _validate([workshop], Workshop, "agenda")
    return _put(db, "workshops", workshop, _workshop_row, _workshop_from_db)


def delete_workshop(db: Database, workshop_id: str) -> bool:
    """Remove one workshop; False when there was no such workshop.  Joins an open transaction."""
    return _delete(db, "workshops", workshop_id)


def _limit_clause(limit: int | None) -> str:
    if limit is None:
        return ""
    if limit < 0:
        raise ValueError("limit must be >= 0")
    return f" LIMIT {int(limit)}"


def upcoming_passages(db: Database, today: date, limit: int | None = None) -> list[Passage]:
    """Passages from `today` on, ordered by date, then commune, then start time."""
    _limit_clause(limit)  # validates
    rows = db.query("SELECT * FROM passages WHERE date >= ?", [today.isoformat()])
    # Sorted here, not in SQL: SQLite would put "Écotay" after "Veauche"; the list is short.
    items = sorted((_passage_from_db(r) for r in rows), key=lambda p: (p.date, fold(p.commune), p.start, p.id))
    return items if limit is None else items[:limit]


def passages_by_commune(db: Database, today: date) -> dict[str, list[Passage]]:
    """Upcoming passages grouped by commune (communes in alphabetical order, accents ignored)."""
    groups: dict[str, list[Passage]] = {}
    for p in sorted(upcoming_passages(db, today), key=lambda p: (fold(p.commune), p.date, p.start, p.id)):
        groups.setdefault(p.commune, []).append(p)
    return groups


def upcoming_workshops(db: Database, today: date, kind: str | None = None, limit: int | None = None) -> list[Workshop]:
    """Workshops from `today` on, ordered by date, start time, commune; optionally of one kind."""
    sql = "SELECT * FROM workshops WHERE date >= ?"
    params: list = [today.isoformat()]
    if kind is not None:
        if kind not in WORKSHOP_KINDS:
            raise ValueError(f"unknown workshop kind {kind!r} (expected one of: {', '.join(WORKSHOP_KINDS)})")
        sql += " AND kind = ?"
        params.append(kind)
    sql += " ORDER BY date, start_time, commune, id" + _limit_clause(limit)
    return [_workshop_from_db(r) for r in db.query(sql, params)]


# --------------------------------------------------------------------------- demo data


def demo_dir() -> Path:
    """The folder holding the demo catalogue, schedule and agenda (``numeribus_kiosk/assets/demo``)."""
    return ASSETS_DIR / "demo"


def demo_shift(items: Iterable[Passage | Workshop], today: date) -> timedelta:
    """The whole number of weeks that brings the first demo item into [today, today + 6 days]."""
    days = [i.date for i in items if i.demo]
    if not days:
        return timedelta(0)
    behind = (today - min(days)).days
    weeks = -(-behind // 7)  # ceiling division, also right for dates in the future (negative)
    return timedelta(weeks=weeks)


def rebase_demo_dates(items: Iterable[Item], today: date) -> list[Item]:
    """Shift the demo items by whole weeks so that the first one falls within the coming week.

    Weekdays and the spacing between items are kept; items that are not demo items are returned
    unchanged.  Pass passages and workshops together to keep workshops on the days of their stops.
    """
    items = list(items)
    shift = demo_shift(items, today)
    if not shift:
        return items
    return [replace(i, date=i.date + shift) if i.demo else i for i in items]


def load_demo(db: Database, today: date, folder: Path | None = None) -> tuple[int, int]:
    """Read the demo schedule and agenda, move them to the coming weeks and store them.

    Returns (number of passages, number of workshops).  Both tables are replaced in one
    transaction.  Rows skipped in the demo files would be a bug: they raise `ScheduleError`.
    """
    folder = folder or demo_dir()
    passages, p_skipped = read_passages(folder / PASSAGES_FILE)
    workshops, w_skipped = read_workshops(folder / WORKSHOPS_FILE)
    if p_skipped or w_skipped:
        first = (p_skipped or w_skipped)[0]
        raise ScheduleError(f"{first.file}: line {first.line}: {first.reason}")
    rebased = rebase_demo_dates([*passages, *workshops], today)
    passages = [i for i in rebased if isinstance(i, Passage)]
    workshops = [i for i in rebased if isinstance(i, Workshop)]
    migrations.apply(db)
    with db.atomic():
        replace_passages(db, passages)
        replace_workshops(db, workshops)
    return len(passages), len(workshops)


__all__ = [
    "DEFAULT_PUBLIC",
    "PASSAGE_COLUMNS",
    "PASSAGE_REQUIRED",
    "WORKSHOP_COLUMNS",
    "WORKSHOP_KINDS",
    "WORKSHOP_REQUIRED",
    "french_date",
    "french_hours",
    "Passage",
    "ReadResult",
    "ScheduleError",
    "SkippedRow",
    "Workshop",
    "demo_dir",
    "demo_shift",
    "delete_passage",
    "delete_workshop",
    "load_demo",
    "migrations",
    "parse_passages",
    "parse_workshops",
    "put_passage",
    "put_workshop",
    "read_passages",
    "read_workshops",
    "rebase_demo_dates",
    "replace_passages",
    "replace_workshops",
    "upcoming_passages",
    "upcoming_workshops",
]
