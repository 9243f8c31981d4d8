"""/admin/calendrier: the bus schedule (passages) and the workshop agenda, listed and edited.

Each item is published to the buses at once (`sync.server.schedule`: put_passage,
delete_passage, put_workshop, delete_workshop).  The forms use the CSV columns' names
(docs/schedule-formats.md) and the same checks as an imported row
(`schedule.passage_from_fields`, `schedule.workshop_from_fields`); what a person most often gets
wrong (a missing date, an end before the start...) is said in French first, next to the field.
A new item's id is made from its date, start time and commune (and kind, for a workshop), as
for a CSV row without an id; an edit keeps the item's id.  Deleting asks first.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from numeribus_kiosk.catalogue.schedule import (
    DEFAULT_PUBLIC,
    PASSAGE_COLUMNS,
    WORKSHOP_COLUMNS,
    WORKSHOP_KINDS,
    Passage,
    Workshop,
)

from .. import schedule
from . import web
from .words import WORKSHOP_LABELS

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.AdminRoute)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")

# The form's fields: the CSV columns of the schedule and the agenda, but "demo" (never edited here).
PASSAGE_FIELDS = tuple(c for c in PASSAGE_COLUMNS if c != "demo")
WORKSHOP_FIELDS = tuple(c for c in WORKSHOP_COLUMNS if c != "demo")


def _time_problem(value: str, what: str) -> str | None:
    match = _TIME.fullmatch(value.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return f"Indiquez l’heure de {what} au format HH:MM, par exemple 09:30."
    return None


def french_problems(fields: dict[str, str], workshop: bool) -> dict[str, str]:
    """{field: what is wrong, in French} for the mistakes people make most."""
    problems: dict[str, str] = {}
    day = fields.get("date", "").strip()
    if not _DATE.fullmatch(day):
        problems["date"] = "Indiquez la date au format AAAA-MM-JJ, par exemple 2026-12-01."
    else:
        try:
            date.fromisoformat(day)
        except ValueError:
            problems["date"] = "Cette date n’existe pas."
    for name, what in (("start", "début"), ("end", "fin")):
        problem = _time_problem(fields.get(name, ""), what)
        if problem:
            problems[name] = problem
    if "start" not in problems and "end" not in problems:
        start = tuple(int(x) for x in _TIME.fullmatch(fields["start"].strip()).groups())
        end = tuple(int(x) for x in _TIME.fullmatch(fields["end"].strip()).groups())
        if end <= start:
            problems["end"] = "L’heure de fin doit venir après l’heure de début."
    if not fields.get("commune", "").strip():
        problems["commune"] = "Indiquez la commune."
    if workshop:
        if fields.get("kind", "") not in WORKSHOP_KINDS:
            problems["kind"] = "Choisissez le type d’atelier."
        if not fields.get("title", "").strip():
            problems["title"] = "Indiquez le titre de l’atelier."
        seats = fields.get("seats", "").strip()
        if seats and not seats.isdigit():
            problems["seats"] = "Le nombre de places doit être un nombre entier, ou rester vide."
    return problems


def _passage_fields(item: Passage | None) -> dict[str, str]:
    if item is None:
        return {name: "" for name in PASSAGE_FIELDS} | {"public": DEFAULT_PUBLIC}
    data = item.to_dict()
    return {name: str(data.get(name, "") or "") for name in PASSAGE_FIELDS}


def _workshop_fields(item: Workshop | None) -> dict[str, str]:
    if item is None:
        return {name: "" for name in WORKSHOP_FIELDS} | {"audience": DEFAULT_PUBLIC, "kind": "tablette"}
    data = item.to_dict()
    fields = {name: "" if data.get(name) is None else str(data.get(name)) for name in WORKSHOP_FIELDS}
    fields["registration"] = "1" if item.registration else ""
    return fields


def _find(items, item_id: str):
    return next((item for item in items if item.id == item_id), None)


# --------------------------------------------------------------------------- the list


@router.get("/admin/calendrier")
def calendar_page(request: Request, admin: web.SignedIn, tout: str = "") -> Response:
    db = admin.db()
    today = admin.hq.now().astimezone(web.DISPLAY_ZONE).date()
    every = bool(tout)
    passages = [p for p in schedule.passages(db) if every or p.date >= today]
    workshops = [w for w in schedule.workshops(db) if every or w.date >= today]
    return web.render(
        request,
        "calendar.html",
        admin=admin,
        title="Calendrier",
        active="calendar",
        passages=passages,
        workshops=workshops,
        every=every,
        labels=WORKSHOP_LABELS,
    )


# --------------------------------------------------------------------------- passages


def _passage_form(request, admin, fields, *, editing: bool, problems=None, error=None, status_code=200):
    return web.render(
        request,
        "passage_form.html",
        admin=admin,
        title="Modifier un passage" if editing else "Ajouter un passage",
        active="calendar",
        fields=fields,
        editing=editing,
        problems=problems or {},
        error=error,
        status_code=status_code,
    )


@router.get("/admin/calendrier/passage")
def passage_form(request: Request, admin: web.SignedIn, id: str = "") -> Response:
    item = _find(schedule.passages(admin.db()), id) if id else None
    if id and item is None:
        admin.flash("Ce passage n’existe plus (il a peut-être été supprimé).")
        return web.redirect("/admin/calendrier#passages")
    return _passage_form(request, admin, _passage_fields(item), editing=item is not None)


@router.post("/admin/calendrier/passage")
def save_passage(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    commune: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
    public: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    fields = {
        "id": id,
        "date": date,
        "start": start,
        "end": end,
        "commune": commune,
        "place": place,
        "address": address,
        "notes": notes,
        "public": public,
    }
    db = admin.db()
    existing = _find(schedule.passages(db), id) if id else None
    editing = existing is not None
    problems = french_problems(fields, workshop=False)
    if problems:
        return _passage_form(request, admin, fields, editing=editing, problems=problems, status_code=422)
    try:
        item = schedule.passage_from_fields({**fields, "demo": "1" if existing and existing.demo else "0"})
    except schedule.ScheduleValidationError as exc:
        return _passage_form(request, admin, fields, editing=editing, error=str(exc), status_code=422)
    if not editing and _find(schedule.passages(db), item.id) is not None:
        return _passage_form(
            request,
            admin,
            fields,
            editing=False,
            status_code=409,
            error="Un passage existe déjà à cette date, à cette heure et dans cette commune : modifiez-le plutôt.",
        )
    schedule.put_passage(db, item, admin.hq.now())
    log.info("passage %s saved on the admin site by %s", item.id, admin.username)
    admin.flash(f"Passage enregistré : {item.describe()}. Les bus le recevront à leur prochaine synchronisation.")
    return web.redirect("/admin/calendrier#passages")


@dataclass(frozen=True, slots=True)
class _Deletable:
    """What differs between deleting a passage and deleting a workshop (French wording included)."""

    kind: str  # for the log
    items: Callable  # db -> list of items with an `id`
    delete: Callable  # (db, id, now) -> bool
    anchor: str  # section of the calendar page
    action: str
    title: str
    what: str
    gone: str
    deleted: str
    nothing: str


_PASSAGE = _Deletable(
    kind="passage",
    items=schedule.passages,
    delete=schedule.delete_passage,
    anchor="passages",
    action="/admin/calendrier/passage/supprimer",
    title="Supprimer un passage",
    what="ce passage",
    gone="Ce passage n’existe plus (il a peut-être déjà été supprimé).",
    deleted="Le passage est supprimé ; les bus le retireront à leur prochaine synchronisation.",
    nothing="Ce passage n’existait plus : rien n’a changé.",
)
_WORKSHOP = _Deletable(
    kind="workshop",
    items=schedule.workshops,
    delete=schedule.delete_workshop,
    anchor="ateliers",
    action="/admin/calendrier/atelier/supprimer",
    title="Supprimer un atelier",
    what="cet atelier",
    gone="Cet atelier n’existe plus (il a peut-être déjà été supprimé).",
    deleted="L’atelier est supprimé ; les bus le retireront à leur prochaine synchronisation.",
    nothing="Cet atelier n’existait plus : rien n’a changé.",
)


def _confirm_delete(request: Request, admin: web.SignedIn, target: _Deletable, item_id: str) -> Response:
    item = _find(target.items(admin.db()), item_id)
    if item is None:
        admin.flash(target.gone)
        return web.redirect(f"/admin/calendrier#{target.anchor}")
    return web.render(
        request,
        "calendar_delete.html",
        admin=admin,
        title=target.title,
        active="calendar",
        what=target.what,
        item=item,
        action=target.action,
    )


def _delete(admin: web.SignedIn, target: _Deletable, csrf: str, item_id: str) -> Response:
    web.check_csrf(admin, csrf)
    if target.delete(admin.db(), item_id, admin.hq.now()):
        log.info("%s %s deleted on the admin site by %s", target.kind, item_id, admin.username)
        admin.flash(target.deleted)
    else:
        admin.flash(target.nothing)
    return web.redirect(f"/admin/calendrier#{target.anchor}")


@router.get("/admin/calendrier/passage/supprimer")
def passage_delete_confirm(request: Request, admin: web.SignedIn, id: str = "") -> Response:
    return _confirm_delete(request, admin, _PASSAGE, id)


@router.post("/admin/calendrier/passage/supprimer")
def delete_passage(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
) -> Response:
    return _delete(admin, _PASSAGE, csrf, id)


# --------------------------------------------------------------------------- workshops


def _workshop_form(request, admin, fields, *, editing: bool, problems=None, error=None, status_code=200):
    return web.render(
        request,
        "workshop_form.html",
        admin=admin,
        title="Modifier un atelier" if editing else "Ajouter un atelier",
        active="calendar",
        fields=fields,
        editing=editing,
        problems=problems or {},
        error=error,
        kinds=[(kind, WORKSHOP_LABELS.get(kind, kind)) for kind in WORKSHOP_KINDS],
        status_code=status_code,
    )


@router.get("/admin/calendrier/atelier")
def workshop_form(request: Request, admin: web.SignedIn, id: str = "") -> Response:
    item = _find(schedule.workshops(admin.db()), id) if id else None
    if id and item is None:
        admin.flash("Cet atelier n’existe plus (il a peut-être été supprimé).")
        return web.redirect("/admin/calendrier#ateliers")
    return _workshop_form(request, admin, _workshop_fields(item), editing=item is not None)


@router.post("/admin/calendrier/atelier")
def save_workshop(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    commune: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    audience: Annotated[str, Form()] = "",
    seats: Annotated[str, Form()] = "",
    registration: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    fields = {
        "id": id,
        "date": date,
        "start": start,
        "end": end,
        "commune": commune,
        "place": place,
        "kind": kind,
        "title": title,
        "description": description,
        "audience": audience,
        "seats": seats,
        "registration": "1" if registration else "",
    }
    db = admin.db()
    existing = _find(schedule.workshops(db), id) if id else None
    editing = existing is not None
    problems = french_problems(fields, workshop=True)
    if problems:
        return _workshop_form(request, admin, fields, editing=editing, problems=problems, status_code=422)
    try:
        item = schedule.workshop_from_fields(
            {
                **fields,
                "registration": fields["registration"] or "0",
                "demo": "1" if existing and existing.demo else "0",
            }
        )
    except schedule.ScheduleValidationError as exc:
        return _workshop_form(request, admin, fields, editing=editing, error=str(exc), status_code=422)
    if not editing and _find(schedule.workshops(db), item.id) is not None:
        return _workshop_form(
            request,
            admin,
            fields,
            editing=False,
            status_code=409,
            error="Un atelier de ce type existe déjà à cette date, à cette heure et dans cette commune : "
            "modifiez-le plutôt.",
        )
    schedule.put_workshop(db, item, admin.hq.now())
    log.info("workshop %s saved on the admin site by %s", item.id, admin.username)
    admin.flash(f"Atelier enregistré : {item.describe()}. Les bus le recevront à leur prochaine synchronisation.")
    return web.redirect("/admin/calendrier#ateliers")


@router.get("/admin/calendrier/atelier/supprimer")
def workshop_delete_confirm(request: Request, admin: web.SignedIn, id: str = "") -> Response:
    return _confirm_delete(request, admin, _WORKSHOP, id)


@router.post("/admin/calendrier/atelier/supprimer")
def delete_workshop(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    id: Annotated[str, Form()] = "",
) -> Response:
    return _delete(admin, _WORKSHOP, csrf, id)
