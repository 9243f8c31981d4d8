"""Catalogue imports at headquarters (sync.server.catalogue): only real changes get a version."""

from __future__ import annotations

from pathlib import Path

import pytest

from numeribus_kiosk.catalogue.demo import demo_catalogue_path
from numeribus_kiosk.catalogue.readers import read_file
from numeribus_kiosk.catalogue.record import Record, Skipped
from sync import protocol
from sync.server import catalogue, publish
from sync.server.database import get_meta

HEADER = "id;title;authors;year;type;audience;copies\n"
ROWS = {
    "C1": 'C1;<<Le >>Petit Nicolas;"Goscinny, René (author)";2013;book;children;NUMERIBUS|3000000010|R GOS\n',
    "C2": "C2;Les fourmis;Werber, Bernard;1991;large_print_book;adults;MONTBRISON|3000000020|R WER\n",
    "C3": "C3;Vingt mille lieues sous les mers;Verne, Jules;1870;book;young_adults;\n",
}


def write_csv(path: Path, rows: dict[str, str] = ROWS, **changed: str) -> Path:
    path.write_text(HEADER + "".join({**rows, **changed}.values()), encoding="utf-8")
    return path


def live_records(db) -> dict[str, dict]:
    return {c.key: c.data for c in publish.live_entities(db, kinds=["record"])}


def test_the_demo_catalogue_is_published_as_the_kiosk_reads_it(hq):
    db = hq.db()
    report = catalogue.import_catalogue(db, [demo_catalogue_path()], hq.now())
    records = [r for r in read_file(demo_catalogue_path()) if isinstance(r, Record)]
    assert report.read == report.imported == len(records) == 3000
    assert (report.diff.added, report.diff.updated, report.diff.removed) == (3000, 0, 0)
    assert report.version == publish.current_version(db) == 3000
    published = live_records(db)
    for record in records[:50] + records[-50:]:
        assert Record.from_dict(published[record.id]) == record
        assert publish.get(db, "record", record.id).data == published[record.id]
    stored = dict(db.execute("SELECT key, hash FROM changes WHERE kind = 'record'").fetchall())
    assert all(stored[r.id] == r.content_hash() for r in records)
    assert get_meta(db, catalogue.IMPORTED_AT) == hq.now().isoformat(timespec="seconds")


def test_record_data_is_the_json_of_to_dict():
    for record in list(read_file(demo_catalogue_path()))[:200]:
        assert protocol.canonical_json(catalogue.record_data(record)) == protocol.canonical_json(record.to_dict())
        key, text, digest = catalogue.encode_record(record)
        assert (key, digest) == (record.id, record.content_hash())


def test_importing_the_same_file_twice_makes_no_version(hq):
    db = hq.db()
    catalogue.import_catalogue(db, [demo_catalogue_path()], hq.now())
    version = publish.current_version(db)
    report = catalogue.import_catalogue(db, [demo_catalogue_path()], hq.now())
    assert not report.diff.changed
    assert report.diff.unchanged == 3000
    assert publish.current_version(db) == version
    assert report.to_dict()["changed"] is False


def test_one_modified_record_gets_exactly_one_version(hq, tmp_path):
    db = hq.db()
    path = write_csv(tmp_path / "export.csv")
    catalogue.import_catalogue(db, [path], hq.now())
    version = publish.current_version(db)
    before = live_records(db)
    write_csv(path, C2=ROWS["C2"].replace("1991", "1992"))
    report = catalogue.import_catalogue(db, [path], hq.now())
    assert (report.diff.added, report.diff.updated, report.diff.removed, report.diff.unchanged) == (0, 1, 0, 2)
    assert publish.current_version(db) == version + 1
    entries, _, _ = publish.changes_since(db, version, 100)
    assert [(e.key, e.data["year"]) for e in entries] == [("C2", 1992)]
    after = live_records(db)
    assert after["C1"] == before["C1"] and after["C3"] == before["C3"]


def test_absent_records_get_tombstones_and_new_ones_versions(hq, tmp_path):
    db = hq.db()
    path = write_csv(tmp_path / "export.csv")
    catalogue.import_catalogue(db, [path], hq.now())
    version = publish.current_version(db)
    rows = {k: v for k, v in ROWS.items() if k != "C1"}
    write_csv(path, rows, C4="C4;Le Horla;Maupassant, Guy de;1887;book;adults;\n")
    report = catalogue.import_catalogue(db, [path], hq.now())
    assert (report.diff.added, report.diff.updated, report.diff.removed, report.diff.unchanged) == (1, 0, 1, 2)
    entries, _, _ = publish.changes_since(db, version, 100)
    assert sorted((e.key, e.deleted) for e in entries) == [("C1", True), ("C4", False)]
    assert set(live_records(db)) == {"C2", "C3", "C4"}
    assert report.imported == 3


def test_reader_options_decide_copies_on_board(hq, tmp_path):
    from numeribus_kiosk.catalogue.record import ReaderOptions

    db = hq.db()
    path = write_csv(tmp_path / "export.csv")
    catalogue.import_catalogue(db, [path], hq.now())
    assert live_records(db)["C2"]["copies"][0]["on_board"] is False
    options = ReaderOptions(bus_locations=frozenset({"NUMERIBUS", "MONTBRISON"}))
    report = catalogue.import_catalogue(db, [path], hq.now(), options=options)
    assert report.diff.updated == 1  # C2's copy is now on board
    assert live_records(db)["C2"]["copies"][0]["on_board"] is True


