"""The example sessions used by the screenshots and the accessibility audit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox, sessions
from numeribus_kiosk.mediator.demo import demo_sessions, load_demo_sessions

PARIS = timezone(timedelta(hours=1))


@pytest.mark.parametrize("hour", [0, 8, 12, 23])
def test_every_example_is_valid_and_not_in_the_future(hour):
    now = datetime(2026, 11, 27, hour, 30, tzinfo=PARIS)
    found = demo_sessions(now)
    assert len(found) == 12
    for data in found:
        clean = sessions.validate(data)
        start = datetime.fromisoformat(clean["started_at"])
        assert now - timedelta(days=28) <= start <= now


def test_loaded_with_their_outbox_events(tmp_path):
    db = store.open_journal_db(tmp_path)
    try:
        now = datetime(2026, 11, 27, 16, 0, tzinfo=PARIS)
        assert load_demo_sessions(db, now) == 12
        assert len(sessions.list_sessions(db)) == 12
        assert {e.kind for e in outbox.pending(db, limit=50)} == {"session.created"}
    finally:
        db.close()


def test_example_visitor_records_are_valid(tmp_path):
    from numeribus_kiosk.journal import feedback, requests
    from numeribus_kiosk.mediator.demo import load_demo_visitor_records

    db = store.open_journal_db(tmp_path)
    try:
        load_demo_visitor_records(db)
        assert len(requests.list_requests(db)) == 2
        assert len(feedback.list_feedback(db)) == 2 and len(feedback.list_volunteer_offers(db)) == 1
    finally:
        db.close()
