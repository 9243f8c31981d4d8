"""Import rate against pymarc's raw parse rate, measured in the same run.

    .venv/bin/python benchmarks/import_rate.py BooksAll.2016.part01.utf8 [--records N]

Prints: pymarc's raw parse rate (MARCReader over the same records, nothing else
done with them), our whole import rate (split, decode, map, rules, FTS5 index,
swap), their ratio (target >= 0.6), the import's peak RSS and the database size.
Each side runs in its own subprocess so that peak RSS is the import's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (  # noqa: E402
    LOC_FILE_HINT,
    file_size_mb,
    first_records,
    machine,
    peak_rss_children_mb,
    peak_rss_mb,
)


def run_pymarc(path: str) -> dict:
    import pymarc

    start = time.perf_counter()
    count = 0
    with open(path, "rb") as handle:
        for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True, utf8_handling="replace"):
            if record is not None:
                count += 1
    return {"records": count, "seconds": time.perf_counter() - start, "rss_mb": peak_rss_mb()}


def run_ours(path: str, data_dir: str) -> dict:
    from numeribus_kiosk.catalogue.importer import import_files
    from numeribus_kiosk.store import catalogue_path, open_catalogue_db

    db = open_catalogue_db(Path(data_dir))
    start = time.perf_counter()
    report = import_files(db, [path])
    seconds = time.perf_counter() - start
    db.close()
    return {
        "records": report.imported,
        "skipped": len(report.skipped),
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
        "workers_rss_mb": peak_rss_children_mb(),
        "db_mb": file_size_mb(catalogue_path(Path(data_dir))),
    }


def in_subprocess(mode: str, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", help=LOC_FILE_HINT)
    parser.add_argument("--records", type=int, default=250_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        print(json.dumps(run_pymarc(*rest) if mode == "pymarc" else run_ours(*rest)))
        return
    if not args.source:
        parser.error(f"give the MARC file: {LOC_FILE_HINT}")
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.mrc"
        count = first_records(Path(args.source), args.records, sample)
        print(f"machine: {machine()}; {count} records, {sample.stat().st_size / 1e6:.1f} MB")
        base = in_subprocess("pymarc", str(sample))
        ours = in_subprocess("ours", str(sample), str(Path(tmp) / "data"))
    base_rate = base["records"] / base["seconds"]
    our_rate = ours["records"] / ours["seconds"]
    print(
        f"pymarc raw parse : {base['records']:>7} records in {base['seconds']:6.1f} s = {base_rate:8.0f} rec/s "
        f"(peak RSS {base['rss_mb']:.0f} MB)"
    )
    print(
        f"our import       : {ours['records']:>7} records in {ours['seconds']:6.1f} s = {our_rate:8.0f} rec/s "
        f"(peak RSS {ours['rss_mb']:.0f} MB, each worker process <= {ours['workers_rss_mb']:.0f} MB; "
        f"{ours['skipped']} skipped)"
    )
    print(f"ratio ours/pymarc: {our_rate / base_rate:.2f}  (target >= 0.60)")
    print(
        f"catalogue.db     : {ours['db_mb']:.0f} MB ({ours['db_mb'] * 1e6 / max(1, ours['records']):.0f} bytes/record)"
    )


if __name__ == "__main__":
    main()
