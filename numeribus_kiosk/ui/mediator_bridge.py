"""``MediatorBridge``: the mediator mode's lock — PIN, automatic exit, audit — and its gate.

The mode is **locked** until the right PIN is entered (`enter`, checked on a worker thread:
scrypt takes a tenth of a second).  Five wrong PINs lock it for five minutes, longer after each
new series (:mod:`numeribus_kiosk.mediator.pin`); `message` says so in French.  While no PIN
is set, `setupPin` sets one (the short first-start screen) and opens the mode.

**The way in** is hidden: a 3-second hold on the top-right corner of the window
(MediatorCorner.qml reports the finger with `cornerPressed` / `cornerReleased`; after
`CORNER_HOLD_S` on the replaceable clock, `cornerHeld` asks Main.qml to open the PIN screen).

The mode **closes itself** (`lock`) after `AUTO_EXIT_S` (2 minutes) without a touch, and when
the visitor idle reset happens (`IdleMonitor.resetRequested`, connected by app.py); `locked`
then tells Main.qml to go home.  Time comes from the same replaceable monotonic clock as the
idle monitor, checked on `tick()` (a 1 s QTimer; tests call it).

**The gate**: journal data (sessions, visitors' requests, statistics) is reached only through
`journal()`, Python-only, which raises `MediatorLocked` while the mode is locked.  Visitors'
screens get JournalBridge, which can only write.  The other mediator bridges clear what they
show when `unlockedChanged` reports the lock.

Every action goes to the audit log (:mod:`numeribus_kiosk.mediator.audit`) with the mediator's
name; the PIN itself never reaches a log line, the audit log or speech.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.catalogue.schedule import french_clock
from numeribus_kiosk.mediator import audit, favourites, pin
from numeribus_kiosk.mediator.lists import MediatorLists, load_lists

from .clock import Clock, MonotonicClock

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

AUTO_EXIT_S = 120
TICK_MS = 1000
CORNER_HOLD_S = 3.0  # the hidden way in: how long a finger stays on the corner
HOLD_TICK_MS = 100


class MediatorLocked(PermissionError):
    """Journal data was asked for while the mediator mode is locked."""


@QmlElement
@QmlUncreatable("MediatorBridge is created by the application and passed to Main.qml.")
class MediatorBridge(QObject):
    """The mediator mode's PIN, automatic exit and gate (see the module docstring)."""

    pinSetChanged = Signal()
    unlockedChanged = Signal()
    mediatorChanged = Signal()
    mediatorsChanged = Signal()
    listsChanged = Signal()  # reload_lists(): headquarters published other lists
    busyChanged = Signal()
    messageChanged = Signal()
    entered = Signal(bool)
    locked = Signal(str)  # reason: "manual", "timeout", "idle"
    cornerHeld = Signal()  # the corner was held CORNER_HOLD_S: open the PIN screen
    _verified = Signal(object)  # from the worker thread: a pin.VerifyResult, or an exception

    def __init__(
        self,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        wall: Callable[[], float] = time.time,
        now: Callable[[], datetime] | None = None,
        start_timer: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self._clock = clock or MonotonicClock()
        self._wall = wall
        self._now = now or (lambda: datetime.now().astimezone())
        self._db = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediator-pin")
        self._pin_db = None  # the worker thread's own connection
        self._unlocked = False
        self._busy = False
        self._message = ""
        self._last_touch = self._clock.now()
        self.lists: MediatorLists = load_lists(self.data_dir)
        db = self._open()
        try:
            self._pin_set = pin.has_pin(db)
            past = [entry.mediator for entry in audit.list_audit(db, limit=200) if entry.mediator]
            self._mediator = past[-1] if past else ""
            self._known = favourites.known_mediators(db)
        finally:
            db.close()
        self._verified.connect(self._on_verified)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._start_timer = start_timer
        self._held_since: float | None = None
        self._hold_timer = QTimer(self)
        self._hold_timer.setInterval(HOLD_TICK_MS)
        self._hold_timer.timeout.connect(self._check_hold)

    # ------------------------------------------------------------ Python API (mediator bridges)
    def _open(self):
        from numeribus_kiosk.store import open_journal_db

        return open_journal_db(self.data_dir)

    def journal(self):
        """journal.db (UI thread) for the mediator screens; raises `MediatorLocked` while locked."""
        if not self._unlocked:
            raise MediatorLocked("the mediator mode is locked")
        if self._db is None:
            self._db = self._open()
        return self._db

    def audit(self, action: str, target: str | None = None, detail: str | None = None) -> None:
        """Record a mediator action in the audit log (never raises: a failure is logged)."""
        try:
            db = self._db if self._db is not None else None
            if db is None:
                db = self._db = self._open()
            audit.record(db, action, mediator=self._mediator, target=target, detail=detail, now=self._now())
        except Exception as exc:  # noqa: BLE001 - the audit never stops the mode
            log.error("audit entry %s not written: %s", action, type(exc).__name__)

    def now(self) -> datetime:
        """The current local time, with its offset (the session form's default)."""
        return self._now()

    def today(self) -> date:
        return self._now().date()

    # ------------------------------------------------------------ QML properties
    def _get_pin_set(self) -> bool:
        return self._pin_set

    pinSet = Property(bool, _get_pin_set, notify=pinSetChanged)

    def _get_unlocked(self) -> bool:
        return self._unlocked

    unlocked = Property(bool, _get_unlocked, notify=unlockedChanged)

    def _get_mediator(self) -> str:
        return self._mediator

    mediator = Property(str, _get_mediator, notify=mediatorChanged)

    def _get_mediators(self) -> list:
        names = list(self.lists.mediators)
        names += [name for name in self._known if name not in names]
        if self._mediator and self._mediator not in names:
            names.append(self._mediator)
        return names

    mediators = Property(list, _get_mediators, notify=mediatorsChanged)

    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=busyChanged)

    def _get_message(self) -> str:
        return self._message

    message = Property(str, _get_message, notify=messageChanged)

    def _set_message(self, text: str) -> None:
        if text != self._message:
            self._message = text
            self.messageChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    def _set_unlocked(self, unlocked: bool) -> None:
        if unlocked == self._unlocked:
            return
        self._unlocked = unlocked
        if unlocked:
            self._last_touch = self._clock.now()
            if self._start_timer:
                self._timer.start()
        else:
            self._timer.stop()
            if self._db is not None:
                self._db.close()
                self._db = None
        self.unlockedChanged.emit()

    # ------------------------------------------------------------ PIN
    @Slot(str)
    def enter(self, candidate: str) -> None:
        """Check a PIN on the worker thread; `entered(ok)` answers on the UI thread."""
        if self._busy or self._unlocked:
            return
        if not self._pin_set:
            self._set_message(self.tr("Aucun code n'est encore choisi."))
            self.entered.emit(False)
            return
        self._set_busy(True)
        self._set_message(self.tr("Vérification…"))
        wall = self._wall()
        self._executor.submit(self._verify, candidate, wall)

    def _verify(self, candidate: str, wall: float) -> None:
        try:
            if self._pin_db is None:
                from numeribus_kiosk.store import open_journal_db

                self._pin_db = open_journal_db(self.data_dir, check_same_thread=False)
            result = pin.verify(self._pin_db, candidate, now=wall)
        except Exception as exc:  # noqa: BLE001 - reported on the UI thread
            self._verified.emit(exc)
        else:
            self._verified.emit(result)

    @Slot(object)
    def _on_verified(self, result) -> None:
        self._set_busy(False)
        if isinstance(result, Exception):
            log.error("the mediator PIN could not be checked: %s", type(result).__name__)
            self._set_message(self.tr("Le code n'a pas pu être vérifié. Réessayez."))
            self.entered.emit(False)
            return
        if result.ok:
            self._set_message("")
            self._set_unlocked(True)
            self.audit("unlock")
            self.entered.emit(True)
            return
        if result.locked_until is not None:
            self.audit("unlock.locked" if result.remaining_attempts == 0 else "unlock.refused")
            self._set_message(
                self.tr("Trop de codes faux. Mode médiateur bloqué jusqu'à %1.").replace(
                    "%1", french_clock(datetime.fromtimestamp(result.locked_until))
                )
            )
        else:
            self.audit("unlock.refused")
            self._set_message(self.tr("Code faux. Encore %n essai(s) avant blocage.", "", result.remaining_attempts))
        self.entered.emit(False)

    @Slot(str, str, result=str)
    def setupPin(self, new_pin: str, confirm: str) -> str:  # noqa: N802 (Qt API)
        """First start: choose the PIN (only while none is set) and open the mode.

        Returns "" on success, else the problem in French."""
        if self._pin_set:
            return self.tr("Un code est déjà choisi.")
        if new_pin != confirm:
            return self.tr("Les deux codes sont différents.")
        try:
            pin.validate_pin(new_pin)
        except pin.PinError:
            return self.tr("Le code doit avoir de 4 à 8 chiffres.")
        db = self._open()
        try:
            pin.set_pin(db, new_pin, now=self._wall())
        finally:
            db.close()
        self._pin_set = True
        self.pinSetChanged.emit()
        self._set_message("")
        self._set_unlocked(True)
        self.audit("pin.set")
        self.audit("unlock")
        return ""

    # ------------------------------------------------------------ leaving
    @Slot()
    def lock(self) -> None:
        """The mediator leaves the mode ("Quitter")."""
        self._lock("manual")

    @Slot()
    def lockOnIdle(self) -> None:  # noqa: N802 (Qt API)
        """The visitor idle reset: the mode closes with the session, and an old PIN message goes."""
        self._set_message("")
        self._lock("idle")

    def _lock(self, reason: str) -> None:
        if not self._unlocked:
            return
        self.audit("lock", detail=reason)
        self._set_unlocked(False)
        log.info("mediator mode closed (%s)", reason)
        self.locked.emit(reason)

    @Slot()
    def touch(self) -> None:
        """Any input: the 2-minute delay starts again."""
        self._last_touch = self._clock.now()

    # ------------------------------------------------------------ the hidden way in
    @Slot()
    def cornerPressed(self) -> None:  # noqa: N802 (Qt API)
        """A finger (or the mouse) went down on the corner: `cornerHeld` if it stays there."""
        self._held_since = self._clock.now()
        if self._start_timer:
            self._hold_timer.start()

    @Slot()
    def cornerReleased(self) -> None:  # noqa: N802 (Qt API)
        """The finger left the corner: a hold shorter than `CORNER_HOLD_S` does nothing."""
        self._held_since = None
        self._hold_timer.stop()

    @Slot()  # declared: connecting a signal to an undeclared method rebuilds the QMetaObject
    def _check_hold(self) -> None:
        if self._held_since is not None and self._clock.now() - self._held_since >= CORNER_HOLD_S:
            self.cornerReleased()  # once per hold
            self.cornerHeld.emit()

    @Slot()
    def tick(self) -> None:
        """The clock's checks: the corner held long enough; the mode closed after `AUTO_EXIT_S`
        without a touch."""
        self._check_hold()
        if self._unlocked and self._clock.now() - self._last_touch >= AUTO_EXIT_S:
            self._lock("timeout")

    # ------------------------------------------------------------ the mediator's name
    @Slot(str)
    def setMediator(self, name: str) -> None:  # noqa: N802 (Qt API)
        """The mediator names themselves (a list entry or typed); remembered across restarts."""
        clean = " ".join(str(name).split())[: audit.NAME_MAX]
        if not clean or clean == self._mediator:
            return
        shown = self._get_mediators()
        self._mediator = clean
        self._remember(clean, shown)
        self.mediatorChanged.emit()
        if self._unlocked:
            self.audit("mediator.chosen")

    def reload_lists(self) -> None:
        """Read the lists again (after a sync: headquarters' published lists win over config.toml)."""
        lists = load_lists(self.data_dir)
        if lists == self.lists:
            return
        self.lists = lists
        self.listsChanged.emit()
        self.mediatorsChanged.emit()

    def note_known(self, name: str) -> None:
        """A session was logged by `name`: offer it in the list from now on."""
        if name:
            self._remember(name, self._get_mediators())

    def _remember(self, name: str, shown: list) -> None:
        # Only a list that really changed is announced: QML rebuilds the chips (the one under
        # the finger included) on every change.
        if name not in self._known:
            self._known.append(name)
        if self._get_mediators() != shown:
            self.mediatorsChanged.emit()

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self._timer.stop()
        self._hold_timer.stop()

        def closing():
            if self._pin_db is not None:
                self._pin_db.close()
                self._pin_db = None

        self._executor.submit(closing)
        self._executor.shutdown(wait=True)
        if self._db is not None:
            self._db.close()
            self._db = None
