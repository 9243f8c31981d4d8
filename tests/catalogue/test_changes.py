"""Applying headquarters' changes and snapshots on a bus's catalogue.db (catalogue/changes.py).

Headquarters is real: its catalogue, schedule, lists and device configuration are published with
`sync.server` (import_catalogue on CSV files or the kiosk's demo catalogue, schedule, publish),
and the bus applies `publish.changes_since` pages (``Change.to_dict()``) and the entity lines of
real snapshot chunks.  Afterwards the bus must hold exactly what headquarters publishes.
"""

from __future__ import annotations

import csv
import gzip
import json
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes, index, schedule, schema
from numeribus_kiosk.catalogue.changes import ApplyReport, ChangeError
from numeribus_kiosk.catalogue.demo import demo_catalogue_path
from numeribus_kiosk.catalogue.record import ReaderOptions, Record
from numeribus_kiosk.catalogue.schedule import Passage, ScheduleError, Workshop
from numeribus_kiosk.catalogue.search import Catalogue
from numeribus_kiosk.mediator.lists import DEFAULT_PARTNERS, MediatorLists, load_lists
from sync.server import catalogue as hq_catalogue
from sync.server import publish, snapshots
from sync.server import schedule as hq_schedule
from sync.server.database import open_hq_db
from sync.server.devices import Device

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DEVICE_ID = "bus-1"


# --------------------------------------------------------------------------- headquarters


def device(locations=("NUMERIBUS",), name="Bus 1", device_id=DEVICE_ID) -> Device:
    return Device(device_id, name, "k" * 16, "pub", "active", NOW.isoformat(), None, None, 0, 0, tuple(locations))


