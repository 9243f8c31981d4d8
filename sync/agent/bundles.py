"""USB bundles on the bus: the stick a mediator carries where there is no network
(docs/protocol.md, "USB bundles"; headquarters' side: sync/server/bundles.py).

`export_bundle(data_dir, root)` writes ``ROOT/numeribus/to-hq/<device_id>-<first>-<last>.nbundle``:
every outbox event headquarters has not acknowledged, in sequence order, signed with the bus's
key, with the catalogue version the bus holds.  The outbox is NOT marked sent: the stick may be
lost.  Headquarters' acknowledgement comes back with the next network round or in a to-bus
bundle's ``acknowledged`` (when headquarters puts it in).  Nothing pending: no file.

`import_bundle(data_dir, path)` takes ``numeribus/to-bus/<device_id>-<to_version>.nbundle`` (a
file, or a folder / a stick's root where the newest one for this bus is picked).  In this order,
and before anything is changed:

1. the bundle is meant for a bus (``direction`` ``to-bus``) and for THIS bus (``device_id``);
2. its signature verifies with the pinned headquarters key, and every file its hash and size
   (`protocol.read_bundle`);
3. its versions fit what the bus holds (V, `changes.sync_version` of catalogue.db):
   ``to_version < V``: an older bundle, refused; ``to_version == V``: already applied, nothing
   to do (a duplicated bundle is harmless); without a snapshot, ``from_version > V`` would leave
   a gap: refused;
4. the change entries and, when there is one, the snapshot (its manifest signed by headquarters
   for this bus, every chunk matching the hash and entity count of that manifest) are readable.

Only then: the snapshot is applied whole (`changes.apply_snapshot`, an atomic swap), then the
changes above the version the bus now holds, with the bundle's ``to_version`` as cursor, in one
transaction (`changes.apply_changes`).  Then, when the manifest carries ``acknowledged``, the
outbox is marked sent up to it and the visitors' personal data headquarters holds is deleted.

Every refusal is a `BundleError` whose message is one plain sentence and whose ``reason`` is one
of `BUNDLE_REASONS` (for the kiosk's own words, in French); nothing was changed.
Nothing here logs an event's content (requests and volunteer offers carry names and contacts).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import json
import logging
import sqlite3
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import protocol
from .identity import Identity, IdentityError, load_identity

log = logging.getLogger(__name__)

TO_HQ = "to-hq"
TO_BUS = "to-bus"
STICK_FOLDER = "numeribus"
EVENTS_FILE = "events.jsonl.gz"
CHANGES_FILE = "changes.jsonl.gz"


# Why a bundle was not written or was refused, for a program (`BundleError.reason`); the messages
# are plain English sentences for the command line.  docs/sync-agent.md, "USB bundles on the bus".
BUNDLE_REASONS = (
    "not_enrolled",  # no identity, a damaged one, or a journal.db of another device: enrol the bus (again)
    "no_bundle",  # no bundle for this bus at the path (the path does not exist, or only other buses' bundles)
    "other_bus",  # meant for another bus, or a bus's bundle for headquarters (the wrong direction)
    "tampered",  # a signature, a hash or a size does not verify
    "damaged",  # unreadable, truncated, not a bundle, or content the bus cannot use
    "older",  # older than the catalogue the bus holds (a replayed bundle)
    "gap",  # starts after the version the bus holds and carries no snapshot
    "storage",  # the bus's databases cannot be used
    "write_failed",  # the bundle for headquarters cannot be written to the stick (full, read-only, gone)
    "failed",  # anything else
)


class BundleError(Exception):
    """A bundle cannot be written, or is refused; the message says why in one sentence, ``reason``
    (one of `BUNDLE_REASONS`) says it for a program."""

    def __init__(self, message: str, *, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason


def stick_folder(root: str | Path, direction: str) -> Path:
    """``ROOT/numeribus/to-hq`` or ``ROOT/numeribus/to-bus``."""
    return Path(root) / STICK_FOLDER / direction


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def require_identity(data_dir: Path) -> Identity:
    """The bus's identity, or a BundleError saying how to get one."""
    try:
        identity = load_identity(Path(data_dir))
    except IdentityError as exc:
        raise BundleError(str(exc), reason="not_enrolled") from None
    if identity is None:
        raise BundleError(
            "This bus is not enrolled at headquarters: run `numeribus-kiosk enrol --hq URL --code CODE` first.",
            reason="not_enrolled",
        )
    return identity


