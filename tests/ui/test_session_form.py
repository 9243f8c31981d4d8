"""SessionForm and "Noter une séance" ("mediateur-seance") on the real kiosk, by touch.

The bus is prepared before the kiosk starts: a mediator PIN, Camille as the mediator logging
(remembered from the audit log, as after a restart), her favourite, a session she logged
yesterday, and a bus stop today.  The mediator mode's wall time is frozen at the real "now" of
the test (`NOW`), so "today's stop" and "started_at ≈ now" are checked exactly.

`Finger.touch` is a real touch (QTest touch events) on an item that must already be on screen:
it never scrolls, so the number of touches counted is what a mediator does.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtTest import QTest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import Passage
from numeribus_kiosk.journal import outbox, sessions
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.mediator import audit, defaults, favourites, pin
from numeribus_kiosk.ui import session_form
from numeribus_kiosk.ui.mediator_bridge import MediatorLocked

from .conftest import centre, find
from .mediator_helpers import audit_screen, audits_at_200_percent, shown, text_of
from .test_keyboard import keys, type_text
from .test_keyboard import tap as key_tap
from .test_schedule_screens import find_item, settle, touch, touch_device  # noqa: F401 - fixture

PIN = "482915"
STOP = "Noirétable, Place de l'Église"
CAFE = {
    "activity": "café tablette",
    "publics": ["seniors / EHPAD"],
    "participants": 8,
    "duration_min": 90,
    "partner": "EHPAD",
    "equipment": ["6 tablettes"],
}


# --------------------------------------------------------------------------- the bus


def frozen_now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


@pytest.fixture
def now() -> datetime:
    """The test's "now", taken once: the mediator mode's wall time during the test."""
    return frozen_now()


def write_journal(data_dir, action) -> None:
    db = store.open_journal_db(data_dir)
    try:
        action(db)
    finally:
        db.close()


def set_stops(data_dir, passages) -> None:
    db = store.open_catalogue_db(data_dir)
    try:
        schedule.replace_passages(db, passages)
    finally:
        db.close()


def prepare_bus(data_dir, now: datetime) -> None:
    """PIN, Camille remembered, her favourite, yesterday's session, and a stop today (before the kiosk)."""
    yesterday = now - timedelta(days=1)

    def prepare(db):
        pin.set_pin(db, PIN)
        audit.record(db, "mediator.chosen", mediator="Camille", now=yesterday)
        favourites.save_favourite(db, "Camille", "Café EHPAD", CAFE, now=yesterday)
        sessions.add_session(
            db,
            {"started_at": yesterday.replace(hour=15, minute=0, second=0).isoformat(), "duration_min": 60,
             "place": "Chalmazel", "activity": "jeux vidéo", "publics": ["adolescents"], "participants": 5,
             "mediator": "Camille", "notes": "manettes à recharger"},
            now=yesterday,
        )  # fmt: skip

    write_journal(data_dir, prepare)
    set_stops(
        data_dir,
        [
            Passage("today", now.date(), time(0, 0), time(23, 59), "Noirétable", "Place de l'Église"),
            Passage("later", now.date() + timedelta(days=2), time(9), time(12), "Écotay-l'Olme", "Mairie"),
        ],
    )


def freeze(kiosk, monkeypatch, now: datetime):
    """The mediator mode's wall time frozen at `now`."""
    monkeypatch.setattr(kiosk.mediator, "_now", lambda: now)
    return kiosk


@pytest.fixture
def bus(ui_data_dir, now):
    prepare_bus(ui_data_dir, now)
    return ui_data_dir


@pytest.fixture
def kiosk(bus, ui, monkeypatch, now):
    """The real kiosk on the prepared bus, its mediator mode's clock frozen at `now`."""
    return freeze(ui, monkeypatch, now)


def unlock(qtbot, kiosk) -> None:
    with qtbot.waitSignal(kiosk.mediator.entered, timeout=10000) as entered:
        kiosk.mediator.enter(PIN)
    assert entered.args == [True]


