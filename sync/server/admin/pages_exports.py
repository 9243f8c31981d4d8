"""/admin/exports: the sessions of every bus as CSV or ODS for a period, and the annual-report totals.

The files and totals are `sync.server.exports`'s (the kiosk's own export format with a first
column naming the bus; the annual survey mapping of the data directory: config.toml's
[[survey.category]] tables, else survey-mapping.toml, else the kiosk's default:
docs/survey-mapping.md).  The page says which file the categories come from (and that a
survey-mapping.toml is not used when config.toml's categories win over it), or why the mapping
cannot be used.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from numeribus_kiosk.journal import survey

from .. import exports
from . import stats, web

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.AdminRoute)

FORMATS = {
    "csv": ("CSV (tableur, séparateur point-virgule)", "text/csv; charset=utf-8"),
    "ods": ("ODS (LibreOffice Calc)", "application/vnd.oasis.opendocument.spreadsheet"),
}


def _period(admin: web.Admin, mois: str, du: str, au: str) -> tuple[stats.Period, str | None]:
    today = admin.hq.now().astimezone(web.DISPLAY_ZONE).date()
    default = stats.calendar_year(today)
    try:
        return stats.parse_period(mois, du, au, today, default), None
    except stats.PeriodError as exc:
        return default, str(exc)


def _mapping(admin: web.Admin) -> tuple[survey.SurveyMapping | None, str | None]:
    try:
        return exports.load_mapping(admin.hq.data_dir), None
    except survey.SurveyMappingError as exc:
        log.error("the annual survey mapping cannot be used: %s", exc)
        return None, str(exc)


@router.get("/admin/exports")
def exports_page(request: Request, admin: web.SignedIn, mois: str = "", du: str = "", au: str = "") -> Response:
    period, error = _period(admin, mois, du, au)
    mapping, mapping_error = _mapping(admin)
    totals = exports.survey_totals(admin.db(), period.start, period.end, mapping) if mapping is not None else []
    count = stats.dashboard(admin.db(), period)
    return web.render(
        request,
        "exports.html",
        admin=admin,
        title="Exports",
        active="exports",
        period=period,
        error=error,
        mapping_error=mapping_error,
        mapping=mapping,
        totals=totals,
        figures=count,
        formats=FORMATS,
        form={"mois": mois, "du": du, "au": au},
    )


@router.get("/admin/exports/seances")
def export_sessions(admin: web.SignedIn, format: str = "csv", mois: str = "", du: str = "", au: str = "") -> Response:
    fmt = format if format in FORMATS else "csv"
    period, error = _period(admin, mois, du, au)
    if error:
        admin.flash(f"{error} Rien n’a été téléchargé.")
        return web.redirect(web.link("/admin/exports", mois=mois, du=du, au=au))
    mapping, _mapping_error = _mapping(admin)
    content = exports.export_sessions_bytes(admin.db(), fmt, period.start, period.end, mapping)
    name = f"seances-{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
    log.info("sessions exported as %s by %s (%s to %s)", fmt, admin.username, period.start, period.end)
    return Response(
        content,
        media_type=FORMATS[fmt][1],
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
