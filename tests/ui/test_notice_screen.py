"""The "Notice" screen: record details, DYS syllables, reading aloud, the request form's refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from numeribus_kiosk import store
from numeribus_kiosk.accessibility.speech_text import speakable

from .conftest import centre, scroll_into_view
from .conftest import find as find_object

# A demo record with a summary, on board.
RECORD_WITH_SUMMARY = "00357555"


def items(root: QQuickItem):
    yield root
    for child in root.childItems():
        yield from items(child)


def find(kiosk, name: str):
    for item in items(kiosk.window.contentItem()):
        if item.objectName() == name:
            return item
    return find_object(kiosk, name)


def click(qtbot, kiosk, clock, name: str) -> None:
    item = find(kiosk, name)
    for _ in range(2):  # once more after the layout settled (200 %: the page re-lays out)
        scroll_into_view(item)
        qtbot.wait(5)
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(item))
    clock.advance(1.0)
    qtbot.wait(5)


def open_notice(qtbot, ui, record_id: str = RECORD_WITH_SUMMARY) -> None:
    assert ui.window.navigate("notice", {"recordId": record_id})
    qtbot.waitUntil(lambda: ui.window.property("currentScreen") == "notice", timeout=3000)
    qtbot.waitUntil(lambda: not find(ui, "stack").property("busy"), timeout=3000)


def test_notice_shows_the_record(ui, qtbot):
    open_notice(qtbot, ui)
    record = ui.catalogue.get(RECORD_WITH_SUMMARY)
    assert ui.notice.title == record.title
    assert find(ui, "availability").property("text") == "✔ À bord du numéribus"
    assert find(ui, "callNumbers").property("visible")
    assert find(ui, "noticeSummary").property("text") == record.summary  # no colouring by default
    assert all("(" in a for a in ui.notice.authors)  # "Nom (auteur)"


def test_dys_mode_colours_syllables(ui, qtbot):
    open_notice(qtbot, ui)
    ui.a11y.applyProfile("dys")
    qtbot.wait(5)
    summary = find(ui, "noticeSummary").property("text")
    assert summary.count("<font color=") > 10
    assert ui.a11y.accent.name().upper() in summary.upper()
    assert "<font color=" in find(ui, "noticeTitle").property("text")


def test_read_aloud_speaks_the_notice(ui, qtbot, clock):
    open_notice(qtbot, ui)
    click(qtbot, ui, clock, "readAloudButton")
    assert ui.speech.enabled  # asked for the voice: switched on
    assert ui.speech.lastSpoken == speakable(ui.notice.speakableText)
    assert ui.notice.title.split()[0] in ui.speech.lastSpoken and "Résumé" in ui.speech.lastSpoken


def test_refused_consent_shows_the_french_problem(ui, qtbot, clock, ui_data_dir):
    open_notice(qtbot, ui)
    click(qtbot, ui, clock, "requestButton")
    find(ui, "nameField").setProperty("text", "Jeanne")
    find(ui, "contactField").setProperty("text", "06 12 34 56 78")
    with qtbot.waitSignal(ui.journal.requestSaved, timeout=5000) as saved:
        click(qtbot, ui, clock, "sendButton")
    assert saved.args == [False, "consent"]
    problem = find(ui, "requestProblem")
    assert problem.property("visible") and "J'accepte" in problem.property("text")
    assert not find(ui, "requestConfirmation").property("visible")
    ui.journal.flush()
    db = store.open_journal_db(ui_data_dir)
    try:
        assert list(db["requests"].rows) == []
    finally:
        db.close()


def test_stops_come_from_the_schedule(ui, qtbot, clock):
    open_notice(qtbot, ui)
    click(qtbot, ui, clock, "requestButton")
    assert ui.notice.stops and len(set(ui.notice.stops)) == len(ui.notice.stops)
    assert find(ui, "stop_0").property("text") == ui.notice.stops[0]
    assert find(ui, "stopAutre").property("text") == "Autre"


def test_unknown_record(ui, qtbot):
    open_notice(qtbot, ui, "no-such-record")
    assert find(ui, "noticeMissing").property("visible")


def test_catalogue_get_is_fast_enough_for_the_ui_thread(ui):
    import time

    started = time.perf_counter()
    for _ in range(20):
        ui.notice.load(RECORD_WITH_SUMMARY)
    assert (time.perf_counter() - started) / 20 < 0.016


@pytest.mark.parametrize("profile", [None, "malvoyant", "dys", "senior"])
def test_notice_loads_without_warning(ui, qtbot, clock, profile):
    if profile:
        ui.a11y.applyProfile(profile)
    for _ in range(4):
        ui.a11y.stepTextScale(1)  # 200 %
    open_notice(qtbot, ui)
    click(qtbot, ui, clock, "requestButton")
    title = find(ui, "noticeTitle")
    assert title.property("implicitHeight") <= title.property("height") + 0.5
    for theme in ui.a11y.themeNames:
        ui.a11y.setTheme(theme)
        qtbot.wait(5)
