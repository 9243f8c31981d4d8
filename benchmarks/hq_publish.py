"""Headquarters' catalogue publishing against the kiosk's own import, measured in the same run.

    .venv/bin/python benchmarks/hq_publish.py BooksAll.2016.part01.utf8 [--records N]

Baseline: the kiosk's `numeribus-kiosk catalogue import` of the same records
(`importer.import_files` into a new catalogue.db).  Then, on a fresh headquarters
(`sync.server.state.HQ` on a new folder):

1. first publish (`catalogue.import_catalogue`): time, ratio to the baseline, the change
   log's version, hq.db size, peak RSS;
2. the same file again: time, and no new version (nothing changed);
3. a delta: the same file with 1,000 records' 245$a rewritten (pymarc, on those records
   only; every other byte copied as it is): time, and exactly 1,000 new versions;
4. the snapshot (`snapshots.build_snapshot`): time, chunks, bytes, against the gzip (level 6)
   of the same JSON lines in one stream (issue 6: bytes sent <= 1.2x the gzip size of the data).

Each step runs in its own process (the same hq.db), so that peak RSS is the step's own (the
main process's: big files are decoded in forkserver worker processes, the same for both sides,
whose memory `getrusage` does not see).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (  # noqa: E402
    LOC_FILE_HINT,
    file_size_mb,
    first_records,
    machine,
    peak_rss_mb,
    published_lines,
    timed,
)

DELTA_RECORDS = 1000
_TAIL = re.compile(r"[\s/:;,.=]*$")


# --------------------------------------------------------------------------- steps (child processes)


def run_kiosk(path: str, data_dir: str) -> dict:
    """The baseline: the kiosk's own import, as `numeribus-kiosk catalogue import` does it."""
    from numeribus_kiosk.catalogue.importer import import_files
    from numeribus_kiosk.settings import load_settings
    from numeribus_kiosk.store import catalogue_path, open_catalogue_db

    folder = Path(data_dir)
    options = load_settings(folder).reader_options()
    db = open_catalogue_db(folder)
    report, seconds = timed(import_files, db, [path], options=options)
    db.close()
    return {
        "records": report.imported,
        "skipped": len(report.skipped),
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
        "db_mb": file_size_mb(catalogue_path(folder)),
    }


def run_publish(path: str, hq_dir: str) -> dict:
    """One `import_catalogue` of `path` on the headquarters of `hq_dir`."""
    from sync.server import catalogue, publish
    from sync.server.database import HQ_FILE
    from sync.server.state import HQ

    hq = HQ(hq_dir)
    try:
        db = hq.db()
        before = publish.current_version(db)
        report, seconds = timed(
            catalogue.import_catalogue, db, [path], datetime.now(UTC), options=hq.config.reader_options
        )
        after = publish.current_version(db)
    finally:
        hq.close()
    return {
        "read": report.read,
        "records": report.imported,
        "skipped_positions": [s.position for s in report.skipped],
        "duplicate_positions": sorted(
            {d["position"] for d in report.duplicates} | {d["replaces_position"] for d in report.duplicates}
        ),
        "added": report.diff.added,
        "updated": report.diff.updated,
        "removed": report.diff.removed,
        "unchanged": report.diff.unchanged,
        "version_before": before,
        "version": after,
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
        "db_mb": file_size_mb(Path(hq_dir) / HQ_FILE),
    }


def run_snapshot(hq_dir: str) -> dict:
    """`build_snapshot` of the current version, then (not timed) the gzip of the same JSON lines
    in one stream, the size a single compressed download of the data would have."""
    from sync.server import snapshots
    from sync.server.database import HQ_FILE
    from sync.server.state import HQ

    hq = HQ(hq_dir)
    try:
        db = hq.db()
        snapshot, seconds = timed(snapshots.build_snapshot, db, datetime.now(UTC), hq.config.chunk_bytes)
        rss_mb = peak_rss_mb()
        lines, raw, gzipped = published_lines(db)
        chunk_bytes = hq.config.chunk_bytes
    finally:
        hq.close()
    return {
        "version": snapshot.version,
        "chunks": len(snapshot.chunks),
        "entities": snapshot.entities,
        "size": snapshot.size,
        "chunk_bytes": chunk_bytes,
        "seconds": seconds,
        "rss_mb": rss_mb,
        "lines": lines,
        "json_bytes": raw,
        "one_gzip_bytes": gzipped,
        "db_mb": file_size_mb(Path(hq_dir) / HQ_FILE),
    }


def in_subprocess(mode: str, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args], check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the delta file


def _raw_records(path: Path) -> Iterator[tuple[bytes, bool]]:
    """Every piece of `path` between record terminators, terminator included, and whether it is
    a record (as the kiosk's reader counts them: not only NULs and line breaks)."""
    with open(path, "rb") as stream:
        pending = b""
        while chunk := stream.read(1 << 20):
            pending += chunk
            parts = pending.split(b"\x1d")
            pending = parts.pop()
            for part in parts:
                yield part + b"\x1d", bool(part.strip(b"\x00\r\n\x1a"))
        if pending:
            yield pending, False


def _retitled(raw: bytes) -> bytes | None:
    """`raw` with " (revised)" added to its 245$a, or None when it has no single 245$a."""
    import pymarc

    record = pymarc.Record(data=raw, to_unicode=True, force_utf8=True, utf8_handling="strict")
    fields = record.get_fields("245")
    if len(fields) != 1 or len(fields[0].get_subfields("a")) != 1 or not record.get("001"):
        return None
    field = fields[0]
    title = field["a"]
    tail = _TAIL.search(title).group()
    field["a"] = f"{title[: len(title) - len(tail)]} (revised){tail}"
    return record.as_marc()


