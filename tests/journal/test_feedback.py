import logging
from datetime import datetime, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.journal import feedback, outbox, visitor_schema
from numeribus_kiosk.journal.requests import JournalError

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=timezone(timedelta(hours=1)))
NAME = "Marcel Tisserand"
CONTACT = "marcel.tisserand@example.org"
SECRET = "Zébulon-Secret"


@pytest.fixture
def journal(data_dir):
    db = store.open_journal_db(data_dir)
    visitor_schema.migrations.apply(db)
    yield db
    db.close()


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_not_logged(caplog, *secrets):
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        for secret in secrets:
            assert secret not in text


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def fail_after_append(monkeypatch, db):
    real_append = outbox.append

    def append_then_fail(*args, **kwargs):
        real_append(*args, **kwargs)
        assert count(db, "outbox") == 1
        raise OSError("power failing")

    monkeypatch.setattr(outbox, "append", append_then_fail)


# --- feedback --------------------------------------------------------------------------------


def test_feedback_and_its_event(journal, log):
    given = feedback.add_feedback(
        journal, 4, "Très bien,\r\nmerci !\x00", wished=["fablab_3d", "tablette", "fablab_3d"], now=NOW
    )
    assert (given.score, given.text, given.wished_workshops) == (
        4,
        "Très bien,\nmerci !",
        ("tablette", "fablab_3d"),
    )
    assert given.created_at == "2026-11-26T15:00:00+01:00"
    assert feedback.list_feedback(journal) == [given]
    [event] = outbox.pending(journal)
    assert (event.kind, event.entity_id) == ("feedback.created", given.id)
    assert event.payload == {
        "id": given.id,
        "score": 4,
        "text": "Très bien,\nmerci !",
        "wished_workshops": ["tablette", "fablab_3d"],
        "created_at": given.created_at,
    }
    assert log.records


def test_feedback_defaults(journal):
    given = feedback.add_feedback(journal, 5, now=NOW)
    assert (given.text, given.wished_workshops) == ("", ())
    assert feedback.add_feedback(journal, 1, None, None, now=NOW).text == ""
    assert datetime.fromisoformat(feedback.add_feedback(journal, 3).created_at).utcoffset() is not None
    assert [f.score for f in feedback.list_feedback(journal)] == [5, 1, 3]


def test_text_limit_counts_after_cleaning(journal):
    assert len(feedback.add_feedback(journal, 3, "  " + "x" * 1000 + "\x07\n", now=NOW).text) == 1000
    assert feedback.add_feedback(journal, 3, "a\u2028b\tc", now=NOW).text == "a\nb c"


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((0,), {}, "score must be an integer from 1 to 5"),
        ((6,), {}, "score must be an integer from 1 to 5"),
        ((True,), {}, "score must be an integer from 1 to 5"),
        (("5",), {}, "score must be an integer from 1 to 5"),
        ((4.0,), {}, "score must be an integer from 1 to 5"),
        ((None,), {}, "score must be an integer from 1 to 5"),
        ((3, SECRET + "x" * 1000), {}, "text must be at most 1000 characters"),
        ((3, 12), {}, "text must be text"),
        ((3,), {"wished": ["piscine"]}, "unknown workshop kind 'piscine'"),
        ((3,), {"wished": "tablette"}, "not a single string"),
        ((3,), {"wished": 7}, "collection of workshop kinds"),
        ((3,), {"now": datetime(2026, 11, 26)}, "timezone-aware"),
    ],
)
def test_invalid_feedback(journal, log, args, kwargs, message):
    with pytest.raises(JournalError, match=message) as caught:
        feedback.add_feedback(journal, *args, **kwargs)
    assert SECRET not in str(caught.value)
    assert count(journal, "feedback") == 0 and count(journal, "outbox") == 0
    assert_not_logged(log, SECRET)


def test_feedback_failure_inside_the_transaction_leaves_neither(journal, monkeypatch):
    fail_after_append(monkeypatch, journal)
    with pytest.raises(OSError):
        feedback.add_feedback(journal, 5, "super", now=NOW)
    assert count(journal, "feedback") == 0 and count(journal, "outbox") == 0


