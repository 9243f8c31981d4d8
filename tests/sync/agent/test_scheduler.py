"""sync.agent.scheduler: one job at a time on one worker thread, triggers, backoff with a seeded jitter.

Time is a fake clock: the scheduler's `wait` moves it forward instead of sleeping, for a number of
jumps the test allows; after that (and whenever nothing is planned) it waits for real on the
scheduler's condition, which a trigger or stop() notifies.  Nothing here depends on how fast the
machine is: the only real waits are generous timeouts on events that normally come at once.
"""

from __future__ import annotations

import logging
import random
import threading
from pathlib import Path

import pytest

from sync.agent.bundles import BundleError
from sync.agent.round import RoundError
from sync.agent.scheduler import JITTER, SyncScheduler, SyncStatus, backoff_delay, jittered

SEED = 20240611
EVENTUALLY = 30  # seconds: a bound for things that happen at once, never reached when all is well


class FakeTime:
    """A clock for the scheduler, and its `wait`: jumps the clock `jumps` times, then waits for real."""

    def __init__(self, jumps: int = 0, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.jumps = jumps
        self.waits: list[float | None] = []

    def clock(self) -> float:
        return self.now

    def wait(self, condition: threading.Condition, timeout: float | None) -> None:
        self.waits.append(timeout)
        if timeout is not None and self.jumps > 0:
            self.jumps -= 1
            self.now += timeout
            return
        condition.wait()  # until a trigger or stop(): nothing else may wake the scheduler


class Rounds:
    """A run_round: records each call (the url and the fake time), fails or succeeds as told."""

    def __init__(self, time: FakeTime | None = None, outcomes=(), stop_after: int | None = None) -> None:
        self.time = time
        self.outcomes = list(outcomes)  # True: success; a string: RoundError(message); an exception
        self.calls: list[tuple[str | None, float | None]] = []
        self.done = threading.Semaphore(0)
        self.stop_after = stop_after
        self.scheduler: SyncScheduler | None = None

    def __call__(self, url: str | None) -> object:
        self.calls.append((url, self.time.now if self.time else None))
        outcome = self.outcomes.pop(0) if self.outcomes else True
        try:
            if outcome is True:
                return {"url": url}
            if isinstance(outcome, str):
                raise RoundError(outcome)
            raise outcome
        finally:
            if self.stop_after is not None and len(self.calls) >= self.stop_after:
                self.scheduler.stop()  # from the worker itself: it must not wait for itself
            self.done.release()

    def wait_calls(self, count: int) -> None:
        for _ in range(count):
            assert self.done.acquire(timeout=EVENTUALLY), f"only {len(self.calls)} rounds ran"


def make(rounds, time: FakeTime, **kwargs) -> SyncScheduler:
    scheduler = SyncScheduler(rounds, clock=time.clock, wait=time.wait, rng_seed=SEED, **kwargs)
    if isinstance(rounds, Rounds):
        rounds.scheduler = scheduler
    return scheduler


@pytest.fixture
def stop_later():
    started: list[SyncScheduler] = []
    yield started.append
    for scheduler in started:
        assert scheduler.stop(EVENTUALLY)


# --- the backoff -----------------------------------------------------------------------------------


def test_backoff_doubles_up_to_the_cap_with_a_seeded_jitter():
    rng = random.Random(SEED)
    delays = [backoff_delay(n, 30, 3600, rng) for n in range(1, 12)]
    nominal = [min(3600, 30 * 2 ** (n - 1)) for n in range(1, 12)]
    assert nominal[:8] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    for delay, full in zip(delays, nominal, strict=True):
        assert full * (1 - JITTER) <= delay <= full
    # the random part is the seeded generator's, in order
    replay = random.Random(SEED)
    assert delays == [full * (1 - JITTER) + replay.random() * full * JITTER for full in nominal]
    other = [backoff_delay(n, 30, 3600, random.Random(SEED + 1)) for n in range(1, 12)]
    assert other != delays
    assert backoff_delay(10_000, 30, 3600, random.Random(1)) <= 3600  # no overflow, still capped


def test_retries_follow_the_backoff_and_a_success_resets_it(stop_later):
    time = FakeTime(jumps=6)  # then the worker waits for real: the test reads the next attempt
    failures = ["Headquarters at http://hq:8470 cannot be reached (connection refused)."] * 5
    rounds = Rounds(time, failures + [True, "It failed again."])
    scheduler = make(rounds, time, hq_url_configured=True, base_delay=30, max_delay=300, period=900)
    started_at = time.now
    scheduler.start()
    stop_later(scheduler)
    rounds.wait_calls(7)
    assert scheduler.wait_idle(EVENTUALLY)

    times = [at for _, at in rounds.calls]
    assert times[0] == started_at  # start_delay 0: a first round at once
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    replay = random.Random(SEED)

    def draw(full: float) -> float:
        return full * (1 - JITTER) + replay.random() * full * JITTER

    # 5 failures (30, 60, 120, 240, then 480 capped at 300), a success (the period), a failure (30 again)
    expected = [draw(30), draw(60), draw(120), draw(240), draw(300), draw(900)]
    assert gaps == pytest.approx(expected)
    for gap, full in zip(gaps, [30, 60, 120, 240, 300, 900], strict=True):
        assert full / 2 <= gap <= full
    status = scheduler.status()
    assert status.next_attempt == pytest.approx(time.now + draw(30))
    assert status.rounds == 7 and status.successes == 1 and status.consecutive_failures == 1
    assert status.last_error == "It failed again."
    assert status.last_success == times[5]  # the fake clock did not move during the round
    assert status.last_trigger == "periodic"  # after the success; the ones after failures were retries


def test_stop_from_the_worker_itself(stop_later):
    time = FakeTime(jumps=10)
    rounds = Rounds(time, ["Down."] * 10, stop_after=3)
    scheduler = make(rounds, time, hq_url_configured=True)
    scheduler.start()
    stop_later(scheduler)
    rounds.wait_calls(3)
    assert scheduler.stop(EVENTUALLY)
    assert len(rounds.calls) == 3 and scheduler.status().next_attempt is None


def test_next_attempt_is_reported_and_a_trigger_moves_it(stop_later):
    time = FakeTime()
    rounds = Rounds(time, ["No network."])
    scheduler = make(rounds, time, hq_url_configured=True, start_delay=120, base_delay=30)
    scheduler.start()
    stop_later(scheduler)
    status = scheduler.status()
    assert status.started and status.next_attempt == time.now + 120 and status.rounds == 0
    scheduler.sync_now()
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    status = scheduler.status()
    expected = random.Random(SEED).random() * 30 * JITTER + 30 * (1 - JITTER)
    assert status.next_attempt == pytest.approx(time.now + expected)
    assert status.last_error == "No network." and status.failing and status.last_trigger == "sync_now"


def test_without_a_configured_address_only_triggers_start_rounds(stop_later):
    time = FakeTime(jumps=5)
    rounds = Rounds(time, ["Not there."])
    scheduler = make(rounds, time, hq_url_configured=False)
    scheduler.start()
    stop_later(scheduler)
    scheduler.sync_now()
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    assert scheduler.status().next_attempt is None
    assert all(timeout is None for timeout in time.waits)  # never a timed wait
    assert len(rounds.calls) == 1


# --- one job at a time ----------------------------------------------------------------------------


class Blocking:
    """A run_round that waits until the test lets it finish; counts how many run at once."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Semaphore(0)
        self.urls: list[str | None] = []
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()

    def __call__(self, url):
        with self.lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        self.urls.append(url)
        self.entered.release()
        assert self.release.acquire(timeout=EVENTUALLY)
        with self.lock:
            self.active -= 1
        return None

    def let_one_finish(self) -> None:
        self.release.release()

    def wait_entered(self) -> None:
        assert self.entered.acquire(timeout=EVENTUALLY), "no round started"


def test_triggers_during_a_round_queue_exactly_one_more(stop_later):
    time = FakeTime()
    work = Blocking()
    scheduler = make(work, time)
    scheduler.start()
    stop_later(scheduler)
    scheduler.sync_now()
    work.wait_entered()
    assert scheduler.status().running == "round" and not scheduler.status().queued

    scheduler.link_up("wlan0")
    scheduler.sync_now()
    scheduler.hq_found("http://127.0.0.1:8470")
    scheduler.link_up()
    scheduler.sync_now()
    assert scheduler.status().queued

    work.let_one_finish()
    work.wait_entered()  # the queued round
    assert scheduler.status().last_trigger == "link_up, sync_now, hq_found"
    assert not scheduler.status().queued
    work.let_one_finish()
    assert scheduler.wait_idle(EVENTUALLY)
    assert work.urls == [None, "http://127.0.0.1:8470"]
    assert work.most_active == 1
    assert scheduler.status().rounds == 2 and not work.entered.acquire(timeout=0)


def test_triggers_before_start_run_once_after_it(stop_later):
    time = FakeTime()
    rounds = Rounds(time)
    scheduler = make(rounds, time)
    scheduler.link_up()
    scheduler.sync_now()
    assert scheduler.status().queued and not scheduler.status().started
    scheduler.start()
    stop_later(scheduler)
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    assert len(rounds.calls) == 1 and scheduler.status().last_trigger == "link_up, sync_now"


def test_a_found_address_is_kept_while_it_works(stop_later):
    time = FakeTime()
    rounds = Rounds(time, [True, True, "Headquarters at http://10.0.0.5:8470 cannot be reached.", True])
    scheduler = make(rounds, time)
    scheduler.start()
    stop_later(scheduler)
    scheduler.hq_found("http://10.0.0.5:8470")  # never contacted: run_round is the test's
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    assert scheduler.status().hq_url == "http://10.0.0.5:8470"
    for _ in range(3):
        scheduler.sync_now()
        rounds.wait_calls(1)
        assert scheduler.wait_idle(EVENTUALLY)
    # the third round, with the found address, failed: the fourth goes to the enrolled address
    assert [url for url, _ in rounds.calls] == [
        "http://10.0.0.5:8470",
        "http://10.0.0.5:8470",
        "http://10.0.0.5:8470",
        None,
    ]
    assert scheduler.status().hq_url is None


# --- sticks ---------------------------------------------------------------------------------------


def test_a_stick_goes_before_the_waiting_round_on_the_same_thread(stop_later, tmp_path):
    time = FakeTime()
    work = Blocking()
    order: list[str] = []
    threads: set[str] = set()

    def on_stick(path: Path):
        threads.add(threading.current_thread().name)
        order.append(f"stick {path.name}")
        if path.name == "bad":
            raise BundleError("This bundle is for another bus (Bus 2); nothing was changed.")
        return "imported"

    def run_round(url):
        threads.add(threading.current_thread().name)
        order.append("round")
        return work(url)

    scheduler = make(run_round, time, on_stick=on_stick)
    scheduler.start()
    stop_later(scheduler)
    scheduler.sync_now()
    work.wait_entered()
    scheduler.sync_now()
    scheduler.stick_mounted(tmp_path / "good")
    scheduler.stick_mounted(tmp_path / "good")  # the same stick twice: once
    assert scheduler.status().sticks_waiting == 1
    work.let_one_finish()
    work.wait_entered()
    outcome = scheduler.status().last_stick
    assert outcome.path == str(tmp_path / "good") and outcome.ok and outcome.result == "imported"
    scheduler.stick_mounted(tmp_path / "bad")
    work.let_one_finish()
    assert scheduler.wait_idle(EVENTUALLY)
    assert order == ["round", "stick good", "round", "stick bad"]
    assert threads == {"numeribus-sync"}
    outcome = scheduler.status().last_stick
    assert not outcome.ok and outcome.error == "This bundle is for another bus (Bus 2); nothing was changed."


def test_a_stick_without_a_handler_is_ignored(tmp_path, caplog):
    time = FakeTime()
    rounds = Rounds(time)
    scheduler = make(rounds, time)
    scheduler.stick_mounted(tmp_path)
    assert scheduler.status().sticks_waiting == 0
    assert "nothing to do with sticks" in caplog.text


# --- results, errors, status -------------------------------------------------------------------------


class Report:
    def __init__(self, ok: bool, error: str | None) -> None:
        self.ok = ok
        self.error = error


def test_a_result_that_is_not_ok_is_a_failure(stop_later):
    time = FakeTime()
    report = Report(False, "The catalogue needs a full download (a snapshot), deferred on this link.")
    scheduler = make(lambda url: report, time)
    scheduler.start()
    stop_later(scheduler)
    scheduler.sync_now()
    assert scheduler.wait_idle(EVENTUALLY)
    status = scheduler.status()
    assert status.failing and status.last_result is report and status.successes == 0
    assert status.last_error == report.error and status.last_success is None


def test_a_round_error_keeps_its_report_and_a_bug_does_not_stop_the_worker(stop_later, caplog):
    time = FakeTime()
    report = Report(False, "cut")
    error = RoundError("Headquarters at http://hq cannot be reached.", report)
    rounds = Rounds(time, [error, ZeroDivisionError("division by zero"), True])
    scheduler = make(rounds, time)
    scheduler.start()
    stop_later(scheduler)
    scheduler.sync_now()
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    assert scheduler.status().last_result is report
    assert "Traceback" not in caplog.text  # an expected failure: its message only
    with caplog.at_level(logging.ERROR, logger="sync.agent.scheduler"):
        scheduler.sync_now()
        rounds.wait_calls(1)
        assert scheduler.wait_idle(EVENTUALLY)
    status = scheduler.status()
    assert (
        status.last_error
        == "The sync round failed because of an unexpected error (ZeroDivisionError: division by zero)."
    )
    assert "Traceback" in caplog.text  # a bug goes to the log whole
    scheduler.sync_now()
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    status = scheduler.status()
    assert status.rounds == 3 and status.successes == 1 and not status.failing
    assert status.last_error.startswith("The sync round failed")  # kept, with its time, after a success
    assert status.last_success == time.now and status.last_error_at == time.now


def test_on_status_sees_every_step(stop_later):
    time = FakeTime()
    seen: list[SyncStatus] = []
    rounds = Rounds(time, ["Down."])
    scheduler = make(rounds, time, on_status=seen.append)
    scheduler.start()
    stop_later(scheduler)
    scheduler.sync_now()
    rounds.wait_calls(1)
    assert scheduler.wait_idle(EVENTUALLY)
    running = [status for status in seen if status.running == "round"]
    assert running and running[0].last_trigger == "sync_now" and running[0].rounds == 0
    assert any(status.queued for status in seen)
    assert seen[-1].running is None and seen[-1].rounds == 1 and seen[-1].last_error == "Down."


# --- stop ------------------------------------------------------------------------------------------


def test_stop_while_waiting_ends_the_thread():
    time = FakeTime()
    scheduler = make(Rounds(time), time, hq_url_configured=True, start_delay=3600)
    scheduler.start()
    assert scheduler.status().started
    assert scheduler.stop(EVENTUALLY)
    status = scheduler.status()
    assert not status.started and status.next_attempt is None and status.rounds == 0
    scheduler.sync_now()  # after stop: ignored
    assert not scheduler.status().queued
    assert scheduler.stop(EVENTUALLY)  # twice is harmless
    with pytest.raises(RuntimeError, match="already started"):
        scheduler.start()


def test_stop_lets_the_running_round_end_and_drops_the_queued_one():
    time = FakeTime()
    work = Blocking()
    scheduler = make(work, time, hq_url_configured=True)
    scheduler.start()
    work.wait_entered()  # the first round, at start
    scheduler.sync_now()
    scheduler.stick_mounted("/media/kiosk/CLE")  # no stick handler: ignored
    assert scheduler.status().queued

    stopped = threading.Event()

    def stop():
        scheduler.stop()
        stopped.set()

    stopper = threading.Thread(target=stop)
    stopper.start()
    assert not stopped.wait(0.05)  # stop() waits for the running round
    work.let_one_finish()
    assert stopped.wait(EVENTUALLY)
    stopper.join()
    assert work.urls == [None] and not work.entered.acquire(timeout=0)
    status = scheduler.status()
    assert status.rounds == 1 and not status.queued and not status.started and status.next_attempt is None


def test_bad_delays_are_refused():
    with pytest.raises(ValueError):
        SyncScheduler(print, base_delay=0)
    with pytest.raises(ValueError):
        SyncScheduler(print, base_delay=60, max_delay=30)


def test_jitter_stays_within_its_share():
    rng = random.Random(SEED)
    for _ in range(200):
        assert 450 <= jittered(900, rng) <= 900
