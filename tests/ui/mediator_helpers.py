"""What the mediator screens' tests share: the PIN, opening the mode and a screen, reading items."""

from __future__ import annotations

from PySide6.QtGui import QAccessible

from numeribus_kiosk.ui.a11y_audit import audit_window

from .conftest import find
from .test_schedule_screens import find_item, settle

PIN = "2468"


def unlock(kiosk) -> None:
    """Open the mediator mode through the first-start PIN set-up (no PIN set before)."""
    assert kiosk.mediator.setupPin(PIN, PIN) == ""
    assert kiosk.mediator.property("unlocked")


def open_screen(qtbot, kiosk, name: str) -> None:
    """Navigate to the mediator screen `name` (the mode must be open) and wait for it."""
    assert kiosk.window.navigate(name, {})
    settle(qtbot, kiosk, name)


def text_of(kiosk, name: str) -> str:
    return find_item(kiosk, name).property("text")


def shown(kiosk, name: str) -> bool:
    return bool(find_item(kiosk, name).property("visible"))


def accessible_name(item) -> str:
    """The name assistive technologies get for `item` (through Qt's accessibility interface)."""
    QAccessible.setActive(True)
    return QAccessible.queryAccessibleInterface(item).text(QAccessible.Text.Name)


def audit_screen(qtbot, kiosk, **context):
    """The accessibility audit of the current screen once it is drawn (layouts are polished
    when the scene is rendered)."""
    screen = find(kiosk, "stack").property("currentItem")
    for _ in range(2):
        kiosk.window.grabWindow()
        qtbot.wait(10)
    return audit_window(kiosk.window, roots=[screen], context=context)


def audits_at_200_percent(qtbot, kiosk, **context):
    """Text at 200 %, then for each theme: (theme, the audit of the current screen)."""
    kiosk.a11y.stepTextScale(8)  # clamped at 200 %
    assert kiosk.a11y.textPercent == 200
    for theme in kiosk.a11y.themeNames:
        kiosk.a11y.setTheme(theme)
        yield theme, audit_screen(qtbot, kiosk, theme=theme, **context)
