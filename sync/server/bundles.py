"""USB bundles at headquarters (docs/protocol.md, "USB bundles").

- `export_bundle` writes ``numeribus/to-bus/<device_id>-<to_version>.nbundle`` for one bus:
  the changes since the version headquarters believes the bus holds (``devices.
  catalogue_version``), or the bus's snapshot and the changes after it when that version is 0,
  older than the retained log, or one headquarters never published.  Signed with
  headquarters' key, written atomically (`protocol.write_bundle`).
- `import_bundle` takes a bus's ``numeribus/to-hq/*.nbundle``: the manifest names the device,
  the device's registered key verifies the signature and every file, the events must all be
  that device's; only then are they given to `events.ingest` (``via="bundle"``), exactly as an
  upload.  A bundle that fails any check is refused whole with a plain message and nothing is
  written; importing the same bundle again changes nothing (the events are duplicates).

Nothing here logs an event's content: requests and volunteer offers carry names and contacts.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import protocol
from . import devices, events, publish, snapshots
from .state import HQ

TO_HQ = "to-hq"
TO_BUS = "to-bus"
STICK_FOLDER = "numeribus"
EVENTS_FILE = "events.jsonl.gz"
CHANGES_FILE = "changes.jsonl.gz"
_PAGE = 5000


class BundleError(Exception):
    """A bundle cannot be written or is refused; the message says why, in plain words."""


def stick_folder(root: str | Path, direction: str) -> Path:
    """``ROOT/numeribus/to-hq`` or ``ROOT/numeribus/to-bus``."""
    return Path(root) / STICK_FOLDER / direction


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# --------------------------------------------------------------------------- to the bus


@dataclass(slots=True)
class ExportResult:
    path: Path
    device_id: str
    device: str
    from_version: int
    to_version: int
    changes: int
    snapshot_version: int | None
    size: int

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "device_id": self.device_id,
            "device": self.device,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "changes": self.changes,
            "snapshot_version": self.snapshot_version,
            "size": self.size,
        }


def _all_changes(db, since: int, device_id: str) -> tuple[list[publish.Change], int]:
    entries: list[publish.Change] = []
    cursor = since
    while True:
        page, cursor, more = publish.changes_since(db, cursor, _PAGE, device_id)
        entries.extend(page)
        if not more:
            return entries, cursor


def export_bundle(hq: HQ, device_name: str, out_dir: str | Path) -> ExportResult:
    """Write what bus `device_name` lacks into `out_dir`/numeribus/to-bus/; raise BundleError."""
    db = hq.db()
    device = devices.device_by_name(db, device_name)
    if device is None:
        raise BundleError(f"There is no device named {device_name!r} (see `numeribus-sync device list`).")
    if not device.active:
        raise BundleError(f"The device {device_name!r} is revoked; no bundle is written for it.")
    now = hq.now()
    publish.publish_device_config(db, device, now)  # idempotent: the bus always gets its configuration
    from_version = device.catalogue_version
    current = publish.current_version(db)
    files: dict[str, bytes] = {}
    manifest: dict = {
        "direction": TO_BUS,
        "device_id": device.device_id,
        "from_version": from_version,
        # what headquarters holds of the bus's outbox: a bus that never meets a network marks its
        # events sent, and deletes visitors' personal data, from this
        "acknowledged": device.acknowledged,
    }
    snapshot_version = None
    if from_version == 0 or from_version < publish.log_start(db) or from_version > current:
        snapshot = snapshots.ensure_snapshot(db, now, hq.config.chunk_bytes)
        snapshot_manifest = snapshots.manifest_for(hq, device, snapshot)
        for chunk in snapshot_manifest["chunks"]:
            data = snapshots.read_chunk(db, chunk["sha256"])
            if data is None:  # collected by a concurrent rebuild: never write a bundle that cannot apply
                raise BundleError("The snapshot changed while the bundle was written; try again.")
            files[f"snapshot/{chunk['sha256']}.gz"] = data
        manifest["snapshot"] = {
            "manifest": snapshot_manifest,
            "signature": protocol.sign_document(hq.key, "snapshot", snapshot_manifest),
        }
        snapshot_version = since = snapshot.version
    else:
        since = from_version
    entries, to_version = _all_changes(db, since, device.device_id)
    files = {CHANGES_FILE: gzip_bytes("".join(e.to_json() + "\n" for e in entries).encode("utf-8")), **files}
    manifest.update(to_version=to_version, changes=len(entries), created_at=now.isoformat(timespec="seconds"))
    path = stick_folder(out_dir, TO_BUS) / f"{device.device_id}-{to_version}{protocol.BUNDLE_SUFFIX}"
    try:
        protocol.write_bundle(path, hq.key, manifest, files)
    except OSError as exc:
        raise BundleError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return ExportResult(
        path=path,
        device_id=device.device_id,
        device=device.name,
        from_version=from_version,
        to_version=to_version,
        changes=len(entries),
        snapshot_version=snapshot_version,
        size=path.stat().st_size,
    )


# --------------------------------------------------------------------------- from the bus


@dataclass(slots=True)
class ImportResult:
    file: str
    status: str  # "imported" or "refused"
    reason: str = ""
    device_id: str = ""
    device: str = ""
    events: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # stored, duplicate, quarantined, conflict
    acknowledged: int | None = None

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "device_id": self.device_id,
            "device": self.device,
            "events": self.events,
            **{name: self.counts.get(name, 0) for name in ("stored", "duplicate", "quarantined", "conflict")},
            "acknowledged": self.acknowledged,
        }


def _order(path: Path) -> tuple:
    parts = path.stem.rsplit("-", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return (parts[0], int(parts[1]), path.name)
    return (path.stem, 0, path.name)


def find_bundles(paths: Iterable[str | Path]) -> list[Path]:
    """The bundles to import: files as given; for a folder (a stick), its numeribus/to-hq/*.nbundle
    (or the folder's own *.nbundle).  Raises BundleError for a path that does not exist or a
    folder without any bundle."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(path)
            continue
        if not path.is_dir():
            raise BundleError(f"{path} does not exist.")
        for folder in (stick_folder(path, TO_HQ), path / TO_HQ, path):
            bundles = sorted((p for p in folder.glob(f"*{protocol.BUNDLE_SUFFIX}") if p.is_file()), key=_order)
            if bundles:
                found.extend(bundles)
                break
        else:
            raise BundleError(f"No bundle in {path} (looked for {STICK_FOLDER}/{TO_HQ}/*{protocol.BUNDLE_SUFFIX}).")
    return list(dict.fromkeys(found))


def _events(path: Path, data: bytes, device_id: str, manifest: dict) -> list[dict]:
    try:
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise BundleError(f"{path.name}: its events file is damaged ({type(exc).__name__}); refused whole.") from None
    first, last = manifest.get("first_seq"), manifest.get("last_seq")
    bounded = all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last))
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise BundleError(f"{path.name}: event {number} is not an object; refused whole.")
        if item.get("device_id", device_id) != device_id:
            raise BundleError(f"{path.name}: it holds events of another bus; refused whole.")
        seq = item.get("seq")
        if bounded and isinstance(seq, int) and not first <= seq <= last:
            raise BundleError(f"{path.name}: event {seq} is outside the bundle's {first}-{last}; refused whole.")
    return items


def import_bundle(hq: HQ, path: str | Path) -> ImportResult:
    """Verify one to-hq bundle whole, then ingest its events; raise BundleError (nothing written)."""
    path = Path(path)
    db = hq.db()
    try:
        manifest = protocol.read_bundle_manifest(path)
    except protocol.ProtocolError as exc:
        raise BundleError(f"{exc}; refused.") from None
    if manifest.get("direction") != TO_HQ:
        raise BundleError(f"{path.name}: not a bundle from a bus to headquarters; refused.")
    device_id = manifest.get("device_id")
    device = devices.get_device(db, device_id) if isinstance(device_id, str) else None
    if device is None:
        raise BundleError(f"{path.name}: it comes from a bus headquarters does not know; refused.")
    if not device.active:
        raise BundleError(f"{path.name}: it comes from {device.name!r}, a revoked device; refused.")
    try:
        bundle = protocol.read_bundle(path, protocol.load_public(device.public_key))
    except protocol.ProtocolError as exc:
        raise BundleError(f"{exc}") from None
    if EVENTS_FILE not in bundle.files:
        raise BundleError(f"{path.name}: it holds no {EVENTS_FILE}; refused.")
    items = _events(path, bundle.files[EVENTS_FILE], device.device_id, manifest)
    version = manifest.get("catalogue_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        version = None
    try:
        result = events.ingest(db, device.device_id, items, hq.now(), via="bundle", catalogue_version=version)
    except events.EventsError as exc:
        raise BundleError(f"{path.name}: {exc.message} Refused whole.") from None
    return ImportResult(
        file=str(path),
        status="imported",
        device_id=device.device_id,
        device=device.name,
        events=len(items),
        counts={name: result.count(name) for name in ("stored", "duplicate", "quarantined", "conflict")},
        acknowledged=result.acknowledged,
    )


def import_bundles(hq: HQ, paths: Iterable[str | Path]) -> list[ImportResult]:
    """Import every bundle found in `paths`; a refused bundle does not stop the others."""
    results = []
    for path in find_bundles(paths):
        try:
            results.append(import_bundle(hq, path))
        except BundleError as exc:
            results.append(ImportResult(file=str(path), status="refused", reason=str(exc)))
    return results
