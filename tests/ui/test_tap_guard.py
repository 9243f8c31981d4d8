"""TapGuard: a second press within the delay is dropped, with the rest of its sequence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWindow

from numeribus_kiosk.ui.tap_guard import TapGuard


class Recorder(QWindow):
    """A window that records the presses and releases it receives."""

    def __init__(self):
        super().__init__()
        self.events: list[QEvent.Type] = []

    def event(self, event):
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self.events.append(event.type())
            return True
        return super().event(event)


CORNER = QPointF(10, 10)


def mouse(kind, at=CORNER):
    event = QMouseEvent(
        kind,
        at,
        at,
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    return event


@pytest.fixture
def setup(qapp, clock):
    guard = TapGuard(delay_ms=500, clock=clock)
    target = Recorder()
    qapp.installEventFilter(guard)
    yield guard, target
    qapp.removeEventFilter(guard)


def tap(qapp, target, at=CORNER):
    qapp.sendEvent(target, mouse(QEvent.Type.MouseButtonPress, at))
    qapp.sendEvent(target, mouse(QEvent.Type.MouseButtonRelease, at))


def test_a_trembling_second_press_nearby_is_dropped_but_another_place_is_not(qapp, setup, clock):
    guard, target = setup
    tap(qapp, target, QPointF(100, 100))
    clock.advance(0.2)
    tap(qapp, target, QPointF(110, 105))  # 15 px = 3.7 mm away: the same key, a tremor
    clock.advance(0.1)
    tap(qapp, target, QPointF(220, 100))  # 120 px = 30 mm away: the next key typed
    press, release = QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease
    assert target.events == [press, release, press, release]


def test_second_tap_within_delay_is_dropped(qapp, setup, clock):
    guard, target = setup
    tap(qapp, target)
    clock.advance(0.3)
    tap(qapp, target)
    assert target.events == [QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease]


def test_tap_after_delay_is_accepted(qapp, setup, clock):
    guard, target = setup
    tap(qapp, target)
    clock.advance(0.3)
    tap(qapp, target)  # dropped: does not restart the delay
    clock.advance(0.25)  # 550 ms after the accepted tap
    tap(qapp, target)
    assert target.events.count(QEvent.Type.MouseButtonPress) == 2


def test_zero_disables(qapp, setup, clock):
    guard, target = setup
    guard.setDelayMs(0)
    for _ in range(3):
        tap(qapp, target)
    assert target.events.count(QEvent.Type.MouseButtonPress) == 3


def test_delay_is_configurable(qapp, setup, clock):
    guard, target = setup
    guard.setDelayMs(700)
    tap(qapp, target)
    clock.advance(0.6)
    tap(qapp, target)
    clock.advance(0.2)
    tap(qapp, target)
    assert target.events.count(QEvent.Type.MouseButtonPress) == 2


def test_presses_delivered_to_items_are_not_judged(qapp, setup, clock):
    guard, target = setup
    other = QObject()  # stands for a QQuickItem receiving the press after the window
    tap(qapp, target)
    assert not guard.eventFilter(other, mouse(QEvent.Type.MouseButtonPress))
    assert target.events.count(QEvent.Type.MouseButtonPress) == 1
