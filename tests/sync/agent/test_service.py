"""The agent of the running kiosk, sync.agent.service.SyncService, against the real headquarters on
127.0.0.1: rounds by "Synchroniser maintenant", by headquarters appearing on the network (mDNS on
127.0.0.1 only), a USB stick seen in a fake mount table, and what it remembers across restarts."""

from __future__ import annotations

import json
import queue
import time
from datetime import date, timedelta

import pytest

from numeribus_kiosk.journal import outbox, usage
from numeribus_kiosk.settings import Settings, SyncSettings
from sync.agent.service import HISTORY_FILE, History, SyncService, load_history
from sync.server import bundles as hq_bundles
from sync.server import publish
from sync.server.announce import Announcer
from sync.server.app import create_app
from sync.server.state import HQ
from tests.fake_sysfs import FakeStick
from tests.sync.agent.round_helpers import (
    assert_same_catalogue,
    hq_events,
)
from tests.sync.live import free_loopback_port, free_loopback_socket, serve_in_thread

EVENTUALLY = 60  # seconds: a bound never reached when all is well
LOOPBACK = ["127.0.0.1"]


def quiet(**overrides) -> Settings:
    """No mDNS, no device watching, no periodic tries: only what the test triggers."""
    values = {"discovery": False, "watch_devices": False, **overrides}
    return Settings(sync=SyncSettings(**values))


class Updates:
    """Collects the service's updates; `wait(predicate)` returns the next one that fits (those
    before it are passed over)."""

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue()

    def __call__(self, update) -> None:
        self.queue.put(update)

    def wait(self, predicate, timeout: float = EVENTUALLY):
        while True:
            update = self.queue.get(timeout=timeout)
            if predicate(update):
                return update


def idle_after_rounds(count: int):
    return lambda u: u.status.rounds >= count and u.status.running is None and not u.status.queued


def test_a_bus_not_enrolled_runs_nothing_and_says_so(tmp_path):
    updates = Updates()
    service = SyncService(tmp_path, on_update=updates, settings=quiet())
    assert service.start() is False
    assert service.sync_now() is False
    update = updates.wait(lambda u: True)
    assert update.enrolled is False and update.identity_error is None
    assert service.scheduler is None and service.browser is None and service.watcher is None
    service.stop()


def test_a_damaged_identity_is_reported(bus_dir, identity):
    (bus_dir / "sync.json").write_text("{not json", encoding="utf-8")
    updates = Updates()
    service = SyncService(bus_dir, on_update=updates, settings=quiet())
    assert service.start() is False
    assert updates.wait(lambda u: True).identity_error
    service.stop()


def test_sync_now_sends_everything_brings_the_catalogue_and_remembers(bus, bus_dir, identity, hq, library):
    bus.add_session()
    bus.add_request()  # personal data: deleted on the bus once headquarters holds it
    yesterday = date.today() - timedelta(days=1)
    usage.increment(bus.db, "search", yesterday, by=3)
    updates = Updates()
    service = SyncService(bus_dir, on_update=updates, settings=quiet())
    assert service.start() is True
    before = updates.wait(lambda u: u.enrolled)
    assert before.overview.pending_events == 2 and before.overview.catalogue_version == 0
    assert service.sync_now() is True
    after = updates.wait(idle_after_rounds(1))
    service.stop()

    assert after.status.successes == 1 and after.status.last_trigger == "sync_now"
    assert after.changed == before.changed + 1  # the screens must reload
    assert after.overview.pending_events == 0
    assert after.overview.catalogue_version == publish.current_version(hq.db()) > 0
    assert_same_catalogue(bus_dir, hq)
    held = hq_events(hq, identity.device_id)
    kinds = [row[0] for row in hq.db().execute("SELECT kind FROM events ORDER BY seq").fetchall()]
    assert len(held) == 3 and "usage.daily" in kinds  # yesterday's counters went up with the round
    assert outbox.pending_count(bus.db) == 0
    assert after.history.last_success_via == "network" and not after.history.failing

    # Remembered across a restart of the kiosk.
    saved = json.loads((bus_dir / HISTORY_FILE).read_text(encoding="utf-8"))
    assert saved["last_success_at"] == after.history.last_success_at
    assert load_history(bus_dir) == after.history


