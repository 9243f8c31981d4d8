"""The "Recherche" screen and the whole visitor path to a document request, by touch."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from numeribus_kiosk import store
from numeribus_kiosk.journal import outbox, usage

from .conftest import centre, scroll_into_view
from .conftest import find as find_object


def items(root: QQuickItem):
    yield root
    for child in root.childItems():
        yield from items(child)


def find(kiosk, name: str):
    """A QML object by objectName, including Repeater delegates (which have no QObject parent)."""
    for item in items(kiosk.window.contentItem()):
        if item.objectName() == name:
            return item
    return find_object(kiosk, name)


def result_card(kiosk, index: int) -> QQuickItem:
    """The card of result ``index``: the newest one (cards of replaced results may await deletion)."""
    name = f"resultCard_{index}"
    cards = [item for item in items(kiosk.window.contentItem()) if item.objectName() == name and item.isVisible()]
    assert cards, f"no result card {index}"
    return cards[-1]


def keyboard_keys(panel: QQuickItem) -> dict[str, QQuickItem]:
    """The visible keys of the on-screen keyboard, by their text."""
    found: dict[str, QQuickItem] = {}
    for item in items(panel):
        text = item.property("text")
        if isinstance(text, str) and text and item.property("key") is not None and item.isVisible():
            found.setdefault(text, item)
    return found


def touch(qtbot, kiosk, clock, item) -> None:
    """One finger tap on ``item`` (scrolled into view first), past the tap guard afterwards."""
    scroll_into_view(item)
    qtbot.wait(5)
    device = QTest.createTouchDevice()
    point = centre(item)
    QTest.touchEvent(kiosk.window, device).press(0, point, kiosk.window).commit()
    qtbot.wait(10)
    QTest.touchEvent(kiosk.window, device).release(0, point, kiosk.window).commit()
    clock.advance(1.0)
    qtbot.wait(5)


def settle(qtbot, kiosk, screen: str) -> None:
    qtbot.waitUntil(lambda: kiosk.window.property("currentScreen") == screen, timeout=3000)
    qtbot.waitUntil(lambda: not find(kiosk, "stack").property("busy"), timeout=3000)


def focus_field(qtbot, kiosk, clock, name: str) -> QQuickItem:
    """Touch a text field; the on-screen keyboard opens."""
    field = find(kiosk, name)
    touch(qtbot, kiosk, clock, field)
    if not field.property("activeFocus"):
        # The offscreen window is never "active", so a touch cannot give keyboard focus.
        field.forceActiveFocus()
    panel = find(kiosk, "inputPanel")
    qtbot.waitUntil(lambda: panel.property("active") and "a" in keyboard_keys(panel), timeout=3000)
    return field


def type_on_keyboard(qtbot, kiosk, clock, text: str) -> None:
    """Tap the keys of the Qt Virtual Keyboard one by one (found by their text)."""
    panel = find(kiosk, "inputPanel")
    for char in text:
        touch(qtbot, kiosk, clock, keyboard_keys(panel)[char])


@pytest.fixture
def fast_search(ui):
    ui.search.debounceMs = 0  # no wall-clock wait: tests wait for resultsReady
    return ui.search


def open_search(qtbot, ui, clock):
    touch(qtbot, ui, clock, find(ui, "tileRecherche"))
    settle(qtbot, ui, "recherche")


def test_touch_path_from_home_to_a_saved_request(ui, qtbot, clock, fast_search, ui_data_dir):
    open_search(qtbot, ui, clock)
    field = focus_field(qtbot, ui, clock, "searchField")
    panel = find(ui, "inputPanel")
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        type_on_keyboard(qtbot, ui, clock, "hugo")
    qtbot.waitUntil(lambda: not fast_search.busy, timeout=5000)
    assert field.property("text") == "hugo" and fast_search.query == "hugo"
    assert find(ui, "resultCount").property("text") == "2 résultats"
    # The results stay above the keyboard.
    card = result_card(ui, 0)
    assert card.mapToScene(card.boundingRect().topLeft()).y() < panel.property("y")
    record_id = fast_search.data(fast_search.index(0, 0), fast_search.RecordIdRole)

    touch(qtbot, ui, clock, card)
    settle(qtbot, ui, "notice")
    assert ui.notice.recordId == record_id
    touch(qtbot, ui, clock, find(ui, "requestButton"))
    qtbot.waitUntil(lambda: find(ui, "demandeForm").property("visible"))

    focus_field(qtbot, ui, clock, "nameField")
    type_on_keyboard(qtbot, ui, clock, "jeanne")
    focus_field(qtbot, ui, clock, "contactField")
    type_on_keyboard(qtbot, ui, clock, "carte-jv")
    assert find(ui, "nameField").property("text") == "Jeanne"  # capital first letter: the keyboard's auto-uppercase
    stop = find(ui, "stop_0")
    touch(qtbot, ui, clock, stop)
    touch(qtbot, ui, clock, find(ui, "consentChip"))
    assert find(ui, "consentChip").property("on")
    with qtbot.waitSignal(ui.journal.requestSaved, timeout=10000) as saved:
        touch(qtbot, ui, clock, find(ui, "sendButton"))
    assert saved.args == [True, ""]
    qtbot.waitUntil(lambda: find(ui, "requestConfirmation").property("visible"))
    ui.journal.flush()
    db = store.open_journal_db(ui_data_dir)
    try:
        [row] = list(db["requests"].rows)
        assert row["record_id"] == record_id and row["name"] == "Jeanne" and row["contact"] == "carte-jv"
        assert row["stop"] == stop.property("text")
        assert "request.created" in [e.kind for e in outbox.pending(db)]
        counters = usage.counters_for(db, date.today())
        assert counters["search"] == 1 and counters["notice_opened"] == 1 and counters["request"] == 1
    finally:
        db.close()


def test_facet_chip_filters_and_clear(ui, qtbot, clock, fast_search):
    open_search(qtbot, ui, clock)
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        fast_search.query = "le"
    all_count = fast_search.total
    chip = find(ui, "flag_on_board")
    assert chip.property("text").startswith("À bord (")
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        touch(qtbot, ui, clock, chip)
    assert find(ui, "flag_on_board").property("on")
    assert 0 < fast_search.total < all_count
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        touch(qtbot, ui, clock, find(ui, "clearButton"))
    assert find(ui, "searchField").property("text") == "" and fast_search.filters() == {}


def test_corrected_and_empty_states(ui, qtbot, clock, fast_search):
    open_search(qtbot, ui, clock)
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        fast_search.query = "frankenstien"
    corrected = find(ui, "correctedText")
    assert corrected.property("visible") and corrected.property("text") == "Résultats pour « frankenstein »"
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        fast_search.query = "zzxqwv"
    assert find(ui, "emptyState").property("visible")
    assert not find(ui, "resultCount").property("visible")


def test_cards_speak_when_touched(ui, qtbot, clock, fast_search):
    ui.a11y.setSpeech(True)
    open_search(qtbot, ui, clock)
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        fast_search.query = "hugo"
    qtbot.wait(10)
    card = result_card(ui, 0)
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(card))
    assert ui.speech.lastSpoken.endswith(", bouton") and "Livre" in ui.speech.lastSpoken
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(card))


@pytest.mark.parametrize("profile", [None, "malvoyant", "dys", "senior"])
def test_search_screen_loads_without_warning(ui, qtbot, fast_search, profile):
    if profile:
        ui.a11y.applyProfile(profile)
    for _ in range(4):
        ui.a11y.stepTextScale(1)  # 200 %
    assert ui.window.navigate("recherche", {})
    settle(qtbot, ui, "recherche")
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        fast_search.query = "hugo"
    qtbot.wait(20)
    card = result_card(ui, 0)
    assert card.property("title") == fast_search.data(fast_search.index(0, 0))
    title = card.findChild(QQuickItem, "cardTitle")
    assert title.property("implicitHeight") <= title.property("height") + 0.5
    for theme in ui.a11y.themeNames:
        ui.a11y.setTheme(theme)
        qtbot.wait(5)


def test_idle_reset_clears_the_search(ui, qtbot, clock, fast_search):
    open_search(qtbot, ui, clock)
    with qtbot.waitSignal(fast_search.resultsReady, timeout=5000):
        fast_search.query = "hugo"
    clock.advance(ui.a11y.idleTimeoutS)
    ui.idle.tick()
    clock.advance(20)
    ui.idle.tick()
    settle(qtbot, ui, "accueil")
    assert fast_search.query == "" and fast_search.rowCount() == 0