def open_form(qtbot, kiosk) -> None:
    assert kiosk.window.navigate("mediateur-seance", {})
    settle(qtbot, kiosk, "mediateur-seance")


def rows(data_dir, include_deleted=True) -> list[sessions.Session]:
    db = store.open_journal_db(data_dir)
    try:
        return sessions.list_sessions(db, include_deleted=include_deleted)
    finally:
        db.close()


def events(data_dir, kind: str) -> list[outbox.OutboxEvent]:
    db = store.open_journal_db(data_dir)
    try:
        return [e for e in outbox.pending(db, limit=1000) if e.kind == kind]
    finally:
        db.close()


def audit_entries(data_dir, action: str) -> list[audit.AuditEntry]:
    db = store.open_journal_db(data_dir)
    try:
        return [e for e in audit.list_audit(db) if e.action == action]
    finally:
        db.close()


def on_screen(kiosk, item) -> bool:
    """True when the centre of `item` can be touched now: inside the window and every clipping parent."""
    point = QPointF(centre(item))
    if not (0 <= point.x() < kiosk.window.width() and 0 <= point.y() < kiosk.window.height()):
        return False
    parent = item.parentItem()
    while parent is not None:
        if parent.clip() and not parent.mapRectToScene(parent.boundingRect()).contains(point):
            return False
        parent = parent.parentItem()
    return True


def on_current_screen(kiosk, name: str):
    """The item called `name` on the screen shown (screens below it may have one too), else anywhere."""
    pending = [find(kiosk, "stack").property("currentItem")]
    while pending:
        item = pending.pop(0)
        if item.objectName() == name:
            return item
        pending.extend(item.childItems())
    return find_item(kiosk, name)


class Finger:
    """Real touches on items already on screen (never scrolled to), counted."""

    def __init__(self, qtbot, kiosk, clock, device):
        self.qtbot, self.kiosk, self.clock, self.device = qtbot, kiosk, clock, device
        self.count = 0

    def touch(self, name: str) -> None:
        self.qtbot.wait(20)  # layouts settle (a chip turned bold may have grown)
        item = on_current_screen(self.kiosk, name)
        assert item.property("visible"), f"{name} is not visible"
        assert on_screen(self.kiosk, item), f"{name} is off screen: the mediator would have to scroll"
        point = centre(item)
        window = self.kiosk.window
        QTest.touchEvent(window, self.device).press(0, point, window).commit()
        self.qtbot.wait(20)
        QTest.touchEvent(window, self.device).release(0, point, window).commit()
        self.count += 1
        self.clock.advance(1.0)  # past the tap guard
        self.qtbot.wait(1)


@pytest.fixture
def finger(qtbot, kiosk, clock, touch_device):  # noqa: F811
    return Finger(qtbot, kiosk, clock, touch_device)


def start_from_the_mediator_home(qtbot, kiosk, finger) -> None:
    """The PIN was right: the mediator's home, then its "Noter une séance" button (one touch)."""
    unlock(qtbot, kiosk)
    assert kiosk.window.navigate("mediateur", {})
    settle(qtbot, kiosk, "mediateur")
    finger.touch("mediatorGoSession")
    settle(qtbot, kiosk, "mediateur-seance")


# --------------------------------------------------------------------------- THE 5-TAP TEST


