"""Down: headquarters' change log and snapshots into catalogue.db (docs/protocol.md, "Down: changes"
and "Snapshots"; docs/sync-agent.md, "Download and snapshots").

`download(catalogue_db, client, data_dir)`:

1. ``since`` is the version catalogue.db holds (`changes.sync_version`).  0 (a new bus) goes
   straight to the snapshot.
2. ``GET /api/v1/changes?since=…&limit=…``; each page is applied with its cursor in ONE
   transaction (`changes.apply_changes`, which refuses a page for another cursor), then the next
   page is asked from that cursor while ``more`` is true.  A failure leaves the last page applied.
3. A 410 ``snapshot_required`` (a new bus, a ``since`` older than headquarters' log, or
   headquarters restored from an older backup) goes through the snapshot, then back to 2 from the
   snapshot's version:

   - ``GET /api/v1/snapshot``: the manifest must verify with the pinned key (document kind
     ``snapshot``), be in the known format and name this bus;
   - each chunk goes to ``DATA_DIR/sync/snapshot-<version>/<sha256>.gz``: downloaded into
     ``<sha256>.gz.part`` as it arrives; a ``.part`` already there is resumed with
     ``Range: bytes=<its size>-``; a finished chunk is checked against the manifest's SHA-256
     before ``.part`` becomes ``.gz`` (a wrong hash deletes the part and fails the round).  Chunks
     already downloaded, in this folder or in the folder of an older snapshot (chunks are
     content-addressed, shared between versions), are not fetched again;
   - the JSON lines of the chunks go to `changes.apply_snapshot`, which swaps the new catalogue
     in only when it is complete (and refuses an empty one); the folder is deleted once applied
     and kept after any failure, for the next round to resume.  ``workers`` processes check and
     prepare the records (`snapshot_workers`: by default 2 for a snapshot of more than
     ``SNAPSHOT_WORKERS_THRESHOLD`` entities on a machine with 2 processors or more); they are
     then given the JSON lines unparsed.

``allow_snapshot=False`` (a metered link) stops before fetching a snapshot: the report says
``snapshot_deferred`` and the catalogue stays as it is.  Nothing here deletes catalogue data on
its own: an empty or failed answer changes nothing.  A `DownloadError` carries a ``reason``
(`sync.agent.round.ROUND_REASONS`).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests
import sqlite_utils
import urllib3

from numeribus_kiosk.catalogue import changes

from .. import protocol
from .http import HQClient, HQError, HQUnreachable, HQUntrusted, RawAnswer, _reason, error_of

logger = logging.getLogger(__name__)

SYNC_DIR = "sync"
SNAPSHOT_PREFIX = "snapshot-"
PART_SUFFIX = ".part"
READ_BYTES = 64 * 1024
DEFAULT_PAGE_LIMIT = 1000
MAX_PAGE_LIMIT = 5000
# A snapshot of more entities than this is applied by SNAPSHOT_WORKERS processes when `workers` is
# None and the machine has that many processors (docs/performance.md, "Bus sync").
SNAPSHOT_WORKERS_THRESHOLD = 50_000
SNAPSHOT_WORKERS = 2
_SHA256 = re.compile(r"[0-9a-f]{64}")


class DownloadError(Exception):
    """The download cannot go on; the message says why in one sentence.  What was applied stays.

    ``reason`` is a round reason code (`sync.agent.round.ROUND_REASONS`): ``catalogue_refused``
    for what headquarters sent that the bus refuses (a page or a manifest not in the expected
    form, a chunk whose bytes or entities differ from the signed manifest), ``not_hq`` for an
    answer no numéribus headquarters gives (a chunk resumed at the wrong place, an unexpected
    HTTP status), ``not_enrolled``, or ``failed``."""

    def __init__(self, message: str, *, reason: str = "catalogue_refused") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(slots=True)
class SnapshotReport:
    version: int = 0
    chunks: int = 0  # in the manifest
    fetched: int = 0  # chunks requested from headquarters in this round (a resumed one counts once)
    resumed: int = 0  # of which resumed from a .part
    reused: int = 0  # chunks already complete on disk
    bytes: int = 0  # bytes received for chunks
    entities: int = 0
    applied: bool = False


@dataclass(slots=True)
class DownloadReport:
    version_before: int = 0
    version: int = 0
    latest: int = 0  # headquarters' latest version, as its last page said
    pages: int = 0
    changes: int = 0  # change entries applied
    snapshot: SnapshotReport | None = None
    snapshot_deferred: bool = False
    complete: bool = False
    # What was applied (pages and snapshot added up): records_added, records_updated, records_removed,
    # records_unchanged, passages, workshops, lists, on_board_changed, ignored (changes.ApplyReport).
    applied: dict = field(default_factory=dict)
    config_changed: bool = False  # this bus's configuration (its locations) came down

    def add(self, applied: changes.ApplyReport) -> None:
        for name, value in applied.to_dict().items():
            if name == "config":
                self.config_changed = self.config_changed or bool(value)
            elif name != "version":
                self.applied[name] = self.applied.get(name, 0) + value

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def snapshot_root(data_dir: Path) -> Path:
    return Path(data_dir) / SYNC_DIR


def snapshot_folder(data_dir: Path, version: int) -> Path:
    return snapshot_root(data_dir) / f"{SNAPSHOT_PREFIX}{version}"


# --- changes -------------------------------------------------------------------------------------


class SnapshotRequired(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _check_page(page: object, since: int) -> dict:
    if (
        not isinstance(page, dict)
        or not isinstance(page.get("changes"), list)
        or not isinstance(page.get("version"), int)
        or not isinstance(page.get("more"), bool)
        or page.get("since") != since
    ):
        raise DownloadError("Headquarters' page of changes is not in the expected form; the catalogue was kept.")
    if page["version"] < since:
        raise DownloadError("Headquarters' page of changes goes back in versions; the catalogue was kept.")
    if page["more"] and page["version"] == since:
        raise DownloadError("Headquarters announced more changes without moving its cursor; the catalogue was kept.")
    return page


def _pull_changes(
    db: sqlite_utils.Database,
    client: HQClient,
    page_limit: int,
    report: DownloadReport,
    bus_locations: tuple[str, ...] | None,
) -> None:
    """Apply pages until the last one; raises SnapshotRequired on a 410."""
    while True:
        since = changes.sync_version(db)
        try:
            _, body, _ = client.request("GET", f"/api/v1/changes?since={since}&limit={page_limit}")
        except HQError as exc:
            if exc.code == "snapshot_required":
                raise SnapshotRequired(exc.message) from exc
            raise
        page = _check_page(body, since)
        report.add(
            changes.apply_changes(db, page["changes"], page["version"], since=since, bus_locations=bus_locations)
        )
        report.pages += 1
        report.changes += len(page["changes"])
        report.version = page["version"]
        if isinstance(page.get("latest"), int):
            report.latest = page["latest"]
        if not page["more"]:
            return


# --- snapshots -----------------------------------------------------------------------------------


def _check_manifest(client: HQClient, answer: object, device_id: str) -> dict:
    if not isinstance(answer, dict) or not isinstance(answer.get("manifest"), dict):
        raise DownloadError("Headquarters' snapshot answer has no manifest; the catalogue was kept.")
    manifest, signature = answer["manifest"], answer.get("signature")
    if client.hq_key is None or not isinstance(signature, str):
        raise HQUntrusted("The snapshot manifest is not signed; the catalogue was kept.")
    if not protocol.verify_document(client.hq_key, "snapshot", manifest, signature):
        raise HQUntrusted("The snapshot manifest is not signed by the pinned headquarters key; the catalogue was kept.")
    if manifest.get("format") != protocol.SNAPSHOT_FORMAT:
        raise DownloadError(
            f"The snapshot is in a format this kiosk does not know ({manifest.get('format')!r}); "
            "update the kiosk. The catalogue was kept."
        )
    if manifest.get("device_id") != device_id:
        raise DownloadError("The snapshot manifest was made for another bus; the catalogue was kept.")
    chunks = manifest.get("chunks")
    version = manifest.get("version")
    if (
        not isinstance(version, int)
        or version < 1
        or not isinstance(chunks, list)
        or not all(
            isinstance(c, dict)
            and isinstance(c.get("sha256"), str)
            and _SHA256.fullmatch(c["sha256"])
            and isinstance(c.get("size"), int)
            and c["size"] >= 0
            and isinstance(c.get("entities"), int)
            for c in chunks
        )
        or not isinstance(manifest.get("entities"), int)
    ):
        raise DownloadError("The snapshot manifest is not in the expected form; the catalogue was kept.")
    return manifest


def discard_partial_snapshots(data_dir: Path) -> int:
    """Delete the snapshot downloads kept for resuming (``sync/snapshot-*``): the catalogue got
    up to date another way (pages of changes, a USB bundle).  Returns how many folders went."""
    gone = 0
    for folder in sorted(snapshot_root(data_dir).glob(SNAPSHOT_PREFIX + "*")):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
    if gone:
        logger.info("%d partial snapshot download(s) deleted: the catalogue is up to date without them", gone)
    return gone


def _prepare_folder(data_dir: Path, version: int, wanted: set[str]) -> Path:
    """The snapshot's folder, with the chunks of older snapshot folders that it lists moved in; the
    older folders are then deleted (their other chunks are not needed any more)."""
    root = snapshot_root(data_dir)
    folder = snapshot_folder(data_dir, version)
    folder.mkdir(parents=True, exist_ok=True)
    for other in sorted(root.glob(SNAPSHOT_PREFIX + "*")):
        if other == folder or not other.is_dir():
            continue
        for path in other.iterdir():
            name = path.name.removesuffix(PART_SUFFIX).removesuffix(".gz")
            if name in wanted and not (folder / path.name).exists():
                os.replace(path, folder / path.name)
        shutil.rmtree(other, ignore_errors=True)
    return folder


def _signed_stream(client: HQClient, target: str, headers: dict[str, str]) -> tuple[requests.Response, str]:
    """A signed GET whose body is read as it arrives (HQClient.send reads it whole)."""
    prepared = client.session.prepare_request(
        requests.Request("GET", client.base_url + target, headers={"Accept": "application/gzip", **headers})
    )
    nonce = protocol.new_nonce()
    prepared.headers.update(protocol.sign_request(client.key, "GET", prepared.path_url, b"", client.now(), nonce))
    try:
        answer = client.session.send(prepared, timeout=client.timeout, allow_redirects=False, stream=True)
    except requests.Timeout as exc:
        raise HQUnreachable(f"Headquarters at {client.base_url} did not answer in time.") from exc
    except requests.RequestException as exc:
        raise HQUnreachable(
            f"Headquarters at {client.base_url} cannot be reached ({_reason(exc)}) while downloading the snapshot."
        ) from exc
    return answer, nonce


def _error_answer(client: HQClient, answer: requests.Response, nonce: str) -> HQError:
    raw = RawAnswer(answer.status_code, answer.content, answer.headers, nonce)
    client.verify(raw)
    return error_of(raw.status, raw.parsed())


def _fetch_chunk(client: HQClient, chunk: dict, folder: Path, report: SnapshotReport) -> None:
    """Make `folder/<sha256>.gz` hold the chunk, verified; resume a .part when there is one."""
    sha256, size = chunk["sha256"], chunk["size"]
    final = folder / f"{sha256}.gz"
    part = folder / f"{sha256}.gz{PART_SUFFIX}"
    if final.exists():
        if protocol.file_sha256(final) == sha256:
            report.reused += 1
            return
        final.unlink()
    offset = part.stat().st_size if part.exists() else 0
    if offset > size:
        part.unlink()
        offset = 0
    if offset < size or size == 0:  # else: complete, not yet renamed (a stop right before)
        _download_into(client, sha256, part, offset, report)
    if protocol.file_sha256(part) != sha256:
        part.unlink()
        raise DownloadError(
            f"A snapshot chunk ({sha256[:12]}…) does not match the signed manifest; it was deleted and will be "
            "downloaded again. The catalogue was kept."
        )
    os.replace(part, final)


def _download_into(client: HQClient, sha256: str, part: Path, offset: int, report: SnapshotReport) -> None:
    target = f"/api/v1/snapshot/chunks/{sha256}"
    for attempt in range(3):
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        answer, nonce = _signed_stream(client, target, headers)
        with answer:
            if answer.status_code == 416 and offset and attempt == 0:
                # Headquarters' chunk is shorter than the part (not what the manifest said): start again.
                _error_answer(client, answer, nonce)
                part.write_bytes(b"")
                offset = 0
                continue
            if answer.status_code >= 400:
                error = _error_answer(client, answer, nonce)
                server_time = error.details.get("server_time")
                if error.code == "stale_request" and attempt == 0 and isinstance(server_time, int | float):
                    client.clock_offset = server_time - client.clock()
                    continue
                raise error
            if answer.status_code == 206:
                expected = f"bytes {offset}-"
                if not answer.headers.get("Content-Range", "").startswith(expected):
                    raise DownloadError(
                        "Headquarters resumed a snapshot chunk at the wrong place; try again.", reason="not_hq"
                    )
                mode = "ab"
                report.resumed += 1
            elif answer.status_code == 200:
                mode = "wb"  # the whole chunk: what the part held is replaced
            else:
                raise DownloadError(
                    f"Headquarters answered HTTP {answer.status_code} for a snapshot chunk.", reason="not_hq"
                )
            report.fetched += 1
            with open(part, mode) as handle:
                while True:
                    # read1: every block is written as soon as it arrives, so that a connection
                    # that breaks keeps what came before in the .part (iter_content would drop
                    # the blocks it was still gathering).
                    try:
                        block = answer.raw.read1(READ_BYTES, decode_content=False)
                    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                        handle.flush()
                        os.fsync(handle.fileno())
                        raise HQUnreachable(
                            f"The connection to headquarters at {client.base_url} broke during the snapshot "
                            "download; the next round resumes it."
                        ) from exc
                    if not block:
                        break
                    handle.write(block)
                    report.bytes += len(block)
                handle.flush()
                os.fsync(handle.fileno())
            return
    raise DownloadError("Headquarters did not serve a snapshot chunk; try again.", reason="failed")  # pragma: no cover


def _entities(folder: Path, manifest: dict, report: SnapshotReport, *, lines: bool = False) -> Iterator[dict | bytes]:
    """The snapshot's entities, chunk after chunk; DownloadError when they do not add up to the manifest.

    ``lines``: each entity as its JSON line, not parsed (the worker processes of
    `changes.apply_snapshot` parse and check them, a `ChangeError` for a malformed one)."""
    total = 0
    for chunk in manifest["chunks"]:
        count = 0
        try:
            with gzip.open(folder / f"{chunk['sha256']}.gz", "rb") as handle:
                for line in handle:
                    if not line.strip():
                        continue
                    count += 1
                    if lines:
                        yield line
                        continue
                    entity = json.loads(line)
                    if not isinstance(entity, dict) or not isinstance(entity.get("kind"), str):
                        raise ValueError("an entity without a kind")
                    yield entity
        except (OSError, EOFError, ValueError) as exc:
            raise DownloadError(f"A snapshot chunk cannot be read ({exc}); the catalogue was kept.") from exc
        if count != chunk["entities"]:
            raise DownloadError("A snapshot chunk does not hold what its manifest says; the catalogue was kept.")
        total += count
        report.entities = total
    if total != manifest["entities"]:
        raise DownloadError("The snapshot does not hold what its manifest says; the catalogue was kept.")


def snapshot_workers(workers: int | None, entities: int) -> int:
    """How many processes apply a snapshot of `entities` entities: `workers` when given (at least 1);
    for None, ``SNAPSHOT_WORKERS`` when the snapshot holds more than ``SNAPSHOT_WORKERS_THRESHOLD``
    entities and the machine has at least that many processors, else 1 (in this process).
    Measured in docs/performance.md, "Bus sync"."""
    if workers is not None:
        return max(1, int(workers))
    if entities > SNAPSHOT_WORKERS_THRESHOLD and (os.cpu_count() or 1) >= SNAPSHOT_WORKERS:
        return SNAPSHOT_WORKERS
    return 1


def fetch_snapshot(
    catalogue_db: sqlite_utils.Database,
    client: HQClient,
    data_dir: Path,
    device_id: str,
    bus_locations: tuple[str, ...] | None = None,
    workers: int | None = None,
) -> tuple[SnapshotReport, changes.ApplyReport]:
    """Download, verify and apply the snapshot; what was done (raises on failure, the folder kept).

    `workers`: the processes that check and prepare the records (`snapshot_workers`; None: chosen
    from the manifest's number of entities)."""
    _, answer, _ = client.request("GET", "/api/v1/snapshot")
    manifest = _check_manifest(client, answer, device_id)
    report = SnapshotReport(version=manifest["version"], chunks=len(manifest["chunks"]))
    folder = _prepare_folder(data_dir, manifest["version"], {c["sha256"] for c in manifest["chunks"]})
    for chunk in manifest["chunks"]:
        _fetch_chunk(client, chunk, folder, report)
    processes = snapshot_workers(workers, manifest["entities"])
    applied = changes.apply_snapshot(
        catalogue_db,
        _entities(folder, manifest, report, lines=processes > 1),
        manifest["version"],
        bus_locations=bus_locations,
        workers=processes,
    )
    report.applied = True
    shutil.rmtree(folder, ignore_errors=True)
    logger.info(
        "snapshot %d applied: %d entities (%d process(es)), %d chunk(s) fetched (%d resumed), %d already on disk",
        report.version,
        report.entities,
        processes,
        report.fetched,
        report.resumed,
        report.reused,
    )
    return report, applied


# --- the download --------------------------------------------------------------------------------


def download(
    catalogue_db: sqlite_utils.Database,
    client: HQClient,
    data_dir: Path,
    *,
    device_id: str | None = None,
    page_limit: int = DEFAULT_PAGE_LIMIT,
    allow_snapshot: bool = True,
    bus_locations: tuple[str, ...] | None = None,
    workers: int | None = None,
) -> DownloadReport:
    """Bring catalogue.db up to headquarters' version; raises HQError, HQUnreachable, HQUntrusted,
    DownloadError or changes.ChangeError (what was applied before stays applied).

    `device_id` is the enrolled bus's (default: read from the identity in `data_dir`).
    `bus_locations` are config.toml's, used for the copies on board until headquarters has sent
    this bus's configuration (`changes.effective_bus_locations`).  `workers`: the processes that
    apply a snapshot (`snapshot_workers`; None: two for a big one on a machine with two processors
    or more, else this process)."""
    if not 1 <= page_limit <= MAX_PAGE_LIMIT:
        raise ValueError(f"page_limit must be between 1 and {MAX_PAGE_LIMIT}")
    if device_id is None:
        from .identity import load_identity

        identity = load_identity(data_dir)
        if identity is None:
            raise DownloadError("This bus is not enrolled at headquarters.", reason="not_enrolled")
        device_id = identity.device_id
    report = DownloadReport()
    report.version_before = report.version = changes.sync_version(catalogue_db)
    needs_snapshot = report.version_before == 0
    while True:
        if needs_snapshot:
            if report.snapshot is not None:
                raise DownloadError(
                    "Headquarters asked for a snapshot again right after one was applied; try again later.",
                    reason="failed",
                )
            if not allow_snapshot:
                report.snapshot_deferred = True
                logger.info("snapshot deferred (allow_snapshot is off)")
                return report
            report.snapshot, applied = fetch_snapshot(
                catalogue_db, client, data_dir, device_id, bus_locations, workers=workers
            )
            report.add(applied)
            report.version = changes.sync_version(catalogue_db)
            needs_snapshot = False
        try:
            _pull_changes(catalogue_db, client, page_limit, report, bus_locations)
        except SnapshotRequired as exc:
            logger.info("headquarters asks for a snapshot: %s", exc.reason)
            needs_snapshot = True
            continue
        report.complete = True
        discard_partial_snapshots(data_dir)  # a download cut earlier is not needed any more
        logger.info(
            "download: version %d -> %d, %d change(s) in %d page(s)",
            report.version_before,
            report.version,
            report.changes,
            report.pages,
        )
        return report