def test_nothing_changed_means_no_reload(bus_dir, identity, library):
    updates = Updates()
    service = SyncService(bus_dir, on_update=updates, settings=quiet())
    service.start()
    service.sync_now()
    first = updates.wait(idle_after_rounds(1))
    service.sync_now()
    second = updates.wait(idle_after_rounds(2))
    service.stop()
    assert second.status.successes == 2
    assert second.changed == first.changed


def test_an_unreachable_headquarters_is_remembered_as_such(bus, bus_dir, identity):
    bus.add_session()
    closed = f"http://127.0.0.1:{free_loopback_port()}"
    updates = Updates()
    service = SyncService(bus_dir, on_update=updates, settings=quiet(hq_url=closed))
    service.start()
    service.sync_now()
    update = updates.wait(lambda u: u.status.rounds >= 1 and u.status.running is None)
    service.stop()
    assert update.status.consecutive_failures == 1
    assert update.history.failing and update.history.last_error_reason == "unreachable"
    assert update.overview.pending_events == 1  # nothing lost
    assert update.status.next_attempt is not None  # hq_url configured: the agent tries again by itself
    assert load_history(bus_dir).last_error_reason == "unreachable"


def test_over_4g_the_snapshot_waits_for_the_depot(bus, bus_dir, identity, live_hq, library):
    bus.add_session()
    updates = Updates()
    over_4g = SyncService(bus_dir, on_update=updates, settings=quiet(hq_url=live_hq.url))
    over_4g.start()
    over_4g.sync_now()
    update = updates.wait(idle_after_rounds(1))
    over_4g.stop()
    assert update.overview.pending_events == 0  # the events went up all the same
    assert update.overview.catalogue_version == 0
    assert update.history.last_error_reason == "snapshot_deferred"

    allowed = SyncService(bus_dir, settings=quiet(hq_url=live_hq.url, defer_snapshots_over_4g=False))
    allowed.start()
    allowed.sync_now()
    assert allowed.scheduler.wait_idle(EVENTUALLY)
    allowed.stop()
    assert load_history(bus_dir).last_success_at is not None and not load_history(bus_dir).failing


def test_headquarters_appearing_on_the_network_starts_a_round_by_itself(bus, bus_dir, identity, hq, live_hq, library):
    """The issue's "done when": an enrolled bus syncs by itself when headquarters appears (mDNS on 127.0.0.1)."""
    bus.add_session()
    updates = Updates()
    service = SyncService(bus_dir, on_update=updates, settings=quiet(discovery=True), interfaces=LOOPBACK)
    service.start()
    try:
        assert service.browser is not None
        with Announcer(hq, live_hq.port, LOOPBACK):
            update = updates.wait(lambda u: u.status.successes >= 1 and u.status.running is None)
    finally:
        service.stop()
    assert "hq_found" in update.status.last_trigger
    assert update.status.hq_url == live_hq.url
    assert len(hq_events(hq, identity.device_id)) == 1
    assert_same_catalogue(bus_dir, hq)


def test_headquarters_announced_before_it_answers_is_asked_again(bus, bus_dir, identity, hq, library, caplog):
    """The announcement can come before the server accepts connections: the bus asks again."""
    bus.add_session()
    sock = free_loopback_socket()  # bound, not listening: a connection is refused
    port = sock.getsockname()[1]
    updates = Updates()
    service = SyncService(bus_dir, on_update=updates, settings=quiet(discovery=True), interfaces=LOOPBACK)
    service.verify_retry_delays = (0.5,)
    service.start()
    try:
        with Announcer(hq, port, LOOPBACK):
            deadline = time.monotonic() + EVENTUALLY
            while "cannot be reached" not in caplog.text and time.monotonic() < deadline:
                time.sleep(0.05)
            assert f"127.0.0.1:{port} cannot be reached" in caplog.text
            assert service.update().status.rounds == 0
            with serve_in_thread(create_app(hq), sock) as url:
                update = updates.wait(lambda u: u.status.successes >= 1 and u.status.running is None)
    finally:
        service.stop()
    assert update.status.hq_url == url and "hq_found" in update.status.last_trigger
    assert len(hq_events(hq, identity.device_id)) == 1


