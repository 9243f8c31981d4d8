"""USB bundles on the bus (sync.agent.bundles, `numeribus-kiosk bundle export|import`).

The bundles for the bus are written by headquarters' real code (sync.server.bundles.export_bundle),
the bus's bundles are read by headquarters' real import (sync.server.bundles.import_bundle); the
bus is registered at headquarters with its own key.  A refused bundle must leave catalogue.db and
journal.db exactly as they were: `bus_state` reads every row of both.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import sqlite3
import tarfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from numeribus_kiosk.catalogue import changes, index, schema
from numeribus_kiosk.catalogue import schedule as schedule_store
from numeribus_kiosk.catalogue.schedule import demo_dir
from numeribus_kiosk.cli import main
from numeribus_kiosk.journal import outbox
from numeribus_kiosk.store import open_catalogue_db
from sync import protocol
from sync.agent import bundles, identity
from sync.agent.enrol import enrol
from sync.server import bundles as hq_bundles
from sync.server import catalogue as hq_catalogue
from sync.server import devices, publish, schedule
from tests.sync.bus_journal import BusJournal
from tests.sync.signing import enrol_device

HEADER = "id,title,authors,publisher,year,language,subjects,type,items\n"


def catalogue_csv(folder: Path, titles: dict[int, str] | None = None, count: int = 30) -> Path:
    """A small library catalogue; `titles` changes some titles (a new version of the same records)."""
    titles = titles or {}
    rows = [
        f"LOI{i:04d},{titles.get(i, f'Titre n° {i}')},Auteur {i % 7},Éditions de la Loire,{1990 + i % 30},fre,"
        f'"Forez; Pilat",book,"{"NUMERIBUS" if i % 3 == 0 else "MONTBRISON"}|B{i:06d}|R {i % 5}"'
        for i in range(1, count + 1)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"catalogue-{len(list(folder.iterdir()))}.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def publish_catalogue(hq, folder: Path, **kwargs) -> int:
    report = hq_catalogue.import_catalogue(hq.db(), [catalogue_csv(folder, **kwargs)], hq.now())
    return report.version


@pytest.fixture
def published(hq, tmp_path):
    publish_catalogue(hq, tmp_path / "csv")
    schedule.import_schedule(hq.db(), demo_dir() / "agenda.csv", hq.now())
    publish.refresh_configuration(hq)
    return hq


class Bus:
    """A bus's data directory: a real journal, enrolled at headquarters with the bus's own key."""

    def __init__(self, data_dir: Path, client, hq, name: str = "Bus 1") -> None:
        self.data_dir = data_dir
        self.journal = BusJournal(data_dir)
        self.device_id = self.journal.device_id
        self.name = name
        key = protocol.generate_key()
        enrol_device(client, hq, name, device_id=self.device_id, key=key)
        identity.save_identity(
            data_dir,
            key,
            hq.public_key,
            hq_url="http://127.0.0.1:8470",
            device_id=self.device_id,
            name=name,
            enrolled_at=datetime.now(UTC),
        )
        self.key = key

    def close(self) -> None:
        self.journal.close()

    def version(self) -> int:
        db = open_catalogue_db(self.data_dir)
        try:
            return changes.sync_version(db)
        finally:
            db.close()


@pytest.fixture
def bus(tmp_path, client, hq):
    journal = Bus(tmp_path / "bus", client, hq)
    yield journal
    journal.close()


def folder(path: Path) -> Path:
    """A folder that exists (a mounted stick)."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_bus(hq, out: Path, name: str = "Bus 1") -> Path:
    """Headquarters' real bundle for bus `name`, written under `out`."""
    return hq_bundles.export_bundle(hq, name, out).path


