import logging
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox, schema, usage, visitor_schema

MON, TUE, WED, THU = (date(2026, 11, 23) + timedelta(days=n) for n in range(4))
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=timezone(timedelta(hours=1)))


def open_journal(data_dir):
    db = store.open_journal_db(data_dir)
    visitor_schema.migrations.apply(db)
    return db


@pytest.fixture
def journal(data_dir):
    db = open_journal(data_dir)
    yield db
    db.close()


def usage_events(db):
    return [e for e in outbox.pending(db, limit=10_000) if e.kind == "usage.daily"]


def test_counts_per_day(journal):
    usage.increment(journal, "search", MON)
    usage.increment(journal, "search", MON)
    usage.increment(journal, "search", TUE, by=5)
    usage.increment(journal, "a11y.font_dys", MON)
    assert usage.counters_for(journal, MON) == {"a11y.font_dys": 1, "search": 2}
    assert usage.counters_for(journal, TUE) == {"search": 5}
    assert usage.counters_for(journal, WED) == {}
    # An increment writes no outbox event.
    assert outbox.pending(journal) == []


def test_every_known_counter_is_accepted(journal):
    for name in usage.COUNTERS:
        usage.increment(journal, name, MON)
    assert usage.counters_for(journal, MON) == {name: 1 for name in usage.COUNTERS}
    assert len(usage.COUNTERS) == 18


@pytest.mark.parametrize(
    "args, message",
    [
        (("searches", MON), "unknown usage counter 'searches'"),
        (("", MON), "unknown usage counter"),
        (("a11y", MON), "unknown usage counter"),
        (("search", datetime(2026, 11, 23, 10, 0)), "must be a datetime.date"),
        (("search", "2026-11-23"), "must be a datetime.date"),
        (("search", MON, 0), "by must be a positive integer"),
        (("search", MON, -1), "by must be a positive integer"),
        (("search", MON, True), "by must be a positive integer"),
        (("search", MON, 1.5), "by must be a positive integer"),
    ],
)
def test_invalid_increments(journal, args, message):
    with pytest.raises(ValueError, match=message):
        usage.increment(journal, *args)
    assert journal.execute("SELECT count(*) FROM usage_counters").fetchone()[0] == 0


def test_counters_for_wants_a_date(journal):
    with pytest.raises(ValueError, match="must be a datetime.date"):
        usage.counters_for(journal, "2026-11-23")


def test_close_days_emits_one_event_per_past_day(journal, caplog):
    caplog.set_level(logging.DEBUG)
    usage.increment(journal, "search", MON, by=3)
    usage.increment(journal, "idle_reset", MON)
    usage.increment(journal, "profile.senior", TUE)
    usage.increment(journal, "search", WED)  # today: not closed yet
    events = usage.close_days(journal, WED, now=NOW)
    assert [(e.kind, e.entity_id, e.payload) for e in events] == [
        ("usage.daily", "2026-11-23", {"day": "2026-11-23", "counters": {"idle_reset": 1, "search": 3}}),
        ("usage.daily", "2026-11-24", {"day": "2026-11-24", "counters": {"profile.senior": 1}}),
    ]
    assert usage_events(journal) == events
    assert usage.closed_days(journal) == ["2026-11-23", "2026-11-24"]
    # Exactly once: calling again emits nothing new.
    assert usage.close_days(journal, WED, now=NOW) == []
    assert len(usage_events(journal)) == 2
    # The next day, Wednesday is closed too, alone.
    [wednesday] = usage.close_days(journal, THU, now=NOW)
    assert wednesday.payload == {"day": "2026-11-25", "counters": {"search": 1}}
    assert usage.close_days(journal, THU, now=NOW) == []
    # The counts themselves stay readable on the bus.
    assert usage.counters_for(journal, MON) == {"idle_reset": 1, "search": 3}


def test_nothing_to_close(journal):
    assert usage.close_days(journal, WED, now=NOW) == []
    usage.increment(journal, "search", WED)
    assert usage.close_days(journal, WED, now=NOW) == []
    assert outbox.pending(journal) == [] and usage.closed_days(journal) == []


