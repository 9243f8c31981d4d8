"""Search latency: our ranked top-20 search against a bare bm25-ranked FTS5 query, same run.

    .venv/bin/python benchmarks/search_latency.py MARC_FILE [--records N]   # imports first
    .venv/bin/python benchmarks/search_latency.py --data-dir DIR            # an existing catalogue

The catalogue is built with the real importer (`numeribus-kiosk catalogue import`,
in a subprocess so that this process's peak RSS is the search's own).  Four query
sets, made from real titles of the catalogue with a fixed seed: type-ahead (the last
word unfinished: 1, 2, 3 letters or all but one), multi-word, filtered (one filter)
and misspelled (a swapped, missing, doubled or substituted letter).  For each set:
p50/p95 of `Catalogue.search()` (top 20, ranked, `total` and facets not computed)
and of the bare query over the same FTS5 table; for the misspelled set the bare
query is given the correctly spelled words (what FTS5 alone needs to find the
answer), and its p95 on the misspelled text (which finds nothing) is shown too.
Then the lazy `total` + facets of the broadest query, peak RSS and database size.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlite_utils  # noqa: E402

from benchmarks.common import LOC_FILE_HINT, file_size_mb, import_sample, machine  # noqa: E402
from numeribus_kiosk.catalogue import schema  # noqa: E402
from numeribus_kiosk.catalogue.query import parse, quote  # noqa: E402
from numeribus_kiosk.catalogue.search import Catalogue  # noqa: E402
from numeribus_kiosk.store import catalogue_path  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def make_queries(titles: list[str], n: int, rng: random.Random) -> dict[str, list[tuple]]:
    word_lists = [w for w in ([x for x in parse(t + " ").terms if x.isalpha()] for t in titles) if w]
    long_words = [w for ws in word_lists for w in ws if len(w) >= 6]
    typeahead, multi, filtered, misspelled = [], [], [], []
    for i in range(n):
        ws = rng.choice(word_lists)
        w = rng.choice(ws)
        cut = (1, 2, 3, max(1, len(w) - 1))[i % 4]
        if len(ws) >= 2 and i % 2:
            k = rng.randrange(1, len(ws))
            typeahead.append((" ".join(ws[:k]) + " " + ws[k][:cut], None))
        else:
            typeahead.append((w[:cut], None))
        ws = rng.choice([x for x in word_lists if len(x) >= 2] or word_lists)
        k = rng.randint(2, min(3, len(ws)))
        start = rng.randrange(0, len(ws) - k + 1)
        multi.append((" ".join(ws[start : start + k]) + " ", None))
        fq = typeahead[-1][0] if i % 2 else multi[-1][0]
        filt = ({"language": "eng"}, {"large_print": True}, {"language": "fre"}, {"type": "book"})[i % 4]
        filtered.append((fq, filt))
        w = rng.choice(long_words)
        j = rng.randrange(0, len(w) - 1)
        kind = i % 4
        if kind == 0:
            bad = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # swapped
        elif kind == 1:
            bad = w[:j] + w[j + 1 :]  # missing
        elif kind == 2:
            bad = w[:j] + w[j] + w[j:]  # doubled
        else:
            bad = w[:j] + ("y" if w[j] != "y" else "i") + w[j + 1 :]  # substituted
        other = rng.choice(rng.choice(word_lists)) + " " if i % 2 == 0 else ""
        misspelled.append((other + bad + " ", None, other + w + " "))
    return {"type-ahead": typeahead, "multi-word": multi, "filtered": filtered, "misspelled": misspelled}


def bare_query(conn, text: str, filters: dict | None) -> list[int]:
    parsed = parse(text)
    if not parsed.terms:
        return []
    parts = [quote(t) for t in parsed.terms]
    if parsed.prefix:
        parts[-1] += "*"
    match = " AND ".join(parts)
    F = schema.FTS
    order = f"ORDER BY bm25([{F}], 10.0, 5.0, 2.0, 1.0, 0.5, 0.0) LIMIT 20"
    if not filters:
        sql = f"SELECT rowid FROM [{F}] WHERE [{F}] MATCH ? {order}"
        return [r[0] for r in conn.execute(sql, (match,))]
    ((key, value),) = filters.items()
    col_value = int(value) if isinstance(value, bool) else value
    sql = f"SELECT f.rowid FROM [{F}] f JOIN records r ON r.rank = f.rowid WHERE [{F}] MATCH ? AND r.{key} = ? {order}"
    return [r[0] for r in conn.execute(sql, (match, col_value))]


def run_queries(queries: int, rng: random.Random, db_path: Path, titles: list[str]) -> None:
    sets = make_queries(titles, queries, rng)
    cat = Catalogue(db_path)
    bare = sqlite_utils.Database(db_path).conn
    bare.execute("PRAGMA cache_size = -32000")
    for q, f, *_ in sets["multi-word"][:50]:  # warm-up
        cat.search(q, f)
        bare_query(bare, q, f)
    print(
        f"{'query set':<12} {'n':>4} {'ours p50':>9} {'ours p95':>9} {'bare p50':>9} {'bare p95':>9} "
        f"{'p95 ours/bare':>13} {'corrected':>9}"
    )
    for name, qs in sets.items():
        ours, base, base_typo = [], [], []
        corrected = 0
        for q, f, *intended in qs:
            t0 = time.perf_counter()
            res = cat.search(q, f)
            ours.append((time.perf_counter() - t0) * 1000)
            corrected += bool(res.corrected)
            t0 = time.perf_counter()
            bare_query(bare, intended[0] if intended else q, f)
            base.append((time.perf_counter() - t0) * 1000)
            if intended:
                t0 = time.perf_counter()
                bare_query(bare, q, f)
                base_typo.append((time.perf_counter() - t0) * 1000)
        print(
            f"{name:<12} {len(qs):>4} {pct(ours, 50):>7.2f}ms {pct(ours, 95):>7.2f}ms "
            f"{pct(base, 50):>7.2f}ms {pct(base, 95):>7.2f}ms "
            f"{pct(ours, 95) / max(pct(base, 95), 1e-9):>13.2f} {corrected:>9}"
        )
        if base_typo:
            print(f"{'':<12} bare query on the misspelled text (finds nothing): p95 {pct(base_typo, 95):.2f}ms")
    broad = min((q for q, *_ in sets["type-ahead"]), key=len)
    t0 = time.perf_counter()
    res = cat.search(broad)
    _ = res.total, res.facets
    print(
        f"lazy total + facets of the broadest query {broad!r}: {res.total} records, "
        f"{(time.perf_counter() - t0) * 1000:.0f} ms"
    )
    cat.close()
    bare.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("marc", nargs="?", help=LOC_FILE_HINT)
    ap.add_argument("--records", type=int, default=250_000)
    ap.add_argument("--data-dir", type=Path, help="query the catalogue of this data directory (no import)")
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if not args.marc and not args.data_dir:
        ap.error(f"give a MARC file or --data-dir: {LOC_FILE_HINT}")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = import_sample(Path(args.marc), args.records, Path(tmp))
        db_path = catalogue_path(data_dir)
        conn = sqlite_utils.Database(db_path)
        records = conn.execute(f"SELECT count(*) FROM [{schema.RECORDS}]").fetchone()[0]
        titles = [r[0] for r in conn.execute(f"SELECT title FROM [{schema.RECORDS}] ORDER BY id LIMIT 20000")]
        conn.close()
        print(f"catalogue: {records} records, {file_size_mb(db_path):.0f} MB on disk")
        run_queries(args.queries, random.Random(args.seed), db_path, titles)
        print(
            f"peak RSS of this (searching) process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
