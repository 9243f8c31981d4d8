"""packaging/build-deb.sh: the two Debian packages build, say what they need, and install.

The install is real dpkg into an empty root (``dpkg --root`` with ``--force-script-chrootless``,
so that the package's own postinst runs with ``$DPKG_ROOT`` set): it makes the virtual
environment from the wheels the package carries (no network), creates the account and folders
(systemd-sysusers, systemd-tmpfiles) and enables the units; then both commands run from it, and
a purge removes the environment and keeps the data.  The root is not a whole Debian system
(the Debian dependencies are not installed in it: ``--force-depends``; the host's python3 makes
the environment): test_debian_root.py installs them into a clean Debian 12 root with apt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from numeribus_kiosk import __version__

DEB_VERSION = f"{__version__}-1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is missing: not a Debian system"),
]


# The packages themselves: the session fixture ``debs`` (conftest.py), built once for both files.


def field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True).stdout.strip()


def contents(deb: Path) -> dict[str, str]:
    """path -> link target ("" for a file or folder)."""
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True).stdout
    found = {}
    for line in listing.splitlines():
        name = line.split(None, 5)[5]
        path, _, target = name.partition(" -> ")
        found[path.removeprefix(".")] = target
    return found


def test_what_the_packages_are(debs):
    for name, deb in debs.items():
        assert field(deb, "Package") == name and field(deb, "Version") == DEB_VERSION
        depends = field(deb, "Depends")
        assert "python3 (>= 3.11)" in depends and "python3-venv" in depends and "systemd" in depends
    kiosk = field(debs["numeribus-kiosk"], "Depends")
    for needed in ("cage", "udisks2", "udiskie", "speech-dispatcher", "espeak-ng", "libpulse0", "libxcb-cursor0"):
        assert needed in [part.strip().split()[0] for part in kiosk.split(",")], needed
    assert "pipewire-pulse | pulseaudio" in kiosk
    assert "cage" not in field(debs["numeribus-sync"], "Depends")


def test_what_they_hold(debs):
    kiosk, sync = contents(debs["numeribus-kiosk"]), contents(debs["numeribus-sync"])
    assert kiosk["/usr/bin/numeribus-kiosk"] == "/opt/numeribus-kiosk/venv/bin/numeribus-kiosk"
    assert sync["/usr/bin/numeribus-sync"] == "/opt/numeribus-sync/venv/bin/numeribus-sync"
    for unit in ("numeribus-kiosk.service", "numeribus-automount.service"):
        assert f"/lib/systemd/system/{unit}" in kiosk
    for unit in ("numeribus-sync.service", "numeribus-sync-backup.service", "numeribus-sync-backup.timer"):
        assert f"/lib/systemd/system/{unit}" in sync
    for path in (
        "/usr/share/polkit-1/rules.d/50-numeribus-udisks.rules",
        "/usr/lib/udev/rules.d/70-numeribus-power.rules",
        "/usr/share/numeribus-kiosk/speech-dispatcher/speechd.conf",
        "/usr/lib/sysusers.d/numeribus-kiosk.conf",
    ):
        assert path in kiosk, path
    wheels = {name: {Path(p).name for p in files if p.endswith(".whl")} for name, files in (("k", kiosk), ("s", sync))}
    assert any(w.startswith("pyside6_essentials-") for w in wheels["k"])
    assert not any(w.lower().startswith(("pyside6", "shiboken6")) for w in wheels["s"])  # no Qt at headquarters
    assert any(w.startswith(f"numeribus_kiosk-{__version__}-") for w in wheels["s"])
    # Both can be installed on one machine: no file in both.
    shared = {p for p in set(kiosk) & set(sync) if not p.endswith("/")}
    assert shared == set(), shared


def test_the_maintainer_scripts_parse(debs, tmp_path):
    for name, deb in debs.items():
        control = tmp_path / name
        subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
        for script in ("postinst", "prerm", "postrm"):
            path = control / script
            assert os.access(path, os.X_OK), f"{name} {script} is not executable"
            assert subprocess.run(["sh", "-n", str(path)]).returncode == 0, f"{name} {script}"
            assert "@NAME@" not in path.read_text() and "@SPEC@" not in path.read_text()


def empty_root(path: Path) -> Path:
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"):
        (path / folder).mkdir(parents=True)
    (path / "var/lib/dpkg/status").touch()
    return path


def dpkg(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null", *args],
        capture_output=True,
        text=True,
        timeout=1800,
    )


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="dpkg installs as root (CI runs as root)")


@needs_root
def test_headquarters_installs_runs_and_purges(debs, tmp_path):
    root = empty_root(tmp_path / "root")
    done = dpkg(root, "-i", str(debs["numeribus-sync"]))
    assert done.returncode == 0, done.stdout + done.stderr
    venv = root / "opt/numeribus-sync/venv/bin"
    version = subprocess.run([venv / "numeribus-sync", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"numeribus-sync {__version__}"
    assert subprocess.run([venv / "numeribus-kiosk", "--version"], capture_output=True, text=True).returncode == 0
    # No Qt here: the kiosk's screens say so in one sentence.
    screens = subprocess.run([venv / "numeribus-kiosk", "--windowed"], capture_output=True, text=True)
    assert screens.returncode == 1 and "PySide6" in screens.stderr and "Traceback" not in screens.stderr
    assert "numeribus-sync:" in (root / "etc/passwd").read_text()
    assert oct((root / "var/lib/numeribus-sync").stat().st_mode & 0o777) == "0o700"
    assert (root / "etc/systemd/system/multi-user.target.wants/numeribus-sync.service").is_symlink()
    assert (root / "etc/systemd/system/timers.target.wants/numeribus-sync-backup.timer").is_symlink()
    assert list((venv.parent / "lib").rglob("sync/server/__pycache__/backup.cpython-*.pyc"))  # compiled ahead

    (root / "var/lib/numeribus-sync/hq.db").write_bytes(b"kept")
    done = dpkg(root, "--purge", "numeribus-sync")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (root / "opt/numeribus-sync").exists() and not (root / "usr/bin/numeribus-sync").is_symlink()
    assert (root / "var/lib/numeribus-sync/hq.db").read_bytes() == b"kept"  # the data stays


@needs_root
def test_the_kiosk_installs_and_its_qt_loads(debs, tmp_path):
    root = empty_root(tmp_path / "root")
    done = dpkg(root, "-i", str(debs["numeribus-kiosk"]))
    assert done.returncode == 0, done.stdout + done.stderr
    venv = root / "opt/numeribus-kiosk/venv/bin"
    version = subprocess.run([venv / "numeribus-kiosk", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"numeribus-kiosk {__version__}"
    qt = subprocess.run(
        [venv / "python", "-c", "import PySide6.QtQuick, PySide6.QtTextToSpeech; print(PySide6.__version__)"],
        capture_output=True,
        text=True,
    )
    assert qt.returncode == 0 and qt.stdout.startswith("6.11."), qt.stderr
    passwd = (root / "etc/passwd").read_text()
    assert "numeribus:" in passwd and "numeribus-sync:" not in passwd
    speechd = root / "var/lib/numeribus/.config/speech-dispatcher/speechd.conf"
    assert os.readlink(speechd) == "/usr/share/numeribus-kiosk/speech-dispatcher/speechd.conf"
    assert (root / "etc/systemd/system/graphical.target.wants/numeribus-kiosk.service").is_symlink()
