"""Tests of the colour themes and the WCAG contrast ratio."""

from __future__ import annotations

import pytest

from numeribus_kiosk.accessibility.themes import (
    THEME_NAMES,
    THEMES,
    Theme,
    contrast_ratio,
    get_theme,
    relative_luminance,
    text_pairs,
)


def test_the_four_themes_exist():
    assert THEME_NAMES == ("standard", "contraste", "sombre", "creme")
    assert get_theme("contraste").background == "#000000"
    assert get_theme("contraste").text == "#FFFF00"


def test_contrast_ratio_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # Well-known values: #767676 on white is the lightest grey passing 4.5:1.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") < 4.5
    assert contrast_ratio("#FFFF00", "#000000") == pytest.approx(19.56, abs=0.01)
    assert contrast_ratio("#fff", "#000") == pytest.approx(21.0)
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == 0.0


@pytest.mark.parametrize("bad", ["", "#12", "#GGGGGG", "red", "#1234567", None])
def test_bad_colours_raise_value_error(bad):
    with pytest.raises(ValueError):
        contrast_ratio(bad, "#000000")


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=THEME_NAMES)
def test_every_text_pair_is_readable(theme: Theme):
    required = 7.0 if theme.name == "contraste" else 4.5
    assert theme.min_text_contrast >= required
    pairs = text_pairs(theme)
    assert len(pairs) >= 13
    for description, fg, bg in pairs:
        ratio = contrast_ratio(fg, bg)
        assert ratio >= required, f"{theme.name}: {description} is only {ratio:.2f}:1"


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=THEME_NAMES)
def test_focus_ring_is_visible(theme: Theme):
    for bg in (theme.background, theme.surface):
        assert contrast_ratio(theme.focus_ring, bg) >= 3.0, bg


def test_creme_is_a_cream_background_with_dark_text():
    creme = get_theme("creme")
    assert relative_luminance(creme.background) > 0.85
    assert relative_luminance(creme.text) < 0.05


def test_as_dict_has_every_colour():
    colours = get_theme("sombre").as_dict()
    assert set(colours) >= {"background", "surface", "text", "focus_ring", "error", "success"}
    assert all(value.startswith("#") and len(value) == 7 for value in colours.values())


def test_unknown_theme():
    with pytest.raises(ValueError, match="unknown theme 'rose'"):
        get_theme("rose")


def test_malformed_theme_colour_is_rejected():
    with pytest.raises(ValueError):
        Theme(**{**get_theme("standard").as_dict(), "name": "x", "label": "x", "text": "black"})
