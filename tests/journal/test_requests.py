import json
import logging
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import feedback, outbox, requests, visitor_schema
from numeribus_kiosk.journal.requests import JournalError

PARIS_WINTER = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=PARIS_WINTER)
NAME = "Jeanne Dupré-Zygmunt"
CONTACT = "06 12 34 56 78"
ROOT = Path(__file__).resolve().parents[2]


def open_journal(data_dir):
    db = store.open_journal_db(data_dir)
    visitor_schema.migrations.apply(db)
    return db


@pytest.fixture
def journal(data_dir):
    db = open_journal(data_dir)
    yield db
    db.close()


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_not_logged(caplog, *secrets):
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + repr(record.__dict__.get("exc_text"))
        for secret in secrets:
            assert secret not in text


def add(db, **overrides):
    fields = dict(
        record_id="rec-42",
        title="Le Petit Prince",
        name=NAME,
        contact=CONTACT,
        stop="Saint-Bonnet-le-Château, place du marché",
        consent=True,
        now=NOW,
    )
    fields.update(overrides)
    return requests.add_request(db, **fields)


def outbox_rows(db):
    return db.execute("SELECT seq, kind, entity_id, payload, hash, acknowledged FROM outbox ORDER BY seq").fetchall()


# --- creation --------------------------------------------------------------------------------


def test_request_and_its_event_are_written_together(journal, log):
    request = add(journal)
    assert request.status == "new" and request.handled_at is None and not request.personal_data_deleted
    assert request.created_at == "2026-11-26T10:30:00+01:00"
    assert requests.list_requests(journal) == [request]
    [event] = outbox.pending(journal)
    assert (event.kind, event.entity_id) == ("request.created", request.id)
    assert event.payload == {
        "id": request.id,
        "record_id": "rec-42",
        "title": "Le Petit Prince",
        "name": NAME,
        "contact": CONTACT,
        "stop": "Saint-Bonnet-le-Château, place du marché",
        "consent": True,
        "created_at": "2026-11-26T10:30:00+01:00",
    }
    assert event.device_time == request.created_at
    assert log.records, "ids are logged"
    assert_not_logged(log, NAME, CONTACT)


def test_default_time_is_local_with_an_offset(journal):
    request = add(journal, now=None)
    parsed = datetime.fromisoformat(request.created_at)
    assert parsed.utcoffset() is not None
    assert abs(parsed - datetime.now(UTC)) < timedelta(minutes=1)


def test_inputs_are_cleaned(journal, log):
    request = add(
        journal,
        name="  Jea\x00nne\u202e\tDupré \n",
        contact="\x07 jeanne@example.org\r\n",
        stop="  Usson-en-Forez  ",
        record_id=" rec-1 ",
        title="Un  titre\x1b[31m",
    )
    assert (request.name, request.contact, request.stop) == (
        "Jeanne Dupré",
        "jeanne@example.org",
        "Usson-en-Forez",
    )
    assert (request.record_id, request.title) == ("rec-1", "Un titre[31m")
    # NFC: a decomposed é is stored composed.
    assert add(journal, name="Dupre\u0301").name == "Dupr\u00e9"
    assert_not_logged(log, "Jeanne Dupré", "jeanne@example.org")


def test_limits_are_counted_after_cleaning(journal):
    request = add(journal, name="  " + "a" * 100 + "\x00\x00", contact="b" * 100, stop="c" * 100)
    assert (len(request.name), len(request.contact), len(request.stop)) == (100, 100, 100)
    assert add(journal, stop="").stop == ""
    assert add(journal, stop=None).stop == ""
    assert len(add(journal, title="t" * 2000).title) == requests.TITLE_MAX


SECRET = "Zébulon-Secret"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"consent": False}, "consent is required"),
        ({"consent": "yes"}, "consent is required"),
        ({"consent": 1}, "consent is required"),
        ({"consent": None}, "consent is required"),
        ({"name": ""}, "name is required"),
        ({"name": "   \t\n"}, "name is required"),
        ({"name": "\x00\x07\u200b"}, "name is required"),
        ({"name": None}, "name is required"),
        ({"name": 42}, "name must be text"),
        ({"name": SECRET + "x" * 100}, "name must be at most 100 characters"),
        ({"contact": ""}, "contact is required"),
        ({"contact": " "}, "contact is required"),
        ({"contact": SECRET + "9" * 100}, "contact must be at most 100 characters"),
        ({"stop": SECRET + "s" * 100}, "stop must be at most 100 characters"),
        ({"stop": 3}, "stop must be text"),
        ({"record_id": ""}, "record_id is required"),
        ({"now": datetime(2026, 11, 26, 10, 30)}, "timezone-aware"),
        ({"now": "2026-11-26"}, "now must be a datetime"),
    ],
)
def test_invalid_requests_are_refused_and_leave_nothing(journal, log, overrides, message):
    with pytest.raises(JournalError, match=message) as caught:
        add(journal, **overrides)
    assert isinstance(caught.value, ValueError)
    assert SECRET not in str(caught.value), "error messages never quote what the visitor typed"
    assert requests.list_requests(journal) == [] and outbox_rows(journal) == []
    assert_not_logged(log, SECRET, NAME, CONTACT)


