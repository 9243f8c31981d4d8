"""The audit log of mediator actions: who, when, what — and never personal data."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.mediator import audit

PARIS = timezone(timedelta(hours=1))


@pytest.fixture
def db(tmp_path):
    database = store.open_journal_db(tmp_path)
    yield database
    database.close()


def test_entries_are_kept_in_order_with_who_and_when(db):
    at = datetime(2026, 11, 27, 14, 5, tzinfo=PARIS)
    audit.record(db, "unlock", mediator="Camille", now=at)
    audit.record(db, "session.created", mediator="Camille", target="0b5c-11", now=at + timedelta(minutes=1))
    audit.record(db, "lock", mediator="Camille", detail="timeout", now=at + timedelta(minutes=3))
    entries = audit.list_audit(db)
    assert [(e.action, e.target, e.detail) for e in entries] == [
        ("unlock", "", ""),
        ("session.created", "0b5c-11", ""),
        ("lock", "", "timeout"),
    ]
    assert entries[0].at == "2026-11-27T14:05:00+01:00" and {e.mediator for e in entries} == {"Camille"}
    assert [e.action for e in audit.list_audit(db, limit=1)] == ["lock"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("target", "Jeanne Martin"), ("detail", "jeanne@example.org"), ("detail", "06 12 34 56 78"), ("target", "x" * 65)],
)
def test_free_text_cannot_be_written(db, field, value):
    with pytest.raises(JournalError, match="identifier or a short code"):
        audit.record(db, "request.handled", mediator="Karim", **{field: value})
    assert audit.list_audit(db) == []


def test_unknown_actions_are_refused(db):
    with pytest.raises(JournalError, match="unknown audit action"):
        audit.record(db, "pin.shown")
