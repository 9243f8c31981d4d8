"""USB bundles at headquarters (sync.server.bundles): export to a bus, import from a bus."""

from __future__ import annotations

import gzip
import io
import json
import logging
import tarfile
from pathlib import Path

import pytest

from numeribus_kiosk.catalogue.demo import demo_catalogue_path
from numeribus_kiosk.catalogue.readers import read_file
from numeribus_kiosk.catalogue.schedule import demo_dir
from sync import protocol
from sync.server import bundles, catalogue, devices, publish, schedule, snapshots
from tests.sync.bus_journal import BusJournal
from tests.sync.signing import enrol_device

# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def demo_records():
    return [catalogue.encode_record(r) for r in read_file(demo_catalogue_path())]


@pytest.fixture
def published(hq, demo_records):
    db = hq.db()
    publish.replace_all(db, "record", demo_records, hq.now())
    schedule.import_schedule(db, demo_dir() / "agenda.csv", hq.now())
    publish.refresh_configuration(hq)
    return hq


@pytest.fixture
def bus(tmp_path, client, hq):
    """A real kiosk journal enrolled at headquarters under its own device id, with its key."""
    journal = BusJournal(tmp_path / "bus")
    key = protocol.generate_key()
    enrolled = enrol_device(client, hq, "Bus 1", device_id=journal.device_id, key=key)
    journal.key = key
    journal.enrolled = enrolled
    try:
        yield journal
    finally:
        journal.close()


def with_events(journal: BusJournal) -> list[dict]:
    journal.add_session()
    journal.add_request()
    journal.add_feedback()
    journal.add_offer()
    journal.add_session(participants=3, participants_by_age={"60-79": 3})
    return journal.pending()


def write_to_hq(root: Path, key, device_id: str, events: list[dict], **manifest) -> Path:
    """A to-hq bundle as docs/protocol.md describes it, signed with `key`."""
    seqs = [e["seq"] for e in events if isinstance(e.get("seq"), int)] or [0]
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode("utf-8")
    fields = {
        "direction": "to-hq",
        "device_id": device_id,
        "created_at": "2026-11-26T16:00:00+00:00",
        "first_seq": min(seqs),
        "last_seq": max(seqs),
        "catalogue_version": 0,
        **manifest,
    }
    name = f"{device_id}-{min(seqs)}-{max(seqs)}{protocol.BUNDLE_SUFFIX}"
    return protocol.write_bundle(
        bundles.stick_folder(root, bundles.TO_HQ) / name, key, fields, {"events.jsonl.gz": gzip.compress(lines)}
    )


def held(hq) -> tuple:
    """Everything an import could change."""
    db = hq.db()
    return (
        db.execute("SELECT device_id, seq, hash, status FROM events ORDER BY device_id, seq").fetchall(),
        db.execute("SELECT device_id, acknowledged, catalogue_version FROM devices ORDER BY device_id").fetchall(),
        db.execute("SELECT count(*) FROM alarms").fetchone()[0],
        db.execute("SELECT count(*) FROM sessions").fetchone()[0],
    )


def rewrite(path: Path, change) -> None:
    """Rewrite a bundle's tar members through `change(name, data) -> data` (no new signature)."""
    members = []
    with tarfile.open(path) as tar:
        for info in tar:
            members.append((info.name, tar.extractfile(info).read()))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            data = change(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())


def apply_to_bus_bundle(path: Path, hq, device_id: str) -> tuple[dict, dict]:
    """What a bus would do: verify the bundle and apply its snapshot and changes; returns (manifest, state)."""
    bundle = protocol.read_bundle(path, protocol.load_public(hq.public_key))
    manifest = bundle.manifest
    assert manifest["direction"] == "to-bus" and manifest["device_id"] == device_id
    state: dict = {}
    if "snapshot" in manifest:
        snap = manifest["snapshot"]
        assert protocol.verify_document(
            protocol.load_public(hq.public_key), "snapshot", snap["manifest"], snap["signature"]
        )
        assert snap["manifest"]["device_id"] == device_id
        for chunk in snap["manifest"]["chunks"]:
            data = bundle.files[f"snapshot/{chunk['sha256']}.gz"]
            assert protocol.sha256_hex(data) == chunk["sha256"]
            for entity in snapshots.chunk_entities(data):
                state[(entity["kind"], entity["key"])] = entity["data"]
    for line in gzip.decompress(bundle.files["changes.jsonl.gz"]).splitlines():
        entry = json.loads(line)
        if entry["deleted"]:
            state.pop((entry["kind"], entry["key"]), None)
        else:
            state[(entry["kind"], entry["key"])] = entry["data"]
    return manifest, state


