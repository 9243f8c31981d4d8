"""SessionsModel and "Séances notées" ("mediateur-seances"): the list, edit and delete, before
and after a sync, each change a new outbox event, on the real kiosk and by touch.

"After a sync" is headquarters' acknowledgement of the outbox events
(:func:`numeribus_kiosk.journal.outbox.acknowledge`), what the sync agent records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox, sessions
from numeribus_kiosk.ui import session_form, sessions_model

from .conftest import find
from .mediator_helpers import audits_at_200_percent, shown
from .test_schedule_screens import find_item, rows, settle, touch, touch_device  # noqa: F401 - fixture
from .test_session_form import Finger, audit_entries, freeze, frozen_now, on_current_screen, prepare_bus, unlock


@pytest.fixture
def now() -> datetime:
    return frozen_now()


@pytest.fixture
def bus(ui_data_dir, now):
    """As in test_session_form: PIN, Camille, her favourite, yesterday's session, a stop today."""
    prepare_bus(ui_data_dir, now)
    return ui_data_dir


@pytest.fixture
def kiosk(bus, ui, monkeypatch, now):
    return freeze(ui, monkeypatch, now)


@pytest.fixture
def finger(qtbot, kiosk, clock, touch_device):  # noqa: F811
    return Finger(qtbot, kiosk, clock, touch_device)


def journal(data_dir):
    return store.open_journal_db(data_dir)


def add(data_dir, started: datetime, **fields) -> sessions.Session:
    data = {
        "started_at": started.isoformat(),
        "duration_min": 60,
        "place": "Chalmazel",
        "activity": "atelier tablette",
        "publics": ["seniors / EHPAD"],
        "participants": 6,
        "mediator": "Karim",
        **fields,
    }
    db = journal(data_dir)
    try:
        return sessions.add_session(db, data, now=started)
    finally:
        db.close()


def acknowledge_all(data_dir) -> None:
    """Headquarters holds every event so far (a sync)."""
    db = journal(data_dir)
    try:
        last = db.execute("SELECT max(seq) FROM outbox").fetchone()[0]
        outbox.acknowledge(db, last)
    finally:
        db.close()


def session_events(data_dir, session_id: str) -> list[tuple[str, int, bool]]:
    """(kind, version in the payload, acknowledged) of every outbox event of one session."""
    import json

    db = journal(data_dir)
    try:
        found = db.execute(
            "SELECT kind, payload, acknowledged FROM outbox WHERE entity_id = ? ORDER BY seq", [session_id]
        ).fetchall()
    finally:
        db.close()
    return [(kind, json.loads(payload)["version"], bool(ack)) for kind, payload, ack in found]


def get(data_dir, session_id: str) -> sessions.Session:
    db = journal(data_dir)
    try:
        return sessions.get_session(db, session_id)
    finally:
        db.close()


def open_list(qtbot, kiosk) -> None:
    assert kiosk.window.navigate("mediateur-seances", {})
    settle(qtbot, kiosk, "mediateur-seances")


def text_of(kiosk, name: str) -> str:
    return on_current_screen(kiosk, name).property("text")


@pytest.fixture
def three(bus, now):
    """Yesterday's session of the `bus` fixture plus two: this morning (sent already) and last week."""
    acknowledge_all(bus)  # yesterday's session went to headquarters
    morning = add(bus, now.replace(hour=0, minute=5, second=0), activity="café tablette", participants=9)
    last_week = add(bus, now - timedelta(days=7), activity="jeux vidéo", publics=["adolescents", "enfants"])
    acknowledge_all(bus)
    pending = add(bus, now.replace(hour=0, minute=1, second=0), activity="démarches", participants=1)
    return {"morning": morning, "last_week": last_week, "pending": pending}


# --------------------------------------------------------------------------- the list


def test_the_model_is_a_valid_model(qtmodeltester, kiosk, qtbot, three):
    unlock(qtbot, kiosk)
    kiosk.sessions.reload()
    qtmodeltester.check(kiosk.sessions)