@pytest.mark.parametrize(
    "bad",
    [
        "missing.mrc",
        "notes.txt",  # not a catalogue format
        "empty.mrc",
    ],
)
def test_a_file_that_cannot_be_read_aborts_and_keeps_everything(hq, tmp_path, bad):
    db = hq.db()
    good = write_csv(tmp_path / "export.csv")
    catalogue.import_catalogue(db, [good], hq.now())
    version, before = publish.current_version(db), live_records(db)
    (tmp_path / "notes.txt").write_text("Just some words\nwithout any separator\n", encoding="utf-8")
    (tmp_path / "empty.mrc").write_bytes(b"")
    changed = write_csv(tmp_path / "export2.csv", {"C9": "C9;Autre;;;book;;\n"})
    with pytest.raises(catalogue.CatalogueImportError, match="kept"):
        catalogue.import_catalogue(db, [changed, tmp_path / bad], hq.now())
    assert publish.current_version(db) == version
    assert live_records(db) == before
    assert not db.conn.in_transaction


def test_an_import_without_a_usable_record_is_refused(hq, tmp_path):
    db = hq.db()
    catalogue.import_catalogue(db, [write_csv(tmp_path / "export.csv")], hq.now())
    version = publish.current_version(db)
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text(HEADER + ";Sans identifiant;;;;;\nC5;;;;;;\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueImportError, match="No usable record"):
        catalogue.import_catalogue(db, [only_bad], hq.now())
    assert publish.current_version(db) == version and len(live_records(db)) == 3
    empty_folder = tmp_path / "empty-folder"
    empty_folder.mkdir()
    with pytest.raises(catalogue.CatalogueImportError, match="No catalogue file"):
        catalogue.import_catalogue(db, [empty_folder], hq.now())


def test_skipped_duplicates_and_ignored_files_are_reported(hq, tmp_path):
    db = hq.db()
    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv(folder / "a.csv")
    (folder / "b.csv").write_text(HEADER + "C1;Le Petit Nicolas (réédition);;2020;book;;\n;Sans id;;;;;\n", "utf-8")
    (folder / "README.md").write_text("exports of the library system", encoding="utf-8")
    report = catalogue.import_catalogue(db, [folder], hq.now())
    data = report.to_dict()
    assert data["files"] == [str(folder / "a.csv"), str(folder / "b.csv")]
    assert data["ignored"] == [str(folder / "README.md")]
    assert data["read"] == 5 and data["imported"] == 3
    assert [d["id"] for d in data["duplicates"]] == ["C1"]
    assert data["duplicates"][0]["replaces_file"] == str(folder / "a.csv")
    assert len(data["skipped"]) == 1 and data["skipped"][0]["file"] == str(folder / "b.csv")
    assert isinstance(report.skipped[0], Skipped)
    assert live_records(db)["C1"]["title"] == "Le Petit Nicolas (réédition)"  # the later one is kept
    assert set(data) >= {"added", "updated", "removed", "unchanged", "changed", "version", "seconds"}


def test_stats(hq, tmp_path):
    db = hq.db()
    assert catalogue.stats(db)["records"] == 0
    catalogue.import_catalogue(db, [write_csv(tmp_path / "export.csv")], hq.now())
    write_csv(tmp_path / "export.csv", {k: v for k, v in ROWS.items() if k != "C3"})
    catalogue.import_catalogue(db, [tmp_path / "export.csv"], hq.now())
    stats = catalogue.stats(db)
    assert stats["records"] == 2
    assert stats["tombstones"] == 1
    assert stats["version"] == 4
    assert stats["snapshot_version"] is None
    assert stats["imported_at"] == hq.now().isoformat(timespec="seconds")
    assert catalogue.get_record(db, "C1").title == "Le Petit Nicolas"
    assert catalogue.get_record(db, "C3") is None


@pytest.mark.shared_data
def test_real_library_exports(hq, shared_data):
    """Every real export of ../shared/data, UNIMARC and MARC21, ISO 2709 and XML, in one import."""
    db = hq.db()
    files = sorted(p for p in shared_data.rglob("*") if p.suffix in {".mrc", ".xml"})
    report = catalogue.import_catalogue(db, files, hq.now())
    expected = {}
    for path in files:
        for item in read_file(path):
            if isinstance(item, Record):
                expected[item.id] = item
    assert report.imported == len(expected) == publish.count_live(db, "record")
    assert report.read == report.imported + len(report.skipped) + len(report.duplicates)
    stored = dict(db.execute("SELECT key, hash FROM changes WHERE kind = 'record' AND deleted = 0").fetchall())
    assert stored == {key: record.content_hash() for key, record in expected.items()}
    version = publish.current_version(db)
    again = catalogue.import_catalogue(db, files, hq.now())
    assert not again.diff.changed and publish.current_version(db) == version
    # one file fewer: its records (not found in another file) become tombstones
    smaller = [f for f in files if f.name != "bu-bibs.mrc"]
    dropped = catalogue.import_catalogue(db, smaller, hq.now())
    assert dropped.diff.removed == 100 and dropped.diff.added == dropped.diff.updated == 0
