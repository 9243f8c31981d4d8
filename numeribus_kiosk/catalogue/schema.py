"""The catalogue.db schema: records, full-text index, vocabulary, meta.

`migrations` is applied by `numeribus_kiosk.store.open_catalogue_db`.  The DDL is
kept in functions taking a table name so that `index.replace_all` can build the
same tables under staging names ("new_records", ...) and swap them in.

Tables
------
records
    One row per catalogue record.  `rank` (the rowid) is the record's *static rank*
    (1 = shown first when relevance is equal: on-board records, then records with
    more copies, then the most recent), assigned by a full import.  `id` is the
    library's record id.  authors/isbn/subjects/copies are JSON arrays.  Facet
    columns: type, audience, language, large_print, braille, audio, dys,
    on_board, year.  `hash` is `Record.content_hash()`.
records_fts
    Contentless FTS5 table (content=''), rowid = records.rowid.  Columns hold
    folded text: title (title + subtitle), authors, subjects (+ dewey), summary,
    extra (ISBNs, searchable but not ranked), and tags: hidden facet tokens such as
    "_t_book", "_lp" that make filters FTS terms.  Prefix indexes 1, 2, 3 letters
    make type-ahead cheap.  Being contentless, a row is deleted by giving back
    its exact indexed values (`index.fts_values` recomputes them from the record).
vocab
    term -> number of records whose searchable text contains it; used for
    spelling correction and plural variants without loading anything in memory.
meta
    key/value: catalogue_version, imported_at, index_format, record_count...; from
    headquarters' sync (`changes`): sync_version (the change-log version held),
    device_config (this bus's name and copy locations, as JSON).
published_lists
    name -> items (JSON array): the configuration lists headquarters published
    (activities, publics, ...), read by `numeribus_kiosk.mediator.lists.load_lists`.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

# Bump when the way index text is derived from a Record changes: the next
# `replace_all` then rebuilds everything even if no record changed.
INDEX_FORMAT = "1"

RECORDS = "records"
FTS = "records_fts"
VOCAB = "vocab"
META = "meta"
PUBLISHED_LISTS = "published_lists"

FTS_COLUMNS = ("title", "authors", "subjects", "summary", "extra", "tags")
TOKENIZER = "unicode61 remove_diacritics 2 tokenchars '_'"
PREFIXES = "1 2 3"

RECORD_COLUMNS = (
    "id",
    "title",
    "subtitle",
    "sort_title",
    "authors",
    "publisher",
    "year",
    "isbn",
    "language",
    "summary",
    "subjects",
    "dewey",
    "type",
    "audience",
    "large_print",
    "braille",
    "audio",
    "dys",
    "on_board",
    "copies",
    "source",
    "hash",
)


def records_ddl(name: str = RECORDS) -> str:
    return f"""
CREATE TABLE [{name}] (
    rank INTEGER PRIMARY KEY, -- static rank, = records_fts rowid
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    subtitle TEXT NOT NULL DEFAULT '',
    sort_title TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    publisher TEXT NOT NULL DEFAULT '',
    year INTEGER,
    isbn TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    subjects TEXT NOT NULL DEFAULT '[]',
    dewey TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT 'other',
    audience TEXT NOT NULL DEFAULT '',
    large_print INTEGER NOT NULL DEFAULT 0,
    braille INTEGER NOT NULL DEFAULT 0,
    audio INTEGER NOT NULL DEFAULT 0,
    dys INTEGER NOT NULL DEFAULT 0,
    on_board INTEGER NOT NULL DEFAULT 0,
    copies TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL
)"""


def fts_ddl(name: str = FTS) -> str:
    columns = ", ".join(FTS_COLUMNS)
    return (
        f"CREATE VIRTUAL TABLE [{name}] USING fts5({columns}, content='', "
        f"tokenize=\"{TOKENIZER}\", prefix='{PREFIXES}')"
    )


def vocab_ddl(name: str = VOCAB) -> str:
    return f"CREATE TABLE [{name}] (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID"


def create_catalogue_tables(conn, prefix: str = "") -> None:
    """Create records/FTS/vocab tables, named `prefix + name` (staging uses "new_")."""
    conn.execute(records_ddl(prefix + RECORDS))
    conn.execute(fts_ddl(prefix + FTS))
    conn.execute(vocab_ddl(prefix + VOCAB))


migrations = Migrations("catalogue")


@migrations(name="0001_catalogue")
def _m0001_catalogue(db: sqlite_utils.Database) -> None:
    create_catalogue_tables(db.conn)
    db.conn.execute(f"CREATE TABLE [{META}] (key TEXT PRIMARY KEY, value TEXT)")
    db.conn.execute(f"INSERT INTO [{META}] (key, value) VALUES ('index_format', ?)", (INDEX_FORMAT,))


@migrations(name="0002_published_lists")
def _m0002_published_lists(db: sqlite_utils.Database) -> None:
    db.conn.execute(f"CREATE TABLE [{PUBLISHED_LISTS}] (name TEXT PRIMARY KEY, items TEXT NOT NULL)")
