"""Headquarters' exports of the mediation sessions of every bus: JSON, CSV, ODS, annual survey.

The sessions come from the ``sessions`` projection (`sync.server.events`), deleted ones left
out; the files are the kiosk's own (`numeribus_kiosk.journal.export`: same columns, same CSV
conventions, same ODS) with one more column first, ``device``: the bus's name.  The annual
survey's totals are the kiosk's (`numeribus_kiosk.journal.survey`) over all buses.

Periods are (start, end) dates, both included, either None for "no limit"; a session belongs to
the date of its ``started_at`` in its own UTC offset (the projection's ``day``), as on the bus.

Used by ``numeribus-sync export`` (sync/commands/export.py) and by the admin site.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import sqlite_utils

from numeribus_kiosk.journal import export as kiosk_export
from numeribus_kiosk.journal import sessions as kiosk_sessions
from numeribus_kiosk.journal import survey
from numeribus_kiosk.journal.sessions import FIELDS, Session

FORMATS = ("json", *kiosk_export.FORMATS)  # json, csv, ods
DEVICE_COLUMN = "device"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def sessions_with_devices(
    db: sqlite_utils.Database, start: date | None = None, end: date | None = None
) -> list[tuple[str, Session]]:
    """(device name, session) for every session not deleted of the period, in the order they started."""
    columns = ", ".join(f"s.{name.strip()}" for name in kiosk_sessions.SESSION_COLUMNS.split(","))
    rows = db.execute(
        f"SELECT coalesce(d.name, s.device_id), {columns} "
        "FROM sessions AS s LEFT JOIN devices AS d ON d.device_id = s.device_id "
        "WHERE s.deleted = 0 AND (? IS NULL OR s.day >= ?) AND (? IS NULL OR s.day <= ?)",
        [_day(start), _day(start), _day(end), _day(end)],
    ).fetchall()
    found = [(row[0], kiosk_sessions.session_from_row(row[1:])) for row in rows]
    found.sort(key=lambda pair: (datetime.fromisoformat(pair[1].started_at), pair[0], pair[1].id))
    return found


def sessions_as_dicts(db: sqlite_utils.Database, start: date | None = None, end: date | None = None) -> list[dict]:
    """The sessions of the period as ``export sessions --json`` writes them.

    Each is ``{"device": <bus name>, "id": ..., <the fields of journal add>}`` (exactly these keys).
    """
    result = []
    for device, session in sessions_with_devices(db, start, end):
        data = session.data()
        result.append({DEVICE_COLUMN: device, "id": session.id, **{name: data[name] for name in FIELDS}})
    return result


def export_sessions_bytes(
    db: sqlite_utils.Database,
    fmt: str,
    start: date | None = None,
    end: date | None = None,
    mapping: survey.SurveyMapping | None = None,
) -> bytes:
    """The export file's bytes: `fmt` "csv" (UTF-8 with BOM), "ods" or "json" (UTF-8).

    CSV and ODS: the kiosk's export with a first column ``device``; with a survey `mapping`, its
    ``survey_<id>`` columns (and, in ODS, the "Enquête annuelle" sheet).  JSON: `sessions_as_dicts`.
    Raises ValueError for another format.
    """
    if fmt == "json":
        return (json.dumps(sessions_as_dicts(db, start, end), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt not in kiosk_export.FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    pairs = sessions_with_devices(db, start, end)
    names = {id(session): device for device, session in pairs}  # the very objects handed to the writer
    return kiosk_export.export_bytes(
        [session for _, session in pairs],
        fmt,
        mapping,
        leading_columns=[(DEVICE_COLUMN, lambda session: names[id(session)])],
    )


def load_mapping(data_dir: str | Path | None, override: str | Path | None = None) -> survey.SurveyMapping:
    """The survey mapping: `override`, else DATA_DIR/config.toml's ``[[survey.category]]`` tables,
    else DATA_DIR/survey-mapping.toml, else the kiosk's default (`survey.load_mapping_for`).

    Raises `numeribus_kiosk.journal.survey.SurveyMappingError` for a mapping that cannot be used
    (config.toml's survey part included: never silently the next one).
    """
    return survey.load_mapping_for(data_dir, override)


def survey_totals(
    db: sqlite_utils.Database,
    start: date | None = None,
    end: date | None = None,
    mapping: survey.SurveyMapping | None = None,
) -> list[survey.SurveyTotal]:
    """The annual survey's (id, label, sessions, participants) per category, over every bus.

    `mapping` None: the default mapping shipped with the kiosk.
    """
    if mapping is None:
        mapping = survey.load_mapping(survey.DEFAULT_MAPPING)
    return survey.survey_totals((session for _, session in sessions_with_devices(db, start, end)), mapping)
