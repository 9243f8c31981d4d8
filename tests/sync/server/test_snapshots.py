"""Snapshots (sync.server.snapshots): chunks, content addressing, manifests, signatures, rebuilds."""

from __future__ import annotations

import gzip
import json

from sync import protocol
from sync.server import publish, snapshots
from sync.server.state import HQ
from tests.sync.bus_journal import enrol_directly


def fill(db, now, count: int = 60) -> None:
    with publish.write_transaction(db):
        for n in range(count):
            publish.put(db, "record", f"r{n:03d}", {"id": f"r{n:03d}", "title": f"Titre {n}", "pad": "x" * 40}, now)
        publish.put(db, "passage", "p1", {"id": "p1", "commune": "Noirétable"}, now)
        publish.put(db, "list", "publics", {"items": ["seniors / EHPAD"]}, now)


def entities_of(db, snapshot) -> list[dict]:
    out = []
    for ref in snapshot.chunks:
        out.extend(snapshots.chunk_entities(snapshots.read_chunk(db, ref.sha256)))
    return out


def test_chunks_hold_every_shared_entity_in_kind_key_order(hq):
    db = hq.db()
    fill(db, hq.now())
    publish.put(db, "device", "config", {"name": "Bus 1"}, hq.now(), scope="dev-1")
    publish.remove(db, "record", "r005", hq.now())
    snapshot = snapshots.build_snapshot(db, hq.now(), chunk_bytes=1000)
    assert snapshot.version == publish.current_version(db)
    assert len(snapshot.chunks) > 3
    lines = entities_of(db, snapshot)
    assert [(e["kind"], e["key"]) for e in lines] == [(c.kind, c.key) for c in publish.live_entities(db)]
    assert ("record", "r005") not in {(e["kind"], e["key"]) for e in lines}
    assert ("device", "config") not in {(e["kind"], e["key"]) for e in lines}  # a bus's own: not shared
    assert snapshot.entities == len(lines) == 61
    for ref in snapshot.chunks:
        data = snapshots.read_chunk(db, ref.sha256)
        assert protocol.sha256_hex(data) == ref.sha256
        assert len(data) == ref.size
        raw = gzip.decompress(data)
        assert len(raw) < 1000 + 200  # about chunk_bytes of lines each
        for line in raw.splitlines():
            assert line == protocol.canonical_json(json.loads(line))  # canonical lines
    assert snapshot.size == sum(r.size for r in snapshot.chunks)


def test_same_content_gives_the_same_chunks(tmp_path, hq):
    other = HQ(tmp_path / "other", clock=hq.clock)
    try:
        for service in (hq, other):
            fill(service.db(), service.now())
        one = snapshots.build_snapshot(hq.db(), hq.now(), 1000)
        two = snapshots.build_snapshot(other.db(), other.now(), 1000)
        assert [r.sha256 for r in one.chunks] == [r.sha256 for r in two.chunks]
    finally:
        other.close()


def test_an_unchanged_version_reuses_the_snapshot_and_a_change_keeps_unchanged_chunks(hq, hq_clock):
    db = hq.db()
    fill(db, hq.now())
    first = snapshots.build_snapshot(db, hq.now(), 1000)
    hq_clock.advance(60)
    assert snapshots.build_snapshot(db, hq.now(), 1000) == first
    assert db.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1
    publish.put(db, "record", "r059", {"id": "r059", "title": "Titre 59", "pad": "y" * 40}, hq.now())
    second = snapshots.build_snapshot(db, hq.now(), 1000)
    assert second.version == first.version + 1
    assert [r.sha256 for r in second.chunks[:-1]] == [r.sha256 for r in first.chunks[:-1]]
    assert second.chunks[-1].sha256 != first.chunks[-1].sha256


def test_snapshot_then_changes_since_equals_live_state(hq):
    db = hq.db()
    fill(db, hq.now())
    snapshot = snapshots.build_snapshot(db, hq.now(), 2000)
    publish.remove(db, "record", "r001", hq.now())
    publish.put(db, "record", "r002", {"changed": True}, hq.now())
    publish.put(db, "record", "new", {"new": True}, hq.now())
    state = {(e["kind"], e["key"]): e["data"] for e in entities_of(db, snapshot)}
    entries, cursor, more = publish.changes_since(db, snapshot.version, 1000)
    assert not more and cursor == publish.current_version(db)
    for entry in entries:
        if entry.deleted:
            state.pop((entry.kind, entry.key), None)
        else:
            state[(entry.kind, entry.key)] = entry.data
    assert state == {(c.kind, c.key): c.data for c in publish.live_entities(db)}


