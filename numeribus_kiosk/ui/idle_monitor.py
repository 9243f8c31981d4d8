"""``IdleMonitor``: the inactivity warning and the end-of-session reset.

Installed as an event filter on the application, it sees every touch, mouse
press, wheel and key press (``activity`` is emitted for each, and the
application connects it to ``SpeechBridge.interrupt``).  After ``timeoutS``
seconds without input it enters the *warning* state: ``countdown`` goes from
``warningS`` (at least 20 s) down to 0, and an announcement is emitted at 20, 10
and 5 seconds left ("Retour à l'accueil dans 20 secondes. Touchez l'écran pour
continuer.", spoken when speech is on).  One touch during the warning cancels it.
At 0 it emits ``resetRequested`` (the application resets the session) and
starts over.

While ``armed`` is false (the home screen with default settings: nothing to
reset) the monitor never warns.

Time comes from a clock object with ``now()`` (monotonic seconds) and checks run
on ``tick()``, driven by a 250 ms QTimer; tests give a fake clock and call
``tick()`` themselves.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Property, QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QWindow
from PySide6.QtQml import QmlElement, QmlUncreatable

from .clock import Clock, MonotonicClock

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

MIN_WARNING_S = 20
ANNOUNCE_AT = (20, 10, 5)
TICK_MS = 250

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
        QEvent.Type.TabletPress,
    }
)


@QmlElement
@QmlUncreatable("IdleMonitor is created by the application and passed to Main.qml.")
class IdleMonitor(QObject):
    """Inactivity warning and reset (see module docstring)."""

    activity = Signal()
    warningChanged = Signal()
    countdownChanged = Signal()
    armedChanged = Signal()
    timeoutSChanged = Signal()
    announcement = Signal(str)
    resetRequested = Signal()

    def __init__(
        self,
        *,
        timeout_s: float = 90,
        warning_s: int = MIN_WARNING_S,
        clock: Clock | None = None,
        start_timer: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock or MonotonicClock()
        self._timeout = float(timeout_s)
        self._warning_s = max(MIN_WARNING_S, int(warning_s))
        self._last_input = self._clock.now()
        self._warning_since: float | None = None
        self._countdown = 0
        self._announced: set[int] = set()
        self._armed = True
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        if start_timer:
            self._timer.start()

    # ------------------------------------------------------------ event filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Watching windows only: Qt Quick re-delivers one press to several items.
        if event.type() in INPUT_EVENTS and isinstance(watched, QWindow):
            self.touch()
        return False  # never consume: only observe

    @Slot()
    def touch(self) -> None:
        """Input from the visitor: restart the inactivity delay, cancel a warning."""
        self._last_input = self._clock.now()
        self.activity.emit()
        if self._warning_since is not None:
            self._set_warning(None)

    # ------------------------------------------------------------ state
    def _set_warning(self, since: float | None) -> None:
        was = self._warning_since is not None
        self._warning_since = since
        self._announced.clear()
        if (since is not None) != was:
            self.warningChanged.emit()
        self._set_countdown(self._warning_s if since is not None else 0)

    def _set_countdown(self, value: int) -> None:
        if value != self._countdown:
            self._countdown = value
            self.countdownChanged.emit()

    def _announce(self, seconds: int) -> None:
        for step in ANNOUNCE_AT:
            if seconds <= step and step not in self._announced:
                self._announced.update(s for s in ANNOUNCE_AT if s >= step)
                # self.tr(text, "", n): the form pyside6-lupdate recognises as a plural message.
                self.announcement.emit(
                    self.tr("Retour à l'accueil dans %n secondes. Touchez l'écran pour continuer.", "", seconds)
                )
                return

    @Slot()
    def tick(self) -> None:
        """Check the time (called by the timer, or by tests)."""
        now = self._clock.now()
        if self._warning_since is None:
            if self._armed and now - self._last_input >= self._timeout:
                self._set_warning(now)
                self._announce(self._countdown)
            return
        left = max(0, math.ceil(self._warning_s - (now - self._warning_since)))
        self._set_countdown(left)
        if left == 0:
            self._set_warning(None)
            self._last_input = now
            self.resetRequested.emit()
        else:
            self._announce(left)

    warning = Property(bool, lambda self: self._warning_since is not None, notify=warningChanged)
    countdown = Property(int, lambda self: self._countdown, notify=countdownChanged)
    warningS = Property(int, lambda self: self._warning_s, constant=True)

    def _get_armed(self) -> bool:
        return self._armed

    def _set_armed(self, armed: bool) -> None:
        if armed == self._armed:
            return
        self._armed = armed
        self._last_input = self._clock.now()
        if not armed and self._warning_since is not None:
            self._set_warning(None)
        self.armedChanged.emit()

    armed = Property(bool, _get_armed, _set_armed, notify=armedChanged)

    def _get_timeout(self) -> float:
        return self._timeout

    @Slot(float)
    def setTimeoutS(self, seconds: float) -> None:
        if float(seconds) != self._timeout:
            self._timeout = float(seconds)
            self.timeoutSChanged.emit()

    timeoutS = Property(float, _get_timeout, setTimeoutS, notify=timeoutSChanged)
