"""POST /api/v1/events through HTTP: a real bus journal's events, signed, in-process and on a live server."""

from __future__ import annotations

import httpx
import pytest

from numeribus_kiosk.journal import outbox, requests, sessions
from sync.server import devices
from tests.sync.bus_journal import NOW, forge

EVENTS = "/api/v1/events"


@pytest.fixture
def bus_device(make_device, bus):
    """The bus of `bus`, enrolled through POST /api/v1/enrol with its journal's device id."""
    return make_device("Bus 1", device_id=bus.device_id)


def body(bus, batch=None, **extra):
    return {"device_id": bus.device_id, "events": bus.pending() if batch is None else batch, **extra}


def test_upload_stores_acknowledges_and_a_retry_is_a_success(client, signed, hq, bus, bus_device):
    session = bus.add_session()
    request = bus.add_request()
    requests.mark_handled(bus.db, request.id, now=NOW)
    bus.add_feedback()

    answer = signed(client, bus_device, "POST", EVENTS, body(bus, catalogue_version=77))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "acknowledged": 4,
        "results": [{"seq": seq, "status": "stored"} for seq in (1, 2, 3, 4)],
    }
    device = devices.get_device(hq.db(), bus.device_id)
    assert (device.acknowledged, device.catalogue_version) == (4, 77)
    assert hq.db().execute("SELECT id, participants FROM sessions").fetchall() == [(session.id, 8)]

    # the agent marks the outbox and purges personal data; a lost answer makes it send again
    outbox.acknowledge(bus.db, 4)
    requests.purge_acknowledged_personal_data(bus.db)
    again = signed(client, bus_device, "POST", EVENTS, body(bus, bus.all_events()))
    assert again.status_code == 200
    assert again.json()["results"] == [{"seq": seq, "status": "duplicate"} for seq in (1, 2, 3, 4)]
    assert hq.db().execute("SELECT name FROM requests").fetchall() == [("Zoé Martin",)]


def test_events_without_device_id_and_quarantine_reasons(client, signed, bus, bus_device):
    bus.add_session()
    event = {k: v for k, v in bus.pending()[0].items() if k != "device_id"}  # optional per event
    bad = forge(
        bus.device_id,
        2,
        "feedback.created",
        "f",
        {"id": "f", "score": 9, "text": "", "wished_workshops": [], "created_at": "2026-11-26T16:00:00+01:00"},
    )
    answer = signed(client, bus_device, "POST", EVENTS, body(bus, [bad, event]))
    assert answer.status_code == 200
    assert answer.json() == {
        "acknowledged": 2,
        "results": [
            {"seq": 1, "status": "stored"},
            {"seq": 2, "status": "quarantined", "reason": "payload: score must be an integer from 1 to 5"},
        ],
    }


def test_a_conflict_is_a_409_whose_details_are_the_answer(client, signed, hq, bus, bus_device):
    session = bus.add_session()
    assert signed(client, bus_device, "POST", EVENTS, body(bus)).status_code == 200
    other = forge(bus.device_id, 1, "session.created", session.id, {**session.to_dict(), "notes": "autre"})
    sessions.update_session(bus.db, session.id, {"participants": 9}, now=NOW)
    follow = [e for e in bus.pending() if e["seq"] == 2]
    answer = signed(client, bus_device, "POST", EVENTS, body(bus, [other, *follow]))
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "sequence_conflict"
    assert error["details"] == {
        "acknowledged": 2,
        "results": [{"seq": 1, "status": "conflict"}, {"seq": 2, "status": "stored"}],
    }
    assert hq.db().execute("SELECT participants FROM sessions").fetchone() == (9,)  # the rest was committed
    assert hq.db().execute("SELECT kind FROM alarms").fetchall() == [("sequence_conflict",)]


def _usage(bus, seq):
    day = f"2026-11-{1 + seq % 28:02d}"
    return forge(bus.device_id, seq, "usage.daily", day, {"day": day, "counters": {"search": 1}})


def test_more_than_500_events_is_413_and_500_is_fine(client, signed, hq, bus, bus_device):
    too_many = [_usage(bus, seq) for seq in range(1, 502)]
    answer = signed(client, bus_device, "POST", EVENTS, body(bus, too_many))
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "batch_too_large"
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 0
    answer = signed(client, bus_device, "POST", EVENTS, body(bus, too_many[:500]))
    assert answer.status_code == 200 and answer.json()["acknowledged"] == 500


def test_another_devices_events_are_403_and_nothing_is_stored(client, signed, hq, bus, bus_device, make_device):
    other = make_device("Bus 2")
    bus.add_session()
    answer = signed(client, other, "POST", EVENTS, body(bus))  # Bus 2 sends Bus 1's journal
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "wrong_device"
    mixed = {"device_id": other.device_id, "events": bus.pending()}  # the body is right, the events are not
    answer = signed(client, other, "POST", EVENTS, mixed)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "wrong_device"
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert hq.db().execute("SELECT device_id, kind FROM alarms").fetchall() == [(other.device_id, "wrong_device")]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda e: {k: v for k, v in e.items() if k != "hash"},
        lambda e: {**e, "seq": 0},
        lambda e: {**e, "seq": "1"},
        lambda e: {**e, "payload": "text"},
        lambda e: {**e, "surprise": True},
    ],
    ids=["missing hash", "seq 0", "seq as text", "payload not an object", "unknown field"],
)
def test_a_malformed_batch_is_422_and_nothing_is_stored(client, signed, hq, bus, bus_device, mangle):
    answer = signed(client, bus_device, "POST", EVENTS, body(bus, [_usage(bus, 1), mangle(_usage(bus, 2))]))
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_request" and error["details"]["problems"]
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_duplicate_seq_in_one_batch_is_422(client, signed, bus, bus_device):
    answer = signed(client, bus_device, "POST", EVENTS, body(bus, [_usage(bus, 1), _usage(bus, 1)]))
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["problems"] == ["events[1]: seq 1 appears twice in the batch"]


def test_an_unsigned_upload_is_refused_before_anything(client, hq, bus, bus_device):
    bus.add_session()
    answer = client.post(EVENTS, json=body(bus))
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unsigned_request"
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_openapi_documents_the_upload(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"][EVENTS]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    batch = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(batch["properties"]) == {"device_id", "catalogue_version", "events"}
    event = schema["components"]["schemas"]["OutboxEventIn"]
    assert set(event["required"]) == {"seq", "kind", "entity_id", "device_time", "payload", "hash"}
    assert {"200", "403", "409", "413", "422"} <= set(operation["responses"])


def test_upload_to_a_live_server(live_hq, signed, hq, bus, bus_device):
    for participants in (4, 5, 6):
        bus.add_session(participants=participants, participants_by_age=None)
    with httpx.Client(base_url=live_hq.url, timeout=30) as http:
        first = signed(http, bus_device, "POST", EVENTS, body(bus, bus.pending(limit=2)))
        assert first.status_code == 200 and first.json()["acknowledged"] == 2
        outbox.acknowledge(bus.db, first.json()["acknowledged"])
        second = signed(http, bus_device, "POST", EVENTS, body(bus))
    assert second.status_code == 200
    assert second.json() == {"acknowledged": 3, "results": [{"seq": 3, "status": "stored"}]}
    assert sorted(row[0] for row in hq.db().execute("SELECT participants FROM sessions").fetchall()) == [4, 5, 6]