def table_rows(path: Path) -> dict[str, list]:
    """Every row of every table of an SQLite file (the virtual tables through their shadow tables)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"'))) for name in names}
    finally:
        conn.close()


def bus_state(data_dir: Path) -> tuple:
    """Everything an import or an export could change on the bus."""
    return table_rows(data_dir / "catalogue.db"), table_rows(data_dir / "journal.db")


def _without_on_board(data: dict) -> dict:
    """A record's data without its copies' on_board flags (each bus sets them from its locations)."""
    return {**data, "copies": [{k: v for k, v in copy.items() if k != "on_board"} for copy in data["copies"]]}


def hq_state(hq, device_id: str) -> dict:
    """What headquarters publishes for this bus: {(kind, key): data}."""
    state = {(c.kind, c.key): c.data for c in publish.live_entities(hq.db(), device_id)}
    return {k: _without_on_board(v) if k[0] == "record" else v for k, v in state.items()}


def bus_entities(data_dir: Path) -> dict:
    """What the bus holds, read back through the catalogue modules, as the same {(kind, key): data};
    also checks that the copies on board are those at the bus's locations."""
    db = open_catalogue_db(data_dir)
    try:
        locations = {location.upper() for location in changes.effective_bus_locations(db)}
        state = {}
        for row in db.conn.execute(f"SELECT {', '.join(schema.RECORD_COLUMNS)} FROM [{schema.RECORDS}]"):
            data = json.loads(json.dumps(index.row_to_record(row).to_dict()))  # tuples as lists, as on the wire
            for copy in data["copies"]:
                assert copy["on_board"] == (copy["location"].upper() in locations)
            state[("record", data["id"])] = _without_on_board(data)
        for passage in schedule_store.upcoming_passages(db, date.min):
            state[("passage", passage.id)] = passage.to_dict()
        for workshop in schedule_store.upcoming_workshops(db, date.min):
            state[("workshop", workshop.id)] = workshop.to_dict()
        for name, items in changes.published_lists(db).items():
            state[("list", name)] = {"items": items}
        config = changes.published_device_config(db)
        if config is not None:
            state[("device", "config")] = config
        return state
    finally:
        db.close()


def resign(path: Path, key, change_manifest=None, change_files=None) -> Path:
    """Write the bundle at `path` again, signed with `key`, after changing its manifest or files."""
    bundle = protocol.read_bundle_manifest(path)
    members = {}
    with tarfile.open(path) as tar:
        for info in tar:
            members[info.name] = tar.extractfile(info).read()
    files = {entry["name"]: members[entry["name"]] for entry in bundle["files"]}
    manifest = {k: v for k, v in bundle.items() if k not in ("files", "format", "signer_key_id")}
    if change_manifest:
        manifest = change_manifest(manifest)
    if change_files:
        files = change_files(files)
    return protocol.write_bundle(path, key, manifest, files)


def rewrite_member(path: Path, name: str, change) -> Path:
    """Change one tar member's bytes in place, without a new signature (tampering)."""
    members = []
    with tarfile.open(path) as tar:
        for info in tar:
            members.append((info.name, tar.extractfile(info).read()))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            if member == name or (name.endswith("*") and member.startswith(name[:-1])):
                data = change(data)
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())
    return path


def flip_bit(data: bytes, position: float = 0.5) -> bytes:
    index = int(len(data) * position)
    return data[:index] + bytes([data[index] ^ 0x10]) + data[index + 1 :]


def events_in(path: Path, key) -> list[dict]:
    bundle = protocol.read_bundle(path, key)
    return [json.loads(line) for line in gzip.decompress(bundle.files["events.jsonl.gz"]).splitlines()]


def with_events(bus: Bus) -> list[dict]:
    bus.journal.add_session()
    bus.journal.add_request()
    bus.journal.add_feedback()
    bus.journal.add_offer()
    bus.journal.add_session(participants=3, participants_by_age={"60-79": 3})
    return bus.journal.pending()


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- to headquarters


def test_export_writes_the_pending_events_signed_by_the_bus(tmp_path, published, bus, hq):
    pending = with_events(bus)
    result = bundles.export_bundle(bus.data_dir, folder(tmp_path / "stick"))
    assert result.path == tmp_path / "stick" / "numeribus" / "to-hq" / f"{bus.device_id}-1-5.nbundle"
    assert (result.events, result.first_seq, result.last_seq) == (5, 1, 5)
    assert result.size == result.path.stat().st_size
    bundle = protocol.read_bundle(result.path, bus.key.public_key())
    manifest = bundle.manifest
    assert manifest["direction"] == "to-hq" and manifest["device_id"] == bus.device_id
    assert (manifest["first_seq"], manifest["last_seq"]) == (1, 5)
    assert manifest["catalogue_version"] == bus.version() == 0
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert events_in(result.path, bus.key.public_key()) == pending
    assert not list(result.path.parent.glob("*.part"))
    # nothing is marked sent: the stick may be lost
    assert bus.journal.pending() == pending

    imported = hq_bundles.import_bundle(hq, result.path)
    assert imported.counts["stored"] == 5 and imported.acknowledged == 5
    again = hq_bundles.import_bundle(hq, result.path)
    assert again.counts["duplicate"] == 5 and again.counts["stored"] == 0


