"""Online backup and restore of headquarters' data (issue 7; docs/guide-depot.md, "Sauvegarde").

`backup(data_dir, dest_root, now, keep=None)` writes ``DEST_ROOT/numeribus-hq-YYYYMMDD-HHMMSS/``
while the service runs:

- ``hq.db``: copied with SQLite's online backup API from a connection of its own (a consistent
  copy of one moment; the service goes on writing meanwhile), then checked (``PRAGMA
  integrity_check``) and its WAL folded in, so the copy is one self-contained file;
- ``hq-key.pem`` (owner-only, 0600) and ``config.toml`` when there is one;
- ``manifest.json``, written LAST: the format, when, headquarters' key fingerprint, each file's
  SHA-256 and size, and a few counts.  A folder without it is an interrupted backup and is never
  restored.  The folder is written as ``.partial`` and renamed when complete.

``keep=N`` then deletes the oldest complete backups beyond N.  Nothing here logs visitors' data
(hq.db holds requests with names: the backup folder is made owner-only, 0700).

`restore(backup_folder, data_dir, now)` puts a backup back, only when it verifies whole
(manifest, hashes and sizes, the database's integrity, the key matching the fingerprint) and only
while the service is stopped: `numeribus-sync serve` holds ``serve.lock`` (`ServiceLock`) for as
long as it runs.  What the data folder held is moved aside first, into
``DATA_DIR/before-restore-YYYYMMDD-HHMMSS/``, never deleted.  Every refusal is a `BackupError`
whose message is one plain sentence; a refused restore changes nothing.

After restoring an older backup, the buses' events acknowledged since that backup are gone from
headquarters: a bus then reports that headquarters holds fewer of its events than it sent
(reason ``not_acknowledged``); see docs/sync-agent.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import protocol
from .database import HQ_FILE
from .state import HQ_KEY_FILE

FORMAT = "numeribus-hq-backup/1"
MANIFEST = "manifest.json"
CONFIG_FILE = "config.toml"
PREFIX = "numeribus-hq-"
PARTIAL = ".partial"
LOCK_FILE = "serve.lock"
COUNTED = ("devices", "events", "changes")  # tables whose row counts go into the manifest


class BackupError(Exception):
    """A backup that cannot be made, or a restore refused; the message says why in one sentence."""


@dataclass(slots=True)
class BackupResult:
    folder: Path
    created_at: str
    files: dict[str, dict] = field(default_factory=dict)  # name -> {"sha256", "size"}
    counts: dict[str, int] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)  # older backups removed by keep=

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "created_at": self.created_at,
            "files": self.files,
            "counts": self.counts,
            "deleted": self.deleted,
        }


@dataclass(slots=True)
class RestoreResult:
    folder: Path
    created_at: str
    set_aside: Path | None  # where the data folder's previous files went (None: there were none)
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "created_at": self.created_at,
            "set_aside": str(self.set_aside) if self.set_aside else None,
            "counts": self.counts,
        }


# --------------------------------------------------------------------------- the service's lock


class ServiceLock:
    """``DATA_DIR/serve.lock``, held (flock, exclusive) by a running `numeribus-sync serve`.

    flock, not fcntl record locks: a record lock is released when ANY descriptor of the file is
    closed by the process (the trap store._check_is_database fell into), a flock only with its
    own open file."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self._file = None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - kept open as long as the lock is held
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> ServiceLock:
        if not self.acquire():
            raise BackupError(
                f"The headquarters service is running on {self.path.parent}: stop it first "
                "(systemctl stop numeribus-sync), then restore."
            )
        return self

    def __exit__(self, *exc) -> None:
        self.release()


# --------------------------------------------------------------------------- helpers


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counted = [name for name in COUNTED if name in tables]
        return {name: conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in counted}
    finally:
        conn.close()


def _integrity(path: Path) -> str | None:
    """None when SQLite finds the file sound, else what it says."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of `source` (in use by the service) into the new file `target`."""
    src = sqlite3.connect(source, timeout=30)  # read only in practice; read-write opens a WAL file without its -shm
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one read transaction, one moment
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        dst.commit()
    finally:
        dst.close()
        src.close()


def complete_backups(dest_root: Path) -> list[Path]:
    """The complete backups in `dest_root` (a manifest), oldest first."""
    if not dest_root.is_dir():
        return []
    found = dest_root.glob(PREFIX + "*")
    return sorted(p for p in found if p.is_dir() and not p.name.endswith(PARTIAL) and (p / MANIFEST).is_file())


# --------------------------------------------------------------------------- backup


