"""Housekeeping (sync.server.housekeeping): configuration published, old tombstones purged, a snapshot that
covers the log's start, on start-up and then periodically on its own thread."""

from __future__ import annotations

import time

from sync.server import housekeeping, publish, snapshots


def test_housekeeping_publishes_configuration_purges_old_tombstones_and_covers_the_log(hq, device):
    db = hq.db()
    now = hq.now()
    publish.put(db, "record", "kept", {"title": "Le Petit Prince"}, now)
    publish.put(db, "record", "gone", {"title": "Vendredi"}, now)
    publish.remove(db, "record", "gone", now)
    report = housekeeping.run_housekeeping(hq)
    assert report.tombstones_purged == 0  # still young
    assert publish.count_live(db, "list") == len(publish.LIST_NAMES)
    assert publish.get(db, "device", "config", scope=device.device_id).data["name"] == device.name
    assert report.snapshot_version == publish.current_version(db)

    again = housekeeping.run_housekeeping(hq)
    assert again.configuration_changed == 0  # hashes: nothing new the second time

    hq.clock.advance(days=hq.config.tombstone_days + 1)
    later = housekeeping.run_housekeeping(hq)
    assert later.tombstones_purged == 1
    assert publish.log_start(db) > 0
    assert snapshots.latest_snapshot(db).version >= publish.log_start(db)  # buses behind it get a snapshot


def test_the_housekeeper_runs_at_start_and_stops_when_asked(hq):
    keeper = housekeeping.Housekeeper(hq, interval_s=3600).start()
    try:
        for _ in range(600):  # waits for the first run; no time is asserted
            if keeper.runs:
                break
            time.sleep(0.05)
        assert keeper.runs == 1
        assert publish.count_live(hq.db(), "list") == len(publish.LIST_NAMES)
    finally:
        keeper.stop()
    assert not keeper._thread.is_alive()
