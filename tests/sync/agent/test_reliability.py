"""Reliability of the sync round (issue 6, item 6): the real agent against the real headquarters
(uvicorn on 127.0.0.1) through the fault proxy (tests/sync/faultproxy.py), with seeded faults.

A bus is enrolled for real, its journal records events with the kiosk's own journal code, and
headquarters publishes a catalogue (records with copies on and off the bus, passages), then
changes it between rounds.  Rounds go through a proxy that cuts requests and answers, drops
answers after headquarters committed (lost acknowledgements), delays and throttles.  A failed
round raises `RoundError` and must leave everything consistent; after every round:

- what the bus marked acknowledged, headquarters holds with the same hash, and headquarters
  holds nothing the bus did not write (no event invented, none doubled: (device, seq) is unique
  and its hash is the bus's);
- the bus's catalogue is exactly headquarters' published state at the version the bus says it
  holds (never half a page, never half a snapshot).

Then one clean round, and headquarters holds exactly the bus's events, the outbox is all
acknowledged, and the bus's catalogue equals headquarters' live entities.  The same after the
real `numeribus-kiosk sync --once` killed with SIGKILL at seeded points (a power cut), and with
the bus's clock at 1970 or two years ahead of headquarters'.
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes as bus_changes
from numeribus_kiosk.catalogue import index, schema
from numeribus_kiosk.catalogue.record import ReaderOptions, Record
from numeribus_kiosk.catalogue.schedule import Passage, upcoming_passages
from numeribus_kiosk.journal import sessions
from numeribus_kiosk.mediator.lists import MediatorLists
from sync.agent.round import RoundError, RoundReport, sync_once
from sync.server import catalogue, publish, snapshots
from sync.server import schedule as hq_schedule
from sync.server.config import HQConfig
from sync.server.state import HQ
from tests.sync.agent.round_helpers import catalogue_csv, enrol_bus, hq_events
from tests.sync.bus_journal import PARIS
from tests.sync.faultproxy import (
    CUT_RESPONSE,
    HOLD_PHASES,
    KINDS,
    LOSE_ANSWER,
    THROTTLE,
    FaultPlan,
    FaultProxy,
)

ROOT = Path(__file__).resolve().parents[3]
CHUNK_BYTES = 16 * 1024  # small snapshot chunks: several per snapshot, so that cuts fall between and inside them
PAGE_LIMIT = 40  # small pages of changes: a round applies several, a fault can fall between two


@pytest.fixture
def hq(tmp_path: Path, hq_clock):
    service = HQ(tmp_path / "hq", clock=hq_clock, config=HQConfig(chunk_bytes=CHUNK_BYTES))
    try:
        yield service
    finally:
        service.close()


# --- the bench: a bus, headquarters, and what each holds ------------------------------------------


def normalised_record(data: dict) -> str:
    """A record's content hash with the on-board flags cleared (each bus computes its own)."""
    record = Record.from_dict(data)
    copies = tuple(replace(copy, on_board=False) for copy in record.copies)
    return replace(record, copies=copies).content_hash()


def entity_digest(kind: str, data: dict) -> str:
    if kind == "record":
        return normalised_record(data)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@dataclass
