"""Down: sync.agent.download against the real headquarters (uvicorn on 127.0.0.1) with small
snapshot chunks, so that a catalogue of a few hundred records comes in several chunks.

What headquarters received is read from the server side (`RequestLog`); broken transfers are
real: the server closes the connection in the middle of an answer, or a truncated or damaged
`.part` file is left in the bus's data directory.
"""

from __future__ import annotations

import json
import logging
from datetime import date, time
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes
from numeribus_kiosk.catalogue.schedule import Passage, Workshop
from sync import protocol
from sync.agent import download as download_module
from sync.agent.download import DownloadError, download, snapshot_folder, snapshot_root, snapshot_workers
from sync.agent.http import HQClient, HQUnreachable, HQUntrusted
from sync.server import publish, schedule, snapshots
from sync.server.app import create_app
from sync.server.config import HQConfig
from sync.server.state import HQ
from tests.sync.agent.round_helpers import (
    RequestLog,
    assert_same_catalogue,
    bus_record_hashes,
    catalogue_csv,
    enrol_bus,
    publish_catalogue,
)
from tests.sync.live import serve_in_thread

CHUNK_BYTES = 8192
RECORDS = 300


@pytest.fixture
def hq(tmp_path: Path, hq_clock):
    service = HQ(tmp_path / "hq", HQConfig(chunk_bytes=CHUNK_BYTES), clock=hq_clock)
    try:
        yield service
    finally:
        service.close()


@pytest.fixture
def served(hq):
    """Headquarters' real app behind a `RequestLog`, on a real uvicorn: (url, log)."""
    log = RequestLog(create_app(hq))
    with serve_in_thread(log) as url:
        yield url, log


@pytest.fixture
def bus_dir(tmp_path: Path) -> Path:
    return tmp_path / "bus"


@pytest.fixture
def identity(served, hq, bus_dir):
    return enrol_bus(hq, served[0], bus_dir)


@pytest.fixture
def hq_client(identity):
    with HQClient(identity.hq_url, identity.key, identity.hq_public_key) as client:
        yield client


@pytest.fixture
def catalogue_db(identity, bus_dir):
    db = store.open_catalogue_db(bus_dir)
    yield db
    db.close()


@pytest.fixture
def published(hq, tmp_path):
    """A catalogue, a schedule, an agenda and the lists, published at headquarters."""
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(RECORDS))
    db, now = hq.db(), hq.now()
    schedule.put_passage(
        db, Passage("p1", date(2026, 12, 1), time(9, 30), time(12), "Noirétable", "Place de l'Église"), now
    )
    schedule.put_workshop(
        db,
        Workshop("w1", date(2026, 12, 1), time(14), time(16), "Noirétable", "EHPAD", "tablette", "Atelier tablettes"),
        now,
    )
    publish.refresh_configuration(hq)
    snapshots.build_snapshot(db, now, hq.config.chunk_bytes)
    return snapshots.latest_snapshot(db)


def manifest_chunks(hq_client) -> list[dict]:
    _, answer, _ = hq_client.request("GET", "/api/v1/snapshot")
    return answer["manifest"]["chunks"]


def test_first_download_is_the_snapshot_then_only_changes(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published, tmp_path
):
    url, log = served
    assert len(published.chunks) >= 3
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id, page_limit=50)
    assert report.complete and report.version_before == 0
    assert report.version == changes.sync_version(catalogue_db) == publish.current_version(hq.db())
    snapshot = report.snapshot
    assert snapshot is not None and snapshot.applied
    assert snapshot.chunks == len(published.chunks) + 1  # and this bus's own chunk (its configuration)
    assert (snapshot.fetched, snapshot.resumed, snapshot.reused) == (snapshot.chunks, 0, 0)
    assert report.applied["records_added"] == RECORDS and report.config_changed
    chunk_requests = log.chunk_requests()
    assert len(chunk_requests) == snapshot.chunks and all(r.range is None for r in chunk_requests)
    assert not snapshot_folder(bus_dir, snapshot.version).exists()  # deleted once applied
    assert_same_catalogue(bus_dir, hq)
    on_board = catalogue_db.execute("SELECT count(*) FROM records WHERE on_board = 1").fetchone()[0]
    assert on_board == RECORDS // 3  # the copies at NUMERIBUS, this bus's location

    # headquarters changes two records and withdraws one: exactly those three come down
    log.clear()
    before = bus_record_hashes(bus_dir)
    publish_catalogue(
        hq, tmp_path / "library", catalogue_csv(RECORDS, changed={5: "Autre titre", 6: "Un autre"}, skip={7})
    )
    second = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id, page_limit=2)
    assert second.complete and second.snapshot is None
    assert (second.changes, second.pages) == (3, 2)
    assert (second.applied["records_updated"], second.applied["records_removed"]) == (2, 1)
    assert log.chunk_requests() == [] and log.requests_to("/api/v1/snapshot") == []
    after = bus_record_hashes(bus_dir)
    assert set(before) - set(after) == {"LOI0007"}
    assert {k for k in after if after[k] != before[k]} == {"LOI0005", "LOI0006"}
    assert_same_catalogue(bus_dir, hq)

    # nothing new: one page, nothing applied
    third = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert (third.complete, third.changes, third.pages, third.snapshot) == (True, 0, 1, None)


