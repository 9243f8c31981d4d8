"""The ``journal`` command: log, list, export and count mediation sessions from a terminal.

``add_commands(subparsers)`` adds it to the main parser (cli.build_parser's sub-commands).
Handlers return the exit code; a failure to report in plain words raises
`numeribus_kiosk.cli.CommandError` (imported lazily: cli.py imports this module).

This module is the command-line glue only: periods, the CSV and ODS files and atomic writes are
in journal/export.py, the annual survey's categories in journal/survey.py (both shared with the
kiosk's export screen).  ``list``, ``export`` and ``survey`` take a period (``--month YYYY-MM``,
or ``--from`` / ``--to YYYY-MM-DD``); ``export`` and ``survey`` a survey mapping (``--mapping
FILE``, else config.toml's [[survey.category]] tables, else DATA_DIR/survey-mapping.toml, else
the default: `survey.load_mapping_for`), and say which one unless it is the default.  The period
and the mapping are checked before journal.db is opened: a bad value writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import export, sessions, survey
from .requests import JournalError


def _command_error(message: str):
    from ..cli import CommandError

    return CommandError(message)


def open_sessions_db(data_dir):
    """journal.db in `data_dir` (the store applies every migration, the sessions' included)."""
    from .. import store

    return store.open_journal_db(data_dir)


def _no_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise JournalError(f"the field {key} appears twice")
        result[key] = value
    return result


def _refuse_constant(name):
    raise JournalError(f"{name} is not a number")


def _read_json(source: str) -> dict:
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise _command_error(f"Cannot read {source}: {exc.strerror or exc}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _command_error(f"{'stdin' if source == '-' else source} is not UTF-8 text.") from exc
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise _command_error(f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from exc
    except JournalError as exc:
        raise _command_error(f"Invalid session: {exc}.") from exc
    if not isinstance(data, dict):
        raise _command_error("A session must be one JSON object ({...}).")
    return data


def cmd_journal_add(args) -> int:
    data = _read_json(args.json)
    try:
        clean = sessions.validate(data)  # before opening: bad input creates nothing, not even journal.db
    except JournalError as exc:
        raise _command_error(f"Invalid session: {exc}.") from exc
    db = open_sessions_db(args.data_dir)
    try:
        session = sessions.add_session(db, clean)
    except JournalError as exc:
        raise _command_error(f"Invalid session: {exc}.") from exc
    finally:
        db.close()
    print(json.dumps({"id": session.id}, ensure_ascii=False))
    return 0


def _period(args) -> tuple:
    """(start, end) from --month / --from / --to, checked; CommandError when they do not fit together."""
    try:
        return export.period(args.month, args.date_from, args.date_to)
    except JournalError as exc:
        if args.month is not None:
            raise _command_error("--month cannot be combined with --from or --to.") from exc
        raise _command_error(f"--from {args.date_from} is after --to {args.date_to}: no day in between.") from exc


def _mapping(args) -> survey.SurveyMapping:
    try:
        return survey.load_mapping_for(args.data_dir, args.mapping)
    except survey.SurveyMappingError as exc:
        raise _command_error(f"Invalid survey mapping: {exc}.") from exc


def _sessions(args, start, end, include_deleted: bool = False) -> list[sessions.Session]:
    db = open_sessions_db(args.data_dir)
    try:
        found = sessions.list_sessions(db, include_deleted=include_deleted)
    finally:
        db.close()
    return export.sessions_in_period(found, start, end)


def cmd_journal_list(args) -> int:
    start, end = _period(args)
    found = _sessions(args, start, end, include_deleted=args.include_deleted)
    if args.json:
        json.dump([session.to_dict() for session in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for s in found:
        mark = " [deleted]" if s.deleted else ""
        print(
            f"{s.id}  {s.started_at}  {s.duration_min} min  {s.place}  {s.activity}  "
            f"{s.participants} participant(s)  {', '.join(s.publics)}  {s.mediator}{mark}"
        )
    if not found:
        print(
            "No sessions." if start is None and end is None else f"No sessions ({export.period_label(start, end)}).",
            file=sys.stderr,
        )
    return 0


def _mapping_note(mapping: survey.SurveyMapping) -> str:
    return "" if mapping.is_default else f"; survey categories from {survey.source_text(mapping)}"


def cmd_journal_export(args) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise _command_error(f"{out} is a folder; give a file name, e.g. {out / 'sessions.csv'}.")
    start, end = _period(args)
    mapping = _mapping(args)
    found = _sessions(args, start, end)
    try:
        export.write_atomically(out, export.export_bytes(found, args.format, mapping))
    except export.ExportError as exc:
        raise _command_error(str(exc)) from exc
    print(
        f"{len(found)} session(s) ({export.period_label(start, end)}) written to {out}{_mapping_note(mapping)}",
        file=sys.stderr,
    )
    return 0


def cmd_journal_survey(args) -> int:
    start, end = _period(args)
    mapping = _mapping(args)
    totals = survey.survey_totals(_sessions(args, start, end), mapping)
    if args.json:
        json.dump([total._asdict() for total in totals], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"Annual survey, {export.period_label(start, end)}{_mapping_note(mapping)}:", file=sys.stderr)
    width = max(len(total.id) for total in totals)
    for total in totals:
        print(
            f"{total.id:<{width}}  {total.sessions:>5} session(s)  {total.participants:>6} participant(s)  "
            f"{total.label}"
        )
    return 0


def _month(text: str) -> str:
    try:
        export.parse_month(text)
    except JournalError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text.strip()


def _day(text: str):
    try:
        return export.parse_day(text)
    except JournalError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _add_period_options(p) -> None:
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="only the sessions of this month")
    p.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD", help="only sessions from this day on")
    p.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD", help="only sessions up to this day")


def _add_mapping_option(p) -> None:
    p.add_argument(
        "--mapping",
        metavar="FILE",
        help="survey mapping file or a config.toml (default: DATA_DIR/config.toml's [[survey.category]], "
        "else DATA_DIR/survey-mapping.toml, else the one shipped)",
    )


def add_commands(subparsers) -> None:
    """Add the ``journal`` command and its sub-commands to the main parser's `subparsers`."""
    journal = subparsers.add_parser("journal", help="the mediation sessions logged on the bus")
    commands = journal.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)

    p = commands.add_parser("add", help="log one session read as a JSON object from FILE or - (stdin)")
    p.add_argument("--json", required=True, metavar="FILE", help="JSON file holding one session, or - for stdin")
    p.set_defaults(handler=cmd_journal_add)

    p = commands.add_parser("list", help="the sessions, oldest first")
    p.add_argument("--json", action="store_true", help="a JSON list of objects with id and every field")
    p.add_argument("--include-deleted", action="store_true", help="also list deleted sessions (tombstones)")
    _add_period_options(p)
    p.set_defaults(handler=cmd_journal_list)

    p = commands.add_parser("export", help="write the sessions to a spreadsheet file")
    p.add_argument(
        "--format", choices=("csv", "ods"), default="csv", help="csv: UTF-8 with BOM, ';' separated; ods: OpenDocument"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (replaced atomically)")
    _add_period_options(p)
    _add_mapping_option(p)
    p.set_defaults(handler=cmd_journal_export)

    p = commands.add_parser("survey", help="the annual survey's totals per category (sessions, participants)")
    _add_period_options(p)
    _add_mapping_option(p)
    p.add_argument("--json", action="store_true", help="a JSON list of objects id, label, sessions, participants")
    p.set_defaults(handler=cmd_journal_survey)
