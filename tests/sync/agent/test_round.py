"""One full round, sync.agent.round.sync_once, against the real headquarters (uvicorn on
127.0.0.1): a bus enrolled for real, its events written by the kiosk's own journal code."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes
from numeribus_kiosk.journal import outbox, requests, sessions
from sync.agent.identity import HQ_KEY_FILE
from sync.agent.round import RoundError, sync_once
from sync.server import devices, publish
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.agent.round_helpers import (
    assert_same_catalogue,
    bus_record_hashes,
    catalogue_csv,
    enrol_bus,
    hq_events,
    publish_catalogue,
)
from tests.sync.live import free_loopback_port, serve_in_thread


@pytest.fixture
def bus_dir(bus, tmp_path: Path) -> Path:
    return tmp_path / "bus"  # the folder of the `bus` fixture's journal.db


@pytest.fixture
def identity(live_hq, hq, bus_dir):
    return enrol_bus(hq, live_hq.url, bus_dir)


@pytest.fixture
def library(hq, tmp_path):
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(60))
    return tmp_path / "library"


def pending(bus) -> list[int]:
    return [event.seq for event in outbox.pending(bus.db, 1000)]


def assert_held_once(hq, bus, device_id: str) -> None:
    """Headquarters holds every outbox event of the bus, each once, with its original hash."""
    held = hq_events(hq, device_id)
    rows = hq.db().execute("SELECT count(*) FROM events WHERE device_id = ?", [device_id]).fetchone()[0]
    assert rows == len(held) == len(bus.all_events())
    assert {seq for seq in held} == {e["seq"] for e in bus.all_events()}
    assert all(held[e["seq"]][0] == e["hash"] for e in bus.all_events())


def test_rounds_bring_events_up_once_and_the_catalogue_down(bus, bus_dir, identity, hq, library):
    session = bus.add_session()
    request = bus.add_request()
    bus.add_feedback()
    bus.add_offer()

    first = sync_once(bus_dir)
    assert first.ok and first.error is None and first.hq_url == identity.hq_url
    assert (first.upload.sent, first.upload.acknowledged, first.upload.purged) == (4, 4, 2)
    assert first.download.snapshot is not None and first.download.snapshot.applied
    assert_held_once(hq, bus, identity.device_id)
    assert pending(bus) == []
    assert requests.get_request(bus.db, request.id).personal_data_deleted
    assert_same_catalogue(bus_dir, hq)
    assert json.loads(json.dumps(first.to_dict()))["ok"] is True

    # nothing new on either side
    second = sync_once(bus_dir)
    assert second.ok and second.upload.sent == 0
    assert second.download.snapshot is None and second.download.changes == 0

    # a session edited on the bus, a record changed at headquarters: exactly those two travel
    sessions.update_session(bus.db, session.id, {"participants": 9, "participants_by_age": None})
    publish_catalogue(hq, library, catalogue_csv(60, changed={12: "Le Forez en hiver"}))
    third = sync_once(bus_dir)
    assert third.ok and third.upload.sent == 1 and third.download.snapshot is None
    assert third.download.changes == 1 and third.download.applied["records_updated"] == 1
    assert_held_once(hq, bus, identity.device_id)
    assert_same_catalogue(bus_dir, hq)
    hq_session = hq.db().execute("SELECT participants FROM sessions WHERE id = ?", [session.id]).fetchone()
    assert hq_session[0] == 9
    # headquarters knows which catalogue version the bus holds (shown on the admin site)
    device = devices.get_device(hq.db(), identity.device_id)
    assert device.catalogue_version == third.download.version_before
    assert device.acknowledged == 5


def test_a_round_repeated_after_a_failure_loses_and_duplicates_nothing(bus, bus_dir, identity, hq, library, tmp_path):
    """Headquarters goes away between two rounds: the failed round changes nothing, the next one
    carries everything, once."""
    bus.add_session()
    assert sync_once(bus_dir).ok
    bus.add_request()
    bus.add_feedback()
    with pytest.raises(RoundError, match="cannot be reached"):
        sync_once(bus_dir, hq_url=f"http://127.0.0.1:{free_loopback_port()}")
    assert pending(bus) == [2, 3]
    report = sync_once(bus_dir)
    assert report.ok and report.upload.sent == 2
    assert_held_once(hq, bus, identity.device_id)


def test_a_bus_that_is_not_enrolled(bus, bus_dir):
    with pytest.raises(RoundError, match="not enrolled at headquarters: enrol it first") as caught:
        sync_once(bus_dir)
    assert caught.value.report is None


def test_damaged_enrolment_files(bus_dir, identity):
    (bus_dir / HQ_KEY_FILE).unlink()
    with pytest.raises(RoundError, match="hq-key.pub is missing: enrol the bus again"):
        sync_once(bus_dir)


def test_headquarters_unreachable(bus, bus_dir, identity):
    bus.add_session()
    url = f"http://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(RoundError, match=r"Headquarters at http://127\.0\.0\.1:\d+ cannot be reached") as caught:
        sync_once(bus_dir, hq_url=url)
    report = caught.value.report
    assert report.hq_url == url and report.upload is None and not report.ok
    assert pending(bus) == [1]


def test_a_bad_address(bus_dir, identity):
    with pytest.raises(RoundError, match="not a headquarters address"):
        sync_once(bus_dir, hq_url="ftp://hq")


def test_another_headquarters_is_not_trusted(bus, bus_dir, identity, hq, library, tmp_path):
    """The bus is pointed at another server (its own key): its answers do not verify with the
    pinned key, so nothing it says is used, and nothing is marked sent."""
    other = HQ(tmp_path / "other-hq")
    try:
        with serve_in_thread(create_app(other)) as url:
            bus.add_session()
            with pytest.raises(RoundError, match="not signed by the pinned headquarters key") as caught:
                sync_once(bus_dir, hq_url=url)
    finally:
        other.close()
    assert caught.value.report.upload is None
    assert pending(bus) == [1]
    assert bus_record_hashes(bus_dir) == {}


def test_a_revoked_bus(bus, bus_dir, identity, hq, library):
    bus.add_session()
    devices.revoke(hq.db(), identity.name, hq.now())
    with pytest.raises(RoundError, match="revoked at headquarters"):
        sync_once(bus_dir)
    assert pending(bus) == [1]


def test_a_catalogue_refused_keeps_what_the_bus_has(bus, bus_dir, identity, hq):
    """Headquarters publishes no catalogue yet: its snapshot holds no record, the bus refuses it;
    the upload of the same round is done."""
    bus.add_session()
    with pytest.raises(RoundError, match="The catalogue refused what headquarters sent.*no catalogue record") as caught:
        sync_once(bus_dir)
    report = caught.value.report
    assert report.upload.complete and report.upload.sent == 1 and report.download is None
    assert pending(bus) == []
    db = store.open_catalogue_db(bus_dir)
    try:
        assert changes.sync_version(db) == 0
    finally:
        db.close()


def test_a_deferred_snapshot_is_an_incomplete_round(bus, bus_dir, identity, hq, library):
    bus.add_session()
    report = sync_once(bus_dir, allow_snapshot=False)
    assert not report.ok and report.upload.complete and report.download.snapshot_deferred
    assert "deferred" in report.error
    assert report.to_dict()["ok"] is False
    assert bus_record_hashes(bus_dir) == {}
    assert sync_once(bus_dir).ok
    assert_same_catalogue(bus_dir, hq)


def test_the_changes_published_after_the_snapshot_come_in_the_same_round(bus_dir, identity, hq, library):
    """Headquarters publishes a list after its snapshot was built: the round applies the
    snapshot, then the changes since the snapshot's version."""
    snapshot_version = publish.current_version(hq.db())
    publish.put(hq.db(), "list", "activities", {"items": ["atelier tablette", "fablab"]}, hq.now())
    report = sync_once(bus_dir)
    assert report.ok and report.download.snapshot.version == snapshot_version
    assert report.download.version == publish.current_version(hq.db()) > snapshot_version
    assert report.download.changes >= 1 and report.download.applied["lists"] >= 1
    assert_same_catalogue(bus_dir, hq)


@pytest.mark.parametrize("offset", [-time.time(), 2 * 365 * 86400], ids=["1970", "two-years-ahead"])
def test_a_bus_clock_that_is_wrong(bus, bus_dir, identity, hq, library, offset):
    """A flat battery (1970) or a clock two years ahead: headquarters' signed time corrects it."""
    bus.add_session()
    report = sync_once(bus_dir, clock=lambda: time.time() + offset)
    assert report.ok and report.upload.sent == 1 and report.download.snapshot.applied
    assert_held_once(hq, bus, identity.device_id)
    assert_same_catalogue(bus_dir, hq)
