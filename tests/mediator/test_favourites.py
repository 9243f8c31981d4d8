"""Per-mediator favourites: session templates for a one-tap form."""

from __future__ import annotations

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.mediator import favourites

CAFE = {"activity": "café tablette", "publics": ["seniors / EHPAD"], "participants": 8, "duration_min": 90}


@pytest.fixture
def db(tmp_path):
    database = store.open_journal_db(tmp_path)
    yield database
    database.close()


def test_saved_per_mediator_and_replaced_by_label(db):
    first = favourites.save_favourite(db, "Camille", "Café EHPAD", CAFE)
    favourites.save_favourite(db, "Karim", "Café EHPAD", {**CAFE, "participants": 5})
    again = favourites.save_favourite(db, "Camille", "Café EHPAD", {**CAFE, "participants": 10})
    assert again.id == first.id
    [mine] = favourites.list_favourites(db, "Camille")
    assert mine.data == {
        "activity": "café tablette",
        "publics": ["seniors / EHPAD"],
        "participants": 10,
        "duration_min": 90,
        "partner": None,
        "equipment": [],
    }
    assert favourites.list_favourites(db, "Karim")[0].data["participants"] == 5
    assert favourites.known_mediators(db) == ["Camille", "Karim"]
    assert favourites.delete_favourite(db, mine.id) and not favourites.delete_favourite(db, mine.id)
    assert favourites.list_favourites(db, "Camille") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**CAFE, "notes": "Mme Durand"}, "holds only"),
        ({**CAFE, "participants": -1}, "participants must be at least 0"),
        ({"publics": ["adultes"]}, "activity"),
        ({**CAFE, "publics": []}, "publics must list at least one"),
    ],
)
def test_bad_templates_are_refused(db, data, message):
    with pytest.raises(JournalError, match=message):
        favourites.save_favourite(db, "Camille", "x", data)
    assert favourites.list_favourites(db, "Camille") == []


def test_a_mediator_has_at_most_twelve(db):
    for n in range(favourites.MAX_PER_MEDIATOR):
        favourites.save_favourite(db, "Camille", f"f{n}", CAFE)
    with pytest.raises(JournalError, match="at most 12"):
        favourites.save_favourite(db, "Camille", "one more", CAFE)
