"""The Debian packages, built once per test session by packaging/build-deb.sh.

Shared by test_build_deb.py (fields, files, an install into an empty root) and
test_debian_root.py (an install into a clean Debian 12 root with apt).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from numeribus_kiosk import __version__

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "packaging" / "build-deb.sh"
DEB_VERSION = f"{__version__}-1"
PACKAGES = ("numeribus-kiosk", "numeribus-sync")


@pytest.fixture(scope="session")
def debs(tmp_path_factory) -> dict[str, Path]:
    """Package name -> its .deb, alone in its folder."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is missing: not a Debian system")
    out = tmp_path_factory.mktemp("debs")
    done = subprocess.run([str(BUILD), str(out)], capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    found = {name: out / f"{name}_{DEB_VERSION}_{arch}.deb" for name in PACKAGES}
    assert all(path.is_file() for path in found.values()), sorted(p.name for p in out.iterdir())
    return found