def test_a_transfer_cut_mid_chunk_resumes_with_only_the_missing_chunks(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published
):
    url, log = served
    log.cut("/api/v1/snapshot/chunks/", 3)  # the server closes the connection in the middle of chunk 3
    with pytest.raises(HQUnreachable, match="broke during the snapshot download"):
        download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert changes.sync_version(catalogue_db) == 0 and bus_record_hashes(bus_dir) == {}
    first = [r.path for r in log.chunk_requests()]
    assert len(first) == 3
    folder = snapshot_folder(bus_dir, published.version)
    assert sorted(p.name for p in folder.glob("*.gz")) == sorted(Path(p).name + ".gz" for p in first[:2])
    part = folder / (Path(first[2]).name + ".gz.part")
    received = part.stat().st_size
    assert 0 < received < next(c.size for c in published.chunks if c.sha256 == part.name[:64])

    log.clear()
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert report.complete and report.snapshot.applied
    again = log.chunk_requests()
    fetched = [r.path for r in again]
    assert first[0] not in fetched and first[1] not in fetched  # only the missing chunks
    assert fetched[0] == first[2] and len(fetched) == report.snapshot.chunks - 2
    assert again[0].range == f"bytes={received}-"
    assert report.snapshot.resumed == 1
    assert (report.snapshot.reused, report.snapshot.fetched) == (2, report.snapshot.chunks - 2)
    assert not folder.exists()
    assert_same_catalogue(bus_dir, hq)


def test_a_truncated_part_left_on_disk_is_resumed_with_a_range(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published
):
    """A power cut left half of a chunk in its .part file: the bus asks only for the rest."""
    url, log = served
    chunk = published.chunks[1]
    data = snapshots.read_chunk(hq.db(), chunk.sha256)
    folder = snapshot_folder(bus_dir, published.version)
    folder.mkdir(parents=True)
    half = len(data) // 2
    (folder / f"{chunk.sha256}.gz.part").write_bytes(data[:half])

    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert report.complete and report.snapshot.resumed == 1
    ranged = [r for r in log.chunk_requests() if r.range is not None]
    assert [(Path(r.path).name, r.range) for r in ranged] == [(chunk.sha256, f"bytes={half}-")]
    assert len(log.chunk_requests()) == report.snapshot.chunks
    assert report.snapshot.bytes == published.size + _own_chunk_size(hq_client, published) - half
    assert_same_catalogue(bus_dir, hq)


def _own_chunk_size(hq_client, published) -> int:
    shared = {c.sha256 for c in published.chunks}
    return sum(c["size"] for c in manifest_chunks(hq_client) if c["sha256"] not in shared)


def test_a_damaged_part_fails_the_round_and_is_fetched_again(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published
):
    url, log = served
    chunk = published.chunks[0]
    folder = snapshot_folder(bus_dir, published.version)
    folder.mkdir(parents=True)
    part = folder / f"{chunk.sha256}.gz.part"
    part.write_bytes(b"\x00" * (chunk.size // 2))  # not the chunk's first bytes

    with pytest.raises(DownloadError, match="does not match the signed manifest") as caught:
        download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert caught.value.reason == "catalogue_refused"
    assert not part.exists() and changes.sync_version(catalogue_db) == 0
    assert len(log.chunk_requests()) == 1

    log.clear()
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert report.complete
    requests_made = log.chunk_requests()
    assert Path(requests_made[0].path).name == chunk.sha256 and requests_made[0].range is None
    assert_same_catalogue(bus_dir, hq)


def test_chunks_of_an_older_snapshot_are_reused(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published, tmp_path
):
    """A download cut short, then headquarters publishes a new snapshot: the chunks that did not
    change (content-addressed) are taken from the older folder, not fetched again."""
    url, log = served
    log.cut("/api/v1/snapshot/chunks/", 3)
    with pytest.raises(HQUnreachable):
        download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    kept = [Path(r.path).name for r in log.chunk_requests()[:2]]
    # the last record changes: the first chunks stay the same
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(RECORDS, changed={RECORDS: "Nouveau titre"}))
    new = snapshots.latest_snapshot(hq.db())
    assert new.version > published.version and {c.sha256 for c in new.chunks} >= set(kept)

    log.clear()
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert report.complete and report.snapshot.version == new.version and report.snapshot.reused == 2
    assert not {Path(r.path).name for r in log.chunk_requests()} & set(kept)
    assert not snapshot_folder(bus_dir, published.version).exists()
    assert list(snapshot_root(bus_dir).iterdir()) == []
    assert_same_catalogue(bus_dir, hq)


def test_a_snapshot_can_be_deferred(served, hq, identity, hq_client, catalogue_db, bus_dir, published):
    url, log = served
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id, allow_snapshot=False)
    assert report.snapshot_deferred and not report.complete and report.snapshot is None
    assert log.requests_to("/api/v1/snapshot") == [] and changes.sync_version(catalogue_db) == 0