def live_state(hq, device_id: str) -> dict:
    return {(c.kind, c.key): c.data for c in publish.live_entities(hq.db(), device_id)}


# --------------------------------------------------------------------------- to the bus


def test_a_new_bus_gets_the_snapshot_and_the_changes_after_it(tmp_path, published, device, hq):
    hq_db = hq.db()
    publish.refresh_configuration(hq)  # the bus's configuration, now that it is enrolled
    snapshots.build_snapshot(hq_db, hq.now(), hq.config.chunk_bytes)
    publish.put(hq_db, "record", "after-snapshot", {"id": "after-snapshot"}, hq.now())
    result = bundles.export_bundle(hq, device.name, tmp_path / "stick")
    version = publish.current_version(hq_db)
    assert result.path == tmp_path / "stick" / "numeribus" / "to-bus" / f"{device.device_id}-{version}.nbundle"
    assert result.from_version == 0 and result.to_version == version
    assert result.snapshot_version == version - 1 and result.changes == 1
    manifest, state = apply_to_bus_bundle(result.path, hq, device.device_id)
    assert manifest["from_version"] == 0 and manifest["to_version"] == version
    assert manifest["signer_key_id"] == hq.key_id
    assert state == live_state(hq, device.device_id)
    assert state[("device", "config")]["name"] == device.name
    assert result.to_dict()["path"] == str(result.path)
    assert not list(result.path.parent.glob("*.part"))


def test_a_bus_that_holds_a_version_gets_only_the_changes_since(tmp_path, published, device, hq):
    hq_db = hq.db()
    publish.refresh_configuration(hq)
    held_version = publish.current_version(hq_db)
    publish.note_catalogue_version(hq_db, device.device_id, held_version)
    publish.put(hq_db, "record", "n1", {"id": "n1"}, hq.now())
    gone = next(iter(publish.live_entities(hq_db, kinds=["workshop"])))
    publish.remove(hq_db, "workshop", gone.key, hq.now())
    result = bundles.export_bundle(hq, device.name, tmp_path)
    assert result.snapshot_version is None and result.from_version == held_version
    assert result.changes == 2
    bundle = protocol.read_bundle(result.path, protocol.load_public(hq.public_key))
    assert set(bundle.files) == {"changes.jsonl.gz"}
    entries = [json.loads(line) for line in gzip.decompress(bundle.files["changes.jsonl.gz"]).splitlines()]
    assert [(e["key"], e["deleted"]) for e in entries] == [("n1", False), (gone.key, True)]


def test_a_bus_behind_the_retained_log_gets_a_snapshot(tmp_path, published, device, hq, hq_clock):
    hq_db = hq.db()
    publish.note_catalogue_version(hq_db, device.device_id, 5)
    gone = next(iter(publish.live_entities(hq_db, kinds=["record"])))
    publish.remove(hq_db, "record", gone.key, hq.now())
    hq_clock.advance(days=hq.config.tombstone_days + 1)
    publish.purge_expired_tombstones(hq)
    result = bundles.export_bundle(hq, device.name, tmp_path)
    assert result.snapshot_version is not None and result.snapshot_version >= publish.log_start(hq_db)
    _, state = apply_to_bus_bundle(result.path, hq, device.device_id)
    assert state == live_state(hq, device.device_id)


def test_no_bundle_for_an_unknown_or_revoked_device(tmp_path, published, device, hq):
    with pytest.raises(bundles.BundleError, match="no device named 'Bus 9'"):
        bundles.export_bundle(hq, "Bus 9", tmp_path)
    devices.revoke(hq.db(), device.name, hq.now())
    with pytest.raises(bundles.BundleError, match="revoked"):
        bundles.export_bundle(hq, device.name, tmp_path)
    assert not (tmp_path / "numeribus").exists()


def test_another_bus_refuses_a_bundle_that_is_not_for_it(tmp_path, published, device, make_device, hq):
    make_device("Bus 2")
    path = bundles.export_bundle(hq, device.name, tmp_path).path
    manifest = protocol.read_bundle(path, protocol.load_public(hq.public_key)).manifest
    assert manifest["device_id"] == device.device_id
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(path, protocol.generate_key().public_key())


# --------------------------------------------------------------------------- from the bus


