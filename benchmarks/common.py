"""Helpers shared by the benchmark scripts (figures, not tests)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

LOC_FILE_HINT = (
    "the 250,000-record Library of Congress file BooksAll.2016.part01.utf8 from the pymarc 5.4.0 "
    "source distribution: pip download --no-deps --no-binary :all: pymarc==5.4.0"
)


def first_records(source: Path, count: int, target: Path) -> int:
    """Copy the first `count` ISO 2709 records of `source` into `target`; returns how many."""
    written = 0
    with open(source, "rb") as inp, open(target, "wb") as out:
        buffer = b""
        while written < count:
            chunk = inp.read(1 << 20)
            if not chunk:
                break
            buffer += chunk
            parts = buffer.split(b"\x1d")
            buffer = parts.pop()
            for part in parts:
                if written >= count:
                    break
                if part.strip(b"\x00\r\n "):
                    out.write(part + b"\x1d")
                    written += 1
    return written


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_children_mb() -> float:
    """Largest peak resident set size among this process's finished children (worker processes), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50, p95


def file_size_mb(path: Path) -> float:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            total += candidate.stat().st_size
    return total / 1e6


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def machine() -> str:
    return f"{os.cpu_count()} cores, {os.uname().machine}, Python {os.sys.version.split()[0]}"


def import_sample(marc: Path, records: int, tmp: Path) -> Path:
    """A data directory whose catalogue holds the first `records` of `marc`, imported with the
    real command in a subprocess (so that the caller's peak RSS is its own)."""
    sample = Path(tmp) / "sample.mrc"
    first_records(Path(marc), records, sample)
    data_dir = Path(tmp) / "data"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(data_dir), "catalogue", "import", str(sample)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"imported with numeribus-kiosk catalogue import in {time.perf_counter() - started:.1f} s")
    return data_dir


def free_port() -> int:
    """A loopback port nothing listens on now (for a server started next)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def add_example_sessions(db, count: int) -> None:
    """`count` mediation sessions recorded in the journal `db` as the kiosk records them, an hour apart."""
    from datetime import UTC, datetime, timedelta

    from numeribus_kiosk.journal import sessions

    start = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    for i in range(count):
        sessions.add_session(
            db,
            {
                "started_at": (start + timedelta(hours=i)).isoformat(),
                "duration_min": 60,
                "place": f"Commune {i % 17}",
                "activity": "atelier tablette",
                "publics": ["seniors / EHPAD"],
                "participants": 1 + i % 9,
                "mediator": "Camille",
            },
        )


def gzip_size(blocks) -> int:
    """Bytes of one gzip stream of `blocks` at the snapshots' level (sync.server.snapshots.GZIP_LEVEL)."""
    import zlib

    from sync.server.snapshots import GZIP_LEVEL

    stream = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: the gzip container
    return sum(len(stream.compress(block)) for block in blocks) + len(stream.flush())


def published_lines(db) -> tuple[int, int, int]:
    """(lines, bytes, one-gzip bytes) of the JSON lines of everything headquarters' `db` publishes:
    what a single compressed download of the data would weigh."""
    from sync.server import publish, snapshots

    counts = [0, 0]

    def lines():
        for change in publish.live_entities(db):
            line = snapshots.entity_line(change)
            counts[0] += 1
            counts[1] += len(line)
            yield line

    gzipped = gzip_size(lines())
    return counts[0], counts[1], gzipped
