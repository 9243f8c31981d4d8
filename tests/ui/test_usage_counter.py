"""Anonymous usage counters: switched_on() without Qt, then the wiring in the whole kiosk."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from numeribus_kiosk.accessibility.profiles import DEFAULTS, apply_profile
from numeribus_kiosk.journal import usage
from numeribus_kiosk.store import open_journal_db
from numeribus_kiosk.ui.usage_counter import A11Y_SWITCHES, switched_on


def on(**changes):
    return dataclasses.replace(DEFAULTS, **changes)


# ------------------------------------------------------------ switched_on (pure)
def test_every_counted_switch_is_a_known_counter():
    assert set(A11Y_SWITCHES) <= usage.COUNTERS


def test_nothing_switched_on_when_nothing_changes():
    assert switched_on(DEFAULTS, DEFAULTS) == []
    assert switched_on(DEFAULTS, on(speech_rate=200, idle_timeout_s=300)) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"text_scale": 1.25}, ["a11y.text_large"]),
        ({"font": "OpenDyslexic"}, ["a11y.font_dys"]),
        ({"theme": "contraste"}, ["a11y.contrast"]),
        ({"theme": "sombre"}, ["a11y.theme_dark"]),
        ({"theme": "creme"}, ["a11y.theme_cream"]),
        ({"speech": True}, ["a11y.speech"]),
        ({"syllable_colouring": True}, ["a11y.syllables"]),
        ({"reduced_motion": True}, ["a11y.reduced_motion"]),
    ],
)
def test_each_setting_switched_on(changes, expected):
    assert switched_on(DEFAULTS, on(**changes)) == expected


def test_only_the_off_to_on_transition_counts():
    assert switched_on(on(text_scale=1.25), on(text_scale=1.5)) == []  # still large
    assert switched_on(on(text_scale=1.5), DEFAULTS) == []  # switched off
    assert switched_on(on(speech=True), DEFAULTS) == []
    assert switched_on(on(theme="sombre"), on(theme="creme")) == ["a11y.theme_cream"]


def test_a_profile_switches_its_settings_on():
    assert sorted(switched_on(DEFAULTS, apply_profile(DEFAULTS, "malvoyant"))) == [
        "a11y.contrast",
        "a11y.reduced_motion",
        "a11y.speech",
        "a11y.text_large",
    ]


# ------------------------------------------------------------ the kiosk
def counts(kiosk, data_dir) -> dict[str, int]:
    kiosk.journal.flush()
    db = open_journal_db(data_dir)
    try:
        return usage.counters_for(db, date.today())
    finally:
        db.close()


def test_settings_switched_on_are_counted_each_time(ui, ui_data_dir):
    ui.a11y.toggleSpeech()  # on
    ui.a11y.toggleSpeech()  # off
    ui.a11y.toggleSpeech()  # on again
    ui.a11y.stepTextScale(1)  # 125 %
    ui.a11y.stepTextScale(1)  # 150 %: still large, not counted again
    ui.a11y.setTheme("sombre")
    ui.a11y.setTheme("creme")
    ui.a11y.setFont("OpenDyslexic")
    ui.a11y.toggleSyllableColouring()
    ui.a11y.toggleReducedMotion()
    assert counts(ui, ui_data_dir) == {
        "a11y.speech": 2,
        "a11y.text_large": 1,
        "a11y.theme_dark": 1,
        "a11y.theme_cream": 1,
        "a11y.font_dys": 1,
        "a11y.syllables": 1,
        "a11y.reduced_motion": 1,
    }


def test_profiles_are_counted(ui, ui_data_dir):
    ui.a11y.applyProfile("dys")
    ui.a11y.applyProfile("dys")  # already in force: not applied again
    ui.a11y.applyProfile("senior")
    ui.a11y.applyProfile("nonsense")  # refused (a logged warning, no Qt message)
    found = counts(ui, ui_data_dir)
    assert found["profile.dys"] == 1
    assert found["profile.senior"] == 1
    assert "profile.malvoyant" not in found
    # The settings the profile switched on count too.
    assert found["a11y.font_dys"] == 1 and found["a11y.theme_cream"] == 1 and found["a11y.syllables"] == 1


def test_english_is_counted_when_chosen(ui, ui_data_dir):
    ui.language.setLanguage("en")
    ui.language.setLanguage("fr")  # back to French: nothing
    ui.language.setLanguage("en")
    ui.language.setLanguage("fr")  # the English translator must not outlive the test
    assert counts(ui, ui_data_dir) == {"language.en": 2}


def test_idle_reset_is_counted_and_resetting_counts_nothing_else(ui, ui_data_dir, clock):
    ui.a11y.applyProfile("malvoyant")
    ui.language.setLanguage("en")
    for _ in range(2):
        clock.advance(ui.idle.timeoutS + 1)
        ui.idle.tick()
        assert ui.idle.warning
        clock.advance(ui.idle.warningS + 1)
        ui.idle.tick()
        ui.a11y.toggleSpeech()  # the next visitor turns speech on
    found = counts(ui, ui_data_dir)
    assert found["idle_reset"] == 2
    assert found["profile.malvoyant"] == 1
    assert found["language.en"] == 1
    assert found["a11y.speech"] == 1 + 2  # malvoyant, then each following visitor
    assert ui.a11y.settings.speech and ui.language.language == "fr"
