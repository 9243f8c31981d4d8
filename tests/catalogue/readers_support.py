"""Helpers for the catalogue reader tests (kept out of conftest.py, which other suites own)."""

from __future__ import annotations

from pathlib import Path

from numeribus_kiosk.catalogue.readers import read_file
from numeribus_kiosk.catalogue.record import Record, Skipped

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue"


def records(path, **kwargs) -> list[Record]:
    return [r for r in read_file(path, **kwargs) if isinstance(r, Record)]


def skipped(path, **kwargs) -> list[Skipped]:
    return [r for r in read_file(path, **kwargs) if isinstance(r, Skipped)]
