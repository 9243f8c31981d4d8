"""Applying what headquarters publishes to the bus's catalogue.db (docs/protocol.md, "Down").

Headquarters keeps a change log of entities (``record``, ``passage``, ``workshop``, ``list``,
``device``); a bus holds a copy of them in catalogue.db and the change-log version it holds,
meta ``sync_version`` (0: never synced).  Two ways in:

- `apply_changes(db, entries, cursor, since=...)`: one page of ``GET /api/v1/changes`` (or the
  changes of a USB bundle).  Every entry is checked before anything is written; then ONE
  transaction applies them in version order and stores ``sync_version = cursor``.  A page is
  refused (`ChangeError`, nothing changed) when its ``since`` is not the version the catalogue
  holds (a stale or replayed page: applying the same page twice changes nothing), when
  ``cursor < since``, when an entry lies outside ``(since, cursor]`` or is malformed.  An entry
  of an unknown kind (a newer headquarters) is ignored and counted, not an error.
- `apply_snapshot(db, entities, version)`: the whole published state (the entities of every
  chunk, parsed or as JSON lines, already verified by the caller; ``workers=N`` checks and
  prepares the records in N processes).  Records go through `index.replace_all` (staged, then
  swapped in atomically: the old catalogue stays searchable until the swap; a bad entity, or an
  exception of the caller's iterator, anywhere in the stream leaves it whole).  A snapshot
  without a record is refused: an empty catalogue never replaces a whole one.  Then one
  transaction replaces passages, workshops, lists and this bus's configuration, and stores
  ``sync_version = version`` LAST.  If the process dies between the record swap and that
  transaction, ``sync_version`` still names the old version, so the next round asks again for
  what comes after it (or for the snapshot again); every step is idempotent (content hashes,
  whole-set replacements), so that round ends with the catalogue equal to headquarters'.
  A snapshot older than what the bus holds is applied too (headquarters restored from a backup
  answers 410 and sends its snapshot); refusing a replayed older USB bundle is the bundle
  reader's job (its ``to_version``).

Copies on board.  Headquarters sends every copy with its ``location``; whatever ``on_board``
flag it carries is ignored: the bus sets it from its own locations (the same rule as
`ReaderOptions.is_on_board`: trimmed, case-insensitive), taken from, in order:

1. this bus's ``device``/``config`` entity (``{"name", "bus_locations"}``), once received;
2. the ``bus_locations`` argument of these functions: the caller passes
   ``settings.load_settings(data_dir).bus_locations`` (config.toml), used until headquarters
   has sent the configuration;
3. `ReaderOptions()`'s default (``NUMERIBUS``).

`effective_bus_locations` tells which apply.  A page's ``device`` entries are applied before
its other entries; when the effective locations change, every record whose flags differ is
re-flagged (through `index.upsert`) in the same transaction.  In a snapshot the bus's own
configuration comes last (its own chunk): records are staged with the locations known before,
and re-flagged in the final transaction if the snapshot's configuration changes them.  A record
re-flagged keeps its static rank until the next full swap.  `refresh_on_board` re-flags against
the current locations on demand (config.toml edited while headquarters has sent no
configuration).

Configuration lists (``list`` entities) are stored in ``published_lists``;
`numeribus_kiosk.mediator.lists.load_lists` prefers them to config.toml.  A list tombstone
removes the published list (config.toml or the default applies again).

Writes go through the catalogue modules (`index.upsert`/`delete`/`replace_all`, the schedule's
`put_*`/`delete_*`/`replace_*`); this module only writes its own meta keys and
``published_lists``.  No Qt, no HTTP.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import islice

import sqlite_utils

from ..store import write_transaction
from . import index, schedule, schema
from .record import Author, Copy, ReaderOptions, Record

SYNC_VERSION = "sync_version"  # meta key: the change-log version the catalogue holds
DEVICE_CONFIG = "device_config"  # meta key: JSON {"name", "bus_locations"} of this bus, as last received
KINDS = ("record", "passage", "workshop", "list", "device")
DEFAULT_BUS_LOCATIONS: tuple[str, ...] = tuple(sorted(ReaderOptions().bus_locations))
SNAPSHOT_BATCH = 500  # snapshot entities per task sent to a worker process

__all__ = [
    "ApplyReport",
    "ChangeError",
    "DEFAULT_BUS_LOCATIONS",
    "apply_changes",
    "apply_snapshot",
    "effective_bus_locations",
    "published_device_config",
    "published_lists",
    "refresh_on_board",
    "sync_version",
]


class ChangeError(ValueError):
    """What headquarters sent cannot be applied; the message says why in plain English.

    Nothing was changed."""


@dataclass(slots=True)
class ApplyReport:
    """What `apply_changes` or `apply_snapshot` did.

    `passages`, `workshops`, `lists`: entities of that kind applied (in a snapshot: held now).
    `config`: this bus's configuration changed.  `on_board_changed`: records re-flagged because
    the bus's locations changed.  `ignored`: entities of a kind (or a device key) this kiosk
    does not know, from a newer headquarters."""

    version: int
    records_added: int = 0
    records_updated: int = 0
    records_removed: int = 0
    passages: int = 0
    workshops: int = 0
    lists: int = 0
    config: bool = False
    records_unchanged: int = 0
    on_board_changed: int = 0
    ignored: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- connections, meta


def _conn(db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def _database(db) -> sqlite_utils.Database:
    return db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(db)


def _meta_get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute(f"SELECT value FROM [{schema.META}] WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _meta_set(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute(f"DELETE FROM [{schema.META}] WHERE key = ?", (key,))
    else:
        conn.execute(f"INSERT OR REPLACE INTO [{schema.META}] (key, value) VALUES (?, ?)", (key, value))


def sync_version(db) -> int:
    """The change-log version the catalogue holds (meta ``sync_version``); 0 if never synced."""
    value = _meta_get(_conn(db), SYNC_VERSION)
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0  # unreadable: the next round starts again from a snapshot


def published_device_config(db) -> dict | None:
    """This bus's configuration as last received from headquarters (``{"name", "bus_locations"}``), or None."""
    value = _meta_get(_conn(db), DEVICE_CONFIG)
    if value is None:
        return None
    try:
        data = json.loads(value)
        return _device_config(data) if isinstance(data, dict) else None
    except (ValueError, ChangeError):
        return None