def test_newest_first_with_their_sync_state(kiosk, qtbot, three, now):
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    got = rows(kiosk.sessions)
    assert [r["activity"] for r in got] == ["café tablette", "démarches", "jeux vidéo", "jeux vidéo"]
    assert [r["sent"] for r in got] == [True, False, True, True]
    assert [r["sentText"] for r in got] == [
        "✔ Envoyée au siège",
        "◷ En attente d'envoi",
        "✔ Envoyée au siège",
        "✔ Envoyée au siège",
    ]
    assert got[0]["dateText"] == session_form.date_text(now.replace(hour=0, minute=5, second=0), now.date())
    assert got[0]["dateText"].startswith("Aujourd'hui, ")
    assert got[2]["dateText"].startswith("Hier, ")
    assert got[1]["participantsText"] == "1 participant" and got[0]["participantsText"] == "9 participants"
    assert got[3]["publicsText"] == "adolescents, enfants"
    assert kiosk.sessions.property("count") == 4 and not kiosk.sessions.property("hasMore")
    # On screen, in words (never colour alone).
    assert text_of(kiosk, "sessionSent_0") == "✔ Envoyée au siège"
    assert text_of(kiosk, "sessionSent_1") == "◷ En attente d'envoi"
    assert text_of(kiosk, "sessionWhat_0") == "café tablette · seniors / EHPAD · 9 participants"
    assert text_of(kiosk, "sessionBy_0") == "Par Karim"
    assert text_of(kiosk, "sessionDate_0").endswith(" · 1 h")
    assert not shown(kiosk, "sessionsEmpty") and not shown(kiosk, "sessionsLocked")


def test_deleted_sessions_are_not_listed(kiosk, qtbot, three, bus):
    db = journal(bus)
    try:
        sessions.delete_session(db, three["morning"].id)
    finally:
        db.close()
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    assert [r["activity"] for r in rows(kiosk.sessions)] == ["démarches", "jeux vidéo", "jeux vidéo"]


def test_empty_and_locked(kiosk, qtbot, bus):
    db = journal(bus)
    try:
        for s in sessions.list_sessions(db):
            sessions.delete_session(db, s.id)
    finally:
        db.close()
    kiosk.sessions.reload()  # locked: nothing
    assert not kiosk.sessions.property("loaded") and kiosk.sessions.property("count") == 0
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    assert shown(kiosk, "sessionsEmpty") and not shown(kiosk, "sessionsLocked")
    assert text_of(kiosk, "sessionsEmpty") == "Aucune séance enregistrée pour l'instant."


def test_thirty_at_a_time(kiosk, qtbot, clock, touch_device, bus, now):  # noqa: F811
    for n in range(sessions_model.PAGE + 4):
        add(bus, now - timedelta(hours=n + 1), participants=n)
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    model = kiosk.sessions
    assert model.property("count") == sessions_model.PAGE and model.property("total") == sessions_model.PAGE + 5
    assert model.property("hasMore")
    touch(qtbot, kiosk, "sessionsMore", clock, touch_device)
    assert model.property("count") == sessions_model.PAGE + 5 and not model.property("hasMore")
    assert not shown(kiosk, "sessionsMore")


# --------------------------------------------------------------------------- edit


