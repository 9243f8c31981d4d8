"""GET /api/v1/changes, /api/v1/snapshot and /api/v1/snapshot/chunks/{sha256}, signed, over HTTP."""

from __future__ import annotations

import gzip
from datetime import timedelta

import httpx
import pytest

from numeribus_kiosk.catalogue.demo import demo_catalogue_path
from numeribus_kiosk.catalogue.readers import read_file
from numeribus_kiosk.catalogue.schedule import demo_dir
from sync import protocol
from sync.server import catalogue, devices, publish, schedule, snapshots
from sync.server.routes_changes import RangeNotSatisfiable, parse_range


def pull(client, signed, device, since: int, limit: int = 1000) -> tuple[list[dict], int]:
    """Every change after `since`, page by page, as a bus does; returns (changes, final cursor)."""
    changes: list[dict] = []
    more = True
    while more:
        answer = signed(client, device, "GET", f"/api/v1/changes?since={since}&limit={limit}")
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert page["since"] == since
        changes.extend(page["changes"])
        since, more = page["version"], page["more"]
    return changes, since


def apply(state: dict, entities) -> dict:
    for entity in entities:
        key = (entity["kind"], entity["key"])
        if entity.get("deleted"):
            state.pop(key, None)
        else:
            state[key] = entity["data"]
    return state


def live_state(db, device_id: str) -> dict:
    return {(c.kind, c.key): c.data for c in publish.live_entities(db, device_id)}


def take_snapshot(client, signed, device, hq) -> tuple[dict, dict]:
    """Fetch, verify and apply the bus's snapshot; returns (manifest, state)."""
    answer = signed(client, device, "GET", "/api/v1/snapshot")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    manifest = body["manifest"]
    assert protocol.verify_document(protocol.load_public(hq.public_key), "snapshot", manifest, body["signature"])
    state: dict = {}
    for chunk in manifest["chunks"]:
        got = signed(client, device, "GET", f"/api/v1/snapshot/chunks/{chunk['sha256']}")
        assert got.status_code == 200
        assert got.headers["content-type"] == "application/gzip"
        assert protocol.sha256_hex(got.content) == chunk["sha256"]
        assert len(got.content) == chunk["size"]
        entities = list(snapshots.chunk_entities(got.content))
        assert len(entities) == chunk["entities"]
        apply(state, entities)
    return manifest, state


@pytest.fixture(scope="module")
def demo_records() -> list[tuple[str, str, str]]:
    """The demo catalogue's records as change-log entries, read once for the module."""
    return [catalogue.encode_record(r) for r in read_file(demo_catalogue_path())]


@pytest.fixture
def published(hq, demo_records):
    """The demo catalogue, the demo schedule and agenda, the lists, every device's configuration
    (the catalogue's reading itself is tested in test_catalogue_import.py)."""
    db = hq.db()
    publish.replace_all(db, "record", demo_records, hq.now())
    schedule.import_schedule(db, demo_dir() / "schedule.csv", hq.now())
    schedule.import_schedule(db, demo_dir() / "agenda.csv", hq.now())
    publish.refresh_configuration(hq)
    return hq


def test_a_bus_of_an_empty_headquarters_does_not_loop(client, signed, device, hq):
    assert signed(client, device, "GET", "/api/v1/changes?since=0").status_code == 410
    manifest, state = take_snapshot(client, signed, device, hq)
    assert manifest["version"] >= 1
    assert state == {("device", "config"): {"name": "Bus 1", "bus_locations": ["NUMERIBUS"]}}
    answer = signed(client, device, "GET", f"/api/v1/changes?since={manifest['version']}")
    assert answer.status_code == 200 and answer.json()["changes"] == []


def test_since_zero_needs_a_snapshot(client, signed, device, published):
    answer = signed(client, device, "GET", "/api/v1/changes?since=0")
    assert answer.status_code == 410
    error = answer.json()["error"]
    assert error["code"] == "snapshot_required"
    assert error["details"]["snapshot_version"] == publish.current_version(published.db())