def effective_bus_locations(db, bus_locations: Iterable[str] | None = None) -> tuple[str, ...]:
    """The locations whose copies are on board: headquarters' device configuration when received,
    else `bus_locations` (config.toml's, given by the caller), else `DEFAULT_BUS_LOCATIONS`."""
    config = published_device_config(db)
    if config is not None:
        return tuple(config["bus_locations"])
    if bus_locations is not None:
        return tuple(bus_locations)
    return DEFAULT_BUS_LOCATIONS


def published_lists(db) -> dict[str, list]:
    """The configuration lists headquarters published: {name: items}; {} when none (or the table
    does not exist yet, in a catalogue.db not migrated)."""
    try:
        rows = _conn(db).execute(f"SELECT name, items FROM [{schema.PUBLISHED_LISTS}] ORDER BY name").fetchall()
    except sqlite3.OperationalError:
        return {}
    out: dict[str, list] = {}
    for name, items in rows:
        try:
            value = json.loads(items)
        except ValueError:
            continue
        if isinstance(value, list):
            out[name] = value
    return out


# --------------------------------------------------------------------------- checking entities


def _fail(kind: str, key: object, why: str) -> ChangeError:
    return ChangeError(f"Headquarters sent a {kind} entity {key!r} that cannot be used: {why}. Nothing was changed.")


_RECORD_TEXT = (
    "title",
    "subtitle",
    "sort_title",
    "publisher",
    "language",
    "summary",
    "dewey",
    "type",
    "audience",
    "source",
)
_RECORD_FLAGS = ("large_print", "braille", "audio", "dys")
_RECORD_TEXT_LISTS = ("isbn", "subjects")
_AUTHOR_TEXT = ("name", "role", "dates")
_COPY_TEXT = ("location", "barcode", "call_number")


