"""sync.server.events: ingesting a bus's outbox events, with events made by the kiosk's real journal."""

from __future__ import annotations

import json
import logging
from datetime import date, time, timedelta

import pytest

from numeribus_kiosk.catalogue.schedule import Passage
from numeribus_kiosk.journal import outbox, requests, sessions, usage
from sync.server import devices, events, publish
from tests.sync.bus_journal import NOW, BusJournal, enrol_directly, forge


@pytest.fixture
def enrolled(hq, bus):
    return enrol_directly(hq, "Bus 1", bus.device_id)


def ingest(hq, bus, batch, **kwargs):
    return events.ingest(hq.db(), bus.device_id, batch, hq.now(), **kwargs)


def statuses(result):
    return [(r["seq"], r["status"]) for r in result.results]


def held(hq, device_id):
    return (
        hq.db()
        .execute("SELECT seq, kind, status, reason, via FROM events WHERE device_id = ? ORDER BY seq", [device_id])
        .fetchall()
    )


def session_row(hq, device_id, session_id):
    cursor = hq.db().execute("SELECT * FROM sessions WHERE device_id = ? AND id = ?", [device_id, session_id])
    row = cursor.fetchone()
    return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))


# --- stored, projected, acknowledged ----------------------------------------------------------


def test_real_journal_events_are_stored_projected_and_acknowledged(hq, bus, enrolled):
    kept = bus.add_session()
    sessions.update_session(bus.db, kept.id, {"participants": 9, "notes": "Revu."}, now=NOW + timedelta(hours=1))
    gone = bus.add_session(started_at="2026-12-01T09:30:00+01:00", place="Boën - Médiathèque")
    sessions.delete_session(bus.db, gone.id, now=NOW + timedelta(hours=2))
    request = bus.add_request()
    requests.mark_handled(bus.db, request.id, now=NOW + timedelta(hours=3))
    opinion = bus.add_feedback(score=4, text="Très bien", wished=("fablab_3d", "tablette"))
    offer = bus.add_offer()
    usage.increment(bus.db, "search", date(2026, 11, 25), 3)
    usage.increment(bus.db, "a11y.font_dys", date(2026, 11, 25))
    usage.close_days(bus.db, date(2026, 11, 26), now=NOW)

    batch = bus.pending()
    result = ingest(hq, bus, batch, catalogue_version=1234)

    assert statuses(result) == [(event["seq"], "stored") for event in batch]
    assert result.acknowledged == len(batch) == 9 and result.conflicts == 0
    assert result.answer() == {"acknowledged": 9, "results": result.results}
    device = devices.get_device(hq.db(), bus.device_id)
    assert (device.acknowledged, device.catalogue_version) == (9, 1234)
    assert {row[4] for row in held(hq, bus.device_id)} == {"api"}

    row = session_row(hq, bus.device_id, kept.id)
    assert row["version"] == 2 and row["participants"] == 9 and row["notes"] == "Revu." and row["deleted"] == 0
    assert (row["day"], row["month"], row["commune"]) == ("2026-11-26", "2026-11", "Noirétable")
    assert json.loads(row["publics"]) == ["seniors / EHPAD"]
    assert json.loads(row["participants_by_age"]) == {"60-79": 5, "80+": 3}
    assert json.loads(row["equipment"]) == ["tablettes x6"]
    deleted = session_row(hq, bus.device_id, gone.id)
    assert deleted["deleted"] == 1 and deleted["version"] == 2 and deleted["commune"] == "Boën"

    db = hq.db()
    assert db.execute("SELECT name, contact, title, stop, handled_at, hq_status FROM requests").fetchall() == [
        ("Zoé Martin", "06 12 34 56 78", "Le Petit Prince", "Noirétable", "2026-11-26T19:00:00+01:00", "new")
    ]
    assert db.execute("SELECT id, score, text, wished_workshops FROM feedback").fetchall() == [
        (opinion.id, 4, "Très bien", '["tablette", "fablab_3d"]')
    ]
    assert db.execute("SELECT id, name, contact FROM volunteers").fetchall() == [
        (offer.id, "Jean Dupont", "jean@example.org")
    ]
    assert db.execute("SELECT day, counter, count FROM usage ORDER BY counter").fetchall() == [
        ("2026-11-25", "a11y.font_dys", 1),
        ("2026-11-25", "search", 3),
    ]