def write_delta(source: Path, target: Path, total: int, avoid: set[int], count: int = DELTA_RECORDS) -> int:
    """Copy `source` to `target` with the 245$a of `count` records spread over the file rewritten.

    Records at the positions of `avoid` (skipped, or sharing their id with another one) are left
    alone: a change to them would not, or not only, make one new version.  Returns how many
    records were rewritten.
    """
    step = max(1, total // count)
    changed = position = 0
    with open(target, "wb") as out:
        for piece, is_record in _raw_records(source):
            if is_record:
                position += 1
                if changed < count and position % step == step // 2 and position not in avoid:
                    try:
                        rewritten = _retitled(piece)
                    except Exception:  # a record pymarc cannot parse: keep it as it is
                        rewritten = None
                    if rewritten is not None:
                        piece = rewritten
                        changed += 1
            out.write(piece)
    return changed


# --------------------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", help=LOC_FILE_HINT)
    parser.add_argument("--records", type=int, default=None, help="use the first N records (default: all)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        steps = {"kiosk": run_kiosk, "publish": run_publish, "snapshot": run_snapshot}
        print(json.dumps(steps[mode](*rest)))
        return
    if not args.source:
        parser.error(f"give the MARC file: {LOC_FILE_HINT}")
    source = Path(args.source)
    if not source.is_file():
        parser.error(f"no such file: {source}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.records is not None:
            sample = tmp / "sample.mrc"
            first_records(source, args.records, sample)
        else:
            sample = source
        hq_dir = str(tmp / "hq")
        print(f"machine: {machine()}; {sample.name}, {sample.stat().st_size / 1e6:.1f} MB")

        base = in_subprocess("kiosk", str(sample), str(tmp / "kiosk"))
        first = in_subprocess("publish", str(sample), hq_dir)
        again = in_subprocess("publish", str(sample), hq_dir)
        delta_file = tmp / "delta.mrc"
        avoid = set(first["skipped_positions"]) | set(first["duplicate_positions"])
        rewritten = write_delta(sample, delta_file, first["read"], avoid)
        delta = in_subprocess("publish", str(delta_file), hq_dir)
        snap = in_subprocess("snapshot", hq_dir)

    records = first["records"]
    print(
        f"kiosk import (baseline) : {base['records']:>7} records in {base['seconds']:6.1f} s "
        f"= {base['records'] / base['seconds']:7.0f} rec/s (peak RSS {base['rss_mb']:.0f} MB; "
        f"catalogue.db {base['db_mb']:.0f} MB)"
    )
    print(
        f"HQ first publish        : {records:>7} records in {first['seconds']:6.1f} s "
        f"= {records / first['seconds']:7.0f} rec/s; ratio HQ/kiosk time {first['seconds'] / base['seconds']:.2f}"
    )
    print(
        f"  version {first['version']} ({first['added']} added, {len(first['skipped_positions'])} skipped, "
        f"{len(first['duplicate_positions'])} records sharing an id); hq.db {first['db_mb']:.0f} MB "
        f"({first['db_mb'] * 1e6 / max(1, records):.0f} bytes/record); peak RSS {first['rss_mb']:.0f} MB"
    )
    new_versions = again["version"] - again["version_before"]
    print(
        f"HQ same file again      : {again['seconds']:6.1f} s; ratio to kiosk import "
        f"{again['seconds'] / base['seconds']:.2f}; {again['unchanged']} unchanged, "
        f"new versions {new_versions} (expected 0) {'OK' if new_versions == 0 else 'WRONG'}"
    )
    new_versions = delta["version"] - delta["version_before"]
    print(
        f"HQ delta ({rewritten} 245$a rewritten): {delta['seconds']:6.1f} s; ratio to kiosk import "
        f"{delta['seconds'] / base['seconds']:.2f}; {delta['updated']} updated, {delta['added']} added, "
        f"{delta['removed']} removed; new versions {new_versions} (expected {DELTA_RECORDS}) "
        f"{'OK' if new_versions == rewritten == DELTA_RECORDS else 'WRONG'}; version {delta['version']}"
    )
    ratio = snap["size"] / snap["one_gzip_bytes"]
    print(
        f"snapshot build          : {snap['seconds']:6.1f} s (ratio to kiosk import "
        f"{snap['seconds'] / base['seconds']:.2f}); version {snap['version']}, {snap['entities']} entities, "
        f"{snap['chunks']} chunks of ~{snap['chunk_bytes'] / 2**20:.0f} MiB of JSON; peak RSS {snap['rss_mb']:.0f} MB"
    )
    print(
        f"  snapshot bytes {snap['size'] / 1e6:.1f} MB; JSON lines {snap['json_bytes'] / 1e6:.1f} MB, "
        f"gzip -6 in one stream {snap['one_gzip_bytes'] / 1e6:.1f} MB; "
        f"ratio snapshot/one gzip {ratio:.3f} (issue 6: <= 1.2) {'OK' if ratio <= 1.2 else 'OVER'}"
    )
    print(f"  hq.db after the snapshot: {snap['db_mb']:.0f} MB")


if __name__ == "__main__":
    main()
