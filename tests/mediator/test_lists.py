"""The session form's lists: defaults, config.toml's [lists] table, bad values reported."""

from __future__ import annotations

from numeribus_kiosk.mediator.lists import DEFAULT_ACTIVITIES, DEFAULT_DURATIONS, DEFAULT_PUBLICS, load_lists


def write_config(path, text: str) -> None:
    (path / "config.toml").write_text(text, encoding="utf-8")


def test_defaults_are_the_issue_lists(tmp_path):
    lists = load_lists(tmp_path)
    assert lists.activities == DEFAULT_ACTIVITIES
    assert "café tablette" in lists.activities and "initiation impression 3D / fablab" in lists.activities
    assert lists.publics == DEFAULT_PUBLICS and "seniors / EHPAD" in lists.publics
    assert lists.mediators == () and lists.durations == DEFAULT_DURATIONS and lists.problems == ()


def test_config_replaces_lists_keeps_order_drops_blanks_and_repeats(tmp_path):
    write_config(
        tmp_path,
        '[lists]\nactivities = ["heure du conte numérique", "  atelier   tablette ", "", "atelier tablette"]\n'
        'mediators = ["Camille", "Karim"]\ndurations = [45, 90, 45]\n',
    )
    lists = load_lists(tmp_path)
    assert lists.activities == ("heure du conte numérique", "atelier tablette")
    assert lists.mediators == ("Camille", "Karim")
    assert lists.durations == (45, 90)
    assert lists.publics == DEFAULT_PUBLICS


def test_bad_values_are_reported_and_defaulted(tmp_path):
    write_config(tmp_path, '[lists]\nactivities = 3\npublics = [""]\ndurations = [0, "une heure"]\n')
    lists = load_lists(tmp_path)
    assert lists.activities == DEFAULT_ACTIVITIES and lists.publics == DEFAULT_PUBLICS
    assert lists.durations == DEFAULT_DURATIONS
    assert any("lists.activities must be a list of strings" in p for p in lists.problems)
    assert any("lists.publics is empty" in p for p in lists.problems)
    assert any("lists.durations" in p for p in lists.problems)


def test_unparsable_config_gives_the_defaults(tmp_path):
    write_config(tmp_path, "[lists\nactivities = ")
    lists = load_lists(tmp_path)
    assert lists.activities == DEFAULT_ACTIVITIES and "not valid TOML" in lists.problems[0]
