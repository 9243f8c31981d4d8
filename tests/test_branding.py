"""[branding]: the service's name in sentences, its colours in the themes, and what config.toml may say."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeribus_kiosk.accessibility.themes import THEMES, contrast_ratio, text_pairs
from numeribus_kiosk.branding import Branding, accent_problem
from numeribus_kiosk.settings import branding_settings, load_settings


@pytest.mark.parametrize(
    ("name", "article", "the", "of"),
    [
        ("numéribus", "le", "le numéribus", "du numéribus"),
        ("Navette numérique", "la", "la Navette numérique", "de la Navette numérique"),
        ("bibliobus", "les", "les bibliobus", "des bibliobus"),
        ("autobus des livres", "le", "l'autobus des livres", "de l'autobus des livres"),  # elided by itself
        ("Étoile", "la", "l'Étoile", "de l'Étoile"),
        ("inforoute", "l'", "l'inforoute", "de l'inforoute"),
        ("Ulysse", "", "Ulysse", "d'Ulysse"),
        ("Biblio'Mobile", "", "Biblio'Mobile", "de Biblio'Mobile"),
    ],
)
def test_french_forms(name, article, the, of):
    assert Branding(name=name, article=article).forms("fr") == (the, of)


def test_english_forms_and_title():
    assert Branding().forms("en") == ("the numéribus", "the numéribus")
    assert Branding(name="Ulysse", article="").forms("en") == ("Ulysse", "Ulysse")
    assert Branding().title == "Numéribus"
    assert Branding(name="navette", article="la").title == "Navette"


def test_colours_change_only_the_themes_they_are_for():
    themes = Branding(accent="#7A1F5C", accent_dark="#F4B6DA").themes()
    for name in ("standard", "creme"):
        assert (themes[name].accent, themes[name].button_background, themes[name].chip_on_background) == (
            "#7A1F5C",
        ) * 3
        assert themes[name].text == THEMES[name].text and themes[name].focus_ring == THEMES[name].focus_ring
    assert themes["sombre"].accent == "#F4B6DA"
    assert themes["contraste"] == THEMES["contraste"]
    assert Branding().themes() == dict(THEMES)


def test_a_colour_too_pale_is_refused_with_its_ratio():
    why = accent_problem("accent", "#FFCC00")
    assert why is not None and "'standard'" in why and ":1" in why and "4.5:1" in why
    assert accent_problem("accent_dark", "#123456") is not None  # dark on the dark theme's background
    assert accent_problem("accent", "#0B5CAD") is None  # the standard theme's own


colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06X}")


@settings(max_examples=300, deadline=None)
@given(accent=colours, accent_dark=colours)
def test_an_accepted_colour_keeps_every_theme_readable(accent, accent_dark):
    """Whatever colours pass `accent_problem`, every text of every theme keeps its contrast minimum."""
    branding = Branding(
        accent=accent if accent_problem("accent", accent) is None else None,
        accent_dark=accent_dark if accent_problem("accent_dark", accent_dark) is None else None,
    )
    for theme in branding.themes().values():
        for what, fg, bg in text_pairs(theme):
            assert contrast_ratio(fg, bg) >= theme.min_text_contrast, (theme.name, what, fg, bg)


def test_the_whole_table_is_read(data_dir):
    (data_dir / "logo.png").write_bytes(b"\x89PNG not checked here: the kiosk's Qt reads it")
    (data_dir / "config.toml").write_text(
        '[branding]\nname = "  Navette   numérique "\narticle = "La"\nlogo = "logo.png"\n'
        'accent = "7a1f5c"\naccent_dark = "#fbd"\n',
        encoding="utf-8",
    )
    settings = load_settings(data_dir)
    assert settings.branding == Branding(
        name="Navette numérique", article="la", logo=data_dir / "logo.png", accent="#7A1F5C", accent_dark="#FFBBDD"
    )
    assert settings.problems == []


@pytest.mark.parametrize(
    ("table", "expected", "message"),
    [
        ('name = ""', Branding(), "branding.name must be a text of 1 to 40"),
        ("name = 42", Branding(), "branding.name must be a text"),
        ('name = "' + "x" * 41 + '"', Branding(), "1 to 40 characters"),
        ('name = "Médiabus"', Branding(name="Médiabus"), 'without branding.article; "le" is assumed'),
        ('article = "der"', Branding(), 'branding.article must be "le", "la"'),
        ('accent = "bleu"', Branding(), 'branding.accent must be a colour like "#0B5CAD"'),
        ('accent = "#FFCC00"', Branding(), "too pale or too dark for the 'standard' theme"),
        ('accent_dark = "#0B5CAD"', Branding(), "too pale or too dark for the 'sombre' theme"),
        ('colour = "#0B5CAD"', Branding(), "branding.colour is not a known key"),
        ("logo = 3", Branding(), "branding.logo must be the path of an image file"),
        ('logo = "logo.gif"', Branding(), "must be a PNG, JPEG or SVG file"),
        ('logo = "missing.png"', Branding(), "cannot be read (No such file or directory)"),
        ('logo = "empty.svg"', Branding(), "must be a non-empty file of at most 2 MB"),
        ('logo = "huge.png"', Branding(), "must be a non-empty file of at most 2 MB"),
        ('logo = "folder.png"', Branding(), "must be a non-empty file"),
    ],
)
def test_a_bad_value_is_reported_and_its_default_kept(data_dir, table, expected, message):
    (data_dir / "empty.svg").write_bytes(b"")
    (data_dir / "huge.png").write_bytes(b"\0" * (2 * 1024 * 1024 + 1))
    (data_dir / "folder.png").mkdir()
    problems: list[str] = []
    assert branding_settings(tomllib.loads("[branding]\n" + table), data_dir, problems) == expected
    assert len(problems) == 1 and message in problems[0], problems
    assert problems[0].startswith("config.toml: ")


def test_branding_that_is_not_a_table(data_dir):
    problems: list[str] = []
    assert branding_settings({"branding": "numéribus"}, data_dir, problems) == Branding()
    assert problems == ["config.toml: [branding] must be a table; the defaults are used"]


def test_an_absolute_logo_path_is_kept(data_dir, tmp_path):
    logo = tmp_path / "elsewhere.svg"
    logo.write_text("<svg/>", encoding="utf-8")
    problems: list[str] = []
    assert branding_settings({"branding": {"logo": str(logo)}}, data_dir, problems).logo == logo
    assert problems == []