def test_events_in_any_order_are_handled_in_sequence_order(hq, bus, enrolled):
    first = bus.add_session()
    sessions.update_session(bus.db, first.id, {"participants": 13}, now=NOW)
    batch = list(reversed(bus.pending()))
    result = ingest(hq, bus, batch)
    assert statuses(result) == [(1, "stored"), (2, "stored")]
    assert session_row(hq, bus.device_id, first.id)["participants"] == 13


def test_an_empty_batch_only_records_the_catalogue_version(hq, bus, enrolled):
    result = ingest(hq, bus, [], catalogue_version=42)
    assert (result.acknowledged, result.results) == (0, [])
    assert devices.get_device(hq.db(), bus.device_id).catalogue_version == 42
    ingest(hq, bus, [])  # no version given: the last one is kept
    assert devices.get_device(hq.db(), bus.device_id).catalogue_version == 42


def test_bundle_events_are_marked_as_such(hq, bus, enrolled):
    bus.add_session()
    ingest(hq, bus, bus.pending(), via="bundle")
    assert held(hq, bus.device_id)[0][4] == "bundle"
    with pytest.raises(ValueError):
        ingest(hq, bus, bus.pending(), via="usb")


# --- retries and conflicts --------------------------------------------------------------------


def test_a_retry_is_a_duplicate_even_after_the_bus_purged_personal_data(hq, bus, enrolled):
    request = bus.add_request()
    offer = bus.add_offer()
    first = ingest(hq, bus, bus.pending())
    assert statuses(first) == [(1, "stored"), (2, "stored")]
    # the bus got the answer, purged the personal data, but sends again (its state was lost meanwhile)
    outbox.acknowledge(bus.db, first.acknowledged)
    assert requests.purge_acknowledged_personal_data(bus.db) == 2
    retry = bus.all_events()
    assert retry[0]["payload"]["name"] is None and retry[1]["payload"]["contact"] is None
    second = ingest(hq, bus, retry)
    assert statuses(second) == [(1, "duplicate"), (2, "duplicate")]
    assert second.acknowledged == 2
    db = hq.db()
    assert db.execute("SELECT id, name FROM requests").fetchall() == [(request.id, "Zoé Martin")]
    assert db.execute("SELECT id, contact FROM volunteers").fetchall() == [(offer.id, "jean@example.org")]
    assert db.execute("SELECT count(*) FROM alarms").fetchone()[0] == 0


def test_same_seq_with_another_content_is_a_conflict_with_one_alarm(hq, bus, enrolled):
    session = bus.add_session()
    ingest(hq, bus, bus.pending())
    # another journal with the same device id (a cloned disk) writes its own seq 1 and 2
    other = forge(bus.device_id, 1, "session.created", session.id, {**session.to_dict(), "participants": 99})
    newer = forge(bus.device_id, 2, "usage.daily", "2026-11-25", {"day": "2026-11-25", "counters": {"search": 1}})
    result = ingest(hq, bus, [other, newer])
    assert statuses(result) == [(1, "conflict"), (2, "stored")]
    assert result.conflicts == 1 and result.acknowledged == 2
    assert session_row(hq, bus.device_id, session.id)["participants"] == 8  # the held event stays
    again = ingest(hq, bus, [other])
    assert statuses(again) == [(1, "conflict")]
    alarms = hq.db().execute("SELECT device_id, kind, message, details FROM alarms").fetchall()
    assert len(alarms) == 1
    device_id, kind, message, details = alarms[0]
    assert (device_id, kind) == (bus.device_id, "sequence_conflict")
    assert "Bus 1" in message and "sequence 1" in message
    assert json.loads(details) == {"seq": 1, "held_hash": bus.pending()[0]["hash"], "received_hash": other["hash"]}
    # once an administrator resolved it, a new conflict raises a new alarm
    hq.db().execute("UPDATE alarms SET resolved_at = 'now'")
    hq.db().conn.commit()
    ingest(hq, bus, [other])
    assert hq.db().execute("SELECT count(*) FROM alarms").fetchone()[0] == 2


# --- quarantine -------------------------------------------------------------------------------


def _session_payload(bus, **changes):
    session = bus.add_session()
    return session.id, {**session.to_dict(), **changes}


