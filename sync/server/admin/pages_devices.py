"""/admin/appareils: the buses, their alarms, new pairing codes and revocation.

- the list: name, status, last contact, last acknowledged sequence, catalogue version;
- open alarms (`devices.raise_alarm`), each with a "Résoudre" button;
- events held in quarantine (`events.quarantined_events`): they feed no statistics;
- "Ajouter un bus": a one-time pairing code (`devices.add_device_code`), shown once, on the
  answer to the POST only;
- "Révoquer": a confirmation page first (no JavaScript), then `devices.revoke`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from .. import devices, events
from ..database import write_transaction
from . import web
from .words import ALARM_KINDS

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.AdminRoute)


@dataclass(frozen=True, slots=True)
class Alarm:
    id: int
    device_id: str | None
    device_name: str | None
    kind: str
    message: str
    details: dict
    created_at: str

    @property
    def kind_label(self) -> str:
        return ALARM_KINDS.get(self.kind, self.kind)


def open_alarms(db) -> list[Alarm]:
    """Alarms not resolved yet, newest first, with the name of their device."""
    rows = db.execute(
        "SELECT a.id, a.device_id, d.name, a.kind, a.message, a.details, a.created_at FROM alarms a "
        "LEFT JOIN devices d ON d.device_id = a.device_id WHERE a.resolved_at IS NULL "
        "ORDER BY a.created_at DESC, a.id DESC"
    ).fetchall()
    alarms = []
    for row in rows:
        try:
            details = json.loads(row[5]) if row[5] else {}
        except ValueError:
            details = {}
        alarms.append(
            Alarm(row[0], row[1], row[2], row[3], row[4], details if isinstance(details, dict) else {}, row[6])
        )
    return alarms


def resolve_alarm(db, alarm_id: int, now) -> bool:
    """Mark an alarm resolved; False when there is no such open alarm."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE alarms SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
            [now.isoformat(timespec="seconds"), alarm_id],
        )
    return cursor.rowcount == 1


def french_name_problem(name: str) -> str | None:
    """What is wrong with a bus name, in French (the same rules as `devices.validate_name`)."""
    text = name.strip()
    if not text:
        return "Donnez un nom au bus, par exemple « Numéribus 1 »."
    if len(text) > devices.NAME_MAX:
        return f"Le nom du bus ne doit pas dépasser {devices.NAME_MAX} caractères ({len(text)} saisis)."
    if not text.isprintable():
        return "Le nom du bus ne peut contenir ni tabulation ni retour à la ligne."
    return None


def _page(request: Request, admin: web.Admin, *, name: str = "", error: str | None = None, status_code: int = 200):
    db = admin.db()
    return web.render(
        request,
        "devices.html",
        admin=admin,
        title="Appareils",
        active="devices",
        devices=devices.list_devices(db),
        pending=devices.pending_codes(db, admin.hq.now()),
        alarms=open_alarms(db),
        quarantined=events.quarantined_events(db),
        name=name,
        error=error,
        status_code=status_code,
    )


@router.get("/admin/appareils")
def devices_page(request: Request, admin: web.SignedIn) -> Response:
    return _page(request, admin)


@router.post("/admin/appareils/ajouter")
def add_device(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    nom: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    problem = french_name_problem(nom)
    if problem:
        return _page(request, admin, name=nom, error=problem, status_code=422)
    name = nom.strip()
    db = admin.db()
    existing = devices.device_by_name(db, name)
    code, expires_at = devices.add_device_code(db, name, admin.hq.now(), admin.hq.config.pairing_code_hours)
    log.info("pairing code made on the admin site by %s for device %s", admin.username, name)
    return web.render(
        request,
        "pairing_code.html",
        admin=admin,
        title="Code d’appairage",
        active="devices",
        name=name,
        code=code,
        expires_at=expires_at,
        existing=existing,
        hq_url=str(request.base_url).rstrip("/"),
        fingerprint=admin.hq.fingerprint,
    )


@router.get("/admin/appareils/revoquer")
def revoke_confirm(request: Request, admin: web.SignedIn, nom: str = "") -> Response:
    db = admin.db()
    device = devices.device_by_name(db, nom)
    pending = [p for p in devices.pending_codes(db, admin.hq.now()) if p.name == nom]
    if device is None and not pending:
        admin.flash(f"Aucun appareil ni code en attente ne porte le nom « {nom} ».")
        return web.redirect("/admin/appareils")
    return web.render(
        request,
        "revoke_confirm.html",
        admin=admin,
        title="Révoquer un bus",
        active="devices",
        name=nom,
        device=device,
        pending=bool(pending),
    )


@router.post("/admin/appareils/revoquer")
def revoke(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    nom: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    try:
        device = devices.revoke(admin.db(), nom, admin.hq.now())
    except devices.DeviceError:
        admin.flash(f"Aucun appareil ni code en attente ne porte le nom « {nom} » : rien n’a changé.")
        return web.redirect("/admin/appareils")
    log.info("device %s revoked on the admin site by %s", nom, admin.username)
    if device is None:
        admin.flash(f"Le code d’appairage en attente pour « {nom} » est annulé.")
    else:
        admin.flash(f"Le bus « {device.name} » est révoqué : ses connexions sont désormais refusées.")
    return web.redirect("/admin/appareils")


@router.post("/admin/alarmes/resoudre")
def resolve(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
    alarme: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    try:
        alarm_id = int(alarme)
    except ValueError:
        alarm_id = -1
    if resolve_alarm(admin.db(), alarm_id, admin.hq.now()):
        admin.flash("L’alarme est marquée comme résolue.")
    else:
        admin.flash("Cette alarme était déjà résolue.")
    return web.redirect("/admin/appareils#alarmes")