def _check_journal_device(identity: Identity, journal_db) -> None:
    from numeribus_kiosk.journal import outbox

    if outbox.device_id(journal_db) != identity.device_id:
        raise BundleError(
            "The bus's journal does not belong to the enrolled device (journal.db was replaced): "
            "enrol the bus again (numeribus-kiosk enrol --force).",
            reason="not_enrolled",
        )


# --------------------------------------------------------------------------- to headquarters


@dataclass(slots=True)
class ExportResult:
    """What `export_bundle` wrote; ``path`` is None when no event was waiting."""

    path: Path | None
    device_id: str
    events: int
    first_seq: int | None
    last_seq: int | None
    catalogue_version: int
    size: int

    def to_dict(self) -> dict:
        return {
            "path": None if self.path is None else str(self.path),
            "device_id": self.device_id,
            "events": self.events,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "catalogue_version": self.catalogue_version,
            "size": self.size,
        }


def events_file(events) -> bytes:
    """``events.jsonl.gz``: one outbox event per line, as ``POST /api/v1/events`` takes them."""
    lines = "".join(
        json.dumps(dataclasses.asdict(event), ensure_ascii=False, separators=(",", ":")) + "\n" for event in events
    )
    return gzip.compress(lines.encode("utf-8"), mtime=0)


def write_events_bundle(
    identity: Identity, journal_db, catalogue_db, root: str | Path, now: datetime | None = None
) -> ExportResult:
    """Write the pending events into `root`/numeribus/to-hq/ (see the module docstring)."""
    from numeribus_kiosk.catalogue import changes
    from numeribus_kiosk.journal import outbox

    root = Path(root)
    if not root.is_dir():
        raise BundleError(f"{root} is not a folder (is the stick mounted?).", reason="write_failed")
    try:
        _check_journal_device(identity, journal_db)
        version = changes.sync_version(catalogue_db)
        events = outbox.pending(journal_db, limit=sys.maxsize)
    except sqlite3.Error as exc:
        raise _storage_error(exc, Path("journal.db")) from None
    if not events:
        return ExportResult(None, identity.device_id, 0, None, None, version, 0)
    first, last = events[0].seq, events[-1].seq
    manifest = {
        "direction": TO_HQ,
        "device_id": identity.device_id,
        "first_seq": first,
        "last_seq": last,
        "catalogue_version": version,
        "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
    }
    path = stick_folder(root, TO_HQ) / f"{identity.device_id}-{first}-{last}{protocol.BUNDLE_SUFFIX}"
    try:
        protocol.write_bundle(path, identity.key, manifest, {EVENTS_FILE: events_file(events)})
        protocol.read_bundle(path, identity.key.public_key())  # a faulty stick is better found now
        size = path.stat().st_size
    except OSError as exc:
        with contextlib.suppress(OSError):  # a full or read-only stick: leave no half-written file
            path.with_name(path.name + ".part").unlink(missing_ok=True)
        raise BundleError(f"Cannot write {path}: {exc.strerror or exc}.", reason="write_failed") from None
    except protocol.ProtocolError as exc:
        raise BundleError(
            f"The bundle written to {path} does not read back correctly ({exc}).", reason="write_failed"
        ) from None
    log.info("bundle for headquarters written: %s (events %d-%d)", path.name, first, last)
    return ExportResult(path, identity.device_id, len(events), first, last, version, size)


def export_bundle(data_dir: str | Path, root: str | Path, now: datetime | None = None) -> ExportResult:
    """`write_events_bundle` with the files of the data directory `data_dir`."""
    from numeribus_kiosk.store import StoreError, catalogue_path, journal_path, open_catalogue_db, open_journal_db

    data_dir = Path(data_dir)
    identity = require_identity(data_dir)
    database = journal_path(data_dir)
    try:
        journal_db = open_journal_db(data_dir)
        try:
            database = catalogue_path(data_dir)
            catalogue_db = open_catalogue_db(data_dir)
            try:
                database = journal_path(data_dir)
                return write_events_bundle(identity, journal_db, catalogue_db, root, now)
            finally:
                catalogue_db.close()
        finally:
            journal_db.close()
    except (StoreError, sqlite3.Error) as exc:
        raise _storage_error(exc, database) from None


# --------------------------------------------------------------------------- from headquarters


