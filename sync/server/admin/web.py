"""What every page of the admin site shares: templates, sign-in check, CSRF check, French formats.

- `AdminRoute` is the route class of every admin router: it turns `NotSignedIn` into a 303
  redirect to the login page and `CsrfRejected` into a 403 page in French (these answers are
  HTML, not the API's JSON errors).
- `signed_in` is the dependency of every page but the login page: it finds the session of the
  cookie (`accounts.session_for`) or raises `NotSignedIn`.
- `check_csrf(admin, token)` is called first by every POST handler.
- `render(request, template, ...)` fills the shared layout (menu, the session's one-time message,
  the CSRF token, the service's name from config.toml's ``[branding] name``) and adds the
  security headers: no caching, no framing, no script at all (the site works without
  JavaScript), styles only from our own stylesheet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from numeribus_kiosk.catalogue.schedule import french_clock, french_day, french_hours

from ..state import HQ, get_hq
from . import accounts, charts

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

PREFIX = "/admin"
LOGIN_PATH = "/admin/login"
COOKIE = "numeribus_admin"
LOGIN_COOKIE = "numeribus_admin_login"
COOKIE_PATH = "/admin"

try:
    DISPLAY_ZONE: ZoneInfo | type[UTC] = ZoneInfo("Europe/Paris")  # headquarters is in Saint-Étienne
except ZoneInfoNotFoundError:  # a system without time zone data: show UTC rather than fail
    DISPLAY_ZONE = UTC

NAV = (
    ("/admin", "Tableau de bord", "dashboard"),
    ("/admin/appareils", "Appareils", "devices"),
    ("/admin/demandes", "Demandes", "requests"),
    ("/admin/avis", "Avis et bénévoles", "feedback"),
    ("/admin/exports", "Exports", "exports"),
    ("/admin/calendrier", "Calendrier", "calendar"),
)

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class NotSignedIn(Exception):
    """No live session: the browser is sent to the login page, then back to `next_url`."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class CsrfRejected(Exception):
    """A POST form without this session's CSRF token."""


# --------------------------------------------------------------------------- French formats


def local_time(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(DISPLAY_ZONE)


def fr_datetime(value: str | datetime | None, empty: str = "jamais") -> str:
    """In French, in headquarters' local time: "vendredi 27 novembre 2026 à 14 h 05"."""
    try:
        moment = local_time(value)
    except (TypeError, ValueError):
        return str(value)
    if moment is None:
        return empty
    return f"{french_day(moment.date())} à {french_clock(moment)}"


def fr_date(value: str | date | datetime | None, empty: str = "") -> str:
    """In French: "vendredi 27 novembre 2026"."""
    if value is None or value == "":
        return empty
    try:
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif "T" in value:
            day = datetime.fromisoformat(value).date()  # the day in its own offset, as the bus saw it
        else:
            day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return french_day(day)


def link(path: str, **params: object) -> str:
    """`path` with its query string: link("/admin/demandes", etat="nouvelles")."""
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{path}?{query}" if query else path


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,  # a misspelt variable is an error, not an empty text
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fr_datetime"] = fr_datetime
    env.filters["fr_date"] = fr_date
    env.filters["number"] = charts.number
    env.globals["plural"] = charts.plural
    env.globals["fr_hours"] = french_hours
    env.globals["link"] = link
    return env


templates = Jinja2Templates(env=_environment())


# --------------------------------------------------------------------------- sessions


@dataclass(frozen=True, slots=True)
class Admin:
    """The signed-in administrator of this request."""

    hq: HQ
    session: accounts.AdminSession
    token: str

    @property
    def username(self) -> str:
        return self.session.username

    @property
    def csrf(self) -> str:
        return accounts.csrf_token(self.token)

    def db(self):
        return self.hq.db()

    def flash(self, message: str) -> None:
        accounts.set_flash(self.hq.db(), self.session, message)


def safe_next(target: str | None) -> str:
    """A place inside the admin site to go back to after login; anything else gives the dashboard."""
    if not target or "\\" in target or not (target == PREFIX or target.startswith((f"{PREFIX}/", f"{PREFIX}?"))):
        return PREFIX
    if len(target) > 2000 or any(ord(ch) < 32 for ch in target):
        return PREFIX
    return target


def signed_in(request: Request, hq: Annotated[HQ, Depends(get_hq)]) -> Admin:
    """Dependency of every admin page: the session of the cookie, else `NotSignedIn`."""
    token = request.cookies.get(COOKIE)
    session = accounts.session_for(hq.db(), token, hq.now())
    if session is None:
        # After the login, back to the page asked for; a form posted meanwhile is lost (it is not
        # sent again), so the dashboard rather than an address that only takes a POST.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise NotSignedIn(target if request.method in ("GET", "HEAD") else PREFIX)
    return Admin(hq, session, token)


SignedIn = Annotated[Admin, Depends(signed_in)]
"""The route parameter of every page that needs a signed-in administrator."""


def check_csrf(admin: Admin, token: str | None) -> None:
    if not accounts.csrf_ok(admin.token, token):
        log.warning("admin form refused: missing or wrong CSRF token")
        raise CsrfRejected()


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def delete_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict", secure=is_https(request))


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


# --------------------------------------------------------------------------- pages


def render(
    request: Request,
    template: str,
    *,
    admin: Admin | None,
    title: str,
    active: str = "",
    status_code: int = 200,
    **context,
) -> Response:
    """The page `template` in the shared layout, with the security headers."""
    hq: HQ = request.app.state.hq
    flash = accounts.pop_flash(hq.db(), admin.session) if admin is not None else None
    values = {
        "admin": admin,
        "csrf": admin.csrf if admin is not None else "",
        "flash": flash,
        "nav": NAV,
        "active": active,
        "page_title": title,
        "service_name": hq.config.service_name,
        "brand_name": hq.config.brand_name,  # [branding] name of config.toml
        **context,
    }
    return templates.TemplateResponse(request, template, values, status_code=status_code, headers=SECURITY_HEADERS)


def forbidden_page(request: Request) -> Response:
    return render(
        request,
        "forbidden.html",
        admin=None,
        title="Action refusée",
        status_code=403,
    )


class AdminRoute(APIRoute):
    """Route class of the admin site: sign-in redirects and CSRF refusals as HTML answers."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def admin_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except NotSignedIn as exc:
                return redirect(f"{LOGIN_PATH}?suivant={quote(exc.next_url, safe='')}")
            except CsrfRejected:
                return forbidden_page(request)

        return admin_handler
