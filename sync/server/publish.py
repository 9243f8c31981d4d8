"""The change log that buses pull (docs/protocol.md, "Down: changes"); no HTTP here.

Every entity headquarters publishes - a catalogue record, a passage of the schedule, a
workshop of the agenda, a configuration list, a bus's own configuration - has exactly one row
in ``changes``: the one of its LAST change.  Changing an entity deletes its row and inserts a
new one with the next version (``INSERT OR REPLACE`` on ``UNIQUE(kind, key, scope)`` and an
AUTOINCREMENT key, so a version number is never given twice, even after its row is gone).
A deletion leaves a *tombstone* (``deleted = 1``, ``data`` NULL) so that a bus learns about it.
An entity is published again only when the SHA-256 of its canonical JSON changed: importing
the same catalogue twice makes no version.

``scope`` is ``''`` for what every bus receives, or a ``device_id`` for what only that bus
receives (its ``device``/``config`` entity).

Tombstones older than ``[changes] tombstone_days`` are purged (`purge_tombstones`); meta
``log_start`` keeps the highest version purged: a bus whose ``since`` is below it may have
missed a deletion and must start from a snapshot.

Transactions: every writing function runs in a `write_transaction`, which joins the caller's
transaction (as a savepoint) when there is one.  For batch work, wrap the calls in
``with write_transaction(db):`` so that they commit together, once; otherwise each call commits
on its own.  `replace_all` stages its input outside any write lock and writes the difference in
one short transaction.

This module's migration set also creates the snapshot tables (``chunks``, ``snapshots``) that
`snapshots` fills.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .. import protocol
from .database import get_meta, read_transaction, set_meta, write_transaction
from .devices import Device, list_devices

if TYPE_CHECKING:
    from numeribus_kiosk.mediator.lists import MediatorLists

    from .state import HQ

migrations = Migrations("hq_publish")

SHARED = ""  # the scope of what every bus receives
LIST_NAMES = ("activities", "publics", "age_groups", "partners", "equipment", "mediators", "durations")
KINDS = ("record", "passage", "workshop", "list", "device")
DEVICE_CONFIG = ("device", "config")  # (kind, key) of a bus's own configuration entity
LOG_START = "log_start"
_STAGE_BATCH = 2000


@migrations(name="0001_changes")
def _m0001_changes(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE changes (
            version INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            scope TEXT NOT NULL DEFAULT '',     -- '' = every bus, else a device_id
            deleted INTEGER NOT NULL DEFAULT 0,
            data TEXT,                          -- canonical JSON; NULL for a tombstone
            hash TEXT,                          -- SHA-256 of data; NULL for a tombstone
            changed_at TEXT NOT NULL,
            UNIQUE (kind, key, scope)
        )"""
    )
    db.execute("CREATE INDEX changes_scope_version ON changes (scope, version)")
    db.execute("CREATE INDEX changes_tombstones ON changes (deleted, changed_at)")
    db.execute(
        """CREATE TABLE chunks (
            sha256 TEXT PRIMARY KEY,            -- of the gzip bytes
            data BLOB NOT NULL,                 -- gzip of JSON lines {"data","key","kind"}
            size INTEGER NOT NULL,              -- len(data)
            entities INTEGER NOT NULL,
            device_id TEXT,                     -- NULL: shared by every bus
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX chunks_device ON chunks (device_id, created_at)")
    db.execute(
        """CREATE TABLE snapshots (
            version INTEGER PRIMARY KEY,        -- every entity up to this change-log version
            created_at TEXT NOT NULL,
            chunks TEXT NOT NULL,               -- JSON list of {"sha256", "size", "entities"}, in order
            entities INTEGER NOT NULL,
            size INTEGER NOT NULL
        )"""
    )


# --------------------------------------------------------------------------- transactions


# --------------------------------------------------------------------------- entities


def encode(data: object) -> tuple[str, str]:
    """(canonical JSON text, its SHA-256): how an entity's data is stored and compared.

    For a catalogue record, ``encode(record.to_dict())[1] == record.content_hash()``.
    """
    text = protocol.canonical_json(data)
    return text.decode("utf-8"), protocol.sha256_hex(text)


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the change log: the last change of one entity."""

    version: int
    kind: str
    key: str
    deleted: bool
    data_json: str | None  # canonical JSON, None for a tombstone
    scope: str = SHARED

    @property
    def data(self) -> dict | None:
        return None if self.data_json is None else json.loads(self.data_json)

    def to_dict(self) -> dict:
        """The entry of docs/protocol.md: {"version", "kind", "key", "deleted", "data"}."""
        return {"version": self.version, "kind": self.kind, "key": self.key, "deleted": self.deleted, "data": self.data}

    def to_json(self) -> str:
        """`to_dict` as JSON text, without parsing and re-encoding the stored data."""
        return (
            f'{{"version":{self.version},"kind":{json.dumps(self.kind, ensure_ascii=False)},'
            f'"key":{json.dumps(self.key, ensure_ascii=False)},"deleted":{"true" if self.deleted else "false"},'
            f'"data":{self.data_json if self.data_json is not None else "null"}}}'
        )


@dataclass(frozen=True, slots=True)
class Diff:
    """What `replace_all` did."""

    added: int = 0  # new keys (or keys that had a tombstone)
    updated: int = 0  # live keys whose data changed
    removed: int = 0  # live keys absent from the new set: tombstones
    unchanged: int = 0
    total: int = 0  # live entities of the kind afterwards

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class EmptySetError(ValueError):
    """`replace_all` was given no entity at all: refused, it would delete everything."""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r} (expected one of: {', '.join(KINDS)})")


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def _insert(db: sqlite_utils.Database, kind: str, key: str, scope: str, data: str | None, hash_: str | None, now: str):
    cursor = db.conn.execute(
        "INSERT OR REPLACE INTO changes (kind, key, scope, deleted, data, hash, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [kind, key, scope, 0 if data is not None else 1, data, hash_, now],
    )
    return cursor.lastrowid


