"""How many processes should apply a bus's first snapshot?  First syncs with `sync_once(workers=W)`,
alternated, against a real `numeribus-sync serve` on 127.0.0.1 (issue 6; docs/performance.md,
"Bus sync").

    .venv/bin/python benchmarks/sync_workers.py BooksAll.2016.part01.utf8 [--records N]
        [--workers 1,2,auto] [--repeat 3] [--quiet-below LOAD]

The catalogue is published at headquarters with `numeribus-sync catalogue import` (not timed).
Then, `--repeat` times, for each value of `--workers` in turn (``auto``: sync_once's own choice,
`download.snapshot_workers`), a new bus is enrolled for real and makes its first sync (the
snapshot download and apply, then the changes after it) in its own process, as
benchmarks/sync_first.py's step 1 (same child code).  Alternating the values spreads the noise of
a shared machine over all of them; the load average before each round is printed, and
``--quiet-below LOAD`` waits (up to 10 minutes) before each round for the 1-minute load average
to fall below LOAD (other programs on the machine take the processors the workers would use).
The peak RSS is the round's own process (the worker processes come on top).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import LOC_FILE_HINT, first_records, machine  # noqa: E402
from benchmarks.sync_first import enrol_bus, in_subprocess, start_server, sync_cli  # noqa: E402


def wait_for_quiet(below: float | None, limit: float = 600) -> float:
    """The 1-minute load average, after waiting (at most `limit` seconds) for it to fall below `below`."""
    deadline = time.monotonic() + limit
    while below is not None and os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help=LOC_FILE_HINT)
    parser.add_argument("--records", type=int, default=None, help="use the first N records (default: all)")
    parser.add_argument("--workers", default="1,2", help="comma-separated values of workers= (or auto); default 1,2")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per value (default 3)")
    parser.add_argument("--quiet-below", type=float, default=None, help="wait for a load average below this")
    args = parser.parse_args()
    source = Path(args.source)
    if not source.is_file():
        parser.error(f"no such file: {source}")
    values = [v.strip() for v in args.workers.split(",") if v.strip()]
    for value in values:
        if value != "auto" and not value.isdigit():
            parser.error(f"--workers: {value!r} is not a number or auto")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sample = source
        if args.records is not None:
            sample = tmp / "sample.mrc"
            first_records(source, args.records, sample)
        hq_dir = tmp / "hq"
        print(f"machine: {machine()}; {sample.name}, {sample.stat().st_size / 1e6:.1f} MB", flush=True)
        started = time.perf_counter()
        published = sync_cli(hq_dir, "catalogue", "import", "--json", str(sample))
        print(
            f"headquarters: {published['imported']} records published, snapshot {published['snapshot_version']} "
            f"in {published['snapshot_chunks']} chunks ({time.perf_counter() - started:.1f} s, not timed)",
            flush=True,
        )
        server, url = start_server(hq_dir)
        results: dict[str, list[dict]] = {value: [] for value in values}
        try:
            for repeat in range(args.repeat):
                for value in values:
                    bus = tmp / f"bus-{value}-{repeat}"
                    enrol_bus(hq_dir, url, bus, f"bus-{value}-{repeat}")
                    load = wait_for_quiet(args.quiet_below)
                    result = in_subprocess("sync", str(bus), url, "" if value == "auto" else value)
                    report = result["report"]
                    snapshot = (report.get("download") or {}).get("snapshot") or {}
                    if not report.get("ok") or not snapshot.get("applied"):
                        print(f"  workers={value}: the round failed: {report.get('error')}")
                        return 1
                    result["load"] = load
                    results[value].append(result)
                    print(
                        f"  workers={value:>4}, round {repeat + 1}: {result['seconds']:.1f} s (apply_snapshot "
                        f"{result['apply_seconds']:.1f} s), {snapshot.get('entities')} entities, peak RSS "
                        f"{result['rss_mb']:.0f} MB; load average before {load:.2f}",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("\nfirst sync, median (min-max) of the rounds:")
    for value, rounds in results.items():
        seconds = [r["seconds"] for r in rounds]
        applying = [r["apply_seconds"] for r in rounds]
        print(
            f"  workers={value:>4}: {statistics.median(seconds):.1f} s ({min(seconds):.1f}-{max(seconds):.1f}); "
            f"apply_snapshot {statistics.median(applying):.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
