"""A hypothesis stateful test over everything a bus and headquarters do (issue 6, item 6).

One real headquarters (`sync.server`, served by uvicorn on 127.0.0.1) and one bus data directory
enrolled at it for real.  Hypothesis interleaves, in any order:

- the bus records events with the kiosk's own journal code: sessions (added, updated, deleted),
  visitors' document requests and volunteer offers (with names and contacts), opinions;
- headquarters publishes: catalogue records edited, deleted, restored or added (a CSV import),
  passages and workshops put or withdrawn, mediators' lists; it sometimes rebuilds its snapshot
  or purges its tombstones (which sends a bus behind them back to the snapshot);
- a network round (`sync_once`), clean, or through the seeded fault proxy (tests/sync/faultproxy.py:
  requests and answers cut, answers lost after headquarters committed, delays, throttling), where a
  `RoundError` is fine;
- a USB exchange: the bus writes its events to a stick, headquarters imports any bundle written so
  far (again, or an older one after a newer one); headquarters writes a bundle for the bus, the bus
  imports any bundle written so far (duplicated, replayed, reordered: the outcome is predicted
  from the bundle's versions and checked); a copy with one bit flipped in one member is refused
  with nothing changed, on either side.

After every step (`check`):

- headquarters holds each (device, seq) once, with the hash the bus wrote; every event it holds is
  one the bus recorded; the bus marks sent only events headquarters holds;
- a visitor's name and contact are on the bus exactly while the bus does not know headquarters
  holds them (and then headquarters has them);
- the bus's catalogue version never goes down, except through a snapshot applied in that step;
- the bus never holds half a catalogue: every entity it holds is a value headquarters published, and
  every entity whose last change is at or below the bus's version is exactly that on the bus; after
  a round that completed, the bus holds headquarters' state; after a bundle applied, exactly
  headquarters' state at the bundle's version.

At the end of each example, one clean round converges: headquarters holds exactly the bus's events
(seq and hash), all acknowledged, and the bus's catalogue, schedule, agenda and lists are
headquarters'.

The machine reuses the reliability bench (`test_reliability.Bench`: what each side holds and its
checks) and the bundle helpers of `test_bundles`.  Deterministic (``derandomize``, no example
database), about 15 s; locally, ``NUMERIBUS_STATEFUL_EXAMPLES`` and ``NUMERIBUS_STATEFUL_STEPS``
run more and longer examples, ``NUMERIBUS_STATEFUL_SHRINK=1`` shrinks a failure (slow).  The test
prints what the steps did (``pytest -s``).

The two tests at the end reproduce, step by step, the bugs the machine found (expected to fail
until they are fixed).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes as bus_changes
from numeribus_kiosk.catalogue.schedule import WORKSHOP_KINDS, Passage, Workshop, upcoming_workshops
from numeribus_kiosk.journal import sessions
from numeribus_kiosk.mediator.lists import MediatorLists
from sync import protocol
from sync.agent import bundles
from sync.agent.round import RoundError, sync_once
from sync.server import bundles as hq_bundles
from sync.server import catalogue, publish, snapshots
from sync.server import schedule as hq_schedule
from sync.server.app import create_app
from sync.server.config import HQConfig
from sync.server.database import hq_path
from sync.server.state import HQ
from tests.sync.agent.round_helpers import RequestLog, catalogue_csv, enrol_bus, hq_events, publish_catalogue
from tests.sync.agent.test_bundles import Bus, bus_state, flip_bit, rewrite_member, table_rows
from tests.sync.agent.test_reliability import MIXED, Bench, _diff, entity_digest
from tests.sync.bus_journal import NOW, BusJournal
from tests.sync.faultproxy import FaultProxy
from tests.sync.live import serve_in_thread
from tests.sync.signing import Clock

CHUNK_BYTES = 4 * 1024  # a snapshot of a few chunks: faults fall between and inside them
RECORDS = 45  # records LOI0001.. at first (every third has a copy on board)
MAX_REMOVED = 12  # so that copies on board and off board always remain
BUS_NAME = "Bus Forez"
EXAMPLES = int(os.environ.get("NUMERIBUS_STATEFUL_EXAMPLES", "12"))
STEPS = int(os.environ.get("NUMERIBUS_STATEFUL_STEPS", "25"))

COMMUNES = ("Noirétable", "Feurs", "Boën-sur-Lignon", "Saint-Just-en-Chevalet")
MEDIATORS = ("Camille", "Jules", "Inès", "Malik", "Rose")
PAGE_LIMITS = st.sampled_from([7, 40, 1000])
# The reliability test's mixed faults, twice as often: about half the exchanges meet one.
FAULTS = replace(MIXED, passthrough=MIXED.passthrough / 2)
PICKS = st.integers(0, 5)  # which bundle a stick carries: 0 the newest, 1 the one before... (replays, reorders)
OUTCOMES: Counter[str] = Counter()  # what the steps did, printed at the end of the test


@dataclass
class StatefulBench(Bench):
    """The reliability bench, with the agenda's workshops compared too."""

    workshops: dict[str, Workshop] = field(default_factory=dict)

    def bus_catalogue(self):
        version, held, flags = super().bus_catalogue()
        db = store.open_catalogue_db(self.bus_dir)
        try:
            for workshop in upcoming_workshops(db, date(1900, 1, 1)):
                held[("workshop", workshop.id)] = entity_digest("workshop", workshop.to_dict())
        finally:
            db.close()
        return version, held, flags

    def check_equal_at(self, version: int) -> None:
        """The bus says it holds `version` and holds exactly headquarters' published state at it."""
        held_version, held, flags = self.bus_catalogue()
        self.note_history()
        assert held_version == version
        expected = self.state_at(version)
        assert held == expected, _diff(held, expected)
        assert all(on_board == expected for _, on_board, expected in flags)

    def import_records(self) -> None:
        """Headquarters imports its catalogue again (no snapshot built: the latest one gets older)."""
        self.imports += 1
        path = self.work / f"catalogue-{self.imports}.csv"
        path.write_text(catalogue_csv(self.records, changed=self.titles, skip=self.removed), encoding="utf-8")
        catalogue.import_catalogue(self.hq.db(), [path], self.hq.now())
        self.note_history()