def put(db: sqlite_utils.Database, kind: str, key: str, data: object, now: datetime, scope: str = SHARED) -> int | None:
    """Publish `data` for (kind, key, scope); the new version, or None when nothing changed."""
    _check_kind(kind)
    if not isinstance(key, str) or not key:
        raise ValueError("an entity needs a non-empty text key")
    text, digest = encode(data)
    if _same(db, kind, key, scope, digest):  # the usual case: no write lock taken
        return None
    with write_transaction(db):
        if _same(db, kind, key, scope, digest):
            return None
        return _insert(db, kind, key, scope, text, digest, _stamp(now))


def _same(db: sqlite_utils.Database, kind: str, key: str, scope: str, digest: str) -> bool:
    row = db.conn.execute(
        "SELECT hash, deleted FROM changes WHERE kind = ? AND key = ? AND scope = ?", [kind, key, scope]
    ).fetchone()
    return row is not None and row[1] == 0 and row[0] == digest


def remove(db: sqlite_utils.Database, kind: str, key: str, now: datetime, scope: str = SHARED) -> int | None:
    """Replace a live entity by a tombstone; its version, or None when there was no live entity."""
    _check_kind(kind)
    with write_transaction(db):
        row = db.conn.execute(
            "SELECT deleted FROM changes WHERE kind = ? AND key = ? AND scope = ?", [kind, key, scope]
        ).fetchone()
        if row is None or row[0]:
            return None
        return _insert(db, kind, key, scope, None, None, _stamp(now))


def get(db: sqlite_utils.Database, kind: str, key: str, scope: str = SHARED) -> Change | None:
    """The change-log row of one entity (live or tombstone), or None."""
    row = db.conn.execute(
        "SELECT version, kind, key, deleted, data, scope FROM changes WHERE kind = ? AND key = ? AND scope = ?",
        [kind, key, scope],
    ).fetchone()
    return _change(row) if row else None


def _change(row) -> Change:
    return Change(row[0], row[1], row[2], bool(row[3]), row[4], row[5])


def current_version(db: sqlite_utils.Database) -> int:
    """The highest version ever given (0 when nothing was published)."""
    row = db.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    return int(row[0]) if row else 0


def log_start(db: sqlite_utils.Database) -> int:
    """The highest version of a purged tombstone: a `since` below it needs a snapshot."""
    return int(get_meta(db, LOG_START, "0") or 0)


