""" "Donner mon avis" and "Partager mes savoirs": by touch, down to journal.db and its outbox."""

from __future__ import annotations

import json

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox

from .conftest import find
from .test_schedule_screens import find_item, settle, touch, touch_device  # noqa: F401 - fixture

CONSENT = (
    "J'accepte que mon nom et mon contact soient transmis à la médiathèque pour organiser un atelier. "
    "Ils sont effacés du bus dès qu'elle les a reçus."
)


def journal_rows(data_dir, table: str) -> list[dict]:
    db = store.open_journal_db(data_dir)
    try:
        return list(db[table].rows)
    finally:
        db.close()


def pending_events(data_dir) -> list:
    db = store.open_journal_db(data_dir)
    try:
        return outbox.pending(db)
    finally:
        db.close()


def test_feedback_by_touch_reaches_the_journal(ui, qtbot, clock, touch_device, ui_data_dir):  # noqa: F811
    ui.a11y.setSpeech(True)
    touch(qtbot, ui, "tileAvis", clock, touch_device)
    settle(qtbot, ui, "avis")
    touch(qtbot, ui, "face4", clock, touch_device)
    assert find_item(ui, "face4").property("on") and not find_item(ui, "face5").property("on")
    assert ui.speech.lastSpoken == "Content, bouton radio, sélectionné"
    touch(qtbot, ui, "wish_tablette", clock, touch_device)
    touch(qtbot, ui, "wish_fablab_3d", clock, touch_device)
    touch(qtbot, ui, "wish_fablab_3d", clock, touch_device)  # changed their mind
    assert find_item(ui, "wish_tablette").property("on") and not find_item(ui, "wish_fablab_3d").property("on")
    with qtbot.waitSignal(ui.journal.feedbackSaved, timeout=10000) as saved:
        touch(qtbot, ui, "avisSend", clock, touch_device)
    assert saved.args == [True, ""]
    qtbot.waitUntil(lambda: find(ui, "avisThanks").property("visible"))
    assert not find(ui, "avisForm").property("visible")
    assert ui.speech.lastSpoken.startswith("Merci pour votre avis")
    ui.journal.flush()
    [row] = journal_rows(ui_data_dir, "feedback")
    assert row["score"] == 4 and row["text"] == "" and json.loads(row["wished_workshops"]) == ["tablette"]
    [event] = [e for e in pending_events(ui_data_dir) if e.kind == "feedback.created"]
    assert event.entity_id == row["id"] and event.payload["wished_workshops"] == ["tablette"]


def test_feedback_without_a_face_asks_for_one(ui, qtbot, clock, touch_device, ui_data_dir):  # noqa: F811
    ui.window.navigate("avis", {})
    settle(qtbot, ui, "avis")
    with qtbot.waitSignal(ui.journal.feedbackSaved, timeout=10000) as refused:
        touch(qtbot, ui, "avisSend", clock, touch_device)
    assert refused.args == [False, "score"]
    assert find(ui, "avisProblem").property("visible")
    assert find(ui, "avisProblem").property("text") == "⚠ Choisissez d'abord un visage."
    touch(qtbot, ui, "face5", clock, touch_device)
    assert not find(ui, "avisProblem").property("visible")
    ui.journal.flush()
    assert journal_rows(ui_data_dir, "feedback") == []


def test_feedback_text_uses_the_on_screen_keyboard(ui, qtbot, clock, touch_device, ui_data_dir):  # noqa: F811
    ui.window.navigate("avis", {})
    settle(qtbot, ui, "avis")
    area = find(ui, "avisTextArea")
    touch(qtbot, ui, "avisTextArea", clock, touch_device)
    assert area.property("activeFocus")
    qtbot.waitUntil(lambda: find(ui, "inputPanel").property("active"))
    area.setProperty("text", "Très bien, merci à l'équipe !")
    touch(qtbot, ui, "face5", clock, touch_device)
    with qtbot.waitSignal(ui.journal.feedbackSaved, timeout=10000):
        touch(qtbot, ui, "avisSend", clock, touch_device)
    ui.journal.flush()
    [row] = journal_rows(ui_data_dir, "feedback")
    assert row["score"] == 5 and row["text"] == "Très bien, merci à l'équipe !"
    qtbot.waitUntil(lambda: not find(ui, "inputPanel").property("active"))