def write_csv(path: Path, rows) -> Path:
    """rows: (id, title, author, year, copies) with copies as "LOC|barcode|call; ..."."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "title", "authors", "year", "copies"])
        writer.writerows(rows)
    return path


def import_rows(hq, folder: Path, rows, name="catalogue.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    return hq_catalogue.import_catalogue(hq, [write_csv(folder / name, rows)], NOW)


ROWS = [
    ("R1", "Les Misérables", "Hugo, Victor", 1862, "NUMERIBUS|B1|R HUG"),
    ("R2", "Frankenstein", "Shelley, Mary", 2018, "MDL|M2|R SHE"),
    ("R3", "La Marmotte au soleil", "Dupont, Jeanne", 2021, "BUS2|X3|A DUP; MDL|M3|A DUP"),
    ("R4", "Le Petit Prince", "Saint-Exupéry, Antoine de", 1943, " numeribus |B4|C SAI"),
    ("R5", "Carnets de voyage", "Martin, Paul", 2020, ""),
]

PASSAGE = Passage(
    id="P1", date=date(2026, 3, 10), start=time(9, 30), end=time(12), commune="Noirétable", place="Place de l'Église"
)
WORKSHOP = Workshop(
    id="W1",
    date=date(2026, 3, 10),
    start=time(10),
    end=time(11, 30),
    commune="Noirétable",
    place="Salle des fêtes",
    kind="cafe_tablette",
    title="Café tablettes",
    seats=6,
    registration=True,
)


def pull(hq, bus, *, device_id=DEVICE_ID, limit=1000, bus_locations=None) -> list[ApplyReport]:
    """What the agent does: pages from the version held until headquarters says there is no more."""
    reports = []
    while True:
        since = changes.sync_version(bus)
        entries, cursor, more = publish.changes_since(hq, since, limit, device_id)
        page = [e.to_dict() for e in entries]
        reports.append(changes.apply_changes(bus, page, cursor, since=since, bus_locations=bus_locations))
        if not more:
            return reports


def snapshot_entities(hq, device_id=DEVICE_ID) -> tuple[list[dict], int]:
    """The entity lines of a real snapshot, as the bus reads them from the chunks (its own one last)."""
    snap = snapshots.build_snapshot(hq, NOW, chunk_bytes=2048)
    chunks = [snapshots.read_chunk(hq, ref.sha256) for ref in snap.chunks]
    own = snapshots.device_chunk(hq, device_id, NOW) if device_id else None
    if own is not None:
        chunks.append(snapshots.read_chunk(hq, own.sha256))
    return [entity for data in chunks for entity in snapshots.chunk_entities(data)], snap.version


# --------------------------------------------------------------------------- comparing


def expected_records(hq, locations) -> dict[str, Record]:
    """Headquarters' records with the copies on board of a bus at `locations` (the import's own rule)."""
    options = ReaderOptions(bus_locations=frozenset(locations))
    out = {}
    for change in publish.live_entities(hq, kinds=["record"]):
        record = Record.from_dict(change.data)
        copies = tuple(replace(c, on_board=options.is_on_board(c.location)) for c in record.copies)
        out[record.id] = replace(record, copies=copies)
    return out


def bus_records(bus) -> dict[str, tuple[Record, str]]:
    columns = ", ".join(schema.RECORD_COLUMNS)
    rows = bus.execute(f"SELECT {columns} FROM records").fetchall()
    return {row[0]: (index.row_to_record(row), row[-1]) for row in rows}


def assert_bus_equals_hq(hq, bus, locations=("NUMERIBUS",), dev: Device | None = None) -> None:
    expected = expected_records(hq, locations)
    held = bus_records(bus)
    assert sorted(held) == sorted(expected)
    for record_id, record in expected.items():
        assert held[record_id] == (record, record.content_hash()), record_id
    by_id = lambda items: sorted(items, key=lambda i: i.id)  # noqa: E731
    assert by_id(schedule.upcoming_passages(bus, date.min)) == by_id(hq_schedule.passages(hq))
    assert by_id(schedule.upcoming_workshops(bus, date.min)) == by_id(hq_schedule.workshops(hq))
    published = {c.key: c.data["items"] for c in publish.live_entities(hq, kinds=["list"])}
    assert changes.published_lists(bus) == published
    assert changes.sync_version(bus) == publish.current_version(hq)
    if dev is not None:
        assert changes.published_device_config(bus) == publish.device_config(dev)
    # The index agrees with the records: every record is found by its id's title.
    with Catalogue(bus) as cat:
        assert cat.search("").total == len(expected)


def state(bus) -> tuple:
    """Everything the bus holds from headquarters."""
    return (
        sorted(bus.execute("SELECT id, hash, rank FROM records").fetchall()),
        sorted(bus.execute("SELECT term, docs FROM vocab").fetchall()),
        sorted(bus.execute("SELECT * FROM passages").fetchall()),
        sorted(bus.execute("SELECT * FROM workshops").fetchall()),
        sorted(bus.execute("SELECT * FROM published_lists").fetchall()),
        changes.sync_version(bus),
        changes.published_device_config(bus),
    )


def ids(result) -> list[str]:
    return [hit.id for hit in result.results]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def hq(tmp_path):
    db = open_hq_db(tmp_path / "hq")
    yield db
    db.close()


@pytest.fixture
def bus_dir(tmp_path) -> Path:
    return tmp_path / "bus"


@pytest.fixture
def bus(bus_dir):
    db = store.open_catalogue_db(bus_dir)
    yield db
    db.close()


@pytest.fixture
def published(hq, tmp_path):
    """A small headquarters: five records, a passage, a workshop, the lists, Bus 1's configuration."""
    import_rows(hq, tmp_path / "v1", ROWS)
    hq_schedule.put_passage(hq, PASSAGE, NOW)
    hq_schedule.put_workshop(hq, WORKSHOP, NOW)
    publish.publish_lists(hq, MediatorLists(mediators=("Camille", "Karim")), NOW)
    dev = device()
    publish.publish_device_config(hq, dev, NOW)
    return dev


# --------------------------------------------------------------------------- snapshots


def test_demo_catalogue_snapshot_makes_the_bus_equal_headquarters(hq, bus):
    hq_catalogue.import_catalogue(hq, [demo_catalogue_path()], NOW)
    hq_schedule.import_schedule(hq, schedule.demo_dir() / "schedule.csv", NOW)
    hq_schedule.import_schedule(hq, schedule.demo_dir() / "agenda.csv", NOW)
    publish.publish_lists(hq, MediatorLists(), NOW)
    dev = device()
    publish.publish_device_config(hq, dev, NOW)
    entities, version = snapshot_entities(hq)

    report = changes.apply_snapshot(bus, entities, version)

    assert report.version == version == publish.current_version(hq)
    assert report.records_added == 3000 and report.records_removed == 0
    assert (report.passages, report.workshops, report.lists, report.config) == (
        len(hq_schedule.passages(hq)),
        len(hq_schedule.workshops(hq)),
        7,
        True,
    )
    assert_bus_equals_hq(hq, bus, dev=dev)
    # Same locations on both sides: the bus's hashes are headquarters' own published hashes.
    hq_hashes = dict(hq.execute("SELECT key, hash FROM changes WHERE kind = 'record' AND deleted = 0").fetchall())
    assert dict(bus.execute("SELECT id, hash FROM records").fetchall()) == hq_hashes
    # Search works on what arrived.
    record = next(iter(expected_records(hq, ("NUMERIBUS",)).values()))
    with Catalogue(bus) as cat:
        assert record.id in ids(cat.search(record.title, limit=50))
    # Nothing new since the snapshot: the next page is empty and keeps the version.
    (page,) = pull(hq, bus)
    assert page == ApplyReport(version=version)
    assert json.loads(json.dumps(report.to_dict()))["records_added"] == 3000


