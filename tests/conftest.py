"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data directory."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the real library records are not here ({SHARED_DATA} is absent)")
    return SHARED_DATA


def run_kiosk(*args: str, data_dir: Path | None = None, input: str | None = None, env: dict | None = None):
    """Run the real `numeribus-kiosk` command in a subprocess; returns CompletedProcess (text)."""
    command = [sys.executable, "-m", "numeribus_kiosk"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    full_env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_DATA_DIR"}
    full_env.update(env or {})
    return subprocess.run(
        command + list(args), capture_output=True, text=True, input=input, env=full_env, cwd=ROOT, timeout=600
    )


@pytest.fixture
def kiosk():
    return run_kiosk
