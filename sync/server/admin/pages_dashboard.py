"""/admin: the dashboard (tableau de bord) of the mediation sessions, for a period."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from . import charts, stats, web

router = APIRouter(route_class=web.AdminRoute)


def local_today(admin: web.Admin):
    return admin.hq.now().astimezone(web.DISPLAY_ZONE).date()


@router.get("/admin")
def dashboard(
    request: Request,
    admin: web.SignedIn,
    mois: str = "",
    du: str = "",
    au: str = "",
) -> Response:
    today = local_today(admin)
    error = None
    try:
        period = stats.parse_period(mois, du, au, today)
    except stats.PeriodError as exc:
        error = str(exc)
        period = stats.last_months(today)
    figures = stats.dashboard(admin.db(), period)
    public_note = (
        "Une séance ouverte à plusieurs publics compte, avec tous ses participants, "
        "dans chacun de ses publics : les lignes peuvent donc dépasser le total."
    )
    sections = [
        {"key": "mois", "title": "Par mois", "header": "Mois", "rows": figures.by_month, "note": None},
        {"key": "publics", "title": "Par public", "header": "Public", "rows": figures.by_public, "note": public_note},
        {"key": "activites", "title": "Par activité", "header": "Activité", "rows": figures.by_activity, "note": None},
        {"key": "communes", "title": "Par commune", "header": "Commune", "rows": figures.by_commune, "note": None},
    ]
    for section in sections:
        section["chart"] = charts.bar_chart(
            section["rows"],
            title=f"Séances et participants {section['title'].lower()}, {period.label}",
            chart_id=f"graphique-{section['key']}",
        )
    return web.render(
        request,
        "dashboard.html",
        admin=admin,
        title="Tableau de bord",
        active="dashboard",
        figures=figures,
        period=period,
        sections=sections,
        error=error,
        form={"mois": mois, "du": du, "au": au},
    )
