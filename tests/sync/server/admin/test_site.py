"""The admin site over HTTP (in-process): login, sessions, CSRF, and every page with real bus data."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient

from numeribus_kiosk.journal import sessions
from sync import protocol
from sync.server import devices, events, visitors
from sync.server.admin import accounts
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.bus_journal import forge

from .conftest import BUS_NAME, EXPECTED, PASSWORD, USERNAME, csrf_of, form_value, login, upload
from .html_checks import check_page

PAGES = ["/admin", "/admin/appareils", "/admin/demandes", "/admin/avis", "/admin/exports", "/admin/calendrier"]
POSTS = [
    "/admin/logout",
    "/admin/appareils/ajouter",
    "/admin/appareils/revoquer",
    "/admin/alarmes/resoudre",
    "/admin/demandes/traiter",
    "/admin/demandes/supprimer",
    "/admin/avis/supprimer",
    "/admin/calendrier/passage",
    "/admin/calendrier/passage/supprimer",
    "/admin/calendrier/atelier",
    "/admin/calendrier/atelier/supprimer",
]


def text_of(html: str) -> str:
    """The page's text, tags removed and blanks collapsed (what a reader sees)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)] if "</section>" in html[start:] else html[start:]


# --------------------------------------------------------------------------- signing in


@pytest.mark.parametrize(
    "path",
    [
        *PAGES,
        "/admin/demandes/export.csv",
        "/admin/exports/seances?format=csv",
        "/admin/appareils/revoquer?nom=x",
        "/admin/demandes?etat=toutes",
    ],
)
def test_pages_send_a_signed_out_browser_to_the_login_page(client, path):
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/admin/login?suivant=%2Fadmin")


@pytest.mark.parametrize("path", POSTS)
def test_forms_posted_without_a_session_change_nothing_and_redirect(client, path):
    answer = client.post(path, data={"csrf": "x"}, follow_redirects=False)
    assert answer.status_code == 303
    # After the login, the dashboard: the address of a form only takes a POST.
    assert answer.headers["location"] == "/admin/login?suivant=%2Fadmin"


def test_login_sets_a_strict_http_only_cookie_and_goes_back_to_the_page_asked(client, admin_user):
    answer = login(client, next_url="/admin/demandes?etat=toutes")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/demandes?etat=toutes"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("numeribus_admin="))
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags and "path=/admin" in flags
    assert "secure" not in flags  # plain http on the depot network
    assert "max-age=28800" in flags  # [admin] session_hours = 8
    assert client.get("/admin/demandes?etat=toutes").status_code == 200
    # Signed in: the login page goes straight on.
    assert client.get("/admin/login", follow_redirects=False).headers["location"] == "/admin"


def test_the_cookie_is_secure_over_https(hq, admin_user):
    with TestClient(create_app(hq), base_url="https://testserver") as client:
        answer = login(client)
        cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("numeribus_admin="))
        assert "secure" in [part.strip().lower() for part in cookie.split(";")]
        assert client.get("/admin").status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/admin", "/api/v1/hello", "/admin\\x", "/administrator"]
)
def test_login_never_sends_the_browser_elsewhere(client, admin_user, target):
    assert login(client, next_url=target).headers["location"] == "/admin"


def test_a_wrong_password_is_told_in_french_and_not_echoed(client, admin_user):
    answer = login(client, password="pas le bon mot de passe")
    assert answer.status_code == 401
    check_page(answer.text)
    assert "Identifiant ou mot de passe incorrect" in answer.text
    assert "Encore 4 essais" in text_of(answer.text)
    assert "pas le bon mot de passe" not in answer.text
    assert f'value="{USERNAME}"' in answer.text  # the name is kept, not the password
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_five_wrong_passwords_lock_the_name_for_five_minutes(client, admin_user, hq_clock):
    for _ in range(accounts.MAX_FAILURES - 1):
        assert login(client, password="mauvais mot de passe").status_code == 401
    locked = login(client, password="mauvais mot de passe")
    assert locked.status_code == 429
    assert "la connexion est bloquée jusqu’à" in locked.text
    assert login(client).status_code == 429  # even the right password, while locked
    hq_clock.advance(minutes=5)
    assert login(client).status_code == 303


