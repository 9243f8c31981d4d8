"""What headquarters does by itself while it runs: at start-up, then once a day.

- publish the configuration lists and every bus's configuration (hashes: nothing new if unchanged);
- purge tombstones older than ``[changes] tombstone_days`` (buses behind them get a snapshot);
- make sure a snapshot exists that covers the log's start, and drop chunks no snapshot uses.

`Housekeeper` runs it on its own thread (its own hq.db connection); `serve` starts it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from . import publish, snapshots
from .state import HQ

log = logging.getLogger(__name__)

DAY_S = 24 * 3600


@dataclass(frozen=True, slots=True)
class HousekeepingReport:
    configuration_changed: int
    tombstones_purged: int
    snapshot_version: int
    chunks_deleted: int


def run_housekeeping(hq: HQ) -> HousekeepingReport:
    db = hq.db()
    changed = publish.refresh_configuration(hq)
    purged = publish.purge_expired_tombstones(hq)
    snapshot = snapshots.ensure_snapshot(db, hq.now(), hq.config.chunk_bytes)
    deleted = snapshots.collect_garbage(db, hq.now())
    report = HousekeepingReport(changed, purged, snapshot.version, deleted)
    log.info(
        "housekeeping: %d configuration entities republished, %d tombstones purged, snapshot at version %d, "
        "%d unused chunks deleted",
        changed,
        purged,
        snapshot.version,
        deleted,
    )
    return report


class Housekeeper:
    """`run_housekeeping` now, then every `interval_s`, on a daemon thread, until `stop()`."""

    def __init__(self, hq: HQ, interval_s: float = DAY_S) -> None:
        self.hq = hq
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="housekeeping", daemon=True)
        self.runs = 0

    def start(self) -> Housekeeper:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:  # the first run happens even if stop() came at once
            try:
                run_housekeeping(self.hq)
            except Exception:  # logged; the service goes on and tries again at the next interval
                log.exception("housekeeping failed")
            self.runs += 1
            if self._stop.wait(self.interval_s):
                return
