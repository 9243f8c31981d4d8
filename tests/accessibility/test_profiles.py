"""Tests of the accessibility settings and profiles."""

from __future__ import annotations

import dataclasses
import json

import pytest

from numeribus_kiosk.accessibility.profiles import (
    DEFAULTS,
    PROFILE_NAMES,
    PROFILES,
    A11ySettings,
    apply_profile,
    step_text_scale,
)
from numeribus_kiosk.accessibility.themes import THEME_NAMES


def test_defaults():
    assert A11ySettings() == DEFAULTS
    assert DEFAULTS.text_scale == 1.0
    assert DEFAULTS.text_percent == 100
    assert DEFAULTS.font == "Andika"
    assert DEFAULTS.theme == "standard"
    assert DEFAULTS.tap_guard_ms == 500
    assert DEFAULTS.idle_timeout_s == 90
    assert not DEFAULTS.syllable_colouring
    assert not DEFAULTS.speech


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.text_scale = 2.0  # type: ignore[misc]


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5, 1.75, 2.0, 1, 2])
def test_valid_text_scales(scale):
    assert A11ySettings(text_scale=scale).text_scale == float(scale)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text_scale": 0.75}, "text_scale must be between 1 and 2"),
        ({"text_scale": 2.5}, "text_scale must be between 1 and 2"),
        ({"text_scale": 1.3}, "multiple of 0.25"),
        ({"text_scale": float("nan")}, "text_scale must be between"),
        ({"text_scale": "big"}, "text_scale must be a number"),
        ({"font": "Comic Sans MS"}, "font must be one of Andika, OpenDyslexic"),
        ({"theme": "rose"}, "theme must be one of standard, contraste, sombre, creme"),
        ({"speech": 1}, "speech must be True or False"),
        ({"speech_volume": 1.5}, "speech_volume must be between 0 and 1"),
        ({"speech_rate": 20}, "speech_rate must be between 80 and 300"),
        ({"speech_rate": 150.5}, "speech_rate must be a whole number"),
        ({"tap_guard_ms": -1}, "tap_guard_ms must be between 0 and 2000"),
        ({"target_scale": 3.0}, "target_scale must be between 1 and 2"),
        ({"idle_timeout_s": 5}, "idle_timeout_s must be between 30 and 1800"),
        ({"letter_spacing": -0.1}, "letter_spacing must be between"),
        ({"line_height": True}, "line_height must be a number"),
    ],
)
def test_invalid_values_raise_clear_errors(changes, message):
    with pytest.raises(ValueError, match=message):
        A11ySettings(**changes)
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(DEFAULTS, **changes)


def test_profile_names():
    assert set(PROFILE_NAMES) == {"malvoyant", "dys", "senior"}
    for overrides in PROFILES.values():
        dataclasses.replace(DEFAULTS, **overrides)  # every profile is valid
    with pytest.raises(TypeError):
        PROFILES["dys"]["font"] = "x"  # type: ignore[index]


def test_malvoyant_profile():
    s = apply_profile(DEFAULTS, "malvoyant")
    assert s.text_scale == 2.0
    assert s.text_percent == 200
    assert s.theme == "contraste"
    assert s.speech
    assert s.target_scale > DEFAULTS.target_scale


def test_dys_profile():
    s = apply_profile(DEFAULTS, "dys")
    assert s.font == "OpenDyslexic"
    assert s.theme == "creme"
    assert s.syllable_colouring
    assert not s.italics
    assert s.letter_spacing > 0 and s.word_spacing > 0
    assert s.line_height >= 1.5


def test_senior_profile():
    s = apply_profile(DEFAULTS, "senior")
    assert s.text_scale == 1.5
    assert s.target_scale > DEFAULTS.target_scale
    assert s.idle_timeout_s == 180
    assert s.speech_rate < DEFAULTS.speech_rate


def test_profiles_combine_and_keep_other_settings():
    s = apply_profile(apply_profile(DEFAULTS, "dys"), "senior")
    assert s.font == "OpenDyslexic" and s.syllable_colouring
    assert s.idle_timeout_s == 180 and s.text_scale == 1.5
    custom = dataclasses.replace(DEFAULTS, speech=True, speech_volume=0.3)
    assert apply_profile(custom, "dys").speech_volume == 0.3


def test_unknown_profile():
    with pytest.raises(ValueError, match="unknown profile 'enfant'; expected one of malvoyant, dys, senior"):
        apply_profile(DEFAULTS, "enfant")


def test_step_text_scale_clamps():
    s = step_text_scale(DEFAULTS, 1)
    assert s.text_scale == 1.25
    assert step_text_scale(s, -1).text_scale == 1.0
    assert step_text_scale(DEFAULTS, -3).text_scale == 1.0
    assert step_text_scale(DEFAULTS, 10).text_scale == 2.0


def test_dict_round_trip_is_json_friendly():
    s = apply_profile(DEFAULTS, "malvoyant")
    data = json.loads(json.dumps(s.to_dict()))
    assert A11ySettings.from_dict(data) == s
    assert A11ySettings.from_dict(data, strict=True) == s


def test_from_dict_tolerates_damaged_data():
    s = A11ySettings.from_dict({"text_scale": 9, "theme": "sombre", "unknown": 1, "speech": "yes"})
    assert s == dataclasses.replace(DEFAULTS, theme="sombre")
    with pytest.raises(ValueError, match="unknown accessibility setting"):
        A11ySettings.from_dict({"unknown": 1}, strict=True)
    with pytest.raises(ValueError):
        A11ySettings.from_dict({"text_scale": 9}, strict=True)


def test_all_themes_are_selectable():
    for name in THEME_NAMES:
        assert A11ySettings(theme=name).theme == name