def test_a_new_bus_gets_snapshot_then_changes_equal_to_live_state(client, signed, device, published, hq):
    db = hq.db()
    manifest, state = take_snapshot(client, signed, device, hq)
    assert manifest["device_id"] == device.device_id
    assert manifest["hq_key_id"] == hq.key_id
    assert manifest["format"] == protocol.SNAPSHOT_FORMAT
    assert manifest["entities"] == len(state) == 3000 + 32 + 21 + 7 + 1
    assert manifest["size"] == sum(c["size"] for c in manifest["chunks"])
    # the bus's own configuration comes last, in its own chunk
    assert state[("device", "config")] == {"name": "Bus 1", "bus_locations": ["NUMERIBUS"]}
    # changes after the snapshot
    catalogue_record = next(iter(publish.live_entities(db, kinds=["record"])))
    publish.remove(db, "record", catalogue_record.key, hq.now())
    publish.put(db, "record", "new-1", {"id": "new-1", "title": "Nouveau"}, hq.now())
    changes, cursor = pull(client, signed, device, manifest["version"], limit=1)
    assert [c["key"] for c in changes] == [catalogue_record.key, "new-1"]
    assert cursor == publish.current_version(db)
    assert apply(state, changes) == live_state(db, device.device_id)


def test_pages_have_limit_more_and_cursor(client, signed, device, published, hq):
    db = hq.db()
    since = publish.current_version(db)
    for n in range(7):
        publish.put(db, "record", f"n{n}", {"n": n}, hq.now())
    answer = signed(client, device, "GET", f"/api/v1/changes?since={since}&limit=3")
    page = answer.json()
    assert answer.status_code == 200
    assert page["more"] is True
    assert [c["version"] for c in page["changes"]] == [since + 1, since + 2, since + 3]
    assert page["version"] == since + 3
    assert page["latest"] == since + 7
    assert page["changes"][0] == {
        "version": since + 1,
        "kind": "record",
        "key": "n0",
        "deleted": False,
        "data": {"n": 0},
    }
    changes, cursor = pull(client, signed, device, page["version"], limit=3)
    assert [c["key"] for c in changes] == ["n3", "n4", "n5", "n6"]
    assert cursor == since + 7
    # up to date: an empty page, the same cursor
    page = signed(client, device, "GET", f"/api/v1/changes?since={cursor}").json()
    assert page == {"since": cursor, "version": cursor, "latest": cursor, "more": False, "changes": []}


@pytest.mark.parametrize(
    "query", ["since=5&limit=0", "since=5&limit=5001", "since=5&limit=x", "since=-1", "since=abc", "limit=5"]
)
def test_bad_parameters_are_invalid_requests(client, signed, device, published, query):
    answer = signed(client, device, "GET", f"/api/v1/changes?{query}")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_request"


def test_limit_bounds_are_accepted(client, signed, device, published):
    for limit in (1, 5000):
        assert signed(client, device, "GET", f"/api/v1/changes?since=5&limit={limit}").status_code == 200


def test_since_older_than_the_purged_tombstones_needs_a_snapshot(client, signed, device, published, hq, hq_clock):
    db = hq.db()
    start = publish.current_version(db)
    record = next(iter(publish.live_entities(db, kinds=["record"])))
    publish.remove(db, "record", record.key, hq.now())
    assert signed(client, device, "GET", f"/api/v1/changes?since={start - 5}").status_code == 200
    hq_clock.advance(days=hq.config.tombstone_days + 1)
    assert publish.purge_expired_tombstones(hq) == 1
    answer = signed(client, device, "GET", f"/api/v1/changes?since={start - 5}")
    assert answer.status_code == 410
    assert answer.json()["error"]["code"] == "snapshot_required"
    # the snapshot older than log_start was rebuilt for the answer
    assert answer.json()["error"]["details"]["snapshot_version"] >= publish.log_start(db)
    # a bus holding the purged tombstone's version or later goes on
    assert signed(client, device, "GET", f"/api/v1/changes?since={start + 1}").status_code == 200


def test_since_beyond_what_headquarters_published_needs_a_snapshot(client, signed, device, published, hq):
    latest = publish.current_version(hq.db())
    answer = signed(client, device, "GET", f"/api/v1/changes?since={latest + 1}")
    assert answer.status_code == 410
    assert answer.json()["error"]["details"]["snapshot_version"] == latest


