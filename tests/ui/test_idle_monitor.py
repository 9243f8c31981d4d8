"""IdleMonitor with a fake clock: warning, countdown, cancel, reset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWindow

from numeribus_kiosk.ui.idle_monitor import IdleMonitor


@pytest.fixture
def idle(qapp, clock):
    monitor = IdleMonitor(timeout_s=90, clock=clock, start_timer=False)
    qapp.installEventFilter(monitor)
    yield monitor
    qapp.removeEventFilter(monitor)


def press():
    return QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_warning_after_timeout_then_countdown(idle, clock):
    clock.advance(89)
    idle.tick()
    assert not idle.warning
    clock.advance(1)
    idle.tick()
    assert idle.warning and idle.countdown == 20
    clock.advance(0.4)
    idle.tick()
    assert idle.countdown == 20  # 19.6 s left, shown as 20
    clock.advance(5)
    idle.tick()
    assert idle.countdown == 15


def test_warning_lasts_at_least_20_seconds(qapp, clock):
    assert IdleMonitor(warning_s=5, clock=clock, start_timer=False).warningS == 20


def test_announcements_once_per_step(idle, clock):
    said = []
    idle.announcement.connect(said.append)
    clock.advance(90)
    for _ in range(20 * 4 - 1):
        idle.tick()
        clock.advance(0.25)
    assert said == [
        "Retour à l'accueil dans 20 secondes. Touchez l'écran pour continuer.",
        "Retour à l'accueil dans 10 secondes. Touchez l'écran pour continuer.",
        "Retour à l'accueil dans 5 secondes. Touchez l'écran pour continuer.",
    ]


def test_a_tap_cancels_the_warning(qapp, idle, clock, qtbot):
    clock.advance(95)
    idle.tick()
    assert idle.warning
    window = QWindow()
    qapp.sendEvent(window, press())
    assert not idle.warning and idle.countdown == 0
    clock.advance(60)
    idle.tick()
    assert not idle.warning  # the delay started again at the tap


def test_reset_at_the_end(idle, clock, qtbot):
    clock.advance(90)
    idle.tick()
    clock.advance(19.9)
    idle.tick()
    assert idle.countdown == 1
    with qtbot.waitSignal(idle.resetRequested, timeout=100):
        clock.advance(0.1)
        idle.tick()
    assert not idle.warning
    clock.advance(89)
    idle.tick()
    assert not idle.warning  # a new session


def test_not_armed_never_warns(idle, clock):
    idle.armed = False
    clock.advance(1000)
    idle.tick()
    assert not idle.warning


def test_timeout_follows_the_setting(idle, clock):
    idle.setTimeoutS(180)
    clock.advance(120)
    idle.tick()
    assert not idle.warning
    clock.advance(60)
    idle.tick()
    assert idle.warning
