"""``TapGuard``: ignore a repeated tap within a short delay (hand tremor).

An application event filter.  A press (mouse button press or touch begin) that
comes less than ``delayMs`` after the previously *accepted* press is dropped,
together with the rest of its sequence (its release, or the touch updates and
end of the same touch points), so the item under the finger sees nothing.
``delayMs`` 0 disables the guard.  A press counts as a repeat when it lands on the
same item as the previously accepted one (even if that item moved meanwhile, as
"A+" does when the text grows) or at the same place (within ``SAME_PLACE_MM``:
a trembling finger lands again where it was, whatever is there now).  A visitor
typing on the on-screen keyboard moves to another key, and that press is taken
at once.  (A double letter
on the same key, "ll", then needs the delay between its two taps: the price of the
guard, which the visitor's setting can turn off.)

Only events delivered to a window are judged (Qt Quick then re-delivers an
accepted press to the items).  Mouse events that Qt synthesises from touch are left alone (their touch was
already judged).  Time comes from a clock object with ``now()`` (seconds) so tests
control it.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QEvent, QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QMouseEvent, QTouchEvent, QWindow
from PySide6.QtQml import QmlElement, QmlUncreatable
from PySide6.QtQuick import QQuickWindow

from .clock import Clock, MonotonicClock

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

SAME_PLACE_MM = 8.0  # presses closer than this (Manhattan distance) count as the same place

_MOUSE_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick}
_MOUSE_FOLLOW = {QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove}
_TOUCH_FOLLOW = {QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel}


def _item_at(window: QWindow, point: QPointF):
    """The deepest visible Qt Quick item under ``point``, or None (not a Qt Quick window)."""
    content = window.contentItem() if isinstance(window, QQuickWindow) else None
    item = None
    while content is not None:
        item = content
        local = content.mapFromScene(point)
        content = content.childAt(local.x(), local.y())
    return item


@QmlElement
@QmlUncreatable("TapGuard is created by the application.")
class TapGuard(QObject):
    """Drops presses that repeat within ``delayMs`` (see module docstring)."""

    delayMsChanged = Signal()
    dropped = Signal()

    def __init__(
        self,
        *,
        delay_ms: int = 500,
        clock: Clock | None = None,
        pixel_pitch_mm: float = 0.248,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._clock = clock or MonotonicClock()
        self._delay_ms = int(delay_ms)
        self._last_accepted: float | None = None
        self._last_point: QPointF | None = None
        self._last_item = None
        self._same_place_px = SAME_PLACE_MM / pixel_pitch_mm
        self._dropping_mouse = False
        self._dropping_touch = False

    def _get_delay(self) -> int:
        return self._delay_ms

    @Slot(int)
    def setDelayMs(self, delay_ms: int) -> None:
        if int(delay_ms) != self._delay_ms:
            self._delay_ms = max(0, int(delay_ms))
            self.delayMsChanged.emit()

    delayMs = Property(int, _get_delay, setDelayMs, notify=delayMsChanged)

    def _judge_press(self, window: QWindow, point: QPointF) -> bool:
        """True to drop this press at ``point`` (window coordinates, px)."""
        now = self._clock.now()
        item = _item_at(window, point)
        if (
            self._delay_ms > 0
            and self._last_accepted is not None
            and (now - self._last_accepted) * 1000 < self._delay_ms
            and (
                (item is not None and item is self._last_item)
                or (
                    self._last_point is not None and (point - self._last_point).manhattanLength() <= self._same_place_px
                )
            )
        ):
            self.dropped.emit()
            return True
        self._last_accepted = now
        self._last_point = QPointF(point)
        self._last_item = item
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Qt Quick delivers one press twice through the application: to the window, then
        # to the items under the point.  Only the delivery to the window is judged; if it
        # is dropped the items never see the press.
        if not isinstance(watched, QWindow):
            return False
        kind = event.type()
        if kind in _MOUSE_PRESS and isinstance(event, QMouseEvent):
            if event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
                return False
            self._dropping_mouse = self._judge_press(watched, event.scenePosition())
            return self._dropping_mouse
        if kind in _MOUSE_FOLLOW and self._dropping_mouse:
            if kind == QEvent.Type.MouseButtonRelease:
                self._dropping_mouse = False
            return True
        if kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent):
            points = event.points()
            self._dropping_touch = self._judge_press(watched, points[0].scenePosition() if points else QPointF())
            return self._dropping_touch
        if kind in _TOUCH_FOLLOW and self._dropping_touch:
            if kind != QEvent.Type.TouchUpdate:
                self._dropping_touch = False
            return True
        return False