def test_the_same_snapshot_again_changes_nothing(hq, bus, published):
    entities, version = snapshot_entities(hq)
    changes.apply_snapshot(bus, entities, version)
    before = state(bus)
    again = changes.apply_snapshot(bus, entities, version)
    assert (again.records_added, again.records_updated, again.records_removed) == (0, 0, 0)
    assert again.records_unchanged == len(ROWS) and not again.config and again.on_board_changed == 0
    assert state(bus) == before
    assert_bus_equals_hq(hq, bus, dev=published)


def test_snapshot_replaces_the_whole_state_demo_data_included(hq, bus, bus_dir, published):
    # The bus started on its demo data (as a new kiosk does).
    schedule.load_demo(bus, date(2026, 3, 2))
    index.replace_all(bus, [Record(id="demo-1", title="Un livre de démonstration")])
    entities, version = snapshot_entities(hq)
    report = changes.apply_snapshot(bus, entities, version)
    assert report.records_removed == 1 and report.records_added == len(ROWS)
    assert_bus_equals_hq(hq, bus, dev=published)
    assert [p.id for p in schedule.upcoming_passages(bus, date.min)] == ["P1"]


def test_an_empty_snapshot_never_replaces_a_catalogue(hq, bus, published):
    entities, version = snapshot_entities(hq)
    changes.apply_snapshot(bus, entities, version)
    before = state(bus)
    without_records = [e for e in entities if e["kind"] != "record"]
    for empty in (without_records, []):
        with pytest.raises(ChangeError, match="an empty catalogue never replaces a whole one"):
            changes.apply_snapshot(bus, empty, version + 1)
        assert state(bus) == before


def test_a_bad_entity_late_in_the_snapshot_keeps_the_previous_catalogue(hq, bus, tmp_path, published):
    entities, version = snapshot_entities(hq)
    changes.apply_snapshot(bus, entities, version)
    before = state(bus)
    import_rows(hq, tmp_path / "v2", [("N1", "Nouveautés du printemps", "Durand, Léa", 2026, "NUMERIBUS|N1|R DUR")])
    new_entities, new_version = snapshot_entities(hq)
    bad = {"kind": "record", "key": "Z9", "data": {"id": "Z9", "title": "Cassé", "year": "deux mille"}}
    with pytest.raises(ChangeError, match=r"record entity 'Z9'.*year 'deux mille' is not a whole number"):
        changes.apply_snapshot(bus, [*new_entities, bad], new_version)
    assert state(bus) == before
    with Catalogue(bus) as cat:
        assert ids(cat.search("miserables")) == ["R1"]
        assert ids(cat.search("printemps")) == []


def test_a_failing_chunk_reader_keeps_the_previous_catalogue(hq, bus, tmp_path, published):
    entities, version = snapshot_entities(hq)
    changes.apply_snapshot(bus, entities, version)
    before = state(bus)
    import_rows(hq, tmp_path / "v2", [("N1", "Nouveautés", "", 2026, "")])
    new_entities, new_version = snapshot_entities(hq)

    def reader():
        yield from new_entities[:1]
        raise OSError("the stick was pulled out")

    with pytest.raises(OSError, match="stick"):
        changes.apply_snapshot(bus, reader(), new_version)
    assert state(bus) == before


