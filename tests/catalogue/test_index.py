"""Full imports (atomic swap, idempotence, refusal of empty imports) and single upserts/deletes."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeribus_kiosk.catalogue import index, schema
from numeribus_kiosk.catalogue.record import AUDIENCES, DOC_TYPES, Author, Copy, Record, Skipped
from numeribus_kiosk.catalogue.search import Catalogue

from .conftest import french_records, open_db


def ids(result):
    return [h.id for h in result.results]


def tables(db) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}


def test_first_import_counts(db, french):
    result = index.replace_all(db, french)
    assert (result.added, result.updated, result.removed, result.unchanged) == (len(french), 0, 0, 0)
    assert result.total == len(french) and result.changed
    assert db.execute("SELECT count(*) FROM records").fetchone()[0] == len(french)
    assert db.execute("SELECT count(*) FROM records_fts_docsize").fetchone()[0] == len(french)
    assert not {t for t in tables(db) if t.startswith(("new_", "old_"))}


def test_same_records_again_changes_nothing_and_writes_nothing(loaded_db, french, db_path, observer):
    wal = db_path.with_name(db_path.name + "-wal")
    before = (db_path.stat().st_size, db_path.stat().st_mtime_ns, wal.stat().st_size, wal.stat().st_mtime_ns)
    version = loaded_db.execute("SELECT value FROM meta WHERE key = 'catalogue_version'").fetchone()[0]
    result = index.replace_all(loaded_db, list(reversed(french)))
    assert result.changed is False
    assert (result.added, result.updated, result.removed, result.unchanged) == (0, 0, 0, len(french))
    assert not observer.changed()
    after = (db_path.stat().st_size, db_path.stat().st_mtime_ns, wal.stat().st_size, wal.stat().st_mtime_ns)
    assert after == before
    assert loaded_db.execute("SELECT value FROM meta WHERE key = 'catalogue_version'").fetchone()[0] == version


def test_added_updated_removed(loaded_db, french):
    new = (
        [replace(french[0], title="Frankenstein (nouvelle édition)")]
        + french[2:]
        + [Record(id="new", title="Nouveauté", type="book")]
    )
    result = index.replace_all(loaded_db, new)
    assert (result.added, result.updated, result.removed, result.unchanged) == (1, 1, 1, len(french) - 2)
    assert result.changed and result.total == len(new)
    with Catalogue(loaded_db) as cat:
        assert cat.get("mis") is None
        assert cat.get("frank").title == "Frankenstein (nouvelle édition)"
        assert ids(cat.search("nouveaute")) == ["new"]
        assert ids(cat.search("miserables")) == []


def test_empty_import_is_refused_and_keeps_the_catalogue(loaded_db, french, observer):
    with pytest.raises(index.EmptyImportError):
        index.replace_all(loaded_db, [])
    with pytest.raises(index.EmptyImportError):
        index.replace_all(loaded_db, [Skipped(position=1, reason="bad"), Record(id="", title="no id")])
    assert not observer.changed()
    assert loaded_db.execute("SELECT count(*) FROM records").fetchone()[0] == len(french)


def test_failure_in_the_middle_keeps_the_old_catalogue_searchable(loaded_db, french, db_path):
    def broken():
        yield from french[:5]
        raise RuntimeError("reader crashed")

    with pytest.raises(RuntimeError, match="reader crashed"):
        index.replace_all(loaded_db, broken())
    assert not loaded_db.conn.in_transaction
    with Catalogue(db_path) as cat:
        assert ids(cat.search("miserables")) == ["mis"]
        assert cat.stats()["records"] == len(french)
    assert not {t for t in tables(loaded_db) if t.startswith(("new_", "old_"))}


def test_readers_see_the_old_catalogue_until_the_swap(loaded_db, french, db_path):
    replacement = [Record(id="x", title="Vingt mille lieues sous les mers", type="book")]
    seen_during_import = []
    reader = Catalogue(db_path)
    held = sqlite3.connect(db_path)
    try:
        held.execute("BEGIN")
        assert held.execute("SELECT count(*) FROM records").fetchone()[0] == len(french)

        def stream():
            for r in replacement:
                seen_during_import.append(ids(reader.search("miserables")))
                yield r

        result = index.replace_all(loaded_db, stream())
        assert result.removed == len(french) and result.added == 1
        assert seen_during_import == [["mis"]]
        # An open read transaction keeps its snapshot, even across the swap.
        assert held.execute("SELECT count(*) FROM records").fetchone()[0] == len(french)
        held.execute("COMMIT")
        assert held.execute("SELECT count(*) FROM records").fetchone()[0] == 1
        assert ids(reader.search("miserables")) == []
        assert ids(reader.search("vingt mille")) == ["x"]
    finally:
        held.close()
        reader.close()


def test_leftovers_of_an_interrupted_import_are_dropped(loaded_db, french):
    schema.create_catalogue_tables(loaded_db.conn, prefix="new_")
    loaded_db.conn.commit()
    assert "new_records" in tables(loaded_db)
    index.replace_all(loaded_db, french + [Record(id="z", title="Zazie dans le métro")])
    assert not {t for t in tables(loaded_db) if t.startswith(("new_", "old_"))}


def test_duplicates_keep_the_last_version(db, french):
    result = index.replace_all(db, french + [replace(french[0], title="Frankenstein bis")])
    assert result.duplicates == 1 and result.total == len(french)
    with Catalogue(db) as cat:
        assert cat.get("frank").title == "Frankenstein bis"


def test_skipped_items_are_counted(db, french):
    result = index.replace_all(db, [Skipped(position=3, reason="no title"), *french])
    assert result.skipped == 1 and result.total == len(french)


def test_index_format_change_forces_a_rebuild(loaded_db, french):
    loaded_db.execute("UPDATE meta SET value = 'old' WHERE key = 'index_format'")
    loaded_db.conn.commit()
    result = index.replace_all(loaded_db, french)
    assert result.changed is False  # no record changed...
    # ...but the index was rebuilt with the current format.
    assert loaded_db.execute("SELECT value FROM meta WHERE key = 'index_format'").fetchone()[0] == schema.INDEX_FORMAT


def test_static_rank_on_board_first(loaded_db):
    ranks = dict(loaded_db.execute("SELECT id, rank FROM records").fetchall())
    on_board = {"mis", "cheval", "ecole"}
    assert max(ranks[i] for i in on_board) < min(r for i, r in ranks.items() if i not in on_board)


def test_get_round_trips_records(loaded_db, french):
    with Catalogue(loaded_db) as cat:
        for r in french:
            assert cat.get(r.id) == r
        assert cat.get("nope") is None


# --- single changes


def vocab(db) -> dict[str, int]:
    return dict(db.execute("SELECT term, docs FROM vocab").fetchall())


def test_upsert_and_delete_keep_fts_and_vocabulary_in_step(loaded_db, french, tmp_path):
    assert index.upsert(loaded_db, french[0]) == "unchanged"
    changed = replace(french[0], title="Le dernier homme", authors=(Author("Shelley, Mary"),))
    assert index.upsert(loaded_db, changed) == "updated"
    added = Record(id="nouveau", title="Les chevaux sauvages", type="book", copies=(Copy("NUMERIBUS", on_board=True),))
    assert index.upsert(loaded_db, added) == "added"
    assert index.delete(loaded_db, "coeur") is True
    assert index.delete(loaded_db, "coeur") is False

    with Catalogue(loaded_db) as cat:
        assert ids(cat.search("frankenstein ")) == []
        assert ids(cat.search("dernier homme")) == ["frank"]
        assert ids(cat.search("coeur pirate")) == []
        assert set(ids(cat.search("chevaux "))) == {"cheval", "camargue", "nouveau"}
        assert cat.get("nouveau") == added

    # The vocabulary and index equal those of a full rebuild of the same records.
    final = [changed] + [r for r in french[1:] if r.id != "coeur"] + [added]
    rebuilt = open_db(tmp_path / "rebuilt.db")
    try:
        index.replace_all(rebuilt, final)
        assert vocab(loaded_db) == vocab(rebuilt)
        fts_rows = "SELECT count(*) FROM records_fts_docsize"
        assert loaded_db.execute(fts_rows).fetchone()[0] == rebuilt.execute(fts_rows).fetchone()[0]
    finally:
        rebuilt.close()
    loaded_db.conn.execute("INSERT INTO records_fts(records_fts, rank) VALUES ('integrity-check', 0)")
    loaded_db.conn.commit()


def test_upsert_needs_an_id(db):
    with pytest.raises(ValueError):
        index.upsert(db, Record(id="", title="x"))


def test_upsert_inside_a_caller_transaction_is_rolled_back_with_it(loaded_db):
    with pytest.raises(RuntimeError), loaded_db.atomic():
        index.upsert(loaded_db, Record(id="tmp", title="Temporaire"))
        raise RuntimeError("abort")
    with Catalogue(loaded_db) as cat:
        assert cat.get("tmp") is None
        assert ids(cat.search("temporaire")) == []


texts = st.text(max_size=20)
record_strategy = st.builds(
    Record,
    id=st.text(min_size=1, max_size=8),
    title=texts,
    subtitle=texts,
    authors=st.lists(st.builds(Author, name=texts, role=texts, dates=texts), max_size=2).map(tuple),
    year=st.none() | st.integers(-3000, 3000),
    isbn=st.lists(texts, max_size=2).map(tuple),
    summary=texts,
    subjects=st.lists(texts, max_size=2).map(tuple),
    type=st.sampled_from(DOC_TYPES),
    audience=st.sampled_from(("", *AUDIENCES)),
    large_print=st.booleans(),
    copies=st.lists(st.builds(Copy, location=texts, on_board=st.booleans()), max_size=2).map(tuple),
)


@given(record_strategy)
@settings(max_examples=200, deadline=None)
def test_fast_content_hash_equals_record_content_hash(record):
    assert index.content_hash(record) == record.content_hash()


def test_french_records_fixture_is_consistent():
    assert len({r.id for r in french_records()}) == len(french_records())