def changes_since(
    db: sqlite_utils.Database, since: int, limit: int, device_id: str | None = None
) -> tuple[list[Change], int, bool]:
    """Changes after `since` for every bus and for `device_id`, in version order.

    Returns (entries, cursor, more): at most `limit` entries; `cursor` is the version to store
    with them and send as the next `since` (the last entry's version when `more`, else the
    current version, so that a bus does not ask again for other buses' changes).  The entries
    and the current version are read in one consistent view.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    scopes = (SHARED, device_id) if device_id else (SHARED, SHARED)
    with read_transaction(db):
        rows = db.conn.execute(
            "SELECT version, kind, key, deleted, data, scope FROM changes "
            "WHERE version > ? AND scope IN (?, ?) ORDER BY version LIMIT ?",
            [since, *scopes, limit + 1],
        ).fetchall()
        latest = current_version(db)
    more = len(rows) > limit
    entries = [_change(row) for row in rows[:limit]]
    cursor = entries[-1].version if more else max(latest, since)
    return entries, cursor, more


def live_entities(
    db: sqlite_utils.Database,
    device_id: str | None = None,
    kinds: Sequence[str] | None = None,
    *,
    shared: bool = True,
    batch: int = 5000,
) -> Iterator[Change]:
    """Live (not deleted) entities ordered by (kind, key): the shared ones (scope '') unless
    ``shared=False``, plus `device_id`'s own ones when given.  Read in batches (keyset
    pagination), so the iteration holds no lock and little memory."""
    scopes = [SHARED] if shared else []
    if device_id:
        scopes.append(device_id)
    if not scopes:
        return
    where = [f"scope IN ({', '.join('?' * len(scopes))})", "deleted = 0"]
    params: list = list(scopes)
    if kinds is not None:
        kinds = list(kinds)
        if not kinds:
            return
        where.append(f"kind IN ({', '.join('?' * len(kinds))})")
        params.extend(kinds)
    sql = (
        "SELECT version, kind, key, deleted, data, scope FROM changes WHERE "
        + " AND ".join(where)
        + " AND (kind, key, scope) > (?, ?, ?) ORDER BY kind, key, scope LIMIT ?"
    )
    last = ("", "", "")
    while True:
        rows = db.conn.execute(sql, [*params, *last, batch]).fetchall()
        for row in rows:
            yield _change(row)
        if len(rows) < batch:
            return
        last = (rows[-1][1], rows[-1][2], rows[-1][5])


def count_live(db: sqlite_utils.Database, kind: str, scope: str = SHARED) -> int:
    return db.conn.execute(
        "SELECT count(*) FROM changes WHERE kind = ? AND scope = ? AND deleted = 0", [kind, scope]
    ).fetchone()[0]


def count_tombstones(db: sqlite_utils.Database) -> int:
    return db.conn.execute("SELECT count(*) FROM changes WHERE deleted = 1").fetchone()[0]


def purge_tombstones(db: sqlite_utils.Database, older_than: datetime) -> int:
    """Delete tombstones changed before `older_than`; raise meta log_start. Returns how many."""
    stamp = _stamp(older_than)
    with write_transaction(db):
        row = db.conn.execute(
            "SELECT count(*), max(version) FROM changes WHERE deleted = 1 AND changed_at < ?", [stamp]
        ).fetchone()
        if not row[0]:
            return 0
        db.conn.execute("DELETE FROM changes WHERE deleted = 1 AND changed_at < ?", [stamp])
        set_meta(db, LOG_START, max(log_start(db), int(row[1])))
    return int(row[0])


def purge_expired_tombstones(hq: HQ) -> int:
    """`purge_tombstones` with the configured retention (``[changes] tombstone_days``)."""
    return purge_tombstones(hq.db(), hq.now() - timedelta(days=hq.config.tombstone_days))


# --------------------------------------------------------------------------- whole sets


def replace_all(
    db: sqlite_utils.Database,
    kind: str,
    items: Iterable[tuple[str, str, str]],
    now: datetime,
    scope: str = SHARED,
    *,
    allow_empty: bool = False,
) -> Diff:
    """Make `items` the whole set of `kind`: new or changed keys get a version, absent live
    keys a tombstone, unchanged keys nothing.

    `items` yields (key, data_json, hash) as made by `encode`; a later item replaces an earlier
    one with the same key.  They are staged in a TEMP table first (no write lock on hq.db while
    the input is read; an exception from `items` leaves the change log untouched), then the
    difference is written in one transaction.  No item at all raises `EmptySetError` unless
    `allow_empty`.
    """
    _check_kind(kind)
    conn = db.conn
    outer = conn.in_transaction  # the caller's transaction: everything joins it
    stage = f"temp.stage_{uuid.uuid4().hex}"
    conn.execute(f"CREATE TABLE {stage} (key TEXT PRIMARY KEY, data TEXT NOT NULL, hash TEXT NOT NULL, seq INTEGER)")
    try:
        _fill_stage(conn, stage, items)
        if not outer and conn.in_transaction:
            conn.commit()  # only the TEMP table was written; the write lock is taken below
        staged = conn.execute(f"SELECT count(*) FROM {stage}").fetchone()[0]
        if not staged and not allow_empty:
            raise EmptySetError(f"refusing to replace every {kind} with nothing (it would delete them all)")
        return _apply_stage(db, kind, stage, scope, _stamp(now))
    finally:
        if not outer and conn.in_transaction:
            conn.rollback()  # `items` failed while staging: nothing of hq.db was written
        conn.execute(f"DROP TABLE IF EXISTS {stage}")


def _fill_stage(conn: sqlite3.Connection, stage: str, items: Iterable[tuple[str, str, str]]) -> None:
    insert = f"INSERT OR REPLACE INTO {stage} (key, data, hash, seq) VALUES (?, ?, ?, ?)"
    batch: list[tuple] = []
    for seq, (key, data, hash_) in enumerate(items, 1):
        batch.append((key, data, hash_, seq))
        if len(batch) >= _STAGE_BATCH:
            conn.executemany(insert, batch)
            batch.clear()
    if batch:
        conn.executemany(insert, batch)


def _apply_stage(db: sqlite_utils.Database, kind: str, stage: str, scope: str, now: str) -> Diff:
    conn = db.conn
    with write_transaction(db):
        added, updated, unchanged = conn.execute(
            f"""SELECT
                  coalesce(sum(c.version IS NULL OR c.deleted = 1), 0),
                  coalesce(sum(c.deleted = 0 AND c.hash IS NOT s.hash), 0),
                  coalesce(sum(c.deleted = 0 AND c.hash IS s.hash), 0)
                FROM {stage} s LEFT JOIN changes c ON c.kind = ? AND c.key = s.key AND c.scope = ?""",
            [kind, scope],
        ).fetchone()
        removed = conn.execute(
            f"SELECT count(*) FROM changes WHERE kind = ? AND scope = ? AND deleted = 0 "
            f"AND key NOT IN (SELECT key FROM {stage})",
            [kind, scope],
        ).fetchone()[0]
        if added or updated:
            conn.execute(
                f"""INSERT OR REPLACE INTO changes (kind, key, scope, deleted, data, hash, changed_at)
                    SELECT ?, s.key, ?, 0, s.data, s.hash, ? FROM {stage} s
                    LEFT JOIN changes c ON c.kind = ? AND c.key = s.key AND c.scope = ?
                    WHERE c.version IS NULL OR c.deleted = 1 OR c.hash IS NOT s.hash
                    ORDER BY s.seq""",
                [kind, scope, now, kind, scope],
            )
        if removed:
            conn.execute(
                f"""INSERT OR REPLACE INTO changes (kind, key, scope, deleted, data, hash, changed_at)
                    SELECT kind, key, scope, 1, NULL, NULL, ? FROM changes
                    WHERE kind = ? AND scope = ? AND deleted = 0 AND key NOT IN (SELECT key FROM {stage})
                    ORDER BY key""",
                [now, kind, scope],
            )
        total = count_live(db, kind, scope)
    return Diff(added=added, updated=updated, removed=removed, unchanged=unchanged, total=total)


# --------------------------------------------------------------------------- configuration


def list_items(lists: MediatorLists) -> dict[str, dict]:
    """The `list` entities of the configuration lists: {name: {"items": [...]}}."""
    return {name: {"items": list(getattr(lists, name))} for name in LIST_NAMES}


def publish_lists(db: sqlite_utils.Database, lists: MediatorLists, now: datetime) -> int:
    """Publish the seven configuration lists (``[lists]`` of config.toml); how many changed."""
    with write_transaction(db):
        return sum(put(db, "list", name, data, now) is not None for name, data in list_items(lists).items())


def device_config(device: Device) -> dict:
    """The data of a bus's own ``device``/``config`` entity."""
    return {"name": device.name, "bus_locations": list(device.bus_locations)}


def publish_device_config(db: sqlite_utils.Database, device: Device, now: datetime) -> int | None:
    """Publish a bus's ``device``/``config`` entity (its name, its copy locations), for it alone.

    Call it at enrolment and whenever the admin changes the device; nothing is written when the
    configuration did not change.  Returns the new version or None.
    """
    return put(db, *DEVICE_CONFIG, device_config(device), now, scope=device.device_id)


def refresh_configuration(hq: HQ) -> int:
    """Publish the lists of `hq.config` and every device's configuration, in one transaction.

    Idempotent (hashes): called at `serve` start-up and after each catalogue or schedule import.
    Returns how many entities got a new version.
    """
    db = hq.db()
    now = hq.now()
    with write_transaction(db):
        changed = publish_lists(db, hq.config.lists, now)
        for device in list_devices(db):
            changed += publish_device_config(db, device, now) is not None
    return changed


def note_catalogue_version(db: sqlite_utils.Database, device_id: str, version: int) -> None:
    """Record that a bus holds the change log up to `version` (it only ever rises)."""
    with write_transaction(db):
        db.conn.execute(
            "UPDATE devices SET catalogue_version = ? WHERE device_id = ? AND catalogue_version < ?",
            [int(version), device_id, int(version)],
        )