def test_wished_kinds_are_the_workshop_kinds():
    assert feedback.WORKSHOP_KINDS == schedule.WORKSHOP_KINDS


def test_feedback_is_anonymous(journal):
    columns = {c.name for c in journal["feedback"].columns}
    assert columns == {"id", "score", "text", "wished_workshops", "created_at"}


def test_feedback_survives_reopening(data_dir):
    db = store.open_journal_db(data_dir)
    visitor_schema.migrations.apply(db)
    given = feedback.add_feedback(db, 2, "Trop petit", ["lecture_numerique"], now=NOW)
    db.close()
    db = store.open_journal_db(data_dir)
    visitor_schema.migrations.apply(db)
    try:
        assert feedback.list_feedback(db) == [given]
        assert [e.entity_id for e in outbox.pending(db)] == [given.id]
    finally:
        db.close()


# --- volunteer offers ------------------------------------------------------------------------


def offer(db, **overrides):
    fields = dict(name=NAME, contact=CONTACT, topic="Réparer un vélo\navec peu d'outils", consent=True, now=NOW)
    fields.update(overrides)
    return feedback.add_volunteer_offer(db, **fields)


def test_volunteer_offer_and_its_event(journal, log):
    made = offer(journal, name=" Marcel\u200b Tisserand\t")
    assert (made.name, made.contact, made.topic) == (NAME, CONTACT, "Réparer un vélo\navec peu d'outils")
    assert made.consent and not made.personal_data_deleted
    assert feedback.list_volunteer_offers(journal) == [made]
    [event] = outbox.pending(journal)
    assert (event.kind, event.entity_id) == ("volunteer.created", made.id)
    assert event.payload == {
        "id": made.id,
        "name": NAME,
        "contact": CONTACT,
        "topic": made.topic,
        "consent": True,
        "created_at": "2026-11-26T15:00:00+01:00",
    }
    assert log.records
    assert_not_logged(log, NAME, CONTACT)


def test_volunteer_repr_masks_personal_data(journal, log):
    made = offer(journal)
    for text in (repr(made), str(made), repr([made])):
        assert NAME not in text and CONTACT not in text
        assert "name=<hidden>" in text and "contact=<hidden>" in text
    logging.getLogger("numeribus_kiosk.journal").debug("offer %s", made)
    assert_not_logged(log, NAME, CONTACT)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"consent": False}, "consent is required"),
        ({"consent": 1}, "consent is required"),
        ({"name": " "}, "name is required"),
        ({"name": SECRET + "n" * 100}, "name must be at most 100 characters"),
        ({"contact": ""}, "contact is required"),
        ({"contact": SECRET + "c" * 100}, "contact must be at most 100 characters"),
        ({"topic": "\n\t "}, "topic is required"),
        ({"topic": SECRET + "t" * 500}, "topic must be at most 500 characters"),
        ({"topic": ["x"]}, "topic must be text"),
        ({"now": datetime(2026, 11, 26)}, "timezone-aware"),
    ],
)
def test_invalid_volunteer_offers(journal, log, overrides, message):
    with pytest.raises(JournalError, match=message) as caught:
        offer(journal, **overrides)
    assert SECRET not in str(caught.value)
    assert count(journal, "volunteer_offers") == 0 and count(journal, "outbox") == 0
    assert_not_logged(log, SECRET, NAME, CONTACT)


def test_volunteer_offer_at_the_limits(journal):
    made = offer(journal, name="n" * 100, contact="c" * 100, topic="t" * 500)
    assert (len(made.name), len(made.contact), len(made.topic)) == (100, 100, 500)


def test_volunteer_failure_inside_the_transaction_leaves_neither(journal, monkeypatch, log):
    fail_after_append(monkeypatch, journal)
    with pytest.raises(OSError):
        offer(journal)
    assert count(journal, "volunteer_offers") == 0 and count(journal, "outbox") == 0
    assert_not_logged(log, NAME, CONTACT)
