"""Search latency benchmark: ours vs a bare bm25-ranked FTS5 query, on MARC21 records.

Usage: .venv/bin/python benchmarks/search_latency.py MARC_FILE [COUNT] [--queries N] [--db PATH]

Builds a temporary catalogue.db from the first COUNT records of MARC_FILE (minimal
mapping: 001 id, 245 title, 100/700 authors, 260/264 publisher, 008 year/language/
large print, 520 summary, 650 subjects, 020 ISBN), then prints p50/p95 for
type-ahead, multi-word, filtered and misspelled query sets, for Catalogue.search()
(top 20, ranked) and for the bare baseline measured in the same run, their ratios,
the raw pymarc parse rate, the import rate (read+map+index), peak RSS and DB size.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymarc  # noqa: E402
import sqlite_utils  # noqa: E402

from numeribus_kiosk.catalogue import index, schema  # noqa: E402
from numeribus_kiosk.catalogue.query import parse, quote  # noqa: E402
from numeribus_kiosk.catalogue.record import Author, Record  # noqa: E402
from numeribus_kiosk.catalogue.search import Catalogue  # noqa: E402

_TRAIL = re.compile(r"[\s/:;,.=]+$")


def _clean(s: str | None) -> str:
    return _TRAIL.sub("", s or "").strip()


def marc_records(path: str, count: int):
    with open(path, "rb") as fh:
        reader = pymarc.MARCReader(fh, to_unicode=True, force_utf8=True, utf8_handling="replace")
        n = 0
        for rec in reader:
            if rec is None:
                continue
            yield rec
            n += 1
            if n >= count:
                return


def to_record(m: pymarc.Record) -> Record | None:
    f001 = m.get("001")
    if f001 is None or not f001.data.strip():
        return None
    f245 = m.get("245")
    title = _clean(" ".join(f245.get_subfields("a"))) if f245 else ""
    subtitle = _clean(" ".join(f245.get_subfields("b"))) if f245 else ""
    authors = []
    for f in m.get_fields("100", "700"):
        name = _clean(" ".join(f.get_subfields("a")))
        if name:
            authors.append(Author(name=name, role="author" if f.tag == "100" else "contributor"))
    publisher = ""
    for f in m.get_fields("260", "264"):
        publisher = _clean(" ".join(f.get_subfields("b")))
        if publisher:
            break
    year = None
    language = ""
    large_print = False
    f008 = m.get("008")
    if f008 is not None and len(f008.data) >= 38:
        d = f008.data
        if d[7:11].isdigit():
            year = int(d[7:11])
        language = d[35:38].strip()
        large_print = d[23] == "d"
    summary = " ".join(_clean(" ".join(f.get_subfields("a"))) for f in m.get_fields("520"))
    subjects = tuple(
        s for s in (_clean(" -- ".join(f.get_subfields("a", "x", "y", "z", "v"))) for f in m.get_fields("650")) if s
    )
    isbn = tuple(s.split()[0].replace("-", "") for f in m.get_fields("020") for s in f.get_subfields("a") if s.strip())
    return Record(
        id=f001.data.strip(),
        title=title or "(sans titre)",
        subtitle=subtitle,
        sort_title=title.lower(),
        authors=tuple(authors),
        publisher=publisher,
        year=year,
        isbn=isbn,
        language=language,
        summary=summary,
        subjects=subjects,
        type="large_print_book" if large_print else "book",
        large_print=large_print,
        source="marc21",
    )


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def make_queries(titles: list[str], n: int, rng: random.Random) -> dict[str, list[tuple[str, dict | None]]]:
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
        misspelled.append((bad + " ", None) if i % 2 else (rng.choice(rng.choice(word_lists)) + " " + bad + " ", None))
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


def run_queries(args, rng, db_path, titles) -> None:
    sets = make_queries(titles, args.queries, rng)
    cat = Catalogue(db_path)
    bare = sqlite_utils.Database(db_path).conn
    bare.execute("PRAGMA cache_size = -32000")
    # warm-up
    for q, f in sets["multi-word"][:50]:
        cat.search(q, f)
        bare_query(bare, q, f)
    print()
    print(
        f"{'query set':<12} {'n':>4} {'ours p50':>9} {'ours p95':>9} {'bare p50':>9} {'bare p95':>9} "
        f"{'p95 ratio':>9} {'corrected':>9}"
    )
    bare_p95_all: list[float] = []
    for name, qs in sets.items():
        ours, base = [], []
        corrected = 0
        for q, f in qs:
            t0 = time.perf_counter()
            res = cat.search(q, f)
            ours.append((time.perf_counter() - t0) * 1000)
            corrected += bool(res.corrected)
            t0 = time.perf_counter()
            bare_query(bare, q, f)
            base.append((time.perf_counter() - t0) * 1000)
        bare_p95_all.extend(base)
        print(
            f"{name:<12} {len(qs):>4} {pct(ours, 50):>8.2f}ms {pct(ours, 95):>8.2f}ms "
            f"{pct(base, 50):>8.2f}ms {pct(base, 95):>8.2f}ms "
            f"{pct(ours, 95) / max(pct(base, 95), 1e-9):>9.2f} "
            f"{corrected:>9}"
        )
    print(f"bare p95 over all sets: {pct(bare_p95_all, 95):.2f}ms")
    t0 = time.perf_counter()
    res = cat.search(sets["type-ahead"][0][0])
    _ = res.total, res.facets
    print(
        f"lazy total+facets for {sets['type-ahead'][0][0]!r}: total={res.total} "
        f"in {(time.perf_counter() - t0) * 1000:.1f}ms"
    )
    cat.close()
    bare.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("marc")
    ap.add_argument("count", nargs="?", type=int, default=250_000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--db", default=None, help="keep the database at this path (default: temporary)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reuse", action="store_true", help="with --db: query an existing database, skip the import")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    if args.reuse and args.db and Path(args.db).exists():
        db_path = Path(args.db)
        conn = sqlite_utils.Database(db_path)
        titles = [r[0] for r in conn.execute("SELECT title FROM records ORDER BY random() LIMIT 5000").fetchall()]
        conn.close()
        run_queries(args, rng, db_path, titles)
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        return

    t0 = time.perf_counter()
    parsed = sum(1 for _ in marc_records(args.marc, args.count))
    raw_rate = parsed / (time.perf_counter() - t0)
    print(f"pymarc raw parse: {parsed} records, {raw_rate:,.0f} records/s")

    tmp = tempfile.TemporaryDirectory()
    db_path = Path(args.db) if args.db else Path(tmp.name) / "catalogue.db"
    if db_path.exists():
        db_path.unlink()
    db = sqlite_utils.Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    schema.migrations.apply(db)

    titles: list[str] = []
    mapped = 0

    def records():
        nonlocal mapped
        for m in marc_records(args.marc, args.count):
            r = to_record(m)
            if r is None:
                continue
            mapped += 1
            if len(titles) < 5000:
                titles.append(r.title)
            elif rng.random() < 5000 / mapped:
                titles[rng.randrange(5000)] = r.title
            yield r

    t0 = time.perf_counter()
    result = index.replace_all(db, records())
    import_s = time.perf_counter() - t0
    print(
        f"import (read+map+index): {result.total} records in {import_s:.1f}s = "
        f"{result.total / import_s:,.0f} records/s "
        f"({result.total / import_s / raw_rate:.2f}x raw parse)"
    )
    steps = dict(index.TIMINGS)
    stage = steps.pop("stage")
    prev = 0.0
    detail = []
    for k, v in steps.items():
        detail.append(f"{k} {(v - prev) / result.total * 1e6:.1f}")
        prev = v
    print(f"  per record (us): read+map+hash+stage {stage / result.total * 1e6:.1f}, then " + ", ".join(detail))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()

    size = db_path.stat().st_size
    print(f"database size: {size / 1e6:.1f} MB ({size / max(result.total, 1):.0f} bytes/record)")

    run_queries(args, rng, db_path, titles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")
    # Indexing cost alone (after the RSS figure: this holds mapped records in memory).
    db = sqlite_utils.Database(Path(tmp.name) / "index_only.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    schema.migrations.apply(db)
    # Indexing cost alone: rebuild from already-mapped records held in a bounded buffer.
    sample = []
    for m in marc_records(args.marc, min(args.count, 20_000)):
        r = to_record(m)
        if r is not None:
            sample.append(r)
    t0 = time.perf_counter()
    index.replace_all(db, sample)
    t_idx = time.perf_counter() - t0
    print(
        f"index only (replace_all of {len(sample)} mapped records into an empty db): "
        f"{len(sample) / t_idx:,.0f} records/s = {t_idx / len(sample) * 1e6:.0f} us/record"
    )
    del sample
    db.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