def test_another_headquarters_is_not_asked_again(bus_dir, identity, tmp_path, caplog):
    other = HQ(tmp_path / "other")
    try:
        with serve_in_thread(create_app(other)) as url:
            port = int(url.rsplit(":", 1)[1])
            service = SyncService(bus_dir, settings=quiet(discovery=True), interfaces=LOOPBACK)
            service.verify_retry_delays = (0.1,)
            service.start()
            try:
                with Announcer(other, port, LOOPBACK):
                    deadline = time.monotonic() + EVENTUALLY
                    while "has another key" not in caplog.text and time.monotonic() < deadline:
                        time.sleep(0.05)
                    time.sleep(1.0)  # ten retry delays: none is scheduled for another key
                    assert caplog.text.count("has another key") == 1
                    assert service._verify_retry is None
            finally:
                service.stop()
    finally:
        other.close()


# --- a USB stick --------------------------------------------------------------------------------------


@pytest.fixture
def machine(tmp_path) -> FakeStick:
    return FakeStick(tmp_path / "machine")


@pytest.mark.parametrize("tamper", [False, True], ids=["genuine", "one-bit-flipped"])
def test_usb_stick_exchange(bus, bus_dir, identity, hq, library, machine, tamper):
    stick = machine.path
    hq_bundles.export_bundle(hq, identity.name, stick)
    (bundle,) = (stick / "numeribus" / "to-bus").glob("*.nbundle")
    if tamper:
        data = bytearray(bundle.read_bytes())
        data[len(data) // 2] ^= 0x01
        bundle.write_bytes(bytes(data))
    bus.add_session()
    bus.add_offer()
    machine.plug(False)
    updates = Updates()
    service = SyncService(
        bus_dir,
        on_update=updates,
        settings=quiet(watch_devices=True),
        watcher_options=machine.options,
    )
    service.start()
    try:
        machine.plug(True)
        service.watcher.rescan()
        done = updates.wait(lambda u: u.last_stick is not None and u.status.running is None)
        assert done.stick_present == str(stick)
        machine.plug(False)
        service.watcher.rescan()
        gone = updates.wait(lambda u: u.stick_present is None)
    finally:
        service.stop()
    report = done.last_stick
    assert report.exported is not None and report.exported.events == 2 and report.export_error is None
    (written,) = (stick / "numeribus" / "to-hq").glob("*.nbundle")
    assert hq_bundles.import_bundle(hq, written).counts["stored"] == 2  # headquarters takes it as it is
    if tamper:
        assert report.import_error[0] == "tampered" and not report.ok
        assert done.overview.catalogue_version == 0 and done.changed == 0
        assert gone.history.last_error_reason == "tampered"
    else:
        assert report.ok and report.changed and report.imported.status == "applied"
        assert done.changed == 1
        assert_same_catalogue(bus_dir, hq)
        assert gone.history.last_success_via == "stick"
    assert outbox.pending_count(bus.db) == 2  # not marked sent: the stick may be lost on the way


def test_a_history_file_that_cannot_be_read_starts_again(tmp_path, caplog):
    (tmp_path / HISTORY_FILE).write_text("[1, 2", encoding="utf-8")
    assert load_history(tmp_path) == History()
    assert HISTORY_FILE in caplog.text
    (tmp_path / HISTORY_FILE).write_text('{"last_success_at": "yesterday", "last_error_reason": 3}', encoding="utf-8")
    assert load_history(tmp_path) == History()
    assert History(1.0, "network", 2.0, "unreachable", "x").failing
    assert not History(3.0, "stick", 2.0, "unreachable", "x").failing