def archive(path: Path, folder: Path) -> Path:
    """A copy of a bundle the stick carried, kept under its own name in a folder of its own."""
    folder.mkdir(parents=True)
    return Path(shutil.copy2(path, folder / path.name))


def members(path: Path) -> list[str]:
    with tarfile.open(path) as tar:
        return sorted(info.name for info in tar if info.size > 0)


class BusAndHeadquarters(RuleBasedStateMachine):
    root: Path  # where the examples' folders go (set by the test)

    def __init__(self) -> None:
        super().__init__()
        self.stack = contextlib.ExitStack()
        try:
            self.folder = Path(tempfile.mkdtemp(prefix="example-", dir=self.root))
            hq = HQ(self.folder / "hq", clock=Clock(), config=HQConfig(chunk_bytes=CHUNK_BYTES))
            self.stack.callback(hq.close)
            self.url = self.stack.enter_context(serve_in_thread(create_app(hq)))
            bus_dir = self.folder / "bus"
            journal = BusJournal(bus_dir)
            self.stack.callback(journal.close)
            work = self.folder / "work"
            work.mkdir()
            self.bench = StatefulBench(hq, journal, bus_dir, work, random.Random(0), records=RECORDS)
            self.bench.device_id = enrol_bus(hq, self.url, bus_dir, BUS_NAME).device_id
            self.bench.publish_catalogue()
        except BaseException:
            self.stack.close()
            raise
        self.files = 0
        self.to_hq_files: list[Path] = []  # every bundle the bus wrote (a copy of each)
        self.to_bus_files: list[Path] = []  # every bundle headquarters wrote for the bus
        self.on_the_stick: Path | None = None  # the last one it wrote on the stick of `usb_trip`
        self.moment = NOW
        self.visitors = 0
        self.personal: dict[tuple[str, str], tuple[str, str]] = {}  # (table, id) -> the visitor's (name, contact)
        self.version = 0  # the bus's catalogue version after the last step
        self.snapshot_applied = False  # in this step

    # --- helpers ---

    @property
    def hq(self) -> HQ:
        return self.bench.hq

    @property
    def journal(self) -> BusJournal:
        return self.bench.bus

    def new_folder(self, what: str) -> Path:
        self.files += 1
        return self.folder / "files" / f"{self.files:03d}-{what}"

    def tick(self):
        self.moment += timedelta(minutes=7)
        return self.moment

    def bus_version(self) -> int:
        db = store.open_catalogue_db(self.bench.bus_dir)
        try:
            return bus_changes.sync_version(db)
        finally:
            db.close()

    def after_round(self, report) -> None:
        """What a round's report (None: a round that failed before it had one) says was done."""
        self.check_purged_from_files(report)
        download = report.download if report is not None else None
        if download is not None and download.snapshot is not None and download.snapshot.applied:
            self.snapshot_applied = True

    # --- the bus records ---

    def recorded(self) -> None:
        db = self.journal.db
        for table in ("requests", "volunteer_offers"):
            for entity_id, name, contact in db.execute(f"SELECT id, name, contact FROM {table}"):
                self.personal.setdefault((table, entity_id), (name, contact))
        self.bench.events_recorded = db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    @rule()
    def bus_serves_a_stop(self):
        """A stop of the bus: a session, a visitor's document request, an opinion.  (Hypothesis favours
        the rules without arguments, this one first, in the order of their names.)"""
        self.journal.add_session(now=self.tick())
        self.bus_records_visitors(["request"])
        self.journal.add_feedback(now=self.tick())
        self.recorded()

    @rule(
        kinds=st.lists(
            st.sampled_from(["session", "session changed", "session deleted", "opinion"]), min_size=1, max_size=5
        ),
        participants=st.integers(8, 30),
    )
    def bus_records_sessions(self, kinds, participants):
        """Sessions added, changed, deleted (participants_by_age of `session_data` counts 8); opinions."""
        db = self.journal.db
        for kind in kinds:
            now = self.tick()
            live = [row[0] for row in db.execute("SELECT id FROM sessions WHERE deleted = 0 ORDER BY id")]
            if kind == "session" or (kind != "opinion" and not live):
                self.journal.add_session(now=now, participants=participants)
            elif kind == "session changed":
                sessions.update_session(db, live[participants % len(live)], {"participants": participants}, now=now)
            elif kind == "session deleted":
                sessions.delete_session(db, live[participants % len(live)], now=now)
            else:
                self.journal.add_feedback(score=1 + participants % 5, now=now)
        self.recorded()

    @rule(kinds=st.lists(st.sampled_from(["request", "volunteer"]), min_size=1, max_size=3))
    def bus_records_visitors(self, kinds):
        """Document requests and volunteer offers: a name and a contact each, unique to find them anywhere."""
        for kind in kinds:
            self.visitors += 1
            n = self.visitors
            if kind == "request":
                self.journal.add_request(f"Visiteuse-{n:03d} Zélie", f"06 77 {n:03d} 11 22", now=self.tick())
            else:
                self.journal.add_offer(f"Bénévole-{n:03d} Jean", f"benevole-{n:03d}@example.org", now=self.tick())
        self.recorded()

    # --- headquarters publishes ---

    @rule(
        edit=st.lists(st.integers(1, RECORDS + 20), max_size=8, unique=True),
        delete=st.lists(st.integers(1, RECORDS + 20), max_size=4, unique=True),
        restore=st.booleans(),
        add=st.integers(0, 6),
        tag=st.integers(0, 99),
    )
    def hq_changes_catalogue(self, edit, delete, restore, add, tag):
        """Titles edited, records deleted (at most MAX_REMOVED at a time), restored or added; imported again."""
        bench = self.bench
        for number in edit:
            if number <= bench.records:
                bench.titles[number] = f"Titre révisé {tag}-{number}"
        if restore:
            bench.removed.clear()
        for number in delete:
            if len(bench.removed) < MAX_REMOVED:
                bench.removed.add(number)
        bench.records += add
        bench.import_records()

    @rule(
        what=st.sampled_from(["passage", "workshop", "withdraw passage", "withdraw workshop"]),
        number=st.integers(1, 4),
        day=st.integers(0, 90),
        variant=st.integers(0, 99),
    )
    def hq_changes_schedule(self, what, number, day, variant):
        db, now, bench = self.hq.db(), self.hq.now(), self.bench
        when = date(2026, 12, 1) + timedelta(days=day)
        commune = COMMUNES[variant % len(COMMUNES)]
        if what == "passage":
            passage = Passage(f"p{number}", when, clock_time(9, 30), clock_time(12, 0), commune)
            bench.passages[passage.id] = passage
            hq_schedule.put_passage(db, passage, now)
        elif what == "workshop":
            kind = WORKSHOP_KINDS[variant % len(WORKSHOP_KINDS)]
            title = f"Atelier {kind} n° {number}"
            start, end = clock_time(14, 0), clock_time(16, 0)
            workshop = Workshop(f"w{number}", when, start, end, commune, "Médiathèque", kind, title, seats=variant % 13)
            bench.workshops[workshop.id] = workshop
            hq_schedule.put_workshop(db, workshop, now)
        elif what == "withdraw passage":
            withdrawn = hq_schedule.delete_passage(db, f"p{number}", now)
            assert withdrawn == (bench.passages.pop(f"p{number}", None) is not None)
        else:
            withdrawn = hq_schedule.delete_workshop(db, f"w{number}", now)
            assert withdrawn == (bench.workshops.pop(f"w{number}", None) is not None)
        bench.note_history()

    @rule(mediators=st.lists(st.sampled_from(MEDIATORS), min_size=1, max_size=4, unique=True))
    def hq_publishes_lists(self, mediators):
        publish.publish_lists(self.hq.db(), MediatorLists(mediators=tuple(sorted(mediators))), self.hq.now())
        self.bench.note_history()

    @rule(build_snapshot=st.booleans(), purge_tombstones=st.booleans())
    def hq_housekeeping(self, build_snapshot, purge_tombstones):
        """Headquarters rebuilds its snapshot (else the latest one gets older), purges its tombstones
        (a bus behind them must start again from a snapshot)."""
        if build_snapshot:
            snapshot = snapshots.build_snapshot(self.hq.db(), self.hq.now(), CHUNK_BYTES)
            assert snapshot.version == publish.current_version(self.hq.db())
            OUTCOMES["hq snapshot built"] += 1
        if purge_tombstones:
            OUTCOMES["hq tombstones purged"] += self.bench.forget_tombstones()

    # --- the network ---

    @rule(page_limit=PAGE_LIMITS)
    def round_clean(self, page_limit):
        report = sync_once(self.bench.bus_dir, hq_url=self.url, page_limit=page_limit)
        self.after_round(report)
        assert report.ok, report.error
        self.bench.check_all_done()
        OUTCOMES["clean round" + (" with a snapshot" if self.snapshot_applied else "")] += 1

    @rule(seed=st.integers(0, 2**32 - 1), page_limit=PAGE_LIMITS)
    def round_with_faults(self, seed, page_limit):
        port = int(self.url.rsplit(":", 1)[1])
        with FaultProxy("127.0.0.1", port, seed, faults=FAULTS) as proxy:
            try:
                report = sync_once(self.bench.bus_dir, hq_url=proxy.url, page_limit=page_limit, timeout=(5.0, 20.0))
            except RoundError as exc:
                message = str(exc)
                assert message and "\n" not in message and "Traceback" not in message
                OUTCOMES["faulty round failed"] += 1
                self.after_round(exc.report)  # what the upload did; a download that failed has no report:
                manifests = [e for e in proxy.log if e.request_line.startswith("GET /api/v1/snapshot ")]
                self.snapshot_applied = self.snapshot_applied or bool(manifests)  # a snapshot may have been applied
            else:
                self.after_round(report)
                assert report.ok, report.error
                self.bench.check_all_done()
                OUTCOMES["faulty round completed"] += 1
        assert proxy.errors == []
        OUTCOMES["faults injected"] += proxy.faults()

    # --- the USB stick: the bus's bundles to headquarters ---

    def bus_export(self, stick: Path | None = None) -> Path | None:
        """The bus writes its waiting events to a stick (a new one by default); the bundle (a copy), or
        None when nothing waits."""
        before = bus_state(self.bench.bus_dir)
        pending = self.journal.pending()
        if stick is None:
            stick = self.new_folder("stick")
            stick.mkdir(parents=True)
        result = bundles.export_bundle(self.bench.bus_dir, stick)
        assert bus_state(self.bench.bus_dir) == before  # nothing is marked sent: the stick may be lost
        if not pending:
            assert result.path is None
            OUTCOMES["bus export: nothing waiting"] += 1
            return None
        first, last = pending[0]["seq"], pending[-1]["seq"]
        assert (result.first_seq, result.last_seq, result.events) == (first, last, len(pending))
        assert result.catalogue_version == self.bus_version()
        OUTCOMES["bus export"] += 1
        path = archive(result.path, self.new_folder("to-hq"))
        self.to_hq_files.append(path)
        return path

    def hq_import(self, path: Path) -> None:
        """Headquarters imports a bus's bundle: stored once, duplicates recognised, nothing held changed."""
        before = hq_events(self.hq, self.bench.device_id)
        result = hq_bundles.import_bundle(self.hq, path)
        assert result.status == "imported" and result.device_id == self.bench.device_id
        counts = result.counts
        assert counts["stored"] + counts["duplicate"] == result.events
        assert counts["quarantined"] == counts["conflict"] == 0
        held = hq_events(self.hq, self.bench.device_id)
        assert {seq: held[seq] for seq in before} == before  # what was held stays as it was
        assert len(held) == len(before) + counts["stored"]
        assert result.acknowledged == max(held, default=0)
        OUTCOMES["hq import: " + ("new events" if counts["stored"] else "duplicates only")] += 1

    @rule()
    def usb_bus_exports(self):
        self.bus_export()

    @precondition(lambda self: self.to_hq_files)
    @rule(pick=PICKS)
    def usb_hq_imports(self, pick):
        self.hq_import(self.to_hq_files[-1 - pick % len(self.to_hq_files)])

    # --- the USB stick: headquarters' bundles to the bus ---

    def hq_export(self, stick: Path | None = None) -> Path:
        result = hq_bundles.export_bundle(self.hq, BUS_NAME, stick or self.new_folder("stick"))
        self.bench.note_history()  # the bus's configuration may have been published first
        OUTCOMES["hq export: " + ("snapshot" if result.snapshot_version is not None else "changes")] += 1
        path = archive(result.path, self.new_folder("to-bus"))
        self.to_bus_files.append(path)
        return path

    def bus_import(self, path: Path, source: Path | None = None) -> str:
        """The bus imports a bundle of headquarters (`path`, or the stick `source` where it lies); the
        outcome is the one its versions call for."""
        manifest = protocol.read_bundle_manifest(path)
        held = self.bus_version()
        to_version = manifest["to_version"]
        if to_version < held:
            expected = "older"
        elif to_version == held:
            expected = "already_applied"
        elif "snapshot" in manifest or manifest["from_version"] <= held:
            expected = "applied"
        else:
            expected = "gap"
        before = bus_state(self.bench.bus_dir)
        OUTCOMES[f"bus import: {expected}"] += 1
        try:
            result = bundles.import_bundle(self.bench.bus_dir, source or path)
        except bundles.BundleError as exc:
            outcome = "gap" if "a bundle in between is missing" in str(exc) else "older"
            assert outcome == expected, (expected, str(exc))
            assert "older than what the bus holds" in str(exc) or outcome == "gap"
            assert bus_state(self.bench.bus_dir) == before
            return outcome
        assert result.status == expected, (expected, result.to_dict())
        if result.status == "already_applied":
            assert bus_state(self.bench.bus_dir)[0] == before[0]  # the catalogue did not change
            assert result.version == held
        else:
            self.snapshot_applied = self.snapshot_applied or result.snapshot_version is not None
            self.bench.check_equal_at(to_version)
        if manifest.get("acknowledged") is not None:
            waiting = {seq for seq, (_, ack) in self.bench.outbox().items() if not ack}
            assert not {seq for seq in waiting if seq <= manifest["acknowledged"]}
        return result.status

    @rule()
    def usb_hq_exports(self):
        self.hq_export()

    @precondition(lambda self: self.to_bus_files)
    @rule(pick=PICKS)
    def usb_bus_imports(self, pick):
        self.bus_import(self.to_bus_files[-1 - pick % len(self.to_bus_files)])

    @rule()
    def usb_trip(self):
        """A mediator's round trip with the same stick every time.

        At the bus: the bus imports the newest bundle for it on the stick (written at headquarters'
        last visit: since overtaken by a network round, perhaps), and the one before by mistake, then
        writes its events on it.  At headquarters: every bundle of the stick is imported (those of
        earlier trips again), and a new bundle for the bus is written on it."""
        stick = self.folder / "the stick"
        if stick.exists():
            newest = bundles.find_bundle(stick, self.bench.device_id)
            assert newest.name == self.on_the_stick.name  # the bundle headquarters wrote there last time
            OUTCOMES["usb trip: " + self.bus_import(newest, source=stick)] += 1
            earlier = sorted(newest.parent.glob("*.nbundle"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))[:-1]
            if earlier:  # a bundle of an earlier trip, still on the stick, imported again by mistake
                OUTCOMES["usb trip, an earlier bundle again: " + self.bus_import(earlier[-1])] += 1
        else:
            stick.mkdir()
        self.bus_export(stick)
        held = len(hq_events(self.hq, self.bench.device_id))
        results = hq_bundles.import_bundles(self.hq, [stick]) if (stick / "numeribus" / "to-hq").exists() else []
        assert all(r.status == "imported" and r.counts["quarantined"] == r.counts["conflict"] == 0 for r in results)
        assert sum(r.counts["stored"] for r in results) == len(hq_events(self.hq, self.bench.device_id)) - held
        OUTCOMES["usb trip: bundles headquarters imported from the stick"] += len(results)
        self.on_the_stick = self.hq_export(stick)

    # --- one bit flipped: refused whole, nothing changed ---

    @precondition(lambda self: self.to_bus_files)
    @rule(pick=PICKS, which=st.integers(0, 20), position=st.integers(0, 999))
    def usb_bus_refuses_a_bit_flipped(self, pick, which, position):
        bundle = self.to_bus_files[-1 - pick % len(self.to_bus_files)]
        names = members(bundle)
        spoilt = archive(bundle, self.new_folder("spoilt-to-bus"))
        rewrite_member(spoilt, names[which % len(names)], lambda data: flip_bit(data, position / 1000))
        before = bus_state(self.bench.bus_dir)
        try:
            bundles.import_bundle(self.bench.bus_dir, spoilt)
        except bundles.BundleError as exc:
            assert "\n" not in str(exc)
        else:
            raise AssertionError(f"a bundle with a bit flipped in {names[which % len(names)]} was accepted")
        assert bus_state(self.bench.bus_dir) == before
        OUTCOMES["bit flipped: refused by the bus"] += 1

    @precondition(lambda self: self.to_hq_files)
    @rule(pick=PICKS, which=st.integers(0, 20), position=st.integers(0, 999))
    def usb_hq_refuses_a_bit_flipped(self, pick, which, position):
        bundle = self.to_hq_files[-1 - pick % len(self.to_hq_files)]
        names = members(bundle)
        spoilt = archive(bundle, self.new_folder("spoilt-to-hq"))
        rewrite_member(spoilt, names[which % len(names)], lambda data: flip_bit(data, position / 1000))
        before = table_rows(hq_path(self.hq.data_dir))
        try:
            hq_bundles.import_bundle(self.hq, spoilt)
        except hq_bundles.BundleError as exc:
            assert "\n" not in str(exc)
        else:
            raise AssertionError(f"a bundle with a bit flipped in {names[which % len(names)]} was accepted")
        assert table_rows(hq_path(self.hq.data_dir)) == before
        OUTCOMES["bit flipped: refused by headquarters"] += 1

    # --- after every step ---

    @invariant()
    def check(self):
        OUTCOMES["checks"] += 1
        bench = self.bench
        bench.check_events_consistent()
        rows, distinct = (
            self.hq.db().execute("SELECT count(*), count(DISTINCT device_id || ':' || seq) FROM events").fetchone()
        )
        assert rows == distinct == len(hq_events(self.hq, bench.device_id)), "an event held twice, or another bus's"
        self.check_personal_data()
        version = self.bus_version()
        assert version >= self.version or self.snapshot_applied, f"version {self.version} -> {version}"
        OUTCOMES["catalogue version down, through a snapshot"] += version < self.version
        self.version, self.snapshot_applied = version, False
        bench.check_catalogue_consistent()

    def check_personal_data(self) -> list[tuple[str, str]]:
        """A visitor's name and contact stay on the bus exactly until the bus knows headquarters holds
        them; the (name, contact) of those deleted."""
        bus_db, hq_db = self.journal.db, self.hq.db()
        deleted = []
        for (table, entity_id), (name, contact) in self.personal.items():
            kind = "request.created" if table == "requests" else "volunteer.created"
            acknowledged, payload = bus_db.execute(
                "SELECT acknowledged, payload FROM outbox WHERE kind = ? AND entity_id = ?", [kind, entity_id]
            ).fetchone()
            row = bus_db.execute(
                f"SELECT name, contact, personal_data_deleted FROM {table} WHERE id = ?", [entity_id]
            ).fetchone()
            if acknowledged:
                assert tuple(row) == ("", "", 1), f"{table} {entity_id}: personal data kept after the acknowledgement"
                assert name not in payload and contact not in payload
                hq_table = "requests" if table == "requests" else "volunteers"
                held = hq_db.execute(
                    f"SELECT name, contact FROM {hq_table} WHERE device_id = ? AND id = ?",
                    [self.bench.device_id, entity_id],
                ).fetchone()
                assert held is not None and tuple(held) == (name, contact), "deleted on the bus, not held at HQ"
                deleted.append((name, contact))
            else:
                assert tuple(row) == (name, contact, 0), f"{table} {entity_id}: personal data lost before HQ held it"
        return deleted

    def check_purged_from_files(self, report) -> None:
        """After an upload that deleted personal data (and checkpointed the journal), no deleted name or
        contact is left in journal.db or its WAL, although the kiosk's connection is still open."""
        if report is None or report.upload is None or not report.upload.purged:
            return
        raw = b"".join(path.read_bytes() for path in sorted(self.bench.bus_dir.glob("journal.db*")))
        for name, contact in self.check_personal_data():
            assert name.encode() not in raw and contact.encode() not in raw, "a deleted name is still in the files"
        OUTCOMES["uploads that deleted personal data, checked in the files"] += 1

    def teardown(self) -> None:
        try:
            self.bench.events_recorded = self.journal.db.execute("SELECT count(*) FROM outbox").fetchone()[0]
            report = sync_once(self.bench.bus_dir, hq_url=self.url)
            assert report.ok, report.error
            self.bench.check_all_done()
            self.check_personal_data()
            OUTCOMES["examples converged"] += 1
        finally:
            self.stack.close()
            shutil.rmtree(self.folder, ignore_errors=True)


SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    # Shrinking replays steps of real rounds (a fraction of a second each) for many minutes; a failure
    # prints its whole sequence of steps anyway.  NUMERIBUS_STATEFUL_SHRINK=1 shrinks it (locally).
    phases=tuple(Phase) if os.environ.get("NUMERIBUS_STATEFUL_SHRINK") else (Phase.explicit, Phase.generate),
)


def test_a_bus_and_headquarters_stay_consistent_whatever_happens(tmp_path):
    machine = type("Machine", (BusAndHeadquarters,), {"root": tmp_path})
    OUTCOMES.clear()
    run_state_machine_as_test(machine, settings=SETTINGS)
    print(", ".join(f"{what}: {count}" for what, count in sorted(OUTCOMES.items())))
    # the machine did what it is there for (a change that made its rules idle would show here)
    assert OUTCOMES["examples converged"] >= EXAMPLES
    assert OUTCOMES["checks"] >= EXAMPLES * STEPS // 2
    for outcome in (
        "faulty round failed",
        "faulty round completed",
        "bus import: applied",
        "bus import: already_applied",
        "bus import: older",
        "usb trip: bundles headquarters imported from the stick",
        "bit flipped: refused by the bus",
        "bit flipped: refused by headquarters",
        "uploads that deleted personal data, checked in the files",
    ):
        assert OUTCOMES[outcome] > 0, f"no step did this: {outcome}"