class Bench:
    hq: HQ
    bus: object  # tests.sync.bus_journal.BusJournal, on bus_dir's journal.db
    bus_dir: Path
    work: Path
    rng: random.Random
    device_id: str = ""
    records: int = 120
    titles: dict[int, str] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    passages: dict[str, Passage] = field(default_factory=dict)
    history: set[tuple[str, str, str, int, bool, str | None]] = field(default_factory=set)
    imports: int = 0
    events_recorded: int = 0

    # --- headquarters publishes ---

    def publish_catalogue(self) -> None:
        self.imports += 1
        path = self.work / f"catalogue-{self.imports}.csv"
        path.write_text(catalogue_csv(self.records, changed=self.titles, skip=self.removed), encoding="utf-8")
        db, now = self.hq.db(), self.hq.now()
        catalogue.import_catalogue(db, [path], now)
        for passage in self.passages.values():
            hq_schedule.put_passage(db, passage, now)
        publish.refresh_configuration(self.hq)  # the lists, as headquarters does after an import
        snapshots.build_snapshot(db, now, CHUNK_BYTES)
        self.note_history()

    def change_catalogue(self) -> None:
        """A seeded change at headquarters: titles changed, records added or removed, passages, lists."""
        rng = self.rng
        if rng.random() < 0.3:
            mediators = tuple(sorted(rng.sample(["Camille", "Jules", "Inès", "Malik", "Rose"], rng.randint(1, 4))))
            publish.publish_lists(self.hq.db(), MediatorLists(mediators=mediators), self.hq.now())
        for number in rng.sample(range(1, self.records + 1), rng.randint(1, 60)):
            self.titles[number] = f"Titre révisé {self.imports}-{number} {rng.randint(0, 999)}"
        if rng.random() < 0.5:
            self.removed |= set(rng.sample(range(1, self.records + 1), rng.randint(1, 6)))
        if rng.random() < 0.5:
            self.removed -= set(rng.sample(sorted(self.removed), min(len(self.removed), 2)))
        if rng.random() < 0.5:
            self.records += rng.randint(1, 30)
        day = date(2026, 12, 1) + timedelta(days=rng.randint(0, 60))
        passage_id = f"p{rng.randint(1, 8)}"
        if passage_id in self.passages and rng.random() < 0.3:
            del self.passages[passage_id]
            hq_schedule.delete_passage(self.hq.db(), passage_id, self.hq.now())
        else:
            self.passages[passage_id] = Passage(
                passage_id, day, clock_time(9, 30), clock_time(12, 0), rng.choice(["Noirétable", "Feurs", "Boën"])
            )
        self.publish_catalogue()

    def forget_tombstones(self) -> int:
        """Headquarters purges its tombstones (as after 90 days): a bus behind them needs the snapshot again."""
        purged = publish.purge_tombstones(self.hq.db(), self.hq.now() + timedelta(seconds=1))
        self.note_history()
        return purged

    def note_history(self) -> None:
        """Every (entity, version) headquarters ever published, read from its change log now."""
        rows = self.hq.db().execute("SELECT kind, key, scope, version, deleted, data FROM changes").fetchall()
        for kind, key, scope, version, deleted, data in rows:
            digest = None if deleted else entity_digest(kind, json.loads(data))
            self.history.add((kind, key, scope, version, bool(deleted), digest))

    def state_at(self, version: int) -> dict[tuple[str, str], str]:
        """Headquarters' published state at `version`, for this bus: {(kind, key): digest}."""
        latest: dict[tuple[str, str], tuple[int, bool, str | None]] = {}
        for kind, key, scope, v, deleted, digest in self.history:
            if v > version or scope not in ("", self.device_id):
                continue
            if (kind, key) not in latest or latest[(kind, key)][0] < v:
                latest[(kind, key)] = (v, deleted, digest)
        return {entity: digest for entity, (_, deleted, digest) in latest.items() if not deleted}

    def hq_state(self) -> dict[tuple[str, str], str]:
        self.note_history()
        return self.state_at(1 << 62)

    # --- the bus records ---

    def record_events(self, count: int) -> None:
        rng = self.rng
        day = datetime(2026, 11, 26, 9, 0, tzinfo=PARIS) + timedelta(minutes=self.events_recorded)
        for _ in range(count):
            roll = rng.random()
            if roll < 0.55:
                self.bus.add_session(now=day, participants=rng.randint(8, 20))
            elif roll < 0.7:
                self.bus.add_request(name=f"Visiteur {rng.randint(1, 99)}", contact="06 00 00 00 00", now=day)
            elif roll < 0.8:
                self.bus.add_feedback(score=rng.randint(1, 5), now=day)
            elif roll < 0.85:
                self.bus.add_offer(now=day)
            else:
                rows = self.bus.db.execute("SELECT id FROM sessions WHERE deleted = 0").fetchall()
                if rows:
                    session_id = rng.choice(rows)[0]
                    if rng.random() < 0.8:
                        sessions.update_session(self.bus.db, session_id, {"participants": rng.randint(8, 20)}, now=day)
                    else:
                        sessions.delete_session(self.bus.db, session_id, now=day)
                else:
                    self.bus.add_session(now=day)
        self.events_recorded = self.bus.db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    # --- what each side holds ---

    def outbox(self) -> dict[int, tuple[str, bool]]:
        rows = self.bus.db.execute("SELECT seq, hash, acknowledged FROM outbox").fetchall()
        return {seq: (hash_, bool(acknowledged)) for seq, hash_, acknowledged in rows}

    def bus_catalogue(self) -> tuple[int, dict[tuple[str, str], str], list[tuple[str, bool, bool]]]:
        """(sync_version, {(kind, key): digest}, [(location, on_board, expected on_board)])."""
        db = store.open_catalogue_db(self.bus_dir)
        try:
            version = bus_changes.sync_version(db)
            held: dict[tuple[str, str], str] = {}
            flags = []
            columns = ", ".join(schema.RECORD_COLUMNS)
            board = ReaderOptions(bus_locations=frozenset(bus_changes.effective_bus_locations(db)))
            for row in db.conn.execute(f"SELECT {columns} FROM {schema.RECORDS}"):
                record = index.row_to_record(row)
                held[("record", record.id)] = normalised_record(record.to_dict())
                on_board = json.loads(row[schema.RECORD_COLUMNS.index("copies")])
                flags += [(c["location"], c["on_board"], board.is_on_board(c["location"])) for c in on_board]
            for passage in upcoming_passages(db, date(1900, 1, 1)):
                held[("passage", passage.id)] = entity_digest("passage", passage.to_dict())
            for name, items in bus_changes.published_lists(db).items():
                held[("list", name)] = entity_digest("list", {"items": items})
            config = bus_changes.published_device_config(db)
            if config is not None:
                held[("device", "config")] = entity_digest("device", config)
            return version, held, flags
        finally:
            db.conn.close()

    # --- the invariants ---

    def check_events_consistent(self) -> None:
        """Acknowledged on the bus => held by headquarters, same hash; headquarters holds nothing else."""
        outbox = self.outbox()
        held = hq_events(self.hq, self.device_id)
        assert set(held) <= set(outbox), "headquarters holds events the bus never wrote"
        assert {seq: h for seq, (h, _, _) in held.items()} == {seq: outbox[seq][0] for seq in held}
        acknowledged = {seq for seq, (_, ack) in outbox.items() if ack}
        assert acknowledged <= set(held), "the bus marked sent events headquarters does not hold"
        assert sorted(held) == list(range(1, len(held) + 1)), "headquarters' events are not contiguous"
        assert {status for _, status, _ in held.values()} <= {"stored"}

    def check_catalogue_consistent(self) -> int:
        """The bus's catalogue is consistent with the version it says it holds; that version.

        Headquarters' change log keeps one row per entity (its last change), so between two pages
        the bus holds no past state of headquarters as a whole: an entity changed again after the
        bus's cursor comes later.  What must hold at any time (even right after a SIGKILL):

        - every entity on the bus is a value headquarters published for it at some point (nothing
          invented, nothing half-written);
        - every entity whose last change at headquarters is at or below the bus's version is
          exactly that on the bus (a tombstone: absent): the version is never claimed too early;
        - each copy's on-board flag follows the bus's locations.
        """
        version, held, flags = self.bus_catalogue()
        self.note_history()
        published: dict[tuple[str, str], set[str | None]] = {}
        for kind, key, scope, _, _, digest in self.history:
            if scope in ("", self.device_id):
                published.setdefault((kind, key), set()).add(digest)
        strays = {entity for entity, digest in held.items() if digest not in published.get(entity, set())}
        assert not strays, f"the bus holds values headquarters never published: {sorted(strays)[:5]}"
        wrong = []
        for entity, (last, deleted, digest) in self.last_changes().items():
            if last <= version and held.get(entity) != (None if deleted else digest):
                wrong.append((entity, last))
        assert not wrong, f"at version {version}, the bus misses what headquarters changed at or before it: {wrong[:5]}"
        assert all(on_board == expected for _, on_board, expected in flags)
        return version

    def last_changes(self) -> dict[tuple[str, str], tuple[int, bool, str | None]]:
        """Each entity's last change (tombstones purged since included): {(kind, key): (version, deleted, digest)}."""
        last: dict[tuple[str, str], tuple[int, bool, str | None]] = {}
        for kind, key, scope, version, deleted, digest in self.history:
            if scope in ("", self.device_id) and ((kind, key) not in last or last[(kind, key)][0] < version):
                last[(kind, key)] = (version, deleted, digest)
        return last

    def check_catalogue_equal(self) -> None:
        """The bus holds headquarters' latest version, and exactly its live entities."""
        version, held, flags = self.bus_catalogue()
        # current_version, not the highest version left in the log: the newest changes may have
        # been tombstones purged since
        assert version == publish.current_version(self.hq.db())
        expected = self.hq_state()
        assert held == expected, _diff(held, expected)
        assert all(on_board == expected for _, on_board, expected in flags)
        assert any(on_board for _, on_board, _ in flags) and not all(on_board for _, on_board, _ in flags)

    def check_all_done(self) -> None:
        """After a clean round: exactly the bus's events at headquarters, the same catalogue."""
        outbox = self.outbox()
        held = hq_events(self.hq, self.device_id)
        assert {seq: h for seq, (h, _, _) in held.items()} == {seq: h for seq, (h, _) in outbox.items()}
        assert len(outbox) == self.events_recorded
        count = self.hq.db().execute("SELECT count(*) FROM events WHERE device_id = ?", [self.device_id]).fetchone()
        assert count[0] == len(outbox)  # no duplicate row
        assert all(ack for _, ack in outbox.values()), "events left unacknowledged after a clean round"
        self.check_catalogue_equal()
        for table in ("requests", "volunteer_offers"):  # headquarters holds them: the bus keeps no names
            kept = self.bus.db.execute(f"SELECT count(*) FROM {table} WHERE personal_data_deleted = 0").fetchone()[0]
            assert kept == 0, f"{table}: personal data kept after the acknowledgement"
        leftovers = sorted(p.name for p in (self.bus_dir / "sync").glob("snapshot-*"))
        assert leftovers == [], f"snapshot downloads left behind: {leftovers}"


