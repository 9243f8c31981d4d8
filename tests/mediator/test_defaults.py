"""The session form's defaults: now rounded, today's stop, durations, equipment texts, repeat, favourites."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import Passage
from numeribus_kiosk.journal import sessions
from numeribus_kiosk.mediator import defaults, favourites
from numeribus_kiosk.mediator.lists import DEFAULT_EQUIPMENT

PARIS = timezone(timedelta(hours=1))
DAY = date(2026, 11, 26)


def at(hour: int, minute: int = 0, second: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute, second), PARIS)


MORNING = Passage("M", DAY, time(9, 30), time(12), "Noirétable", "Place de l'Église")
AFTERNOON = Passage("A", DAY, time(14), time(16, 30), "Écotay-l'Olme", "EHPAD Les Tilleuls")
TOMORROW = Passage("T", DAY + timedelta(days=1), time(10), time(12), "Chalmazel", "")
YESTERDAY = Passage("Y", DAY - timedelta(days=1), time(10), time(12), "Boën-sur-Lignon", "Mairie")
STOPS = [TOMORROW, AFTERNOON, YESTERDAY, MORNING]


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(14, 7, 42), at(14, 5)),
        (at(14, 5), at(14, 5)),
        (at(14, 4, 59), at(14, 0)),
        (at(23, 59, 59), at(23, 55)),
        (at(0, 0, 1), at(0, 0)),
    ],
)
def test_start_rounded_down_to_five_minutes(moment, expected):
    rounded = defaults.round_down(moment.replace(microsecond=123456))
    assert rounded == expected and rounded.utcoffset() == timedelta(hours=1)
    assert rounded.isoformat() == expected.isoformat()


def test_round_down_other_steps():
    assert defaults.round_down(at(14, 29), 15) == at(14, 15)
    with pytest.raises(ValueError):
        defaults.round_down(at(14), 0)


@pytest.mark.parametrize(
    ("durations", "expected"), [((30, 60, 90, 120), 60), ((45, 90), 45), ((), 60), ((120, 60), 60)]
)
def test_default_duration(durations, expected):
    assert defaults.default_duration(durations) == expected


@pytest.mark.parametrize(
    ("minutes", "text"), [(30, "30 min"), (5, "5 min"), (60, "1 h"), (90, "1 h 30"), (125, "2 h 05"), (1440, "24 h")]
)
def test_duration_text(minutes, text):
    assert defaults.duration_text(minutes) == text


# --------------------------------------------------------------------------- today's stop


def test_stop_label_is_commune_then_place():
    assert defaults.stop_label(MORNING) == "Noirétable, Place de l'Église"
    assert defaults.stop_label(TOMORROW) == "Chalmazel"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(10), "M"),  # within the morning stop
        (at(9, 30), "M"),  # hours are inclusive
        (at(12), "M"),
        (at(15, 59), "A"),
        (at(7), "M"),  # before any stop: the nearest
        (at(12, 50), "M"),  # 50 min after the morning one, 70 before the afternoon one
        (at(13, 10), "A"),  # 70 min after, 50 before
        (at(22), "A"),  # in the evening: the last one of the day
    ],
)
def test_todays_stop_contains_or_is_nearest(moment, expected):
    assert defaults.todays_stop(STOPS, moment).id == expected


def test_two_stops_as_near_the_earlier_wins():
    assert defaults.todays_stop(STOPS, at(13, 0)).id == "M"  # 60 min either way


def test_no_stop_today():
    assert defaults.todays_stop([TOMORROW, YESTERDAY], at(10)) is None
    assert defaults.todays_stop([], at(10)) is None


def test_default_place_falls_back_to_the_last_session_then_nothing():
    assert defaults.default_place(STOPS, at(10), "Médiathèque") == "Noirétable, Place de l'Église"
    assert defaults.default_place([TOMORROW], at(10), "  Médiathèque de Noirétable ") == "Médiathèque de Noirétable"
    assert defaults.default_place([TOMORROW], at(10), None) == ""
    assert defaults.default_place([], at(10)) == ""


def test_the_day_is_the_moment_s_own():
    """A session logged late for yesterday gets yesterday's stop."""
    assert defaults.todays_stop(STOPS, at(11, day=DAY - timedelta(days=1))).id == "Y"


