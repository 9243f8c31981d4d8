"""Shared by the `numeribus-sync` command tests: a headquarters folder (see cli_runner.run)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def hq_dir(tmp_path: Path) -> Path:
    return tmp_path / "hq"