def test_a_session_in_at_most_five_touches(kiosk, qtbot, finger, bus, now):
    start_from_the_mediator_home(qtbot, kiosk, finger)
    assert kiosk.session_form.property("mediatorName") == "Camille"
    assert text_of(kiosk, "favourite_0") == "★ Café EHPAD"
    finger.touch("favourite_0")  # activity, publics, 8 participants, 90 min, partner, 6 tablets
    finger.touch("participants_10")  # 10 came today
    with qtbot.waitSignal(kiosk.session_form.saved) as saved:
        finger.touch("sessionSave")
    assert finger.count == 4 and finger.count <= 5

    assert saved.args[1] is False
    qtbot.waitUntil(lambda: shown(kiosk, "sessionSaved"))
    assert text_of(kiosk, "sessionSaved") == "✔ Séance enregistrée"
    assert not shown(kiosk, "sessionFormPage")
    new = [s for s in rows(bus) if s.activity == "café tablette"]
    assert len(new) == 1
    session = new[0]
    assert session.id == saved.args[0]
    started = datetime.fromisoformat(session.started_at)
    assert timedelta(0) <= now - started < timedelta(minutes=5)  # now, rounded down to 5 minutes
    assert started == defaults.round_down(now) and started.utcoffset() == now.utcoffset()
    assert session.place == STOP  # today's stop
    assert session.data() == {
        "started_at": defaults.round_down(now).isoformat(),
        "duration_min": 90,
        "place": STOP,
        "activity": "café tablette",
        "publics": ["seniors / EHPAD"],
        "participants": 10,
        "participants_by_age": None,
        "partner": "EHPAD",
        "equipment": ["6 tablettes"],
        "mediator": "Camille",
        "notes": "",
    }
    [event] = [e for e in events(bus, "session.created") if e.entity_id == session.id]
    assert event.payload == session.to_dict()
    [entry] = audit_entries(bus, "session.created")
    assert (entry.target, entry.mediator) == (session.id, "Camille")


def test_repeat_the_last_session_in_three_touches(kiosk, qtbot, finger, bus, now):
    start_from_the_mediator_home(qtbot, kiosk, finger)
    assert "jeux vidéo" in text_of(kiosk, "sessionRepeat")
    finger.touch("sessionRepeat")
    finger.touch("sessionSave")
    qtbot.waitUntil(lambda: shown(kiosk, "sessionSaved"))
    assert finger.count == 3
    last = sessions.last_session(store.open_journal_db(bus))
    assert (last.activity, last.publics, last.participants, last.place) == ("jeux vidéo", ("adolescents",), 5, STOP)
    assert last.started_at == defaults.round_down(now).isoformat()
    assert last.notes == ""  # the notes told about yesterday's session only
    assert len(rows(bus)) == 2