# --- what the machine found ------------------------------------------------------------------------


def test_a_snapshot_download_overtaken_by_a_usb_bundle_is_not_left_on_the_bus(tmp_path, hq):
    log = RequestLog(create_app(hq))
    with serve_in_thread(log) as url:
        bus_dir = tmp_path / "bus"
        enrol_bus(hq, url, bus_dir, BUS_NAME)
        publish_catalogue(hq, tmp_path / "csv", catalogue_csv(RECORDS))
        # the first chunk of the snapshot: half its answer, then the connection breaks
        log.cut("/api/v1/snapshot/chunks/", 1)
        with pytest.raises(RoundError, match="broke during the snapshot download"):
            sync_once(bus_dir, hq_url=url)
        assert list((bus_dir / "sync").glob("snapshot-*/*.part"))  # kept, for the next round to resume
        # no network for a while: a mediator brings the catalogue on a stick
        applied = bundles.import_bundle(bus_dir, hq_bundles.export_bundle(hq, BUS_NAME, tmp_path / "stick").path)
        assert applied.status == "applied" and applied.version == publish.current_version(hq.db())
        report = sync_once(bus_dir, hq_url=url)  # the network again: nothing left to download
        assert report.ok and report.download.snapshot is None
    assert sorted(p.name for p in (bus_dir / "sync").glob("snapshot-*")) == []


def test_names_a_usb_bundle_acknowledges_leave_the_journal_files(tmp_path, hq, client):
    publish_catalogue(hq, tmp_path / "csv", catalogue_csv(RECORDS))
    bus = Bus(tmp_path / "bus", client, hq)  # its journal stays open, as in the running kiosk
    try:
        bus.journal.add_request(name="Zoé Martin-Forez", contact="06 98 76 54 32")
        bus.journal.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # the request is in journal.db itself
        stick = tmp_path / "stick"
        stick.mkdir()
        hq_bundles.import_bundle(hq, bundles.export_bundle(bus.data_dir, stick).path)
        result = bundles.import_bundle(bus.data_dir, hq_bundles.export_bundle(hq, bus.name, stick).path)
        assert result.acknowledged == 1 and result.personal_data_purged == 1
        row = bus.journal.db.execute("SELECT name, contact, personal_data_deleted FROM requests").fetchone()
        assert tuple(row) == ("", "", 1)
        kept = [
            p.name for p in sorted(bus.data_dir.glob("journal.db*")) if "Zoé Martin-Forez".encode() in p.read_bytes()
        ]
        assert kept == []
    finally:
        bus.close()
