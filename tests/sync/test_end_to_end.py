"""Issue 5's "done when", with the real programs: `numeribus-sync serve` in its own process on a
loopback port, the real `numeribus-sync` and `numeribus-kiosk` commands, and the bus's own files.

A catalogue is imported at headquarters; a bus is enrolled with a pairing code; the sessions its
journal recorded are uploaded, signed, twice (stored once); the catalogue comes down as a signed
snapshot (one chunk fetched in two ranges) equal, record by record, to what the kiosk's own
import of the same file gives; a changed record then comes down as exactly one change.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue.record import Record
from numeribus_kiosk.journal import outbox
from sync import protocol
from sync.agent.http import HQClient
from sync.agent.identity import load_identity
from tests.sync.commands.test_serve_command import start_serve, wait_for_health
from tests.sync.live import free_loopback_port

ROOT = Path(__file__).resolve().parents[2]

CATALOGUE_HEADER = "id,title,authors,publisher,year,language,subjects,type\n"


def catalogue_rows(changed_title: str = "Les Misérables") -> str:
    rows = [
        f"LOI{i:04d},Titre n° {i},Auteur {i % 7},Éditions de la Loire,{1990 + i % 30},fre,Forez; Pilat,book"
        for i in range(1, 60)
    ]
    rows.append(f"LOI0060,{changed_title},Victor Hugo,Hetzel,1862,fre,roman,book")
    return CATALOGUE_HEADER + "\n".join(rows) + "\n"


def sync_cli(hq_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMERIBUS_SYNC_")}
    return subprocess.run(
        [sys.executable, "-m", "sync.cli", "--data-dir", str(hq_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


SESSION = {
    "started_at": "2026-11-24T14:00:00+01:00",
    "duration_min": 90,
    "place": "Noirétable — EHPAD Les Tilleuls",
    "activity": "atelier tablette",
    "publics": ["seniors / EHPAD"],
    "participants": 9,
    "mediator": "Camille",
}


@pytest.fixture
def headquarters(tmp_path):
    port = free_loopback_port()
    process = start_serve(tmp_path, port, "--no-announce")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
        yield tmp_path / "hq", url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_a_bus_enrols_uploads_once_and_gets_the_catalogue(headquarters, tmp_path, kiosk):
    hq_dir, url = headquarters
    bus_dir = tmp_path / "bus"
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(catalogue_rows(), encoding="utf-8")

    # headquarters publishes the library's catalogue
    report = json.loads(ok(sync_cli(hq_dir, "catalogue", "import", str(catalogue), "--json")).stdout)
    assert report["added"] == 60
    assert json.loads(ok(sync_cli(hq_dir, "catalogue", "stats", "--json")).stdout)["records"] == 60

    # a bus is enrolled with a one-time pairing code
    added = json.loads(ok(sync_cli(hq_dir, "device", "add", "Bus Forez", "--json")).stdout)
    ok(kiosk("enrol", "--hq", url, "--code", added["code"], data_dir=bus_dir))
    again = kiosk("enrol", "--hq", url, "--code", added["code"], "--force", data_dir=bus_dir)
    assert again.returncode == 1 and "Traceback" not in again.stderr  # a code works once
    bus = load_identity(bus_dir)
    assert protocol.fingerprint(bus.hq_public_key) == added["key_fingerprint"]

    # the mediator logs two sessions on the bus; the outbox uploads them, twice
    for participants in (9, 4):
        session = dict(SESSION, participants=participants)
        ok(kiosk("journal", "add", "--json", "-", input=json.dumps(session), data_dir=bus_dir))
    journal = store.open_journal_db(bus_dir)
    try:
        pending = [dataclasses.asdict(e) for e in outbox.pending(journal)]
    finally:
        journal.conn.close()
    assert [e["seq"] for e in pending] == [1, 2]
    with HQClient(bus.hq_url, bus.key, bus.hq_public_key) as client:
        batch = {"device_id": bus.device_id, "events": pending}
        status, first, _ = client.request("POST", "/api/v1/events", json=batch)
        assert status == 200 and first["acknowledged"] == 2
        assert [r["status"] for r in first["results"]] == ["stored", "stored"]
        status, retry, _ = client.request("POST", "/api/v1/events", json=batch)  # a lost acknowledgement
        assert status == 200 and retry["acknowledged"] == 2
        assert [r["status"] for r in retry["results"]] == ["duplicate", "duplicate"]

        exported = json.loads(ok(sync_cli(hq_dir, "export", "sessions", "--json")).stdout)
        assert sorted(s["participants"] for s in exported) == [4, 9]
        assert {s["device"] for s in exported} == {"Bus Forez"}

        # the catalogue comes down as a signed snapshot
        status, answer, _ = client.request("GET", "/api/v1/snapshot")
        assert status == 200
        manifest = answer["manifest"]
        hq_key = protocol.load_public(bus.hq_public_key)
        assert protocol.verify_document(hq_key, "snapshot", manifest, answer["signature"])
        entities = []
        for chunk in manifest["chunks"]:
            target = f"/api/v1/snapshot/chunks/{chunk['sha256']}"
            half = chunk["size"] // 2
            head = client.send("GET", target, headers={"Range": f"bytes=0-{half - 1}"})
            tail = client.send("GET", target, headers={"Range": f"bytes={half}-"})
            assert (head.status, tail.status) == (206, 206)
            client.verify(head)  # every answer is signed, ranges included
            client.verify(tail)
            data = head.content + tail.content
            assert protocol.sha256_hex(data) == chunk["sha256"]
            entities += [json.loads(line) for line in gzip.decompress(data).decode("utf-8").splitlines()]
        snapshot_records = {e["key"]: e["data"] for e in entities if e["kind"] == "record"}

        # equal, record by record, to the kiosk's own import of the same file
        ok(kiosk("catalogue", "import", str(catalogue), data_dir=tmp_path / "reference"))
        reference = store.open_catalogue_db(tmp_path / "reference")
        try:
            hashes = dict(reference.execute("SELECT id, hash FROM records").fetchall())
        finally:
            reference.conn.close()
        assert set(snapshot_records) == set(hashes)
        assert all(Record.from_dict(snapshot_records[i]).content_hash() == hashes[i] for i in hashes)
        assert {e["key"] for e in entities if e["kind"] == "device"} == {"config"}  # this bus's own

        # nothing new since the snapshot; then exactly the one record that changed
        version = manifest["version"]
        status, page, _ = client.request("GET", f"/api/v1/changes?since={version}")
        assert status == 200 and [c for c in page["changes"] if c["kind"] == "record"] == []
        catalogue.write_text(catalogue_rows("Les Misérables (édition illustrée)"), encoding="utf-8")
        report = json.loads(ok(sync_cli(hq_dir, "catalogue", "import", str(catalogue), "--json")).stdout)
        assert (report["added"], report["updated"], report["removed"]) == (0, 1, 0)
        status, page, _ = client.request("GET", f"/api/v1/changes?since={page['version']}")
        assert status == 200
        assert [(c["kind"], c["key"], c["data"]["title"]) for c in page["changes"]] == [
            ("record", "LOI0060", "Les Misérables (édition illustrée)")
        ]