def test_place_choices_today_first_then_next_stops_then_extras():
    choices = defaults.place_choices(STOPS, at(15), extra=["Médiathèque", "chalmazel", ""])
    assert choices == [
        "Écotay-l'Olme, EHPAD Les Tilleuls",  # the stop under way first
        "Noirétable, Place de l'Église",
        "Chalmazel",
        "Médiathèque",  # "chalmazel" is Chalmazel again (case ignored); past stops are not offered
    ]
    assert defaults.place_choices(STOPS, at(15), limit=2) == choices[:2]
    assert defaults.place_choices([], at(15)) == []


def test_read_stops_from_the_catalogue(tmp_path):
    data_dir = store.ensure_data_dir(tmp_path / "data")
    db = store.open_catalogue_db(data_dir)
    try:
        schedule.replace_passages(db, STOPS)
    finally:
        db.close()
    assert [p.id for p in defaults.read_stops(data_dir, DAY)] == ["A", "M", "T"]  # from today on


def test_read_stops_without_a_usable_catalogue(tmp_path, caplog):
    assert defaults.read_stops(tmp_path, DAY) == []  # no catalogue.db: nothing, no error
    (tmp_path / "catalogue.db").write_bytes(b"this is not a database, only some text " * 40)
    assert defaults.read_stops(tmp_path, DAY) == []
    assert "could not be read for the session form" in caplog.text


# --------------------------------------------------------------------------- equipment


@pytest.mark.parametrize(
    ("name", "counted"),
    [
        ("tablettes", True),
        ("liseuses", True),
        ("imprimante 3D", False),
        ("casque de réalité virtuelle", False),
        ("console de jeux", False),
        ("jeux de société", True),
        ("", False),
    ],
)
def test_counted_equipment_is_a_plural(name, counted):
    assert defaults.is_counted(name) is counted


@pytest.mark.parametrize(
    ("name", "count", "text"),
    [
        ("tablettes", 6, "6 tablettes"),
        ("tablettes", 1, "1 tablette"),
        ("tablettes", None, "tablettes"),
        ("tablettes", 0, "tablettes"),
        ("jeux de société", 1, "1 jeu de société"),
        ("imprimante 3D", None, "imprimante 3D"),
        ("  liseuses  ", 3, "3 liseuses"),
    ],
)
def test_equipment_text(name, count, text):
    assert defaults.equipment_text(name, count) == text


def test_parse_equipment_reads_counts_back():
    found, others = defaults.parse_equipment(
        ["6 tablettes", "imprimante 3D", "2 casques VR", "Liseuses", "rallonge électrique", "rallonge électrique"],
        DEFAULT_EQUIPMENT,
    )
    assert found == {"tablettes": 6, "imprimante 3D": None, "liseuses": None}
    assert others == ["2 casques VR", "rallonge électrique"]
    assert defaults.parse_equipment(["1 tablette"], DEFAULT_EQUIPMENT) == ({"tablettes": 1}, [])
    assert defaults.parse_equipment(["1 TABLETTE", ""], DEFAULT_EQUIPMENT) == ({"tablettes": 1}, [])


@pytest.mark.parametrize("count", [None, 1, 2, 12])
def test_equipment_text_round_trips(count):
    text = defaults.equipment_text("tablettes", count)
    assert defaults.parse_equipment([text], DEFAULT_EQUIPMENT) == ({"tablettes": count}, [])


# --------------------------------------------------------------------------- whole forms


