"""VisitorRecordsModel and the mediator's screen "mediateur-visiteurs", on the real kiosk.

Records are written with the real journal functions (add_request, add_feedback,
add_volunteer_offer) or by the visitor side (JournalBridge); the mode is opened with setupPin.
"Now" is fixed through the mediator's wall time (its `now`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import feedback, outbox, requests
from numeribus_kiosk.mediator import audit
from numeribus_kiosk.ui import visitor_records

from .conftest import find
from .mediator_helpers import accessible_name, audits_at_200_percent, open_screen, shown, text_of, unlock
from .test_schedule_screens import find_item, settle, touch, touch_device  # noqa: F401 - fixture

PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 17, 0, tzinfo=PARIS)  # a Thursday
SCREEN = "mediateur-visiteurs"
NAME, CONTACT = "Camille Durand-Perret", "06 12 34 56 78"
OFFER_NAME, OFFER_CONTACT = "Yasmine Belkacem", "yasmine@example.org"
SECRETS = (NAME, CONTACT, OFFER_NAME, OFFER_CONTACT, "Durand", "Belkacem", "06 12")


@pytest.fixture
def now_is_fixed(ui, monkeypatch):
    monkeypatch.setattr(ui.mediator, "_now", lambda: NOW)


@pytest.fixture
def records(journal_db):
    """Two requests (one a day earlier), two opinions, one volunteer offer."""
    first = requests.add_request(
        journal_db, "rec-1", "Le Petit Prince", NAME, CONTACT, "Noirétable", True, now=NOW - timedelta(days=1)
    )
    second = requests.add_request(
        journal_db, "rec-2", "Les Misérables", "Louis Marchand", "louis@example.org", "", True,
        now=NOW.replace(hour=14, minute=5),
    )  # fmt: skip
    feedback.add_feedback(journal_db, 4, "Très bon accueil.", ["tablette", "jeux_video"], now=NOW.replace(hour=10))
    feedback.add_feedback(journal_db, 1, "", [], now=NOW.replace(hour=11))
    feedback.add_volunteer_offer(
        journal_db, OFFER_NAME, OFFER_CONTACT, "Initiation au tricot", True, now=NOW.replace(hour=9)
    )
    return first, second


def audit_entries(data_dir) -> list[tuple[str, str, str]]:
    db = store.open_journal_db(data_dir)
    try:
        return [(e.action, e.target, e.detail) for e in audit.list_audit(db)]
    finally:
        db.close()


def texts_on_screen(kiosk) -> str:
    """Every text of the current screen, joined (to look for what must not be there)."""
    screen = find(kiosk, "stack").property("currentItem")
    found, pending = [], [screen]
    while pending:
        item = pending.pop()
        text = item.property("text")
        if isinstance(text, str) and item.property("visible"):
            found.append(text)
        pending.extend(item.childItems())
    return "\n".join(found)


# --------------------------------------------------------------------------- the gate


def test_nothing_while_locked(ui, qtbot, now_is_fixed, records):
    model = ui.visitor_records
    model.refresh()
    assert not model.property("loaded")
    assert model.property("requests") == [] and model.property("feedback") == []
    assert model.property("volunteers") == [] and model.property("requestsSummary") == ""
    assert not model.markHandled(records[0].id)  # nothing is changed through a locked gate
    assert not ui.window.navigate("mediateur-visiteurs", {})  # Main.qml does not even open it
    db = store.open_journal_db(ui.mediator.data_dir)
    try:
        assert requests.get_request(db, records[0].id).status == "new"
    finally:
        db.close()


def test_locking_clears_everything(ui, qtbot, clock, touch_device, now_is_fixed, records):  # noqa: F811
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "recordsSection_volunteers", clock, touch_device)
    assert text_of(ui, "volunteer_0Name") == f"Nom : {OFFER_NAME}"
    with qtbot.waitSignal(ui.visitor_records.recordsChanged):
        ui.mediator.lock()
    model = ui.visitor_records
    assert not model.property("loaded") and model.property("section") == "requests"
    assert model.property("requests") == model.property("feedback") == model.property("volunteers") == []
    qtbot.waitUntil(lambda: ui.window.property("currentScreen") == "accueil")
    model.refresh()  # asked again while locked: still nothing
    assert not model.property("loaded")


# --------------------------------------------------------------------------- listing


def test_requests_listed_for_the_mediator(ui, qtbot, now_is_fixed, records):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert ui.visitor_records.property("section") == "requests"
    assert find_item(ui, "recordsSection_requests").property("on")
    assert text_of(ui, "requestsSummary") == "2 demandes · à traiter : 2"
    # Oldest first among those to handle.
    assert text_of(ui, "request_0Title") == "Le Petit Prince"
    assert text_of(ui, "request_0Status") == "À traiter"
    assert text_of(ui, "request_0Name") == f"Nom : {NAME}"
    assert text_of(ui, "request_0Contact") == f"Contact : {CONTACT}"
    assert not shown(ui, "request_0Deleted")
    assert text_of(ui, "request_1Title") == "Les Misérables"
    assert "Arrêt : non précisé" in texts_on_screen(ui)
    assert "Demandée le jeudi 26 novembre à 14 h 05" in texts_on_screen(ui)
    assert "Demandée le mercredi 25 novembre à 17 h" in texts_on_screen(ui).split("\n")
    # What is read aloud, and the card's accessible name, never carry the name or the contact.
    card = find_item(ui, "request_0")
    assert accessible_name(card) == (
        "Demande : Le Petit Prince. Arrêt : Noirétable. Demandée le mercredi 25 novembre à 17 h. À traiter."
    )
    ui.a11y.setSpeech(True)
    ui.speech.speakElement(card.property("spokenText"), "listitem", "")
    assert NAME not in ui.speech.lastSpoken and CONTACT not in ui.speech.lastSpoken
    assert accessible_name(find_item(ui, "request_0Handle")) == "Marquer comme traitée : Le Petit Prince"


def test_opinions_and_offers_by_touch(ui, qtbot, clock, touch_device, now_is_fixed, records):  # noqa: F811
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "recordsSection_feedback", clock, touch_device)
    assert ui.visitor_records.property("section") == "feedback"
    assert find_item(ui, "recordsSection_feedback").property("on")
    assert not find_item(ui, "recordsSection_requests").property("on")
    assert not shown(ui, "requestsSummary")
    assert text_of(ui, "feedbackSummary") == "2 avis"
    # Newest first.
    assert text_of(ui, "feedback_0Score") == "Pas content du tout (1 sur 5)"
    assert not shown(ui, "feedback_0Text") and not shown(ui, "feedback_0Wishes")
    assert text_of(ui, "feedback_1Score") == "Content (4 sur 5)"
    assert text_of(ui, "feedback_1Text") == "Très bon accueil."
    assert text_of(ui, "feedback_1Wishes") == "Ateliers souhaités : Ateliers tablettes, Jeux vidéo"
    assert "Donné le jeudi 26 novembre à 10 h" in texts_on_screen(ui).split("\n")

    touch(qtbot, ui, "recordsSection_volunteers", clock, touch_device)
    assert text_of(ui, "volunteersSummary") == "1 proposition"
    assert text_of(ui, "volunteer_0Topic") == "Initiation au tricot"
    assert text_of(ui, "volunteer_0Name") == f"Nom : {OFFER_NAME}"
    assert text_of(ui, "volunteer_0Contact") == f"Contact : {OFFER_CONTACT}"
    assert "Proposée le jeudi 26 novembre à 9 h" in texts_on_screen(ui).split("\n")
    assert OFFER_NAME not in accessible_name(find_item(ui, "volunteer_0"))


def test_records_made_on_the_visitor_screens_are_listed(ui, qtbot, now_is_fixed):
    journal = ui.journal
    with qtbot.waitSignal(journal.requestSaved, timeout=10000) as saved:
        journal.submitRequest("rec-9", "Vingt mille lieues sous les mers", NAME, CONTACT, "Chalmazel", True)
    assert saved.args == [True, ""]
    with qtbot.waitSignal(journal.feedbackSaved, timeout=10000):
        journal.submitFeedback(5, "Super atelier", ["fablab_3d"])
    with qtbot.waitSignal(journal.volunteerSaved, timeout=10000):
        journal.submitVolunteer(OFFER_NAME, OFFER_CONTACT, "Cuisine du monde", True)
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "request_0Title") == "Vingt mille lieues sous les mers"
    assert text_of(ui, "request_0Name") == f"Nom : {NAME}"
    assert "Arrêt : Chalmazel" in texts_on_screen(ui)
    ui.visitor_records.setSection("feedback")
    assert text_of(ui, "feedback_0Score") == "Très content (5 sur 5)"
    assert text_of(ui, "feedback_0Wishes") == "Ateliers souhaités : Mini fablab, impression 3D"
    ui.visitor_records.setSection("volunteers")
    assert text_of(ui, "volunteer_0Topic") == "Cuisine du monde"


def test_empty_sections(ui, qtbot, now_is_fixed):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "requestsSummary") == "Aucune demande de document."
    assert not shown(ui, "requestsNote") and not shown(ui, "recordsLocked")
    ui.visitor_records.setSection("feedback")
    assert text_of(ui, "feedbackSummary") == "Aucun avis."
    ui.visitor_records.setSection("volunteers")
    assert text_of(ui, "volunteersSummary") == "Aucune proposition de savoirs."


# --------------------------------------------------------------------------- handling a request


def test_mark_handled_by_touch(ui, qtbot, clock, touch_device, ui_data_dir, now_is_fixed, records, journal_db):  # noqa: F811
    first, second = records
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    before = {e.seq for e in outbox.pending(journal_db, limit=1000)}
    touch(qtbot, ui, "request_0Handle", clock, touch_device)
    # The handled request goes below the one still to handle; its status says so in words.
    qtbot.waitUntil(lambda: text_of(ui, "request_0Title") == "Les Misérables")
    assert text_of(ui, "request_1Title") == "Le Petit Prince"
    assert text_of(ui, "request_1Status") == "✔ Traitée le jeudi 26 novembre à 17 h"
    assert not shown(ui, "request_1Handle") and shown(ui, "request_0Handle")
    assert text_of(ui, "requestsSummary") == "2 demandes · à traiter : 1"
    assert text_of(ui, "recordsMessage") == "✔ Demande marquée comme traitée."
    # The journal: status, and one "request.handled" event for headquarters.
    assert requests.get_request(journal_db, first.id).status == "handled"
    new_events = [e for e in outbox.pending(journal_db, limit=1000) if e.seq not in before]
    assert [(e.kind, e.entity_id) for e in new_events] == [("request.handled", first.id)]
    assert new_events[0].payload == {"id": first.id, "handled_at": NOW.isoformat()}
    # The audit log names the request by its id, never by the visitor's name.
    assert audit_entries(ui_data_dir)[-1] == ("request.handled", first.id, "")
    # A second mark (the button is gone, but a repeated call) writes nothing more.
    assert ui.visitor_records.markHandled(first.id)
    assert len([e for e in outbox.pending(journal_db, limit=1000) if e.kind == "request.handled"]) == 1
    assert [a for a, _, _ in audit_entries(ui_data_dir)].count("request.handled") == 1
    assert requests.get_request(journal_db, second.id).status == "new"


def test_a_request_that_is_gone(ui, qtbot, now_is_fixed, records):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert not ui.visitor_records.markHandled("00000000-0000-0000-0000-000000000000")
    assert text_of(ui, "recordsMessage") == "⚠ Cette demande n'existe plus sur le bus."
    assert "request.handled" not in [a for a, _, _ in audit_entries(ui.mediator.data_dir)]


# --------------------------------------------------------------------------- personal data


def acknowledge_everything(db) -> None:
    """What the sync agent does once headquarters holds the events."""
    last = db.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    outbox.acknowledge(db, last)


def test_personal_data_is_gone_once_headquarters_holds_it(ui, qtbot, clock, touch_device,  # noqa: F811
                                                          now_is_fixed, records, journal_db):  # fmt: skip
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "request_0Name") == f"Nom : {NAME}"
    acknowledge_everything(journal_db)
    assert requests.purge_acknowledged_personal_data(journal_db) == 3
    ui.window.goHome()
    settle(qtbot, ui, "accueil")
    open_screen(qtbot, ui, SCREEN)
    assert not shown(ui, "request_0Name") and not shown(ui, "request_0Contact")
    assert text_of(ui, "request_0Deleted") == "Coordonnées : (effacées après envoi au siège)"
    assert text_of(ui, "request_0Title") == "Le Petit Prince"  # the rest stays, for the mediator
    touch(qtbot, ui, "recordsSection_volunteers", clock, touch_device)
    assert text_of(ui, "volunteer_0Deleted") == "Coordonnées : (effacées après envoi au siège)"
    assert text_of(ui, "volunteer_0Topic") == "Initiation au tricot"
    on_screen = texts_on_screen(ui)
    assert all(secret not in on_screen for secret in SECRETS)
    model = ui.visitor_records
    assert all(secret not in repr(model.property("requests") + model.property("volunteers")) for secret in SECRETS)


def test_an_acknowledgement_without_its_purge_is_caught_up(ui, qtbot, now_is_fixed, records, journal_db):
    """A power cut between acknowledge and purge: the screen purges before listing."""
    acknowledge_everything(journal_db)
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "request_0Deleted") == "Coordonnées : (effacées après envoi au siège)"
    assert all(secret not in texts_on_screen(ui) for secret in SECRETS)
    row = requests.get_request(journal_db, records[0].id)
    assert row.personal_data_deleted and row.name == "" and row.contact == ""


def test_no_personal_data_in_the_logs(ui, qtbot, clock, touch_device, caplog, now_is_fixed, records,  # noqa: F811
                                      journal_db):  # fmt: skip
    caplog.set_level(logging.DEBUG)
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "request_0Handle", clock, touch_device)
    ui.visitor_records.setSection("volunteers")
    ui.visitor_records.setSection("nonsense")
    journal_db.execute("DROP TABLE volunteer_offers")  # the journal damaged under the kiosk's feet
    ui.visitor_records.refresh()
    assert ui.visitor_records.property("failed") and shown(ui, "recordsFailed")
    assert text_of(ui, "recordsFailed").startswith("⚠ Le journal du bus n'a pas pu être lu.")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "could not be read" in logged and "unknown visitor records section 'nonsense'" in logged
    assert all(secret not in logged for secret in SECRETS)


# --------------------------------------------------------------------------- helpers and looks


def test_score_words_match_the_faces(qapp):
    assert [visitor_records.score_text(s) for s in (5, 3, 2)] == [
        "Très content (5 sur 5)",
        "Moyennement content (3 sur 5)",
        "Pas content (2 sur 5)",
    ]
    assert visitor_records.when_text("2026-12-01T09:30:00+01:00", NOW.date()) == "mardi 1er décembre à 9 h 30"
    assert visitor_records.when_text("2027-01-04T09:30:00+01:00", NOW.date()) == "lundi 4 janvier 2027 à 9 h 30"
    assert visitor_records.when_text(None, NOW.date()) == ""


def test_readable_at_200_percent_in_every_theme(ui, qtbot, now_is_fixed, records):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    for section in ("requests", "feedback", "volunteers"):
        ui.visitor_records.setSection(section)
        ui.a11y.resetToDefaults()
        for _theme, result in audits_at_200_percent(qtbot, ui, section=section):
            assert result.failures == [], result.failures
        prefix = {"requests": "request_", "feedback": "feedback_", "volunteers": "volunteer_"}[section]
        count = {"requests": 2, "feedback": 2, "volunteers": 1}[section]
        for i in range(count):
            card = find_item(ui, f"{prefix}{i}")
            assert card.property("height") >= card.childItems()[0].property("implicitHeight"), f"{prefix}{i} clips"