def test_failure_after_the_outbox_row_leaves_neither(journal, monkeypatch):
    real_append = outbox.append

    def append_then_fail(*args, **kwargs):
        real_append(*args, **kwargs)
        assert journal.execute("SELECT count(*) FROM requests").fetchone()[0] == 1
        raise OSError("power failing")

    monkeypatch.setattr(outbox, "append", append_then_fail)
    with pytest.raises(OSError):
        add(journal)
    assert journal.execute("SELECT count(*) FROM requests").fetchone()[0] == 0
    assert outbox_rows(journal) == []
    monkeypatch.undo()
    add(journal)
    assert [e.seq for e in outbox.pending(journal)] == [1], "no gap left by the rolled-back event"


def test_failure_of_the_outbox_leaves_no_row(journal, monkeypatch):
    def failing_append(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox, "append", failing_append)
    with pytest.raises(RuntimeError):
        add(journal)
    assert requests.list_requests(journal) == [] and outbox_rows(journal) == []


# --- listing, handling -----------------------------------------------------------------------


def test_list_by_status_and_mark_handled(journal, log):
    first, second, third = add(journal), add(journal, name="B"), add(journal, name="C")
    later = NOW + timedelta(days=2)
    handled = requests.mark_handled(journal, second.id, now=later)
    assert handled.status == "handled" and handled.handled_at == later.isoformat()
    assert [r.id for r in requests.list_requests(journal)] == [first.id, second.id, third.id]
    assert [r.id for r in requests.list_requests(journal, "new")] == [first.id, third.id]
    assert requests.list_requests(journal, status="handled") == [handled]
    event = outbox.pending(journal)[-1]
    assert (event.kind, event.entity_id, event.payload) == (
        "request.handled",
        second.id,
        {"id": second.id, "handled_at": later.isoformat()},
    )
    # A repeated tap changes nothing and writes no event.
    assert requests.mark_handled(journal, second.id, now=later + timedelta(hours=1)) == handled
    assert len(outbox_rows(journal)) == 4
    assert_not_logged(log, NAME, CONTACT)


def test_list_with_unknown_status(journal):
    with pytest.raises(JournalError, match="status must be one of new, handled"):
        requests.list_requests(journal, "done")


def test_mark_unknown_request(journal):
    with pytest.raises(JournalError, match="no such request"):
        requests.mark_handled(journal, "nope", now=NOW)
    assert outbox_rows(journal) == []


def test_mark_handled_failure_leaves_neither(journal, monkeypatch):
    request = add(journal)

    def failing_append(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox, "append", failing_append)
    with pytest.raises(RuntimeError):
        requests.mark_handled(journal, request.id, now=NOW)
    assert requests.list_requests(journal) == [request]
    assert len(outbox_rows(journal)) == 1


# --- privacy ---------------------------------------------------------------------------------


def test_repr_masks_personal_data(journal, log):
    request = add(journal)
    for text in (repr(request), str(request), f"{request}", repr([request])):
        assert NAME not in text and CONTACT not in text
        assert "name=<hidden>" in text and "contact=<hidden>" in text and request.id in text
    logging.getLogger("numeribus_kiosk").debug("request: %r", request)
    assert_not_logged(log, NAME, CONTACT)


def test_purge_only_after_acknowledgement(journal, log):
    request = add(journal)
    offer = feedback.add_volunteer_offer(
        journal,
        name="Marcel Volontaire",
        contact="marcel@example.org",
        topic="La couture",
        consent=True,
        now=NOW,
    )
    before = outbox_rows(journal)

    assert requests.purge_acknowledged_personal_data(journal) == 0
    assert outbox_rows(journal) == before
    assert requests.list_requests(journal)[0].name == NAME

    # Headquarters acknowledges the request's event only.
    outbox.acknowledge(journal, 1)
    assert requests.purge_acknowledged_personal_data(journal) == 1

    [purged] = requests.list_requests(journal)
    assert (purged.name, purged.contact, purged.personal_data_deleted) == ("", "", True)
    assert (purged.id, purged.record_id, purged.title, purged.stop, purged.status) == (
        request.id,
        request.record_id,
        request.title,
        request.stop,
        "new",
    )
    after = outbox_rows(journal)
    # seq, kind, entity and hash unchanged; only the payload's personal fields are nulled.
    assert [(r[0], r[1], r[2], r[4]) for r in after] == [(r[0], r[1], r[2], r[4]) for r in before]
    assert [r[5] for r in after] == [1, 0]
    payload = json.loads(after[0][3])
    original = json.loads(before[0][3])
    assert payload == {**original, "name": None, "contact": None}
    # The offer, not yet acknowledged, still holds its data and is still pending, unchanged.
    assert feedback.list_volunteer_offers(journal) == [offer]
    assert after[1] == before[1]
    assert [e.payload["name"] for e in outbox.pending(journal)] == ["Marcel Volontaire"]

    outbox.acknowledge(journal, 2)
    assert requests.purge_acknowledged_personal_data(journal) == 1
    [purged_offer] = feedback.list_volunteer_offers(journal)
    assert (purged_offer.name, purged_offer.contact, purged_offer.personal_data_deleted) == ("", "", True)
    assert purged_offer.topic == "La couture"
    assert json.loads(outbox_rows(journal)[1][3])["name"] is None

    # A second purge is a no-op.
    snapshot = (
        outbox_rows(journal),
        requests.list_requests(journal),
        feedback.list_volunteer_offers(journal),
    )
    assert requests.purge_acknowledged_personal_data(journal) == 0
    assert (
        outbox_rows(journal),
        requests.list_requests(journal),
        feedback.list_volunteer_offers(journal),
    ) == snapshot

    # No personal data anywhere in the outbox any more.
    everything = json.dumps(outbox_rows(journal), ensure_ascii=False)
    for secret in (NAME, CONTACT, "Marcel Volontaire", "marcel@example.org"):
        assert secret not in everything
    assert_not_logged(log, NAME, CONTACT, "Marcel Volontaire", "marcel@example.org")