def test_the_login_form_needs_its_own_token(client, admin_user):
    client.get("/admin/login")
    for token in ("", "forged"):
        answer = client.post(
            "/admin/login",
            data={"identifiant": USERNAME, "mot_de_passe": PASSWORD, "jeton": token},
            follow_redirects=False,
        )
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
        check_page(answer.text)
        assert "Action refusée" in answer.text
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_a_session_ends_after_the_configured_hours(admin, hq_clock):
    assert admin.get("/admin").status_code == 200
    hq_clock.advance(hours=8)
    assert admin.get("/admin", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_for_good(admin):
    token = admin.cookies.get("numeribus_admin")
    answer = admin.post("/admin/logout", data={"csrf": csrf_of(admin)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/login?deconnecte=1"
    assert "Vous êtes déconnecté·e." in admin.get("/admin/login?deconnecte=1").text
    assert admin.get("/admin", follow_redirects=False).status_code == 303
    admin.cookies.set("numeribus_admin", token, path="/admin")  # the old cookie, kept by someone
    assert admin.get("/admin", follow_redirects=False).status_code == 303


def test_a_removed_administrator_is_signed_out(admin, hq):
    accounts.remove_user(hq.db(), USERNAME)
    assert admin.get("/admin", follow_redirects=False).status_code == 303


# --------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize("path", POSTS)
def test_every_form_without_the_csrf_token_is_refused_in_french(admin, filled, hq, path):
    for data in ({}, {"csrf": ""}, {"csrf": "0" * 64}):
        answer = admin.post(path, data={"nom": BUS_NAME, **data}, follow_redirects=False)
        assert answer.status_code == 403, path
        assert answer.headers["content-type"].startswith("text/html")
        check_page(answer.text)
        assert "Action refusée" in answer.text and "rien n’a été modifié" in answer.text
    assert admin.get("/admin").status_code == 200  # still signed in (logout refused too)
    assert devices.device_by_name(hq.db(), BUS_NAME).active


def test_the_csrf_token_of_another_session_is_refused(admin, filled, hq):
    other = accounts.open_session(hq.db(), USERNAME, hq.now(), 8)
    answer = admin.post(
        "/admin/appareils/revoquer",
        data={"nom": BUS_NAME, "csrf": accounts.csrf_token(other)},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert devices.device_by_name(hq.db(), BUS_NAME).active


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_french_labelled_and_not_cached(admin, filled, path):
    answer = admin.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert "script-src" not in answer.headers["content-security-policy"]  # default-src 'none': no script
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    outline = check_page(answer.text)
    assert "<script" not in answer.text and "style=" not in answer.text
    assert 'aria-current="page"' in answer.text
    assert ("nav" in outline.landmarks) and ("header" in outline.landmarks)


def test_the_login_page_itself(client):
    answer = client.get("/admin/login")
    outline = check_page(answer.text)
    assert {f["name"] for f in outline.fields} == {"identifiant", "mot_de_passe"}
    assert answer.headers["cache-control"] == "no-store"


def test_the_stylesheet_is_served_to_everyone(client):
    answer = client.get("/admin/static/admin.css")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/css; charset=utf-8"
    assert ":focus-visible" in answer.text and ".skip-link" in answer.text


def test_admin_pages_are_not_in_the_api_schema(client):
    assert not [path for path in client.get("/openapi.json").json()["paths"] if path.startswith("/admin")]


def test_dashboard_shows_the_statistics_as_charts_and_tables(admin, filled):
    html = admin.get("/admin").text
    assert "Période : du 1er décembre 2025 au 30 novembre 2026" in text_of(html)
    assert re.search(r'id="total-seances">5<', html) and re.search(r'id="total-participants">56<', html)
    for key, expected in (
        ("mois", EXPECTED["months"]),
        ("publics", EXPECTED["publics"]),
        ("activites", EXPECTED["activities"]),
        ("communes", EXPECTED["communes"]),
    ):
        part = section(html, f"titre-{key}")
        desc = unescape(re.search(r"<desc[^>]*>(.*?)</desc>", part).group(1))
        table = text_of(part[part.index("<table") :])
        for label, (count, people) in expected.items():
            assert f"{label} : {count} séance" in desc and f", {people} participant" in desc
            assert f"{label} {count} {people}" in table, (label, table)
        assert 'role="img"' in part and "aria-describedby" in part
    assert "compte, avec tous ses participants, dans chacun de ses publics" in html


def test_dashboard_period_filter(admin, filled):
    november = admin.get("/admin", params={"mois": "2026-11"}).text
    assert "Période : novembre 2026" in text_of(november)
    assert re.search(r'id="total-seances">2<', november) and re.search(r'id="total-participants">20<', november)
    wide = admin.get("/admin", params={"du": "2025-01-01", "au": "2026-12-31"}).text
    assert re.search(r'id="total-seances">6<', wide) and re.search(r'id="total-participants">106<', wide)
    bad = admin.get("/admin", params={"du": "2026-11-30", "au": "2026-11-01"})
    assert bad.status_code == 200
    assert "La date de fin est avant la date de début." in bad.text
    assert re.search(r'id="total-seances">5<', bad.text)  # the default period meanwhile
    empty = admin.get("/admin", params={"mois": "2020-01"}).text
    assert "Aucune séance enregistrée sur cette période." in empty and "<svg" not in empty


def test_dashboard_without_any_data(admin):
    html = admin.get("/admin").text
    assert re.search(r'id="total-seances">0<', html)
    assert "Aucune séance enregistrée" in html


def test_devices_page_shows_the_bus_and_its_sync_state(admin, filled, hq):
    html = admin.get("/admin/appareils").text
    row = text_of(section(html, "liste-appareils"))
    acknowledged = filled.answer["acknowledged"]
    assert acknowledged == len(filled.bus.all_events())
    # (text_of turns the narrow no-break space of "4 321" into a space)
    assert f"{BUS_NAME} Actif vendredi 27 novembre 2026 à 10 h {acknowledged} 4 321" in row
    assert "Aucune alarme ouverte." in html


def test_adding_a_bus_shows_a_code_that_really_enrols_it(admin, hq, client):
    answer = admin.post("/admin/appareils/ajouter", data={"nom": "  Numéribus 2 ", "csrf": csrf_of(admin)})
    assert answer.status_code == 200
    check_page(answer.text)
    code = re.search(r'id="code-appairage">([^<]+)<', answer.text).group(1)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert f"numeribus-kiosk enrol --hq http://testserver --code {code}" in unescape(answer.text)
    assert hq.fingerprint in answer.text
    assert "samedi 28 novembre 2026 à 10 h" in text_of(answer.text) or "jusqu’au" in answer.text
    devices_page = admin.get("/admin/appareils").text
    assert code not in devices_page  # shown once only
    assert "Numéribus 2 : valable jusqu’au" in text_of(devices_page)
    key = protocol.generate_key()
    public_key = protocol.public_text(key)
    enrolled = client.post(
        "/api/v1/enrol",
        json={"device_id": "bus-2", "public_key": public_key, "proof": protocol.enrol_proof(code, "bus-2", public_key)},
    )
    assert enrolled.status_code == 200, enrolled.text
    assert devices.device_by_name(hq.db(), "Numéribus 2").device_id == "bus-2"


def test_a_bad_bus_name_is_explained(admin, hq):
    for name, message in (
        ("  ", "Donnez un nom au bus"),
        ("x" * 65, "ne doit pas dépasser 64 caractères"),
        ("a\tb", "ni tabulation"),
    ):
        answer = admin.post("/admin/appareils/ajouter", data={"nom": name, "csrf": csrf_of(admin)})
        assert answer.status_code == 422
        assert message in answer.text and 'aria-invalid="true"' in answer.text
        check_page(answer.text)
    assert devices.pending_codes(hq.db(), hq.now()) == []


def test_revoking_a_bus_asks_first_then_refuses_its_requests(admin, filled, hq, client, signed):
    devices_page = admin.get("/admin/appareils").text
    link = unescape(re.search(r'href="(/admin/appareils/revoquer\?nom=[^"]+)"', devices_page).group(1))
    confirm = admin.get(link)
    check_page(confirm.text)
    assert f"Révoquer le bus « {BUS_NAME} » ?" in unescape(confirm.text)
    assert devices.device_by_name(hq.db(), BUS_NAME).active  # asking changed nothing
    answer = admin.post(
        "/admin/appareils/revoquer",
        data={"nom": form_value(confirm.text, "nom"), "csrf": csrf_of(admin)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/appareils"
    after = admin.get("/admin/appareils").text
    assert f"Le bus « {BUS_NAME} » est révoqué" in unescape(after)
    assert "Révoqué le vendredi 27 novembre 2026" in text_of(after)
    assert f"Le bus « {BUS_NAME} » est révoqué" not in unescape(admin.get("/admin/appareils").text)  # once
    refused = signed(client, filled.bus.device, "GET", "/api/v1/hello")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "device_revoked"


def test_revoking_an_unknown_name(admin):
    answer = admin.get("/admin/appareils/revoquer", params={"nom": "Fantôme"})
    assert "Aucun appareil ni code en attente ne porte le nom « Fantôme »" in unescape(answer.text)
    answer = admin.post("/admin/appareils/revoquer", data={"nom": "Fantôme", "csrf": csrf_of(admin)})
    assert "rien n’a changé" in answer.text


def test_an_alarm_is_shown_and_resolved(admin, filled, hq):
    first = filled.bus.all_events()[0]
    other = forge(filled.bus.device_id, first["seq"], "feedback.created", "x", {"different": True})
    events.ingest(hq.db(), filled.bus.device_id, [other], hq.now())
    html = admin.get("/admin/appareils").text
    assert "Conflit de numéro de séquence" in html
    alarm_id = form_value(html, "alarme")
    answer = admin.post(
        "/admin/alarmes/resoudre", data={"alarme": alarm_id, "csrf": csrf_of(admin)}, follow_redirects=False
    )
    assert answer.status_code == 303
    after = admin.get("/admin/appareils").text
    assert "L’alarme est marquée comme résolue." in after and "Aucune alarme ouverte." in after
    assert hq.db().execute("SELECT resolved_at FROM alarms WHERE id = ?", [alarm_id]).fetchone()[0]
    again = admin.post("/admin/alarmes/resoudre", data={"alarme": alarm_id, "csrf": csrf_of(admin)})
    assert "Cette alarme était déjà résolue." in again.text
    assert "déjà résolue" in admin.post("/admin/alarmes/resoudre", data={"alarme": "x", "csrf": csrf_of(admin)}).text


def test_quarantined_events_are_listed(admin, filled, hq):
    bad = forge(filled.bus.device_id, 100, "session.created", "s", {"participants": "many"})
    events.ingest(hq.db(), filled.bus.device_id, [bad], hq.now())
    html = admin.get("/admin/appareils").text
    assert "Évènements en quarantaine" in html and "session.created" in html


def test_requests_page_filters_handles_and_deletes(admin, filled, hq):
    new, done = filled.request_new, filled.request_done
    page = admin.get("/admin/demandes").text
    assert "Nouvelles (1)" in page and "Traitées (1)" in page and "Toutes (2)" in page
    assert "Zoé Martin" in page and "06 12 34 56 78" in page and "Louis Bernard" not in page
    handled = admin.get("/admin/demandes", params={"etat": "traitees"}).text
    assert "Louis Bernard" in handled and "Zoé Martin" not in handled
    assert "Traitée à bord le jeudi 26 novembre 2026 à 19 h" in text_of(handled)
    answer = admin.post(
        "/admin/demandes/traiter",
        data={"appareil": filled.bus.device_id, "id": new.id, "etat": "nouvelles", "csrf": csrf_of(admin)},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/admin/demandes?etat=nouvelles"
    page = admin.get("/admin/demandes").text
    assert "La demande est marquée comme traitée." in page and "Aucune demande ici." in page
    assert "Traitée au siège le vendredi 27 novembre 2026 à 10 h" in text_of(
        admin.get("/admin/demandes", params={"etat": "toutes"}).text
    )
    confirm = admin.get("/admin/demandes/supprimer", params={"appareil": filled.bus.device_id, "id": done.id})
    check_page(confirm.text)
    assert "Supprimer cette demande ?" in confirm.text and "Louis Bernard" in confirm.text
    assert visitors.get_request(hq.db(), filled.bus.device_id, done.id) is not None
    admin.post(
        "/admin/demandes/supprimer",
        data={"appareil": filled.bus.device_id, "id": done.id, "etat": "toutes", "csrf": csrf_of(admin)},
    )
    assert visitors.get_request(hq.db(), filled.bus.device_id, done.id) is None
    page = admin.get("/admin/demandes", params={"etat": "toutes"}).text
    assert "Louis Bernard" not in page and "Toutes (1)" in page
    gone = admin.get("/admin/demandes/supprimer", params={"appareil": filled.bus.device_id, "id": done.id})
    assert "Cette demande n’existe plus" in gone.text


def test_requests_export_as_csv(admin, filled):
    answer = admin.get("/admin/demandes/export.csv", params={"etat": "toutes"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="demandes-toutes-2026-11-27.csv"'
    assert answer.content.startswith(b"\xef\xbb\xbf")
    text = answer.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("device;id;created_at;title")
    assert len(lines) == 3 and "Zoé Martin" in text and "Louis Bernard" in text and BUS_NAME in text
    only_new = admin.get("/admin/demandes/export.csv", params={"etat": "nouvelles"}).content.decode("utf-8-sig")
    assert "Zoé Martin" in only_new and "Louis Bernard" not in only_new


def test_feedback_and_volunteer_offers(admin, filled, hq):
    html = admin.get("/admin/avis").text
    words = text_of(html)
    assert re.search(r'id="total-avis">2<', html)
    assert "Note moyenne 4,0 sur 5" in words
    assert "Très content (5 sur 5) 1" in words and "Moyennement content (3 sur 5) 1" in words
    assert "Ateliers tablettes 2" in words and "Jeux vidéo 1" in words
    assert "Super atelier, merci !" in html
    assert "Jean Dupont" in html and "jean@example.org" in html
    offer = visitors.list_volunteers(hq.db())[0]
    confirm = admin.get("/admin/avis/supprimer", params={"appareil": offer.device_id, "id": offer.id})
    check_page(confirm.text)
    assert "Jean Dupont" in confirm.text
    answer = admin.post(
        "/admin/avis/supprimer",
        data={"appareil": offer.device_id, "id": offer.id, "csrf": csrf_of(admin)},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/admin/avis#benevoles"
    after = admin.get("/admin/avis").text
    assert "La proposition est supprimée" in after and "Jean Dupont" not in after
    assert visitors.list_volunteers(hq.db()) == []


def test_exports_page_and_files(admin, filled, hq):
    html = admin.get("/admin/exports").text
    words = text_of(html)
    assert "Période : du 1er janvier 2026 au 31 décembre 2026" in words
    assert "5 séances et 56 participants" in words
    assert 'id="totaux-enquete"' in html
    csv_file = admin.get("/admin/exports/seances", params={"format": "csv"})
    assert csv_file.headers["content-disposition"] == 'attachment; filename="seances-2026-01-01-2026-12-31.csv"'
    rows = csv_file.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("device;")
    assert len(rows) == 1 + 5 and all(row.startswith(BUS_NAME) for row in rows[1:])
    november = admin.get("/admin/exports/seances", params={"format": "csv", "mois": "2026-11"})
    assert len(november.content.decode("utf-8-sig").splitlines()) == 1 + 2
    ods = admin.get("/admin/exports/seances", params={"format": "ods", "du": "2025-01-01", "au": "2026-12-31"})
    assert ods.headers["content-type"] == "application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(io.BytesIO(ods.content)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert "Roanne" in archive.read("content.xml").decode("utf-8")
    bad = admin.get("/admin/exports/seances", params={"format": "csv", "mois": "2026-13"}, follow_redirects=False)
    assert bad.status_code == 303
    assert "Rien n’a été téléchargé." in admin.get(bad.headers["location"]).text


def test_exports_with_a_broken_survey_mapping(admin, filled, hq):
    (hq.data_dir / "survey-mapping.toml").write_text("[[category]\n", encoding="utf-8")
    html = admin.get("/admin/exports").text
    assert "ne peuvent pas être utilisées" in html and "survey-mapping.toml, line 1: not valid TOML" in html
    assert admin.get("/admin/exports/seances", params={"format": "csv"}).status_code == 200


SURVEY_CONFIG = """
[branding]
name = "navette numérique"
article = "la"
logo = "logo-du-bus.png"

[[survey.category]]
id = "tablette"
label = "Ateliers tablette"
activities = ["atelier tablette"]

[sync]
discovery = false

[[survey.category]]
id = "ehpad"
label = "Seniors en EHPAD"
publics = ["Seniors / EHPAD"]

[[survey.category]]
id = "tout"
label = "Toutes les séances"
all = true
"""


def test_exports_use_the_survey_categories_of_config_toml(admin, filled, hq):
    """config.toml's [[survey.category]] win over a survey-mapping.toml, and the page says so."""
    (hq.data_dir / "config.toml").write_text(SURVEY_CONFIG, encoding="utf-8")
    (hq.data_dir / "survey-mapping.toml").write_text('[[category]]\nid = "x"\nlabel = "X"\nall = true\n')
    html = admin.get("/admin/exports").text
    check_page(html)
    source = text_of(re.search(r'<p id="source-enquete">(.*?)</p>', html, re.S).group(1))
    assert source.startswith(f"Catégories lues dans {hq.data_dir / 'config.toml'} (le fichier ")
    assert f"{hq.data_dir / 'survey-mapping.toml'} n’est pas utilisé" in source
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td>', html)
    assert rows == [
        ("Ateliers tablette", "2", "20"),
        ("Seniors en EHPAD", "2", "13"),
        ("Toutes les séances", "5", "56"),
    ]

    csv_rows = admin.get("/admin/exports/seances", params={"format": "csv"}).content.decode("utf-8-sig").splitlines()
    header = csv_rows[0].split(";")
    assert header[-3:] == ["survey_tablette", "survey_ehpad", "survey_tout"] and "survey_x" not in header
    noiretable = next(row.split(";") for row in csv_rows if "Place de l'Église" in row)
    assert noiretable[-3:] == ["8", "8", "8"]
    ods = admin.get("/admin/exports/seances", params={"format": "ods"})
    with zipfile.ZipFile(io.BytesIO(ods.content)) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert "Enquête annuelle" in content and "Seniors en EHPAD" in content and "survey_tablette" in content


def test_exports_show_a_broken_survey_part_of_config_toml(admin, filled, hq):
    broken = SURVEY_CONFIG.replace('publics = ["Seniors / EHPAD"]', 'public = ["Seniors / EHPAD"]')
    (hq.data_dir / "config.toml").write_text(broken, encoding="utf-8")
    html = admin.get("/admin/exports").text
    assert f"{hq.data_dir / 'config.toml'}, line 18: unknown key &#39;public&#39; in category 2" in html
    assert 'id="totaux-enquete"' not in html


def test_exports_with_the_default_survey_categories_say_so(admin, filled):
    html = admin.get("/admin/exports").text
    assert text_of(re.search(r'<p id="source-enquete">(.*?)</p>', html, re.S).group(1)) == (
        "Catégories : celles fournies avec le logiciel."
    )


def test_the_site_bears_the_name_of_config_toml(tmp_path, hq_clock):
    data_dir = tmp_path / "siege"
    data_dir.mkdir()
    (data_dir / "config.toml").write_text(SURVEY_CONFIG, encoding="utf-8")
    service = HQ(data_dir, clock=hq_clock)
    try:
        assert service.config.brand_name == "Navette numérique" and service.config.problems == ()
        with TestClient(create_app(service)) as client:
            html = client.get("/admin/login").text
    finally:
        service.close()
    check_page(html)
    assert "<title>Connexion — Navette numérique, administration</title>" in html
    assert '<span class="brand">Navette numérique</span> — administration du siège' in html
    assert "Numéribus" not in html.replace("Numéribus — Médiathèque", "")  # the footer is [service] name


def test_the_site_is_numeribus_by_default(client):
    html = client.get("/admin/login").text
    assert "— Numéribus, administration</title>" in html and '<span class="brand">Numéribus</span>' in html


def test_personal_data_never_reaches_the_log(admin, filled, hq, caplog):
    caplog.set_level(logging.DEBUG)
    admin.get("/admin/demandes", params={"etat": "toutes"})
    admin.get("/admin/demandes/export.csv")
    admin.get("/admin/avis")
    admin.post(
        "/admin/demandes/supprimer",
        data={"appareil": filled.bus.device_id, "id": filled.request_new.id, "csrf": csrf_of(admin)},
    )
    for secret in ("Zoé Martin", "06 12 34 56 78", "Louis Bernard", "louis@example.org", "Jean Dupont", PASSWORD):
        assert secret not in caplog.text


def test_sessions_updated_and_deleted_on_the_bus_after_upload(admin, filled, client, signed, hq):
    charlieu = next(s for s in sessions.list_sessions(filled.bus.db) if s.place.startswith("Charlieu"))
    sessions.delete_session(filled.bus.db, charlieu.id, now=hq.now() + timedelta(minutes=1))
    upload(client, filled.bus, signed)
    html = admin.get("/admin").text
    assert re.search(r'id="total-seances">4<', html) and re.search(r'id="total-participants">31<', html)
    assert "Charlieu" not in section(html, "titre-communes")
