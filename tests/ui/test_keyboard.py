"""The on-screen keyboard: our AZERTY fr_FR layout, every accented letter typed with one tap.

A TextField is added to the kiosk window (the screens with text fields are tested on their
own); giving it the focus opens the InputPanel, whose item tree then holds our keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from numeribus_kiosk import app as kiosk_app

from .conftest import centre, find

LAYOUT_DIR = kiosk_app.KEYBOARD_LAYOUTS_DIR / "fr_FR"
ACCENTED = "éèêëàâùûçîïôœ"

FIELD_QML = b"""
import QtQuick
import QtQuick.Controls.Basic
TextField {
    objectName: "testField"
    z: 2000
    width: 600
    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
}
"""


def items(root: QQuickItem):
    yield root
    for child in root.childItems():
        yield from items(child)


def keys(panel: QQuickItem) -> dict[str, QQuickItem]:
    """The visible letter keys of the keyboard, by their text."""
    found: dict[str, QQuickItem] = {}
    for item in items(panel):
        text = item.property("text")
        if isinstance(text, str) and text and item.property("key") is not None and item.isVisible():
            found.setdefault(text, item)
    return found


@pytest.fixture
def field(ui, qtbot):
    component = QQmlComponent(ui.engine)
    component.setData(FIELD_QML, "file:///testField.qml")
    item = component.create()
    assert item is not None, component.errorString()
    item.setParentItem(ui.window.contentItem())
    item.forceActiveFocus()
    panel = find(ui, "inputPanel")
    qtbot.waitUntil(lambda: panel.property("active") and "é" in keys(panel), timeout=3000)
    qtbot.waitUntil(lambda: panel.property("y") + panel.property("height") <= ui.window.height() + 0.5)
    yield item
    item.setParentItem(None)
    item.deleteLater()


def tap(qtbot, kiosk, clock, key: QQuickItem) -> None:
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(key))
    clock.advance(1.0)  # past the tap guard: a visitor's next key
    qtbot.wait(1)


def type_text(qtbot, kiosk, clock, text: str) -> None:
    panel = find(kiosk, "inputPanel")
    for char in text:
        if char.isupper():
            tap(qtbot, kiosk, clock, find_shift(panel))
        tap(qtbot, kiosk, clock, keys(panel)[char.lower()])


def find_shift(panel: QQuickItem) -> QQuickItem:
    for item in items(panel):
        if item.metaObject().className().startswith("ShiftKey") and item.isVisible():
            return item
    raise AssertionError("no Shift key")


def test_layout_files_exist_and_have_no_long_press():
    main = (LAYOUT_DIR / "main.qml").read_text(encoding="utf-8")
    assert "alternativeKeys" not in main  # nothing hidden behind a long press
    for char in ACCENTED:
        assert f'text: "{char}"' in main, char
    for other in ("symbols", "digits", "numbers", "dialpad"):  # Qt's own for the rest
        assert (LAYOUT_DIR / f"{other}.fallback").exists()


def test_layout_path_given_to_main_qml(ui):
    assert Path(ui.window.property("keyboardLayoutPath").toLocalFile()) == kiosk_app.KEYBOARD_LAYOUTS_DIR
    assert kiosk_app.keyboard_layout_path({"QT_VIRTUALKEYBOARD_LAYOUT_PATH": "/elsewhere"}) == ""


def test_keyboard_is_ours_inside_the_window_with_big_keys(ui, field, qtbot):
    panel = find(ui, "inputPanel")
    found = keys(panel)
    for char in ACCENTED + "azertyuiopqsdfghjklmwxcvbn":
        assert char in found, char
    # Inside the window, at the bottom, full width.
    assert panel.property("x") >= 0 and panel.property("width") <= ui.window.width()
    assert panel.property("y") >= 0
    for char in ("é", "œ", "a", "m"):
        key = found[char]
        assert key.height() >= ui.a11y.minTarget and key.width() >= ui.a11y.minTarget, char
    ui.a11y.applyProfile("senior")  # 18 mm targets
    qtbot.wait(5)
    key = keys(panel)["é"]
    assert key.height() >= ui.a11y.minTarget and key.width() >= ui.a11y.minTarget


@pytest.mark.parametrize("char", ["é", "ç", "à"])
def test_one_tap_types_an_accented_letter(ui, field, qtbot, clock, char):
    tap(qtbot, ui, clock, keys(find(ui, "inputPanel"))[char])
    assert field.property("text") == char


def test_one_touch_types_an_accented_letter(ui, field, qtbot, clock):
    key = keys(find(ui, "inputPanel"))["è"]
    device = QTest.createTouchDevice()
    point = QPointF(centre(key))
    QTest.touchEvent(ui.window, device).press(0, point.toPoint(), ui.window)
    QTest.touchEvent(ui.window, device).release(0, point.toPoint(), ui.window)
    qtbot.wait(5)
    assert field.property("text") == "è"


def accessible_name(item: QQuickItem) -> str | None:
    """The ``Accessible.name`` set in QML (its attached object is a child of the item)."""
    for child in item.children():
        if child.metaObject().className() == "QQuickAccessibleAttached":
            return child.property("name")
    return None


def test_accented_keys_have_spoken_names(ui, field):
    found = keys(find(ui, "inputPanel"))
    assert accessible_name(found["é"]) == "e accent aigu"
    assert accessible_name(found["ç"]) == "c cédille"
    assert accessible_name(found["œ"]) == "e dans l'o"


def test_accented_words(ui, field, qtbot, clock):
    type_text(qtbot, ui, clock, "Noël")
    assert field.property("text") == "Noël"
    tap(qtbot, ui, clock, keys(find(ui, "inputPanel"))[" "])
    type_text(qtbot, ui, clock, "cœur")
    assert field.property("text") == "Noël cœur"


def test_shift_gives_accented_capitals(ui, field, qtbot, clock):
    type_text(qtbot, ui, clock, "ÉÇŒ")
    assert field.property("text") == "ÉÇŒ"
