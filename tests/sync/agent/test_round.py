"""One full round, sync.agent.round.sync_once, against the real headquarters (uvicorn on
127.0.0.1): a bus enrolled for real, its events written by the kiosk's own journal code."""

from __future__ import annotations

import itertools
import json
import logging
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests as requests_lib

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes
from numeribus_kiosk.cli import main
from numeribus_kiosk.journal import outbox, requests, sessions
from sync import protocol
from sync.agent import round as round_module
from sync.agent.download import DownloadError
from sync.agent.http import HQError, HQUnreachable, HQUntrusted
from sync.agent.identity import HQ_KEY_FILE, save_identity
from sync.agent.round import ROUND_REASONS, RoundError, reason_of, sync_once
from sync.agent.upload import UploadError
from sync.server import devices, publish
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.agent.round_helpers import (
    assert_same_catalogue,
    bus_record_hashes,
    catalogue_csv,
    hq_events,
    publish_catalogue,
)
from tests.sync.live import free_loopback_port, serve_in_thread


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
    with pytest.raises(RoundError, match="cannot be reached") as caught:
        sync_once(bus_dir, hq_url=f"http://127.0.0.1:{free_loopback_port()}")
    assert caught.value.reason == caught.value.report.reason == "unreachable"
    assert pending(bus) == [2, 3]
    report = sync_once(bus_dir)
    assert report.ok and report.upload.sent == 2
    assert_held_once(hq, bus, identity.device_id)


def test_a_bus_that_is_not_enrolled(bus, bus_dir):
    with pytest.raises(RoundError, match="not enrolled at headquarters: enrol it first") as caught:
        sync_once(bus_dir)
    assert caught.value.report is None and caught.value.reason == "not_enrolled"


def test_damaged_enrolment_files(bus_dir, identity):
    (bus_dir / HQ_KEY_FILE).unlink()
    with pytest.raises(RoundError, match="hq-key.pub is missing: enrol the bus again") as caught:
        sync_once(bus_dir)
    assert caught.value.reason == "identity" and caught.value.report is None


def test_headquarters_unreachable(bus, bus_dir, identity):
    bus.add_session()
    url = f"http://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(RoundError, match=r"Headquarters at http://127\.0\.0\.1:\d+ cannot be reached") as caught:
        sync_once(bus_dir, hq_url=url)
    report = caught.value.report
    assert report.hq_url == url and report.upload is None and not report.ok
    assert caught.value.reason == report.reason == report.to_dict()["reason"] == "unreachable"
    assert report.error == str(caught.value) and report.finished_at
    assert pending(bus) == [1]


def test_a_bad_address(bus_dir, identity):
    with pytest.raises(RoundError, match="not a headquarters address") as caught:
        sync_once(bus_dir, hq_url="ftp://hq")
    assert caught.value.reason == "bad_url"


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
    assert caught.value.reason == caught.value.report.reason == "untrusted"
    assert pending(bus) == [1]
    assert bus_record_hashes(bus_dir) == {}


def test_a_revoked_bus(bus, bus_dir, identity, hq, library):
    bus.add_session()
    devices.revoke(hq.db(), identity.name, hq.now())
    with pytest.raises(RoundError, match="revoked at headquarters") as caught:
        sync_once(bus_dir)
    assert caught.value.reason == "revoked"
    assert pending(bus) == [1]


def test_a_catalogue_refused_keeps_what_the_bus_has(bus, bus_dir, identity, hq):
    """Headquarters publishes no catalogue yet: its snapshot holds no record, the bus refuses it;
    the upload of the same round is done."""
    bus.add_session()
    with pytest.raises(RoundError, match="The catalogue refused what headquarters sent.*no catalogue record") as caught:
        sync_once(bus_dir)
    report = caught.value.report
    assert caught.value.reason == report.reason == "catalogue_refused"
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
    assert "deferred" in report.error and report.reason == "snapshot_deferred"
    assert report.to_dict()["ok"] is False and report.to_dict()["reason"] == "snapshot_deferred"
    assert bus_record_hashes(bus_dir) == {}
    done = sync_once(bus_dir)
    assert done.ok and done.error is None and done.reason is None and done.to_dict()["reason"] is None
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


# --------------------------------------------------------------------------- reasons and workers


def test_a_bus_whose_key_headquarters_does_not_know(bus, bus_dir, identity):
    """The enrolment files hold another key than the one headquarters registered (a bus restored
    from another machine's files): enrol again."""
    save_identity(
        bus_dir,
        protocol.generate_key(),
        identity.hq_public_key,
        hq_url=identity.hq_url,
        device_id=identity.device_id,
        name=identity.name,
        enrolled_at=datetime.now(UTC),
    )
    bus.add_session()
    with pytest.raises(RoundError, match="does not know this bus's key: enrol the bus again") as caught:
        sync_once(bus_dir)
    assert caught.value.reason == caught.value.report.reason == "unknown_key"
    assert pending(bus) == [1]


