"""Numéribus kiosk: the offline-first accessible library kiosk of the Loire numéribus."""

from pathlib import Path

__version__ = "0.1.0"

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
"""Fonts, translations, the keyboard layout, the demo data, the default survey mapping: shipped in
the package (the wheel carries them), found here in a checkout and in an installed venv alike."""