def test_late_increment_is_sent_as_a_correction(journal):
    """Choice: a late increment for a closed day is accepted and sent later as a delta."""
    usage.increment(journal, "search", MON, by=2)
    [first] = usage.close_days(journal, TUE, now=NOW)
    usage.increment(journal, "search", MON)  # late
    usage.increment(journal, "feedback", MON, by=4)  # late, new counter
    assert usage.counters_for(journal, MON) == {"feedback": 4, "search": 3}
    [correction] = usage.close_days(journal, TUE, now=NOW)
    assert (correction.kind, correction.entity_id) == ("usage.daily", "2026-11-23")
    assert correction.payload == {"day": "2026-11-23", "counters": {"feedback": 4, "search": 1}}
    assert correction.seq == first.seq + 1
    # Headquarters adds the events of a day up: the total is the true count, each count once.
    total = Counter()
    for event in usage_events(journal):
        total.update(event.payload["counters"])
    assert dict(total) == usage.counters_for(journal, MON)
    assert usage.close_days(journal, WED, now=NOW) == []
    # The day was recorded as closed once, with its first event.
    assert journal.execute("SELECT day, first_seq FROM usage_days_sent").fetchall() == [("2026-11-23", first.seq)]


def test_close_days_is_atomic(journal, monkeypatch):
    usage.increment(journal, "search", MON)
    usage.increment(journal, "search", TUE)
    real_append = outbox.append
    calls = []

    def fail_on_second_day(db, kind, entity_id, payload, **kwargs):
        calls.append(entity_id)
        if len(calls) == 2:
            raise OSError("power failing")
        return real_append(db, kind, entity_id, payload, **kwargs)

    monkeypatch.setattr(outbox, "append", fail_on_second_day)
    with pytest.raises(OSError):
        usage.close_days(journal, WED, now=NOW)
    monkeypatch.undo()
    assert outbox.pending(journal) == [] and usage.closed_days(journal) == []
    assert journal.execute("SELECT sum(reported) FROM usage_counters").fetchone()[0] == 0
    assert len(usage.close_days(journal, WED, now=NOW)) == 2


def test_close_days_validates_its_arguments(journal):
    with pytest.raises(ValueError, match="must be a datetime.date"):
        usage.close_days(journal, datetime(2026, 11, 26, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        usage.close_days(journal, WED, now=datetime(2026, 11, 26))


def test_increment_inside_a_caller_transaction_is_rolled_back_with_it(journal):
    with pytest.raises(OSError), journal.atomic():
        usage.increment(journal, "request", MON)
        raise OSError("power failing")
    assert usage.counters_for(journal, MON) == {}


def test_power_cut_keeps_everything_committed(data_dir):
    db = open_journal(data_dir)
    usage.increment(db, "search", MON, by=2)
    usage.increment(db, "language.en", TUE)
    db.close()  # power cut: nothing else happens

    db = open_journal(data_dir)
    assert usage.counters_for(db, MON) == {"search": 2}
    [monday] = usage.close_days(db, TUE, now=NOW)
    db.close()

    db = open_journal(data_dir)
    try:
        assert usage_events(db) == [monday]
        assert usage.close_days(db, TUE, now=NOW) == []
        assert [e.entity_id for e in usage.close_days(db, WED, now=NOW)] == ["2026-11-24"]
    finally:
        db.close()


# --- property: each count reaches headquarters exactly once ------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("inc"),
            st.sampled_from(sorted(usage.COUNTERS)[:4]),
            st.integers(min_value=0, max_value=4),
            st.integers(min_value=1, max_value=3),
        ),
        st.tuples(st.just("close"), st.integers(min_value=0, max_value=5)),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(operations)
def test_sum_of_events_equals_counts(ops):
    db = sqlite_utils.Database(memory=True)
    try:
        schema.migrations.apply(db)
        visitor_schema.migrations.apply(db)
        base = date(2026, 1, 1)
        for op in ops:
            if op[0] == "inc":
                _, counter, day, by = op
                usage.increment(db, counter, base + timedelta(days=day), by=by)
            else:
                usage.close_days(db, base + timedelta(days=op[1]), now=NOW)
        usage.close_days(db, base + timedelta(days=10), now=NOW)
        sent: dict[str, Counter] = {}
        for event in usage_events(db):
            assert event.payload["counters"], "no empty event"
            assert all(v > 0 for v in event.payload["counters"].values())
            sent.setdefault(event.payload["day"], Counter()).update(event.payload["counters"])
        for offset in range(5):
            day = base + timedelta(days=offset)
            assert dict(sent.get(day.isoformat(), Counter())) == usage.counters_for(db, day)
        assert usage.close_days(db, base + timedelta(days=10), now=NOW) == []
    finally:
        db.close()