def test_each_bus_sees_only_its_own_configuration(client, signed, device, make_device, published, hq):
    other = make_device("Bus 2")
    publish.refresh_configuration(hq)
    _, state_1 = take_snapshot(client, signed, device, hq)
    _, state_2 = take_snapshot(client, signed, other, hq)
    assert state_1[("device", "config")]["name"] == "Bus 1"
    assert state_2[("device", "config")]["name"] == "Bus 2"
    since = publish.current_version(hq.db())
    db = hq.db()
    db.execute("UPDATE devices SET bus_locations = '[\"BUS2\"]' WHERE device_id = ?", [other.device_id])
    db.conn.commit()
    publish.refresh_configuration(hq)
    changes_1, _ = pull(client, signed, device, since)
    changes_2, _ = pull(client, signed, other, since)
    assert changes_1 == []
    assert [(c["kind"], c["data"]) for c in changes_2] == [("device", {"name": "Bus 2", "bus_locations": ["BUS2"]})]


def test_a_changed_bus_configuration_comes_with_the_next_pull(client, signed, device, published, hq):
    db = hq.db()
    since = publish.current_version(db)
    # enrolment or the admin site changed the device without publishing it
    db.execute("UPDATE devices SET bus_locations = '[\"BUS9\"]' WHERE device_id = ?", [device.device_id])
    db.conn.commit()
    changes, _ = pull(client, signed, device, since)
    assert [(c["kind"], c["key"], c["data"]) for c in changes] == [
        ("device", "config", {"name": "Bus 1", "bus_locations": ["BUS9"]})
    ]
    assert pull(client, signed, device, since + 1)[0] == []


def test_the_version_a_bus_sends_is_recorded(client, signed, device, published, hq):
    latest = publish.current_version(hq.db())
    signed(client, device, "GET", f"/api/v1/changes?since={latest - 10}")
    assert devices.get_device(hq.db(), device.device_id).catalogue_version == latest - 10
    signed(client, device, "GET", f"/api/v1/changes?since={latest - 20}")
    assert devices.get_device(hq.db(), device.device_id).catalogue_version == latest - 10
    signed(client, device, "GET", "/api/v1/changes?since=0")  # 410: nothing recorded
    assert devices.get_device(hq.db(), device.device_id).catalogue_version == latest - 10


def test_the_snapshot_is_rebuilt_when_none_exists_and_reused_after(client, signed, device, published, hq):
    db = hq.db()
    assert snapshots.latest_snapshot(db) is None
    first = signed(client, device, "GET", "/api/v1/snapshot").json()["manifest"]
    assert first["version"] == publish.current_version(db)
    publish.put(db, "record", "late", {"n": 1}, hq.now())
    again = signed(client, device, "GET", "/api/v1/snapshot").json()["manifest"]
    assert again["version"] == first["version"]  # changes after it come with changes?since


@pytest.fixture
def chunk(client, signed, device, published, hq):
    manifest = signed(client, device, "GET", "/api/v1/snapshot").json()["manifest"]
    sha = manifest["chunks"][0]["sha256"]
    return sha, snapshots.read_chunk(hq.db(), sha)


