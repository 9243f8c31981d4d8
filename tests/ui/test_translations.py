"""The translations are complete and compiled.

- ``scripts/build_translations.sh --update`` is run on a copy of ``numeribus_kiosk/assets/translations/``
  (``TS_DIR``): pyside6-lupdate collects every string of the QML and Python UI sources and of
  the keyboard layouts; every one must then have a finished English translation (a string
  new in the code comes in as ``type="unfinished"``), and every French plural message
  (``numeribus_fr.ts``, plural forms only) its French forms.
- The committed ``.qm`` files are what pyside6-lrelease makes of the committed ``.ts`` files
  (same bytes).
- The countdown says "1 seconde", "2 secondes" (French plural forms) and "1 second" in English.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from numeribus_kiosk.ui.language_bridge import TRANSLATIONS_DIR

from .conftest import find

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_translations.sh"
BIN = Path(sys.executable).parent
LUPDATE = BIN / "pyside6-lupdate"
LRELEASE = BIN / "pyside6-lrelease"
TS_FILES = sorted(TRANSLATIONS_DIR.glob("numeribus_*.ts"))

needs_tools = pytest.mark.skipif(
    not (LUPDATE.exists() and LRELEASE.exists()), reason="pyside6-lupdate/lrelease are not installed"
)


def problems(ts: Path) -> list[str]:
    """Messages of ``ts`` without a finished translation, as "context: source" lines."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "missing"
            if message.get("numerus") == "yes":
                forms = [f.text or "" for f in translation.iter("numerusform")] if translation is not None else []
                empty = not forms or not all(f.strip() for f in forms)
            else:
                empty = translation is None or not (translation.text or "").strip()
            if kind in ("unfinished", "missing", "vanished", "obsolete") or empty:
                found.append(f"{name}: {source!r} ({kind or 'empty'})")
    return found


@pytest.fixture(scope="module")
def updated(tmp_path_factory) -> Path:
    """A copy of the .ts files brought up to date with the sources by the project's script."""
    ts_dir = tmp_path_factory.mktemp("translations")
    for ts in TS_FILES:
        shutil.copy2(ts, ts_dir / ts.name)
    env = dict(os.environ, TS_DIR=str(ts_dir), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        ["bash", str(SCRIPT), "--update"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return ts_dir


def test_english_and_french_plural_files_exist():
    assert {ts.name for ts in TS_FILES} == {"numeribus_en.ts", "numeribus_fr.ts"}
    for ts in TS_FILES:
        assert ts.with_suffix(".qm").exists(), f"{ts.name} is not compiled"


@needs_tools
def test_every_ui_string_has_a_finished_english_translation(updated):
    missing = problems(updated / "numeribus_en.ts")
    assert not missing, (
        "strings without an English translation (run scripts/build_translations.sh --update, translate them "
        "in numeribus_kiosk/assets/translations/numeribus_en.ts, then run scripts/build_translations.sh):\n"
        + "\n".join(missing)
    )


@needs_tools
def test_every_plural_string_has_its_french_forms(updated):
    french = updated / "numeribus_fr.ts"
    messages = list(ET.parse(french).getroot().iter("message"))
    assert messages and all(m.get("numerus") == "yes" for m in messages)  # plural forms only
    assert not problems(french), "\n".join(problems(french))


@needs_tools
def test_the_sources_are_really_scanned(updated):
    """The check is meaningful: QML, Python and keyboard-layout strings are all collected."""
    sources = {m.findtext("source") for m in ET.parse(updated / "numeribus_en.ts").getroot().iter("message")}
    assert "Accueil" in sources  # Main.qml
    assert "Retour à l'accueil dans %n seconde(s)." in sources  # IdleWarning.qml
    assert any(s.startswith("Retour à l'accueil dans %n secondes. Touchez") for s in sources)  # idle_monitor.py
    assert "e accent aigu" in sources  # numeribus_kiosk/assets/keyboard/layouts/fr_FR/main.qml


@needs_tools
@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_committed_qm_is_compiled_from_the_committed_ts(ts, tmp_path):
    qm = tmp_path / ts.with_suffix(".qm").name
    done = subprocess.run(
        [str(LRELEASE), "-removeidentical", str(ts), "-qm", str(qm)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes(), f"run scripts/build_translations.sh ({ts.name})"


@pytest.fixture
def french_after(ui):
    """Back to French at the end: the English translator must not outlive the test."""
    yield
    ui.language.setLanguage("fr")


def countdown_text(kiosk, clock, qtbot, seconds_left: int) -> str:
    clock.advance(kiosk.idle.timeoutS + 1)
    kiosk.idle.tick()
    assert kiosk.idle.warning
    clock.advance(kiosk.idle.warningS - seconds_left)
    kiosk.idle.tick()
    assert kiosk.idle.countdown == seconds_left
    return find(kiosk, "idleCountdown").property("text")


@pytest.mark.parametrize(
    ("language", "left", "expected"),
    [
        ("fr", 1, "Retour à l'accueil dans 1 seconde."),
        ("fr", 2, "Retour à l'accueil dans 2 secondes."),
        ("en", 1, "Back to the home screen in 1 second."),
        ("en", 5, "Back to the home screen in 5 seconds."),
    ],
)
def test_countdown_plural_forms(ui, french_after, qtbot, clock, language, left, expected):
    ui.language.setLanguage(language)
    ui.a11y.toggleSpeech()  # something to reset: the warning is armed
    assert countdown_text(ui, clock, qtbot, left) == expected


@pytest.mark.parametrize(
    ("language", "left", "expected"),
    [("fr", 1, "1 seconde."), ("fr", 5, "5 secondes."), ("en", 1, "1 second."), ("en", 10, "10 seconds.")],
)
def test_spoken_countdown_plural_forms(ui, french_after, language, left, expected):
    """IdleMonitor's announcement (Python, QCoreApplication.translate) gets the same plural forms."""
    from PySide6.QtCore import QCoreApplication

    ui.language.setLanguage(language)
    source = "Retour à l'accueil dans %n secondes. Touchez l'écran pour continuer."
    assert expected in QCoreApplication.translate("IdleMonitor", source, None, left)


def test_labels_built_in_python_are_translated(ui, french_after):
    """Labels kept in Python tables (document types, audiences) reach the .ts file too."""
    from numeribus_kiosk.ui.search_model import audience_label, type_label

    ui.language.setLanguage("en")
    assert type_label("book") == "Book" and type_label("large_print_book") == "Large-print book"
    assert audience_label("children") == "Children"
    ui.language.setLanguage("fr")
    assert type_label("book") == "Livre"