def test_new_session_is_valid_once_activity_and_public_are_chosen():
    data = defaults.new_session(
        at(10, 12, 30), passages=STOPS, last_place="ailleurs", mediator="Camille", durations=(30, 60, 90)
    )
    assert data == {
        "started_at": "2026-11-26T10:10:00+01:00",
        "duration_min": 60,
        "place": "Noirétable, Place de l'Église",
        "activity": "",
        "publics": [],
        "participants": 0,
        "participants_by_age": None,
        "partner": None,
        "equipment": [],
        "mediator": "Camille",
        "notes": "",
    }
    assert set(data) == set(sessions.FIELDS)
    with pytest.raises(sessions.JournalError, match="activity"):
        sessions.validate(data)
    assert sessions.validate({**data, "activity": "café tablette", "publics": ["seniors"]})["place"] == data["place"]


def test_new_session_without_a_stop_takes_the_last_place():
    assert defaults.new_session(at(10), last_place="Médiathèque")["place"] == "Médiathèque"
    assert defaults.new_session(at(10))["place"] == ""


LAST = {
    "started_at": "2026-11-24T14:00:00+01:00",
    "duration_min": 90,
    "place": "Médiathèque de Noirétable",
    "activity": "café tablette",
    "publics": ["seniors / EHPAD", "adultes"],
    "participants": 8,
    "participants_by_age": {"60 ans et plus": 6},
    "partner": "EHPAD",
    "equipment": ["6 tablettes"],
    "mediator": "Karim",
    "notes": "Mme X a demandé un rendez-vous",
}


def test_repeat_takes_all_but_date_place_and_notes():
    data = defaults.repeat_session(LAST, at(14, 3), passages=STOPS, mediator="Camille")
    assert data == {
        **LAST,
        "started_at": "2026-11-26T14:00:00+01:00",
        "place": "Écotay-l'Olme, EHPAD Les Tilleuls",
        "mediator": "Camille",
        "notes": "",
    }
    sessions.validate(data)
    data["publics"].append("enfants")  # a copy: the last session is untouched
    data["participants_by_age"]["12-17 ans"] = 1
    assert LAST["publics"] == ["seniors / EHPAD", "adultes"] and LAST["participants_by_age"] == {"60 ans et plus": 6}


def test_repeat_without_a_stop_today_keeps_the_last_place_and_mediator():
    data = defaults.repeat_session(LAST, at(14), passages=[TOMORROW])
    assert data["place"] == "Médiathèque de Noirétable" and data["mediator"] == "Karim"


def test_repeat_a_real_session(tmp_path):
    db = store.open_journal_db(tmp_path)
    try:
        sessions.add_session(db, LAST, now=at(16))
        last = sessions.last_session(db)
    finally:
        db.close()
    data = defaults.repeat_session(last.data(), at(10), passages=STOPS, mediator="Camille")
    assert data["publics"] == LAST["publics"] and data["equipment"] == ["6 tablettes"]
    assert data["place"] == "Noirétable, Place de l'Église"


def test_a_favourite_fills_its_fields_only(tmp_path):
    db = store.open_journal_db(tmp_path)
    try:
        favourite = favourites.save_favourite(
            db,
            "Camille",
            "Café EHPAD",
            {"activity": "café tablette", "publics": ["seniors / EHPAD"], "participants": 10, "duration_min": 90,
             "equipment": ["4 tablettes"]},
        )  # fmt: skip
    finally:
        db.close()
    start = defaults.new_session(at(10, 2), passages=STOPS, mediator="Camille")
    start["notes"] = "déjà écrit"
    start["participants_by_age"] = {"moins de 12 ans": 3}
    start["participants"] = 3
    filled = defaults.apply_template(start, favourite.data)
    assert filled == {
        **start,
        "activity": "café tablette",
        "publics": ["seniors / EHPAD"],
        "participants": 10,
        "participants_by_age": None,  # the favourite's number of participants replaces the split
        "duration_min": 90,
        "partner": None,
        "equipment": ["4 tablettes"],
    }
    sessions.validate(filled)
    filled["publics"].append("x")
    assert favourite.data["publics"] == ["seniors / EHPAD"]


def test_a_favourite_with_the_same_participants_keeps_the_split():
    start = {**LAST}
    filled = defaults.apply_template(start, {"activity": "jeux vidéo", "participants": 8})
    assert filled["participants_by_age"] == {"60 ans et plus": 6} and filled["activity"] == "jeux vidéo"