INVALID = {
    "participants not a number": lambda bus: ("session.created", *_session_payload(bus, participants="eight")),
    "session without mediator": lambda bus: (
        "session.created",
        *(lambda sid, p: (sid, {k: v for k, v in p.items() if k != "mediator"}))(*_session_payload(bus)),
    ),
    "session with an unknown field": lambda bus: ("session.created", *_session_payload(bus, colour="blue")),
    "session id is not the entity": lambda bus: ("session.created", "other-id", _session_payload(bus)[1]),
    "created but deleted": lambda bus: ("session.created", *_session_payload(bus, deleted=True)),
    "deleted but not deleted": lambda bus: ("session.deleted", *_session_payload(bus)),
    "version zero": lambda bus: ("session.updated", *_session_payload(bus, version=0)),
    "version as text": lambda bus: ("session.updated", *_session_payload(bus, version="2")),
    "naive start": lambda bus: ("session.created", *_session_payload(bus, started_at="2026-11-26T14:00:00")),
    "huge number": lambda bus: ("session.created", *_session_payload(bus, participants=2**70)),
    "request without consent": lambda bus: (
        "request.created",
        "r1",
        {
            "id": "r1",
            "record_id": "x",
            "title": "T",
            "name": "Zoé",
            "contact": "06",
            "stop": "",
            "consent": False,
            "created_at": "2026-11-26T16:00:00+01:00",
        },
    ),
    "request name too long": lambda bus: (
        "request.created",
        "r2",
        {
            "id": "r2",
            "record_id": "x",
            "title": "T",
            "name": "Z" * 101,
            "contact": "06",
            "stop": "",
            "consent": True,
            "created_at": "2026-11-26T16:00:00+01:00",
        },
    ),
    "handled at no date": lambda bus: ("request.handled", "r3", {"id": "r3", "handled_at": "yesterday"}),
    "feedback score 7": lambda bus: (
        "feedback.created",
        "f1",
        {"id": "f1", "score": 7, "text": "", "wished_workshops": [], "created_at": "2026-11-26T16:00:00+01:00"},
    ),
    "feedback unknown workshop": lambda bus: (
        "feedback.created",
        "f2",
        {"id": "f2", "score": 3, "text": "", "wished_workshops": ["yoga"], "created_at": "2026-11-26T16:00:00+01:00"},
    ),
    "offer without topic": lambda bus: (
        "volunteer.created",
        "v1",
        {
            "id": "v1",
            "name": "Jean",
            "contact": "j@x",
            "topic": " ",
            "consent": True,
            "created_at": "2026-11-26T16:00:00+01:00",
        },
    ),
    "usage negative count": lambda bus: (
        "usage.daily",
        "2026-11-25",
        {"day": "2026-11-25", "counters": {"search": -2}},
    ),
    "usage day is not the entity": lambda bus: (
        "usage.daily",
        "2026-11-24",
        {"day": "2026-11-25", "counters": {"search": 2}},
    ),
    "usage bad counter name": lambda bus: ("usage.daily", "2026-11-25", {"day": "2026-11-25", "counters": {"A B": 1}}),
    "unknown kind": lambda bus: ("session.archived", "s1", {"id": "s1"}),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_an_invalid_event_is_quarantined_held_and_projected_nowhere(hq, bus, enrolled, case):
    kind, entity_id, payload = INVALID[case](bus)
    good = forge(bus.device_id, 2, "usage.daily", "2026-11-20", {"day": "2026-11-20", "counters": {"search": 1}})
    result = ingest(hq, bus, [forge(bus.device_id, 1, kind, entity_id, payload), good])
    assert statuses(result) == [(1, "quarantined"), (2, "stored")]
    reason = result.results[0]["reason"]
    assert reason and len(reason) <= events.REASON_MAX
    assert result.acknowledged == 2  # the queue moves on
    assert held(hq, bus.device_id)[0][2:4] == ("quarantined", reason)
    db = hq.db()
    for table in ("sessions", "requests", "feedback", "volunteers"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert db.execute("SELECT day FROM usage").fetchall() == [("2026-11-20",)]
    listed = events.quarantined_events(db)
    assert [(q.seq, q.kind, q.reason, q.device_name) for q in listed] == [(1, kind, reason, "Bus 1")]


def test_quarantine_reasons_say_what_is_wrong(hq, bus, enrolled):
    _, payload = _session_payload(bus, participants="eight")
    session = forge(bus.device_id, 1, "session.created", payload["id"], payload)
    unknown = forge(bus.device_id, 2, "session.archived", "x", {})
    tampered = dict(forge(bus.device_id, 3, "usage.daily", "2026-11-25", {"day": "2026-11-25", "counters": {}}))
    tampered["payload"] = {"day": "2026-11-25", "counters": {"search": 1000}}
    reasons = [r["reason"] for r in ingest(hq, bus, [session, unknown, tampered]).results]
    assert reasons == [
        "payload: participants must be a whole number",
        "unknown kind 'session.archived'",
        "hash does not match the event's content",
    ]


def test_a_real_event_altered_in_transit_is_quarantined(hq, bus, enrolled):
    bus.add_session()
    event = bus.pending()[0]
    event["payload"]["participants"] = 80  # by_age adds up to 8: still a valid session
    result = ingest(hq, bus, [event])
    assert result.results == [{"seq": 1, "status": "quarantined", "reason": "hash does not match the event's content"}]
    assert result.acknowledged == 1
    # (device, seq, hash) decides before the payload is looked at: the same hash again is a retry
    assert statuses(ingest(hq, bus, bus.pending())) == [(1, "duplicate")]
    assert hq.db().execute("SELECT status FROM events").fetchall() == [("quarantined",)]


def test_a_request_without_consent_is_kept_without_its_personal_data(hq, bus, enrolled):
    kind, entity_id, payload = INVALID["request without consent"](bus)
    ingest(hq, bus, [forge(bus.device_id, 1, kind, entity_id, payload)])
    stored = json.loads(hq.db().execute("SELECT payload FROM events").fetchone()[0])
    assert stored["name"] is None and stored["contact"] is None and stored["record_id"] == "x"


# --- sequence numbers and acknowledgement ------------------------------------------------------


def test_acknowledged_is_the_highest_contiguous_seq_held(hq, bus, enrolled):
    for day in range(1, 7):
        usage.increment(bus.db, "search", date(2026, 11, day), day)
    usage.close_days(bus.db, date(2026, 11, 7), now=NOW)
    batch = {event["seq"]: event for event in bus.pending()}
    assert sorted(batch) == [1, 2, 3, 4, 5, 6]

    assert ingest(hq, bus, [batch[5], batch[2], batch[1]]).acknowledged == 2
    assert devices.get_device(hq.db(), bus.device_id).acknowledged == 2
    assert ingest(hq, bus, [batch[4]]).acknowledged == 2  # 3 still missing
    result = ingest(hq, bus, [batch[3]])
    assert result.acknowledged == 5 and statuses(result) == [(3, "stored")]
    assert ingest(hq, bus, [batch[6], batch[1]]).acknowledged == 6
    assert devices.get_device(hq.db(), bus.device_id).acknowledged == 6
    assert sum(row[0] for row in hq.db().execute("SELECT count FROM usage").fetchall()) == 21


def test_session_versions_arriving_out_of_order_keep_the_highest(hq, bus, enrolled):
    session = bus.add_session()
    sessions.update_session(bus.db, session.id, {"participants": 15}, now=NOW)
    sessions.update_session(bus.db, session.id, {"participants": 16}, now=NOW)
    first, second, third = bus.pending()
    ingest(hq, bus, [third])
    assert session_row(hq, bus.device_id, session.id)["version"] == 3
    ingest(hq, bus, [first, second])
    row = session_row(hq, bus.device_id, session.id)
    assert (row["version"], row["seq"], row["participants"]) == (3, 3, 16)

    sessions.delete_session(bus.db, session.id, now=NOW)
    ingest(hq, bus, bus.pending()[-1:])
    row = session_row(hq, bus.device_id, session.id)
    assert (row["version"], row["deleted"]) == (4, 1)


def test_equal_versions_are_decided_by_the_higher_seq(hq, bus, enrolled):
    _, payload = _session_payload(bus)
    later = forge(bus.device_id, 5, "session.updated", payload["id"], {**payload, "version": 2, "participants": 14})
    earlier = forge(bus.device_id, 4, "session.updated", payload["id"], {**payload, "version": 2, "participants": 13})
    ingest(hq, bus, [later])
    ingest(hq, bus, [earlier])
    assert session_row(hq, bus.device_id, payload["id"])["participants"] == 14


def test_usage_deltas_of_a_day_are_added_up_per_device(hq, bus, enrolled, tmp_path):
    usage.increment(bus.db, "search", date(2026, 11, 25), 4)
    usage.close_days(bus.db, date(2026, 11, 26), now=NOW)
    usage.increment(bus.db, "search", date(2026, 11, 25), 2)  # late: a correction event carries the delta
    usage.increment(bus.db, "idle_reset", date(2026, 11, 25))
    usage.close_days(bus.db, date(2026, 11, 26), now=NOW)
    batch = bus.pending()
    assert [event["payload"]["counters"] for event in batch] == [{"search": 4}, {"idle_reset": 1, "search": 2}]
    ingest(hq, bus, batch)
    ingest(hq, bus, batch)  # a retry adds nothing

    other = BusJournal(tmp_path / "bus2")
    try:
        enrol_directly(hq, "Bus 2", other.device_id)
        usage.increment(other.db, "search", date(2026, 11, 25), 10)
        usage.close_days(other.db, date(2026, 11, 26), now=NOW)
        events.ingest(hq.db(), other.device_id, other.pending(), hq.now())
    finally:
        other.close()
    rows = hq.db().execute("SELECT device_id, counter, count FROM usage ORDER BY device_id, counter").fetchall()
    assert sorted(rows) == sorted(
        [(bus.device_id, "idle_reset", 1), (bus.device_id, "search", 6), (other.device_id, "search", 10)]
    )


def test_request_handled_applies_in_either_order(hq, bus, enrolled):
    request = bus.add_request()
    requests.mark_handled(bus.db, request.id, now=NOW + timedelta(days=1))
    created, handled = bus.pending()
    assert statuses(ingest(hq, bus, [handled])) == [(2, "stored")]  # the request is not there yet
    assert hq.db().execute("SELECT count(*) FROM requests").fetchone()[0] == 0
    ingest(hq, bus, [created])
    assert hq.db().execute("SELECT handled_at FROM requests").fetchone()[0] == "2026-11-27T16:00:00+01:00"


# --- batches refused whole ---------------------------------------------------------------------


def _usage_event(bus, seq):
    return forge(bus.device_id, seq, "usage.daily", "2026-11-25", {"day": "2026-11-25", "counters": {"search": 1}})


@pytest.mark.parametrize(
    "mangle, problem",
    [
        (lambda e: {k: v for k, v in e.items() if k != "hash"}, "missing field(s): hash"),
        (lambda e: {k: v for k, v in e.items() if k not in ("kind", "payload")}, "missing field(s): kind, payload"),
        (lambda e: {**e, "seq": 0}, "seq must be a positive integer"),
        (lambda e: {**e, "seq": "1"}, "seq must be a positive integer"),
        (lambda e: {**e, "seq": True}, "seq must be a positive integer"),
        (lambda e: {**e, "seq": 2**63}, "seq must be a positive integer"),
        (lambda e: {**e, "kind": 12}, "kind must be a text"),
        (lambda e: {**e, "payload": [1]}, "payload must be an object"),
        (lambda e: {**e, "extra": 1}, "unknown field(s): extra"),
        (lambda e: {**e, "entity_id": "\ud800"}, "not valid Unicode"),
        (lambda e: "an event", "must be an object"),
    ],
)
def test_a_malformed_batch_is_refused_whole(hq, bus, enrolled, mangle, problem):
    batch = [_usage_event(bus, 1), mangle(_usage_event(bus, 2))]
    with pytest.raises(events.EventsError) as caught:
        ingest(hq, bus, batch)
    assert (caught.value.code, caught.value.status) == ("invalid_request", 422)
    assert any(problem in text for text in caught.value.details["problems"]), caught.value.details
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_batch_level_errors(hq, bus, enrolled):
    with pytest.raises(events.EventsError) as caught:
        ingest(hq, bus, {"seq": 1})
    assert caught.value.code == "invalid_request"
    with pytest.raises(events.EventsError) as caught:
        ingest(hq, bus, [_usage_event(bus, 3), _usage_event(bus, 3)])
    assert caught.value.details["problems"] == ["events[1]: seq 3 appears twice in the batch"]
    with pytest.raises(events.EventsError) as caught:
        ingest(hq, bus, [], catalogue_version=-1)
    assert caught.value.code == "invalid_request"
    with pytest.raises(events.EventsError) as caught:
        events.ingest(hq.db(), "nobody", [], hq.now())
    assert (caught.value.code, caught.value.status) == ("unknown_device", 404)
    assert hq.db().execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_another_devices_events_are_refused_with_an_alarm(hq, bus, enrolled):
    foreign = dict(_usage_event(bus, 2), device_id="someone-else")
    for _ in range(2):
        with pytest.raises(events.EventsError) as caught:
            ingest(hq, bus, [_usage_event(bus, 1), foreign])
        assert (caught.value.code, caught.value.status) == ("wrong_device", 403)
    db = hq.db()
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert db.execute("SELECT device_id, kind FROM alarms").fetchall() == [(bus.device_id, "wrong_device")]


# --- privacy ----------------------------------------------------------------------------------


def test_nothing_personal_is_logged(hq, bus, enrolled, caplog):
    caplog.set_level(logging.DEBUG)
    bus.add_request(name="Zéphyrine Garnier", contact="zephyrine@example.org")
    bus.add_offer(name="Anatole Vireloup", contact="07 98 76 54 32")
    batch = bus.pending()
    too_long = forge(
        bus.device_id,
        3,
        "request.created",
        "r9",
        {**batch[0]["payload"], "id": "r9", "name": "Zéphyrine Garnier" * 10},
    )
    tampered = dict(forge(bus.device_id, 4, "volunteer.created", "v9", {**batch[1]["payload"], "id": "v9"}))
    tampered["payload"] = {**tampered["payload"], "contact": "anatole.secret@example.org"}
    result = ingest(hq, bus, [*batch, too_long, tampered])
    assert statuses(result) == [(1, "stored"), (2, "stored"), (3, "quarantined"), (4, "quarantined")]
    ingest(hq, bus, batch)
    assert caplog.records, "ingestion logs what it did"
    for secret in ("Zéphyrine", "Garnier", "zephyrine@", "Anatole", "Vireloup", "07 98", "anatole.secret"):
        assert secret not in caplog.text
        assert all(secret not in r["reason"] for r in result.results if "reason" in r)


# --- communes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "place, commune",
    [
        ("Noirétable, Place de l'Église", "Noirétable"),
        ("Boën — EHPAD Les Tilleuls", "Boën"),
        ("Boën – EHPAD", "Boën"),
        ("Chazelles-sur-Lyon - Salle des fêtes", "Chazelles-sur-Lyon"),
        ("Saint-Just-Saint-Rambert", "Saint-Just-Saint-Rambert"),
        ("  Feurs  ", "Feurs"),
        (", place sans commune", ", place sans commune"),
        ("", ""),
    ],
)
def test_commune_of(place, commune):
    assert events.commune_of(place) == commune


COMMUNES = ("Saint-Just", "Saint-Just-Saint-Rambert", "Boën-sur-Lignon", "Noirétable")


@pytest.mark.parametrize(
    "place, commune",
    [
        ("Saint-Just-Saint-Rambert Salle des fêtes", "Saint-Just-Saint-Rambert"),  # no separator: known commune
        ("saint-just-saint-rambert, mairie", "Saint-Just-Saint-Rambert"),  # spelt as published
        ("Saint-Just (Loire) place du marché", "Saint-Just"),
        ("BOEN-SUR-LIGNON  EHPAD", "Boën-sur-Lignon"),
        ("Saint-Justine, place", "Saint-Justine"),  # not a whole known name: the separator rule
        ("Feurs - Salle", "Feurs"),
    ],
)
def test_commune_of_prefers_the_published_communes(place, commune):
    assert events.commune_of(place, COMMUNES) == commune


def test_sessions_get_the_commune_of_the_published_schedule(hq, bus, enrolled):
    passage = Passage("p1", date(2026, 11, 26), time(9, 0), time(12, 0), "Saint-Just-Saint-Rambert", "Place")
    publish.put(hq.db(), "passage", passage.id, passage.to_dict(), hq.now())
    assert events.published_communes(hq.db()) == ("Saint-Just-Saint-Rambert",)
    session = bus.add_session(place="Saint-Just-Saint-Rambert Salle des fêtes")
    ingest(hq, bus, bus.pending())
    assert session_row(hq, bus.device_id, session.id)["commune"] == "Saint-Just-Saint-Rambert"
