"""packaging/check-install.sh: the packages install into a clean Debian 12 root and work there.

For real: debootstrap of bookworm (minbase) from the Debian mirror, ``apt-get install`` of the
two packages built by packaging/build-deb.sh inside a chroot (apt resolving their Depends), then
both commands, the accounts, folders and units the postinst made, headquarters answering
/health, the kiosk drawing two screens with Qt, and a purge that keeps the data.  Needs root,
chroot and mount (CI runs as root); debootstrap is in packaging/debian/test-packages.txt.
About 2 to 3 minutes (packaging/README.md, "Checks").
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "packaging" / "check-install.sh"


def _why_no_chroot() -> str:
    """Why this machine cannot chroot and mount /proc ("" when it can)."""
    if os.geteuid() != 0:
        return "needs root: debootstrap, chroot and mount (CI runs as root)"
    if subprocess.run(["chroot", "/", "true"], capture_output=True).returncode != 0:
        return "chroot is not permitted here (a container without CAP_SYS_CHROOT)"
    with tempfile.TemporaryDirectory() as folder:
        if subprocess.run(["mount", "-t", "proc", "proc", folder], capture_output=True).returncode != 0:
            return "mounting /proc is not permitted here (a container without CAP_SYS_ADMIN)"
        subprocess.run(["umount", folder], check=True)
    return ""


WHY_NOT = _why_no_chroot()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(WHY_NOT), reason=WHY_NOT)]


@pytest.fixture(scope="module")
def debootstrap_cache(tmp_path_factory) -> Path:
    """The downloaded .debs, shared by this module's runs ($DEBOOTSTRAP_CACHE when set)."""
    given = os.environ.get("DEBOOTSTRAP_CACHE")
    return Path(given) if given else tmp_path_factory.mktemp("debootstrap-cache")


def check_install(debdir: Path, cache: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBOOTSTRAP_CACHE": str(cache), "TMPDIR": str(tmp_path)}
    command = [str(CHECK), str(debdir)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, start_new_session=True
    ) as process:
        try:
            out, err = process.communicate(timeout=1800)
        except subprocess.TimeoutExpired:
            # SIGTERM to the script and what it runs: its trap unmounts and removes the root.
            os.killpg(process.pid, signal.SIGTERM)
            out, err = process.communicate(timeout=300)
            pytest.fail(f"check-install.sh did not finish within 30 minutes:\n{out[-3000:]}\n{err[-3000:]}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def nothing_left(tmp_path: Path) -> None:
    """No mount and no Debian root left behind, whatever happened."""
    mounts = Path("/proc/self/mounts").read_text()
    assert str(tmp_path) not in mounts, mounts
    assert not list(tmp_path.glob("numeribus-debian-root.*"))


def test_the_packages_install_and_work_in_a_clean_debian_12(debs, debootstrap_cache, tmp_path):
    debdir = debs["numeribus-sync"].parent
    done = check_install(debdir, debootstrap_cache, tmp_path)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    assert "FAILED" not in report
    for step in (
        "apt-get install numeribus-sync",
        "numeribus-sync at work",
        "apt-get install numeribus-kiosk",
        "numeribus-kiosk at work",
        "apt-get purge",
    ):
        assert f"==> {step}" in done.stdout, done.stdout
    assert "/health: 200" in done.stdout
    assert "accueil:" in done.stdout and "recherche-resultats:" in done.stdout  # the two screens drawn
    assert "install and run in a clean Debian 12 root" in done.stdout.splitlines()[-1]
    print(done.stdout)  # the steps and their times, shown with -s or -rP
    nothing_left(tmp_path)


def test_a_dependency_debian_does_not_have_fails_the_check(debs, debootstrap_cache, tmp_path):
    """The check can fail: the headquarters package, with a Depends no Debian package meets."""
    tree = tmp_path / "tree"
    subprocess.run(["dpkg-deb", "-R", str(debs["numeribus-sync"]), str(tree)], check=True)
    control = tree / "DEBIAN" / "control"
    text = control.read_text()
    assert "\nDepends: " in text
    control.write_text(text.replace("\nDepends: ", "\nDepends: numeribus-no-such-package, ", 1))
    broken = tmp_path / "debs"
    broken.mkdir()
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Znone", "--build", str(tree), str(broken / debs["numeribus-sync"].name)],
        check=True,
        capture_output=True,
    )
    (broken / debs["numeribus-kiosk"].name).symlink_to(debs["numeribus-kiosk"])

    done = check_install(broken, debootstrap_cache, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'FAILED at step "apt-get install numeribus-sync' in done.stderr, done.stderr
    assert "apt-get could not install numeribus-sync" in done.stderr
    assert "numeribus-no-such-package" in done.stderr  # apt's own reason, shown
    assert "Traceback" not in done.stderr
    nothing_left(tmp_path)
