"""`numeribus-sync bundle export|import`: USB sticks for buses without a network.

- ``bundle export --device NAME --out DIR [--json]`` writes
  ``DIR/numeribus/to-bus/<device_id>-<to_version>.nbundle``: what that bus lacks, signed.
- ``bundle import PATH... [--json]`` takes the buses' ``numeribus/to-hq/*.nbundle`` (PATH: a
  bundle, or a folder such as the stick's root).  Each bundle is verified whole with its bus's
  key before anything is stored; a refused bundle is reported and the others are imported.
  Exit status 1 when a bundle was refused or held a sequence conflict.
"""

from __future__ import annotations

from ..cli import CommandError, print_json
from ..server import bundles
from .catalogue import open_hq


def cmd_export(args) -> int:
    hq = open_hq(args)
    try:
        try:
            result = bundles.export_bundle(hq, args.device, args.out)
        except bundles.BundleError as exc:
            raise CommandError(str(exc)) from exc
    finally:
        hq.close()
    data = result.to_dict()
    if args.json:
        print_json(data)
        return 0
    what = f"snapshot at version {data['snapshot_version']} and " if data["snapshot_version"] is not None else ""
    print(
        f"Wrote {data['path']} for {data['device']}: {what}{data['changes']} change(s) up to version "
        f"{data['to_version']} ({data['size']} bytes)."
    )
    return 0


def cmd_import(args) -> int:
    hq = open_hq(args)
    try:
        try:
            results = bundles.import_bundles(hq, args.paths)
        except bundles.BundleError as exc:
            raise CommandError(str(exc)) from exc
    finally:
        hq.close()
    data = {
        "bundles": [r.to_dict() for r in results],
        "imported": sum(r.status == "imported" for r in results),
        "refused": sum(r.status == "refused" for r in results),
    }
    failed = data["refused"] or any(b["conflict"] for b in data["bundles"])
    if args.json:
        print_json(data)
        return 1 if failed else 0
    for b in data["bundles"]:
        if b["status"] == "refused":
            print(f"Refused {b['file']}: {b['reason']}")
            continue
        print(
            f"Imported {b['file']} from {b['device']}: {b['events']} event(s), {b['stored']} stored, "
            f"{b['duplicate']} already held, {b['quarantined']} quarantined, {b['conflict']} in conflict; "
            f"acknowledged up to {b['acknowledged']}."
        )
        if b["conflict"]:
            print("  Sequence conflicts: see the alarms on the admin site.")
    return 1 if failed else 0


def register(subparsers) -> None:
    group = subparsers.add_parser("bundle", help="USB bundles for buses without a network")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="bundle_command", metavar="SUBCOMMAND")

    p = commands.add_parser("export", help="write what a bus lacks on a stick")
    p.add_argument("--device", required=True, metavar="NAME", help="the bus, as named by `device add`")
    p.add_argument("--out", required=True, metavar="DIR", help="the stick's folder (numeribus/to-bus/ is made in it)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("import", help="take the buses' events from a stick")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .nbundle file, or a folder holding numeribus/to-hq/")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_import)
