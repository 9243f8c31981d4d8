"""AccessibilityBridge: settings -> what QML draws with."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from numeribus_kiosk.accessibility.profiles import DEFAULTS
from numeribus_kiosk.accessibility.themes import THEMES
from numeribus_kiosk.ui.accessibility_bridge import AccessibilityBridge


@pytest.fixture
def a11y(qapp):
    return AccessibilityBridge(pixel_pitch_mm=0.248)


def test_min_target_is_at_least_12_mm(a11y):
    assert a11y.minTarget == 49  # 12 mm / 0.248 mm, rounded up
    assert a11y.minTarget * 0.248 >= 12


def test_senior_targets_are_at_least_16_mm(a11y):
    a11y.applyProfile("senior")
    assert a11y.minTarget * 0.248 >= 16


def test_pixel_pitch_changes_pixels_not_millimetres(qapp):
    bridge = AccessibilityBridge(pixel_pitch_mm=0.5)
    assert bridge.minTarget == 24
    assert bridge.targetMm == 12


def test_text_scale_steps_and_font_sizes(qtbot, a11y):
    assert (a11y.textPercent, a11y.fontBody) == (100, 24)
    with qtbot.waitSignal(a11y.settingsChanged):
        a11y.stepTextScale(1)
    assert (a11y.textPercent, a11y.fontBody) == (125, 30)
    for _ in range(10):
        a11y.stepTextScale(1)
    assert (a11y.textPercent, a11y.fontBody, a11y.canGrowText) == (200, 48, False)
    for _ in range(10):
        a11y.stepTextScale(-1)
    assert (a11y.textPercent, a11y.canShrinkText) == (100, False)


@pytest.mark.parametrize("name", list(THEMES))
def test_theme_colours_are_exposed(a11y, name):
    a11y.setTheme(name)
    theme = THEMES[name]
    assert a11y.theme == name
    assert a11y.background == QColor(theme.background)
    assert a11y.textColor == QColor(theme.text)
    assert a11y.buttonBackground == QColor(theme.button_background)
    assert a11y.focusRing == QColor(theme.focus_ring)


def test_profiles_combine_and_reset(a11y):
    a11y.applyProfile("dys")
    assert a11y.fontName == "OpenDyslexic" and a11y.fontFamily == "OpenDyslexic"
    assert a11y.theme == "creme" and a11y.syllableColouring and a11y.wideSpacing
    a11y.applyProfile("malvoyant")
    assert a11y.theme == "contraste" and a11y.speech and a11y.textPercent == 200
    assert a11y.fontName == "OpenDyslexic"  # kept from DYS
    a11y.resetToDefaults()
    assert a11y.settings == DEFAULTS and a11y.atDefaults


def test_invalid_values_are_refused_without_crash(a11y):
    a11y.setTheme("rose")
    a11y.setFont("Comic Sans MS")
    a11y.applyProfile("nobody")
    assert a11y.settings == DEFAULTS


def test_standard_font_is_drawn_with_an_installed_family(a11y):
    from PySide6.QtGui import QFontDatabase

    from numeribus_kiosk.app import register_fonts

    register_fonts()
    assert a11y.fontFamily in QFontDatabase.families()


def test_toggles(a11y):
    a11y.toggleSpeech()
    a11y.toggleReducedMotion()
    a11y.toggleSyllableColouring()
    a11y.toggleWideSpacing()
    assert a11y.speech and a11y.reducedMotion and a11y.syllableColouring and a11y.wideSpacing
    assert a11y.animationMs == 0
    assert a11y.letterSpacingPx == pytest.approx(0.12 * 24)
    a11y.toggleWideSpacing()
    assert not a11y.wideSpacing and a11y.letterSpacing == 0


def test_colour_syllables(a11y):
    assert a11y.colourSyllables("école <b>") == "école &lt;b&gt;"
    a11y.toggleSyllableColouring()
    html = a11y.colourSyllables("école")
    assert html.count("<font") == 3 and "é</font>" in html and "co</font>" in html
