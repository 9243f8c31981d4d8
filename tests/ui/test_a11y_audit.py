"""The accessibility audit: it catches each kind of failure, and the kiosk passes it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from numeribus_kiosk.ui.a11y_audit import audit_window

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def audit_fixture(qapp, name: str, **context):
    engine = QQmlApplicationEngine()
    engine.load(str(FIXTURES / name))
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    for _ in range(3):
        window.grabWindow()  # laid out and drawn
        qapp.processEvents()
    result = audit_window(window, context=context)
    window.close()
    engine.deleteLater()
    return result


def test_a_clean_window_passes(qapp):
    result = audit_fixture(qapp, "good.qml")
    assert result.items >= 3
    assert result.failures == []


@pytest.mark.parametrize(
    ("fixture", "check", "item"),
    [
        ("no_name.qml", "name", "nameless"),
        ("small_target.qml", "target", "MouseArea"),
        ("low_contrast.qml", "contrast", "greyOnGrey"),
        ("truncated.qml", "clipped", "elided"),
    ],
)
def test_each_kind_of_failure_is_caught(qapp, fixture, check, item):
    result = audit_fixture(qapp, fixture, screen="fixture")
    found = {(f["check"], f["item"].split("/")[-1]) for f in result.failures}
    assert (check, item) in found, result.failures
    assert {f["check"] for f in result.failures} == {check}
    assert all(f["screen"] == "fixture" for f in result.failures)


def test_high_contrast_theme_asks_for_seven_to_one(qapp):
    # #595959 on white is 7.0:1; #666666 is 5.7:1: enough for AA, not for "contraste".
    result = audit_fixture(qapp, "good.qml", theme="contraste")
    assert result.failures == []


# A territory's [branding] at its limits: the longest name, a wide logo, an accent just dark enough
# for the cream theme's panels (5.3:1) and a pale one for the dark theme.
BRANDED = """
[branding]
name = "Navette numérique des Monts du Forez"
article = "la"
logo = "logo.svg"
accent = "#A3417F"
accent_dark = "#D98AB8"
"""


@pytest.mark.slow
def test_the_kiosk_passes_its_own_audit(demo_data_dir, tmp_path):
    """The whole audit, every screen and look at 100 % and 200 %, on a branded kiosk.

    Branded rather than plain: the same screens, plus the longest name in the sentences that say
    it, the logo beside the home title and colours other than the ones the themes were tuned
    with.  The plain themes' palettes are checked pair by pair in tests/accessibility."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir)
    shutil.copy(ROOT / "docs" / "examples" / "navette-logo.svg", data_dir / "logo.svg")
    (data_dir / "config.toml").write_text(BRANDED, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(data_dir), "a11y-audit", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    report = json.loads(done.stdout)
    assert report["checked"]["screens"] >= 12
    assert report["checked"]["items"] > 10000
    problems = "\n".join(
        f"{f['state']} {f['theme']} {f['text_scale']} {f['item']}: {f['detail']}" for f in report["failures"]
    )
    assert done.returncode == 0, problems
    assert report["ok"]
