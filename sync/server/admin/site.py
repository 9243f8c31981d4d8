"""The admin site: French, server-rendered, usable without JavaScript (issue 5, item 10).

Pages (all under /admin, all but the login page need a signed-in administrator):

====================================  ==========================================================
``/admin/login``, ``/admin/logout``   sign in (POST form) and out
``/admin``                            tableau de bord: sessions and participants per month, by
                                      public, by activity, by commune (`pages_dashboard`)
``/admin/appareils``                  devices, their alarms, pairing codes, revocation
                                      (`pages_devices`)
``/admin/demandes``, ``/admin/avis``  visitors' requests; feedback and volunteer offers
                                      (`pages_visitors`)
``/admin/exports``                    sessions as CSV/ODS, the annual-report totals
                                      (`pages_exports`)
``/admin/calendrier``                 the bus schedule and the workshop agenda (`pages_calendar`)
====================================  ==========================================================

Every POST form carries the session's CSRF token (`web.check_csrf`); the login form carries a
double-submit token.  Administrators are made with ``numeribus-sync admin add-user``
(`accounts`).  The routes are left out of the OpenAPI schema: it describes the sync API.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from ..state import HQ, get_hq
from . import accounts, pages_calendar, pages_dashboard, pages_devices, pages_exports, pages_visitors, web

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.AdminRoute, include_in_schema=False)

LOGIN_TOKEN_SECONDS = 3600


@router.get("/admin/static/admin.css")
def stylesheet() -> Response:
    return Response(
        (web.STATIC_DIR / "admin.css").read_bytes(),
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


def _login_page(
    request: Request,
    hq: HQ,
    *,
    next_url: str,
    username: str = "",
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    token = request.cookies.get(web.LOGIN_COOKIE)
    if not token or len(token) > 100:
        token = accounts.new_login_token()
    response = web.render(
        request,
        "login.html",
        admin=None,
        title="Connexion",
        login_token=token,
        next_url=next_url,
        username=username,
        error=error,
        notice=notice,
        status_code=status_code,
    )
    web.set_cookie(response, request, web.LOGIN_COOKIE, token, LOGIN_TOKEN_SECONDS)
    return response


@router.get("/admin/login")
def login_form(
    request: Request, hq: Annotated[HQ, Depends(get_hq)], suivant: str = "", deconnecte: str = ""
) -> Response:
    next_url = web.safe_next(suivant)
    if accounts.session_for(hq.db(), request.cookies.get(web.COOKIE), hq.now()) is not None:
        return web.redirect(next_url)
    notice = "Vous êtes déconnecté·e." if deconnecte else None
    return _login_page(request, hq, next_url=next_url, notice=notice)


@router.post("/admin/login")
def login(
    request: Request,
    hq: Annotated[HQ, Depends(get_hq)],
    identifiant: Annotated[str, Form()] = "",
    mot_de_passe: Annotated[str, Form()] = "",
    jeton: Annotated[str, Form()] = "",
    suivant: Annotated[str, Form()] = "",
) -> Response:
    if not accounts.login_token_ok(request.cookies.get(web.LOGIN_COOKIE), jeton):
        log.warning("admin login form refused: missing or wrong form token")
        return web.forbidden_page(request)
    next_url = web.safe_next(suivant)
    username = identifiant.strip()[: accounts.USERNAME_MAX_LENGTH]
    now = hq.now()
    result = accounts.authenticate(hq.db(), username, mot_de_passe, now)
    if result.locked:
        until = web.local_time(result.locked_until)
        return _login_page(
            request,
            hq,
            next_url=next_url,
            username=username,
            error=(
                "Trop de mots de passe erronés pour cet identifiant : la connexion est bloquée "
                f"jusqu’à {web.french_clock(until)}. Réessayez ensuite."
            ),
            status_code=429,
        )
    if not result.ok:
        left = result.remaining_attempts
        return _login_page(
            request,
            hq,
            next_url=next_url,
            username=username,
            error=(
                "Identifiant ou mot de passe incorrect. "
                f"Encore {web.charts.plural(left, 'essai')} avant un blocage de "
                f"{accounts.LOCK_SECONDS // 60} minutes."
            ),
            status_code=401,
        )
    hours = hq.config.admin_session_hours
    token = accounts.open_session(hq.db(), result.username, now, hours)
    response = web.redirect(next_url)
    web.set_cookie(response, request, web.COOKIE, token, hours * 3600)
    web.delete_cookie(response, request, web.LOGIN_COOKIE)
    return response


@router.post("/admin/logout")
def logout(
    request: Request,
    admin: web.SignedIn,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    web.check_csrf(admin, csrf)
    accounts.close_session(admin.db(), admin.token)
    log.info("administrator %s signed out", admin.username)
    response = web.redirect(f"{web.LOGIN_PATH}?deconnecte=1")
    web.delete_cookie(response, request, web.COOKIE)
    return response


for _module in (pages_dashboard, pages_devices, pages_visitors, pages_exports, pages_calendar):
    router.include_router(_module.router)