def test_purge_of_a_handled_request_and_an_acknowledged_handling_only(journal):
    request = add(journal)
    requests.mark_handled(journal, request.id, now=NOW)
    outbox.acknowledge(journal, 2)  # both the creation and the handling
    assert requests.purge_acknowledged_personal_data(journal) == 1
    [purged] = requests.list_requests(journal, "handled")
    assert purged.personal_data_deleted and purged.name == "" and purged.handled_at is not None
    handled_payload = json.loads(outbox_rows(journal)[1][3])
    assert handled_payload == {"id": request.id, "handled_at": NOW.isoformat()}


def test_purge_is_atomic(journal, monkeypatch):
    add(journal)
    add(journal, name="Autre")
    outbox.acknowledge(journal, 2)
    before = (outbox_rows(journal), requests.list_requests(journal))
    real_execute = journal.execute
    calls = {"updates": 0}

    def failing_execute(sql, *args):
        if sql.startswith("UPDATE requests"):
            calls["updates"] += 1
            if calls["updates"] == 2:
                raise OSError("power failing")
        return real_execute(sql, *args)

    monkeypatch.setattr(journal, "execute", failing_execute)
    with pytest.raises(OSError):
        requests.purge_acknowledged_personal_data(journal)
    monkeypatch.undo()
    assert (outbox_rows(journal), requests.list_requests(journal)) == before
    assert requests.purge_acknowledged_personal_data(journal) == 2


def test_purged_data_is_gone_from_the_files(data_dir):
    db = open_journal(data_dir)
    try:
        db.execute("PRAGMA secure_delete = OFF")
        add(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the name is now in journal.db itself
        assert NAME.encode() in (data_dir / "journal.db").read_bytes()
        outbox.acknowledge(db, 1)
        assert requests.purge_acknowledged_personal_data(db) == 1
        assert db.execute("PRAGMA secure_delete").fetchone()[0] == 0, "the connection setting is restored"
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for path in data_dir.iterdir():
            content = path.read_bytes()
            assert NAME.encode() not in content and CONTACT.encode() not in content, path.name
    finally:
        db.close()


def test_purge_catches_up_after_a_restart_between_acknowledge_and_purge(data_dir):
    db = open_journal(data_dir)
    add(db)
    outbox.acknowledge(db, 1)
    db.close()  # the power is cut before the purge
    db = open_journal(data_dir)
    try:
        assert requests.purge_acknowledged_personal_data(db) == 1
        assert requests.list_requests(db)[0].personal_data_deleted
    finally:
        db.close()


# --- durability ------------------------------------------------------------------------------


def test_committed_request_survives_a_crash(data_dir):
    """A process that records a request and dies without closing anything loses nothing."""
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from numeribus_kiosk import store
        from numeribus_kiosk.journal import requests, visitor_schema
        db = store.open_journal_db(Path({str(data_dir)!r}))
        visitor_schema.migrations.apply(db)
        r = requests.add_request(db, "rec-1", "Titre", "Nom", "Contact", "Arrêt", True)
        requests.mark_handled(db, r.id)
        print(r.id, flush=True)
        os._exit(0)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    request_id = done.stdout.strip()
    db = open_journal(data_dir)
    try:
        [request] = requests.list_requests(db)
        assert (request.id, request.status, request.name) == (request_id, "handled", "Nom")
        assert [e.kind for e in outbox.pending(db)] == ["request.created", "request.handled"]
    finally:
        db.close()


def test_everything_committed_is_there_after_reopening(data_dir):
    db = open_journal(data_dir)
    request = add(db)
    db.close()
    db = open_journal(data_dir)
    try:
        assert requests.list_requests(db) == [request]
        assert outbox.pending(db)[0].payload["name"] == NAME
    finally:
        db.close()


def test_migration_set_applies_once(data_dir):
    for _ in range(2):
        db = open_journal(data_dir)
        names = [m.name for m in visitor_schema.migrations.applied(db)]
        db.close()
    assert names == ["m001_visitor_records"]
