"""`numeribus-sync bundle export|import`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync import protocol
from sync.server import bundles, devices
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.bus_journal import BusJournal
from tests.sync.commands.cli_runner import run
from tests.sync.signing import enrol_device

CSV = "id;title;year\nC1;Le Petit Nicolas;2013\nC2;Les fourmis;1991\n"


@pytest.fixture
def bus(tmp_path, hq_dir):
    """A real kiosk journal enrolled as "Bus 1" at the headquarters of `hq_dir`."""
    journal = BusJournal(tmp_path / "bus")
    journal.key = protocol.generate_key()
    hq = HQ(hq_dir)
    try:
        with TestClient(create_app(hq)) as client:
            enrol_device(client, hq, "Bus 1", device_id=journal.device_id, key=journal.key)
    finally:
        hq.close()
    try:
        yield journal
    finally:
        journal.close()


def to_hq(root: Path, journal: BusJournal, events: list[dict], key=None) -> Path:
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode()
    first, last = events[0]["seq"], events[-1]["seq"]
    manifest = {
        "direction": "to-hq",
        "device_id": journal.device_id,
        "first_seq": first,
        "last_seq": last,
        "catalogue_version": 0,
        "created_at": "2026-11-26T16:00:00+00:00",
    }
    path = bundles.stick_folder(root, "to-hq") / f"{journal.device_id}-{first}-{last}.nbundle"
    return protocol.write_bundle(path, key or journal.key, manifest, {"events.jsonl.gz": gzip.compress(lines)})


def test_export_writes_a_signed_bundle_for_the_bus(hq_dir, tmp_path, bus, capsys):
    catalogue = tmp_path / "export.csv"
    catalogue.write_text(CSV, encoding="utf-8")
    run(hq_dir, capsys, "catalogue", "import", str(catalogue))
    status, out, _ = run(
        hq_dir, capsys, "bundle", "export", "--device", "Bus 1", "--out", str(tmp_path / "stick"), "--json"
    )
    assert status == 0
    data = json.loads(out)
    path = Path(data["path"])
    assert path.parent == tmp_path / "stick" / "numeribus" / "to-bus"
    assert path.name == f"{bus.device_id}-{data['to_version']}.nbundle"
    hq = HQ(hq_dir)
    try:
        bundle = protocol.read_bundle(path, protocol.load_public(hq.public_key))
    finally:
        hq.close()
    assert bundle.manifest["device_id"] == bus.device_id and data["snapshot_version"] is not None
    status, out, _ = run(hq_dir, capsys, "bundle", "export", "--device", "Bus 1", "--out", str(tmp_path / "s2"))
    assert status == 0 and out.startswith("Wrote ")


def test_export_for_an_unknown_bus_is_one_sentence(hq_dir, tmp_path, capsys):
    status, _, err = run(hq_dir, capsys, "bundle", "export", "--device", "Bus 9", "--out", str(tmp_path))
    assert status == 1 and err.startswith("numeribus-sync: There is no device named 'Bus 9'")


def test_import_twice_changes_nothing(hq_dir, tmp_path, bus, capsys):
    bus.add_session()
    bus.add_request()
    stick = tmp_path / "stick"
    to_hq(stick, bus, bus.pending())
    status, out, _ = run(hq_dir, capsys, "bundle", "import", str(stick), "--json")
    assert status == 0
    data = json.loads(out)
    assert (data["imported"], data["refused"]) == (1, 0)
    assert data["bundles"][0]["stored"] == 2 and data["bundles"][0]["acknowledged"] == 2
    status, out, _ = run(hq_dir, capsys, "bundle", "import", str(stick))
    assert status == 0
    assert "2 event(s), 0 stored, 2 already held" in out
    assert "Zoé Martin" not in out
    hq = HQ(hq_dir)
    try:
        assert devices.get_device(hq.db(), bus.device_id).acknowledged == 2
        assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 2
    finally:
        hq.close()


def test_a_refused_bundle_exits_1_with_its_reason(hq_dir, tmp_path, bus, capsys):
    bus.add_session()
    path = to_hq(tmp_path / "stick", bus, bus.pending(), key=protocol.generate_key())
    status, out, _ = run(hq_dir, capsys, "bundle", "import", str(path))
    assert status == 1
    assert f"Refused {path}" in out and "signature does not verify" in out
    status, out, _ = run(hq_dir, capsys, "bundle", "import", str(path), "--json")
    assert status == 1 and json.loads(out)["refused"] == 1


def test_import_from_a_folder_without_bundles(hq_dir, tmp_path, capsys):
    status, _, err = run(hq_dir, capsys, "bundle", "import", str(tmp_path))
    assert status == 1 and "No bundle in" in err