def test_events_from_a_stick_are_stored_and_a_second_import_changes_nothing(tmp_path, bus, hq):
    events = with_events(bus)
    write_to_hq(tmp_path / "stick", bus.key, bus.device_id, events, catalogue_version=7)
    results = bundles.import_bundles(hq, [tmp_path / "stick"])
    assert [r.status for r in results] == ["imported"]
    result = results[0]
    assert result.events == len(events) == 5
    assert result.counts == {"stored": 5, "duplicate": 0, "quarantined": 0, "conflict": 0}
    assert result.acknowledged == 5 and result.device == "Bus 1"
    device = devices.get_device(hq.db(), bus.device_id)
    assert (device.acknowledged, device.catalogue_version) == (5, 7)
    assert hq.db().execute("SELECT DISTINCT via FROM events").fetchall() == [("bundle",)]
    before = held(hq)
    again = bundles.import_bundles(hq, [tmp_path / "stick"])[0]
    assert again.counts == {"stored": 0, "duplicate": 5, "quarantined": 0, "conflict": 0}
    assert held(hq) == before
    # the answer goes back by stick too: what headquarters holds of the bus's outbox
    back = bundles.export_bundle(hq, "Bus 1", tmp_path / "back").path
    assert protocol.read_bundle(back, protocol.load_public(hq.public_key)).manifest["acknowledged"] == 5


def test_bundles_are_found_in_order_on_a_stick(tmp_path, bus, hq):
    events = with_events(bus)
    root = tmp_path / "stick"
    write_to_hq(root, bus.key, bus.device_id, events[2:])
    write_to_hq(root, bus.key, bus.device_id, events[:2])
    (root / "numeribus" / "to-hq" / "notes.txt").write_text("not a bundle", "utf-8")
    found = bundles.find_bundles([root])
    assert [p.name for p in found] == [f"{bus.device_id}-1-2.nbundle", f"{bus.device_id}-3-5.nbundle"]
    assert bundles.find_bundles([root / "numeribus" / "to-hq"]) == found
    assert bundles.find_bundles([found[1], root]) == [found[1], found[0]]
    results = bundles.import_bundles(hq, [root])
    assert [r.acknowledged for r in results] == [2, 5]
    with pytest.raises(bundles.BundleError, match="No bundle in"):
        bundles.find_bundles([tmp_path / "bus"])
    with pytest.raises(bundles.BundleError, match="does not exist"):
        bundles.find_bundles([tmp_path / "nowhere"])