def _text_items(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _parts(items: object, text_fields: tuple[str, ...], what: str, key: str) -> list[dict]:
    """Author or copy dicts: known text fields only (a newer headquarters may add some)."""
    if not isinstance(items, list):
        raise _fail("record", key, f"{what}s is not a list")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise _fail("record", key, f"an {what} is not a JSON object")
        values = {}
        for name in text_fields:
            if name in item:
                if not isinstance(item[name], str):
                    raise _fail("record", key, f"the {what} field {name} is not text")
                values[name] = item[name]
        out.append(values)
    return out


def _record(key: str, data: object) -> Record:
    """The Record of a ``record`` entity's data (`Record.to_dict()` form), checked; unknown fields ignored."""
    if not isinstance(data, dict):
        raise _fail("record", key, "its data is not a JSON object")
    if data.get("id") != key:
        raise _fail("record", key, f"its id {data.get('id')!r} is not its key")
    if not isinstance(data.get("title"), str):
        raise _fail("record", key, "it has no title")
    values: dict = {"id": key}
    for name in _RECORD_TEXT:
        if name in data:
            if not isinstance(data[name], str):
                raise _fail("record", key, f"{name} is not text")
            values[name] = data[name]
    for name in _RECORD_FLAGS:
        if name in data:
            if not isinstance(data[name], bool):
                raise _fail("record", key, f"{name} is not true or false")
            values[name] = data[name]
    for name in _RECORD_TEXT_LISTS:
        if name in data:
            if not _text_items(data[name]):
                raise _fail("record", key, f"{name} is not a list of texts")
            values[name] = tuple(data[name])
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise _fail("record", key, f"year {year!r} is not a whole number")
    values["year"] = year
    try:
        values["authors"] = tuple(Author(**a) for a in _parts(data.get("authors", []), _AUTHOR_TEXT, "author", key))
    except TypeError:
        raise _fail("record", key, "an author has no name") from None
    values["copies"] = tuple(Copy(**c) for c in _parts(data.get("copies", []), _COPY_TEXT, "copy", key))
    return Record(**values)


def _schedule_item(kind: str, key: str, data: object):
    cls = schedule.Passage if kind == "passage" else schedule.Workshop
    try:
        item = cls.from_dict(data)
    except schedule.ScheduleError as exc:
        raise _fail(kind, key, str(exc)) from None
    if item.id != key:
        raise _fail(kind, key, f"its id {item.id!r} is not its key")
    return item


def _list_items(key: str, data: object) -> list:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise _fail("list", key, 'its data is not {"items": [...]}')
    items = data["items"]
    if not all(isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in items):
        raise _fail("list", key, "its items are not texts or whole numbers")
    return items


def _device_config(data: object) -> dict:
    if not isinstance(data, dict):
        raise _fail("device", "config", "its data is not a JSON object")
    name, locations = data.get("name"), data.get("bus_locations")
    if not isinstance(name, str):
        raise _fail("device", "config", "it has no name")
    if not _text_items(locations):
        raise _fail("device", "config", "bus_locations is not a list of texts")
    return {"name": name, "bus_locations": list(locations)}


@dataclass(frozen=True, slots=True)
class _Op:
    """One checked entity: `value` is a Record, Passage, Workshop, list items or device config;
    None for a deletion; `known` False for an entity this kiosk does not know (ignored)."""

    version: int
    kind: str
    key: str
    value: object
    known: bool = True


def _checked(kind: str, key: str, deleted: bool, data: object, version: int = 0) -> _Op:
    if kind not in KINDS or (kind == "device" and key != "config"):
        return _Op(version, kind, key, None, known=False)
    if deleted:
        return _Op(version, kind, key, None)
    if kind == "record":
        value: object = _record(key, data)
    elif kind in ("passage", "workshop"):
        value = _schedule_item(kind, key, data)
    elif kind == "list":
        value = _list_items(key, data)
    else:
        value = _device_config(data)
    return _Op(version, kind, key, value)


def _is_version(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry(raw: object, since: int, cursor: int) -> _Op:
    if not isinstance(raw, Mapping):
        raise ChangeError("Headquarters sent a change entry that is not a JSON object. Nothing was changed.")
    version, kind, key, deleted = raw.get("version"), raw.get("kind"), raw.get("key"), raw.get("deleted", False)
    if not _is_version(version):
        raise ChangeError(
            f"Headquarters sent a change entry without a valid version ({version!r}). Nothing was changed."
        )
    if not since < version <= cursor:
        raise ChangeError(
            f"Headquarters sent a change (version {version}) outside its page (after {since}, up to {cursor}). "
            "Nothing was changed."
        )
    if not isinstance(kind, str) or not kind:
        raise ChangeError(f"Headquarters sent a change (version {version}) without a kind. Nothing was changed.")
    if not isinstance(key, str) or not key:
        raise ChangeError(f"Headquarters sent a {kind} change (version {version}) without a key. Nothing was changed.")
    if not isinstance(deleted, bool):
        raise _fail(kind, key, "its deleted flag is not true or false")
    return _checked(kind, key, deleted, raw.get("data"), version)


# --------------------------------------------------------------------------- on board


def _board(locations: Iterable[str]) -> frozenset[str]:
    """The set `ReaderOptions.is_on_board` compares with (upper case), computed once."""
    return frozenset(location.upper() for location in locations)


def _flagged(record: Record, board: frozenset[str]) -> Record:
    """`record` with each copy's on_board set from `board` (the same rule as `ReaderOptions.is_on_board`)."""
    if all(c.on_board == (c.location.strip().upper() in board) for c in record.copies):
        return record
    copies = tuple(replace(c, on_board=c.location.strip().upper() in board) for c in record.copies)
    return replace(record, copies=copies)


def _reflag(conn: sqlite3.Connection, locations: Iterable[str]) -> int:
    """Re-flag, through `index.upsert`, every record whose copies' on_board differ from `locations`."""
    board = _board(locations)
    stale = []
    for record_id, copies in conn.execute(f"SELECT id, copies FROM [{schema.RECORDS}] WHERE copies <> '[]'"):
        for copy in json.loads(copies):
            if bool(copy.get("on_board")) != (str(copy.get("location", "")).strip().upper() in board):
                stale.append(record_id)
                break
    columns = ", ".join(schema.RECORD_COLUMNS)
    for record_id in stale:
        row = conn.execute(f"SELECT {columns} FROM [{schema.RECORDS}] WHERE id = ?", (record_id,)).fetchone()
        index.upsert(conn, _flagged(index.row_to_record(row), board))
    return len(stale)


def refresh_on_board(db, bus_locations: Iterable[str] | None = None) -> int:
    """Re-flag the copies on board against `effective_bus_locations(db, bus_locations)`, in one
    transaction; returns how many records changed (0 when all were right: nothing written)."""
    conn = _conn(db)
    with write_transaction(conn):
        return _reflag(conn, effective_bus_locations(conn, bus_locations))


# --------------------------------------------------------------------------- applying


def _set_device(conn: sqlite3.Connection, config: dict | None) -> bool:
    """Store (or, for None, forget) this bus's configuration; True when it changed."""
    old = published_device_config(conn)
    if old == config:
        return False
    _meta_set(conn, DEVICE_CONFIG, None if config is None else json.dumps(config, ensure_ascii=False))
    return True


def _put_list(conn: sqlite3.Connection, name: str, items: list) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO [{schema.PUBLISHED_LISTS}] (name, items) VALUES (?, ?)",
        (name, json.dumps(items, ensure_ascii=False)),
    )


def _apply_record(conn: sqlite3.Connection, op: _Op, board: frozenset[str], report: ApplyReport) -> None:
    if op.value is None:
        report.records_removed += index.delete(conn, op.key)
        return
    status = index.upsert(conn, _flagged(op.value, board))
    if status == "added":
        report.records_added += 1
    elif status == "updated":
        report.records_updated += 1
    else:
        report.records_unchanged += 1


def _apply_op(conn: sqlite3.Connection, database, op: _Op, board: frozenset[str], report: ApplyReport) -> None:
    if op.kind == "record":
        _apply_record(conn, op, board, report)
    elif op.kind == "passage":
        if op.value is None:
            schedule.delete_passage(database, op.key)
        else:
            schedule.put_passage(database, op.value)
        report.passages += 1
    elif op.kind == "workshop":
        if op.value is None:
            schedule.delete_workshop(database, op.key)
        else:
            schedule.put_workshop(database, op.value)
        report.workshops += 1
    elif op.kind == "list":
        if op.value is None:
            conn.execute(f"DELETE FROM [{schema.PUBLISHED_LISTS}] WHERE name = ?", (op.key,))
        else:
            _put_list(conn, op.key, op.value)
        report.lists += 1


def apply_changes(
    db,
    entries: Sequence[Mapping],
    cursor: int,
    *,
    since: int,
    bus_locations: Iterable[str] | None = None,
) -> ApplyReport:
    """Apply one page of changes and store `cursor` as the version held, in one transaction.

    `entries` are the ``changes`` of ``GET /api/v1/changes`` (``{"version", "kind", "key",
    "deleted", "data"}``), `cursor` its ``version``, `since` the ``since`` the page was asked
    with.  `bus_locations`: config.toml's, used while headquarters has sent no configuration
    (see the module docstring).  Raises `ChangeError` (nothing changed) for a page that does not
    follow what the catalogue holds, or a malformed entry; see the module docstring.
    """
    if not _is_version(since) or not _is_version(cursor):
        raise ChangeError(f"A page of changes needs whole versions (since {since!r}, cursor {cursor!r}).")
    if cursor < since:
        raise ChangeError(f"Headquarters sent a page ending at version {cursor}, before its start {since}.")
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Iterable):
        raise ChangeError("Headquarters sent changes that are not a list. Nothing was changed.")
    ops = sorted((_entry(raw, since, cursor) for raw in entries), key=lambda op: op.version)
    for before, after in zip(ops, ops[1:], strict=False):
        if before.version == after.version:
            raise ChangeError(f"Headquarters sent version {after.version} twice in one page. Nothing was changed.")
    conn = _conn(db)
    database = _database(db)
    report = ApplyReport(version=cursor)
    with write_transaction(conn):
        held = sync_version(conn)
        if held != since:
            raise ChangeError(
                f"This page of changes starts after version {since}, but the catalogue holds version {held} "
                "(a stale or replayed page). Nothing was changed."
            )
        report.ignored = sum(not op.known for op in ops)
        devices = [op for op in ops if op.known and op.kind == "device"]
        if devices:  # before everything else: the records of this page use the new locations
            before = effective_bus_locations(conn, bus_locations)
            report.config = _set_device(conn, devices[-1].value)
            after = effective_bus_locations(conn, bus_locations)
            if _board(after) != _board(before):
                report.on_board_changed = _reflag(conn, after)
        board = _board(effective_bus_locations(conn, bus_locations))
        for op in ops:
            if op.known and op.kind != "device":
                _apply_op(conn, database, op, board, report)
        _meta_set(conn, SYNC_VERSION, str(cursor))
    return report


