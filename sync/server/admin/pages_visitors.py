"""/admin/demandes (visitors' document requests) and /admin/avis (opinions, volunteer offers).

The data is `sync.server.visitors`'s: requests can be marked handled, deleted (after a
confirmation page) and exported as CSV; volunteer offers can be deleted the same way.
Deleting removes the name and contact from headquarters for good (see `visitors`).
Names and contacts are shown on these pages only, and never logged.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from .. import visitors
from . import web
from .words import SCORE_WORDS, WORKSHOP_LABELS

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.AdminRoute)

# ?etat= on the requests page -> visitors.list_requests' status
REQUEST_FILTERS = {
    "nouvelles": ("new", "Nouvelles"),
    "traitees": ("handled", "Traitées"),
    "toutes": (None, "Toutes"),
}
DEFAULT_FILTER = "nouvelles"


def _filter(etat: str) -> str:
    return etat if etat in REQUEST_FILTERS else DEFAULT_FILTER


# --------------------------------------------------------------------------- requests


@router.get("/admin/demandes")
def requests_page(request: Request, admin: web.SignedIn, etat: str = DEFAULT_FILTER):
    etat = _filter(etat)
    db = admin.db()
    every = visitors.list_requests(db)
    handled = sum(1 for row in every if row.handled)
    counts = {"nouvelles": len(every) - handled, "traitees": handled, "toutes": len(every)}
    wanted = REQUEST_FILTERS[etat][0]
    rows = [row for row in every if wanted is None or row.handled == (wanted == "handled")]
    return web.render(
        request,
        "requests.html",
        admin=admin,
        title="Demandes des visiteurs",
        active="requests",
        rows=rows,
        etat=etat,
        filters=REQUEST_FILTERS,
        counts=counts,
    )


@router.post("/admin/demandes/traiter")
def mark_handled(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    appareil: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
    etat: Annotated[str, Form()] = DEFAULT_FILTER,
) -> Response:
    web.check_csrf(admin, csrf)
    if visitors.mark_request_handled(admin.db(), appareil, id, admin.hq.now()):
        admin.flash("La demande est marquée comme traitée.")
    else:
        admin.flash("Cette demande n’existe plus (elle a peut-être été supprimée).")
    return web.redirect(web.link("/admin/demandes", etat=_filter(etat)))


@router.get("/admin/demandes/supprimer")
def delete_request_confirm(
    request: Request, admin: web.SignedIn, appareil: str = "", id: str = "", etat: str = ""
) -> Response:
    found = visitors.get_request(admin.db(), appareil, id)
    if found is None:
        admin.flash("Cette demande n’existe plus (elle a peut-être déjà été supprimée).")
        return web.redirect(web.link("/admin/demandes", etat=_filter(etat)))
    return web.render(
        request,
        "delete_request.html",
        admin=admin,
        title="Supprimer une demande",
        active="requests",
        row=found,
        etat=_filter(etat),
    )


@router.post("/admin/demandes/supprimer")
def delete_request(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    appareil: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
    etat: Annotated[str, Form()] = DEFAULT_FILTER,
) -> Response:
    web.check_csrf(admin, csrf)
    if visitors.delete_request(admin.db(), appareil, id):
        admin.flash("La demande est supprimée, avec le nom et le contact du visiteur.")
    else:
        admin.flash("Cette demande n’existait plus : rien n’a changé.")
    return web.redirect(web.link("/admin/demandes", etat=_filter(etat)))


@router.get("/admin/demandes/export.csv")
def export_requests(admin: web.SignedIn, etat: str = "toutes") -> Response:
    etat = etat if etat in REQUEST_FILTERS else "toutes"
    rows = visitors.list_requests(admin.db(), REQUEST_FILTERS[etat][0])
    day = admin.hq.now().astimezone(web.DISPLAY_ZONE).date()
    log.info("requests exported as CSV by %s (%d rows)", admin.username, len(rows))
    return Response(
        visitors.requests_csv(rows).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="demandes-{etat}-{day.isoformat()}.csv"',
            "Cache-Control": "no-store",
        },
    )


# --------------------------------------------------------------------------- feedback, volunteers


@router.get("/admin/avis")
def feedback_page(request: Request, admin: web.SignedIn) -> Response:
    db = admin.db()
    feedback = visitors.list_feedback(db)
    scores = Counter(entry.score for entry in feedback)
    wished = Counter(kind for entry in feedback for kind in entry.wished_workshops)
    average = sum(entry.score for entry in feedback) / len(feedback) if feedback else None
    return web.render(
        request,
        "feedback.html",
        admin=admin,
        title="Avis et bénévoles",
        active="feedback",
        feedback=feedback,
        scores=[(score, SCORE_WORDS[score], scores.get(score, 0)) for score in sorted(SCORE_WORDS, reverse=True)],
        average=(f"{average:.1f}".replace(".", ",") if average is not None else None),
        wished=[(WORKSHOP_LABELS.get(kind, kind), count) for kind, count in wished.most_common()],
        score_words=SCORE_WORDS,
        workshop_labels=WORKSHOP_LABELS,
        volunteers=visitors.list_volunteers(db),
    )


def _find_volunteer(db, device_id: str, offer_id: str):
    return next((v for v in visitors.list_volunteers(db) if v.device_id == device_id and v.id == offer_id), None)


@router.get("/admin/avis/supprimer")
def delete_volunteer_confirm(request: Request, admin: web.SignedIn, appareil: str = "", id: str = "") -> Response:
    found = _find_volunteer(admin.db(), appareil, id)
    if found is None:
        admin.flash("Cette proposition n’existe plus (elle a peut-être déjà été supprimée).")
        return web.redirect("/admin/avis#benevoles")
    return web.render(
        request,
        "delete_volunteer.html",
        admin=admin,
        title="Supprimer une proposition de bénévolat",
        active="feedback",
        row=found,
    )


@router.post("/admin/avis/supprimer")
def delete_volunteer(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    appareil: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    if visitors.delete_volunteer(admin.db(), appareil, id):
        admin.flash("La proposition est supprimée, avec le nom et le contact de la personne.")
    else:
        admin.flash("Cette proposition n’existait plus : rien n’a changé.")
    return web.redirect("/admin/avis#benevoles")