@dataclass(slots=True)
class ImportResult:
    """What `import_bundle` did.  ``status``: ``applied`` or ``already_applied``."""

    file: str
    status: str
    device_id: str
    previous_version: int  # what the bus held before
    version: int  # what it holds now
    from_version: int
    to_version: int
    changes: int  # change entries applied
    snapshot_version: int | None = None
    snapshot_entities: int = 0
    acknowledged: int | None = None  # headquarters' acknowledged seq, when the bundle carries it
    events_acknowledged: int = 0  # outbox events newly marked sent
    personal_data_purged: int = 0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class ToBusBundle:
    """A to-bus bundle verified whole (`read_to_bus_bundle`), ready to apply."""

    path: Path
    manifest: dict
    files: dict[str, bytes]
    from_version: int
    to_version: int
    acknowledged: int | None
    up_to_date: bool  # the bus already holds to_version: only `acknowledged` is used
    entries: list[dict] = dataclasses.field(default_factory=list)
    snapshot_version: int | None = None
    snapshot_chunks: tuple[str, ...] = ()  # names of the snapshot files, in the manifest's order
    snapshot_entities: int = 0

    def snapshot_entity_stream(self, *, lines: bool = False) -> Iterator[dict | bytes]:
        """The snapshot's entities, chunk after chunk (decompressed again as they are applied);
        ``lines``: as their JSON lines, not parsed (for the worker processes of `apply_snapshot`)."""
        for name in self.snapshot_chunks:
            for line in gzip.decompress(self.files[name]).splitlines():
                if line.strip():
                    yield line if lines else json.loads(line)


def _bundle_version(path: Path, device_id: str) -> int | None:
    """The to_version in a ``<device_id>-<to_version>.nbundle`` name, None for another name."""
    prefix = f"{device_id}-"
    stem = path.name[: -len(protocol.BUNDLE_SUFFIX)]
    if not stem.startswith(prefix) or not stem[len(prefix) :].isdigit():
        return None
    return int(stem[len(prefix) :])


def find_bundle(path: str | Path, device_id: str) -> Path:
    """The bundle to import: `path` itself when it is a file; for a folder (a stick's root), the
    newest ``numeribus/to-bus/<device_id>-<to_version>.nbundle`` (also looked for in ``to-bus/``
    and in the folder itself).  Raises BundleError when there is none."""
    path = Path(path)
    if path.is_file():
        return path
    if not path.is_dir():
        raise BundleError(f"{path} does not exist.", reason="no_bundle")
    others = 0
    for folder in (stick_folder(path, TO_BUS), path / TO_BUS, path):
        candidates = [p for p in folder.glob(f"*{protocol.BUNDLE_SUFFIX}") if p.is_file()]
        mine = [(v, p) for p in candidates if (v := _bundle_version(p, device_id)) is not None]
        if mine:
            return max(mine)[1]
        others += len(candidates)
    where = f"{STICK_FOLDER}/{TO_BUS}/{device_id}-*{protocol.BUNDLE_SUFFIX}"
    if others:
        raise BundleError(
            f"No bundle for this bus in {path} (looked for {where}; the others are for other buses).",
            reason="no_bundle",
        )
    raise BundleError(f"No bundle for this bus in {path} (looked for {where}).", reason="no_bundle")


def _gunzip_lines(data: bytes) -> list[dict]:
    items = [json.loads(line) for line in gzip.decompress(data).splitlines() if line.strip()]
    if not all(isinstance(item, dict) for item in items):
        raise ValueError("a line is not an object")
    return items


def _damaged(name: str, what: str) -> BundleError:
    return BundleError(f"{name}: {what} cannot be read although its hash matches; refused whole.", reason="damaged")