@dataclass(slots=True)
class _SnapshotRest:
    """The entities of a snapshot other than records (small: kept in memory while records stream)."""

    passages: dict = field(default_factory=dict)
    workshops: dict = field(default_factory=dict)
    lists: dict = field(default_factory=dict)
    device: dict | None = None
    ignored: int = 0


def _convert(raw: object, position: int, board: frozenset[str]) -> tuple:
    """One snapshot entity (a parsed dict or its JSON line), checked: ``(kind, key, value)`` where a
    record's value is its `index.Prepared` staging row (flagged with `board`); ``("", "", None)``
    for an entity this kiosk does not know.  Raises `ChangeError`."""
    if isinstance(raw, (bytes, str)):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ChangeError(f"Entity {position} of the snapshot is not valid JSON. Nothing was changed.") from None
    if not isinstance(raw, Mapping):
        raise ChangeError(f"Entity {position} of the snapshot is not a JSON object. Nothing was changed.")
    kind, key = raw.get("kind"), raw.get("key")
    if not isinstance(kind, str) or not kind or not isinstance(key, str) or not key:
        raise ChangeError(f"Entity {position} of the snapshot has no kind or no key. Nothing was changed.")
    op = _checked(kind, key, False, raw.get("data"))
    if not op.known:
        return ("", "", None)
    if kind == "record":
        return ("record", key, index.prepare(_flagged(op.value, board)))
    return (kind, key, op.value)