def hostile_cases():
    """(name, how to spoil the bundle, expected message): each must be refused whole."""

    def other_key(root, bus, events):
        return write_to_hq(root, protocol.generate_key(), bus.device_id, events)

    def truncated(root, bus, events):
        path = write_to_hq(root, bus.key, bus.device_id, events)
        data = path.read_bytes()
        path.write_bytes(data[: data.index(b"\x1f\x8b") + 20])  # inside the events file
        return path

    def cut_before_payload(root, bus, events):
        path = write_to_hq(root, bus.key, bus.device_id, events)
        data = path.read_bytes()
        path.write_bytes(data[: data.index(b"events.jsonl.gz", 2048) - 1])
        return path

    def tampered_events(root, bus, events):
        path = write_to_hq(root, bus.key, bus.device_id, events)
        changed = [dict(e, payload={**e["payload"], "participants": 80}) if e["seq"] == 1 else e for e in events]
        lines = gzip.compress("".join(json.dumps(e) + "\n" for e in changed).encode())
        rewrite(path, lambda name, data: lines if name == "events.jsonl.gz" else data)
        return path

    def tampered_manifest(root, bus, events):
        path = write_to_hq(root, bus.key, bus.device_id, events)

        def change(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["catalogue_version"] = 99
            return protocol.canonical_json(manifest)

        rewrite(path, change)
        return path

    def unknown_device(root, bus, events):
        return write_to_hq(root, bus.key, "not-enrolled", [dict(e, device_id="not-enrolled") for e in events])

    def revoked(root, bus, events):
        path = write_to_hq(root, bus.key, bus.device_id, events)
        devices.revoke(bus.hq.db(), "Bus 1", bus.hq.now())
        return path

    def foreign_events(root, bus, events):
        return write_to_hq(root, bus.key, bus.device_id, [*events[:-1], dict(events[-1], device_id="other-bus")])

    def for_a_bus(root, bus, events):
        return write_to_hq(root, bus.key, bus.device_id, events, direction="to-bus")

    def no_events_file(root, bus, events):
        path = bundles.stick_folder(root, "to-hq") / f"{bus.device_id}-1-5.nbundle"
        return protocol.write_bundle(path, bus.key, {"direction": "to-hq", "device_id": bus.device_id}, {})

    def damaged_gzip(root, bus, events):
        path = bundles.stick_folder(root, "to-hq") / f"{bus.device_id}-1-5.nbundle"
        manifest = {"direction": "to-hq", "device_id": bus.device_id}
        return protocol.write_bundle(path, bus.key, manifest, {"events.jsonl.gz": b"\x1f\x8b not gzip"})

    def outside_its_range(root, bus, events):
        return write_to_hq(root, bus.key, bus.device_id, events, first_seq=1, last_seq=3)

    def not_a_bundle(root, bus, events):
        path = bundles.stick_folder(root, "to-hq") / f"{bus.device_id}-1-5.nbundle"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK\x03\x04 a zip file, not a bundle" * 40)
        return path

    def malformed_event(root, bus, events):
        spoilt = [*events[:-1], {"seq": "five", "device_id": bus.device_id}]
        return write_to_hq(root, bus.key, bus.device_id, spoilt, first_seq=1, last_seq=5)

    return [
        ("another key", other_key, "signature does not verify"),
        ("truncated", truncated, "truncated|not a complete bundle"),
        ("cut before its payload", cut_before_payload, "truncated|not a complete bundle|missing"),
        ("tampered events", tampered_events, "does not match its signed hash"),
        ("tampered manifest", tampered_manifest, "signature does not verify"),
        ("unknown device", unknown_device, "does not know"),
        ("revoked device", revoked, "revoked"),
        ("another bus's events", foreign_events, "events of another bus"),
        ("a to-bus bundle", for_a_bus, "not a bundle from a bus"),
        ("no events file", no_events_file, "no events.jsonl.gz"),
        ("damaged gzip", damaged_gzip, "damaged"),
        ("events outside its range", outside_its_range, "outside"),
        ("not a bundle", not_a_bundle, "not a complete bundle"),
        ("malformed event", malformed_event, "malformed"),
    ]


@pytest.mark.parametrize("name, spoil, message", hostile_cases(), ids=[c[0] for c in hostile_cases()])
def test_a_hostile_bundle_is_refused_whole(tmp_path, bus, hq, name, spoil, message):
    events = with_events(bus)
    bus.hq = hq
    good = write_to_hq(tmp_path / "earlier", bus.key, bus.device_id, events[:1])
    bundles.import_bundle(hq, good)
    before = held(hq)
    path = spoil(tmp_path / "stick", bus, events)
    with pytest.raises(bundles.BundleError, match=message):
        bundles.import_bundle(hq, path)
    assert held(hq) == before
    results = bundles.import_bundles(hq, [tmp_path / "stick"])
    assert [r.status for r in results] == ["refused"] and results[0].reason
    assert held(hq) == before


def test_a_refused_bundle_does_not_stop_the_others(tmp_path, bus, hq):
    events = with_events(bus)
    root = tmp_path / "stick"
    write_to_hq(root, bus.key, bus.device_id, events[:2])
    write_to_hq(root, protocol.generate_key(), bus.device_id, events[2:])
    results = bundles.import_bundles(hq, [root])
    assert [r.status for r in results] == ["imported", "refused"]
    assert devices.get_device(hq.db(), bus.device_id).acknowledged == 2


def test_a_sequence_conflict_is_reported(tmp_path, bus, hq):
    events = with_events(bus)
    write_to_hq(tmp_path / "a", bus.key, bus.device_id, events)
    bundles.import_bundles(hq, [tmp_path / "a"])
    other = dict(events[0], payload={**events[0]["payload"], "participants": 80})
    from numeribus_kiosk.journal.outbox import event_hash

    other["hash"] = event_hash(*(other[k] for k in ("device_id", "seq", "kind", "entity_id", "device_time", "payload")))
    write_to_hq(tmp_path / "b", bus.key, bus.device_id, [other])
    result = bundles.import_bundles(hq, [tmp_path / "b"])[0]
    assert result.status == "imported" and result.counts["conflict"] == 1
    assert hq.db().execute("SELECT count(*) FROM alarms").fetchone()[0] == 1


def test_personal_data_never_reaches_the_logs(tmp_path, bus, hq, caplog):
    caplog.set_level(logging.DEBUG)
    events = with_events(bus)
    write_to_hq(tmp_path / "stick", bus.key, bus.device_id, events)
    bundles.import_bundles(hq, [tmp_path / "stick"])
    spoiled = write_to_hq(
        tmp_path / "bad", bus.key, bus.device_id, [dict(e, device_id="x") if e["seq"] == 2 else e for e in events]
    )
    with pytest.raises(bundles.BundleError) as caught:
        bundles.import_bundle(hq, spoiled)
    for secret in ("Zoé Martin", "06 12 34 56 78", "Jean Dupont", "jean@example.org"):
        assert secret not in caplog.text
        assert secret not in str(caught.value)
