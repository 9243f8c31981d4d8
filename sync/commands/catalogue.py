"""`numeribus-sync catalogue import|stats`: publishing the library's catalogue to the buses.

- ``catalogue import FILE... [--format auto|marc21|unimarc|csv] [--json]``: the files are the
  whole catalogue (read with the kiosk's readers and config.toml's reader options); only new or
  changed records get a new version, absent ones a tombstone.  Then the configuration lists and
  every bus's configuration are published again (idempotent), tombstones past
  ``[changes] tombstone_days`` are purged and the snapshot is rebuilt.
- ``catalogue stats [--json]``: records, versions, tombstones, snapshot.
"""

from __future__ import annotations

import sys

from numeribus_kiosk.catalogue.readers import FORMATS

from ..cli import CommandError, print_json
from ..server import catalogue, publish, snapshots
from ..server.database import resolve_data_dir
from ..server.state import HQ


def open_hq(args) -> HQ:
    """The HQ of --data-dir; an unusable data folder or hq.db is a `CommandError`."""
    from numeribus_kiosk.store import StoreError

    try:
        return HQ(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def republish(hq: HQ) -> dict:
    """After an import: lists and device configurations, tombstone purge, snapshot."""
    publish.refresh_configuration(hq)
    publish.purge_expired_tombstones(hq)
    snapshot = snapshots.build_snapshot(hq.db(), hq.now(), hq.config.chunk_bytes)
    return {"snapshot_version": snapshot.version, "snapshot_chunks": len(snapshot.chunks)}


def cmd_import(args) -> int:
    hq = open_hq(args)
    try:
        for problem in hq.config.problems:
            print(f"warning: {problem}", file=sys.stderr)
        try:
            report = catalogue.import_catalogue(
                hq.db(), args.files, hq.now(), format=args.format, options=hq.config.reader_options
            )
        except catalogue.CatalogueImportError as exc:
            raise CommandError(str(exc)) from exc
        data = report.to_dict() | republish(hq)
        data["version"] = publish.current_version(hq.db())
    finally:
        hq.close()
    if args.json:
        print_json(data)
        return 0
    print(f"Read {data['read']} records from {len(data['files'])} file(s).")
    print(f"The published catalogue holds {data['imported']} records.")
    for d in data["duplicates"]:
        print(
            f"  {d['file']} record {d['position']} (id {d['id']}) replaces "
            f"{d['replaces_file']} record {d['replaces_position']}"
        )
    if data["changed"]:
        print(
            f"Published: {data['added']} added, {data['updated']} updated, {data['removed']} removed, "
            f"{data['unchanged']} unchanged; change log at version {data['version']}."
        )
    else:
        print(f"Nothing changed: the same records were already published (version {data['version']}).")
    if data["skipped"]:
        print(f"Skipped {len(data['skipped'])} records:")
        for item in data["skipped"]:
            print(f"  {item['file']} record {item['position']}: {item['reason']}")
    for path in data["ignored"]:
        print(f"Ignored {path} (not a catalogue file).")
    print(f"Snapshot at version {data['snapshot_version']} ({data['snapshot_chunks']} chunk(s)).")
    return 0


def cmd_stats(args) -> int:
    hq = open_hq(args)
    try:
        stats = catalogue.stats(hq.db())
    finally:
        hq.close()
    if args.json:
        print_json(stats)
        return 0
    for key, value in stats.items():
        print(f"{key}: {value}")
    return 0


def register(subparsers) -> None:
    group = subparsers.add_parser("catalogue", help="publish the catalogue to the buses")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="catalogue_command", metavar="SUBCOMMAND")

    p = commands.add_parser("import", help="publish these files as the whole catalogue")
    p.add_argument("files", nargs="+", metavar="FILE", help="ISO 2709, MARCXML or CSV files, or folders")
    p.add_argument("--format", choices=FORMATS, default="auto", help="force the MARC flavour (default: detect)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import)

    p = commands.add_parser("stats", help="what is published")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_stats)
