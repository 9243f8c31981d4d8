"""Up: sync.agent.upload against the real headquarters (uvicorn on 127.0.0.1), with events written
by the kiosk's own journal code (tests/sync/bus_journal.BusJournal) on a bus enrolled for real."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from numeribus_kiosk.journal import outbox, requests, sessions
from sync.agent.http import HQClient, HQError
from sync.agent.upload import QUARANTINE_FILE, UploadError, load_quarantine, upload
from sync.server import devices
from tests.sync.agent.round_helpers import hq_events


@pytest.fixture
def hq_client(identity):
    with HQClient(identity.hq_url, identity.key, identity.hq_public_key) as client:
        yield client


def outbox_rows(bus) -> dict[int, tuple[str, bool]]:
    rows = bus.db.execute("SELECT seq, hash, acknowledged FROM outbox").fetchall()
    return {r[0]: (r[1], bool(r[2])) for r in rows}


def record_a_day(bus) -> None:
    bus.add_session()
    bus.add_request()
    bus.add_feedback()
    bus.add_offer()


def test_events_reach_headquarters_once_across_rounds(bus, identity, hq_client, hq):
    record_a_day(bus)
    first = upload(bus.db, hq_client, device_id=identity.device_id, catalogue_version=0)
    assert (first.sent, first.acknowledged, first.acknowledged_seq, first.batches) == (4, 4, 4, 1)
    assert first.complete and first.quarantined == [] and first.conflicts == []
    held = hq_events(hq, identity.device_id)
    assert {seq: h for seq, (h, _, _) in held.items()} == {seq: h for seq, (h, _) in outbox_rows(bus).items()}
    assert {status for _, status, _ in held.values()} == {"stored"}
    assert all(acknowledged for _, acknowledged in outbox_rows(bus).values())

    again = upload(bus.db, hq_client, device_id=identity.device_id)
    assert (again.sent, again.acknowledged, again.batches) == (0, 0, 0) and again.complete

    session = bus.add_session(participants_by_age=None, participants=3)
    sessions.update_session(bus.db, session.id, {"participants": 4})
    third = upload(bus.db, hq_client, device_id=identity.device_id)
    assert (third.sent, third.acknowledged, third.acknowledged_seq) == (2, 2, 6)
    assert sorted(hq_events(hq, identity.device_id)) == [1, 2, 3, 4, 5, 6]
    participants = hq.db().execute("SELECT participants FROM sessions WHERE id = ?", [session.id]).fetchone()[0]
    assert participants == 4


def test_a_lost_acknowledgement_is_harmless(bus, identity, hq_client, hq):
    """Headquarters stored a batch but its answer never reached the bus: the next round sends the
    same events again, headquarters holds them once, and the bus marks them sent."""
    record_a_day(bus)
    status, answer, _ = hq_client.request(
        "POST", "/api/v1/events", json={"device_id": identity.device_id, "events": bus.pending()}
    )
    assert status == 200 and answer["acknowledged"] == 4  # ... and the bus never learnt it
    assert not any(acknowledged for _, acknowledged in outbox_rows(bus).values())

    report = upload(bus.db, hq_client, device_id=identity.device_id)
    assert (report.sent, report.acknowledged, report.acknowledged_seq) == (4, 4, 4)
    rows = hq.db().execute("SELECT count(*), count(DISTINCT seq) FROM events WHERE device_id = ?", [identity.device_id])
    assert rows.fetchone() == (4, 4)
    assert all(acknowledged for _, acknowledged in outbox_rows(bus).values())


def test_personal_data_is_deleted_on_the_bus_once_acknowledged(bus, identity, hq_client, hq, caplog):
    caplog.set_level(logging.DEBUG)
    request = bus.add_request(name="Zoé Martin", contact="06 12 34 56 78")
    offer = bus.add_offer(name="Jean Dupont", contact="jean@example.org")
    report = upload(bus.db, hq_client, device_id=identity.device_id)
    assert report.purged == 2

    held = requests.get_request(bus.db, request.id)
    assert (held.name, held.contact, held.personal_data_deleted) == ("", "", True)
    offer_row = bus.db.execute("SELECT name, contact FROM volunteer_offers WHERE id = ?", [offer.id]).fetchone()
    assert offer_row == ("", "")
    payloads = [e["payload"] for e in bus.all_events()]
    assert all(p.get("name") is None and p.get("contact") is None for p in payloads)
    # headquarters holds them
    hq_row = hq.db().execute("SELECT name, contact FROM requests WHERE id = ?", [request.id]).fetchone()
    assert tuple(hq_row) == ("Zoé Martin", "06 12 34 56 78")
    # the database file no longer holds them either (secure_delete, WAL checkpointed)
    bus.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (Path(bus.db.conn.execute("PRAGMA database_list").fetchone()[2])).read_bytes()
    assert "Zoé Martin".encode() not in raw and b"jean@example.org" not in raw
    for text in ("Zoé", "Martin", "06 12 34", "Jean Dupont", "jean@example.org"):
        assert text not in caplog.text


def test_batches_of_at_most_the_given_size(bus, identity, hq_client, hq):
    for participants in range(5):
        bus.add_session(participants_by_age=None, participants=participants)
    report = upload(bus.db, hq_client, device_id=identity.device_id, batch=2)
    assert (report.sent, report.batches, report.acknowledged_seq) == (5, 3, 5)
    assert sorted(hq_events(hq, identity.device_id)) == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="batch"):
        upload(bus.db, hq_client, batch=501)
    with pytest.raises(ValueError, match="batch"):
        upload(bus.db, hq_client, batch=0)


def test_quarantined_events_are_reported_and_not_sent_again(bus, bus_dir, identity, hq_client, hq):
    bus.add_session()
    with bus.db.atomic():  # an event a newer kiosk writes, unknown to this headquarters
        outbox.append(bus.db, "loan.created", "loan-1", {"id": "loan-1"})
    bus.add_feedback()
    # and one altered on the bus's disk after it was written: its hash no longer matches
    bus.add_session(participants_by_age=None, participants=2)
    bus.db.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.participants', 20) WHERE seq = 4",
    )
    bus.db.conn.commit()

    report = upload(bus.db, hq_client, device_id=identity.device_id, quarantine_dir=bus_dir)
    assert report.complete and report.acknowledged_seq == 4
    assert [(q["seq"], q["kind"]) for q in report.quarantined] == [(2, "loan.created"), (4, "session.created")]
    assert all(q["reason"] for q in report.quarantined)
    held = hq_events(hq, identity.device_id)
    assert [held[seq][1] for seq in (1, 2, 3, 4)] == ["stored", "quarantined", "stored", "quarantined"]

    logged = load_quarantine(bus_dir)
    assert [(e["seq"], e["kind"]) for e in logged] == [(2, "loan.created"), (4, "session.created")]
    assert all(e["reason"] and e["at"] for e in logged)

    # never retried: the acknowledgement moved past them
    again = upload(bus.db, hq_client, device_id=identity.device_id, quarantine_dir=bus_dir)
    assert (again.sent, again.quarantined) == (0, [])
    assert len(load_quarantine(bus_dir)) == 2


def test_an_unreadable_quarantine_log_is_replaced(bus, bus_dir, identity, hq_client, hq):
    """The log is a report only (headquarters holds the quarantined events): a damaged one reads
    as empty and the next quarantine writes a new one."""
    with bus.db.atomic():
        outbox.append(bus.db, "loan.created", "loan-1", {"id": "loan-1"})
    (bus_dir / QUARANTINE_FILE).write_text("not json", encoding="utf-8")
    assert load_quarantine(bus_dir) == []
    report = upload(bus.db, hq_client, device_id=identity.device_id, quarantine_dir=bus_dir)
    assert [q["seq"] for q in report.quarantined] == [1]
    assert [e["seq"] for e in load_quarantine(bus_dir)] == [1]
    assert json.loads((bus_dir / QUARANTINE_FILE).read_text())["events"][0]["kind"] == "loan.created"


def test_a_sequence_conflict_is_reported_and_the_rest_goes_on(bus, identity, hq_client, hq, tmp_path):
    """The bus's journal is restored from a backup after some events were sent: the numbers it
    gives next were already used with another content.  Headquarters raises an alarm; the bus
    reports the conflicts, marks them held, and goes on with the next events."""
    bus.add_session(participants_by_age=None, participants=1)
    backup = sqlite3.connect(tmp_path / "journal-backup.db")
    bus.db.conn.backup(backup)
    bus.add_session(participants_by_age=None, participants=2)
    bus.add_session(participants_by_age=None, participants=3)
    assert upload(bus.db, hq_client, device_id=identity.device_id).acknowledged_seq == 3

    backup.backup(bus.db.conn)  # the restore
    backup.close()
    assert [seq for seq, _ in outbox_rows(bus).items()] == [1]
    bus.add_feedback()  # seq 2 again, another content
    bus.add_feedback(score=4)  # seq 3 again
    bus.add_feedback(score=3)  # seq 4: new
    report = upload(bus.db, hq_client, device_id=identity.device_id)
    assert report.conflicts == [2, 3] and report.complete
    assert (report.sent, report.acknowledged, report.acknowledged_seq) == (4, 4, 4)
    alarms = hq.db().execute("SELECT kind FROM alarms WHERE device_id = ?", [identity.device_id]).fetchall()
    assert alarms and {a[0] for a in alarms} == {"sequence_conflict"}
    assert hq_events(hq, identity.device_id)[4][1] == "stored"


def test_only_what_headquarters_acknowledges_is_marked_sent(bus, identity, hq_client, hq, tmp_path):
    """Headquarters was restored from an older backup: it no longer holds events 1 and 2.  The
    bus sends event 3; headquarters holds no contiguous run from 1, so nothing is marked sent and
    the upload stops, incomplete, instead of sending the same batch again and again."""
    backup = sqlite3.connect(tmp_path / "hq-backup.db")
    hq.db().conn.backup(backup)
    bus.add_session(participants_by_age=None, participants=1)
    bus.add_session(participants_by_age=None, participants=2)
    assert upload(bus.db, hq_client, device_id=identity.device_id).acknowledged_seq == 2
    backup.backup(hq.db().conn)
    backup.close()

    bus.add_session(participants_by_age=None, participants=3)
    report = upload(bus.db, hq_client, device_id=identity.device_id)
    assert not report.complete
    assert (report.sent, report.batches, report.acknowledged, report.acknowledged_seq) == (1, 1, 0, 0)
    assert outbox_rows(bus)[3][1] is False
    assert sorted(hq_events(hq, identity.device_id)) == [3]


def test_events_of_another_device_are_not_sent(bus, identity, hq_client, hq):
    bus.add_session()
    with pytest.raises(UploadError, match="enrolled as .*enrol the bus again"):
        upload(bus.db, hq_client, device_id="another-bus")
    # an outbox row naming another device (a journal copied from another bus)
    bus.db.execute("UPDATE outbox SET device_id = 'another-bus' WHERE seq = 1")
    bus.db.conn.commit()
    with pytest.raises(UploadError, match="Outbox event 1 names another device"):
        upload(bus.db, hq_client, device_id=identity.device_id)
    assert hq_events(hq, identity.device_id) == {}


def test_a_revoked_bus_is_refused(bus, identity, hq_client, hq):
    bus.add_session()
    devices.revoke(hq.db(), identity.name, hq.now())
    with pytest.raises(HQError) as caught:
        upload(bus.db, hq_client, device_id=identity.device_id)
    assert caught.value.code == "device_revoked"
    assert not outbox_rows(bus)[1][1]