def test_an_interruption_after_the_record_swap_ends_correct_at_the_next_round(hq, bus, tmp_path, published):
    entities, version = snapshot_entities(hq)
    changes.apply_snapshot(bus, entities, version)
    # Headquarters changes records, the schedule and this bus's locations.
    import_rows(hq, tmp_path / "v2", [*ROWS[1:], ("R6", "Contes du Forez", "Roux, Anne", 2019, "BUS2|X6|C ROU")])
    hq_schedule.delete_passage(hq, "P1", NOW)
    hq_schedule.put_passage(hq, replace(PASSAGE, id="P2", commune="Charlieu"), NOW)
    moved = device(locations=("NUMERIBUS", "BUS2"))
    publish.publish_device_config(hq, moved, NOW)
    new_entities, new_version = snapshot_entities(hq)
    # A real fault in the last step: the disk refuses the schedule's writes (a trigger).
    bus.execute("CREATE TRIGGER fault BEFORE INSERT ON passages BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    with pytest.raises(Exception, match="disk I/O error"):
        changes.apply_snapshot(bus, new_entities, new_version)
    bus.execute("DROP TRIGGER fault")
    # The records were swapped, the rest was not: the version held is still the old one.
    assert sorted(bus_records(bus)) == ["R2", "R3", "R4", "R5", "R6"]
    assert changes.sync_version(bus) == version
    assert [p.id for p in schedule.upcoming_passages(bus, date.min)] == ["P1"]
    # The next round asks for what follows the version held and ends equal to headquarters.
    pull(hq, bus, limit=2)
    assert_bus_equals_hq(hq, bus, locations=("NUMERIBUS", "BUS2"), dev=moved)


def test_an_interrupted_first_snapshot_is_simply_applied_again(hq, bus, published):
    entities, version = snapshot_entities(hq)
    bus.execute("CREATE TRIGGER fault BEFORE INSERT ON passages BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    with pytest.raises(Exception, match="disk I/O error"):
        changes.apply_snapshot(bus, entities, version)
    bus.execute("DROP TRIGGER fault")
    assert changes.sync_version(bus) == 0  # headquarters answers 410: the snapshot again
    changes.apply_snapshot(bus, entities, version)
    assert_bus_equals_hq(hq, bus, dev=published)


def chunk_lines(hq, device_id=DEVICE_ID) -> tuple[list[bytes], int]:
    """The raw JSON lines of a real snapshot's chunks (what a bus reads from its downloaded files)."""
    snap = snapshots.build_snapshot(hq, NOW, chunk_bytes=2048)
    refs = [*snap.chunks, snapshots.device_chunk(hq, device_id, NOW)]
    lines = []
    for ref in refs:
        lines += gzip.decompress(snapshots.read_chunk(hq, ref.sha256)).splitlines()
    return lines, snap.version


def test_json_lines_in_worker_processes_give_the_same_catalogue(hq, bus, tmp_path, published):
    lines, version = chunk_lines(hq)
    report = changes.apply_snapshot(bus, lines, version, workers=2)
    assert report.records_added == len(ROWS) and report.config and report.lists == 7
    assert_bus_equals_hq(hq, bus, dev=published)
    in_process = store.open_catalogue_db(tmp_path / "bus-2")
    try:
        assert changes.apply_snapshot(in_process, [line.decode() for line in lines], version) == report
        assert state(in_process) == state(bus)
    finally:
        in_process.close()
    # A bad line late in the stream, in a worker: refused, the catalogue stays whole.
    before = state(bus)
    import_rows(hq, tmp_path / "v2", [("N1", "Nouveautés", "", 2026, "")])
    new_lines, new_version = chunk_lines(hq)
    many = new_lines * 300  # several batches in flight
    for bad, message in [(b'{"kind": "record", "key": ', "not valid JSON"), (b"[1, 2]", "not a JSON object")]:
        with pytest.raises(ChangeError, match=f"Entity {len(many) + 1} of the snapshot is {message}"):
            changes.apply_snapshot(bus, [*many, bad], new_version, workers=2)
        assert state(bus) == before


def test_apply_snapshot_needs_a_connection_without_a_transaction(hq, bus, published):
    entities, version = snapshot_entities(hq)
    bus.execute("BEGIN")
    try:
        with pytest.raises(RuntimeError, match="without an open transaction"):
            changes.apply_snapshot(bus, entities, version)
    finally:
        bus.execute("ROLLBACK")
    with pytest.raises(ChangeError, match="whole version"):
        changes.apply_snapshot(bus, entities, "12")


# --------------------------------------------------------------------------- pages of changes


def test_pages_bring_updates_and_tombstones(hq, bus, tmp_path, published):
    reports = pull(hq, bus, limit=3)  # several pages, each with its cursor
    assert len(reports) > 2
    assert_bus_equals_hq(hq, bus, dev=published)
    with Catalogue(bus) as cat:
        assert ids(cat.search("frankenstein")) == ["R2"]

    changed = [
        ("R1", "Les Misérables (édition illustrée)", "Hugo, Victor", 1862, "NUMERIBUS|B1|R HUG"),
        *ROWS[2:],
        ("R6", "Contes du Forez", "Roux, Anne", 2019, "NUMERIBUS|B6|C ROU"),
    ]
    import_rows(hq, tmp_path / "v2", changed)  # R2 removed, R1 changed, R6 added
    hq_schedule.put_workshop(hq, replace(WORKSHOP, seats=8), NOW)
    hq_schedule.delete_passage(hq, "P1", NOW)
    publish.remove(hq, "list", "partners", NOW)
    reports = pull(hq, bus, limit=2)

    assert sum(r.records_added for r in reports) == 1
    assert sum(r.records_updated for r in reports) == 1
    assert sum(r.records_removed for r in reports) == 1
    assert sum(r.passages for r in reports) == 1 and sum(r.workshops for r in reports) == 1
    assert_bus_equals_hq(hq, bus, dev=published)
    assert "partners" not in changes.published_lists(bus)
    with Catalogue(bus) as cat:
        assert ids(cat.search("frankenstein")) == []
        assert ids(cat.search("forez")) == ["R6"]
        assert ids(cat.search("illustree")) == ["R1"]
    assert schedule.upcoming_workshops(bus, date.min)[0].seats == 8


def test_a_stale_or_replayed_page_is_refused_and_changes_nothing(hq, bus, tmp_path, published):
    entries, cursor, _ = publish.changes_since(hq, 0, 1000, DEVICE_ID)
    page = [e.to_dict() for e in entries]
    changes.apply_changes(bus, page, cursor, since=0)
    before, writes = state(bus), bus.conn.total_changes
    # The same page again (a lost acknowledgement, a replayed bundle).
    with pytest.raises(ChangeError, match=f"starts after version 0, but the catalogue holds version {cursor}"):
        changes.apply_changes(bus, page, cursor, since=0)
    # A page for a cursor the bus never held (ahead of it).
    import_rows(hq, tmp_path / "v2", ROWS[:2])
    later, later_cursor, _ = publish.changes_since(hq, cursor + 1, 1000, DEVICE_ID)
    with pytest.raises(ChangeError, match="stale or replayed"):
        changes.apply_changes(bus, [e.to_dict() for e in later], later_cursor, since=cursor + 1)
    # A page ending before it starts.
    with pytest.raises(ChangeError, match="before its start"):
        changes.apply_changes(bus, [], cursor - 1, since=cursor)
    assert state(bus) == before and bus.conn.total_changes == writes


def record_entry(version, key="R1", **data):
    return {
        "version": version,
        "kind": "record",
        "key": key,
        "deleted": False,
        "data": {"id": key, "title": "Un titre", **data},
    }


def passage_data(**changes_):
    return {**PASSAGE.to_dict(), **changes_}


def workshop_data(**changes_):
    return {**WORKSHOP.to_dict(), **changes_}


BAD_ENTRIES = {
    "not an object": (["record"], "not a JSON object"),
    "no version": ([{"kind": "record", "key": "R1", "deleted": True}], "without a valid version"),
    "version outside the page": ([record_entry(99)], "outside its page"),
    "version twice": ([record_entry(11), record_entry(11, "R2")], "version 11 twice"),
    "no kind": ([{"version": 11, "key": "R1", "deleted": True}], "without a kind"),
    "no key": ([{"version": 11, "kind": "record", "deleted": True}], "without a key"),
    "deleted not a flag": ([{**record_entry(11), "deleted": "no"}], "deleted flag"),
    "record id is not its key": ([record_entry(11, "R1", id="R2")], "'R2' is not its key"),
    "record without data": ([{**record_entry(11), "data": None}], "not a JSON object"),
    "record title": ([record_entry(11, title=None)], "no title"),
    "record flag": ([record_entry(11, dys="oui")], "dys is not true or false"),
    "record subjects": ([record_entry(11, subjects="Roman")], "subjects is not a list of texts"),
    "record author": ([record_entry(11, authors=[{"role": "author"}])], "an author has no name"),
    "record copy": ([record_entry(11, copies=[{"location": 3}])], "copy field location is not text"),
    "passage date": (
        [{"version": 11, "kind": "passage", "key": "P1", "deleted": False, "data": passage_data(date="10/03/2026")}],
        "bad date",
    ),
    "passage times": (
        [{"version": 11, "kind": "passage", "key": "P1", "deleted": False, "data": passage_data(end="08:00")}],
        "is not after start",
    ),
    "passage key": (
        [{"version": 11, "kind": "passage", "key": "P9", "deleted": False, "data": passage_data()}],
        "'P1' is not its key",
    ),
    "workshop kind": (
        [{"version": 11, "kind": "workshop", "key": "W1", "deleted": False, "data": workshop_data(kind="yoga")}],
        "unknown kind 'yoga'",
    ),
    "workshop seats": (
        [{"version": 11, "kind": "workshop", "key": "W1", "deleted": False, "data": workshop_data(seats="six")}],
        "bad seats",
    ),
    "list items": ([{"version": 11, "kind": "list", "key": "publics", "deleted": False, "data": ["a"]}], "items"),
    "list item types": (
        [{"version": 11, "kind": "list", "key": "durations", "deleted": False, "data": {"items": [True]}}],
        "not texts or whole numbers",
    ),
    "device locations": (
        [{"version": 11, "kind": "device", "key": "config", "deleted": False, "data": {"name": "Bus 1"}}],
        "bus_locations is not a list of texts",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_ENTRIES))
def test_one_malformed_entry_refuses_the_whole_page(bus, name):
    changes.apply_changes(bus, [record_entry(5, "R0")], 10, since=0)
    before, writes = state(bus), bus.conn.total_changes
    bad, message = BAD_ENTRIES[name]
    page = [record_entry(12, "R7"), *bad]  # a valid entry first: it must not be applied either
    with pytest.raises(ChangeError, match=message) as error:
        changes.apply_changes(bus, page, 20, since=10)
    assert "Traceback" not in str(error.value)
    assert state(bus) == before and bus.conn.total_changes == writes


def test_entries_are_applied_in_version_order_and_unknown_kinds_are_ignored(bus):
    page = [
        {"version": 3, "kind": "record", "key": "R1", "deleted": True, "data": None},
        record_entry(2, "R1", title="Première version"),
        {"version": 4, "kind": "poster", "key": "spring", "deleted": False, "data": {"anything": [1, 2]}},
        {"version": 5, "kind": "device", "key": "wallpaper", "deleted": False, "data": "blue"},
        record_entry(1, "R2", title="Autre", future_field={"x": 1}, copies=[{"location": "NUMERIBUS", "shelf": 3}]),
    ]
    report = changes.apply_changes(bus, page, 6, since=0)
    assert report.ignored == 2 and report.records_added == 2 and report.records_removed == 1
    (only,) = bus_records(bus).values()
    assert only[0].id == "R2" and only[0].on_board  # unknown fields of a newer headquarters ignored
    assert changes.sync_version(bus) == 6


def test_a_page_joins_the_callers_transaction(bus):
    bus.execute("BEGIN IMMEDIATE")
    changes.apply_changes(bus, [record_entry(1)], 1, since=0)
    bus.execute("ROLLBACK")
    assert bus_records(bus) == {} and changes.sync_version(bus) == 0


def test_an_empty_last_page_moves_the_cursor(bus):
    report = changes.apply_changes(bus, [], 40, since=0)
    assert report == ApplyReport(version=40) and changes.sync_version(bus) == 40


# --------------------------------------------------------------------------- copies on board


def on_board_ids(bus) -> list[str]:
    with Catalogue(bus) as cat:
        return sorted(ids(cat.search("", filters={"on_board": True}, limit=100)))


def test_on_board_follows_the_bus_locations(hq, bus, tmp_path):
    import_rows(hq, tmp_path / "v1", ROWS)
    hq_schedule.put_passage(hq, PASSAGE, NOW)
    # No configuration from headquarters yet: config.toml's locations (given by the caller) decide.
    entities, version = snapshot_entities(hq, device_id=None)
    changes.apply_snapshot(bus, entities, version, bus_locations=["bus2"])
    assert changes.effective_bus_locations(bus, ["bus2"]) == ("bus2",)
    assert on_board_ids(bus) == ["R3"]
    assert_bus_equals_hq(hq, bus, locations=("BUS2",))
    # Headquarters sends the bus's configuration: it wins over config.toml; records are re-flagged.
    first = device(locations=("NUMERIBUS",))
    publish.publish_device_config(hq, first, NOW)
    (report,) = pull(hq, bus, bus_locations=["bus2"])
    assert report.config and report.on_board_changed == 3  # R1 and R4 on board, R3 no longer
    assert on_board_ids(bus) == ["R1", "R4"]
    assert changes.effective_bus_locations(bus, ["bus2"]) == ("NUMERIBUS",)
    assert_bus_equals_hq(hq, bus, dev=first)
    # A page with new locations AND records: the records of the page already use the new locations.
    second = device(locations=("MDL",))
    import_rows(hq, tmp_path / "v2", [*ROWS, ("R6", "Contes du Forez", "", 2019, "MDL|M6|C ROU")])
    publish.publish_device_config(hq, second, NOW)
    (report,) = pull(hq, bus)
    assert report.config and report.records_added == 1
    assert on_board_ids(bus) == ["R2", "R3", "R6"]
    assert_bus_equals_hq(hq, bus, locations=("MDL",), dev=second)
    # The same configuration again: nothing to re-flag.
    publish.publish_device_config(hq, second, NOW)
    (report,) = pull(hq, bus)
    assert not report.config and report.on_board_changed == 0


def test_a_snapshot_whose_configuration_moves_the_locations_reflags(hq, bus, published):
    moved = device(locations=("BUS2", "MDL"))
    publish.publish_device_config(hq, moved, NOW)
    entities, version = snapshot_entities(hq)
    report = changes.apply_snapshot(bus, entities, version)  # staged with the default NUMERIBUS
    assert report.config and report.on_board_changed == 4  # R1, R4 off; R2, R3 on
    assert on_board_ids(bus) == ["R2", "R3"]
    assert_bus_equals_hq(hq, bus, locations=("BUS2", "MDL"), dev=moved)


def test_refresh_on_board_uses_config_toml_until_headquarters_sends_a_configuration(hq, bus, tmp_path):
    import_rows(hq, tmp_path / "v1", ROWS)
    entities, version = snapshot_entities(hq)
    changes.apply_snapshot(bus, entities, version)
    assert on_board_ids(bus) == ["R1", "R4"]
    assert changes.refresh_on_board(bus, ["NUMERIBUS"]) == 0
    assert changes.refresh_on_board(bus, ["BUS2"]) == 3
    assert on_board_ids(bus) == ["R3"]
    publish.publish_device_config(hq, device(locations=("NUMERIBUS",)), NOW)  # the configuration arrives
    (report,) = pull(hq, bus, bus_locations=["BUS2"])
    assert report.config and report.on_board_changed == 3
    assert changes.refresh_on_board(bus, ["BUS2"]) == 0  # headquarters' configuration wins
    assert on_board_ids(bus) == ["R1", "R4"]


# --------------------------------------------------------------------------- lists


def test_headquarters_lists_reach_load_lists_before_config_toml(hq, bus, bus_dir):
    (bus_dir / "config.toml").write_text(
        '[lists]\nactivities = ["lecture à voix haute"]\npartners = ["médiathèque de Boën"]\n', encoding="utf-8"
    )
    assert load_lists(bus_dir).activities == ("lecture à voix haute",)  # nothing published yet
    hq_lists = MediatorLists(activities=("conte numérique", "atelier tablette"), mediators=("Inès",), durations=(45,))
    publish.publish_lists(hq, hq_lists, NOW)
    pull(hq, bus)
    lists = load_lists(bus_dir)
    assert lists.activities == ("conte numérique", "atelier tablette")
    assert lists.mediators == ("Inès",) and lists.durations == (45,)
    assert lists.partners == DEFAULT_PARTNERS and lists.problems == ()
    # A withdrawn list: config.toml applies again.
    publish.remove(hq, "list", "partners", NOW)
    pull(hq, bus)
    assert load_lists(bus_dir).partners == ("médiathèque de Boën",)
    # An empty published list (except mediators) is reported and config.toml is used.
    publish.publish_lists(hq, replace(hq_lists, activities=(), mediators=()), NOW)
    pull(hq, bus)
    lists = load_lists(bus_dir)
    assert lists.activities == ("lecture à voix haute",) and lists.mediators == ()
    assert any("headquarters' list activities is empty" in p for p in lists.problems)


def test_load_lists_never_creates_a_catalogue(tmp_path):
    lists = load_lists(tmp_path)
    assert lists == MediatorLists() and not (tmp_path / store.CATALOGUE_FILE).exists()
    assert load_lists(tmp_path, published={"durations": [15, 15, 30]}).durations == (15, 30)
    bad = load_lists(tmp_path, published={"publics": "tous", "durations": [0]})
    assert bad == MediatorLists() and len(bad.problems) == 2


def test_a_catalogue_that_cannot_be_read_leaves_config_toml(tmp_path):
    (tmp_path / store.CATALOGUE_FILE).write_bytes(b"this is not a database" * 100)
    lists = load_lists(tmp_path)
    assert lists == MediatorLists()
    assert any("headquarters' lists cannot be read" in p for p in lists.problems)


# --------------------------------------------------------------------------- schedule items


def test_passage_and_workshop_from_dict_invert_to_dict():
    passages, _ = schedule.read_passages(schedule.demo_dir() / schedule.PASSAGES_FILE)
    workshops, _ = schedule.read_workshops(schedule.demo_dir() / schedule.WORKSHOPS_FILE)
    assert [Passage.from_dict(p.to_dict()) for p in passages] == passages
    assert [Workshop.from_dict(w.to_dict()) for w in workshops] == workshops
    assert Passage.from_dict({**PASSAGE.to_dict(), "newer_field": 1}) == PASSAGE
    for bad, message in [
        ({**PASSAGE.to_dict(), "demo": "oui"}, "bad demo"),
        ({**PASSAGE.to_dict(), "commune": " "}, "missing commune"),
        ({**PASSAGE.to_dict(), "notes": None}, "notes must be text"),
        ({k: v for k, v in PASSAGE.to_dict().items() if k != "start"}, "missing start"),
        ("P1", "must be a JSON object"),
    ]:
        with pytest.raises(ScheduleError, match=message):
            Passage.from_dict(bad)
    with pytest.raises(ScheduleError, match="missing title"):
        Workshop.from_dict({**WORKSHOP.to_dict(), "title": ""})


def test_single_schedule_changes_join_a_transaction(bus):
    assert schedule.put_passage(bus, PASSAGE) and not schedule.put_passage(bus, PASSAGE)
    assert schedule.put_workshop(bus, WORKSHOP) and schedule.put_workshop(bus, replace(WORKSHOP, seats=None))
    with pytest.raises(ScheduleError, match="ends before it starts"):
        schedule.put_passage(bus, replace(PASSAGE, id="P2", end=time(8)))
    bus.execute("BEGIN IMMEDIATE")
    assert schedule.delete_passage(bus, "P1") and schedule.delete_workshop(bus, "W1")
    bus.execute("ROLLBACK")
    assert schedule.upcoming_passages(bus, date.min) == [PASSAGE]
    assert schedule.delete_passage(bus, "P1") and not schedule.delete_passage(bus, "P1")
    assert schedule.delete_workshop(bus, "W1") and schedule.upcoming_workshops(bus, date.min) == []


# --------------------------------------------------------------------------- random sequences

TITLES = ("Les Misérables", "Frankenstein", "La Marmotte", "Contes du Forez", "Le Petit Prince", "Carnets")
LOCATIONS = ("NUMERIBUS", "MDL", "BUS2", " numeribus ")
record_row = st.tuples(
    st.sampled_from(("R1", "R2", "R3", "R4", "R5", "R6")),
    st.sampled_from(TITLES),
    st.lists(st.sampled_from(LOCATIONS), max_size=2),
)
steps = st.one_of(
    st.tuples(st.just("catalogue"), st.lists(record_row, min_size=1, max_size=6)),
    st.tuples(st.just("passage"), st.sampled_from(("P1", "P2", "P3")), st.integers(1, 20)),
    st.tuples(st.just("drop passage"), st.sampled_from(("P1", "P2", "P3"))),
    st.tuples(st.just("lists"), st.lists(st.sampled_from(("conte", "tablette", "jeux")), max_size=3)),
    st.tuples(st.just("device"), st.lists(st.sampled_from(("NUMERIBUS", "MDL", "BUS2")), max_size=2)),
    st.tuples(st.just("pull"), st.integers(1, 4)),
    st.tuples(st.just("snapshot")),
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=10))
def test_random_headquarters_edits_end_with_the_bus_equal_to_headquarters(sequence):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        hq = open_hq_db(root / "hq")
        bus = store.open_catalogue_db(root / "bus")
        try:
            import_rows(hq, root / "csv", ROWS)
            entities, version = snapshot_entities(hq)  # the first sync
            changes.apply_snapshot(bus, entities, version)
            locations: tuple[str, ...] = ("NUMERIBUS",)  # config.toml's, until headquarters sends some
            for n, step in enumerate(sequence):
                if step[0] == "catalogue":
                    rows = [
                        (i, t, "", 2000, "; ".join(f"{loc}|{i}{k}|X" for k, loc in enumerate(c))) for i, t, c in step[1]
                    ]
                    import_rows(hq, root / "csv", rows, name=f"c{n}.csv")
                elif step[0] == "passage":
                    hq_schedule.put_passage(hq, replace(PASSAGE, id=step[1], date=date(2026, 4, step[2])), NOW)
                elif step[0] == "drop passage":
                    hq_schedule.delete_passage(hq, step[1], NOW)
                elif step[0] == "lists":
                    publish.publish_lists(hq, MediatorLists(activities=tuple(step[1]) or ("autre",)), NOW)
                elif step[0] == "device":
                    dev = device(locations=step[1])
                    publish.publish_device_config(hq, dev, NOW)
                    locations = tuple(step[1])
                elif step[0] == "pull":
                    pull(hq, bus, limit=step[1])
                else:  # headquarters asks for the snapshot (the bus was too far behind)
                    entities, version = snapshot_entities(hq)
                    changes.apply_snapshot(bus, entities, version)
            pull(hq, bus, limit=3)
            assert_bus_equals_hq(hq, bus, locations=locations)
        finally:
            bus.close()
            hq.close()