def _diff(held: dict, expected: dict) -> str:
    """What differs between two states, in a few words (for assertion messages)."""
    extra = sorted(set(held) - set(expected))
    missing = sorted(set(expected) - set(held))
    changed = sorted(k for k in set(held) & set(expected) if held[k] != expected[k])
    return f"on the bus only: {extra[:5]} ({len(extra)}); missing: {missing[:5]} ({len(missing)}); " + (
        f"different: {changed[:5]} ({len(changed)})"
    )


@pytest.fixture
def bench(live_hq, hq, bus, tmp_path) -> Bench:
    bus_dir = tmp_path / "bus"  # the `bus` fixture's folder
    work = tmp_path / "work"
    work.mkdir()
    made = Bench(hq, bus, bus_dir, work, random.Random(0))
    made.device_id = enrol_bus(hq, live_hq.url, bus_dir).device_id
    return made


def run_round(bench: Bench, url: str, **kwargs) -> RoundReport | RoundError:
    try:
        return sync_once(bench.bus_dir, hq_url=url, page_limit=PAGE_LIMIT, **kwargs)
    except RoundError as exc:
        return exc


def lost_acknowledgements(proxy: FaultProxy) -> list:
    """Event batches headquarters committed (it answered 200) whose answer never reached the bus whole."""
    return [
        e
        for e in proxy.log
        if e.is_for("POST", "/api/v1/events") and e.kind in (CUT_RESPONSE, LOSE_ANSWER) and e.status == 200
    ]


