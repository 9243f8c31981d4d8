"""What the mediator screens' tests share: the PIN, opening the mode and a screen, reading items."""

from __future__ import annotations

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