def _convert_batch(batch: list, start: int, board: frozenset[str]) -> list[tuple]:
    """`_convert` over a batch whose first entity is number `start` (run in worker processes)."""
    return [_convert(raw, position, board) for position, raw in enumerate(batch, start)]


def _converted(entities: Iterable, board: frozenset[str], workers: int) -> Iterator[tuple]:
    """`_convert` over every entity, in order; in `workers` processes when more than one.

    At most two batches per worker are in flight (memory stays bounded).  "forkserver"
    workers, as the catalogue readers: forking a process that runs threads is unsafe."""
    if workers <= 1:
        for position, raw in enumerate(entities, 1):
            yield _convert(raw, position, board)
        return
    iterator = iter(entities)
    position = 1
    pending: deque = deque()
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < 2 * workers:
                batch = list(islice(iterator, SNAPSHOT_BATCH))
                if not batch:
                    exhausted = True
                    break
                pending.append(pool.apply_async(_convert_batch, (batch, position, board)))
                position += len(batch)
            if pending:
                yield from pending.popleft().get()


def apply_snapshot(
    db,
    entities: Iterable[Mapping | bytes | str],
    version: int,
    *,
    bus_locations: Iterable[str] | None = None,
    workers: int = 1,
) -> ApplyReport:
    """Replace the whole published state with a snapshot's `entities` and hold `version`.

    `entities`: every chunk's entities (``{"kind", "key", "data"}``), parsed or as their JSON
    lines, in the manifest's order, already verified by the caller; read once, streaming.
    `bus_locations`: config.toml's (see the module docstring).  `workers` > 1 checks and
    prepares the records in that many processes (`readers.default_workers()` is a good value
    for a whole catalogue: about 130 µs per record otherwise); give JSON lines then, they are
    parsed there.  Needs a connection without an open transaction (the record swap commits on
    its own).  Raises `ChangeError`, nothing changed, for a snapshot without a record or with a
    malformed entity; any exception of the iterator also leaves everything as it was.  See the
    module docstring for the order of the steps and why an interruption between them is harmless.
    """
    if not _is_version(version):
        raise ChangeError(f"A snapshot needs a whole version, not {version!r}.")
    conn = _conn(db)
    if conn.in_transaction:
        raise RuntimeError("apply_snapshot() needs a connection without an open transaction")
    staged_with = effective_bus_locations(conn, bus_locations)
    board = _board(staged_with)
    rest = _SnapshotRest()

    def records() -> Iterator[index.Prepared]:
        for kind, key, value in _converted(entities, board, max(1, int(workers))):
            if kind == "record":
                yield value  # the record's staging row, prepared
            elif kind == "passage":
                rest.passages[key] = value
            elif kind == "workshop":
                rest.workshops[key] = value
            elif kind == "list":
                rest.lists[key] = value
            elif kind == "device":
                rest.device = value
            else:
                rest.ignored += 1

    try:
        result = index.replace_all(conn, records())
    except index.EmptyImportError:
        raise ChangeError(
            "The snapshot holds no catalogue record: an empty catalogue never replaces a whole one. "
            "Nothing was changed."
        ) from None
    report = ApplyReport(
        version=version,
        records_added=result.added,
        records_updated=result.updated,
        records_removed=result.removed,
        records_unchanged=result.unchanged,
        passages=len(rest.passages),
        workshops=len(rest.workshops),
        lists=len(rest.lists),
        ignored=rest.ignored,
    )
    database = _database(db)
    with write_transaction(conn):
        schedule.replace_passages(database, rest.passages.values(), allow_empty=True)
        schedule.replace_workshops(database, rest.workshops.values(), allow_empty=True)
        conn.execute(f"DELETE FROM [{schema.PUBLISHED_LISTS}]")
        for name, items in rest.lists.items():
            _put_list(conn, name, items)
        report.config = _set_device(conn, rest.device)
        final = effective_bus_locations(conn, bus_locations)
        if _board(final) != board:
            report.on_board_changed = _reflag(conn, final)
        _meta_set(conn, SYNC_VERSION, str(version))  # last: see the module docstring
    return report