def test_the_device_manifest_is_signed_and_ends_with_the_bus_own_chunk(hq):
    db = hq.db()
    fill(db, hq.now())
    bus = enrol_directly(hq, "Bus 1", "dev-1")
    other = enrol_directly(hq, "Bus 2", "dev-2")
    publish.refresh_configuration(hq)
    answer = snapshots.device_manifest(hq, bus)
    manifest, signature = answer["manifest"], answer["signature"]
    assert protocol.verify_document(protocol.load_public(hq.public_key), "snapshot", manifest, signature)
    tampered = dict(manifest, version=manifest["version"] + 1)
    assert not protocol.verify_document(protocol.load_public(hq.public_key), "snapshot", tampered, signature)
    assert manifest["format"] == "numeribus-snapshot-v1"
    assert manifest["device_id"] == "dev-1" and manifest["hq_key_id"] == hq.key_id
    own = list(snapshots.chunk_entities(snapshots.read_chunk(db, manifest["chunks"][-1]["sha256"])))
    assert own == [{"kind": "device", "key": "config", "data": {"name": "Bus 1", "bus_locations": ["NUMERIBUS"]}}]
    shared = [c["sha256"] for c in manifest["chunks"][:-1]]
    other_manifest = snapshots.device_manifest(hq, other)["manifest"]
    assert [c["sha256"] for c in other_manifest["chunks"][:-1]] == shared  # shared by every bus
    assert other_manifest["chunks"][-1]["sha256"] != manifest["chunks"][-1]["sha256"]
    assert manifest["entities"] == sum(c["entities"] for c in manifest["chunks"]) == 60 + 1 + 7 + 1
    assert manifest["size"] == sum(c["size"] for c in manifest["chunks"])


def test_a_bus_whose_configuration_was_not_published_gets_it_in_its_manifest(hq):
    db = hq.db()
    fill(db, hq.now())
    bus = enrol_directly(hq, "Bus 1", "dev-1")  # enrolled, its configuration not published yet
    assert publish.get(db, "device", "config", "dev-1") is None
    manifest = snapshots.device_manifest(hq, bus)["manifest"]
    snapshot = snapshots.latest_snapshot(db)
    assert [c["sha256"] for c in manifest["chunks"][:-1]] == [r.sha256 for r in snapshot.chunks]
    own = list(snapshots.chunk_entities(snapshots.read_chunk(db, manifest["chunks"][-1]["sha256"])))
    assert [e["data"]["name"] for e in own] == ["Bus 1"]
    assert publish.get(db, "device", "config", "dev-1").data["name"] == "Bus 1"


def test_ensure_snapshot_builds_when_none_or_older_than_the_log_start(hq, hq_clock):
    db = hq.db()
    fill(db, hq.now())
    assert snapshots.latest_snapshot(db) is None
    first = snapshots.ensure_snapshot(db, hq.now(), 4096)
    assert first.version == publish.current_version(db)
    publish.put(db, "record", "late", {"n": 1}, hq.now())
    assert snapshots.ensure_snapshot(db, hq.now(), 4096) == first  # a change alone: changes?since serves it
    publish.remove(db, "record", "late", hq.now())
    hq_clock.advance(days=100)
    publish.purge_expired_tombstones(hq)
    assert publish.log_start(db) > first.version
    rebuilt = snapshots.ensure_snapshot(db, hq.now(), 4096)
    assert rebuilt.version == publish.current_version(db) >= publish.log_start(db)


def test_read_chunk_ranges(hq):
    db = hq.db()
    fill(db, hq.now())
    ref = snapshots.build_snapshot(db, hq.now(), 100_000).chunks[0]
    data = snapshots.read_chunk(db, ref.sha256)
    assert snapshots.read_chunk(db, ref.sha256, 10, 20) == data[10:30]
    assert snapshots.read_chunk(db, ref.sha256, 10) == data[10:]
    assert snapshots.read_chunk(db, "0" * 64) is None
    assert snapshots.chunk_size(db, ref.sha256) == len(data)


def test_an_empty_change_log_gives_an_empty_snapshot(hq):
    snapshot = snapshots.build_snapshot(hq.db(), hq.now(), 4096)
    assert (snapshot.version, snapshot.chunks, snapshot.entities) == (0, (), 0)


def test_chunks_are_gzip_without_time_stamp():
    data = snapshots.compress(b'{"data":1,"key":"a","kind":"record"}\n')
    assert data[4:8] == b"\0\0\0\0"  # MTIME
    assert gzip.decompress(data) == b'{"data":1,"key":"a","kind":"record"}\n'