def test_a_clock_that_headquarters_keeps_refusing(bus, bus_dir, identity):
    """A clock that jumps a day at every reading: corrected once, still wrong, the round stops."""
    readings = itertools.count(0, 86400)
    bus.add_session()
    with pytest.raises(RoundError, match="refused this bus's clock") as caught:
        sync_once(bus_dir, clock=lambda: next(readings))
    assert caught.value.reason == "clock"
    assert pending(bus) == [1]


def test_events_headquarters_does_not_acknowledge_are_an_incomplete_round(
    bus, bus_dir, identity, hq, library, tmp_path
):
    """Headquarters restored from an older backup no longer holds the bus's first events."""
    backup = sqlite3.connect(tmp_path / "hq-backup.db")
    hq.db().conn.backup(backup)
    bus.add_session()
    assert sync_once(bus_dir).ok
    backup.backup(hq.db().conn)
    backup.close()
    bus.add_session()
    report = sync_once(bus_dir)
    assert not report.ok and report.reason == "not_acknowledged" and report.to_dict()["reason"] == "not_acknowledged"
    assert "only up to number 0" in report.error
    assert report.download.complete  # the download still ran
    assert pending(bus) == [2]


def test_a_damaged_catalogue_database_is_storage(bus, bus_dir, identity):
    store.catalogue_path(bus_dir).write_bytes(b"this is not an SQLite database" * 100)
    with pytest.raises(RoundError) as caught:
        sync_once(bus_dir)
    assert caught.value.reason == caught.value.report.reason == "storage"
    assert "catalogue.db" in str(caught.value)


def test_the_json_of_a_round_that_cannot_start_carries_its_reason(bus_dir, capsys):
    assert main(["--data-dir", str(bus_dir), "sync", "--once", "--json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["ok"] is False and data["reason"] == "not_enrolled" and "not enrolled" in data["error"]
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (HQUnreachable("no answer"), "unreachable"),
        (HQUntrusted("not signed"), "untrusted"),
        (HQError(403, "device_revoked", "revoked"), "revoked"),
        (HQError(401, "unknown_key", "who?"), "unknown_key"),
        (HQError(401, "bad_signature", "bad"), "unknown_key"),
        (HQError(401, "stale_request", "clock"), "clock"),
        (HQError(404, "http_404", "Headquarters answered HTTP 404."), "not_hq"),
        (HQError(502, "http_502", "Headquarters answered HTTP 502."), "not_hq"),
        (HQError(409, "wrong_device", "another device"), "refused"),
        (HQError(400, "bad_request", "malformed"), "refused"),
        (changes.ChangeError("no record"), "catalogue_refused"),
        (DownloadError("a page not in the expected form"), "catalogue_refused"),
        (DownloadError("wrong place", reason="not_hq"), "not_hq"),
        (UploadError("another journal", reason="identity"), "identity"),
        (UploadError("no acknowledgement"), "failed"),
        (store.StoreError("cannot open"), "storage"),
        (sqlite3.OperationalError("database is locked"), "storage"),
        (PermissionError(13, "Permission denied"), "storage"),
        (requests_lib.ConnectionError("reset"), "unreachable"),
        (ValueError("anything else"), "failed"),
    ],
    ids=lambda value: value if isinstance(value, str) else type(value).__name__,
)
def test_every_failure_has_its_reason(error, reason):
    assert reason_of(error) == reason
    assert reason in ROUND_REASONS


def test_every_reason_given_in_the_code_is_a_known_one():
    sources = "".join(
        (Path(round_module.__file__).parent / name).read_text(encoding="utf-8")
        for name in ("round.py", "download.py", "upload.py")
    )
    given = set(re.findall(r'reason(?:=| = | == |: str = )"(\w+)"', sources))
    assert given and given <= set(ROUND_REASONS), given - set(ROUND_REASONS)
    assert len(set(ROUND_REASONS)) == len(ROUND_REASONS)


def test_a_first_sync_with_two_worker_processes(bus, bus_dir, identity, hq, library, caplog):
    caplog.set_level(logging.INFO, logger="sync.agent.download")
    report = sync_once(bus_dir, workers=2)
    assert report.ok and report.download.snapshot.applied and report.download.applied["records_added"] == 60
    assert "(2 process(es))" in caplog.text
    assert_same_catalogue(bus_dir, hq)
