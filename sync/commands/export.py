"""`numeribus-sync export sessions|survey`: the mediation sessions of every bus, for the library's reports.

- ``export sessions [--json | --format csv|ods --out FILE]``: the sessions (not the deleted
  ones) as a JSON list on stdout (``device``, ``id`` and the fields of ``journal add``), or as the
  kiosk's CSV/ODS export with a first column ``device``, written atomically to FILE.
- ``export survey [--json]``: the annual survey's totals per category over every bus.

Both take a period (``--month YYYY-MM`` or ``--from``/``--to YYYY-MM-DD``, the kiosk's options
and rules) and a survey mapping (``--mapping FILE``, else DATA_DIR/config.toml's
``[[survey.category]]`` tables, else DATA_DIR/survey-mapping.toml, else the kiosk's default); the
CSV/ODS export and the text totals say which one unless it is the default.  The options and the
mapping are checked before hq.db is opened, and a data folder without hq.db is an error: an
export never creates an empty database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from numeribus_kiosk.journal import export as kiosk_export
from numeribus_kiosk.journal import survey
from numeribus_kiosk.journal.commands import _add_mapping_option, _add_period_options, _mapping_note
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.store import StoreError

from ..cli import CommandError, print_json
from ..server import exports
from ..server.database import hq_path, open_hq_db, resolve_data_dir


def _period(args) -> tuple:
    try:
        return kiosk_export.period(args.month, args.date_from, args.date_to)
    except JournalError as exc:
        if args.month is not None:
            raise CommandError("--month cannot be combined with --from or --to.") from exc
        raise CommandError(f"--from {args.date_from} is after --to {args.date_to}: no day in between.") from exc


def _mapping(data_dir: Path, args) -> survey.SurveyMapping:
    try:
        return exports.load_mapping(data_dir, args.mapping)
    except survey.SurveyMappingError as exc:
        raise CommandError(f"Invalid survey mapping: {exc}.") from exc


def _open(data_dir: Path):
    if not hq_path(data_dir).is_file():
        raise CommandError(f"There is no headquarters database in {data_dir} (no hq.db): nothing to export.")
    try:
        return open_hq_db(data_dir)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def cmd_sessions(args) -> int:
    if args.json and (args.out is not None or args.format is not None):
        raise CommandError("--json prints the sessions on stdout: give either --json or --out FILE (with --format).")
    if not args.json and args.out is None:
        raise CommandError("Say where to write: --out FILE (with --format csv|ods), or --json to print them.")
    out = Path(args.out) if args.out is not None else None
    if out is not None and out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name, e.g. {out / 'sessions.csv'}.")
    start, end = _period(args)
    data_dir = resolve_data_dir(args.data_dir)
    mapping = _mapping(data_dir, args) if out is not None else None
    db = _open(data_dir)
    try:
        if out is None:
            print_json(exports.sessions_as_dicts(db, start, end))
            return 0
        fmt = args.format or "csv"
        count = len(exports.sessions_with_devices(db, start, end))
        content = exports.export_sessions_bytes(db, fmt, start, end, mapping)
    finally:
        db.close()
    try:
        kiosk_export.write_atomically(out, content)
    except kiosk_export.ExportError as exc:
        raise CommandError(str(exc)) from exc
    print(
        f"{count} session(s) ({kiosk_export.period_label(start, end)}) written to {out}{_mapping_note(mapping)}",
        file=sys.stderr,
    )
    return 0


def cmd_survey(args) -> int:
    start, end = _period(args)
    data_dir = resolve_data_dir(args.data_dir)
    mapping = _mapping(data_dir, args)
    db = _open(data_dir)
    try:
        totals = exports.survey_totals(db, start, end, mapping)
    finally:
        db.close()
    if args.json:
        print_json([total._asdict() for total in totals])
        return 0
    print(
        f"Annual survey, all buses, {kiosk_export.period_label(start, end)}{_mapping_note(mapping)}:", file=sys.stderr
    )
    width = max(len(total.id) for total in totals)
    for total in totals:
        print(
            f"{total.id:<{width}}  {total.sessions:>5} session(s)  {total.participants:>6} participant(s)  "
            f"{total.label}"
        )
    return 0


def register(subparsers) -> None:
    group = subparsers.add_parser("export", help="the buses' mediation sessions: JSON, CSV, ODS, annual survey")
    commands = group.add_subparsers(dest="export_command", metavar="SUBCOMMAND")
    group.set_defaults(group_parser=group)

    p = commands.add_parser("sessions", help="every bus's sessions as JSON, CSV or ODS")
    p.add_argument("--json", action="store_true", help="print a JSON list: device, id and the journal add fields")
    p.add_argument(
        "--format", choices=kiosk_export.FORMATS, help="csv (default): UTF-8 with BOM, ';' separated; ods: OpenDocument"
    )
    p.add_argument("--out", metavar="FILE", help="the file to write (replaced atomically)")
    _add_period_options(p)
    _add_mapping_option(p)
    p.set_defaults(func=cmd_sessions)

    p = commands.add_parser("survey", help="the annual survey's totals per category, over every bus")
    _add_period_options(p)
    _add_mapping_option(p)
    p.add_argument("--json", action="store_true", help="a JSON list of objects id, label, sessions, participants")
    p.set_defaults(func=cmd_survey)