MIXED = FaultPlan(
    passthrough=8.0,
    cut_request=1.0,
    cut_response=1.0,
    delay=1.0,
    throttle=1.0,
    lose_answer=1.0,
    max_delay=0.02,
    piece_bytes=2048,
    piece_pause=0.0005,
)


# --- many rounds with faults, then a clean one ---------------------------------------------------


@pytest.mark.parametrize("seed", [20261126, 5])
def test_many_faulty_rounds_then_a_clean_one(bench, live_hq, seed, caplog):
    """30 rounds through the mixed fault plan, with new events and headquarters' changes between
    them (and tombstones purged, which sends the bus back to the snapshot); every round leaves
    both sides consistent; after a clean round, exactly once and equal."""
    caplog.set_level(logging.DEBUG)
    bench.rng.seed(seed)
    bench.publish_catalogue()
    bench.record_events(620)  # more than one batch (500) waits at the first round
    outcomes = []
    purged = 0
    with FaultProxy("127.0.0.1", live_hq.port, seed, faults=MIXED) as proxy:
        for _ in range(30):
            result = run_round(bench, proxy.url)
            outcomes.append("ok" if isinstance(result, RoundReport) and result.ok else "failed")
            if isinstance(result, RoundError):
                assert str(result) and "Traceback" not in str(result)
            bench.check_events_consistent()
            bench.check_catalogue_consistent()
            if outcomes[-1] == "ok":
                bench.check_catalogue_equal()
            if bench.rng.random() < 0.7:
                bench.record_events(bench.rng.randint(1, 60))
            if bench.rng.random() < 0.4:
                bench.change_catalogue()
            if bench.rng.random() < 0.1:
                purged += bench.forget_tombstones()
    assert proxy.errors == []
    faults = {kind: proxy.counts[kind] for kind in KINDS}
    lost_acks = lost_acknowledgements(proxy)
    snapshot_requests = [e for e in proxy.log if e.request_line.startswith("GET /api/v1/snapshot ")]
    chunks_broken = [
        e for e in proxy.log if e.is_for("GET", "/api/v1/snapshot/chunks/") and e.kind in (CUT_RESPONSE, LOSE_ANSWER)
    ]
    print(
        f"seed {seed}: {outcomes.count('ok')} rounds ok, {outcomes.count('failed')} failed; "
        f"{proxy.counts['exchanges']} exchanges; faults {faults}; {len(lost_acks)} event batches committed "
        f"whose answer was lost; {len(chunks_broken)} snapshot chunk answers broken; "
        f"{bench.imports} catalogue imports; {purged} tombstones purged; {bench.events_recorded} events; "
        f"{len(snapshot_requests)} snapshot manifests asked"
    )
    # the seed makes every kind of fault happen, lost acknowledgements included
    assert all(faults[kind] > 0 for kind in KINDS)
    assert lost_acks and chunks_broken
    assert 0 < outcomes.count("failed") < 30

    final = run_round(bench, live_hq.url)
    assert isinstance(final, RoundReport) and final.ok, final
    bench.check_all_done()
    assert "upload: " in caplog.text  # the agent's log was captured...
    for personal in ("Visiteur", "06 00 00", "Jean Dupont", "jean@example.org"):  # ... without visitors' data
        assert personal not in caplog.text


