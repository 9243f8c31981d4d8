"""Writing the catalogue: full imports (`replace_all`) and single changes (`upsert`, `delete`).

Full import, in short:

1. Records stream into a TEMP staging table (a separate temporary file of this
   connection, never catalogue.db): row values, content hash, static-rank keys and
   the folded FTS text.  An exception in the record iterator stops here; the
   catalogue is untouched.
2. The staging table is compared with the live `records` (ids and hashes):
   added / updated / removed / unchanged.  Nothing changed -> return without
   writing anything to catalogue.db.  No record at all -> `EmptyImportError`.
3. `new_records`, `new_records_fts`, `new_vocab` are built in catalogue.db with
   ordinary transactions, rows numbered by static rank (on board first, then more
   copies, then most recent, then title).  The FTS index is built in bulk and
   optimized (one segment); the vocabulary is read from it with fts5vocab.
4. Counts are verified, then one short transaction renames the live tables to
   `old_*` and the staging ones to the live names (readers on other connections
   keep their snapshot until they start a new read).  The `old_*` tables are
   dropped afterwards; leftovers of an interrupted import are dropped by the next.

The FTS table is contentless: a row is removed by giving back its exact indexed
values, which `fts_values` recomputes from the stored record.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import NamedTuple

from . import schema
from .query import index_text, tokens
from .record import Author, Copy, Record, Skipped

BATCH_SIZE = 2000
FTS_HASHSIZE = 16 * 1024 * 1024  # bytes of pending FTS data before a segment is written
FTS_OPTIMIZE = True  # merge the new index into one segment (faster queries)

# Seconds spent in each step of the last full import (cumulative from the step's start), for profiling.
TIMINGS: dict[str, float] = {}

_STAGE = "temp.import_stage"
_FTS_TEXT_COLUMNS = ("f_title", "f_authors", "f_subjects", "f_summary", "f_extra", "f_tags")


class EmptyImportError(ValueError):
    """An import without any record: refused, the previous catalogue is kept."""


class ImportVerificationError(RuntimeError):
    """The staging tables did not verify; the previous catalogue is kept."""


@dataclass(slots=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    total: int = 0  # records in the catalogue after the import
    changed: bool = False
    duplicates: int = 0  # records given twice (the last one is kept)
    skipped: int = 0  # `Skipped` items or records without id met in the input
    seconds: float = 0.0


# --------------------------------------------------------------------------- derivations


def tags(record: Record) -> str:
    """Hidden facet tokens: filters become FTS terms.  "_" never occurs in searchable text."""
    out = ["_t_" + record.type.replace("_", "")]
    if record.audience:
        out.append("_a_" + record.audience.replace("_", ""))
    lang = "".join(ch for ch in record.language.lower() if ch.isascii() and ch.isalnum())
    if lang:
        out.append("_l_" + lang)
    if record.large_print:
        out.append("_lp")
    if record.dys:
        out.append("_dys")
    if record.audio:
        out.append("_audio")
    if record.braille:
        out.append("_braille")
    if record.on_board:
        out.append("_board")
    out.append("_all")
    return " ".join(out)


def fts_values(record: Record) -> tuple[str, str, str, str, str, str]:
    """The FTS columns of a record: title, authors, subjects, summary, extra, tags."""
    title = record.title if not record.subtitle else record.title + " " + record.subtitle
    authors = " ; ".join(a.name for a in record.authors)
    subjects = " ; ".join(record.subjects)
    if record.dewey:
        subjects = subjects + " ; " + record.dewey if subjects else record.dewey
    return (
        index_text(title),
        index_text(authors),
        index_text(subjects),
        index_text(record.summary),
        index_text(" ".join(record.isbn)),
        tags(record),
    )


def vocab_terms(values: tuple[str, ...]) -> set[str]:
    """Distinct vocabulary terms of FTS values (tags excluded)."""
    out: set[str] = set()
    for text in values[:5]:
        out.update(tokens(text))
    return out


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_RECORD_FIELDS = tuple(f.name for f in fields(Record))
_AUTHOR_FIELDS = tuple(f.name for f in fields(Author))
_COPY_FIELDS = tuple(f.name for f in fields(Copy))


class Prepared(NamedTuple):
    """A record already turned into its staging row (computed where it was read: see `prepare`)."""

    id: str
    row: tuple


def prepare(record: Record) -> Prepared:
    """The staging row of `record`; a top-level function so that reader workers can run it."""
    return Prepared(record.id, (*record_values(record), len(record.copies), *fts_values(record)))


def _dicts(items: tuple, names: tuple[str, ...]) -> list[dict]:
    return [{n: getattr(item, n) for n in names} for item in items]


def content_hash(record: Record) -> str:
    """Same value as `Record.content_hash()` (tested), about 4x faster: no `asdict`."""
    data = {n: getattr(record, n) for n in _RECORD_FIELDS}
    data["authors"] = _dicts(record.authors, _AUTHOR_FIELDS)
    data["copies"] = _dicts(record.copies, _COPY_FIELDS)
    return hashlib.sha256(_ENCODE(data).encode("utf-8")).hexdigest()


def record_values(record: Record, hash_: str | None = None) -> tuple:
    """Row values in `schema.RECORD_COLUMNS` order (JSON columns in canonical compact form)."""
    return (
        record.id,
        record.title,
        record.subtitle,
        record.sort_title,
        _ENCODE(_dicts(record.authors, _AUTHOR_FIELDS)) if record.authors else "[]",
        record.publisher,
        record.year,
        _ENCODE(record.isbn) if record.isbn else "[]",
        record.language,
        record.summary,
        _ENCODE(record.subjects) if record.subjects else "[]",
        record.dewey,
        record.type,
        record.audience,
        int(record.large_print),
        int(record.braille),
        int(record.audio),
        int(record.dys),
        int(record.on_board),
        _ENCODE(_dicts(record.copies, _COPY_FIELDS)) if record.copies else "[]",
        record.source,
        hash_ or content_hash(record),
    )


def row_to_record(row: sqlite3.Row | tuple, columns: Iterable[str] = schema.RECORD_COLUMNS) -> Record:
    """Rebuild a Record from a records row (columns in `columns` order; extra columns ignored)."""
    data = dict(zip(columns, row, strict=False))
    return Record(
        id=data["id"],
        title=data["title"],
        subtitle=data["subtitle"],
        sort_title=data["sort_title"],
        authors=tuple(Author(**a) for a in json.loads(data["authors"])),
        publisher=data["publisher"],
        year=data["year"],
        isbn=tuple(json.loads(data["isbn"])),
        language=data["language"],
        summary=data["summary"],
        subjects=tuple(json.loads(data["subjects"])),
        dewey=data["dewey"],
        type=data["type"],
        audience=data["audience"],
        large_print=bool(data["large_print"]),
        braille=bool(data["braille"]),
        audio=bool(data["audio"]),
        dys=bool(data["dys"]),
        copies=tuple(Copy(**c) for c in json.loads(data["copies"])),
        source=data["source"],
    )


def _conn(db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- full import


def _table_names(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}


def _drop_leftovers(conn: sqlite3.Connection) -> None:
    """Drop staging (new_*) and retired (old_*) tables of an earlier, interrupted import."""
    names = _table_names(conn)
    doomed = [p + t for p in ("new_", "old_") for t in (schema.RECORDS, schema.FTS, schema.VOCAB) if p + t in names]
    if not doomed:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in doomed:
            conn.execute(f"DROP TABLE IF EXISTS main.[{name}]")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create_stage(conn: sqlite3.Connection) -> str:
    conn.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    cols = ", ".join(c for c in schema.RECORD_COLUMNS if c != "id")
    fts = ", ".join(_FTS_TEXT_COLUMNS)
    conn.execute(f"CREATE TABLE {_STAGE} (id TEXT PRIMARY KEY, {cols}, k_copies INTEGER, {fts})")
    n = len(schema.RECORD_COLUMNS) + 1 + len(_FTS_TEXT_COLUMNS)
    all_cols = ", ".join((*schema.RECORD_COLUMNS, "k_copies", *_FTS_TEXT_COLUMNS))
    return f"INSERT OR REPLACE INTO {_STAGE} ({all_cols}) VALUES ({', '.join('?' * n)})"


def _meta_get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute(f"SELECT value FROM main.[{schema.META}] WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def replace_all(db, records: Iterable[Record | Skipped]) -> ImportResult:
    """Make `records` the whole catalogue, atomically; see the module docstring.

    `Skipped` items (and records without id) are counted and ignored; a record id
    given twice keeps its last version.  Raises `EmptyImportError` when no record
    is left (the previous catalogue is kept).
    """
    started = time.perf_counter()
    conn = _conn(db)
    if conn.in_transaction:
        raise RuntimeError("replace_all() needs a connection without an open transaction")
    result = ImportResult()
    insert = _create_stage(conn)
    try:
        met = _stage_records(conn, insert, records, result)
        TIMINGS["stage"] = time.perf_counter() - started
        staged = conn.execute(f"SELECT count(*) FROM {_STAGE}").fetchone()[0]
        result.duplicates = met - staged
        if staged == 0:
            raise EmptyImportError("The import contains no record: the previous catalogue is kept.")
        old_total = conn.execute(f"SELECT count(*) FROM main.[{schema.RECORDS}]").fetchone()[0]
        result.added = conn.execute(
            f"SELECT count(*) FROM {_STAGE} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM main.[{schema.RECORDS}] r WHERE r.id = s.id)"
        ).fetchone()[0]
        result.unchanged = conn.execute(
            f"SELECT count(*) FROM {_STAGE} s JOIN main.[{schema.RECORDS}] r ON r.id = s.id AND r.hash = s.hash"
        ).fetchone()[0]
        result.updated = staged - result.added - result.unchanged
        result.removed = old_total - (staged - result.added)
        result.total = staged
        result.changed = bool(result.added or result.updated or result.removed)
        stale_format = _meta_get(conn, "index_format") != schema.INDEX_FORMAT
        _drop_leftovers(conn)
        if result.changed or stale_format:
            _build_and_swap(conn, staged)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    result.seconds = time.perf_counter() - started
    return result


def _stage_records(conn: sqlite3.Connection, insert: str, records: Iterable, result: ImportResult) -> int:
    """Stream records into the TEMP staging table; return how many were staged (duplicates included)."""
    met = 0
    batch: list[tuple] = []
    conn.execute("BEGIN")
    try:
        for item in records:
            if isinstance(item, Skipped):
                result.skipped += 1
                continue
            if isinstance(item, Record):
                item = prepare(item)
            elif not isinstance(item, Prepared):
                raise TypeError(f"replace_all() expects Record items, got {type(item).__name__}")
            if not item.id:
                result.skipped += 1
                continue
            batch.append(item.row)
            met += 1
            if len(batch) >= BATCH_SIZE:
                conn.executemany(insert, batch)
                batch.clear()
        if batch:
            conn.executemany(insert, batch)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return met


def _build_and_swap(conn: sqlite3.Connection, expected: int) -> None:
    R, F, V = schema.RECORDS, schema.FTS, schema.VOCAB
    cols = ", ".join(schema.RECORD_COLUMNS)
    fts_cols = ", ".join(schema.FTS_COLUMNS)
    t_build = time.perf_counter()
    try:
        conn.execute("BEGIN IMMEDIATE")
        schema.create_catalogue_tables(conn, prefix="new_")
        conn.execute(
            f"INSERT INTO main.[new_{R}] (rank, {cols}) "
            f"SELECT row_number() OVER (ORDER BY on_board DESC, k_copies DESC, year DESC NULLS LAST, "
            f"coalesce(nullif(sort_title, ''), lower(title)), id), {cols} FROM {_STAGE}"
        )
        conn.execute("COMMIT")
        TIMINGS["records"] = time.perf_counter() - t_build
        conn.execute("BEGIN IMMEDIATE")
        # A bigger in-memory term buffer: fewer, larger segments to merge.
        conn.execute(f"INSERT INTO main.[new_{F}]([new_{F}], rank) VALUES ('hashsize', ?)", (FTS_HASHSIZE,))
        conn.execute(
            f"INSERT INTO main.[new_{F}] (rowid, {fts_cols}) "
            f"SELECT r.rank, {', '.join('s.' + c for c in _FTS_TEXT_COLUMNS)} "
            f"FROM main.[new_{R}] r JOIN {_STAGE} s ON s.id = r.id ORDER BY r.rank"
        )
        TIMINGS["fts"] = time.perf_counter() - t_build
        if FTS_OPTIMIZE:
            conn.execute(f"INSERT INTO main.[new_{F}]([new_{F}]) VALUES ('optimize')")
        TIMINGS["optimize"] = time.perf_counter() - t_build
        conn.execute("COMMIT")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"CREATE VIRTUAL TABLE temp.import_vocab USING fts5vocab(main, [new_{F}], 'row')")
        try:
            conn.execute(
                f"INSERT INTO main.[new_{V}] (term, docs) SELECT term, doc FROM temp.import_vocab "
                f"WHERE substr(term, 1, 1) <> '_'"
            )
        finally:
            conn.execute("DROP TABLE temp.import_vocab")
        conn.execute("COMMIT")
        TIMINGS["vocab"] = time.perf_counter() - t_build
        # Verify before swapping.
        n_records = conn.execute(f"SELECT count(*) FROM main.[new_{R}]").fetchone()[0]
        n_fts = conn.execute(f"SELECT count(*) FROM main.[new_{F}_docsize]").fetchone()[0]
        n_vocab = conn.execute(f"SELECT count(*) FROM main.[new_{V}] LIMIT 1").fetchone()[0]
        if n_records != expected or n_fts != expected or (expected and not n_vocab):
            raise ImportVerificationError(
                f"Staging tables do not verify (records {n_records}, index {n_fts}, expected {expected})."
            )
        # The swap: renames only, one short transaction.
        conn.execute("BEGIN IMMEDIATE")
        for t in (R, F, V):
            conn.execute(f"ALTER TABLE main.[{t}] RENAME TO [old_{t}]")
            conn.execute(f"ALTER TABLE main.[new_{t}] RENAME TO [{t}]")
        now = _now()
        version = int(_meta_get(conn, "catalogue_version") or 0) + 1
        conn.executemany(
            f"INSERT OR REPLACE INTO main.[{schema.META}] (key, value) VALUES (?, ?)",
            [
                ("catalogue_version", str(version)),
                ("imported_at", now),
                ("updated_at", now),
                ("index_format", schema.INDEX_FORMAT),
            ],
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        _drop_leftovers(conn)
        raise
    TIMINGS["swap"] = time.perf_counter() - t_build
    # The old catalogue is no longer visible to new reads: free its pages.
    _drop_leftovers(conn)
    TIMINGS["drop_old"] = time.perf_counter() - t_build


# --------------------------------------------------------------------------- single changes


def _vocab_adjust(conn: sqlite3.Connection, terms: Iterable[str], delta: int) -> None:
    V = schema.VOCAB
    rows = [(t,) for t in terms]
    if not rows:
        return
    if delta > 0:
        conn.executemany(
            f"INSERT INTO main.[{V}] (term, docs) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET docs = docs + 1",
            rows,
        )
    else:
        conn.executemany(f"UPDATE main.[{V}] SET docs = docs - 1 WHERE term = ?", rows)
        conn.executemany(f"DELETE FROM main.[{V}] WHERE term = ? AND docs <= 0", rows)


def _load(conn: sqlite3.Connection, record_id: str) -> tuple[int, Record, str] | None:
    cols = ", ".join(schema.RECORD_COLUMNS)
    row = conn.execute(f"SELECT rank, {cols} FROM main.[{schema.RECORDS}] WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return None
    return row[0], row_to_record(row[1:]), row[-1]


def _unindex(conn: sqlite3.Connection, rank: int, record: Record) -> set[str]:
    F = schema.FTS
    values = fts_values(record)
    conn.execute(
        f"INSERT INTO main.[{F}] ([{F}], rowid, {', '.join(schema.FTS_COLUMNS)}) "
        f"VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)",
        (rank, *values),
    )
    return vocab_terms(values)


def _touch(conn: sqlite3.Connection) -> None:
    conn.execute(f"INSERT OR REPLACE INTO main.[{schema.META}] (key, value) VALUES ('updated_at', ?)", (_now(),))


def upsert(db, record: Record) -> str:
    """Add or replace one record; returns "added", "updated" or "unchanged" (nothing written).

    An updated record keeps its rank; a new one is ranked after all others until the
    next full import recomputes the static rank.
    """
    if not isinstance(record, Record) or not record.id:
        raise ValueError("upsert() needs a Record with an id")
    conn = _conn(db)
    hash_ = content_hash(record)
    R, F = schema.RECORDS, schema.FTS
    cols = ", ".join(schema.RECORD_COLUMNS)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        old = _load(conn, record.id)
        if old is not None and old[2] == hash_:
            status = "unchanged"
        else:
            old_terms: set[str] = set()
            if old is None:
                rank = conn.execute(f"SELECT coalesce(max(rank), 0) + 1 FROM main.[{R}]").fetchone()[0]
                status = "added"
            else:
                rank = old[0]
                old_terms = _unindex(conn, rank, old[1])
                status = "updated"
            conn.execute(
                f"INSERT OR REPLACE INTO main.[{R}] (rank, {cols}) "
                f"VALUES (?, {', '.join('?' * len(schema.RECORD_COLUMNS))})",
                (rank, *record_values(record, hash_)),
            )
            values = fts_values(record)
            conn.execute(
                f"INSERT INTO main.[{F}] (rowid, {', '.join(schema.FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rank, *values),
            )
            new_terms = vocab_terms(values)
            _vocab_adjust(conn, old_terms - new_terms, -1)
            _vocab_adjust(conn, new_terms - old_terms, +1)
            _touch(conn)
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return status


def delete(db, record_id: str) -> bool:
    """Remove one record from the catalogue; False when there was no such record."""
    conn = _conn(db)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        old = _load(conn, record_id)
        if old is not None:
            terms = _unindex(conn, old[0], old[1])
            conn.execute(f"DELETE FROM main.[{schema.RECORDS}] WHERE rank = ?", (old[0],))
            _vocab_adjust(conn, terms, -1)
            _touch(conn)
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return old is not None