def test_a_since_too_old_goes_through_the_snapshot_again(
    served, hq, hq_clock, identity, hq_client, catalogue_db, bus_dir, published, tmp_path
):
    download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    held = changes.sync_version(catalogue_db)
    # records withdrawn; months later their tombstones are purged: the bus may have missed them
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(RECORDS, skip={1, 2}))
    hq_clock.advance(days=hq.config.tombstone_days + 1)
    assert publish.purge_expired_tombstones(hq) == 2
    assert publish.log_start(hq.db()) > held

    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert report.complete and report.snapshot is not None and report.snapshot.applied
    assert report.applied["records_removed"] == 2
    assert "LOI0001" not in bus_record_hashes(bus_dir)
    assert_same_catalogue(bus_dir, hq)


def test_an_empty_snapshot_never_empties_the_catalogue(
    served, hq, hq_clock, identity, hq_client, catalogue_db, bus_dir, published
):
    """Headquarters withdrew every record (and forgot their tombstones): the bus is sent back to a
    snapshot without a record, refuses it, and keeps its catalogue and the downloaded chunks."""
    download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    held = bus_record_hashes(bus_dir)
    version = changes.sync_version(catalogue_db)
    db = hq.db()
    for change in list(publish.live_entities(db, kinds=["record"])):
        publish.remove(db, "record", change.key, hq.now())
    hq_clock.advance(days=hq.config.tombstone_days + 1)
    publish.purge_expired_tombstones(hq)
    snapshots.build_snapshot(db, hq.now(), hq.config.chunk_bytes)

    with pytest.raises(changes.ChangeError, match="no catalogue record"):
        download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    assert bus_record_hashes(bus_dir) == held and changes.sync_version(catalogue_db) == version
    assert list(snapshot_folder(bus_dir, snapshots.latest_snapshot(db).version).glob("*.gz"))  # kept


def test_a_failure_between_pages_keeps_the_pages_applied(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published, tmp_path
):
    url, log = served
    download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id)
    start = changes.sync_version(catalogue_db)
    publish_catalogue(
        hq, tmp_path / "library", catalogue_csv(RECORDS, changed={i: f"Titre {i} bis" for i in (1, 2, 3)})
    )
    log.cut("/api/v1/changes", 2)  # the second page's answer is cut
    with pytest.raises(HQUnreachable):
        download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id, page_limit=1)
    after_cut = changes.sync_version(catalogue_db)
    assert after_cut > start  # the first page and its cursor stay
    title = catalogue_db.execute("SELECT title FROM records WHERE id = 'LOI0001'").fetchone()[0]
    assert title == "Titre 1 bis"
    log.cut("/api/v1/changes")
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id, page_limit=1)
    assert report.complete and report.version_before == after_cut and report.changes == 2
    assert_same_catalogue(bus_dir, hq)


# --- manifests that must be refused ----------------------------------------------------------------


class ManifestRewriter:
    """Headquarters' app, whose snapshot answers are rewritten by `change(answer)` and signed again
    with headquarters' own key (what a server holding the key, or a bug, could send)."""

    def __init__(self, app, hq: HQ, change) -> None:
        self.app, self.hq, self.change = app, hq, change

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/api/v1/snapshot":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        start: dict = {}
        body = bytearray()

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    answer = self.change(json.loads(body))
                    content = json.dumps(answer).encode()
                    signed = protocol.sign_response(
                        self.hq.key, start["status"], headers[protocol.NONCE.lower()], content
                    )
                    kept = [
                        (k, v)
                        for k, v in start["headers"]
                        if k.decode().lower() not in {"content-length", *(h.lower() for h in signed)}
                    ]
                    extra = [(k.encode(), v.encode()) for k, v in signed.items()]
                    await send(
                        {
                            **start,
                            "headers": kept + extra + [(b"content-length", str(len(content)).encode())],
                        }
                    )
                    await send({"type": "http.response.body", "body": content})

        await self.app(scope, receive, capture)


@pytest.fixture
def rewritten(hq, tmp_path):
    def serve(change):
        return serve_in_thread(ManifestRewriter(create_app(hq), hq, change))

    return serve


