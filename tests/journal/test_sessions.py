import json
from datetime import datetime, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox, sessions, sessions_schema
from numeribus_kiosk.journal.requests import JournalError

PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 16, 0, tzinfo=PARIS)
LATER = NOW + timedelta(minutes=5)


def good(**overrides):
    data = {
        "started_at": "2026-11-26T14:00:00+01:00",
        "duration_min": 90,
        "place": "EHPAD Les Tilleuls, Saint-Flour",
        "activity": "atelier tablette",
        "publics": ["seniors / EHPAD"],
        "participants": 8,
        "partner": "EHPAD Les Tilleuls",
        "equipment": ["tablettes x6"],
        "mediator": "Camille",
        "notes": "Bonne séance.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def journal(data_dir):
    db = store.open_journal_db(data_dir)
    sessions_schema.migrations.apply(db)
    yield db
    db.close()


def events(db):
    return db.execute("SELECT seq, kind, entity_id, payload FROM outbox ORDER BY seq").fetchall()


# --- validation -------------------------------------------------------------------------------


def test_validate_accepts_the_contract_and_cleans():
    clean = sessions.validate(good(place="  Salle   des fêtes ", publics=["enfants", "enfants", "familles"]))
    assert clean["place"] == "Salle des fêtes"
    assert clean["publics"] == ["enfants", "familles"]
    assert clean["participants_by_age"] is None
    assert set(clean) == set(sessions.FIELDS)


def test_optional_fields_have_defaults():
    data = good()
    for key in ("partner", "equipment", "notes"):
        del data[key]
    clean = sessions.validate(data)
    assert clean["partner"] is None and clean["equipment"] == [] and clean["notes"] == ""


def test_empty_partner_is_null_and_notes_may_be_empty():
    clean = sessions.validate(good(partner="  ", notes=""))
    assert clean["partner"] is None and clean["notes"] == ""


@pytest.mark.parametrize("field", sessions.REQUIRED_FIELDS)
def test_missing_required_field_is_refused(field):
    data = good()
    del data[field]
    with pytest.raises(JournalError, match=f"missing field.*{field}"):
        sessions.validate(data)


def test_unknown_keys_are_refused():
    with pytest.raises(JournalError, match="unknown field.*colour"):
        sessions.validate(good(colour="red"))
    with pytest.raises(JournalError, match="unknown field.*id"):
        sessions.validate(good(id="x"))


@pytest.mark.parametrize(
    "value",
    ["2026-11-26T14:00:00", "2026-11-26", "yesterday", "2026-13-40T14:00+01:00", "", 1764162000, None],
)
def test_naive_or_bad_dates_are_refused(value):
    with pytest.raises(JournalError, match="started_at"):
        sessions.validate(good(started_at=value))


def test_dates_with_offset_are_accepted():
    assert sessions.validate(good(started_at="2026-11-26T13:00Z"))["started_at"] == "2026-11-26T13:00:00+00:00"
    assert sessions.validate(good(started_at="2026-07-01T09:30+02:00"))["started_at"] == "2026-07-01T09:30:00+02:00"


@pytest.mark.parametrize("value", [0, -5, 1.5, "90", True, None, 24 * 60 + 1])
def test_bad_durations_are_refused(value):
    with pytest.raises(JournalError, match="duration_min"):
        sessions.validate(good(duration_min=value))


@pytest.mark.parametrize("value", [-1, 2.0, "8", False, None])
def test_bad_participants_are_refused(value):
    with pytest.raises(JournalError, match="participants"):
        sessions.validate(good(participants=value))


def test_zero_participants_is_allowed():
    assert sessions.validate(good(participants=0))["participants"] == 0


@pytest.mark.parametrize("field", ["place", "activity", "mediator"])
@pytest.mark.parametrize("value", ["", "   ", None, 3, ["x"]])
def test_required_texts_are_checked(field, value):
    with pytest.raises(JournalError, match=field):
        sessions.validate(good(**{field: value}))


def test_text_too_long_is_refused():
    with pytest.raises(JournalError, match="place must be at most"):
        sessions.validate(good(place="x" * 201))
    with pytest.raises(JournalError, match="notes must be at most"):
        sessions.validate(good(notes="x" * 5001))


@pytest.mark.parametrize("value", [[], ["  "], "seniors", [1], None])
def test_publics_must_be_a_non_empty_list_of_texts(value):
    with pytest.raises(JournalError, match="publics"):
        sessions.validate(good(publics=value))


@pytest.mark.parametrize("value", ["tablettes", [1], ["ok", None]])
def test_equipment_must_be_a_list_of_texts(value):
    with pytest.raises(JournalError, match="equipment"):
        sessions.validate(good(equipment=value))


@pytest.mark.parametrize("value", [3, ["x"], {"name": "x"}])
def test_partner_must_be_text_or_null(value):
    with pytest.raises(JournalError, match="partner"):
        sessions.validate(good(partner=value))


def test_notes_must_be_text_and_keep_lines():
    with pytest.raises(JournalError, match="notes"):
        sessions.validate(good(notes=5))
    assert sessions.validate(good(notes="a\r\nb\x00"))["notes"] == "a\nb"


def test_participants_by_age():
    clean = sessions.validate(good(participants=8, participants_by_age={"60-79": 5, "80+": 3}))
    assert clean["participants_by_age"] == {"60-79": 5, "80+": 3}
    with pytest.raises(JournalError, match="adds up to more than participants"):
        sessions.validate(good(participants=2, participants_by_age={"60-79": 5}))
    with pytest.raises(JournalError, match="participants_by_age"):
        sessions.validate(good(participants_by_age={"60-79": -1}))
    with pytest.raises(JournalError, match="participants_by_age"):
        sessions.validate(good(participants_by_age=[5]))


def test_validate_refuses_a_non_dict():
    with pytest.raises(JournalError, match="object"):
        sessions.validate([good()])


# --- add / update / delete --------------------------------------------------------------------


def test_add_session_writes_row_and_event(journal):
    session = sessions.add_session(journal, good(), now=NOW)
    assert session.version == 1 and not session.deleted
    assert session.created_at == session.updated_at == "2026-11-26T16:00:00+01:00"
    assert sessions.get_session(journal, session.id) == session
    [(seq, kind, entity_id, payload)] = events(journal)
    assert (seq, kind, entity_id) == (1, "session.created", session.id)
    payload = json.loads(payload)
    assert payload == session.to_dict()
    assert payload["publics"] == ["seniors / EHPAD"] and payload["participants"] == 8


def test_invalid_add_writes_nothing(journal):
    with pytest.raises(JournalError):
        sessions.add_session(journal, good(participants=-3), now=NOW)
    assert journal.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert events(journal) == []


def test_naive_now_is_refused(journal):
    with pytest.raises(JournalError, match="timezone-aware"):
        sessions.add_session(journal, good(), now=datetime(2026, 11, 26, 16, 0))
    assert events(journal) == []


def test_update_session_bumps_version_with_full_payload(journal):
    session = sessions.add_session(journal, good(), now=NOW)
    updated = sessions.update_session(journal, session.id, {"participants": 10, "notes": "Corrigé"}, now=LATER)
    assert updated.version == 2 and updated.participants == 10 and updated.notes == "Corrigé"
    assert updated.created_at == session.created_at and updated.updated_at == "2026-11-26T16:05:00+01:00"
    assert sessions.get_session(journal, session.id) == updated
    rows = events(journal)
    assert [(r[0], r[1]) for r in rows] == [(1, "session.created"), (2, "session.updated")]
    payload = json.loads(rows[1][3])
    assert payload == updated.to_dict()
    assert payload["place"] == "EHPAD Les Tilleuls, Saint-Flour" and payload["version"] == 2


def test_update_validates_the_merged_session(journal):
    session = sessions.add_session(journal, good(), now=NOW)
    for changes in ({"participants": -1}, {"started_at": "2026-11-26T14:00"}, {"bogus": 1}, {"id": "other"}):
        with pytest.raises(JournalError):
            sessions.update_session(journal, session.id, changes, now=LATER)
    assert sessions.get_session(journal, session.id) == session
    assert len(events(journal)) == 1


def test_update_without_change_writes_nothing(journal):
    session = sessions.add_session(journal, good(), now=NOW)
    same = sessions.update_session(journal, session.id, {"place": " EHPAD Les Tilleuls,  Saint-Flour"}, now=LATER)
    assert same == session
    assert len(events(journal)) == 1


def test_update_unknown_session(journal):
    with pytest.raises(JournalError, match="no such session"):
        sessions.update_session(journal, "nope", {"participants": 1}, now=NOW)


def test_delete_is_a_tombstone(journal):
    kept = sessions.add_session(journal, good(), now=NOW)
    gone = sessions.add_session(journal, good(activity="jeux vidéo"), now=NOW)
    deleted = sessions.delete_session(journal, gone.id, now=LATER)
    assert deleted.deleted and deleted.version == 2
    assert journal.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2  # never erased
    assert [s.id for s in sessions.list_sessions(journal)] == [kept.id]
    assert [s.id for s in sessions.list_sessions(journal, include_deleted=True)] == [kept.id, gone.id]
    assert sessions.get_session(journal, gone.id).deleted
    rows = events(journal)
    assert [(r[1], r[2]) for r in rows] == [
        ("session.created", kept.id),
        ("session.created", gone.id),
        ("session.deleted", gone.id),
    ]
    assert json.loads(rows[2][3])["deleted"] is True
    # Deleting again is a repeated tap: nothing new; a deleted session cannot be edited.
    assert sessions.delete_session(journal, gone.id, now=LATER) == deleted
    assert len(events(journal)) == 3
    with pytest.raises(JournalError, match="deleted"):
        sessions.update_session(journal, gone.id, {"participants": 1}, now=LATER)
    with pytest.raises(JournalError, match="no such session"):
        sessions.delete_session(journal, "nope", now=LATER)


def test_list_is_ordered_by_start_time_across_offsets(journal):
    late = sessions.add_session(journal, good(started_at="2026-11-26T15:00:00+01:00"), now=NOW)
    early = sessions.add_session(journal, good(started_at="2026-11-26T14:30:00+02:00"), now=NOW)  # 13:30 Paris
    assert [s.id for s in sessions.list_sessions(journal)] == [early.id, late.id]


def test_last_session_for_repeat(journal):
    assert sessions.last_session(journal) is None
    first = sessions.add_session(journal, good(), now=NOW)
    second = sessions.add_session(journal, good(started_at="2026-11-25T10:00+01:00", activity="café tablette"), now=NOW)
    assert sessions.last_session(journal) == second  # the last recorded, not the last started
    sessions.delete_session(journal, second.id, now=LATER)
    assert sessions.last_session(journal) == first
    repeated = sessions.add_session(journal, {**first.data(), "started_at": "2026-11-27T14:00+01:00"}, now=LATER)
    assert repeated.activity == first.activity and repeated.id != first.id


def test_an_exception_inside_the_transaction_leaves_nothing(journal, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(outbox, "append", boom)
    with pytest.raises(RuntimeError):
        sessions.add_session(journal, good(), now=NOW)
    assert journal.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert events(journal) == []
    assert not journal.conn.in_transaction


def test_a_failed_update_keeps_the_old_version(journal, monkeypatch):
    session = sessions.add_session(journal, good(), now=NOW)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(outbox, "append", boom)
    with pytest.raises(RuntimeError):
        sessions.update_session(journal, session.id, {"participants": 3}, now=LATER)
    with pytest.raises(RuntimeError):
        sessions.delete_session(journal, session.id, now=LATER)
    assert sessions.get_session(journal, session.id) == session
    assert len(events(journal)) == 1


def test_outbox_seq_is_gapless_over_mixed_changes(journal):
    ids = [sessions.add_session(journal, good(participants=i), now=NOW).id for i in range(5)]
    sessions.update_session(journal, ids[1], {"notes": "x"}, now=LATER)
    sessions.delete_session(journal, ids[2], now=LATER)
    seqs = [r[0] for r in events(journal)]
    assert seqs == list(range(1, 8))


def test_migrations_are_idempotent(data_dir):
    for _ in range(2):
        db = store.open_journal_db(data_dir)
        sessions_schema.migrations.apply(db)
        db.close()
    db = store.open_journal_db(data_dir)
    assert "sessions" in db.table_names()
    db.close()