def test_another_session_right_after(kiosk, qtbot, finger, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    finger.touch("favourite_0")
    finger.touch("sessionSave")
    qtbot.waitUntil(lambda: shown(kiosk, "sessionSaved"))
    assert "café tablette" in text_of(kiosk, "sessionSavedSummary")
    finger.touch("sessionAnother")
    qtbot.waitUntil(lambda: shown(kiosk, "sessionFormPage"))
    form = kiosk.session_form
    assert form.property("activity") == "" and form.property("publics") == []  # a fresh form
    assert "café tablette" in form.property("repeatText")  # the one just saved is now the last
    assert len(rows(bus)) == 2


def test_after_saving_the_list_or_done(kiosk, qtbot, finger, bus):
    start_from_the_mediator_home(qtbot, kiosk, finger)
    finger.touch("sessionRepeat")
    finger.touch("sessionSave")
    qtbot.waitUntil(lambda: shown(kiosk, "sessionSaved"))
    finger.touch("sessionToList")
    settle(qtbot, kiosk, "mediateur-seances")
    assert text_of(kiosk, "sessionsMessage") == "✔ Séance enregistrée"
    finger.touch("backButton")
    settle(qtbot, kiosk, "mediateur")  # the form went: "Retour" leads to the mediator's home
    finger.touch("mediatorGoSession")
    settle(qtbot, kiosk, "mediateur-seance")
    finger.touch("sessionRepeat")
    finger.touch("sessionSave")
    qtbot.waitUntil(lambda: shown(kiosk, "sessionSaved"))
    finger.touch("sessionDone")
    settle(qtbot, kiosk, "mediateur")
    assert len(rows(bus)) == 3


# --------------------------------------------------------------------------- the whole form by touch


def test_every_field_by_touch_with_notes_on_the_keyboard(kiosk, qtbot, clock, touch_device, bus, now):  # noqa: F811
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    lists = kiosk.mediator.lists

    def tap(name):
        touch(qtbot, kiosk, name, clock, touch_device)

    assert text_of(kiosk, "sessionDateText").startswith("Aujourd'hui, ")
    tap("timeMinus15")
    tap("timeMinusHour")
    tap("timePlus15")
    assert form.property("startedAt") == (defaults.round_down(now) - timedelta(hours=1)).isoformat()
    tap("timeYesterday")
    assert text_of(kiosk, "sessionDateText").startswith("Hier, ")
    assert form.property("place") == "Chalmazel"  # no stop yesterday: the last session's place
    tap("timeNow")
    assert form.property("place") == STOP  # back to today's stop (the place was not chosen by hand)
    tap("timeMinusHour")
    tap("place_1")  # another stop chosen by hand
    assert form.property("place") == "Écotay-l'Olme, Mairie"
    assert find_item(kiosk, "place_1").property("on") and not find_item(kiosk, "place_0").property("on")
    tap("activity_1")
    tap("public_0")
    tap("public_2")
    tap("public_0")  # changed their mind
    tap("participants_6")
    tap("participantsStepperPlus")
    assert form.property("participants") == 7 and text_of(kiosk, "participantsStepperValue") == "7"
    tap("byAgeChip")
    tap("age_3Plus")
    tap("age_3Plus")
    tap("age_0Plus")
    assert text_of(kiosk, "byAgeTotal") == "Total par âge : 3 sur 7 participants"
    tap("duration_120")
    tap("durationStepperMinus")
    assert text_of(kiosk, "durationStepperValue") == "1 h 45"
    tap("partner_2")
    tap("partner_0")
    tap("partner_0")  # touched again: no partner
    tap("partner_1")
    tap("equipment_0")  # tablets: one each by default
    assert text_of(kiosk, "equipmentCount_0Value") == "7"
    tap("equipmentCount_0Minus")
    tap("equipment_1")
    assert not shown(kiosk, "equipmentCount_1")  # a 3D printer is not counted

    area = find(kiosk, "sessionNotesArea")
    tap("sessionNotesArea")
    assert area.property("activeFocus")
    panel = find(kiosk, "inputPanel")
    qtbot.waitUntil(lambda: panel.property("active") and "é" in keys(panel), timeout=3000)
    type_text(qtbot, kiosk, clock, "très")  # a capital at the start of the notes, by itself
    key_tap(qtbot, kiosk, clock, keys(panel)[" "])
    type_text(qtbot, kiosk, clock, "réussi")
    assert form.property("notes") == "Très réussi"

    with qtbot.waitSignal(form.saved):
        tap("sessionSave")  # above the keyboard
    qtbot.waitUntil(lambda: not panel.property("active"), timeout=3000)  # and the keyboard goes
    session = [s for s in rows(bus) if s.notes == "Très réussi"][0]
    assert session.data() == {
        "started_at": (defaults.round_down(now) - timedelta(hours=1)).isoformat(),
        "duration_min": 105,
        "place": "Écotay-l'Olme, Mairie",
        "activity": lists.activities[1],
        "publics": [lists.publics[2]],
        "participants": 7,
        "participants_by_age": {lists.age_groups[3]: 2, lists.age_groups[0]: 1},
        "partner": lists.partners[1],
        "equipment": ["6 tablettes", lists.equipment[1]],
        "mediator": "Camille",
        "notes": "Très réussi",
    }


def test_typed_place_partner_equipment_and_a_new_mediator(kiosk, qtbot, clock, touch_device, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    touch(qtbot, kiosk, "favourite_0", clock, touch_device)
    for name, value in (
        ("sessionPlaceField", "Salle des fêtes"),
        ("sessionPartnerField", "Club des aînés"),
        ("sessionOtherEquipmentField", "rallonge, vidéoprojecteur"),
        ("sessionMediatorField", "Lou"),
    ):
        find(kiosk, name).setProperty("text", value)
    assert form.property("place") == "Salle des fêtes"
    assert not any(find_item(kiosk, f"place_{i}").property("on") for i in range(2))
    assert form.property("mediatorName") == "Lou"
    assert form.property("favourites") == []  # favourites are each mediator's own
    touch(qtbot, kiosk, "place_0", clock, touch_device)  # a chip after typing: the field follows
    assert find(kiosk, "sessionPlaceField").property("text") == STOP
    with qtbot.waitSignal(form.saved):
        touch(qtbot, kiosk, "sessionSave", clock, touch_device)
    session = sessions.last_session(store.open_journal_db(bus))
    assert session.partner == "Club des aînés" and session.mediator == "Lou" and session.place == STOP
    assert session.equipment == ("6 tablettes", "rallonge", "vidéoprojecteur")
    # The name typed is now the mediator logging, offered from now on.
    assert kiosk.mediator.property("mediator") == "Lou" and "Lou" in kiosk.mediator.property("mediators")
    assert audit_entries(bus, "session.created")[-1].mediator == "Lou"


# --------------------------------------------------------------------------- errors in French


def test_missing_choices_are_said_beside_their_fields(kiosk, qtbot, finger, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    finger.touch("sessionSave")
    assert form.property("errors") == {
        "activity": "Choisissez une activité.",
        "publics": "Choisissez au moins un public.",
    }
    assert text_of(kiosk, "sessionProblem") == "⚠ Vérifiez les champs signalés."
    assert shown(kiosk, "sessionActivityError") and shown(kiosk, "sessionPublicsError")
    assert text_of(kiosk, "sessionActivityError") == "⚠ Choisissez une activité."
    assert on_screen(kiosk, find_item(kiosk, "sessionActivityError"))  # the page went to the first one
    assert not shown(kiosk, "sessionPlaceError")
    assert len(rows(bus)) == 1  # nothing written
    finger.touch("activity_0")
    assert not shown(kiosk, "sessionActivityError") and shown(kiosk, "sessionPublicsError")
    assert shown(kiosk, "sessionProblem")  # publics still missing
    touch(qtbot, kiosk, "public_0", finger.clock, finger.device)  # further down: scrolled to
    assert not shown(kiosk, "sessionProblem")
    finger.touch("sessionSave")
    assert len(rows(bus)) == 2


def test_every_check_has_its_french_text(kiosk, qtbot, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    form.applyFavourite(form.property("favourites")[0]["id"])
    form.setPlace("   ")
    form.setMediatorName("")
    form.setPartner("x" * 201)
    form.setOtherEquipment("y" * 201)
    form.setNotes("z" * 5001)
    form.setByAge(True)
    form.stepAge("60 ans et plus", 9)  # 9 > 8: the total follows...
    assert form.property("participants") == 9
    form.setParticipants(4)  # ...then the total is set below it
    assert not form.save()
    assert form.property("errors") == {
        "place": "Indiquez le lieu de la séance.",
        "mediator": "Indiquez le nom du médiateur ou de la médiatrice.",
        "partner": "Ce texte est trop long : 200 caractères au plus.",
        "equipment": "Ce texte est trop long : 200 caractères au plus.",
        "notes": "Ce texte est trop long : 5000 caractères au plus.",
        "byAge": "Le total par âge (9) dépasse le nombre de participants (4).",
    }
    assert form.property("firstError") == "byAge"
    assert text_of(kiosk, "sessionParticipantsError") == "⚠ Le total par âge (9) dépasse le nombre de participants (4)."
    assert text_of(kiosk, "sessionNotesError").startswith("⚠ Ce texte est trop long")
    # Nothing typed is lost.
    assert form.property("partner") == "x" * 201 and form.property("notes") == "z" * 5001
    assert len(rows(bus)) == 1


@pytest.mark.parametrize(
    ("message", "key", "text"),
    [
        ("missing field(s): activity, publics", "activity", "Choisissez une activité."),
        ("publics must list at least one entry", "publics", "Choisissez au moins un public."),
        ("participants_by_age adds up to more than participants", "byAge", "Les nombres par âge ne sont pas valables."),
        ("participants must be at least 0 (got -1)", "participants", "Le nombre de participants n'est pas valable."),
        ("duration_min must be at most 1440 (got 2000)", "duration", "La durée doit aller de 1 minute à 24 heures."),
        ("started_at must include its UTC offset", "startedAt", "La date et l'heure ne sont pas valables."),
        ("place must be at most 200 characters (it has 250)", "place", "Ce texte est trop long : 200 caractères au plus."),  # noqa: E501
        ("notes must be at most 5000 characters (it has 6000)", "notes", "Ce texte est trop long : 5000 caractères au plus."),  # noqa: E501
        ("equipment may list at most 50 entries", "equipment", "Trop d'éléments : 50 au plus."),
        ("mediator is required", "mediator", "Indiquez le nom du médiateur ou de la médiatrice."),
        ("this session was deleted and cannot be changed", "", "Les notes ne sont pas valables."),
    ],
)  # fmt: skip
def test_journal_errors_map_to_fields(qapp, message, key, text):
    assert session_form.error_key(JournalError(message)) == key
    assert session_form.error_text(key or "notes", JournalError(message)) == text


def test_the_journal_refusal_is_shown_too(kiosk, qtbot, bus, monkeypatch):
    """A value the form lets through but the journal refuses: its message, beside the field."""
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    form.applyFavourite(form.property("favourites")[0]["id"])
    form.setActivity("é" * 201)  # (no chip is that long; the journal counts and refuses)
    monkeypatch.setattr(form, "_check", lambda data: {})
    assert not form.save()
    assert form.property("errors") == {"activity": "Ce texte est trop long : 200 caractères au plus."}
    assert text_of(kiosk, "sessionActivityError") == "⚠ Ce texte est trop long : 200 caractères au plus."


def test_a_journal_that_cannot_be_written_loses_nothing(kiosk, qtbot, finger, bus, caplog):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    finger.touch("favourite_0")
    kiosk.mediator.journal().execute("DROP TABLE sessions")  # the journal is damaged under the kiosk's feet
    finger.touch("sessionSave")
    assert text_of(kiosk, "sessionProblem").startswith("⚠ La séance n'a pas pu être enregistrée")
    assert shown(kiosk, "sessionFormPage") and not shown(kiosk, "sessionSaved")
    assert kiosk.session_form.property("activity") == "café tablette"  # still on screen
    assert "session not saved: OperationalError" in caplog.text
    assert "café tablette" not in caplog.text


# --------------------------------------------------------------------------- favourites


def test_save_a_favourite_then_use_and_delete_it(kiosk, qtbot, finger, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    form.setActivity("jeux vidéo")
    form.togglePublic("adolescents")
    form.setParticipants(12)
    form.togglePartner("collège")
    assert find(kiosk, "favouriteName").property("placeholderText") == "jeux vidéo – collège"
    assert form.saveFavourite("")  # the suggestion is the name
    assert form.property("favouriteMessage") == "Favori « jeux vidéo – collège » enregistré."
    labels = [f["label"] for f in form.property("favourites")]
    assert labels == ["Café EHPAD", "jeux vidéo – collège"]
    saved = favourites.list_favourites(store.open_journal_db(bus), "Camille")[1]
    assert saved.data == {"activity": "jeux vidéo", "publics": ["adolescents"], "participants": 12,
                          "duration_min": 60, "partner": "collège", "equipment": []}  # fmt: skip
    assert audit_entries(bus, "favourite.saved")[-1].target == saved.id
    assert form.property("appliedFavourite") == saved.id

    form.startNew()
    qtbot.wait(20)
    finger.touch("favourite_1")
    assert (form.property("activity"), form.property("participants")) == ("jeux vidéo", 12)
    assert find_item(kiosk, "favourite_1").property("on") and not find_item(kiosk, "favourite_0").property("on")

    delete = find_item(kiosk, "favouriteDelete_1")
    assert delete.property("accessibleName") == "Supprimer le favori jeux vidéo – collège"
    touch(qtbot, kiosk, "favouriteDelete_1", finger.clock, finger.device)  # scrolled to: at the bottom
    qtbot.waitUntil(lambda: len(form.property("favourites")) == 1)
    assert form.property("favouriteMessage") == "Favori « jeux vidéo – collège » supprimé."
    assert audit_entries(bus, "favourite.deleted")[-1].target == saved.id
    assert [f.label for f in favourites.list_favourites(store.open_journal_db(bus), "Camille")] == ["Café EHPAD"]


def test_a_favourite_needs_an_activity_a_public_and_a_name(kiosk, qtbot, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    assert not form.saveFavourite("Vide")
    assert form.property("favouriteMessage") == "⚠ Pour un favori, choisissez au moins une activité et un public."
    form.setMediatorName("")
    assert not form.saveFavourite("x")
    assert form.property("favouriteMessage") == "⚠ Indiquez d'abord votre nom : les favoris sont à chacun."
    form.setMediatorName("Camille")
    form.setActivity("autre")
    form.togglePublic("adultes")
    for n in range(favourites.MAX_PER_MEDIATOR - 1):
        assert form.saveFavourite(f"f{n}")
    assert not form.saveFavourite("one more")
    assert form.property("favouriteMessage") == "⚠ Douze favoris au plus : supprimez-en un d'abord."


# --------------------------------------------------------------------------- the mode


def test_nothing_while_locked(kiosk, qtbot, bus):
    form = kiosk.session_form
    form.startNew()
    assert not form.property("ready") and form.property("placeChoices") == []
    assert not kiosk.window.navigate("mediateur-seance", {})  # Main.qml's gate
    with pytest.raises(MediatorLocked):
        kiosk.mediator.journal()
    assert not form.save() and len(rows(bus)) == 1


def test_locking_clears_the_form(kiosk, qtbot, finger, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    finger.touch("favourite_0")
    form.setNotes("à rappeler")
    with qtbot.waitSignal(form.loaded):
        kiosk.mediator.lock()
    qtbot.waitUntil(lambda: kiosk.window.property("currentScreen") == "accueil")
    for prop, empty in (("activity", ""), ("publics", []), ("place", ""), ("notes", ""), ("favourites", []),
                        ("placeChoices", []), ("repeatText", ""), ("mediatorName", ""), ("errors", {}),
                        ("equipmentOn", []), ("startedAt", ""), ("participants", 0)):  # fmt: skip
        assert form.property(prop) == empty, prop
    assert not form.property("ready") and not form.property("canRepeat")
    assert len(rows(bus)) == 1


def test_the_visitor_idle_reset_also_clears_it(kiosk, qtbot, finger, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    finger.touch("favourite_0")
    kiosk.idle.resetRequested.emit()
    assert kiosk.session_form.property("activity") == "" and not kiosk.mediator.property("unlocked")


def test_no_stop_today_the_last_place(ui_data_dir, qtbot, qapp, clock, monkeypatch):
    """Without a stop today, the place of the last session; the schedule is read, not written."""
    now = frozen_now()

    def prepare(db):
        pin.set_pin(db, PIN)
        sessions.add_session(
            db,
            {"started_at": now.isoformat(), "duration_min": 60, "place": "Médiathèque de Noirétable",
             "activity": "autre", "publics": ["adultes"], "participants": 2, "mediator": "Karim"},
        )  # fmt: skip

    write_journal(ui_data_dir, prepare)
    set_stops(ui_data_dir, [Passage("far", now.date() + timedelta(days=3), time(9), time(12), "Chalmazel")])
    from numeribus_kiosk import app as kiosk_app

    kiosk = kiosk_app.build_kiosk(
        qapp, ui_data_dir, windowed=False, speech_engine="mock", clock=clock, pixel_pitch_mm=0.248
    )
    try:
        monkeypatch.setattr(kiosk.mediator, "_now", lambda: now)
        unlock(qtbot, kiosk)
        kiosk.session_form.startNew()
        assert kiosk.session_form.property("place") == "Médiathèque de Noirétable"
        assert kiosk.session_form.property("placeChoices") == ["Chalmazel", "Médiathèque de Noirétable"]
        assert kiosk.session_form.property("mediatorName") == ""  # nobody named yet
        assert kiosk.session_form.property("durationMin") == 60
    finally:
        kiosk.close()


def test_form_readable_at_200_percent_in_every_theme(kiosk, qtbot, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    form.applyFavourite(form.property("favourites")[0]["id"])
    form.setByAge(True)
    form.saveFavourite("")  # its message shown too
    assert form.property("favouriteMessage") != ""
    form.setPlace("")
    assert not form.save()  # and errors
    for _theme, result in audits_at_200_percent(qtbot, kiosk):
        assert result.failures == [], result.failures
        assert result.items > 100
    assert find_item(kiosk, "sessionSave").property("visible")


def test_saved_confirmation_readable_at_200_percent(kiosk, qtbot, bus):
    unlock(qtbot, kiosk)
    open_form(qtbot, kiosk)
    form = kiosk.session_form
    form.repeatLast()
    assert form.save()
    kiosk.a11y.stepTextScale(8)
    result = audit_screen(qtbot, kiosk, theme="standard")
    assert result.failures == [], result.failures


def test_dates_in_french(qapp):
    today = date(2026, 11, 26)
    tz = datetime.now().astimezone().tzinfo
    assert session_form.date_text(datetime(2026, 11, 26, 14, 5, tzinfo=tz), today) == (
        "Aujourd'hui, jeudi 26 novembre à 14 h 05"
    )
    assert session_form.date_text(datetime(2026, 11, 25, 9, 0, tzinfo=tz), today) == "Hier, mercredi 25 novembre à 9 h"
    assert session_form.date_text(datetime(2026, 11, 1, 18, 30, tzinfo=tz), today) == "dimanche 1er novembre à 18 h 30"
    assert session_form.date_text(datetime(2025, 12, 31, 10, 0, tzinfo=tz), today) == (
        "mercredi 31 décembre 2025 à 10 h"
    )


def test_summary_text(qapp):
    assert session_form.summary_text(CAFE) == "café tablette · seniors / EHPAD · 8 participants"
    assert session_form.summary_text({**CAFE, "participants": 1, "place": "Chalmazel"}).endswith(
        "1 participant · Chalmazel"
    )


def test_the_outbox_event_is_one_transaction_with_the_row(kiosk, qtbot, bus, now):
    """One save: one row, one event, same payload (read back from journal.db's own columns)."""
    unlock(qtbot, kiosk)
    form = kiosk.session_form
    form.startNew()
    form.repeatLast()
    before = len(events(bus, "session.created"))
    assert form.save()
    db = store.open_journal_db(bus)
    try:
        row = db.execute("SELECT id, version, deleted, created_at FROM sessions ORDER BY rowid DESC").fetchone()
        payload = json.loads(
            db.execute("SELECT payload FROM outbox WHERE entity_id = ? ORDER BY seq", [row[0]]).fetchone()[0]
        )
    finally:
        db.close()
    assert row[1:] == (1, 0, now.isoformat(timespec="seconds"))  # created at the mediator's "now"
    assert payload["id"] == row[0] and payload["version"] == 1
    assert len(events(bus, "session.created")) == before + 1