def _check_snapshot(bundle: ToBusBundle, hq_key, device_id: str) -> None:
    name = bundle.path.name
    snapshot = bundle.manifest["snapshot"]
    signed = snapshot.get("manifest") if isinstance(snapshot, dict) else None
    signature = snapshot.get("signature") if isinstance(snapshot, dict) else None
    if not isinstance(signed, dict) or not isinstance(signature, str):
        raise BundleError(f"{name}: its snapshot has no signed manifest; refused whole.", reason="damaged")
    if not protocol.verify_document(hq_key, "snapshot", signed, signature):
        raise BundleError(
            f"{name}: its snapshot's signature does not verify with headquarters' key; refused whole.",
            reason="tampered",
        )
    if signed.get("format") != protocol.SNAPSHOT_FORMAT:
        raise BundleError(
            f"{name}: its snapshot is in a format this kiosk does not know; refused whole.", reason="damaged"
        )
    if signed.get("device_id") != device_id:
        raise BundleError(f"{name}: its snapshot is not one made for this bus; refused whole.", reason="other_bus")
    version, chunks = signed.get("version"), signed.get("chunks")
    if not _whole(version) or version > bundle.to_version or not isinstance(chunks, list):
        raise BundleError(
            f"{name}: its snapshot's manifest is not consistent with the bundle; refused whole.", reason="damaged"
        )
    names, total = [], 0
    for chunk in chunks:
        sha = chunk.get("sha256") if isinstance(chunk, dict) else None
        member = f"snapshot/{sha}.gz"
        if not isinstance(sha, str) or member not in bundle.files:
            raise BundleError(f"{name}: a chunk of its snapshot is missing; refused whole.", reason="damaged")
        data = bundle.files[member]
        if protocol.sha256_hex(data) != sha or len(data) != chunk.get("size"):
            raise BundleError(
                f"{name}: a chunk of its snapshot does not match its signed hash; refused whole.", reason="tampered"
            )
        try:
            entities = _gunzip_lines(data)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
            raise _damaged(name, "a chunk of its snapshot") from None
        if len(entities) != chunk.get("entities") or not all(
            isinstance(e.get("kind"), str) and isinstance(e.get("key"), str) for e in entities
        ):
            raise BundleError(
                f"{name}: a chunk of its snapshot does not hold what its manifest says; refused whole.",
                reason="damaged",
            )
        names.append(member)
        total += len(entities)
    if total != signed.get("entities"):
        raise BundleError(
            f"{name}: its snapshot does not hold what its manifest says; refused whole.", reason="damaged"
        )
    bundle.snapshot_version = version
    bundle.snapshot_chunks = tuple(names)
    bundle.snapshot_entities = total


def _check_addressee(manifest: dict, identity: Identity, name: str) -> None:
    if manifest.get("direction") == TO_HQ:
        raise BundleError(
            f"{name}: this bundle goes from a bus to headquarters, not to this bus; refused.", reason="other_bus"
        )
    if manifest.get("direction") != TO_BUS:
        raise BundleError(f"{name}: this is not a bundle from headquarters for a bus; refused.", reason="other_bus")
    if manifest.get("device_id") != identity.device_id:
        raise BundleError(f"{name}: this bundle was made for another bus; refused.", reason="other_bus")


def read_to_bus_bundle(path: str | Path, identity: Identity, current_version: int) -> ToBusBundle:
    """Verify a to-bus bundle whole against this bus, which holds `current_version` (steps 1-4 of
    the module docstring); raise BundleError when it is refused.  A bundle of the version the bus
    holds comes back with ``up_to_date`` set (nothing of its catalogue part is read further)."""
    path = Path(path)
    name = path.name
    try:
        claimed = protocol.read_bundle_manifest(path)
    except protocol.ProtocolError as exc:
        raise BundleError(f"{exc}; refused.", reason="damaged") from None
    # Not trusted yet: only its direction is looked at before the signature (a bus's own bundle for
    # headquarters is signed by the bus, and deserves a precise message); the addressee after it.
    if claimed.get("direction") == TO_HQ:
        _check_addressee(claimed, identity, name)
    hq_key = protocol.load_public(identity.hq_public_key)
    try:
        verified = protocol.read_bundle(path, hq_key)
    except protocol.ProtocolError as exc:
        # Its structure was read above: what fails now is its signature, or a file that does not match
        # the signed list (missing, another hash or size, one more); unless the file cannot be read
        # again (a stick pulled out), which comes with the underlying error as its cause.
        raise BundleError(f"{exc}.", reason="damaged" if exc.__cause__ is not None else "tampered") from None
    manifest = verified.manifest
    _check_addressee(manifest, identity, name)
    from_version, to_version = manifest.get("from_version"), manifest.get("to_version")
    if not _whole(from_version) or not _whole(to_version) or CHANGES_FILE not in verified.files:
        raise BundleError(f"{name}: its manifest is incomplete; refused whole.", reason="damaged")
    if to_version < current_version:
        raise BundleError(
            f"{name}: this bundle is older than what the bus holds (version {to_version}, the bus has "
            f"{current_version}); refused, nothing changed.",
            reason="older",
        )
    acknowledged = manifest.get("acknowledged")
    bundle = ToBusBundle(
        path=path,
        manifest=manifest,
        files=verified.files,
        from_version=from_version,
        to_version=to_version,
        acknowledged=acknowledged if _whole(acknowledged) else None,
        up_to_date=to_version == current_version,
    )
    if bundle.up_to_date:
        return bundle
    if "snapshot" in manifest:
        _check_snapshot(bundle, hq_key, identity.device_id)
        start = bundle.snapshot_version
    elif from_version > current_version:
        raise BundleError(
            f"{name}: this bundle holds the changes after version {from_version} but the bus holds version "
            f"{current_version} (a bundle in between is missing, or the bus's catalogue was reset); refused.",
            reason="gap",
        )
    else:
        start = from_version
    try:
        entries = _gunzip_lines(verified.files[CHANGES_FILE])
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError):
        raise _damaged(name, "its changes file") from None
    if len(entries) != manifest.get("changes"):
        raise BundleError(
            f"{name}: it does not hold the number of changes its manifest says; refused whole.", reason="damaged"
        )
    for entry in entries:
        version = entry.get("version")
        if not _whole(version) or not start < version <= to_version:
            raise BundleError(f"{name}: a change lies outside the bundle's versions; refused whole.", reason="damaged")
    bundle.entries = entries
    return bundle


