"""The sync agent as the running kiosk uses it (docs/sync-agent.md, "In the kiosk").  No Qt here:
``numeribus_kiosk/ui/sync_bridge.py`` turns what this module reports into French on the screen.

``SyncService(data_dir, *, on_update=None, settings=None, interfaces=None, watcher_options=None,
scheduler_options=None, session=None, clock=time.time, today=date.today)`` puts together
(``interfaces``: the addresses to browse mDNS on, else ``sync.discovery_interfaces``, else every
interface):

- a `scheduler.SyncScheduler`: one worker thread, one job at a time (a round or a stick);
- a `discovery.HQBrowser` (``settings.sync.discovery``): a headquarters announced by mDNS is
  trusted only once it proves it holds the pinned key (`discovery.trusted_url`), then a round
  goes to it at once.  One announced with the pinned key's fingerprint that does not answer yet
  is asked again after 5 s, 15 s, 1 min, 5 min, then every 15 min (`VERIFY_RETRY_DELAYS`) until
  it does or another announcement comes;
- a `watchers.DeviceWatcher` (``settings.sync.watch_devices``): a network link coming up queues a
  round and makes the browser start again (zeroconf joins the multicast group only on the links
  that exist when it starts); a stick holding a ``numeribus/`` folder becomes a stick job.

A **round** (`run_round(url)`) first closes the usage counters of past days
(`journal.usage.close_days`: yesterday's anonymous counts go up with this round), then runs
`round.sync_once`.  Its address: the headquarters found on the network, else ``sync.hq_url``
of config.toml (headquarters over the internet, i.e. 4G), else the enrolled one.  A round to
``sync.hq_url`` does not fetch a full snapshot when ``sync.defer_snapshots_over_4g`` is on (the
default): the depot's Wi-Fi or a stick will.  With ``sync.hq_url`` set the scheduler also tries
by itself every ``sync.period_minutes``, backing off up to ``sync.retry_max_minutes`` after
failures.

A **stick** (`handle_stick(path)`) is two independent steps, both always tried: import the
newest bundle meant for this bus from ``numeribus/to-bus/`` (none there is not an error), then
write this bus's pending events to ``numeribus/to-hq/``.  The result is a `StickReport`;
expected failures (a tampered bundle, a full stick) are in it, in the bundle reader's words and
with its reason code.  The written file is synced to the stick (file and folder) before the
report says it can be removed.

``on_update(update)`` is called with a fresh `ServiceUpdate` after every change, from whichever
thread made it (the worker thread, the browser's, the watcher's, or the caller's): the Qt
bridge hands it over to the UI thread.  An update carries the scheduler's `SyncStatus`, the
`Overview` of the bus's files (events waiting, catalogue version: read again after every job),
whether a stick is plugged in, and ``changed``: a counter raised each time a job changed what
the screens show (catalogue, schedule, lists), so the UI reloads them.

A bus not enrolled yet runs nothing: `start()` returns False and the update says so.  `sync_now()`
looks again (the bus may have been enrolled from a terminal since) before queuing a round.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import requests

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes
from numeribus_kiosk.journal import outbox, usage
from numeribus_kiosk.settings import Settings, load_settings

from . import bundles
from .identity import Identity, IdentityError, load_identity
from .round import RoundReport, sync_once
from .scheduler import SyncScheduler, SyncStatus
from .upload import load_quarantine

log = logging.getLogger(__name__)

HISTORY_FILE = "sync-status.json"
# Seconds before asking again a headquarters announced with the pinned key's fingerprint that did
# not prove it holds the key (not answering yet...): then every last delay while it stays announced.
VERIFY_RETRY_DELAYS = (5.0, 15.0, 60.0, 300.0, 900.0)


@dataclass(frozen=True, slots=True)
class Overview:
    """What the bus holds, as last read: events waiting for headquarters, the catalogue version."""

    pending_events: int | None = None  # None: journal.db could not be read
    catalogue_version: int | None = None  # 0: never synced (demo data or a local import)
    quarantined: int = 0  # events headquarters refused (sync-quarantine.json)


@dataclass(frozen=True, slots=True)
class StickReport:
    """What a stick job did.  ``imported``/``exported`` are the bundle functions' results (None when
    there was nothing, or on failure); the errors are (reason code, plain English sentence)."""

    path: str
    imported: bundles.ImportResult | None = None
    import_error: tuple[str, str] | None = None
    exported: bundles.ExportResult | None = None
    export_error: tuple[str, str] | None = None

    @property
    def changed(self) -> bool:
        imported = self.imported
        return (
            imported is not None
            and imported.status == "applied"
            and (imported.changes > 0 or imported.snapshot_version is not None)
        )

    @property
    def ok(self) -> bool:
        return self.import_error is None and self.export_error is None


@dataclass(frozen=True, slots=True)
class History:
    """What happened last, kept across restarts in ``DATA_DIR/sync-status.json`` (times: seconds since
    1970).  A success does not erase the last error: the status screen tells which came last."""

    last_success_at: float | None = None
    last_success_via: str | None = None  # "network" or "stick"
    last_error_at: float | None = None
    last_error_reason: str | None = None  # a RoundError / BundleError reason code
    last_error_message: str | None = None  # the plain English sentence (the log's words)

    @property
    def failing(self) -> bool:
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at >= self.last_success_at
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> History:
        if not isinstance(data, dict):
            return cls()
        values = {}
        for name in ("last_success_at", "last_error_at"):
            value = data.get(name)
            values[name] = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        for name in ("last_success_via", "last_error_reason", "last_error_message"):
            value = data.get(name)
            values[name] = value if isinstance(value, str) else None
        return cls(**values)


def load_history(data_dir: Path) -> History:
    """The history kept in `data_dir` (empty when absent or unreadable: it is only shown, never trusted)."""
    try:
        return History.from_dict(json.loads((Path(data_dir) / HISTORY_FILE).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return History()
    except (OSError, ValueError) as exc:
        log.warning("%s could not be read (%s): the sync history starts again", HISTORY_FILE, exc)
        return History()


def save_history(data_dir: Path, history: History) -> None:
    path = Path(data_dir) / HISTORY_FILE
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(json.dumps(history.to_dict(), indent=1), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("%s could not be written: %s", HISTORY_FILE, exc.strerror or exc)


@dataclass(frozen=True, slots=True)
class ServiceUpdate:
    enrolled: bool
    status: SyncStatus = field(default_factory=SyncStatus)
    overview: Overview = field(default_factory=Overview)
    stick_present: str | None = None  # the mount point of a stick being handled or handled and still plugged in
    changed: int = 0  # raised each time a job changed the catalogue, the schedule or the lists
    history: History = field(default_factory=History)
    last_stick: StickReport | None = None  # the last stick job's report (None: none since start-up)
    identity_error: str | None = None  # the identity files exist but cannot be used


def round_changed(report: RoundReport | None) -> bool:
    """The round applied something the screens show."""
    download = getattr(report, "download", None)
    if download is None:
        return False
    return bool(download.changes or download.snapshot is not None or download.config_changed)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "reason", None) or "failed"


class SyncService:
    """The agent of the running kiosk (see the module's doc)."""

    def __init__(
        self,
        data_dir: str | Path,
        *,
        on_update: Callable[[ServiceUpdate], None] | None = None,
        settings: Settings | None = None,
        interfaces: list[str] | None = None,
        watcher_options: dict | None = None,
        scheduler_options: dict | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.settings = settings if settings is not None else load_settings(self.data_dir)
        self.interfaces = interfaces
        self.watcher_options = dict(watcher_options or {})
        self.scheduler_options = dict(scheduler_options or {})
        self.session = session
        self._on_update = on_update
        self._clock = clock
        self._today = today
        self._lock = threading.RLock()
        self._identity: Identity | None = None
        self._identity_error: str | None = None
        self.scheduler: SyncScheduler | None = None
        self.browser = None
        self.watcher = None
        self._status = SyncStatus()
        self._overview = Overview()
        self._stick: str | None = None
        self._changed = 0
        self._stopped = False
        self._history = load_history(self.data_dir)
        self._verify_retry: threading.Timer | None = None
        self.verify_retry_delays = VERIFY_RETRY_DELAYS
        self._load_identity()  # the status screen tells an enrolled bus even before start()
        self._last_stick: StickReport | None = None

    def _load_identity(self) -> None:
        try:
            self._identity, self._identity_error = load_identity(self.data_dir), None
        except IdentityError as exc:
            self._identity, self._identity_error = None, str(exc)

    # --- life ----------------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the agent when the bus is enrolled; False (and an update saying so) when it is not."""
        with self._lock:
            if self._stopped:
                return False
            if self.scheduler is not None:
                return True
            if self._identity is None:
                self._load_identity()
            if self._identity is None:
                if self._identity_error:
                    log.warning("the sync agent does not start: %s", self._identity_error)
                self._read_overview()
                self._publish()
                return False
            sync = self.settings.sync
            options = {
                "period": sync.period_minutes * 60,
                "max_delay": max(sync.retry_max_minutes * 60, 30.0),
                "base_delay": min(30.0, sync.retry_max_minutes * 60),
                "start_delay": 10.0,
                "hq_url_configured": sync.hq_url is not None,
                "clock": self._clock,
            }
            options.update(self.scheduler_options)
            self.scheduler = SyncScheduler(
                self.run_round, on_stick=self.handle_stick, on_status=self._scheduler_status, **options
            )
            self._read_overview()
            self.scheduler.start()
            if sync.watch_devices:
                self._start_watcher()
            if sync.discovery:
                self._start_browser()
            log.info(
                "sync agent started (discovery %s, devices %s, headquarters over the internet: %s)",
                "on" if sync.discovery else "off",
                "on" if sync.watch_devices else "off",
                sync.hq_url or "none",
            )
        return True

    def _start_watcher(self) -> None:
        from .watchers import DeviceWatcher

        watcher = DeviceWatcher(
            self._link_up, self._stick_mounted, on_stick_removed=self._stick_removed, **self.watcher_options
        )
        try:
            watcher.start()
        except OSError as exc:
            log.warning("network links and USB sticks are not watched: %s", exc)
            return
        self.watcher = watcher

    def _start_browser(self) -> None:
        from .discovery import HQBrowser

        interfaces = self.interfaces or list(self.settings.sync.discovery_interfaces)
        browser = HQBrowser(interfaces, self._hq_announced)
        try:
            browser.start()
        except OSError as exc:
            log.warning("headquarters is not looked for on the network (mDNS): %s", exc)
            return
        self.browser = browser

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop everything; a running job ends first (at most `timeout` seconds waited)."""
        with self._lock:
            self._stopped = True
            watcher, browser, scheduler = self.watcher, self.browser, self.scheduler
            self.watcher = self.browser = None
            if self._verify_retry is not None:
                self._verify_retry.cancel()
        if watcher is not None:
            watcher.stop()
        if browser is not None:
            browser.stop()
        if scheduler is not None:
            scheduler.stop(timeout)

    # --- triggers ----------------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """ "Synchroniser maintenant": a round is queued; False when the bus is not enrolled."""
        if not self.start():
            return False
        self.scheduler.sync_now()
        return True

    def _link_up(self, name: str) -> None:
        scheduler = self.scheduler
        if scheduler is not None:
            scheduler.link_up(name)
        browser = self.browser
        if browser is not None and not self._stopped:
            try:
                browser.restart()
            except OSError as exc:
                log.warning("looking for headquarters again after %s came up failed: %s", name, exc)

    def _hq_announced(self, candidate, attempt: int = 0) -> None:
        """A headquarters announced (the browser's thread; a retry timer's for a later attempt)."""
        from .discovery import claims_pinned_key, trusted_url

        identity, scheduler = self._identity, self.scheduler
        if identity is None or scheduler is None or self._stopped:
            return
        with self._lock:
            if attempt == 0 and self._verify_retry is not None:
                self._verify_retry.cancel()  # a newer announcement: its own attempts start again
                self._verify_retry = None
        url = trusted_url(candidate, identity, self.session)
        if url is not None:
            scheduler.hq_found(url)
            return
        if not claims_pinned_key(candidate, identity):
            return  # another protocol or another key: asking again would not change it
        # Announced with the pinned key's fingerprint but not verified: not answering yet (the
        # announcement came first), or answering for a moment something else.  Ask again later.
        delays = self.verify_retry_delays
        timer = threading.Timer(delays[min(attempt, len(delays) - 1)], self._hq_announced, (candidate, attempt + 1))
        timer.daemon = True
        with self._lock:
            if self._stopped:
                return
            self._verify_retry = timer
        timer.start()

    def _stick_mounted(self, path: Path) -> None:
        with self._lock:
            self._stick = str(path)
        scheduler = self.scheduler
        if scheduler is not None:
            scheduler.stick_mounted(path)
        self._publish()

    def _stick_removed(self, path: Path) -> None:
        with self._lock:
            if self._stick == str(path):
                self._stick = None
        self._publish()

    # --- jobs (the scheduler's worker thread) ----------------------------------------------------

    def _close_past_days(self) -> None:
        """Yesterday's anonymous usage counts become events before the round sends them."""
        try:
            db = store.open_journal_db(self.data_dir)
        except store.StoreError as exc:
            log.warning("usage counters not closed before the round: %s", exc)
            return
        try:
            usage.close_days(db, self._today())
        except Exception:  # noqa: BLE001 - counters never stop a round; logged with the traceback
            log.exception("closing the usage counters of past days failed")
        finally:
            db.close()

    def run_round(self, url: str | None) -> RoundReport:
        """One round (the scheduler's ``run_round``): `url` is a headquarters found on the network."""
        self._close_past_days()
        sync = self.settings.sync
        over_4g = url is None and sync.hq_url is not None
        target = url or sync.hq_url
        try:
            report = sync_once(
                self.data_dir,
                hq_url=target,
                session=self.session,
                allow_snapshot=not (over_4g and sync.defer_snapshots_over_4g),
                clock=self._clock,
            )
        except Exception as exc:
            if round_changed(getattr(exc, "report", None)):
                self._note_changed()
            self._remember_error(_reason(exc), str(exc))
            raise
        finally:
            self._read_overview()
        if round_changed(report):
            self._note_changed()
        if report.ok:
            self._remember_success("network")
        else:
            self._remember_error(getattr(report, "reason", None) or "failed", report.error or "")
        return report

    def handle_stick(self, path: Path) -> StickReport:
        """The scheduler's ``on_stick``: import what headquarters left for this bus, then write its events."""
        path = Path(path)
        imported = import_error = exported = export_error = None
        try:
            imported = bundles.import_bundle(self.data_dir, path)
        except bundles.BundleError as exc:
            if _reason(exc) != "no_bundle":
                import_error = (_reason(exc), str(exc))
                log.warning("USB stick at %s: bundle refused (%s): %s", path, _reason(exc), exc)
        try:
            exported = bundles.export_bundle(self.data_dir, path)
        except bundles.BundleError as exc:
            export_error = (_reason(exc), str(exc))
            log.warning("USB stick at %s: events not written (%s): %s", path, _reason(exc), exc)
        report = StickReport(str(path), imported, import_error, exported, export_error)
        if report.changed:
            self._note_changed()
        error = import_error or export_error
        if error is None:
            self._remember_success("stick")
        else:
            self._remember_error(*error)
        with self._lock:
            self._last_stick = report
        self._read_overview()
        return report

    # --- what the UI is told -------------------------------------------------------------------------

    def _remember(self, **changes) -> None:
        """Update the history (kept in sync-status.json) with `changes`."""
        with self._lock:
            self._history = history = replace(self._history, **changes)
        save_history(self.data_dir, history)

    def _remember_success(self, via: str) -> None:
        self._remember(last_success_at=self._clock(), last_success_via=via)

    def _remember_error(self, reason: str, message: str) -> None:
        self._remember(last_error_at=self._clock(), last_error_reason=reason, last_error_message=message)

    def _note_changed(self) -> None:
        with self._lock:
            self._changed += 1

    def _read_overview(self) -> None:
        pending = version = None
        try:
            db = store.open_journal_db(self.data_dir)
            try:
                pending = outbox.pending_count(db)
            finally:
                db.close()
        except (store.StoreError, OSError) as exc:
            log.warning("events waiting not counted: %s", exc)
        except Exception as exc:  # noqa: BLE001 - sqlite3 errors: the figure is left unknown
            log.warning("events waiting not counted: %s", type(exc).__name__)
        try:
            db = store.open_catalogue_db(self.data_dir)
            try:
                version = changes.sync_version(db)
            finally:
                db.close()
        except Exception as exc:  # noqa: BLE001 - the figure is left unknown
            log.warning("catalogue version not read: %s", type(exc).__name__)
        with self._lock:
            self._overview = Overview(pending, version, len(load_quarantine(self.data_dir)))

    def _scheduler_status(self, status: SyncStatus) -> None:
        with self._lock:
            self._status = status
        self._publish()

    def update(self) -> ServiceUpdate:
        with self._lock:
            return ServiceUpdate(
                enrolled=self._identity is not None,
                status=self._status,
                overview=self._overview,
                stick_present=self._stick,
                changed=self._changed,
                history=self._history,
                last_stick=self._last_stick,
                identity_error=self._identity_error,
            )

    def _publish(self) -> None:
        if self._on_update is None:
            return
        try:
            self._on_update(self.update())
        except Exception:
            log.exception("the sync update listener failed")

    def refresh_overview(self) -> ServiceUpdate:
        """Read the bus's figures again (the status screen opens) and publish them."""
        self._read_overview()
        self._publish()
        return self.update()

    def identity(self) -> Identity | None:
        return self._identity
