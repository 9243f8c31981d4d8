"""When the bus syncs: one worker thread, one job at a time, fed by triggers (docs/sync-agent.md,
"When the agent syncs").  No Qt here: the kiosk's bridge calls the triggers and reads `status()`.

``SyncScheduler(run_round, *, on_stick=None, on_status=None, clock=time.time, monotonic=None,
wait=None, rng_seed=None, base_delay=30, max_delay=3600, period=900, start_delay=0,
hq_url_configured=False)``

- ``run_round(url)`` runs one sync round (`sync.agent.round.sync_once` wrapped by the caller);
  ``url`` is the address of a headquarters found on the network and verified
  (`discovery.verify_candidate`), or None for the enrolled one.  A round succeeded when it returns
  without raising and its result is not ``ok = False`` (a `RoundReport`); otherwise its error
  (the exception's message, or the result's ``error``) becomes ``status().last_error``.
- ``on_stick(path)`` handles a USB stick (import the bundles meant for this bus, write its
  pending events); it runs on the same worker thread, so a stick and a round never touch the
  databases at the same time.  Sticks go before a waiting round: the mediator is waiting to
  pull the stick out.
- Triggers, from any thread: `hq_found(url)`, `link_up(name=None)`, `stick_mounted(path)`,
  `sync_now()`.  One round runs at a time; triggers that arrive while a round runs (or before
  the worker took the previous one) queue exactly ONE more round, which carries every reason
  and the newest address found.
- With ``hq_url_configured`` (a bus that can reach headquarters over 4G), the worker also tries
  by itself: a first round ``start_delay`` seconds after `start()`, then ``period`` seconds
  after a success, and after failures with exponential backoff: ``base_delay``, twice that,
  four times... at most ``max_delay``, each with jitter (`backoff_delay`: a random part drawn
  from ``random.Random(rng_seed)``, so a seed replays the same sequence).  A success resets it.
  Any round, whatever its trigger, counts for the backoff and moves the next attempt.
- An address found on the network that gave a successful round is used by the next rounds too
  (``status().hq_url``), until a round with it fails; then rounds go back to the enrolled one.
- ``on_status(status)`` is called with a fresh `SyncStatus` after every change, from the thread
  that made it (mostly the worker): the Qt bridge turns it into a signal.
- ``clock`` gives the wall time shown in the status (seconds since 1970); ``monotonic`` times
  the waits (defaults to ``time.monotonic`` with the default clock, else to ``clock``: a test
  passes one fake clock); ``wait(condition, timeout)`` waits on the scheduler's condition (held)
  at most ``timeout`` seconds (None: until notified).  The default is ``condition.wait``; a test
  passes one that moves its fake clock instead of sleeping.

`stop(timeout=None)` lets a running job finish, drops what is queued and ends the thread.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .bundles import BundleError
from .round import RoundError

log = logging.getLogger(__name__)

JITTER = 0.5  # a delay D waits between D * (1 - JITTER) and D
EXPECTED_ERRORS = (RoundError, BundleError)  # their messages are plain sentences; anything else is a bug


def backoff_delay(failures: int, base_delay: float, max_delay: float, rng: random.Random) -> float:
    """The wait after `failures` failures in a row (>= 1): ``base_delay * 2**(failures - 1)``, at most
    `max_delay`, less a random part of up to half of it."""
    exponent = min(max(failures, 1) - 1, 64)
    return jittered(min(max_delay, base_delay * 2.0**exponent), rng)


def jittered(delay: float, rng: random.Random) -> float:
    """`delay` less a random part of up to ``JITTER`` of it: many buses do not all call at once."""
    return delay * (1 - JITTER) + rng.random() * delay * JITTER


@dataclass(frozen=True, slots=True)
class StickOutcome:
    """What the last stick job did: its folder, when it ended (wall time), its error or its result."""

    path: str
    finished_at: float
    error: str | None
    result: object = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """A snapshot of the scheduler; times are wall-clock seconds since 1970, None when never."""

    started: bool = False  # the worker runs (start() was called, stop() not yet)
    running: str | None = None  # "round" or "stick" while a job runs
    queued: bool = False  # one more round waits
    sticks_waiting: int = 0
    rounds: int = 0  # rounds finished
    successes: int = 0
    consecutive_failures: int = 0
    last_trigger: str | None = None  # why the last (or the running) round started: "sync_now, link_up"
    last_attempt: float | None = None  # when the last round started
    last_success: float | None = None  # when the last successful round ended
    last_error: str | None = None  # the last failed round's error, in plain words (kept after a success)
    last_error_at: float | None = None
    last_result: object = None  # what run_round returned last (a RoundReport), or a failure's report
    next_attempt: float | None = None  # when the worker tries by itself next; None: it waits for a trigger
    hq_url: str | None = None  # the found address rounds use; None: the enrolled one
    stick: str | None = None  # the stick folder being handled
    last_stick: StickOutcome | None = None

    @property
    def failing(self) -> bool:
        """The last round failed."""
        return self.consecutive_failures > 0


@dataclass(frozen=True, slots=True)
class _Trigger:
    reasons: tuple[str, ...]
    url: str | None = None

    def merged(self, reason: str, url: str | None) -> _Trigger:
        reasons = self.reasons if reason in self.reasons else (*self.reasons, reason)
        return _Trigger(reasons, url or self.url)


def _condition_wait(condition: threading.Condition, timeout: float | None) -> None:
    condition.wait(timeout)


class SyncScheduler:
    """Runs sync rounds and stick jobs one at a time on one worker thread (see the module's doc)."""

    def __init__(
        self,
        run_round: Callable[[str | None], object],
        *,
        on_stick: Callable[[Path], object] | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] | None = None,
        wait: Callable[[threading.Condition, float | None], object] | None = None,
        rng_seed: int | None = None,
        base_delay: float = 30.0,
        max_delay: float = 3600.0,
        period: float = 900.0,
        start_delay: float = 0.0,
        hq_url_configured: bool = False,
    ) -> None:
        if base_delay <= 0 or max_delay < base_delay or period <= 0 or start_delay < 0:
            raise ValueError("delays must be positive, with base_delay <= max_delay")
        self._run_round = run_round
        self._on_stick = on_stick
        self._on_status = on_status
        self._clock = clock
        self._monotonic = monotonic or (time.monotonic if clock is time.time else clock)
        self._wait = wait or _condition_wait
        self._rng = random.Random(rng_seed)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.period = period
        self.start_delay = start_delay
        self.hq_url_configured = hq_url_configured

        self._condition = threading.Condition()
        self._publishing = threading.Lock()  # listeners get the snapshots in the order they were taken
        self._busy = False  # a job was taken and its end is not published yet
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._queued: _Trigger | None = None
        self._sticks: deque[Path] = deque()
        self._due: float | None = None  # monotonic time of the next attempt by itself
        self._status = SyncStatus()

    # --- triggers (any thread) ---------------------------------------------------------------------

    def hq_found(self, url: str) -> None:
        """Headquarters was found on the network at `url` and proved it holds the pinned key."""
        self._trigger("hq_found", url)

    def link_up(self, name: str | None = None) -> None:
        """A network link came up (`name`: the interface, for the log)."""
        if name:
            log.info("network link %s is up: a sync round is queued", name)
        self._trigger("link_up")

    def sync_now(self) -> None:
        """ "Synchroniser maintenant"."""
        self._trigger("sync_now")

    def stick_mounted(self, path: str | Path) -> None:
        """A stick holding a ``numeribus/`` folder is mounted at `path`: `on_stick(path)` runs next."""
        path = Path(path)
        if self._on_stick is None:
            log.warning("a stick was mounted at %s, but this scheduler has nothing to do with sticks", path)
            return
        with self._condition:
            if self._stopping or path in self._sticks:
                return
            self._sticks.append(path)
            self._condition.notify_all()
        self._publish()

    def _trigger(self, reason: str, url: str | None = None) -> None:
        with self._condition:
            if self._stopping:
                return
            self._queued = _Trigger((reason,), url) if self._queued is None else self._queued.merged(reason, url)
            self._condition.notify_all()
        self._publish()

    # --- life ----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker thread (once)."""
        with self._condition:
            if self._thread is not None:
                raise RuntimeError("the sync scheduler was already started")
            if self.hq_url_configured:
                self._due = self._monotonic() + self.start_delay
            self._thread = threading.Thread(target=self._work, name="numeribus-sync", daemon=True)
            self._thread.start()
        self._publish()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop: the running job ends, nothing else starts.  True when the worker thread has ended."""
        with self._condition:
            self._stopping = True
            self._queued = None
            self._sticks.clear()
            self._due = None
            self._condition.notify_all()
            thread = self._thread
        if thread is None:
            return True
        if thread is not threading.current_thread():
            thread.join(timeout)
        self._publish()
        return not thread.is_alive()

    def __enter__(self) -> SyncScheduler:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def status(self) -> SyncStatus:
        with self._condition:
            return self._snapshot()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job runs and none waits (the next attempt by itself aside), the last one's end
        published to `on_status`; True if so."""
        with self._condition:
            return self._condition.wait_for(
                lambda: not self._busy and self._queued is None and not self._sticks, timeout
            )

    # --- the worker ----------------------------------------------------------------------------------

    def _snapshot(self) -> SyncStatus:
        next_attempt = None
        if self._due is not None:
            next_attempt = self._clock() + max(0.0, self._due - self._monotonic())
        thread = self._thread
        return replace(
            self._status,
            started=thread is not None and not self._stopping and thread.is_alive(),
            queued=self._queued is not None,
            sticks_waiting=len(self._sticks),
            next_attempt=next_attempt,
        )

    def _publish(self) -> None:
        if self._on_status is None:
            return
        with self._publishing:
            status = self.status()
            try:
                self._on_status(status)
            except Exception:
                log.exception("the sync status listener failed")

    def _next_job(self) -> tuple[str, object] | None:
        """The next job, waiting for one (the condition held); None when stopping."""
        while not self._stopping:
            if self._sticks:
                return "stick", self._sticks.popleft()
            if self._queued is not None:
                trigger, self._queued = self._queued, None
                return "round", trigger
            remaining = None
            if self._due is not None:
                remaining = self._due - self._monotonic()
                if remaining <= 0:
                    self._due = None
                    reason = "retry" if self._status.consecutive_failures else "periodic"
                    return "round", _Trigger((reason,))
            self._wait(self._condition, remaining)
        return None

    def _work(self) -> None:
        while True:
            with self._condition:
                job = self._next_job()
                if job is None:
                    self._condition.notify_all()
                    return
                kind, what = job
                self._busy = True
                if kind == "stick":
                    self._status = replace(self._status, running="stick", stick=str(what))
                else:
                    url = what.url or self._status.hq_url
                    self._status = replace(
                        self._status,
                        running="round",
                        last_trigger=", ".join(what.reasons),
                        last_attempt=self._clock(),
                    )
            self._publish()
            if kind == "stick":
                self._handle_stick(what)
            else:
                self._handle_round(url)
            self._publish()
            with self._condition:
                self._busy = False
                self._condition.notify_all()

    def _handle_stick(self, path: Path) -> None:
        result, error = None, None
        try:
            result = self._on_stick(path)
        except Exception as exc:
            error = _plain(exc, "The USB stick could not be handled")
        if error:
            log.warning("USB stick at %s: %s", path, error)
        else:
            log.info("USB stick at %s handled", path)
        with self._condition:
            outcome = StickOutcome(str(path), self._clock(), error, result)
            self._status = replace(self._status, running=None, stick=None, last_stick=outcome)

    def _handle_round(self, url: str | None) -> None:
        result, error = None, None
        try:
            result = self._run_round(url)
        except Exception as exc:
            error = _plain(exc, "The sync round failed")
            result = getattr(exc, "report", None)
        else:
            if getattr(result, "ok", True) is False:
                error = str(getattr(result, "error", None) or "The sync round did not complete.")
        with self._condition:
            now = self._clock()
            status = self._status
            if error is None:
                status = replace(
                    status,
                    successes=status.successes + 1,
                    consecutive_failures=0,
                    last_success=now,
                    hq_url=url if url else status.hq_url,
                )
                delay = jittered(self.period, self._rng)
            else:
                failures = status.consecutive_failures + 1
                status = replace(
                    status,
                    consecutive_failures=failures,
                    last_error=error,
                    last_error_at=now,
                    hq_url=None if url and url == status.hq_url else status.hq_url,
                )
                delay = backoff_delay(failures, self.base_delay, self.max_delay, self._rng)
                log.warning("sync round failed (%d in a row): %s", failures, error)
            self._status = replace(status, running=None, rounds=status.rounds + 1, last_result=result)
            if self.hq_url_configured and not self._stopping:
                self._due = self._monotonic() + delay


def _plain(exc: Exception, what: str) -> str:
    """The message to show for `exc`: its own for an expected failure; a bug is logged with its traceback."""
    if isinstance(exc, EXPECTED_ERRORS):
        return str(exc) or what + "."
    log.error("%s: unexpected error", what, exc_info=exc)
    return f"{what} because of an unexpected error ({type(exc).__name__}: {exc})."