def test_edit_by_touch_before_the_sync(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    assert text_of(kiosk, "sessionWhat_1").startswith("démarches")
    touch(qtbot, kiosk, "sessionEdit_1", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seance")
    form = kiosk.session_form
    assert form.property("editing") and form.property("sessionId") == three["pending"].id
    assert text_of(kiosk, "screenTitle") == "Modifier la séance"
    assert form.property("activity") == "démarches" and form.property("participants") == 1
    assert form.property("mediatorName") == "Karim"  # the session's, not Camille's
    assert not shown(kiosk, "sessionQuick") and not shown(kiosk, "sessionFavourites")
    assert text_of(kiosk, "sessionSave") == "Enregistrer les changements"
    touch(qtbot, kiosk, "participantsStepperPlus", clock, touch_device)
    touch(qtbot, kiosk, "participantsStepperPlus", clock, touch_device)
    with qtbot.waitSignal(form.saved) as saved:
        touch(qtbot, kiosk, "sessionSave", clock, touch_device)
    assert saved.args == [three["pending"].id, True]
    settle(qtbot, kiosk, "mediateur-seances")  # back to the list
    assert text_of(kiosk, "sessionsMessage") == "✔ Séance modifiée"
    assert text_of(kiosk, "sessionWhat_1") == "démarches · seniors / EHPAD · 3 participants"

    after = get(bus, three["pending"].id)
    assert after.participants == 3 and after.version == 2 and not after.deleted
    assert after.mediator == "Karim" and after.created_at == three["pending"].created_at
    assert session_events(bus, after.id) == [("session.created", 1, False), ("session.updated", 2, False)]
    [entry] = audit_entries(bus, "session.updated")
    assert (entry.target, entry.mediator) == (after.id, "Camille")  # who changed it


def test_edit_after_the_sync_is_sent_again(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    assert text_of(kiosk, "sessionSent_0") == "✔ Envoyée au siège"
    touch(qtbot, kiosk, "sessionEdit_0", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seance")
    touch(qtbot, kiosk, "activity_4", clock, touch_device)
    touch(qtbot, kiosk, "sessionSave", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seances")
    assert text_of(kiosk, "sessionSent_0") == "◷ En attente d'envoi"  # the change waits for the next sync
    morning = get(bus, three["morning"].id)
    assert morning.activity == kiosk.mediator.lists.activities[4] and morning.version == 2
    assert session_events(bus, morning.id) == [("session.created", 1, True), ("session.updated", 2, False)]
    acknowledge_all(bus)
    kiosk.sessions.reload()
    assert text_of(kiosk, "sessionSent_0") == "✔ Envoyée au siège"


def test_an_edit_that_changes_nothing_writes_nothing(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    touch(qtbot, kiosk, "sessionEdit_0", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seance")
    touch(qtbot, kiosk, "sessionSave", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seances")
    assert get(bus, three["morning"].id).version == 1
    assert session_events(bus, three["morning"].id) == [("session.created", 1, True)]
    assert audit_entries(bus, "session.updated") == []
    assert text_of(kiosk, "sessionsMessage") == "✔ Séance modifiée"


def test_cancel_an_edit(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    touch(qtbot, kiosk, "sessionEdit_0", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seance")
    touch(qtbot, kiosk, "participants_20", clock, touch_device)
    touch(qtbot, kiosk, "sessionCancel", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seances")
    assert get(bus, three["morning"].id).participants == 9


def test_edit_refused_with_its_reason(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    touch(qtbot, kiosk, "sessionEdit_0", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seance")
    touch(qtbot, kiosk, "public_0", clock, touch_device)  # its only public, taken off
    touch(qtbot, kiosk, "sessionSave", clock, touch_device)
    assert kiosk.window.property("currentScreen") == "mediateur-seance"  # stays, says why
    assert on_current_screen(kiosk, "sessionPublicsError").property("text") == "⚠ Choisissez au moins un public."
    assert get(bus, three["morning"].id).version == 1


def test_a_session_deleted_meanwhile_cannot_be_edited(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    touch(qtbot, kiosk, "sessionEdit_0", clock, touch_device)
    settle(qtbot, kiosk, "mediateur-seance")
    db = journal(bus)
    try:
        sessions.delete_session(db, three["morning"].id)  # e.g. by the command line
    finally:
        db.close()
    touch(qtbot, kiosk, "sessionSave", clock, touch_device)
    assert text_of(kiosk, "sessionProblem") == "⚠ Cette séance a été supprimée : elle ne peut plus être modifiée."
    assert not kiosk.session_form.edit(three["morning"].id)
    assert text_of(kiosk, "sessionFormUnavailable") == (
        "⚠ Cette séance a été supprimée : elle ne peut plus être modifiée."
    )


# --------------------------------------------------------------------------- delete


def test_delete_asks_first_then_leaves_a_tombstone(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    target = three["pending"]  # row 1, not sent yet
    touch(qtbot, kiosk, "sessionDelete_1", clock, touch_device)
    assert shown(kiosk, "sessionConfirm_1") and not shown(kiosk, "sessionDelete_1")
    assert text_of(kiosk, "sessionConfirm_1").startswith("Supprimer cette séance ?")
    assert not shown(kiosk, "sessionConfirm_0")
    touch(qtbot, kiosk, "sessionDeleteNo_1", clock, touch_device)
    assert not shown(kiosk, "sessionConfirm_1") and not get(bus, target.id).deleted

    touch(qtbot, kiosk, "sessionDelete_1", clock, touch_device)
    touch(qtbot, kiosk, "sessionDeleteYes_1", clock, touch_device)
    qtbot.waitUntil(lambda: kiosk.sessions.property("count") == 3)
    assert text_of(kiosk, "sessionsMessage") == "✔ Séance supprimée"
    assert "démarches" not in [r["activity"] for r in rows(kiosk.sessions)]
    tombstone = get(bus, target.id)  # kept, marked
    assert tombstone.deleted and tombstone.version == 2 and tombstone.activity == "démarches"
    assert session_events(bus, target.id) == [("session.created", 1, False), ("session.deleted", 2, False)]
    [entry] = audit_entries(bus, "session.deleted")
    assert entry.target == target.id


def test_delete_after_the_sync_is_an_event_too(kiosk, qtbot, clock, touch_device, three, bus):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    touch(qtbot, kiosk, "sessionDelete_0", clock, touch_device)
    touch(qtbot, kiosk, "sessionDeleteYes_0", clock, touch_device)
    qtbot.waitUntil(lambda: kiosk.sessions.property("count") == 3)
    morning = three["morning"]
    assert session_events(bus, morning.id) == [("session.created", 1, True), ("session.deleted", 2, False)]
    assert kiosk.sessions.remove(morning.id)  # again: nothing more is written
    assert len(session_events(bus, morning.id)) == 2 and len(audit_entries(bus, "session.deleted")) == 1


def test_a_new_session_from_the_list(kiosk, qtbot, finger, three, bus):
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    finger.touch("sessionsNew")
    settle(qtbot, kiosk, "mediateur-seance")
    finger.touch("favourite_0")
    finger.touch("sessionSave")
    qtbot.waitUntil(lambda: shown(kiosk, "sessionSaved"))
    finger.touch("sessionToList")  # back to the list it came from (not a second list)
    settle(qtbot, kiosk, "mediateur-seances")
    assert find(kiosk, "stack").property("depth") == 2
    assert kiosk.sessions.property("count") == 5
    assert text_of(kiosk, "sessionWhat_0").startswith("café tablette")
    assert text_of(kiosk, "sessionSent_0") == "◷ En attente d'envoi"


# --------------------------------------------------------------------------- the mode


def test_locking_clears_the_list(kiosk, qtbot, three):
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    assert kiosk.sessions.property("count") == 4
    with qtbot.waitSignal(kiosk.sessions.stateChanged):
        kiosk.mediator.lock()
    assert kiosk.sessions.property("count") == 0 and not kiosk.sessions.property("loaded")
    assert kiosk.sessions.property("message") == ""
    qtbot.waitUntil(lambda: kiosk.window.property("currentScreen") == "accueil")
    kiosk.sessions.reload()
    assert kiosk.sessions.property("count") == 0
    assert (
        not kiosk.sessions.remove(three["morning"].id) and not get(kiosk.mediator.data_dir, three["morning"].id).deleted
    )


def test_an_unreadable_journal_is_said(kiosk, qtbot, three):
    unlock(qtbot, kiosk)
    kiosk.mediator.journal().execute("DROP TABLE sessions")
    open_list(qtbot, kiosk)
    assert kiosk.sessions.property("failed") and shown(kiosk, "sessionsFailed")
    assert not shown(kiosk, "sessionsLocked")


def test_list_readable_at_200_percent_in_every_theme(kiosk, qtbot, clock, touch_device, three):  # noqa: F811
    unlock(qtbot, kiosk)
    open_list(qtbot, kiosk)
    touch(qtbot, kiosk, "sessionDelete_2", clock, touch_device)  # a confirmation open too
    for _theme, result in audits_at_200_percent(qtbot, kiosk):
        assert result.failures == [], result.failures
        for i in range(4):
            card = on_current_screen(kiosk, f"sessionRow_{i}")
            content = card.childItems()[0]
            assert card.property("height") >= content.property("implicitHeight"), f"card {i} clips"


def test_finger_counts_only_touches_on_screen(kiosk, qtbot, clock, touch_device, three):  # noqa: F811
    """The 5-tap test's finger refuses an item the mediator would have to scroll to."""
    unlock(qtbot, kiosk)
    assert kiosk.window.navigate("mediateur-seance", {})
    settle(qtbot, kiosk, "mediateur-seance")
    counted = Finger(qtbot, kiosk, clock, touch_device)
    with pytest.raises(AssertionError, match="would have to scroll"):
        counted.touch("favouriteSave")
    assert counted.count == 0
