"""Exporting mediation sessions: periods, CSV and ODS files, atomic writes (issue 4, item 6).

Shared by ``journal export`` (journal/commands.py) and the kiosk's export screen (through
journal/usb.py).  No Qt.

Periods.  A session belongs to the day of its ``started_at`` **in its own UTC offset** (a session
started at 23:30-05:00 on 30 November is a November session, whatever UTC says).
``sessions_in_period(sessions, start, end)`` keeps the sessions of `start` to `end`, both
included, either end open when None.  ``parse_month("2026-11")``, ``parse_day("2026-11-26")``
and ``period(month=..., date_from=..., date_to=...)`` turn what a person typed into
``(start, end)``, raising `JournalError` with a plain message on a bad value.

Files.  ``csv_text(found, mapping)`` and ``ods_bytes(found, mapping)``; ``export_bytes(found,
fmt, mapping)`` picks one.  The columns are `CSV_COLUMNS` (the session's fields), then, when a
survey mapping is given (journal/survey.py), one column per category, named ``survey_<id>``,
holding the session's participants when it belongs to the category, else 0.  A caller may put
columns of its own first (``leading_columns``: (name, function of the session) pairs; headquarters
adds the bus's name); ``csv_table(header, rows)`` writes any table with the same conventions.

- CSV: UTF-8 with a byte-order mark and ``;`` as separator (what French spreadsheet software
  opens without an import dialog), CRLF lines; lists joined with ", "; a text cell that would
  start a formula gets a leading quote.
- ODS: a minimal OpenDocument spreadsheet written by hand (zipfile + content.xml + manifest):
  sheet "sessions" with the CSV's columns (numbers as number cells, text never a formula) and,
  with a mapping, sheet "Enquête annuelle": one row per category (id, label, sessions,
  participants) for the exported sessions.

The files hold the sessions' fields only: a session carries no visitor's personal data (the
visitors' requests, which do, are never exported here).

``write_atomically(path, content)``: temp file in the same folder, fsync, rename over `path`,
fsync of the folder; an `OSError` becomes an `ExportError` whose `reason` ("full",
"read_only", "not_allowed", "gone", "failed") lets a screen choose its own words.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import sessions as sessions_module
from .requests import JournalError
from .sessions import Session, session_day
from .survey import SurveyMapping, categories_of, survey_totals

CSV_COLUMNS = ("id", *sessions_module.FIELDS, "created_at", "updated_at", "version")
SURVEY_COLUMN_PREFIX = "survey_"
SURVEY_SHEET = "Enquête annuelle"
SURVEY_SHEET_COLUMNS = ("id", "label", "sessions", "participants")
FORMATS = ("csv", "ods")
# A cell starting with one of these is a formula for a spreadsheet: neutralised with a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(JournalError):
    """An export that could not be written.  `reason`: "full", "read_only", "not_allowed", "gone" or "failed"."""

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason


# --- periods ----------------------------------------------------------------------------------

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_month(text: str) -> tuple[date, date]:
    """ "2026-11" -> (2026-11-01, 2026-11-30).  Raises `JournalError` on anything else."""
    found = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    try:
        if found is None:
            raise ValueError
        first = date(int(found.group(1)), int(found.group(2)), 1)
    except ValueError:
        raise JournalError(f"{text!r} is not a month: expected YYYY-MM, e.g. 2026-11") from None
    following = (first + timedelta(days=31)).replace(day=1)
    return first, following - timedelta(days=1)


def parse_day(text: str) -> date:
    """ "2026-11-26" -> date(2026, 11, 26).  Raises `JournalError` on anything else (2026-02-30...)."""
    try:
        if not isinstance(text, str) or not _DAY.fullmatch(text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise JournalError(f"{text!r} is not a date: expected YYYY-MM-DD, e.g. 2026-11-26") from None


def period(
    month: str | None = None, date_from: str | date | None = None, date_to: str | date | None = None
) -> tuple[date | None, date | None]:
    """(start, end) from a month, or from a first and/or last day (texts or dates); (None, None) for all.

    Raises `JournalError` for a bad value, a month given with a first or last day, or a first
    day after the last one.
    """
    if month is not None and (date_from is not None or date_to is not None):
        raise JournalError("give either a month or a first and/or last day, not both")
    if month is not None:
        return parse_month(month)
    start = parse_day(date_from) if isinstance(date_from, str) else date_from
    end = parse_day(date_to) if isinstance(date_to, str) else date_to
    if start is not None and end is not None and start > end:
        raise JournalError(f"the period starts ({start.isoformat()}) after it ends ({end.isoformat()})")
    return start, end


def period_label(start: date | None, end: date | None) -> str:
    """Words for a period, in messages: "2026-11", "2026-11-01 to 2026-11-15", "from 2026-11-01", "all dates"."""
    if start is None and end is None:
        return "all dates"
    if start is None:
        return f"until {end.isoformat()}"
    if end is None:
        return f"from {start.isoformat()}"
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    if start == end:
        return start.isoformat()
    return f"{start.isoformat()} to {end.isoformat()}"


def sessions_in_period(sessions: Iterable[Session], start: date | None, end: date | None) -> list[Session]:
    """The sessions that started from `start` to `end` (both included; None: no limit), order kept."""
    return [
        session
        for session in sessions
        if (start is None or session_day(session) >= start) and (end is None or session_day(session) <= end)
    ]


# --- columns ----------------------------------------------------------------------------------


def survey_column(category_id: str) -> str:
    return SURVEY_COLUMN_PREFIX + category_id


# Extra columns put before the session's fields: (header, value of the session).
LeadingColumns = Sequence[tuple[str, Callable[[Session], object]]]


def export_columns(mapping: SurveyMapping | None, leading_columns: LeadingColumns = ()) -> tuple[str, ...]:
    """The header of the export: `leading_columns`' names, `CSV_COLUMNS`, then one ``survey_<id>``
    column per category of `mapping`."""
    columns = tuple(name for name, _ in leading_columns) + CSV_COLUMNS
    if mapping is None:
        return columns
    return columns + tuple(survey_column(category_id) for category_id in mapping.ids)


def _rows(found: Iterable[Session], mapping: SurveyMapping | None, leading_columns: LeadingColumns = ()):
    """Each session as a list of raw values (int, str, list, dict or None), in `export_columns` order."""
    for session in found:
        data = session.to_dict()
        row = [value(session) for _, value in leading_columns] + [data[column] for column in CSV_COLUMNS]
        if mapping is not None:
            belongs = set(categories_of(session, mapping))
            row += [session.participants if category_id in belongs else 0 for category_id in mapping.ids]
        yield row


def _joined(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {count}" for key, count in value.items())
    return str(value)


def _csv_cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    value = _joined(value)
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value
    return value


def csv_table(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """Any table as CSV text in the export's conventions (no byte-order mark): ``;``, CRLF lines,
    lists joined with ", ", None as an empty cell, formulas neutralised with a leading quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_text(
    found: Iterable[Session], mapping: SurveyMapping | None = None, *, leading_columns: LeadingColumns = ()
) -> str:
    """The CSV export of `found` (without the byte-order mark), ``;``-separated, CRLF lines."""
    return csv_table(export_columns(mapping, leading_columns), _rows(found, mapping, leading_columns))


