import sqlite3
from datetime import UTC, datetime

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox


@pytest.fixture
def journal(data_dir):
    db = store.open_journal_db(data_dir)
    yield db
    db.close()


def test_sequence_is_gapless_and_hash_stable(journal):
    when = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    with journal.atomic():
        first = outbox.append(journal, "feedback", "f1", {"score": 5}, now=when)
    with journal.atomic():
        second = outbox.append(journal, "feedback", "f2", {"score": 3}, now=when)
    assert (first.seq, second.seq) == (1, 2)
    assert first.device_id == second.device_id
    assert first.hash == outbox.event_hash(first.device_id, 1, "feedback", "f1", first.device_time, {"score": 5})
    assert [e.seq for e in outbox.pending(journal)] == [1, 2]


def test_rolled_back_change_leaves_no_event_and_no_gap(journal):
    with pytest.raises(sqlite3.IntegrityError), journal.atomic():
        outbox.append(journal, "feedback", "f1", {"score": 5})
        journal.execute("INSERT INTO meta (key, value) VALUES ('device_id', 'duplicate')")
    with journal.atomic():
        event = outbox.append(journal, "feedback", "f1", {"score": 5})
    assert event.seq == 1


def test_append_outside_a_transaction_is_refused(journal):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.append(journal, "feedback", "f1", {})


def test_acknowledge_up_to(journal):
    for n in range(5):
        with journal.atomic():
            outbox.append(journal, "feedback", f"f{n}", {"n": n})
    assert outbox.acknowledge(journal, 3) == 3
    assert [e.seq for e in outbox.pending(journal)] == [4, 5]
    assert outbox.acknowledge(journal, 3) == 0


def test_events_survive_reopening(data_dir):
    db = store.open_journal_db(data_dir)
    with db.atomic():
        outbox.append(db, "feedback", "f1", {"texte": "très bien"})
    db.close()
    db = store.open_journal_db(data_dir)
    try:
        [event] = outbox.pending(db)
        assert event.payload == {"texte": "très bien"}
    finally:
        db.close()
