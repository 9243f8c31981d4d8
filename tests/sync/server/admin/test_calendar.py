"""/admin/calendrier: the bus schedule and the workshop agenda, edited through the forms."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest

from numeribus_kiosk.catalogue.schedule import Passage, Workshop
from sync.server import publish, schedule

from .conftest import csrf_of
from .html_checks import check_page
from .test_site import text_of

TODAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

PASSAGE = {
    "date": "2026-12-01",
    "start": "09:30",
    "end": "12:00",
    "commune": "Noirétable",
    "place": "Place de l'Église",
    "address": "",
    "notes": "Parking derrière l'église",
    "public": "",
}
WORKSHOP = {
    "date": "2026-12-02",
    "start": "14:00",
    "end": "15:30",
    "commune": "Charlieu",
    "place": "Médiathèque",
    "kind": "cafe_tablette",
    "title": "Café tablettes",
    "description": "Venez avec votre tablette.",
    "audience": "seniors",
    "seats": "6",
    "registration": "1",
}


@pytest.fixture
def signed_in(admin, hq_clock):
    hq_clock.set(TODAY)
    return admin


def post(client, path, data):
    return client.post(path, data={**data, "csrf": csrf_of(client)}, follow_redirects=False)


def test_an_empty_calendar(signed_in):
    html = signed_in.get("/admin/calendrier").text
    check_page(html)
    assert "Aucun passage à venir." in html and "Aucun atelier à venir." in html
    for path in ("/admin/calendrier/passage", "/admin/calendrier/atelier"):
        check_page(signed_in.get(path).text)


def test_adding_editing_and_deleting_a_passage(signed_in, hq):
    answer = post(signed_in, "/admin/calendrier/passage", PASSAGE)
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/calendrier#passages"
    (saved,) = schedule.passages(hq.db())
    assert saved == Passage(
        id="P-20261201-0930-noiretable",
        date=date(2026, 12, 1),
        start=time(9, 30),
        end=time(12),
        commune="Noirétable",
        place="Place de l'Église",
        notes="Parking derrière l'église",
    )
    page = text_of(signed_in.get("/admin/calendrier").text)
    assert "Passage enregistré : mardi 1er décembre 2026, 9 h 30 – 12 h : Noirétable, Place de l'Église." in page
    assert "mardi 1er décembre 2026 9 h 30 – 12 h Noirétable, Place de l'Église tout public" in page
    published = publish.get(hq.db(), "passage", saved.id)  # what the buses will pull
    assert not published.deleted and published.data == saved.to_dict()

    form = signed_in.get("/admin/calendrier/passage", params={"id": saved.id}).text
    check_page(form)
    assert "Modifier un passage" in form and 'value="Noirétable"' in form
    edited = post(
        signed_in, "/admin/calendrier/passage", {**PASSAGE, "id": saved.id, "start": "10:00", "public": "résidents"}
    )
    assert edited.status_code == 303
    (after,) = schedule.passages(hq.db())
    assert after.id == saved.id and after.start == time(10) and after.public == "résidents"
    assert publish.get(hq.db(), "passage", saved.id).version > published.version

    confirm = signed_in.get("/admin/calendrier/passage/supprimer", params={"id": saved.id})
    check_page(confirm.text)
    assert "Supprimer ce passage ?" in confirm.text
    assert schedule.passages(hq.db())  # asking changed nothing
    deleted = post(signed_in, "/admin/calendrier/passage/supprimer", {"id": saved.id})
    assert deleted.status_code == 303
    assert schedule.passages(hq.db()) == []
    assert publish.get(hq.db(), "passage", saved.id).deleted  # a tombstone for the buses
    assert "Le passage est supprimé" in signed_in.get("/admin/calendrier").text
    again = post(signed_in, "/admin/calendrier/passage/supprimer", {"id": saved.id})
    assert "Ce passage n’existait plus" in signed_in.get(again.headers["location"]).text


def test_passage_mistakes_are_explained_in_french_and_nothing_is_saved(signed_in, hq):
    answer = post(
        signed_in, "/admin/calendrier/passage", {**PASSAGE, "date": "01/12/2026", "start": "9h", "commune": " "}
    )
    assert answer.status_code == 422
    check_page(answer.text)
    for message in (
        "Indiquez la date au format AAAA-MM-JJ",
        "Indiquez l’heure de début au format HH:MM",
        "Indiquez la commune.",
    ):
        assert message in answer.text
    assert answer.text.count('aria-invalid="true"') == 3
    assert 'href="#champ-date"' in answer.text  # the summary leads to the field
    assert 'value="01/12/2026"' in answer.text  # what was typed is kept
    backwards = post(signed_in, "/admin/calendrier/passage", {**PASSAGE, "start": "12:00", "end": "09:00"})
    assert "L’heure de fin doit venir après l’heure de début." in backwards.text
    no_day = post(signed_in, "/admin/calendrier/passage", {**PASSAGE, "date": "2026-02-30"})
    assert "Cette date n’existe pas." in no_day.text
    assert schedule.passages(hq.db()) == []


def test_a_second_passage_at_the_same_time_and_place_is_refused(signed_in, hq):
    post(signed_in, "/admin/calendrier/passage", PASSAGE)
    again = post(signed_in, "/admin/calendrier/passage", {**PASSAGE, "notes": "autre"})
    assert again.status_code == 409 and "modifiez-le plutôt" in again.text
    assert schedule.passages(hq.db())[0].notes == PASSAGE["notes"]


def test_adding_editing_and_deleting_a_workshop(signed_in, hq):
    answer = post(signed_in, "/admin/calendrier/atelier", WORKSHOP)
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/calendrier#ateliers"
    (saved,) = schedule.workshops(hq.db())
    assert saved == Workshop(
        id="W-20261202-1400-charlieu-cafe_tablette",
        date=date(2026, 12, 2),
        start=time(14),
        end=time(15, 30),
        commune="Charlieu",
        place="Médiathèque",
        kind="cafe_tablette",
        title="Café tablettes",
        description="Venez avec votre tablette.",
        audience="seniors",
        seats=6,
        registration=True,
    )
    page = text_of(signed_in.get("/admin/calendrier").text)
    assert "Café tablettes Cafés tablettes · seniors Charlieu, Médiathèque Sur inscription, 6 places" in page
    form = signed_in.get("/admin/calendrier/atelier", params={"id": saved.id}).text
    check_page(form)
    assert re.search(r'value="cafe_tablette" selected', form) and re.search(
        r'name="registration" value="1" checked', form
    )
    edited = {**WORKSHOP, "id": saved.id, "seats": "", "title": "Café tablettes de Noël"}
    del edited["registration"]  # an unticked box is not sent
    assert post(signed_in, "/admin/calendrier/atelier", edited).status_code == 303
    (after,) = schedule.workshops(hq.db())
    assert (after.id, after.title, after.seats, after.registration) == (saved.id, "Café tablettes de Noël", None, False)
    confirm = signed_in.get("/admin/calendrier/atelier/supprimer", params={"id": saved.id})
    assert "Supprimer cet atelier ?" in confirm.text
    post(signed_in, "/admin/calendrier/atelier/supprimer", {"id": saved.id})
    assert schedule.workshops(hq.db()) == []


def test_workshop_mistakes_are_explained_in_french(signed_in, hq):
    answer = post(
        signed_in, "/admin/calendrier/atelier", {**WORKSHOP, "kind": "cuisine", "title": "", "seats": "beaucoup"}
    )
    assert answer.status_code == 422
    check_page(answer.text)
    for message in (
        "Choisissez le type d’atelier.",
        "Indiquez le titre de l’atelier.",
        "Le nombre de places doit être un nombre entier",
    ):
        assert message in answer.text
    assert schedule.workshops(hq.db()) == []


def test_past_dates_are_hidden_unless_asked(signed_in, hq):
    post(signed_in, "/admin/calendrier/passage", {**PASSAGE, "date": "2026-11-02", "commune": "Feurs"})
    post(signed_in, "/admin/calendrier/passage", PASSAGE)
    upcoming = signed_in.get("/admin/calendrier").text
    assert "Noirétable" in upcoming and "Feurs" not in upcoming and "1 passage à venir" in upcoming
    everything = signed_in.get("/admin/calendrier", params={"tout": "1"}).text
    assert "Feurs" in everything and "2 passages" in everything


def test_a_gone_item_is_said_so(signed_in):
    for path in ("/admin/calendrier/passage", "/admin/calendrier/atelier/supprimer"):
        answer = signed_in.get(path, params={"id": "nope"}, follow_redirects=False)
        assert answer.status_code == 303
        assert "n’existe plus" in signed_in.get(answer.headers["location"]).text