# --- the bench's own checks can fail ------------------------------------------------------------


def test_the_checks_catch_what_they_are_for(bench, live_hq):
    """Each check of the bench fails on the state it is there to catch (so that a passing
    reliability test means something)."""
    bench.rng.seed(1)
    bench.publish_catalogue()
    bench.record_events(30)
    assert sync_once(bench.bus_dir, hq_url=live_hq.url).ok
    bench.check_all_done()

    # the bus marks sent an event headquarters never got
    bench.record_events(3)
    newest = max(bench.outbox())
    bench.bus.db.execute("UPDATE outbox SET acknowledged = 1 WHERE seq = ?", [newest])
    with pytest.raises(AssertionError, match="does not hold"):
        bench.check_events_consistent()
    bench.bus.db.execute("UPDATE outbox SET acknowledged = 0 WHERE seq = ?", [newest])
    bench.check_events_consistent()
    with pytest.raises(AssertionError):  # events wait: not all done
        bench.check_all_done()

    # headquarters holds an event twice under another number, or with another content
    hq_db = bench.hq.db()
    with hq_db.conn:
        hq_db.execute("UPDATE events SET hash = 'x' WHERE device_id = ? AND seq = 1", [bench.device_id])
    with pytest.raises(AssertionError):
        bench.check_events_consistent()

    # the bus's catalogue: a record no headquarters published; a version claimed too early
    db = store.open_catalogue_db(bench.bus_dir)
    try:
        record = index.row_to_record(
            db.conn.execute(f"SELECT {', '.join(schema.RECORD_COLUMNS)} FROM {schema.RECORDS} LIMIT 1").fetchone()
        )
        index.upsert(db, replace(record, title="Un titre que le siège n'a jamais publié"))
        with pytest.raises(AssertionError, match="never published"):
            bench.check_catalogue_consistent()
        index.upsert(db, record)
        bench.check_catalogue_consistent()
        bench.change_catalogue()
        latest = bench.hq.db().execute("SELECT max(version) FROM changes").fetchone()[0]
        with db.conn:
            db.conn.execute(f"UPDATE [{schema.META}] SET value = ? WHERE key = 'sync_version'", [str(latest)])
        with pytest.raises(AssertionError, match="misses what headquarters changed"):
            bench.check_catalogue_consistent()
    finally:
        db.conn.close()


# --- lost acknowledgements ------------------------------------------------------------------------


