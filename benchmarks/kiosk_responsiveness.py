"""Does the kiosk keep answering while its sync agent applies a big first snapshot?  (issue 6)

    .venv/bin/python benchmarks/kiosk_responsiveness.py BooksAll.2016.part01.utf8 [--records N]

The kiosk's agent runs a round on a worker thread of the kiosk's own process
(`sync.agent.service`); Python's lock is shared with the UI thread, whose slots answer the
visitor's touches.  This measures how late a Qt timer's Python slot runs on the main thread (a
16 ms timer, as a touch handler would be queued), in four phases of the same run:

1. **idle**: nothing else (the baseline);
2. **round in a thread**: `sync_once` on a worker thread of this process, as the kiosk does
   (snapshot workers: `sync_once`'s own rule, `download.snapshot_workers`);
3. **round in a thread, one process**: the same with ``workers=1``;
4. **round in another process**: the real `numeribus-kiosk sync --once`, as a subprocess.

Each round is a new bus's first sync of the same catalogue (published once at headquarters,
`numeribus-sync serve` on 127.0.0.1).  Printed: the timer's lateness (median, 95th percentile,
maximum) in each phase, its difference with the idle phase (whose lateness is about 0 ms, so no
ratio to it) and its ratio to the round in another process (the alternative design).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.common import LOC_FILE_HINT, first_records, machine  # noqa: E402
from benchmarks.sync_first import enrol_bus, start_server, sync_cli  # noqa: E402

TICK_MS = 16


class Lateness:
    """A 16 ms QTimer on the main thread; records how late each tick came (ms)."""

    def __init__(self, app) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self.samples: list[float] = []
        self.expected = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, (now - self.expected) * 1000))
        self.expected = now + TICK_MS / 1000

    def measure(self, busy) -> tuple[list[float], float]:
        """Run the event loop while `busy()` runs on a thread (None: for 5 s); the samples and seconds."""
        from PySide6.QtCore import QEventLoop

        self.samples = []
        done = threading.Event()
        error: list[BaseException] = []

        def work() -> None:
            try:
                if busy is None:
                    time.sleep(5)
                else:
                    busy()
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                error.append(exc)
            finally:
                done.set()

        started = time.perf_counter()
        self.expected = started + TICK_MS / 1000
        self.timer.start()
        thread = threading.Thread(target=work)
        thread.start()
        loop = QEventLoop()
        while not done.is_set():
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        thread.join()
        self.timer.stop()
        if error:
            raise error[0]
        return self.samples, time.perf_counter() - started


def figures(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95, ordered[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help=LOC_FILE_HINT)
    parser.add_argument("--records", type=int, default=100_000, help="first N records (default 100,000)")
    args = parser.parse_args()
    source = Path(args.source)
    if not source.is_file():
        parser.error(f"no such file: {source}")

    from PySide6.QtGui import QGuiApplication

    from sync.agent.round import sync_once

    app = QGuiApplication(["numeribus-kiosk"])
    clock = Lateness(app)
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        marc = tmp / "records.mrc"
        count = first_records(source, args.records, marc)
        hq_dir = tmp / "hq"
        sync_cli(hq_dir, "catalogue", "import", str(marc), "--json")
        server, base = start_server(hq_dir)
        try:
            buses = iter(range(1, 10))

            def new_bus() -> Path:
                number = next(buses)
                bus_dir = tmp / f"bus{number}"
                enrol_bus(hq_dir, base, bus_dir, f"Bus {number}")
                return bus_dir

            def in_thread(workers):
                bus_dir = new_bus()
                return lambda: sync_once(bus_dir, workers=workers)

            def in_process():
                bus_dir = new_bus()
                command = [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(bus_dir), "sync", "--once"]

                def run() -> None:
                    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)

                return run

            phases = [
                ("idle", None),
                ("round in a thread (workers: the rule)", in_thread(None)),
                ("round in a thread, workers=1", in_thread(1)),
                ("round in another process", in_process()),
            ]
            print(f"first sync of {count:,} records; a {TICK_MS} ms timer's lateness on the main thread (ms)")
            print(
                f"{'phase':42} {'s':>6} {'ticks':>6} {'median':>7} {'p95':>7} {'max':>7}"
                "  p95, max vs idle  p95, max vs another process"
            )
            results = [(name, *clock.measure(busy)) for name, busy in phases]
            idle = figures(results[0][1])
            apart = figures(results[-1][1])
            for name, samples, seconds in results:
                median, p95, worst = figures(samples)
                print(
                    f"{name:42} {seconds:6.1f} {len(samples):6d} {median:7.1f} {p95:7.1f} {worst:7.0f}"
                    f"  {p95 - idle[1]:+6.1f} {worst - idle[2]:+5.0f} ms"
                    f"  {p95 / max(apart[1], 0.1):6.1f}x {worst / max(apart[2], 1.0):5.1f}x"
                )
            print("(ms against idle, whose lateness is about 0; ratios against the round in another process)")
        finally:
            server.terminate()
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