# --- ODS --------------------------------------------------------------------------------------

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
<office:body><office:spreadsheet>
"""
_ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>\n"


def _ods_cell(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if value in (None, ""):
        return "<table:table-cell/>"
    # An ODS cell is typed: text is never a formula, no quote needed.  One <text:p> per line.
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in _joined(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def _ods_table(name: str, rows: Iterable[Iterable]) -> str:
    lines = [f"<table:table table:name={quoteattr(name)}>"]
    lines += ["<table:table-row>" + "".join(_ods_cell(value) for value in row) + "</table:table-row>" for row in rows]
    lines.append("</table:table>")
    return "\n".join(lines)


def ods_bytes(
    found: Iterable[Session], mapping: SurveyMapping | None = None, *, leading_columns: LeadingColumns = ()
) -> bytes:
    """An OpenDocument spreadsheet: sheet "sessions" (the CSV's columns) and, with `mapping`,
    sheet "Enquête annuelle" (the survey totals of `found`)."""
    found = list(found)
    header = export_columns(mapping, leading_columns)
    tables = [_ods_table("sessions", [header, *_rows(found, mapping, leading_columns)])]
    if mapping is not None:
        tables.append(_ods_table(SURVEY_SHEET, [SURVEY_SHEET_COLUMNS, *survey_totals(found, mapping)]))
    content = _ODS_HEAD + "\n".join(tables) + _ODS_TAIL
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry must come first and be stored uncompressed (OpenDocument 1.2, part 3).
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def export_bytes(
    found: Iterable[Session],
    fmt: str,
    mapping: SurveyMapping | None = None,
    *,
    leading_columns: LeadingColumns = (),
) -> bytes:
    """The file's bytes for `fmt` "csv" (with its byte-order mark) or "ods"."""
    if fmt == "csv":
        return csv_text(found, mapping, leading_columns=leading_columns).encode("utf-8-sig")
    if fmt == "ods":
        return ods_bytes(found, mapping, leading_columns=leading_columns)
    raise ValueError(f"unknown export format {fmt!r} (expected one of: {', '.join(FORMATS)})")


# --- writing ----------------------------------------------------------------------------------

_REASONS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EROFS: "read_only",
    errno.EACCES: "not_allowed",
    errno.EPERM: "not_allowed",
    errno.ENOENT: "gone",
    errno.ENODEV: "gone",
    errno.ENXIO: "gone",
    errno.EIO: "gone",
    errno.ESTALE: "gone",
}
_WORDS = {
    "full": "there is not enough space left",
    "read_only": "it is read-only",
    "not_allowed": "writing there is not allowed",
    "gone": "the folder or drive is not available (removed?)",
}


def error_from(exc: OSError, what: str | Path) -> ExportError:
    """A plain `ExportError` for `exc`, met while writing `what`."""
    reason = _REASONS.get(exc.errno, "failed")
    detail = _WORDS.get(reason) or (exc.strerror or str(exc))
    return ExportError(f"Cannot write {what}: {detail}.", reason)


def _sync_folder(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise error_from(exc, directory) from exc
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some filesystems cannot fsync a folder (EINVAL); the rename itself is then all there is.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise error_from(exc, directory) from exc
    finally:
        os.close(fd)


def write_atomically(path: str | Path, content: bytes) -> None:
    """Replace `path` with `content`: the old file or the new one, never half of it, even on a power cut.

    Raises `ExportError` (reason and plain message) when the folder cannot take the file.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise error_from(exc, directory) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the medium is gone or read-only: nothing more can be done
            Path(temp).unlink(missing_ok=True)
        raise error_from(exc, path) from exc
    _sync_folder(directory)
