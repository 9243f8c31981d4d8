"""sync.server.visitors: requests, opinions, offers and usage as the admin site uses them."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from numeribus_kiosk.journal import requests, usage
from sync.server import events, visitors
from tests.sync.bus_journal import NOW, BusJournal, enrol_directly


@pytest.fixture
def enrolled(hq, bus):
    return enrol_directly(hq, "Bus 1", bus.device_id)


def upload(hq, journal):
    return events.ingest(hq.db(), journal.device_id, journal.pending(), hq.now())


def test_requests_are_listed_newest_first_with_their_bus_and_status(hq, bus, enrolled):
    old = bus.add_request(name="Alice", contact="a@x", now=NOW, title="Premier")
    on_bus = bus.add_request(name="Bruno", contact="b@x", now=NOW + timedelta(hours=1), title="Deuxième")
    new = bus.add_request(name="Chloé", contact="c@x", now=NOW + timedelta(hours=2), title="Troisième")
    requests.mark_handled(bus.db, on_bus.id, now=NOW + timedelta(days=1))
    upload(hq, bus)
    assert visitors.mark_request_handled(hq.db(), bus.device_id, old.id, hq.now()) is True

    found = visitors.list_requests(hq.db())
    assert [r.id for r in found] == [new.id, on_bus.id, old.id]
    newest = found[0]
    assert (newest.device_id, newest.device_name, newest.title, newest.record_id) == (
        bus.device_id,
        "Bus 1",
        "Troisième",
        "rec-1",
    )
    assert (newest.name, newest.contact, newest.stop, newest.created_at) == (
        "Chloé",
        "c@x",
        "Noirétable",
        "2026-11-26T18:00:00+01:00",
    )
    assert [(r.handled, r.handled_by) for r in found] == [(False, None), (True, "bus"), (True, "hq")]
    assert found[1].handled_at == "2026-11-27T16:00:00+01:00"
    assert found[2].handled_at == hq.now().isoformat(timespec="seconds")
    assert [r.id for r in visitors.list_requests(hq.db(), "new")] == [new.id]
    assert [r.id for r in visitors.list_requests(hq.db(), "handled")] == [on_bus.id, old.id]
    with pytest.raises(ValueError):
        visitors.list_requests(hq.db(), "done")
    assert visitors.get_request(hq.db(), bus.device_id, new.id) == newest
    assert visitors.get_request(hq.db(), bus.device_id, "nope") is None


def test_marking_handled_keeps_the_first_time_and_knows_unknown_requests(hq, bus, enrolled, hq_clock):
    request = bus.add_request()
    upload(hq, bus)
    first = hq.now().isoformat(timespec="seconds")
    assert visitors.mark_request_handled(hq.db(), bus.device_id, request.id, hq.now())
    hq_clock.advance(3600)
    assert visitors.mark_request_handled(hq.db(), bus.device_id, request.id, hq.now())
    assert visitors.list_requests(hq.db())[0].handled_at == first
    assert visitors.mark_request_handled(hq.db(), bus.device_id, "unknown", hq.now()) is False
    assert visitors.mark_request_handled(hq.db(), "other-bus", request.id, hq.now()) is False


def test_repr_hides_personal_data(hq, bus, enrolled):
    bus.add_request(name="Zéphyrine", contact="zeph@example.org")
    bus.add_offer(name="Anatole", contact="anatole@example.org")
    upload(hq, bus)
    for entry in (*visitors.list_requests(hq.db()), *visitors.list_volunteers(hq.db())):
        for text in (repr(entry), str(entry)):
            assert "<hidden>" in text
            assert "Zéphyrine" not in text and "zeph@" not in text and "Anatole" not in text


def _database_bytes(hq) -> bytes:
    folder = hq.data_dir
    return b"".join(path.read_bytes() for path in sorted(folder.glob("hq.db*")) if path.is_file())


def test_deleting_a_request_removes_its_personal_data_from_the_database(hq, bus, enrolled, caplog):
    caplog.set_level(logging.DEBUG)
    request = bus.add_request(name="Zéphyrine Garnier", contact="zephyrine@example.org")
    kept = bus.add_request(name="Octave Lambert", contact="octave@example.org")
    requests.mark_handled(bus.db, request.id, now=NOW)
    batch = bus.pending()
    upload(hq, bus)
    hash_before = hq.db().execute("SELECT hash FROM events WHERE entity_id = ? AND seq = 1", [request.id]).fetchone()
    assert "Zéphyrine Garnier".encode() in _database_bytes(hq)

    assert visitors.delete_request(hq.db(), bus.device_id, request.id) is True

    assert [r.id for r in visitors.list_requests(hq.db())] == [kept.id]
    payload, hash_after = hq.db().execute("SELECT payload, hash FROM events WHERE seq = 1").fetchone()
    assert '"name": null' in payload and '"contact": null' in payload and '"title": "Le Petit Prince"' in payload
    assert (hash_after,) == hash_before
    stored = _database_bytes(hq)
    assert "Zéphyrine".encode() not in stored and b"zephyrine@example.org" not in stored
    assert b"Octave Lambert" in stored  # the other request is untouched
    # a retry of the original events is recognised and does not bring the request back
    retry = events.ingest(hq.db(), bus.device_id, batch, hq.now())
    assert {r["status"] for r in retry.results} == {"duplicate"}
    assert [r.id for r in visitors.list_requests(hq.db())] == [kept.id]
    assert visitors.delete_request(hq.db(), bus.device_id, request.id) is False  # nothing left to delete
    assert "Zéphyrine" not in caplog.text and "zephyrine@" not in caplog.text


def test_deleting_a_volunteer_offer_removes_its_personal_data(hq, bus, enrolled):
    offer = bus.add_offer(name="Anatole Vireloup", contact="anatole@example.org")
    upload(hq, bus)
    assert [v.name for v in visitors.list_volunteers(hq.db())] == ["Anatole Vireloup"]
    assert visitors.delete_volunteer(hq.db(), bus.device_id, offer.id) is True
    assert visitors.list_volunteers(hq.db()) == []
    stored = _database_bytes(hq)
    assert b"Vireloup" not in stored and b"anatole@example.org" not in stored
    assert "Initiation à la photo numérique".encode() in stored  # the rest of the event is kept
    assert visitors.delete_volunteer(hq.db(), bus.device_id, offer.id) is False
    assert visitors.delete_volunteer(hq.db(), bus.device_id, "unknown") is False


def test_requests_csv(hq, bus, enrolled):
    bus.add_request(name="=HYPERLINK(1)", contact="06 12", title="Un; deux", now=NOW)
    handled = bus.add_request(name="Bruno", contact="b@x", title="Autre", stop="", now=NOW + timedelta(hours=1))
    upload(hq, bus)
    visitors.mark_request_handled(hq.db(), bus.device_id, handled.id, hq.now())
    text = visitors.requests_csv(visitors.list_requests(hq.db()))
    lines = text.split("\r\n")
    assert lines[0] == ";".join(visitors.REQUESTS_CSV_COLUMNS)
    assert lines[1].startswith(f"Bus 1;{handled.id};2026-11-26T17:00:00+01:00;Autre;rec-1;Bruno;b@x;;handled;")
    assert lines[2].endswith(';"Un; deux";rec-1;\'=HYPERLINK(1);06 12;Noirétable;new;')
    assert lines[3:] == [""]


def test_feedback_and_volunteers_are_listed(hq, bus, enrolled, tmp_path):
    first = bus.add_feedback(score=2, text="Trop court", wished=("jeux_video",), now=NOW)
    second = bus.add_feedback(score=5, text="", wished=(), now=NOW + timedelta(minutes=1))
    offer = bus.add_offer(now=NOW)
    upload(hq, bus)
    other = BusJournal(tmp_path / "bus2")
    try:
        enrol_directly(hq, "Bus 2", other.device_id)
        third = other.add_feedback(score=4, now=NOW + timedelta(minutes=2))
        upload(hq, other)
    finally:
        other.close()
    found = visitors.list_feedback(hq.db())
    assert [(f.id, f.device_name, f.score) for f in found] == [
        (third.id, "Bus 2", 4),
        (second.id, "Bus 1", 5),
        (first.id, "Bus 1", 2),
    ]
    assert (found[2].text, found[2].wished_workshops, found[2].created_at) == (
        "Trop court",
        ("jeux_video",),
        "2026-11-26T16:00:00+01:00",
    )
    offers = visitors.list_volunteers(hq.db())
    assert [(o.id, o.device_name, o.name, o.contact, o.topic) for o in offers] == [
        (offer.id, "Bus 1", "Jean Dupont", "jean@example.org", "Initiation à la photo numérique")
    ]


def test_usage_totals_over_a_period(hq, bus, enrolled):
    for day, count in ((date(2026, 10, 31), 1), (date(2026, 11, 1), 2), (date(2026, 11, 30), 4)):
        usage.increment(bus.db, "search", day, count)
    usage.increment(bus.db, "profile.senior", date(2026, 11, 30), 7)
    usage.close_days(bus.db, date(2026, 12, 1), now=NOW)
    upload(hq, bus)
    assert visitors.usage_totals(hq.db()) == {"profile.senior": 7, "search": 7}
    assert visitors.usage_totals(hq.db(), date(2026, 11, 1), date(2026, 11, 30)) == {"profile.senior": 7, "search": 6}
    assert visitors.usage_totals(hq.db(), end=date(2026, 11, 1)) == {"search": 3}
    assert visitors.usage_totals(hq.db(), start=date(2026, 12, 1)) == {}