def backup(data_dir: Path, dest_root: Path, now: datetime, *, keep: int | None = None) -> BackupResult:
    """Write a complete, checked backup of `data_dir` into a new folder of `dest_root`."""
    data_dir, dest_root = Path(data_dir), Path(dest_root)
    source = data_dir / HQ_FILE
    if not source.is_file():
        raise BackupError(f"There is no headquarters database to back up in {data_dir} ({HQ_FILE} is missing).")
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1: a backup is never deleted by the one that replaces it.")
    created_at = now.isoformat(timespec="seconds")
    folder = dest_root / f"{PREFIX}{_stamp(now)}"
    partial = folder.with_name(folder.name + PARTIAL)
    if folder.exists():
        raise BackupError(f"{folder} exists already: one backup per second at most.")
    try:
        dest_root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(partial, ignore_errors=True)  # an interrupted earlier try of this very second
        partial.mkdir(mode=0o700)
        _copy_database(source, partial / HQ_FILE)
        problem = _integrity(partial / HQ_FILE)
        if problem is not None:
            raise BackupError(f"The copy of {HQ_FILE} is not sound ({problem}); nothing was kept. Check the disk.")
        key = data_dir / HQ_KEY_FILE
        if key.is_file():
            shutil.copyfile(key, partial / HQ_KEY_FILE)
            os.chmod(partial / HQ_KEY_FILE, 0o600)
        if (data_dir / CONFIG_FILE).is_file():
            shutil.copyfile(data_dir / CONFIG_FILE, partial / CONFIG_FILE)
        files = {}
        for path in sorted(partial.iterdir()):
            protocol.fsync_path(path)
            files[path.name] = {"sha256": protocol.file_sha256(path), "size": path.stat().st_size}
        counts = _counts(partial / HQ_FILE)
        fingerprint = None
        if key.is_file():
            fingerprint = protocol.fingerprint(protocol.load_private_key(partial / HQ_KEY_FILE))
        manifest = {
            "format": FORMAT,
            "created_at": created_at,
            "hq_fingerprint": fingerprint,
            "files": files,
            "counts": counts,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        protocol.fsync_path(partial / MANIFEST)
        os.replace(partial, folder)
        protocol.fsync_path(dest_root)
    except BackupError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(f"The backup could not be written to {dest_root} ({why}); nothing was kept.") from None
    result = BackupResult(folder, created_at, files, counts)
    if keep is not None:
        for old in complete_backups(dest_root)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
            result.deleted.append(old.name)
    return result


# --------------------------------------------------------------------------- restore


def read_backup(folder: Path) -> dict:
    """The manifest of the backup in `folder`, once every file verifies; BackupError otherwise."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder: give the backup's folder ({PREFIX}...).")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: an interrupted or unfinished backup, not restored.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"The manifest of {folder} cannot be read ({exc}): not restored.") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is not a numéribus headquarters backup ({FORMAT}).")
    if HQ_FILE not in files:
        raise BackupError(f"The backup in {folder} has no {HQ_FILE}: not restored.")
    for name, expected in files.items():
        path = folder / name
        if not isinstance(name, str) or "/" in name or name.startswith(".") or not isinstance(expected, dict):
            raise BackupError(f"The manifest of {folder} lists an unexpected file {name!r}: not restored.")
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup in {folder}: not restored.")
        if path.stat().st_size != expected.get("size") or protocol.file_sha256(path) != expected.get("sha256"):
            raise BackupError(f"{name} in {folder} is not the file the backup wrote (damaged, changed): not restored.")
    problem = _integrity(folder / HQ_FILE)
    if problem is not None:
        raise BackupError(f"The database of the backup in {folder} is not sound ({problem}): not restored.")
    if HQ_KEY_FILE in files:
        try:
            fingerprint = protocol.fingerprint(protocol.load_private_key(folder / HQ_KEY_FILE))
        except (OSError, ValueError, protocol.ProtocolError) as exc:
            raise BackupError(f"The key in the backup in {folder} cannot be read ({exc}): not restored.") from None
        if fingerprint != manifest.get("hq_fingerprint"):
            raise BackupError(f"The key in {folder} is not the one the backup recorded: not restored.")
    return manifest


def restore(folder: Path, data_dir: Path, now: datetime) -> RestoreResult:
    """Put the backup in `folder` back into `data_dir` (the service stopped); see the module's doc."""
    folder, data_dir = Path(folder), Path(data_dir)
    manifest = read_backup(folder)
    data_dir.mkdir(parents=True, exist_ok=True)
    with ServiceLock(data_dir):
        present = [
            data_dir / name
            for name in (HQ_FILE, HQ_FILE + "-wal", HQ_FILE + "-shm", HQ_KEY_FILE, CONFIG_FILE)
            if (data_dir / name).exists()
        ]
        aside = data_dir / f"before-restore-{_stamp(now)}" if present else None
        staging = data_dir / f".restoring-{_stamp(now)}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(mode=0o700)
            for name in manifest["files"]:
                shutil.copyfile(folder / name, staging / name)
                protocol.fsync_path(staging / name)
            if (staging / HQ_KEY_FILE).exists():
                os.chmod(staging / HQ_KEY_FILE, 0o600)
            if aside is not None:
                aside.mkdir(mode=0o700)
                for path in present:
                    os.replace(path, aside / path.name)
            for name in manifest["files"]:
                os.replace(staging / name, data_dir / name)
            protocol.fsync_path(data_dir)
        except OSError as exc:
            raise BackupError(
                f"The restore could not write into {data_dir} ({exc.strerror or exc}); what was there is in "
                f"{aside or data_dir}."
            ) from None
        finally:
            with contextlib.suppress(OSError):
                shutil.rmtree(staging)
    return RestoreResult(folder, manifest.get("created_at", ""), aside, dict(manifest.get("counts") or {}))
