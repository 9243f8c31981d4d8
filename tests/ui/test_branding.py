"""[branding] of config.toml in the running kiosk: the name in the screens' sentences, the logo, the colours."""

from __future__ import annotations

import gc
import logging
import shutil
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from numeribus_kiosk import app as kiosk_app

from .conftest import find

NAVETTE = """
[branding]
name = "Navette numérique du Haut-Forez"
article = "la"
logo = "logo/navette.png"
accent = "#7a1f5c"
accent_dark = "#f4b6da"
"""


@pytest.fixture
def branded_dir(ui_data_dir):
    (ui_data_dir / "logo").mkdir()
    image = QImage(240, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#7A1F5C"))
    assert image.save(str(ui_data_dir / "logo" / "navette.png"))
    (ui_data_dir / "config.toml").write_text(NAVETTE, encoding="utf-8")
    return ui_data_dir


def build(qapp, data_dir, clock):
    gc.collect()
    kiosk = kiosk_app.build_kiosk(
        qapp, data_dir, windowed=False, speech_engine="mock", clock=clock, pixel_pitch_mm=0.248
    )
    qapp.processEvents()
    return kiosk


@pytest.fixture
def branded(qapp, qt_messages, branded_dir, clock):
    kiosk = build(qapp, branded_dir, clock)
    yield kiosk
    kiosk.close()
    gc.collect()


def open_screen(qtbot, kiosk, name: str) -> None:
    assert kiosk.window.navigate(name, {})
    qtbot.waitUntil(lambda: kiosk.window.property("currentScreen") == name, timeout=3000)
    qtbot.waitUntil(lambda: not find(kiosk, "stack").property("busy"), timeout=3000)


def texts(kiosk) -> list[str]:
    found = []

    def walk(item):
        text = item.property("text")
        if isinstance(text, str) and text:
            found.append(text)
        for child in item.childItems():
            walk(child)

    walk(kiosk.window.contentItem())
    return found


def test_the_home_screen_says_the_territory_s_name(branded, qtbot):
    assert branded.window.property("title") == "Navette numérique du Haut-Forez"
    shown = texts(branded)
    assert "Bienvenue dans la Navette numérique du Haut-Forez" in shown
    assert "Prochains passages de la Navette numérique du Haut-Forez" in shown
    assert "Dites-nous ce que vous pensez de la Navette numérique du Haut-Forez" in shown
    assert not [text for text in shown if "numéribus" in text]


def test_the_name_follows_the_language(branded, qtbot):
    branded.language.setLanguage("en")
    qtbot.waitUntil(lambda: "Welcome to the Navette numérique du Haut-Forez" in texts(branded), timeout=3000)
    branded.language.setLanguage("fr")
    qtbot.waitUntil(lambda: "Bienvenue dans la Navette numérique du Haut-Forez" in texts(branded), timeout=3000)


def test_every_screen_that_names_the_service_uses_the_configured_name(branded, qtbot):
    open_screen(qtbot, branded, "passages")
    assert "Prochains passages de la Navette numérique du Haut-Forez" in texts(branded)
    branded.window.goHome()
    open_screen(qtbot, branded, "avis")
    assert "Êtes-vous content de la Navette numérique du Haut-Forez ?" in texts(branded)
    branded.notice.load("00357555")  # a demo record on board
    assert branded.notice.property("availabilityText") == "À bord de la Navette numérique du Haut-Forez"


def test_the_logo_is_shown_beside_the_title_and_is_decorative(branded, qtbot):
    logo = find(branded, "logo")
    qtbot.waitUntil(lambda: logo.property("visible"), timeout=3000)
    assert logo.property("source").toLocalFile().endswith("logo/navette.png")
    assert logo.property("height") > 0 and logo.property("width") == pytest.approx(
        3 * logo.property("height"), rel=0.02
    )
    title = find(branded, "screenTitle")
    assert logo.property("x") < title.property("x")  # the logo comes first, the title keeps the rest


def test_the_colours_apply_to_the_light_and_dark_themes_not_to_high_contrast(branded):
    a11y = branded.a11y
    assert a11y.property("accent").name() == "#7a1f5c"
    assert a11y.property("buttonBackground").name() == "#7a1f5c"
    a11y.setTheme("creme")
    assert a11y.property("accent").name() == "#7a1f5c"
    a11y.setTheme("sombre")
    assert a11y.property("accent").name() == "#f4b6da"
    a11y.setTheme("contraste")
    assert a11y.property("accent").name() == "#00ffff"


def test_without_branding_the_kiosk_is_the_numeribus(ui):
    assert ui.window.property("title") == "Numéribus"
    assert "Bienvenue dans le numéribus" in texts(ui)
    assert find(ui, "logo").property("visible") is False
    assert ui.a11y.property("accent").name() == "#0b5cad"


def test_a_logo_qt_cannot_read_is_left_out_and_the_kiosk_starts(qapp, qt_messages, branded_dir, clock, caplog):
    (branded_dir / "logo" / "navette.png").write_bytes(b"GIF89a not really an image")
    with caplog.at_level(logging.WARNING):
        kiosk = build(qapp, branded_dir, clock)
    try:
        assert "not an image Qt can read" in caplog.text
        assert find(kiosk, "logo").property("visible") is False
        assert "Bienvenue dans la Navette numérique du Haut-Forez" in texts(kiosk)
    finally:
        kiosk.close()
        gc.collect()


def test_an_svg_logo_is_drawn(qapp, qt_messages, ui_data_dir, clock, qtbot):
    (ui_data_dir / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<rect width="120" height="40" fill="#0B5CAD"/></svg>',
        encoding="utf-8",
    )
    (ui_data_dir / "config.toml").write_text('[branding]\nlogo = "logo.svg"\n', encoding="utf-8")
    kiosk = build(qapp, ui_data_dir, clock)
    try:
        logo = find(kiosk, "logo")
        qtbot.waitUntil(lambda: logo.property("visible"), timeout=3000)
        assert logo.property("width") == pytest.approx(3 * logo.property("height"), rel=0.02)
    finally:
        kiosk.close()
        gc.collect()


def test_the_documented_territory_file_as_is(qapp, qt_messages, ui_data_dir, clock):
    """docs/examples/territory-config.toml and its logo, copied as docs/territory.md says."""
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    shutil.copy(examples / "territory-config.toml", ui_data_dir / "config.toml")
    shutil.copy(examples / "navette-logo.svg", ui_data_dir / "navette-logo.svg")
    colours = tomllib.loads((examples / "territory-config.toml").read_text(encoding="utf-8"))["branding"]
    kiosk = build(qapp, ui_data_dir, clock)
    try:
        assert kiosk.window.property("title") == "Navette numérique"
        assert "Bienvenue dans la Navette numérique" in texts(kiosk)
        assert find(kiosk, "logo").property("visible")
        assert kiosk.a11y.property("accent").name() == colours["accent"].lower()
        kiosk.a11y.setTheme("sombre")
        assert kiosk.a11y.property("accent").name() == colours["accent_dark"].lower()
    finally:
        kiosk.close()
        gc.collect()
