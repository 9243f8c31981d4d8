"""`numeribus-sync backup DEST [--keep N] [--json]` and `numeribus-sync restore FOLDER [--json]`.

- ``backup DEST``: an online backup of the data folder (the service may run) into a new folder
  ``DEST/numeribus-hq-YYYYMMDD-HHMMSS/`` (sync.server.backup); ``--keep N`` then deletes the
  oldest complete backups beyond N.  Prints the folder (or the result as JSON).
- ``restore FOLDER``: puts that backup back, once it verifies whole, while the service is stopped;
  what the data folder held goes to ``before-restore-YYYYMMDD-HHMMSS/`` in it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..cli import CommandError, print_json
from ..server import backup as hq_backup
from ..server.database import resolve_data_dir


def cmd_backup(args) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    try:
        result = hq_backup.backup(data_dir, Path(args.dest), datetime.now().astimezone(), keep=args.keep)
    except hq_backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print_json(result.to_dict())
        return 0
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    print(f"Backup written: {result.folder} ({counts}).")
    if result.deleted:
        print(f"Older backups deleted: {', '.join(result.deleted)}.")
    return 0


def cmd_restore(args) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    try:
        result = hq_backup.restore(Path(args.folder), data_dir, datetime.now().astimezone())
    except hq_backup.BackupError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print_json(result.to_dict())
        return 0
    print(f"Restored the backup of {result.created_at} into {data_dir}.")
    if result.set_aside is not None:
        print(f"What was there before is kept in {result.set_aside}.")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "backup",
        help="back up the data folder while the service runs",
        description="Write a checked copy of hq.db (SQLite's online backup), the key and config.toml into a new "
        "folder DEST/numeribus-hq-YYYYMMDD-HHMMSS/.",
    )
    p.add_argument("dest", metavar="DEST", help="the folder that holds the backups")
    p.add_argument("--keep", type=int, metavar="N", help="then delete the oldest backups beyond N")
    p.add_argument("--json", action="store_true", help="print {folder, created_at, files, counts, deleted} as JSON")
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "restore",
        help="put a backup back (the service stopped)",
        description="Put the backup in FOLDER back into the data folder, once every file verifies; the service "
        "must be stopped. What the data folder held is moved to before-restore-YYYYMMDD-HHMMSS/.",
    )
    p.add_argument("folder", metavar="FOLDER", help="a backup folder written by `backup` (numeribus-hq-...)")
    p.add_argument("--json", action="store_true", help="print {folder, created_at, set_aside, counts} as JSON")
    p.set_defaults(func=cmd_restore)