def test_lost_acknowledgements_are_retried_as_duplicates(bench, live_hq):
    """Headquarters commits a batch, then its answer is lost (dropped whole, or cut): the next
    round sends the same events again, with new ones; headquarters recognises the retries
    ((device, seq, hash)) and holds every event once, stored when it first came."""
    seed = 606
    bench.rng.seed(seed)
    bench.publish_catalogue()
    plan = FaultPlan(passthrough=1.0, lose_answer=2.0, cut_response=1.0, only=("POST /api/v1/events",))
    first_seen: dict[int, str] = {}
    with FaultProxy("127.0.0.1", live_hq.port, seed, faults=plan) as proxy:
        for _ in range(12):
            bench.record_events(bench.rng.randint(5, 40))
            run_round(bench, proxy.url)
            bench.check_events_consistent()
            for seq, received_at in bench.hq.db().execute(
                "SELECT seq, received_at FROM events WHERE device_id = ?", [bench.device_id]
            ):
                first_seen.setdefault(seq, received_at)
    lost = lost_acknowledgements(proxy)
    waiting = {seq for seq, (_, ack) in bench.outbox().items() if not ack}
    held_unknown = waiting & set(hq_events(bench.hq, bench.device_id))
    uploads = [e for e in proxy.log if e.is_for("POST", "/api/v1/events")]
    print(
        f"seed {seed}: {len(lost)} acknowledgements lost of {len(uploads)} uploads; faults "
        f"{ {kind: proxy.counts[kind] for kind in KINDS} }; {len(held_unknown)} events held but not known held"
    )
    assert len(lost) >= 3 and held_unknown  # headquarters holds events the bus still believes unsent

    report = sync_once(bench.bus_dir, hq_url=live_hq.url)
    assert report.ok and report.upload.conflicts == [] and report.upload.quarantined == []
    assert report.upload.sent >= len(held_unknown)  # the retries went up again...
    bench.check_all_done()  # ... and are held once
    received = dict(
        bench.hq.db().execute("SELECT seq, received_at FROM events WHERE device_id = ?", [bench.device_id]).fetchall()
    )
    assert {seq: received[seq] for seq in first_seen} == first_seen  # a retry rewrote nothing
    sessions_at_hq = (
        bench.hq.db().execute("SELECT count(*) FROM sessions WHERE device_id = ?", [bench.device_id]).fetchone()[0]
    )
    assert sessions_at_hq == bench.bus.db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    requests_at_hq = (
        bench.hq.db().execute("SELECT count(*) FROM requests WHERE device_id = ?", [bench.device_id]).fetchone()[0]
    )
    assert requests_at_hq == bench.bus.db.execute("SELECT count(*) FROM requests").fetchone()[0]


# --- the bus's clock --------------------------------------------------------------------------------


@pytest.mark.parametrize("bus_clock", ["1970", "two years ahead"])
def test_a_wrong_bus_clock_is_corrected_by_headquarters_time(bench, live_hq, hq_clock, bus_clock):
    """A bus whose clock says 1970 (a flat battery) or two years ahead: its first request of each
    round is refused ``stale_request`` with headquarters' time, signed; the round learns the offset
    and completes.

    `sync_once` signs with the machine's clock (it has no clock parameter), so the bus's clock is
    set relative to headquarters by moving headquarters' clock: what headquarters sees, and what
    the bus corrects, is the same difference."""
    real_now = datetime.now(UTC)
    if bus_clock == "1970":
        hq_clock.set(real_now + (real_now - datetime(1970, 1, 1, tzinfo=UTC)))  # the bus is as far behind
    else:
        hq_clock.set(real_now - timedelta(days=2 * 365))
    bench.rng.seed(1970)
    bench.publish_catalogue()
    with FaultProxy("127.0.0.1", live_hq.port, 1970) as proxy:
        for round_number in range(1, 4):
            bench.record_events(25 * round_number)
            report = sync_once(bench.bus_dir, hq_url=proxy.url)
            assert report.ok
            assert proxy.statuses[401] == round_number  # one stale_request per round (a new client each time)
            bench.check_all_done()
            bench.change_catalogue()
    assert proxy.statuses[200] > 3
    stale = [e for e in proxy.log if e.status == 401]
    assert all(e.request_line.startswith("POST /api/v1/events ") for e in stale)  # the first request of each round