def test_export_takes_only_what_headquarters_has_not_acknowledged(tmp_path, bus):
    with_events(bus)
    outbox.acknowledge(bus.journal.db, 3)
    result = bundles.export_bundle(bus.data_dir, folder(tmp_path / "stick"))
    assert result.path.name == f"{bus.device_id}-4-5.nbundle"
    assert [e["seq"] for e in events_in(result.path, bus.key.public_key())] == [4, 5]


def test_many_events_go_in_one_bundle_in_sequence_order(tmp_path, bus):
    for minute in range(150):
        bus.journal.add_feedback(score=1 + minute % 5)
    result = bundles.export_bundle(bus.data_dir, folder(tmp_path / "stick"))
    assert [e["seq"] for e in events_in(result.path, bus.key.public_key())] == list(range(1, 151))


def test_nothing_pending_writes_nothing(tmp_path, bus, capsys):
    stick = tmp_path / "stick"
    stick.mkdir()
    result = bundles.export_bundle(bus.data_dir, folder(stick))
    assert result.path is None and result.events == 0
    assert not any(stick.rglob("*"))
    code, out, err = run("--data-dir", str(bus.data_dir), "bundle", "export", str(stick), capsys=capsys)
    assert code == 0 and "No event is waiting" in out and not err
    code, out, _ = run("--data-dir", str(bus.data_dir), "bundle", "export", str(stick), "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["path"] is None


def test_export_needs_an_enrolled_bus_and_an_existing_folder(tmp_path, bus, capsys):
    with_events(bus)
    code, _, err = run("--data-dir", str(tmp_path / "other"), "bundle", "export", str(tmp_path), capsys=capsys)
    assert code == 1 and "not enrolled" in err and "Traceback" not in err
    missing = tmp_path / "no-stick"
    code, _, err = run("--data-dir", str(bus.data_dir), "bundle", "export", str(missing), capsys=capsys)
    assert code == 1 and "is not a folder" in err and not missing.exists()
    assert err.count("\n") == 1
    for data_dir, where, reason in (
        (tmp_path / "other", tmp_path, "not_enrolled"),
        (bus.data_dir, missing, "write_failed"),
    ):
        with pytest.raises(bundles.BundleError) as caught:
            bundles.export_bundle(data_dir, where)
        assert caught.value.reason == reason


def test_a_stick_that_cannot_be_written_is_one_sentence_and_leaves_nothing(tmp_path, bus, capsys):
    with_events(bus)
    stick = folder(tmp_path / "stick")
    (stick / "numeribus").write_text("a file where the folder should be")
    assert bus.version() == 0  # catalogue.db exists
    before = bus_state(bus.data_dir)
    code, out, err = run("--data-dir", str(bus.data_dir), "bundle", "export", str(stick), capsys=capsys)
    assert code == 1 and not out and err.startswith("numeribus-kiosk: Cannot write ") and err.count("\n") == 1
    assert sorted(p.name for p in stick.iterdir()) == ["numeribus"]
    assert bus_state(bus.data_dir) == before
    with pytest.raises(bundles.BundleError, match="Cannot write .*: Not a directory") as caught:
        bundles.export_bundle(bus.data_dir, stick)
    assert caught.value.reason == "write_failed"  # the OSError's own words are in the message


def test_export_refuses_a_journal_of_another_device(tmp_path, bus, capsys):
    with_events(bus)
    bus.journal.close()
    for name in ("journal.db", "journal.db-wal", "journal.db-shm"):
        (bus.data_dir / name).unlink(missing_ok=True)
    bus.journal = BusJournal(bus.data_dir)  # a new journal: a new device id
    bus.journal.add_session()
    code, _, err = run("--data-dir", str(bus.data_dir), "bundle", "export", str(tmp_path), capsys=capsys)
    assert code == 1 and "enrol the bus again" in err
    with pytest.raises(bundles.BundleError, match="enrol the bus again") as caught:
        bundles.export_bundle(bus.data_dir, tmp_path)
    assert caught.value.reason == "not_enrolled"


# --------------------------------------------------------------------------- from headquarters


def report_version(bus: Bus, hq, stick: Path) -> None:
    """The bus tells headquarters which version it holds, the stick way (its events carry it)."""
    bus.journal.add_feedback()
    exported = bundles.export_bundle(bus.data_dir, folder(stick))
    hq_bundles.import_bundle(hq, exported.path)
    assert devices.get_device(hq.db(), bus.device_id).catalogue_version == bus.version()


def test_a_new_bus_gets_the_whole_catalogue_from_a_snapshot(tmp_path, published, bus, hq):
    stick = tmp_path / "stick"
    written = to_bus(hq, stick)
    assert written.name == f"{bus.device_id}-{publish.current_version(hq.db())}.nbundle"
    result = bundles.import_bundle(bus.data_dir, stick)
    assert result.status == "applied" and result.file == str(written)
    assert result.previous_version == 0 and result.from_version == 0
    assert result.snapshot_version is not None and result.snapshot_entities > 30
    assert result.version == result.to_version == bus.version() == publish.current_version(hq.db())
    assert result.acknowledged == 0 and result.events_acknowledged == 0  # headquarters holds none yet
    assert bus_entities(bus.data_dir) == hq_state(hq, bus.device_id)


def test_then_only_the_changes_come(tmp_path, published, bus, hq):
    bundles.import_bundle(bus.data_dir, to_bus(hq, tmp_path / "stick-1"))
    report_version(bus, hq, tmp_path / "stick-1")
    held = bus.version()
    publish_catalogue(hq, tmp_path / "csv", titles={3: "Les Misérables", 7: "Le Horla"}, count=29)
    delta = to_bus(hq, tmp_path / "stick-2")
    assert "snapshot" not in protocol.read_bundle_manifest(delta)
    result = bundles.import_bundle(bus.data_dir, delta)
    assert result.status == "applied" and result.snapshot_version is None
    assert result.from_version == result.previous_version == held
    assert result.changes == 3  # two titles changed, one record removed
    assert bus_entities(bus.data_dir) == hq_state(hq, bus.device_id)
    assert ("record", "LOI0030") not in bus_entities(bus.data_dir)


def test_the_same_bundle_twice_is_harmless(tmp_path, published, bus, hq, capsys):
    path = to_bus(hq, tmp_path / "stick")
    bundles.import_bundle(bus.data_dir, path)
    before = bus_state(bus.data_dir)
    again = bundles.import_bundle(bus.data_dir, path)
    assert again.status == "already_applied" and again.version == again.previous_version
    assert bus_state(bus.data_dir) == before
    code, out, err = run("--data-dir", str(bus.data_dir), "bundle", "import", str(path), capsys=capsys)
    assert code == 0 and "already applied" in out and not err
    assert bus_state(bus.data_dir) == before


def test_an_older_bundle_after_a_newer_one_is_refused_and_harmless(tmp_path, published, bus, hq, capsys):
    older = to_bus(hq, tmp_path / "stick-1")
    publish_catalogue(hq, tmp_path / "csv", titles={1: "Germinal"})
    newer = to_bus(hq, tmp_path / "stick-2")
    bundles.import_bundle(bus.data_dir, newer)
    before = bus_state(bus.data_dir)
    with pytest.raises(bundles.BundleError, match="older than what the bus holds") as caught:
        bundles.import_bundle(bus.data_dir, older)
    assert caught.value.reason == "older"
    code, _, err = run("--data-dir", str(bus.data_dir), "bundle", "import", str(older), capsys=capsys)
    assert code == 1 and "older than what the bus holds" in err and err.count("\n") == 1
    assert bus_state(bus.data_dir) == before
    assert bus_entities(bus.data_dir)[("record", "LOI0001")]["title"] == "Germinal"


def test_a_stick_with_several_bundles_gives_the_newest_for_this_bus(tmp_path, published, bus, hq, client):
    stick = tmp_path / "stick"
    to_bus(hq, stick)
    publish_catalogue(hq, tmp_path / "csv", titles={2: "Nana"})
    newest = to_bus(hq, stick)
    other = Bus(tmp_path / "bus-2", client, hq, "Bus 2")
    try:
        to_bus(hq, stick, "Bus 2")
        (stick / "numeribus" / "to-bus" / "notes.txt").write_text("not a bundle")
        assert bundles.find_bundle(stick, bus.device_id) == newest
        assert bundles.find_bundle(newest, bus.device_id) == newest
        with pytest.raises(bundles.BundleError, match="No bundle for this bus.*other buses") as caught:
            bundles.find_bundle(stick, "another-device")
        assert caught.value.reason == "no_bundle"
    finally:
        other.close()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(bundles.BundleError, match="No bundle for this bus") as caught:
        bundles.find_bundle(empty, bus.device_id)
    assert caught.value.reason == "no_bundle"
    with pytest.raises(bundles.BundleError, match="does not exist") as caught:
        bundles.import_bundle(bus.data_dir, tmp_path / "nowhere")
    assert caught.value.reason == "no_bundle"


def test_import_needs_an_enrolled_bus(tmp_path, published, hq, bus, capsys):
    path = to_bus(hq, tmp_path / "stick")
    with pytest.raises(bundles.BundleError, match="not enrolled") as caught:
        bundles.import_bundle(tmp_path / "not-enrolled", path)
    assert caught.value.reason == "not_enrolled"
    code, _, err = run("--data-dir", str(tmp_path / "not-enrolled"), "bundle", "import", str(path), capsys=capsys)
    assert code == 1 and "not enrolled" in err and "Traceback" not in err


# --------------------------------------------------------------------------- hostile bundles


class Scene:
    """A bus that applied a first bundle; headquarters published more since (a second catalogue)."""

    def __init__(self, tmp_path: Path, hq, bus: Bus, client) -> None:
        self.tmp_path, self.hq, self.bus, self.client = tmp_path, hq, bus, client
        bundles.import_bundle(bus.data_dir, to_bus(hq, tmp_path / "first"))
        publish_catalogue(hq, tmp_path / "csv", titles={5: "Bel-Ami"})

    def snapshot_bundle(self) -> Path:
        """The next bundle: headquarters does not know the bus's version yet, so with a snapshot."""
        path = to_bus(self.hq, self.tmp_path / "stick")
        assert "snapshot" in protocol.read_bundle_manifest(path)
        return path

    def delta_bundle(self) -> Path:
        report_version(self.bus, self.hq, self.tmp_path / "report")
        publish_catalogue(self.hq, self.tmp_path / "csv", titles={5: "Bel-Ami", 6: "Une vie"})
        path = to_bus(self.hq, self.tmp_path / "stick")
        assert "snapshot" not in protocol.read_bundle_manifest(path)
        return path


def truncated(scene: Scene) -> Path:
    """Cut in the middle of its biggest member (a tar file is padded: half of its size may be padding)."""
    path = scene.snapshot_bundle()
    with tarfile.open(path) as tar:
        biggest = max(tar.getmembers(), key=lambda info: info.size)
    path.write_bytes(path.read_bytes()[: biggest.offset_data + biggest.size // 2])
    return path


def cut_in_its_manifest(scene: Scene) -> Path:
    path = scene.snapshot_bundle()
    path.write_bytes(path.read_bytes()[:700])
    return path


def bit_flipped_in_the_manifest(scene: Scene) -> Path:
    return rewrite_member(scene.delta_bundle(), "manifest.json", lambda data: flip_bit(data, 0.3))


def to_version_raised(scene: Scene) -> Path:
    def change(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["to_version"] += 1000
        return protocol.canonical_json(manifest)

    return rewrite_member(scene.delta_bundle(), "manifest.json", change)


def bit_flipped_in_the_changes(scene: Scene) -> Path:
    return rewrite_member(scene.delta_bundle(), "changes.jsonl.gz", flip_bit)


def bit_flipped_in_a_snapshot_chunk(scene: Scene) -> Path:
    return rewrite_member(scene.snapshot_bundle(), "snapshot/*", flip_bit)


def signed_by_another_key(scene: Scene) -> Path:
    return resign(scene.delta_bundle(), protocol.generate_key())


def chunk_not_the_one_of_the_snapshot(scene: Scene) -> Path:
    """Signed by headquarters' key, but a chunk differs from the signed snapshot manifest."""

    def change(files: dict) -> dict:
        name = next(n for n in files if n.startswith("snapshot/"))
        lines = gzip.decompress(files[name]).replace(b"Titre n", b"Titre N")
        return {**files, name: gzip.compress(lines, mtime=0)}

    return resign(scene.snapshot_bundle(), scene.hq.key, change_files=change)


def snapshot_signed_by_another_key(scene: Scene) -> Path:
    def change(manifest: dict) -> dict:
        snapshot = manifest["snapshot"]
        snapshot["signature"] = protocol.sign_document(protocol.generate_key(), "snapshot", snapshot["manifest"])
        return manifest

    return resign(scene.snapshot_bundle(), scene.hq.key, change_manifest=change)


def changes_miscounted(scene: Scene) -> Path:
    return resign(scene.delta_bundle(), scene.hq.key, change_manifest=lambda m: {**m, "changes": m["changes"] + 1})


def another_bus_s(scene: Scene) -> Path:
    other = Bus(scene.tmp_path / "bus-2", scene.client, scene.hq, "Bus 2")
    other.close()
    return to_bus(scene.hq, scene.tmp_path / "stick", "Bus 2")


def the_bus_s_own_bundle_for_headquarters(scene: Scene) -> Path:
    scene.bus.journal.add_session()
    return bundles.export_bundle(scene.bus.data_dir, folder(scene.tmp_path / "stick")).path


def starting_after_the_bus_s_version(scene: Scene) -> Path:
    """Headquarters believes the bus holds a version it does not hold (its catalogue was reset)."""
    path = scene.delta_bundle()
    scene.bus.journal.close()
    for name in ("catalogue.db", "catalogue.db-wal", "catalogue.db-shm"):
        (scene.bus.data_dir / name).unlink(missing_ok=True)
    open_catalogue_db(scene.bus.data_dir).close()
    scene.bus.journal = BusJournal(scene.bus.data_dir)
    return path


def not_a_bundle(scene: Scene) -> Path:
    path = scene.tmp_path / "stick" / "numeribus" / "to-bus" / f"{scene.bus.device_id}-999.nbundle"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 a zip file, not a bundle" * 40)
    return path


HOSTILE = [
    (truncated, "truncated|not a complete bundle", "damaged"),
    (cut_in_its_manifest, "truncated|not a complete bundle", "damaged"),
    (bit_flipped_in_the_manifest, "signature does not verify", "tampered"),
    (to_version_raised, "signature does not verify", "tampered"),
    (bit_flipped_in_the_changes, "does not match its signed hash", "tampered"),
    (bit_flipped_in_a_snapshot_chunk, "does not match its signed hash", "tampered"),
    (signed_by_another_key, "signature does not verify", "tampered"),
    (chunk_not_the_one_of_the_snapshot, "a chunk of its snapshot does not match its signed hash", "tampered"),
    (snapshot_signed_by_another_key, "snapshot's signature does not verify", "tampered"),
    (changes_miscounted, "number of changes", "damaged"),
    (another_bus_s, "made for another bus", "other_bus"),
    (the_bus_s_own_bundle_for_headquarters, "from a bus to headquarters", "other_bus"),
    (starting_after_the_bus_s_version, "after version .* but the bus holds version 0", "gap"),
    (not_a_bundle, "not a complete bundle", "damaged"),
]


@pytest.mark.parametrize(("spoil", "message", "reason"), HOSTILE, ids=[spoil.__name__ for spoil, _, _ in HOSTILE])
def test_a_hostile_bundle_is_refused_whole_and_changes_nothing(
    tmp_path, published, bus, hq, client, capsys, spoil, message, reason
):
    scene = Scene(tmp_path, hq, bus, client)
    path = spoil(scene)
    before = bus_state(bus.data_dir)
    with pytest.raises(bundles.BundleError, match=message) as caught:
        bundles.import_bundle(bus.data_dir, path)
    assert caught.value.reason == reason
    assert bus_state(bus.data_dir) == before
    code, out, err = run("--data-dir", str(bus.data_dir), "bundle", "import", str(path), "--json", capsys=capsys)
    assert code == 1 and not out
    assert err.startswith("numeribus-kiosk: ") and err.count("\n") == 1 and "Traceback" not in err
    assert bus_state(bus.data_dir) == before


# --------------------------------------------------------------------------- acknowledgements


def acknowledging(path: Path, hq, acknowledged: int) -> Path:
    """Headquarters' bundle carrying the seq up to which it holds the bus's events."""
    return resign(path, hq.key, change_manifest=lambda m: {**m, "acknowledged": acknowledged})


def test_an_acknowledgement_marks_the_events_sent_and_deletes_personal_data(tmp_path, published, bus, hq):
    with_events(bus)
    exported = bundles.export_bundle(bus.data_dir, folder(tmp_path / "stick"))
    held = hq_bundles.import_bundle(hq, exported.path).acknowledged
    assert held == 5
    bus.journal.add_session()  # recorded after the stick left: not acknowledged
    path = acknowledging(to_bus(hq, tmp_path / "stick"), hq, held)
    result = bundles.import_bundle(bus.data_dir, path)
    assert result.status == "applied" and result.acknowledged == 5
    assert result.events_acknowledged == 5 and result.personal_data_purged == 2
    assert [e["seq"] for e in bus.journal.pending()] == [6]
    everything = json.dumps(bus.journal.all_events(), ensure_ascii=False)
    assert "Zoé Martin" not in everything and "jean@example.org" not in everything
    row = bus.journal.db.execute("SELECT name, contact, personal_data_deleted FROM requests").fetchone()
    assert row == ("", "", 1)

    # the same bundle again: already applied, and the acknowledgement changes nothing more
    again = bundles.import_bundle(bus.data_dir, path)
    assert again.status == "already_applied" and again.events_acknowledged == 0
    assert [e["seq"] for e in bus.journal.pending()] == [6]


def test_an_acknowledgement_is_taken_from_a_bundle_already_applied(tmp_path, published, bus, hq):
    with_events(bus)
    path = to_bus(hq, tmp_path / "stick")
    bundles.import_bundle(bus.data_dir, path)
    hq_bundles.import_bundle(hq, bundles.export_bundle(bus.data_dir, folder(tmp_path / "stick")).path)
    again = acknowledging(to_bus(hq, tmp_path / "stick-2"), hq, 5)
    assert protocol.read_bundle_manifest(again)["to_version"] == bus.version()
    result = bundles.import_bundle(bus.data_dir, again)
    assert result.status == "already_applied" and result.events_acknowledged == 5
    assert bus.journal.pending() == []


def test_personal_data_never_reaches_the_logs(tmp_path, published, bus, hq, caplog):
    caplog.set_level(logging.DEBUG)
    with_events(bus)
    exported = bundles.export_bundle(bus.data_dir, folder(tmp_path / "stick"))
    hq_bundles.import_bundle(hq, exported.path)
    bundles.import_bundle(bus.data_dir, acknowledging(to_bus(hq, tmp_path / "stick"), hq, 5))
    assert caplog.records
    for secret in ("Zoé Martin", "06 12 34 56 78", "Jean Dupont", "jean@example.org"):
        assert secret not in caplog.text


# --------------------------------------------------------------------------- the real commands


def test_the_round_trip_with_the_real_commands(tmp_path, published, live_hq, hq, kiosk):
    bus_dir = tmp_path / "bus"
    journal = BusJournal(bus_dir)
    try:
        journal.add_session()
        journal.add_request()
        journal.add_feedback()
    finally:
        journal.close()
    code, _ = devices.add_device_code(hq.db(), "Bus Forez", hq.now(), 24)
    enrolled = enrol(bus_dir, live_hq.url, code)
    stick = tmp_path / "stick"
    stick.mkdir()

    # the bus writes its events to the stick; headquarters imports them (twice: stored once)
    done = kiosk("bundle", "export", str(stick), "--json", data_dir=bus_dir)
    assert done.returncode == 0, done.stderr
    exported = json.loads(done.stdout)
    assert (exported["events"], exported["first_seq"], exported["last_seq"]) == (3, 1, 3)
    assert exported["catalogue_version"] == 0
    imported = hq_bundles.import_bundles(hq, [stick])
    assert [(r.status, r.counts["stored"], r.acknowledged) for r in imported] == [("imported", 3, 3)]
    imported = hq_bundles.import_bundles(hq, [stick])
    assert [(r.counts["stored"], r.counts["duplicate"]) for r in imported] == [(0, 3)]
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 3

    # headquarters writes the catalogue for the bus; the bus applies it
    hq_bundles.export_bundle(hq, "Bus Forez", stick)
    done = kiosk("bundle", "import", str(stick), "--json", data_dir=bus_dir)
    assert done.returncode == 0, done.stderr
    applied = json.loads(done.stdout)
    assert applied["status"] == "applied" and applied["snapshot_version"] is not None
    assert applied["version"] == publish.current_version(hq.db())
    assert bus_entities(bus_dir) == hq_state(hq, enrolled.device_id)
    done = kiosk("bundle", "import", str(stick), data_dir=bus_dir)
    assert done.returncode == 0 and "already applied" in done.stdout

    # headquarters' bundle said it holds the 3 events: sent, and the visitor's name deleted on the bus
    journal = BusJournal(bus_dir)
    try:
        assert journal.pending() == []
        assert journal.db.execute("SELECT name, contact FROM requests").fetchone() == ("", "")
        journal.add_session()  # the next visit's session
    finally:
        journal.close()

    # next trip: the new event, with the catalogue version; a delta back
    done = kiosk("bundle", "export", str(stick), data_dir=bus_dir)
    assert done.returncode == 0 and "1 event(s)" in done.stdout, done.stderr
    hq_bundles.import_bundles(hq, [stick])
    assert devices.get_device(hq.db(), enrolled.device_id).catalogue_version == applied["version"]
    publish_catalogue(hq, tmp_path / "csv", titles={4: "Pot-Bouille"})
    hq_bundles.export_bundle(hq, "Bus Forez", stick)
    done = kiosk("bundle", "import", str(stick), data_dir=bus_dir)
    assert done.returncode == 0 and "1 change(s)" in done.stdout and "snapshot" not in done.stdout, done.stdout
    assert bus_entities(bus_dir) == hq_state(hq, enrolled.device_id)

    # a tampered bundle: one sentence, exit 1, nothing changed
    newest = bundles.find_bundle(stick, enrolled.device_id)
    rewrite_member(newest, "changes.jsonl.gz", flip_bit)
    before = bus_state(bus_dir)
    done = kiosk("bundle", "import", str(newest), data_dir=bus_dir)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "does not match its signed hash" in done.stderr and done.stderr.count("\n") == 1
    assert bus_state(bus_dir) == before


# --------------------------------------------------------------------------- reasons, storage, workers


def test_a_snapshot_bundle_applied_by_two_worker_processes(tmp_path, published, bus, hq, caplog):
    caplog.set_level(logging.INFO)
    result = bundles.import_bundle(bus.data_dir, to_bus(hq, tmp_path / "stick"), workers=2)
    assert result.status == "applied" and result.snapshot_version is not None
    assert bus_entities(bus.data_dir) == hq_state(hq, bus.device_id)


@pytest.mark.parametrize("database", ["catalogue.db", "journal.db"])
def test_a_damaged_database_is_a_storage_error_in_one_sentence(tmp_path, published, bus, hq, capsys, database):
    path = to_bus(hq, tmp_path / "stick")
    bus.journal.close()
    for name in (database, f"{database}-wal", f"{database}-shm"):
        (bus.data_dir / name).unlink(missing_ok=True)
    (bus.data_dir / database).write_bytes(b"not an SQLite database, a stick's photo" * 200)
    with pytest.raises(bundles.BundleError, match=database) as caught:
        bundles.import_bundle(bus.data_dir, path)
    assert caught.value.reason == "storage"
    with pytest.raises(bundles.BundleError, match=database) as caught:
        bundles.export_bundle(bus.data_dir, folder(tmp_path / "out"))
    assert caught.value.reason == "storage"
    code, out, err = run("--data-dir", str(bus.data_dir), "bundle", "import", str(path), capsys=capsys)
    assert code == 1 and not out and err.startswith("numeribus-kiosk: ") and err.count("\n") == 1


def test_every_reason_given_in_the_code_is_a_known_one():
    source = Path(bundles.__file__).read_text(encoding="utf-8")
    given = set(re.findall(r'reason="(\w+)"', source))
    assert given == set(bundles.BUNDLE_REASONS) - {"failed"}, given ^ set(bundles.BUNDLE_REASONS)
    assert len(set(bundles.BUNDLE_REASONS)) == len(bundles.BUNDLE_REASONS)
