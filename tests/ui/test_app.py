"""The whole kiosk window, built as app.run() builds it (mock speech, fake clock)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QColor, QWindow
from PySide6.QtTest import QTest

from numeribus_kiosk import app as kiosk_app
from numeribus_kiosk.ui import QML_MODULE_DIR

from .conftest import centre, find, scroll_into_view


def click(qtbot, kiosk, name: str, clock=None) -> None:
    item = find(kiosk, name)
    assert item.property("visible"), f"{name} is not visible"
    scroll_into_view(item)
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre(item))
    if clock is not None:
        clock.advance(1.0)  # past the tap guard
    qtbot.wait(1)


def settle(qtbot, kiosk, screen: str) -> None:
    qtbot.waitUntil(lambda: kiosk.window.property("currentScreen") == screen, timeout=2000)
    qtbot.waitUntil(lambda: not find(kiosk, "stack").property("busy"), timeout=2000)


def test_app_module_imports_without_side_effects():
    code = (
        "import os, sys; before = dict(os.environ); import numeribus_kiosk.app; "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')), dict(os.environ) == before)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "[] True"


def test_configure_environment_keeps_explicit_values():
    env = {"QT_QUICK_CONTROLS_STYLE": "Fusion"}
    kiosk_app.configure_environment(env)
    assert env == {"QT_QUICK_CONTROLS_STYLE": "Fusion", "QT_IM_MODULE": "qtvirtualkeyboard"}


def test_main_loads_fullscreen_frameless_on_accueil(ui, qt_messages):
    window = ui.window
    assert window.property("currentScreen") == "accueil"
    assert window.visibility() == QWindow.Visibility.FullScreen
    assert window.flags() & Qt.WindowType.FramelessWindowHint
    assert find(ui, "homeButton").property("text") == "Accueil"


@pytest.mark.parametrize("screen", ["accessibilite", "accueil"])
def test_each_screen_loads_without_warning(ui, qtbot, screen):
    assert ui.window.navigate(screen, {})
    settle(qtbot, ui, screen)
    # A text size of 200 % with every profile must not produce warnings either.
    for profile in ("malvoyant", "dys", "senior"):
        ui.a11y.applyProfile(profile)
        qtbot.wait(5)


def test_all_qml_files_are_in_qmldir():
    listed = {line.split()[-1] for line in (QML_MODULE_DIR / "qmldir").read_text().splitlines()[1:]}
    assert listed == {p.name for p in QML_MODULE_DIR.glob("*.qml")}


def test_unwritten_screen_is_not_faked(ui):
    assert ui.window.navigate("nowhere", {}) is False
    assert ui.window.property("currentScreen") == "accueil"


def test_profile_theme_and_scale_reach_the_items(ui, qtbot, clock):
    click(qtbot, ui, "accessibilityButton", clock)
    settle(qtbot, ui, "accessibilite")
    home = find(ui, "homeButton")
    assert home.property("font").pixelSize() == 26
    assert home.property("height") >= 49
    click(qtbot, ui, "profileMalvoyant", clock)
    assert ui.a11y.theme == "contraste"
    assert ui.window.property("color") == QColor("#000000")
    assert home.property("font").pixelSize() == 52
    qtbot.waitUntil(lambda: home.property("height") >= 73)  # 18 mm at 0.248 mm/px
    assert find(ui, "textPercent").property("text") == "200 %"
    assert find(ui, "repeatButton").property("visible")  # speech controls appear
    click(qtbot, ui, "textSmaller", clock)
    assert find(ui, "textPercent").property("text") == "175 %"
    click(qtbot, ui, "themeCreme", clock)
    assert ui.window.property("color") == QColor("#FDF6E3")
    assert find(ui, "themeCreme").property("on") and not find(ui, "themeContraste").property("on")
    click(qtbot, ui, "profileDys", clock)
    assert home.property("font").family() == "OpenDyslexic"


def test_text_at_200_percent_does_not_clip_buttons(ui, qtbot):
    ui.window.navigate("accessibilite", {})
    settle(qtbot, ui, "accessibilite")
    for _ in range(4):
        ui.a11y.stepTextScale(1)
    qtbot.wait(20)
    for name in ("profileMalvoyant", "resetDefaults", "speechToggle", "themeContraste", "homeButton"):
        button = find(ui, name)
        content = button.property("contentItem")
        assert content.property("implicitHeight") <= content.property("height") + 0.5, name
        assert content.property("lineCount") >= 1


def test_tap_guard_drops_a_repeated_press(ui, qtbot, clock):
    ui.window.navigate("accessibilite", {})
    settle(qtbot, ui, "accessibilite")
    click(qtbot, ui, "textBigger")
    clock.advance(0.3)
    click(qtbot, ui, "textBigger")  # trembling double press: ignored
    assert ui.a11y.textPercent == 125
    clock.advance(0.3)
    click(qtbot, ui, "textBigger")
    assert ui.a11y.textPercent == 150


def test_escape_and_close_do_nothing_in_kiosk_mode(ui, qtbot):
    window = ui.window
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible()
    assert window.close() is False  # what Alt+F4 / the window manager asks for
    assert window.isVisible()


def test_switching_to_english_changes_visible_strings(ui, qtbot, clock):
    click(qtbot, ui, "languageEn", clock)
    assert ui.language.language == "en"
    assert find(ui, "homeButton").property("text") == "Home"
    assert find(ui, "tileRecherche").property("text") == "Find a document"
    assert find(ui, "languageEn").property("on")
    click(qtbot, ui, "languageFr", clock)
    assert find(ui, "homeButton").property("text") == "Accueil"


def test_touch_on_a_tile_navigates(ui, qtbot):
    device = QTest.createTouchDevice()
    tile = find(ui, "tileAccessibilite")
    scroll_into_view(tile)
    qtbot.wait(10)
    point = centre(tile)
    QTest.touchEvent(ui.window, device).press(0, point, ui.window).commit()
    qtbot.wait(20)
    QTest.touchEvent(ui.window, device).release(0, point, ui.window).commit()
    settle(qtbot, ui, "accessibilite")


def test_idle_warning_cancel_and_reset(ui, qtbot, clock):
    overlay = find(ui, "idleWarning")
    ui.window.navigate("accessibilite", {})
    settle(qtbot, ui, "accessibilite")
    ui.a11y.applyProfile("malvoyant")  # speech on: the warning is spoken
    clock.advance(ui.a11y.idleTimeoutS)
    ui.idle.tick()
    assert ui.idle.warning and overlay.property("visible")
    assert ui.speech.lastSpoken.startswith("Retour à l'accueil dans 20 secondes")
    assert find(ui, "idleCountdown").property("text") == "Retour à l'accueil dans 20 secondes."
    clock.advance(7)
    ui.idle.tick()
    assert find(ui, "idleCountdown").property("text") == "Retour à l'accueil dans 13 secondes."

    # One tap anywhere cancels (and does nothing underneath).
    QTest.mouseClick(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    assert not ui.idle.warning and not overlay.property("visible")
    assert ui.window.property("currentScreen") == "accessibilite"

    # Left alone: warning, then a full reset.
    clock.advance(ui.a11y.idleTimeoutS)
    ui.idle.tick()
    with qtbot.waitSignal(ui.idle.resetRequested, timeout=500):
        clock.advance(20)
        ui.idle.tick()
    settle(qtbot, ui, "accueil")
    assert ui.a11y.atDefaults and not ui.speech.enabled and ui.speech.lastSpoken == ""
    assert ui.window.property("color") == QColor("#FFFFFF")


def test_idle_reset_restores_french(ui, qtbot, clock):
    click(qtbot, ui, "languageEn", clock)
    clock.advance(ui.a11y.idleTimeoutS)
    ui.idle.tick()
    clock.advance(20)
    ui.idle.tick()
    assert ui.language.language == "fr"
    assert find(ui, "homeButton").property("text") == "Accueil"


def test_untouched_home_screen_is_not_reset(ui, clock):
    clock.advance(1000)
    ui.idle.tick()
    assert not ui.idle.warning


def test_pressing_a_button_speaks_it(ui, qtbot, clock):
    ui.a11y.setSpeech(True)
    click(qtbot, ui, "tileAccessibilite", clock)
    assert ui.speech.lastSpoken == "Accessibilité. Texte plus grand, couleurs, lecture à voix haute, bouton"
    settle(qtbot, ui, "accessibilite")
    click(qtbot, ui, "reducedMotion", clock)
    assert ui.speech.lastSpoken == "Réduire les animations, interrupteur, activé"
    click(qtbot, ui, "repeatButton", clock)  # does not speak itself
    assert ui.speech.lastSpoken == "Réduire les animations, interrupteur, activé"


def test_quit_is_possible_through_main_quit(ui):
    ui.window.quit()
    assert not ui.window.isVisible()


def test_window_objects_are_found_by_name(ui):
    assert isinstance(find(ui, "topBar"), QObject)
