"""Fixtures of the admin site's tests: an administrator, a signed-in client, a bus's real data.

- ``admin_user``: the administrator "marie" (password `PASSWORD`), made with `accounts.add_user`.
- ``admin``: the ``client`` fixture, signed in as marie through the real login form.
- ``bus``: a real bus journal (`tests.sync.bus_journal.BusJournal`), enrolled at headquarters as
  "Numéribus 1" through POST /api/v1/enrol with the journal's device id (``bus.device``).
- ``filled``: `record_dataset` written with the kiosk's journal code and uploaded through the
  real, signed POST /api/v1/events; headquarters' clock is on `TODAY`.  `EXPECTED` holds what
  the dashboard must show for the last 12 months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from numeribus_kiosk.journal import requests, sessions
from sync.server.admin import accounts
from tests.sync.bus_journal import PARIS, BusJournal

PASSWORD = "bibliobus-Loire-2026"
USERNAME = "marie"
TODAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BUS_NAME = "Numéribus 1"
CATALOGUE_VERSION = 4321

# What the dashboard shows for the last 12 months (December 2025 to November 2026).
EXPECTED = {
    "sessions": 5,
    "participants": 56,
    "months": {"novembre 2026": (2, 20), "octobre 2026": (1, 25), "septembre 2026": (1, 6), "juin 2026": (1, 5)},
    "publics": {
        "Scolaires": (1, 25),
        "Tout public": (2, 17),
        "seniors / EHPAD": (2, 13),
        "Familles": (1, 12),
        "Jeunes": (1, 6),
    },
    "activities": {"Fablab 3D": (1, 25), "Atelier tablette": (2, 20), "jeux vidéo": (1, 6), "démarches": (1, 5)},
    "communes": {"Charlieu": (1, 25), "Noirétable": (2, 13), "Boën": (1, 12), "Feurs": (1, 6)},
}


def form_value(html: str, name: str) -> str:
    """The value of the first hidden field `name` of a page."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no field {name} in the page"
    return found.group(1)


def login(client, username: str = USERNAME, password: str = PASSWORD, next_url: str | None = None):
    """Open the login page and post its form; the answer is not followed."""
    page = client.get("/admin/login", params={"suivant": next_url} if next_url else None)
    assert page.status_code == 200
    return client.post(
        "/admin/login",
        data={
            "identifiant": username,
            "mot_de_passe": password,
            "jeton": form_value(page.text, "jeton"),
            "suivant": form_value(page.text, "suivant"),
        },
        follow_redirects=False,
    )


def csrf_of(client, path: str = "/admin") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return form_value(page.text, "csrf")


@pytest.fixture
def admin_user(hq):
    return accounts.add_user(hq.db(), USERNAME, PASSWORD, hq.now())


@pytest.fixture
def admin(client, admin_user):
    answer = login(client)
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def bus(tmp_path, hq_clock, make_device):
    hq_clock.set(TODAY)
    journal = BusJournal(tmp_path / "bus")
    journal.device = make_device(BUS_NAME, device_id=journal.device_id)
    yield journal
    journal.close()


@dataclass
class Dataset:
    bus: BusJournal
    request_new: requests.DocumentRequest
    request_done: requests.DocumentRequest
    answer: dict


def at(day: str, hour: str = "14:00") -> str:
    return f"{day}T{hour}:00+01:00"


def record_dataset(bus: BusJournal) -> tuple[requests.DocumentRequest, requests.DocumentRequest]:
    """Sessions, requests, opinions and an offer, recorded by the kiosk's journal functions."""
    now = datetime(2026, 11, 26, 18, 0, tzinfo=PARIS)
    bus.add_session(
        now,
        started_at=at("2026-11-20", "10:00"),
        place="Boën — Médiathèque",
        activity="Atelier tablette",
        publics=["Tout public", "Familles"],
        participants=12,
        participants_by_age=None,
    )
    bus.add_session(
        now,
        started_at=at("2026-11-26"),
        place="Noirétable, Place de l'Église",
        activity="atelier tablette",
        publics=["seniors / EHPAD"],
        participants=8,
    )
    bus.add_session(
        now,
        started_at=at("2026-10-05", "09:30"),
        place="Charlieu, École Jules Ferry",
        activity="Fablab 3D",
        publics=["Scolaires"],
        participants=25,
        participants_by_age=None,
    )
    bus.add_session(
        now,
        started_at=at("2026-06-15"),
        place="Noirétable, Salle des fêtes",
        activity="démarches",
        publics=["seniors / EHPAD", "Tout public"],
        participants=5,
        participants_by_age=None,
    )
    games = bus.add_session(
        now,
        started_at=at("2026-09-10"),
        place="Feurs, Place Carnot",
        activity="jeux vidéo",
        publics=["Jeunes"],
        participants=4,
        participants_by_age=None,
    )
    sessions.update_session(bus.db, games.id, {"participants": 6}, now=now)
    gone = bus.add_session(now, started_at=at("2026-11-25"), participants=100, participants_by_age=None)
    sessions.delete_session(bus.db, gone.id, now=now)
    bus.add_session(  # older than the last 12 months
        now,
        started_at=at("2025-10-01"),
        place="Roanne",
        activity="Fablab 3D",
        participants=50,
        participants_by_age=None,
    )
    request_new = bus.add_request(
        name="Zoé Martin", contact="06 12 34 56 78", now=now, title="Le Petit Prince", record_id="rec-1"
    )
    request_done = bus.add_request(
        name="Louis Bernard",
        contact="louis@example.org",
        now=now + timedelta(minutes=5),
        title="Les Misérables",
        record_id="rec-2",
        stop="Boën",
    )
    requests.mark_handled(bus.db, request_done.id, now=now + timedelta(hours=1))
    bus.add_feedback(score=5, text="Super atelier, merci !", wished=("tablette", "jeux_video"), now=now)
    bus.add_feedback(score=3, text="", wished=("tablette",), now=now + timedelta(minutes=1))
    bus.add_offer(name="Jean Dupont", contact="jean@example.org", now=now)
    return request_new, request_done


def upload(client, bus: BusJournal, signed) -> dict:
    """The bus's pending outbox, through the real signed POST /api/v1/events."""
    answer = signed(
        client,
        bus.device,
        "POST",
        "/api/v1/events",
        json={"device_id": bus.device_id, "catalogue_version": CATALOGUE_VERSION, "events": bus.pending()},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture
def filled(client, bus, signed) -> Dataset:
    request_new, request_done = record_dataset(bus)
    answer = upload(client, bus, signed)
    assert all(result["status"] == "stored" for result in answer["results"]), answer
    return Dataset(bus, request_new, request_done, answer)