# --- SIGKILL: a power cut in the middle of a round -------------------------------------------------


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def run_agent(bench: Bench, url: str) -> subprocess.Popen:
    """`numeribus-kiosk --data-dir BUS sync --once --hq URL` in its own process."""
    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_DATA_DIR"}
    command = [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(bench.bus_dir), "sync", "--once"]
    return subprocess.Popen(
        [*command, "--hq", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )


def fewest_requests(bench: Bench) -> int:
    """The fewest requests the next round makes: its upload batches, then at least one page, and
    first the snapshot (its manifest, and the shared chunks not yet on the bus) for a bus without one."""
    pending = sum(1 for _, ack in bench.outbox().values() if not ack)
    count = -(-pending // 500) + 1
    version, _, _ = bench.bus_catalogue()
    if version == 0:
        row = bench.hq.db().execute("SELECT chunks FROM snapshots ORDER BY version DESC LIMIT 1").fetchone()
        on_disk = {path.name.removesuffix(".gz") for path in (bench.bus_dir / "sync").glob("snapshot-*/*.gz")}
        count += 1 + sum(1 for chunk in json.loads(row[0]) if chunk["sha256"] not in on_disk)
    return count


@pytest.mark.slow
def test_sigkill_of_the_agent_at_seeded_points(bench, live_hq):
    """The real `numeribus-kiosk sync --once` through a throttled proxy, killed with SIGKILL (a
    power cut) at seeded points, ten times, with new events and catalogue changes in between:

    - "held" kills: the proxy stops the k-th request of the run at a phase (half the request sent;
      headquarters answered but nothing of the answer reached the bus; half the answer received)
      and the agent is killed there: known points of the protocol, whatever the machine's speed;
    - "timer" kills: a seeded pause after the k-th request arrived: anywhere, local work included
      (writing a chunk, applying a page or a snapshot, marking events sent).

    After every kill both databases pass SQLite's integrity check and are consistent; after one
    clean round, headquarters holds exactly the bus's events and the catalogues are equal."""
    seed = 4242
    bench.rng.seed(seed)
    bench.publish_catalogue()
    bench.record_events(1100)  # three batches at the first run
    plan = FaultPlan.only_kind(THROTTLE, piece_bytes=4096, piece_pause=0.002)
    schedule = random.Random(seed)
    outcomes = []
    with FaultProxy("127.0.0.1", live_hq.port, seed, faults=plan) as proxy:
        for _ in range(12):
            bench.record_events(schedule.randint(1, 600))
            first = proxy.counts["exchanges"]
            k = schedule.randint(1, fewest_requests(bench))  # the run reaches its k-th request
            held = schedule.random() < 0.6
            phase = schedule.choice(HOLD_PHASES)
            pause = schedule.uniform(0, 0.3)
            if held:
                proxy.hold_at(first + k, phase)
            process = run_agent(bench, proxy.url)
            try:
                target = first + k
                arrived = proxy.wait_held if held else lambda timeout, n=target: proxy.wait_for_exchanges(n, timeout)
                while process.poll() is None and not arrived(0.05):
                    pass
                if process.poll() is None:
                    if not held:
                        time.sleep(pause)
                    process.send_signal(signal.SIGKILL)
                _, stderr = process.communicate(timeout=120)
            finally:
                proxy.release()
                if process.poll() is None:
                    process.kill()
                    process.communicate()
            where = f"request {k} ({proxy.arrivals[min(first + k, len(proxy.arrivals)) - 1][:44]}...)"
            if process.returncode == -signal.SIGKILL:
                outcomes.append(f"killed at {where}, " + (f"held at {phase}" if held else f"{pause:.3f} s later"))
            else:
                assert process.returncode == 0 and "Traceback" not in stderr, stderr
                assert not held, f"the run ended before its request {k}, where it was to be held and killed"
                outcomes.append(f"completed within {pause:.3f} s after request {k}")
            for name in ("journal.db", "catalogue.db"):
                assert integrity(bench.bus_dir / name) == "ok"
            bench.check_events_consistent()
            bench.check_catalogue_consistent()
            if schedule.random() < 0.2:
                bench.change_catalogue()
    print(f"seed {seed}: {proxy.counts['exchanges']} requests; " + "; ".join(outcomes))
    killed = sum(outcome.startswith("killed") for outcome in outcomes)
    assert killed >= sum(" held at " in outcome for outcome in outcomes) >= 4

    report = sync_once(bench.bus_dir, hq_url=live_hq.url)
    assert report.ok
    bench.check_all_done()
