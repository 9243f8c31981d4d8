"""Snapshots of the change log for new buses and buses too far behind (docs/protocol.md, "Snapshots").

A snapshot at version V holds every live shared entity (scope ``''``) as of V, as gzip chunks of
JSON lines ``{"data", "key", "kind"}`` (canonical JSON), ordered by (kind, key), about
``[snapshot] chunk_bytes`` of uncompressed lines each.  Chunks are content-addressed (the
SHA-256 of their gzip bytes, written with ``mtime=0`` so that the same lines always give the
same chunk) and stored once in ``chunks``; ``snapshots`` lists them per version.

A bus's manifest (`device_manifest`) is the latest snapshot's chunks plus one small chunk of
that bus's own entities (scope = its device id), signed with headquarters' key (document kind
``snapshot``).

Consistency without a long lock: V is read first, then entities are read in batches.  An
entity that changed after V has a version above V, so the bus receives it again with
``changes?since=V``; entities unchanged since V are read as they were.  Applying the snapshot
then the changes since V always gives the current state.

The tables are created by `publish`'s migration set.  Old snapshots (all but the last
`KEEP_SNAPSHOTS`) and unreferenced chunks are deleted after each build, with a grace period so
that a build running in another process does not lose its fresh chunks.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from .. import protocol
from . import publish
from .database import write_transaction

if TYPE_CHECKING:
    from .devices import Device
    from .state import HQ

KEEP_SNAPSHOTS = 2
GC_GRACE = timedelta(days=1)
GZIP_LEVEL = 6


@dataclass(frozen=True, slots=True)
class ChunkRef:
    sha256: str
    size: int  # bytes of gzip
    entities: int

    def to_dict(self) -> dict:
        return {"sha256": self.sha256, "size": self.size, "entities": self.entities}


@dataclass(frozen=True, slots=True)
class Snapshot:
    version: int
    created_at: str
    chunks: tuple[ChunkRef, ...]
    entities: int
    size: int


def entity_line(change: publish.Change) -> bytes:
    """One chunk line: canonical JSON {"data", "key", "kind"} and a newline."""
    return (
        f'{{"data":{change.data_json},"key":{json.dumps(change.key, ensure_ascii=False)},'
        f'"kind":{json.dumps(change.kind, ensure_ascii=False)}}}\n'
    ).encode()


def compress(lines: bytes) -> bytes:
    """gzip without a time stamp or a file name: equal lines give equal bytes."""
    return gzip.compress(lines, compresslevel=GZIP_LEVEL, mtime=0)


def chunk_entities(data: bytes) -> Iterator[dict]:
    """The entities of a chunk's gzip bytes (for the bus side and tests)."""
    for line in gzip.decompress(data).splitlines():
        if line:
            yield json.loads(line)


def _store_chunk(
    db: sqlite_utils.Database, lines: bytes, entities: int, now: datetime, device_id: str | None = None
) -> ChunkRef:
    data = compress(lines)
    ref = ChunkRef(protocol.sha256_hex(data), len(data), entities)
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO chunks (sha256, data, size, entities, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at",
            [ref.sha256, data, ref.size, entities, device_id, now.isoformat(timespec="seconds")],
        )
    return ref


def _snapshot(row) -> Snapshot:
    chunks = tuple(ChunkRef(c["sha256"], c["size"], c["entities"]) for c in json.loads(row[2]))
    return Snapshot(row[0], row[1], chunks, row[3], row[4])


def latest_snapshot(db: sqlite_utils.Database) -> Snapshot | None:
    row = db.conn.execute(
        "SELECT version, created_at, chunks, entities, size FROM snapshots ORDER BY version DESC LIMIT 1"
    ).fetchone()
    return _snapshot(row) if row else None


def build_snapshot(db: sqlite_utils.Database, now: datetime, chunk_bytes: int) -> Snapshot:
    """Build the snapshot of the current version (or return it when it already exists)."""
    version = publish.current_version(db)
    latest = latest_snapshot(db)
    if latest is not None and latest.version == version:
        return latest
    refs: list[ChunkRef] = []
    lines: list[bytes] = []
    size = 0
    for change in publish.live_entities(db):
        line = entity_line(change)
        lines.append(line)
        size += len(line)
        if size >= chunk_bytes:
            refs.append(_store_chunk(db, b"".join(lines), len(lines), now))
            lines, size = [], 0
    if lines:
        refs.append(_store_chunk(db, b"".join(lines), len(lines), now))
    snapshot = Snapshot(
        version=version,
        created_at=now.isoformat(timespec="seconds"),
        chunks=tuple(refs),
        entities=sum(r.entities for r in refs),
        size=sum(r.size for r in refs),
    )
    with write_transaction(db):
        db.conn.execute(
            "INSERT OR IGNORE INTO snapshots (version, created_at, chunks, entities, size) VALUES (?, ?, ?, ?, ?)",
            [
                snapshot.version,
                snapshot.created_at,
                json.dumps([r.to_dict() for r in refs]),
                snapshot.entities,
                snapshot.size,
            ],
        )
        collect_garbage(db, now)
    return latest_snapshot(db) or snapshot