def test_savoirs_reachable_from_avis(ui, qtbot, clock, touch_device):  # noqa: F811
    ui.window.navigate("avis", {})
    settle(qtbot, ui, "avis")
    touch(qtbot, ui, "avisToSavoirs", clock, touch_device)
    settle(qtbot, ui, "savoirs")


def test_savoirs_needs_consent_then_writes_the_offer(ui, qtbot, clock, touch_device, ui_data_dir):  # noqa: F811
    touch(qtbot, ui, "tileSavoirs", clock, touch_device)
    settle(qtbot, ui, "savoirs")
    assert find(ui, "savoirsConsent").property("text") == CONSENT
    find(ui, "savoirsNameInput").setProperty("text", "Paulette Martin")
    find(ui, "savoirsContactInput").setProperty("text", "06 12 34 56 78")
    find(ui, "savoirsTopicArea").setProperty("text", "Le tricot, et les photos sur tablette")

    with qtbot.waitSignal(ui.journal.volunteerSaved, timeout=10000) as refused:
        touch(qtbot, ui, "savoirsSend", clock, touch_device)
    assert refused.args == [False, "consent"]
    problem = find(ui, "savoirsProblem")
    assert problem.property("visible")
    assert problem.property("text").startswith("⚠ Pour envoyer votre proposition, touchez d'abord « J'accepte… »")
    ui.journal.flush()
    assert journal_rows(ui_data_dir, "volunteer_offers") == []
    assert not [e for e in pending_events(ui_data_dir) if e.kind == "volunteer.created"]

    touch(qtbot, ui, "savoirsConsent", clock, touch_device)
    assert find(ui, "savoirsConsent").property("on") and not problem.property("visible")
    with qtbot.waitSignal(ui.journal.volunteerSaved, timeout=10000) as saved:
        touch(qtbot, ui, "savoirsSend", clock, touch_device)
    assert saved.args == [True, ""]
    qtbot.waitUntil(lambda: find(ui, "savoirsThanks").property("visible"))
    assert find(ui, "savoirsNameInput").property("text") == ""  # personal data not left on screen
    ui.journal.flush()
    [offer] = journal_rows(ui_data_dir, "volunteer_offers")
    assert offer["name"] == "Paulette Martin" and offer["contact"] == "06 12 34 56 78" and offer["consent"] == 1
    assert [e.entity_id for e in pending_events(ui_data_dir) if e.kind == "volunteer.created"] == [offer["id"]]


def test_savoirs_problems_in_french(ui, qtbot, clock, touch_device, ui_data_dir):  # noqa: F811
    ui.window.navigate("savoirs", {})
    settle(qtbot, ui, "savoirs")
    touch(qtbot, ui, "savoirsConsent", clock, touch_device)
    problem = find(ui, "savoirsProblem")
    expected = {
        "name": "⚠ Indiquez votre nom.",
        "contact": "⚠ Indiquez un téléphone ou une adresse électronique",
        "topic": "⚠ Dites en quelques mots ce que vous aimeriez partager.",
    }
    for field, value in (("savoirsNameInput", "Paul"), ("savoirsContactInput", "paul@example.org"), (None, None)):
        with qtbot.waitSignal(ui.journal.volunteerSaved, timeout=10000) as refused:
            touch(qtbot, ui, "savoirsSend", clock, touch_device)
        key = refused.args[1]
        assert problem.property("text").startswith(expected[key])
        if field:
            find(ui, field).setProperty("text", value)
    screen = find(ui, "stack").property("currentItem")
    for key, start in (("storage", "⚠ Votre proposition n'a pas pu"), ("invalid", "⚠ Un des champs est trop long")):
        screen.setProperty("problem", key)
        assert problem.property("text").startswith(start)
    ui.journal.flush()
    assert journal_rows(ui_data_dir, "volunteer_offers") == []
