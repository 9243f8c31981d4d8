"""`numeribus-sync schedule import FILE.csv`: publishing the bus schedule or the workshop agenda.

The CSV columns are those of the kiosk (docs/schedule-formats.md); a file with the ``kind`` and
``title`` columns is an agenda (workshops), any other a schedule (passages).  The file replaces
the whole schedule (or agenda): new and changed items get a version, absent ones a tombstone.
Then, as after a catalogue import, the configuration is published again and the snapshot rebuilt.
"""

from __future__ import annotations

import sys

from ..cli import CommandError, print_json
from ..server import schedule
from .catalogue import open_hq, republish


def cmd_import(args) -> int:
    hq = open_hq(args)
    try:
        try:
            report = schedule.import_schedule(hq.db(), args.file, hq.now())
        except schedule.ScheduleError as exc:
            raise CommandError(f"{exc}. Nothing was changed.") from exc
        data = report.to_dict() | republish(hq)
    finally:
        hq.close()
    if args.json:
        print_json(data)
        return 0
    what = "workshops of the agenda" if data["what"] == "agenda" else "passages of the schedule"
    print(f"Read {data['read']} rows of {data['file']}: {data['imported']} {what}.")
    if data["changed"]:
        print(
            f"Published: {data['added']} added, {data['updated']} updated, {data['removed']} removed, "
            f"{data['unchanged']} unchanged; change log at version {data['version']}."
        )
    else:
        print("Nothing changed: the same items were already published.")
    for item in data["skipped"]:
        print(f"Skipped line {item['line']}: {item['reason']}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    group = subparsers.add_parser("schedule", help="publish the bus schedule or the workshop agenda")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="schedule_command", metavar="SUBCOMMAND")
    p = commands.add_parser("import", help="publish a schedule or agenda CSV file (it replaces the whole set)")
    p.add_argument("file", metavar="FILE.csv", help="schedule (passages) or agenda (workshops) CSV")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import)
