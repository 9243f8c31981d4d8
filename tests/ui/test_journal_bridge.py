"""JournalBridge writes on its own thread and answers on the UI thread."""

import logging
from datetime import date

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox, usage
from numeribus_kiosk.ui.journal_bridge import JournalBridge


@pytest.fixture
def bridge(data_dir):
    journal = JournalBridge(data_dir, today=lambda: date(2026, 11, 26))
    yield journal
    journal.close()


def _rows(data_dir, table):
    db = store.open_journal_db(data_dir)
    try:
        return list(db[table].rows)
    finally:
        db.close()


def test_request_saved_with_its_outbox_event(qtbot, bridge, data_dir, caplog):
    with caplog.at_level(logging.DEBUG), qtbot.waitSignal(bridge.requestSaved, timeout=10000) as saved:
        bridge.submitRequest("REC1", "Les Misérables", "Jeanne Valjean", "06 12 34 56 78", "Noirétable", True)
    assert saved.args == [True, ""]
    [row] = _rows(data_dir, "requests")
    assert row["name"] == "Jeanne Valjean" and row["record_id"] == "REC1"
    db = store.open_journal_db(data_dir)
    try:
        kinds = [e.kind for e in outbox.pending(db)]
        assert "request.created" in kinds
        assert usage.counters_for(db, date(2026, 11, 26))["request"] == 1
    finally:
        db.close()
    assert "Valjean" not in caplog.text and "06 12" not in caplog.text


@pytest.mark.parametrize(
    ("name", "contact", "consent", "problem"),
    [("Jeanne", "0612", False, "consent"), ("  ", "0612", True, "name"), ("Jeanne", "", True, "contact")],
)
def test_incomplete_request_is_refused_and_nothing_written(qtbot, bridge, data_dir, name, contact, consent, problem):
    with qtbot.waitSignal(bridge.requestSaved, timeout=10000) as saved:
        bridge.submitRequest("REC1", "Titre", name, contact, "", consent)
    assert saved.args == [False, problem]
    bridge.flush()
    assert _rows(data_dir, "requests") == []


def test_feedback_volunteer_and_counters(qtbot, bridge, data_dir):
    with qtbot.waitSignal(bridge.feedbackSaved, timeout=10000) as saved:
        bridge.submitFeedback(5, "Très bien", ["tablette", "fablab_3d"])
    assert saved.args == [True, ""]
    with qtbot.waitSignal(bridge.feedbackSaved, timeout=10000) as refused:
        bridge.submitFeedback(9, "", [])
    assert refused.args == [False, "score"]
    with qtbot.waitSignal(bridge.feedbackSaved, timeout=10000) as invalid:
        bridge.submitFeedback(4, "", ["astronautique"])
    assert invalid.args == [False, "invalid"]
    with qtbot.waitSignal(bridge.volunteerSaved, timeout=10000) as offered:
        bridge.submitVolunteer("Paul", "paul@example.org", "Initiation au tricot connecté", True)
    assert offered.args == [True, ""]
    bridge.count("search")
    bridge.count("search")
    bridge.count("no-such-counter")
    bridge.flush()
    [fb] = _rows(data_dir, "feedback")
    assert fb["score"] == 5
    db = store.open_journal_db(data_dir)
    try:
        counters = usage.counters_for(db, date(2026, 11, 26))
    finally:
        db.close()
    assert counters["search"] == 2 and counters["feedback"] == 1 and counters["volunteer"] == 1


def test_storage_failure_is_reported_not_raised(qtbot, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    journal = JournalBridge(blocker / "data")
    try:
        with qtbot.waitSignal(journal.feedbackSaved, timeout=10000) as saved:
            journal.submitFeedback(3, "", [])
        assert saved.args == [False, "storage"]
    finally:
        journal.close()