def _bus_at(hq, url, folder):
    identity = enrol_bus(hq, url, folder)
    return identity, HQClient(identity.hq_url, identity.key, identity.hq_public_key)


def test_a_manifest_not_signed_by_the_pinned_key_is_refused(hq, rewritten, published, tmp_path):
    def altered(answer):
        answer["manifest"]["entities"] += 1  # changed after headquarters signed it
        return answer

    with rewritten(altered) as url:
        identity, client = _bus_at(hq, url, tmp_path / "bus")
        db = store.open_catalogue_db(tmp_path / "bus")
        try:
            with client, pytest.raises(HQUntrusted, match="not signed by the pinned headquarters key"):
                download(db, client, tmp_path / "bus", device_id=identity.device_id)
            assert changes.sync_version(db) == 0
        finally:
            db.close()


def test_a_manifest_for_another_bus_is_refused(hq, rewritten, published, tmp_path):
    def other_bus(answer):
        manifest = dict(answer["manifest"], device_id="another-bus")
        return {"manifest": manifest, "signature": protocol.sign_document(hq.key, "snapshot", manifest)}

    with rewritten(other_bus) as url:
        identity, client = _bus_at(hq, url, tmp_path / "bus")
        db = store.open_catalogue_db(tmp_path / "bus")
        try:
            with client, pytest.raises(DownloadError, match="made for another bus") as caught:
                download(db, client, tmp_path / "bus", device_id=identity.device_id)
            assert caught.value.reason == "catalogue_refused"
            assert changes.sync_version(db) == 0
        finally:
            db.close()


def test_bad_arguments(catalogue_db, hq_client, bus_dir):
    with pytest.raises(ValueError, match="page_limit"):
        download(catalogue_db, hq_client, bus_dir, page_limit=0)
    with pytest.raises(ValueError, match="page_limit"):
        download(catalogue_db, hq_client, bus_dir, page_limit=5001)


def test_the_device_id_defaults_to_the_enrolled_one(served, hq, identity, hq_client, catalogue_db, bus_dir, published):
    report = download(catalogue_db, hq_client, bus_dir)
    assert report.complete and report.snapshot.applied


# --------------------------------------------------------------------------- worker processes


@pytest.mark.parametrize("workers", [1, 2])
def test_a_snapshot_applied_in_worker_processes_is_the_same(
    served, hq, identity, hq_client, catalogue_db, bus_dir, published, workers, caplog
):
    caplog.set_level(logging.INFO, logger="sync.agent.download")
    report = download(catalogue_db, hq_client, bus_dir, device_id=identity.device_id, workers=workers)
    assert report.complete and report.snapshot.chunks > 2 and report.snapshot.entities > RECORDS
    assert report.applied["records_added"] == RECORDS
    assert f"({workers} process(es))" in caplog.text
    assert_same_catalogue(bus_dir, hq)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_chunk_that_does_not_hold_its_count_is_refused_with_workers_too(hq, rewritten, published, tmp_path, workers):
    """Headquarters' signed manifest counts one entity more in a chunk than it holds: whether the
    lines are parsed here or in the workers, the snapshot is refused and the catalogue kept."""

    def miscounted(answer):
        manifest = answer["manifest"]
        manifest["chunks"][1]["entities"] += 1
        manifest["entities"] += 1
        return {"manifest": manifest, "signature": protocol.sign_document(hq.key, "snapshot", manifest)}

    with rewritten(miscounted) as url:
        identity, client = _bus_at(hq, url, tmp_path / "bus")
        db = store.open_catalogue_db(tmp_path / "bus")
        try:
            with client, pytest.raises(DownloadError, match="does not hold what its manifest says") as caught:
                download(db, client, tmp_path / "bus", device_id=identity.device_id, workers=workers)
            assert caught.value.reason == "catalogue_refused"
            assert changes.sync_version(db) == 0 and bus_record_hashes(tmp_path / "bus") == {}
        finally:
            db.close()


def test_the_number_of_snapshot_processes(monkeypatch):
    threshold = download_module.SNAPSHOT_WORKERS_THRESHOLD
    monkeypatch.setattr(download_module.os, "cpu_count", lambda: 2)
    assert snapshot_workers(None, threshold + 1) == download_module.SNAPSHOT_WORKERS == 2
    assert snapshot_workers(None, threshold) == 1
    assert snapshot_workers(None, 0) == 1
    assert snapshot_workers(3, 10) == 3 and snapshot_workers(1, threshold * 10) == 1
    assert snapshot_workers(0, 10) == 1 and snapshot_workers(-2, threshold * 10) == 1
    for cpus in (1, None):  # one processor, or not known
        monkeypatch.setattr(download_module.os, "cpu_count", lambda cpus=cpus: cpus)
        assert snapshot_workers(None, threshold * 10) == 1
        assert snapshot_workers(2, threshold * 10) == 2  # asked for: given