def collect_garbage(db: sqlite_utils.Database, now: datetime) -> int:
    """Keep the last `KEEP_SNAPSHOTS` snapshots; delete chunks none of them uses (older than
    `GC_GRACE`: a build in progress elsewhere has not listed its chunks yet). Returns chunks deleted."""
    with write_transaction(db):
        db.conn.execute(
            "DELETE FROM snapshots WHERE version NOT IN (SELECT version FROM snapshots ORDER BY version DESC LIMIT ?)",
            [KEEP_SNAPSHOTS],
        )
        cursor = db.conn.execute(
            """DELETE FROM chunks WHERE created_at < ? AND sha256 NOT IN (
                   SELECT json_extract(j.value, '$.sha256') FROM snapshots, json_each(snapshots.chunks) AS j)""",
            [(now - GC_GRACE).isoformat(timespec="seconds")],
        )
    return cursor.rowcount


def ensure_snapshot(db: sqlite_utils.Database, now: datetime, chunk_bytes: int) -> Snapshot:
    """The latest snapshot, built first when there is none or it is older than the log's start
    (or is the empty version 0 while something was published since)."""
    latest = latest_snapshot(db)
    if latest is None or latest.version < publish.log_start(db):
        return build_snapshot(db, now, chunk_bytes)
    if latest.version == 0 and publish.current_version(db) > 0:
        return build_snapshot(db, now, chunk_bytes)  # `changes?since=0` would send the bus back here
    return latest


def device_chunk(db: sqlite_utils.Database, device_id: str, now: datetime) -> ChunkRef | None:
    """The chunk of one bus's own entities (None when it has none)."""
    lines = [entity_line(c) for c in publish.live_entities(db, device_id, shared=False)]
    if not lines:
        return None
    return _store_chunk(db, b"".join(lines), len(lines), now, device_id=device_id)


def manifest_for(hq: HQ, device: Device, snapshot: Snapshot) -> dict:
    """The manifest of `snapshot` for `device` (not signed).

    The device's configuration entity is published first when it is missing or stale (idempotent):
    a bus never starts without its own configuration.
    """
    db = hq.db()
    publish.publish_device_config(db, device, hq.now())
    refs = list(snapshot.chunks)
    own = device_chunk(db, device.device_id, hq.now())
    if own is not None:
        refs.append(own)
    return {
        "format": protocol.SNAPSHOT_FORMAT,
        "version": snapshot.version,
        "created_at": snapshot.created_at,
        "device_id": device.device_id,
        "hq_key_id": hq.key_id,
        "entities": sum(r.entities for r in refs),
        "size": sum(r.size for r in refs),
        "chunks": [r.to_dict() for r in refs],
    }


def device_manifest(hq: HQ, device: Device) -> dict:
    """``{"manifest": …, "signature": …}`` for `device`: the latest snapshot (built when needed)."""
    db = hq.db()
    publish.publish_device_config(db, device, hq.now())  # first: even an empty headquarters has a version 1
    snapshot = ensure_snapshot(db, hq.now(), hq.config.chunk_bytes)
    manifest = manifest_for(hq, device, snapshot)
    return {"manifest": manifest, "signature": protocol.sign_document(hq.key, "snapshot", manifest)}


def chunk_size(db: sqlite_utils.Database, sha256: str) -> int | None:
    row = db.conn.execute("SELECT size FROM chunks WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def read_chunk(db: sqlite_utils.Database, sha256: str, start: int = 0, length: int | None = None) -> bytes | None:
    """A chunk's gzip bytes, or `length` of them from `start` (0-based); None when unknown."""
    if length is None:
        row = db.conn.execute("SELECT data FROM chunks WHERE sha256 = ?", [sha256]).fetchone()
    else:
        row = db.conn.execute(
            "SELECT substr(data, ?, ?) FROM chunks WHERE sha256 = ?", [start + 1, length, sha256]
        ).fetchone()
        return bytes(row[0]) if row else None
    return None if row is None else bytes(row[0])[start:]
