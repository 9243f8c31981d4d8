"""The ``journal`` command: log, list and export mediation sessions from a terminal.

``add_commands(subparsers)`` adds it to the main parser (cli.build_parser's sub-commands).
Handlers return the exit code; a failure to report in plain words raises
`numeribus_kiosk.cli.CommandError` (imported lazily: cli.py imports this module).

CSV export: UTF-8 with a byte-order mark and ``;`` as separator, which is what French
spreadsheet software (LibreOffice Calc, Excel in a French locale) opens without an import
dialog; lists are joined with ", ".  ODS export: a minimal OpenDocument spreadsheet written by
hand (zipfile + content.xml + manifest), one sheet with the CSV's columns.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from . import sessions, sessions_schema
from .requests import JournalError

CSV_COLUMNS = ("id", *sessions.FIELDS, "created_at", "updated_at", "version")
# A cell starting with one of these is a formula for a spreadsheet: neutralised with a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _command_error(message: str):
    from ..cli import CommandError

    return CommandError(message)


def open_sessions_db(data_dir):
    """journal.db in `data_dir`, with the sessions' migrations applied."""
    from .. import store

    db = store.open_journal_db(data_dir)
    sessions_schema.migrations.apply(db)
    return db


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


def cmd_journal_list(args) -> int:
    db = open_sessions_db(args.data_dir)
    try:
        found = sessions.list_sessions(db, include_deleted=args.include_deleted)
    finally:
        db.close()
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
        print("No sessions.", file=sys.stderr)
    return 0


def _cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple)):
        value = ", ".join(value)
    elif isinstance(value, dict):
        value = ", ".join(f"{key}: {count}" for key, count in value.items())
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value
    return value


def csv_text(found: list[sessions.Session]) -> str:
    """The CSV export of `found` (without the byte-order mark), ``;``-separated, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for session in found:
        row = session.to_dict()
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{_ODS_MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="sessions">
"""
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>\n"


def _ods_cell(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if value in (None, ""):
        return "<table:table-cell/>"
    # An ODS cell is typed: text is never a formula, no quote needed.  One <text:p> per line.
    if isinstance(value, (list, tuple)):
        value = ", ".join(value)
    elif isinstance(value, dict):
        value = ", ".join(f"{key}: {count}" for key, count in value.items())
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def ods_bytes(found: list[sessions.Session]) -> bytes:
    """A minimal OpenDocument spreadsheet (one sheet, "sessions") with the CSV's columns."""
    rows = ["<table:table-row>" + "".join(_ods_cell(c) for c in CSV_COLUMNS) + "</table:table-row>"]
    for session in found:
        data = session.to_dict()
        rows.append("<table:table-row>" + "".join(_ods_cell(data[c]) for c in CSV_COLUMNS) + "</table:table-row>")
    content = _ODS_HEAD + "\n".join(rows) + _ODS_TAIL
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry must come first and be stored uncompressed (OpenDocument 1.2, part 3).
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _write_atomically(path: Path, content: bytes) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise _command_error(f"Cannot write to {directory}: {exc.strerror or exc}.") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise _command_error(f"Cannot write {path}: {exc.strerror or exc}.") from exc


def cmd_journal_export(args) -> int:
    db = open_sessions_db(args.data_dir)
    try:
        found = sessions.list_sessions(db)
    finally:
        db.close()
    out = Path(args.out)
    if out.is_dir():
        raise _command_error(f"{out} is a folder; give a file name, e.g. {out / 'sessions.csv'}.")
    if args.format == "ods":
        _write_atomically(out, ods_bytes(found))
    else:
        _write_atomically(out, csv_text(found).encode("utf-8-sig"))
    print(f"{len(found)} session(s) written to {out}", file=sys.stderr)
    return 0


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
    p.set_defaults(handler=cmd_journal_list)

    p = commands.add_parser("export", help="write the sessions to a spreadsheet file")
    p.add_argument(
        "--format", choices=("csv", "ods"), default="csv", help="csv: UTF-8 with BOM, ';' separated; ods: OpenDocument"
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (replaced atomically)")
    p.set_defaults(handler=cmd_journal_export)
