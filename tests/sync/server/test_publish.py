"""The change log (sync.server.publish): versions, hashes, tombstones, scopes, paging, purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from numeribus_kiosk.mediator.lists import MediatorLists
from sync import protocol
from sync.server import devices, publish
from sync.server.database import get_meta
from tests.sync.bus_journal import enrol_directly


@pytest.fixture
def db(hq):
    return hq.db()


def test_put_gives_rising_versions_and_nothing_for_the_same_data(hq, db):
    now = hq.now()
    assert publish.current_version(db) == 0
    first = publish.put(db, "record", "a", {"title": "Le Petit Prince"}, now)
    assert first == 1
    assert publish.put(db, "record", "a", {"title": "Le Petit Prince"}, now) is None
    assert publish.current_version(db) == 1
    second = publish.put(db, "record", "b", {"title": "Vendredi"}, now)
    third = publish.put(db, "record", "a", {"title": "Le Petit Prince (poche)"}, now)
    assert (second, third) == (2, 3)
    # one row per entity: the one of its last change
    rows = db.execute("SELECT key, version FROM changes ORDER BY version").fetchall()
    assert rows == [("b", 2), ("a", 3)]
    assert publish.get(db, "record", "a").data == {"title": "Le Petit Prince (poche)"}


def test_a_version_is_never_given_twice_even_when_the_latest_row_is_replaced(hq, db):
    now = hq.now()
    publish.put(db, "record", "a", {"n": 1}, now)
    publish.put(db, "record", "b", {"n": 1}, now)  # version 2, the highest row
    assert publish.put(db, "record", "b", {"n": 2}, now) == 3  # not 2 again
    assert publish.remove(db, "record", "b", now) == 4
    assert publish.put(db, "record", "b", {"n": 2}, now) == 5


def test_key_order_of_data_does_not_make_a_change(hq, db):
    now = hq.now()
    publish.put(db, "list", "publics", {"items": ["a"], "z": 1}, now)
    assert publish.put(db, "list", "publics", {"z": 1, "items": ["a"]}, now) is None


def test_the_hash_of_a_record_is_its_content_hash(hq, db):
    from numeribus_kiosk.catalogue.record import Author, Copy, Record

    record = Record(
        id="r1",
        title="Les Misérables",
        authors=(Author("Hugo, Victor", dates="1802-1885"),),
        copies=(Copy("NUMERIBUS", "B1", "R HUG", True),),
        subjects=("Roman",),
    )
    text, digest = publish.encode(record.to_dict())
    assert digest == record.content_hash()
    assert Record.from_dict(publish.Change(1, "record", "r1", False, text).data) == record


def test_remove_leaves_a_tombstone_once(hq, db):
    now = hq.now()
    assert publish.remove(db, "record", "nothing", now) is None
    publish.put(db, "record", "a", {"n": 1}, now)
    version = publish.remove(db, "record", "a", now)
    assert version == 2
    assert publish.remove(db, "record", "a", now) is None
    tombstone = publish.get(db, "record", "a")
    assert tombstone.deleted and tombstone.data is None and tombstone.version == 2
    assert tombstone.to_dict() == {"version": 2, "kind": "record", "key": "a", "deleted": True, "data": None}
    # the same data again after a deletion is a change
    assert publish.put(db, "record", "a", {"n": 1}, now) == 3
    assert publish.count_tombstones(db) == 0


def test_unknown_kind_and_empty_key_are_refused(hq, db):
    with pytest.raises(ValueError, match="unknown entity kind"):
        publish.put(db, "recipe", "a", {}, hq.now())
    with pytest.raises(ValueError, match="non-empty"):
        publish.put(db, "record", "", {}, hq.now())
    assert publish.current_version(db) == 0


def test_change_to_json_is_to_dict(hq, db):
    publish.put(db, "record", 'é"\\', {"title": "Ça « va »", "n": [1, None]}, hq.now())
    publish.remove(db, "record", "x", hq.now())
    entries, _, _ = publish.changes_since(db, 0, 10)
    import json

    for entry in entries:
        assert json.loads(entry.to_json()) == entry.to_dict()


def test_changes_since_pages_with_a_cursor(hq, db):
    now = hq.now()
    for n in range(10):
        publish.put(db, "record", f"r{n}", {"n": n}, now)
    page, cursor, more = publish.changes_since(db, 0, 4)
    assert [e.version for e in page] == [1, 2, 3, 4] and cursor == 4 and more
    page, cursor, more = publish.changes_since(db, cursor, 4)
    assert [e.version for e in page] == [5, 6, 7, 8] and cursor == 8 and more
    page, cursor, more = publish.changes_since(db, cursor, 4)
    assert [e.version for e in page] == [9, 10] and cursor == 10 and not more
    page, cursor, more = publish.changes_since(db, cursor, 4)
    assert page == [] and cursor == 10 and not more
    # exactly `limit` left: no "more"
    assert publish.changes_since(db, 6, 4)[1:] == (10, False)
    with pytest.raises(ValueError):
        publish.changes_since(db, 0, 0)


def test_an_entity_changed_between_pages_comes_in_a_later_page(hq, db):
    now = hq.now()
    for n in range(6):
        publish.put(db, "record", f"r{n}", {"n": n}, now)
    page, cursor, _ = publish.changes_since(db, 0, 3)
    publish.put(db, "record", "r1", {"n": "changed"}, now)  # r1 was in the first page
    publish.put(db, "record", "r4", {"n": "changed"}, now)  # r4 not yet read
    rest = []
    more = True
    while more:
        entries, cursor, more = publish.changes_since(db, cursor, 3)
        rest.extend(entries)
    state = {e.key: e.data for e in page + rest}  # applied in order
    assert state == {e.key: e.data for e in publish.live_entities(db)}
    assert [e.key for e in rest] == ["r3", "r5", "r1", "r4"]


def test_device_scope_is_seen_only_by_that_device(hq, db):
    now = hq.now()
    publish.put(db, "record", "shared", {"n": 1}, now)
    publish.put(db, "device", "config", {"name": "Bus A"}, now, scope="dev-a")
    publish.put(db, "device", "config", {"name": "Bus B"}, now, scope="dev-b")
    publish.put(db, "record", "shared2", {"n": 2}, now)
    a, cursor_a, _ = publish.changes_since(db, 0, 100, "dev-a")
    b, _, _ = publish.changes_since(db, 0, 100, "dev-b")
    anyone, _, _ = publish.changes_since(db, 0, 100)
    assert [(e.key, e.data) for e in a] == [("shared", {"n": 1}), ("config", {"name": "Bus A"}), ("shared2", {"n": 2})]
    assert [(e.key, e.data) for e in b] == [("shared", {"n": 1}), ("config", {"name": "Bus B"}), ("shared2", {"n": 2})]
    assert [e.key for e in anyone] == ["shared", "shared2"]
    assert cursor_a == 4
    # the same key in two scopes is two entities
    assert publish.remove(db, "device", "config", now, scope="dev-a") == 5
    assert publish.get(db, "device", "config", "dev-b").data == {"name": "Bus B"}


def test_the_cursor_skips_other_devices_changes_at_the_end(hq, db):
    now = hq.now()
    publish.put(db, "record", "shared", {"n": 1}, now)
    publish.put(db, "device", "config", {"name": "Bus B"}, now, scope="dev-b")
    entries, cursor, more = publish.changes_since(db, 0, 100, "dev-a")
    assert [e.version for e in entries] == [1] and cursor == 2 and not more


def test_live_entities_in_key_order_across_batches(hq, db):
    now = hq.now()
    for key in ["c", "a", "b", "e", "d"]:
        publish.put(db, "record", key, {"k": key}, now)
    publish.put(db, "passage", "p1", {"k": "p1"}, now)
    publish.put(db, "device", "config", {"k": "dev"}, now, scope="dev-a")
    publish.remove(db, "record", "d", now)
    assert [(c.kind, c.key) for c in publish.live_entities(db, batch=2)] == [
        ("passage", "p1"),
        ("record", "a"),
        ("record", "b"),
        ("record", "c"),
        ("record", "e"),
    ]
    assert [c.key for c in publish.live_entities(db, kinds=["passage"])] == ["p1"]
    assert [c.key for c in publish.live_entities(db, kinds=[])] == []
    assert [(c.kind, c.scope) for c in publish.live_entities(db, "dev-a", shared=False)] == [("device", "dev-a")]
    assert len(list(publish.live_entities(db, "dev-a", batch=1))) == 6


def test_purge_tombstones_raises_log_start(hq, hq_clock, db):
    now = hq.now()
    publish.put(db, "record", "a", {"n": 1}, now)
    publish.put(db, "record", "b", {"n": 1}, now)
    publish.remove(db, "record", "a", now)  # version 3
    hq_clock.advance(days=10)
    publish.remove(db, "record", "b", hq.now())  # version 4, recent
    assert publish.purge_tombstones(db, now + timedelta(days=1)) == 1
    assert publish.log_start(db) == 3
    assert get_meta(db, publish.LOG_START) == "3"
    assert publish.get(db, "record", "a") is None
    assert publish.get(db, "record", "b").deleted
    assert publish.purge_tombstones(db, now + timedelta(days=1)) == 0
    assert publish.current_version(db) == 4
    # the retention of the configuration
    hq_clock.advance(days=hq.config.tombstone_days + 1)
    assert publish.purge_expired_tombstones(hq) == 1
    assert publish.log_start(db) == 4
    assert publish.current_version(db) == 4  # versions keep rising after a purge
    assert publish.put(db, "record", "b", {"n": 2}, hq.now()) == 5


def test_replace_all_publishes_only_the_difference(hq, db):
    now = hq.now()

    def items(**data):
        return [(key, *publish.encode(value)) for key, value in data.items()]

    diff = publish.replace_all(db, "passage", items(a=1, b=2, c=3), now)
    assert (diff.added, diff.updated, diff.removed, diff.unchanged, diff.total) == (3, 0, 0, 0, 3)
    assert diff.changed
    version = publish.current_version(db)
    diff = publish.replace_all(db, "passage", items(a=1, b=2, c=3), now)
    assert not diff.changed and diff.unchanged == 3
    assert publish.current_version(db) == version
    diff = publish.replace_all(db, "passage", items(a=1, b=20, d=4), now)
    assert (diff.added, diff.updated, diff.removed, diff.unchanged, diff.total) == (1, 1, 1, 1, 3)
    assert publish.current_version(db) == version + 3
    assert publish.get(db, "passage", "c").deleted
    # a tombstoned key coming back is "added"
    diff = publish.replace_all(db, "passage", items(a=1, b=20, d=4, c=3), now)
    assert (diff.added, diff.unchanged) == (1, 3)
    # other kinds are not touched
    publish.put(db, "workshop", "w", {"n": 1}, now)
    publish.replace_all(db, "passage", items(a=1), now)
    assert publish.get(db, "workshop", "w").data == {"n": 1}


def test_replace_all_later_duplicate_wins(hq, db):
    items = [("a", *publish.encode(1)), ("a", *publish.encode(2))]
    diff = publish.replace_all(db, "passage", items, hq.now())
    assert diff.added == 1 and publish.get(db, "passage", "a").data == 2


def test_replace_all_refuses_nothing_and_keeps_everything(hq, db):
    publish.replace_all(db, "passage", [("a", *publish.encode(1))], hq.now())
    with pytest.raises(publish.EmptySetError):
        publish.replace_all(db, "passage", [], hq.now())
    assert publish.count_live(db, "passage") == 1
    diff = publish.replace_all(db, "passage", [], hq.now(), allow_empty=True)
    assert diff.removed == 1 and publish.count_live(db, "passage") == 0


def test_replace_all_writes_nothing_when_the_input_fails(hq, db):
    publish.replace_all(db, "record", [("a", *publish.encode(1))], hq.now())

    def broken():
        yield ("b", *publish.encode(2))
        raise OSError("the stick was pulled out")

    with pytest.raises(OSError):
        publish.replace_all(db, "record", broken(), hq.now())
    assert not db.conn.in_transaction
    assert [c.key for c in publish.live_entities(db)] == ["a"]
    assert publish.current_version(db) == 1
    # the TEMP stage was dropped
    assert not db.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'stage_%'").fetchall()


def test_batch_work_inside_one_transaction_rolls_back_together(hq, db):
    now = hq.now()
    with pytest.raises(RuntimeError), publish.write_transaction(db):
        publish.put(db, "record", "a", {"n": 1}, now)
        publish.remove(db, "record", "a", now)
        publish.replace_all(db, "passage", [("p", *publish.encode(1))], now)
        raise RuntimeError("stop")
    assert publish.current_version(db) == 0
    assert list(publish.live_entities(db)) == []
    with publish.write_transaction(db):
        publish.put(db, "record", "a", {"n": 1}, now)
        publish.replace_all(db, "passage", [("p", *publish.encode(1))], now)
    assert not db.conn.in_transaction
    assert [c.key for c in publish.live_entities(db)] == ["p", "a"]


def test_publish_lists_publishes_the_seven_lists_once(hq, db):
    lists = MediatorLists(mediators=("Camille", "Karim"))
    assert publish.publish_lists(db, lists, hq.now()) == 7
    assert publish.publish_lists(db, lists, hq.now()) == 0
    assert {c.key for c in publish.live_entities(db, kinds=["list"])} == set(publish.LIST_NAMES)
    assert publish.get(db, "list", "mediators").data == {"items": ["Camille", "Karim"]}
    assert publish.get(db, "list", "durations").data == {"items": [30, 60, 90, 120]}
    assert publish.publish_lists(db, replace(lists, mediators=("Camille",)), hq.now()) == 1


def test_device_configuration_is_published_for_its_bus_only(hq, db):
    bus = enrol_directly(hq, "Bus 1", "dev-1")
    version = publish.publish_device_config(db, bus, hq.now())
    assert version is not None
    assert publish.publish_device_config(db, bus, hq.now()) is None
    change = publish.get(db, "device", "config", scope="dev-1")
    assert change.data == {"name": "Bus 1", "bus_locations": ["NUMERIBUS"]}
    assert publish.get(db, "device", "config") is None  # not shared
    db.execute("UPDATE devices SET bus_locations = ? WHERE device_id = ?", ['["NUMERIBUS", "BUS2"]', "dev-1"])
    db.conn.commit()
    assert publish.publish_device_config(db, devices.get_device(db, "dev-1"), hq.now()) == version + 1


def test_refresh_configuration_is_idempotent(hq, db):
    enrol_directly(hq, "Bus 1", "dev-1")
    enrol_directly(hq, "Bus 2", "dev-2")
    assert publish.refresh_configuration(hq) == 7 + 2
    assert publish.refresh_configuration(hq) == 0
    assert publish.get(db, "device", "config", "dev-2").data["name"] == "Bus 2"
    assert not db.conn.in_transaction


def test_note_catalogue_version_only_rises(hq, db):
    enrol_directly(hq, "Bus 1", "dev-1")
    publish.note_catalogue_version(db, "dev-1", 12)
    publish.note_catalogue_version(db, "dev-1", 5)
    assert devices.get_device(db, "dev-1").catalogue_version == 12


def test_encode_is_canonical_json():
    text, digest = publish.encode({"b": 1, "a": "é"})
    assert text == '{"a":"é","b":1}'
    assert digest == protocol.sha256_hex(text.encode("utf-8"))