def apply_to_bus_bundle(
    bundle: ToBusBundle,
    catalogue_db,
    journal_db,
    *,
    bus_locations: Iterable[str] | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Apply a verified bundle (`read_to_bus_bundle`) to the bus's catalogue, then take its
    acknowledgement.  The caller has checked that `journal_db` is the enrolled device's.
    `bus_locations`: config.toml's, used until headquarters has sent the bus's configuration
    (see `numeribus_kiosk.catalogue.changes`).  `workers`: the processes that apply a snapshot
    (`sync.agent.download.snapshot_workers`; None: chosen from its number of entities).  An
    error of a database is a BundleError with reason ``storage``."""
    from numeribus_kiosk.catalogue import changes
    from numeribus_kiosk.journal import outbox, requests

    from .download import snapshot_workers

    database = "catalogue.db"
    try:
        previous = changes.sync_version(catalogue_db)
        applied = not bundle.up_to_date and bundle.to_version > previous
        entries: list[dict] = []
        if applied:
            try:
                if bundle.snapshot_version is not None:
                    processes = snapshot_workers(workers, bundle.snapshot_entities)
                    changes.apply_snapshot(
                        catalogue_db,
                        bundle.snapshot_entity_stream(lines=processes > 1),
                        bundle.snapshot_version,
                        bus_locations=bus_locations,
                        workers=processes,
                    )
                since = changes.sync_version(catalogue_db)
                entries = [entry for entry in bundle.entries if entry["version"] > since]
                changes.apply_changes(
                    catalogue_db, entries, bundle.to_version, since=since, bus_locations=bus_locations
                )
            except changes.ChangeError as exc:
                raise BundleError(f"{bundle.path.name}: the bus cannot apply it ({exc}).", reason="damaged") from None
        result = ImportResult(
            file=str(bundle.path),
            status="applied" if applied else "already_applied",
            device_id=bundle.manifest["device_id"],
            previous_version=previous,
            version=changes.sync_version(catalogue_db),
            from_version=bundle.from_version,
            to_version=bundle.to_version,
            changes=len(entries),
            snapshot_version=bundle.snapshot_version if applied else None,
            snapshot_entities=bundle.snapshot_entities if applied else 0,
            acknowledged=bundle.acknowledged,
        )
        if bundle.acknowledged is not None:
            database = "journal.db"
            result.events_acknowledged = outbox.acknowledge(journal_db, bundle.acknowledged)
            result.personal_data_purged = requests.purge_acknowledged_personal_data(journal_db)
            if result.personal_data_purged:
                requests.forget_purged_pages(journal_db)  # the names leave the files too
    except sqlite3.Error as exc:
        raise _storage_error(exc, Path(database)) from None
    log.info(
        "bundle from headquarters %s: %s, version %d -> %d", bundle.path.name, result.status, previous, result.version
    )
    return result


def _storage_error(exc: Exception, path: Path) -> BundleError:
    """A BundleError (reason ``storage``) for an error of the bus's databases."""
    from numeribus_kiosk.store import StoreError, describe_sqlite_error

    message = str(exc) if isinstance(exc, StoreError) else describe_sqlite_error(path, exc)
    return BundleError(message, reason="storage")


def import_bundle(data_dir: str | Path, path: str | Path, *, workers: int | None = None) -> ImportResult:
    """Find, verify whole, then apply the bundle for this bus at `path` (a file or a stick's root);
    `workers` as in `apply_to_bus_bundle`."""
    from numeribus_kiosk.catalogue import changes
    from numeribus_kiosk.settings import load_settings
    from numeribus_kiosk.store import StoreError, catalogue_path, journal_path, open_catalogue_db, open_journal_db

    data_dir = Path(data_dir)
    identity = require_identity(data_dir)
    bundle_path = find_bundle(path, identity.device_id)
    bus_locations = load_settings(data_dir).bus_locations
    database = journal_path(data_dir)
    try:
        journal_db = open_journal_db(data_dir)
        try:
            _check_journal_device(identity, journal_db)
            database = catalogue_path(data_dir)
            catalogue_db = open_catalogue_db(data_dir)
            try:
                bundle = read_to_bus_bundle(bundle_path, identity, changes.sync_version(catalogue_db))
                result = apply_to_bus_bundle(
                    bundle, catalogue_db, journal_db, bus_locations=bus_locations, workers=workers
                )
                if result.status == "applied":
                    from .download import discard_partial_snapshots

                    discard_partial_snapshots(data_dir)  # a network download cut earlier is overtaken
                return result
            finally:
                catalogue_db.close()
        finally:
            journal_db.close()
    except (StoreError, sqlite3.Error) as exc:
        raise _storage_error(exc, database) from None


# --------------------------------------------------------------------------- numeribus-kiosk bundle


def cmd_bundle_export(args) -> int:
    from numeribus_kiosk.cli import CommandError, print_json

    try:
        result = export_bundle(args.data_dir, args.path)
    except BundleError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print_json(result.to_dict())
    elif result.path is None:
        print("No event is waiting for headquarters: no bundle written.")
    else:
        print(
            f"Wrote {result.path}: {result.events} event(s) ({result.first_seq}-{result.last_seq}), "
            f"catalogue version {result.catalogue_version}."
        )
        print("They stay waiting on the bus until headquarters acknowledges them.")
    return 0


def cmd_bundle_import(args) -> int:
    from numeribus_kiosk.cli import CommandError, print_json

    try:
        result = import_bundle(args.data_dir, args.path)
    except BundleError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print_json(result.to_dict())
        return 0
    name = Path(result.file).name
    if result.status == "applied":
        snapshot = (
            f"a snapshot of {result.snapshot_entities} entities (version {result.snapshot_version}) and "
            if result.snapshot_version is not None
            else ""
        )
        print(
            f"Imported {name}: {snapshot}{result.changes} change(s); catalogue version "
            f"{result.previous_version} -> {result.version}."
        )
    else:
        print(f"{name} was already applied: the bus holds catalogue version {result.version}.")
    if result.acknowledged is not None:
        print(f"Headquarters holds the bus's events up to {result.acknowledged}.")
    return 0


def add_commands(subparsers) -> None:
    """Add `bundle export` and `bundle import` to the top-level sub-parsers of numeribus_kiosk.cli."""
    bundle = subparsers.add_parser(
        "bundle",
        help="exchange with headquarters through a folder (a USB stick)",
        description="Exchange with headquarters through a folder or a USB stick when there is no network.",
    )
    commands = bundle.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = commands.add_parser(
        "export",
        help="write the events waiting for headquarters to PATH/numeribus/to-hq/",
        description="Write the outbox events headquarters has not acknowledged into "
        "PATH/numeribus/to-hq/<device_id>-<first>-<last>.nbundle, signed with the bus's key.",
    )
    p.add_argument("path", metavar="PATH", help="the folder (a USB stick's root) to write into")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_bundle_export)
    p = commands.add_parser(
        "import",
        help="apply headquarters' bundle for this bus (a .nbundle file or a stick's root)",
        description="Verify whole, then apply, the catalogue bundle headquarters wrote for this bus: "
        "a .nbundle file, or a folder whose numeribus/to-bus/ holds it.",
    )
    p.add_argument("path", metavar="PATH", help="a .nbundle file or a folder (a USB stick's root)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_bundle_import)
