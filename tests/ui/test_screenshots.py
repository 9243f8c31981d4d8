"""`numeribus-kiosk screenshots`: the real command, offscreen, on the demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = [
    "accueil-standard.png",
    "accueil-contraste.png",
    "accueil-sombre.png",
    "accueil-creme.png",
    "accueil-malvoyant.png",
    "accueil-dys.png",
    "accueil-senior.png",
    "accueil-texte200.png",
    "accueil-en.png",
    "accessibilite-standard.png",
    "recherche-clavier-standard.png",
    "recherche-resultats-standard.png",
    "notice-standard.png",
    "notice-dys.png",
    "demande-standard.png",
    "passages-standard.png",
    "ateliers-standard.png",
    "avis-standard.png",
    "savoirs-standard.png",
    "veille-standard.png",
]


def colours(image: QImage) -> int:
    seen = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.slow
def test_screenshots_command_writes_every_screen(demo_data_dir, tmp_path):
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "numeribus_kiosk",
            "--data-dir",
            str(demo_data_dir),
            "screenshots",
            str(out),
            "--size",
            "1280x800",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert "screenshot(s) written" in done.stdout
    for name in EXPECTED:
        path = out / name
        assert path.exists(), f"{name} missing; output:\n{done.stdout}"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 800), name
        assert colours(image) > 8, f"{name} looks blank"
    standard, contrast = QImage(str(out / "accueil-standard.png")), QImage(str(out / "accueil-contraste.png"))
    assert standard != contrast
    assert QImage(str(out / "recherche-clavier-standard.png")) != QImage(str(out / "recherche-standard.png"))


def test_bad_size_is_a_usage_error():
    done = subprocess.run(
        [sys.executable, "-m", "numeribus_kiosk", "screenshots", "/tmp/x", "--size", "big"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "WIDTHxHEIGHT" in done.stderr