def test_range_requests_resume_a_download(client, signed, device, chunk):
    sha, data = chunk
    size = len(data)
    target = f"/api/v1/snapshot/chunks/{sha}"
    whole = signed(client, device, "GET", target)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    # an interrupted download: the first 1000 bytes, then the rest
    first = signed(client, device, "GET", target, headers={"Range": "bytes=0-999"})
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-999/{size}"
    assert first.content == data[:1000]
    rest = signed(client, device, "GET", target, headers={"Range": "bytes=1000-"})
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes 1000-{size - 1}/{size}"
    assert protocol.sha256_hex(first.content + rest.content) == sha
    tail = signed(client, device, "GET", target, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == data[-10:]
    beyond = signed(client, device, "GET", target, headers={"Range": f"bytes=5-{size + 100}"})
    assert beyond.status_code == 206 and beyond.content == data[5:]
    gzip.decompress(whole.content)  # a real gzip file


@pytest.mark.parametrize("header", ["bytes={size}-", "bytes=10-5", "bytes=-0", "bytes=0-1,5-6", "items=0-5", "bytes=-"])
def test_bad_ranges_are_416(client, signed, device, chunk, header):
    sha, data = chunk
    answer = signed(
        client, device, "GET", f"/api/v1/snapshot/chunks/{sha}", headers={"Range": header.format(size=len(data))}
    )
    assert answer.status_code == 416
    assert answer.json()["error"]["code"] == "range_not_satisfiable"
    assert answer.headers["content-range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("sha", ["0" * 64, "not-a-hash", "A" * 64])
def test_unknown_chunks_are_404(client, signed, device, published, sha):
    answer = signed(client, device, "GET", f"/api/v1/snapshot/chunks/{sha}")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "target", ["/api/v1/changes?since=1", "/api/v1/snapshot", "/api/v1/snapshot/chunks/" + "0" * 64]
)
def test_every_down_route_needs_a_signature(client, target, published):
    answer = client.get(target)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unsigned_request"


def test_a_revoked_bus_gets_nothing(client, signed, device, published, hq):
    devices.revoke(hq.db(), device.name, hq.now())
    answer = signed(client, device, "GET", "/api/v1/changes?since=5")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "device_revoked"


def test_parse_range():
    assert parse_range("bytes=0-9", 100) == (0, 9)
    assert parse_range("bytes=90-", 100) == (90, 99)
    assert parse_range("bytes=-5", 100) == (95, 99)
    assert parse_range("bytes=-500", 100) == (0, 99)
    assert parse_range("bytes=50-500", 100) == (50, 99)
    for bad in ("bytes=100-", "bytes=5-4", "bytes=-0", "bytes=a-b", "bytes=1-2,4-5", "bytes=-", ""):
        with pytest.raises(RangeNotSatisfiable):
            parse_range(bad, 100)


def test_openapi_documents_the_down_routes(client):
    schema = client.get("/openapi.json").json()
    changes = schema["paths"]["/api/v1/changes"]["get"]
    names = {p["name"] for p in changes["parameters"]}
    assert {"since", "limit"} <= names
    assert "ChangesPage" in schema["components"]["schemas"]
    assert "SnapshotAnswer" in schema["components"]["schemas"]
    assert "/api/v1/snapshot/chunks/{sha256}" in schema["paths"]


def test_a_bus_pulls_over_a_real_server(live_hq, signed, published, hq):
    from tests.sync.signing import enrol_device

    with httpx.Client(base_url=live_hq.url) as http:
        bus = enrol_device(http, hq, "Bus réel")
        publish.refresh_configuration(hq)
        manifest, state = take_snapshot(http, signed, bus, hq)
        changes, _ = pull(http, signed, bus, manifest["version"])
        assert apply(state, changes) == live_state(hq.db(), bus.device_id)
        sha = manifest["chunks"][0]["sha256"]
        part = signed(http, bus, "GET", f"/api/v1/snapshot/chunks/{sha}", headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100


def test_old_snapshot_chunks_are_collected(hq, hq_clock, published):
    db = hq.db()
    first = snapshots.build_snapshot(db, hq.now(), hq.config.chunk_bytes)
    publish.put(db, "record", "x", {"n": 1}, hq.now())
    snapshots.build_snapshot(db, hq.now(), hq.config.chunk_bytes)
    publish.put(db, "record", "y", {"n": 1}, hq.now())
    hq_clock.advance(days=2)
    third = snapshots.build_snapshot(db, hq.now(), hq.config.chunk_bytes)
    versions = [r[0] for r in db.execute("SELECT version FROM snapshots ORDER BY version")]
    assert versions[-1] == third.version and len(versions) == snapshots.KEEP_SNAPSHOTS
    assert all(snapshots.chunk_size(db, c.sha256) is None for c in first.chunks)
    assert all(snapshots.chunk_size(db, c.sha256) for c in third.chunks)
    assert timedelta(days=1) == snapshots.GC_GRACE
