"""packaging/check-boot.sh: an installed bus PC boots into the kiosk, for real.

debootstrap of bookworm with the kernel, ``apt-get install`` of the numeribus-kiosk package built
by packaging/build-deb.sh, an ext4 image booted by QEMU with systemd as PID 1; then, through a
second serial port, the logind session of the account numeribus on tty1, cage showing the kiosk
(QEMU screenshots), the French speech settings, no screen blanking, the kiosk an X11 client of
cage's Xwayland (QT_QPA_PLATFORM=xcb), the on-screen keyboard opened and typed on with taps of
QEMU's USB tablet, a killed kiosk started again, a USB stick mounted under /media/numeribus, and
a clean power-off from the power button.  Opt-in (NUMERIBUS_BOOT_TEST=1): it takes about 7.5
minutes with software emulation (TCG), fewer with KVM (packaging/README.md, "Booting an
installed bus PC in QEMU").  The checks of the command line run always.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "packaging" / "check-boot.sh"
TOOLS = ("debootstrap", "qemu-system-x86_64", "mkfs.ext4", "debugfs", "mkfs.vfat", "mcopy", "mmd", "chroot")
STEPS = (
    "debootstrap --variant=minbase bookworm",
    "apt-get install ./numeribus-kiosk_",
    "make the disk image",
    "boot with QEMU",
    "the kiosk on the screen",
    "the account numeribus logged in on tty1",
    "French speech settings for the account, no screen blanking",
    "the kiosk is an X11 client of cage's Xwayland (QT_QPA_PLATFORM=xcb), not a Wayland one",
    "the on-screen keyboard: the search tile and the search field tapped (USB tablet)",
    "typing on the on-screen keyboard: l, o, i, r, e",
    "a crash of the kiosk: systemd starts it again",
    "a USB stick plugged in",
    "the power button (ACPI)",
)


def _why_not_here() -> str:
    """Why this machine cannot run check-boot.sh ("" when it can)."""
    if os.geteuid() != 0:
        return "needs root: debootstrap, chroot, mount and mkfs"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"missing {', '.join(missing)} (Debian packages qemu-system-x86 debootstrap e2fsprogs dosfstools mtools)"
    return ""


WHY_NOT = _why_not_here()


def run_check(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    command = [str(CHECK), *args]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # SIGTERM to the script: its trap stops QEMU and removes the root and the image.
            os.killpg(process.pid, signal.SIGTERM)
            out, err = process.communicate(timeout=120)
            pytest.fail(f"check-boot.sh did not finish within {timeout} s:\n{out[-3000:]}\n{err[-3000:]}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def qemu_processes_using(folder: Path) -> list[str]:
    """The command lines of running processes that mention FOLDER (QEMU left behind)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in text and "qemu" in text:
            found.append(text)
    return found


def test_a_wrong_command_line_gives_the_usage():
    done = run_check()
    assert done.returncode == 2
    assert "usage: packaging/check-boot.sh DEBDIR [WORKDIR]" in done.stderr
    done = run_check("a", "b", "c")
    assert done.returncode == 2


@pytest.mark.skipif(bool(WHY_NOT), reason=WHY_NOT)
def test_bad_folders_are_refused_with_a_clear_message(tmp_path):
    done = run_check(str(tmp_path / "missing"))
    assert done.returncode == 1
    assert f"no folder {tmp_path / 'missing'}" in done.stderr
    assert "Traceback" not in done.stderr

    empty = tmp_path / "debs"
    empty.mkdir()
    done = run_check(str(empty))
    assert done.returncode == 1
    assert f"no numeribus-kiosk_*.deb in {empty}" in done.stderr

    (empty / "numeribus-kiosk_0.1.0-1_amd64.deb").write_text("not a package")
    used = tmp_path / "work"
    used.mkdir()
    (used / "something").write_text("kept")
    done = run_check(str(empty), str(used))
    assert done.returncode == 1
    assert "is not a Debian package" in done.stderr
    (empty / "numeribus-kiosk_0.1.0-1_amd64.deb").unlink()
    shutil.copy(ROOT / "pyproject.toml", empty / "numeribus-kiosk_0.1.0-1_amd64.deb")
    done = run_check(str(empty), str(used))
    assert done.returncode == 1
    assert "is not a Debian package" in done.stderr
    assert (used / "something").read_text() == "kept"


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("NUMERIBUS_BOOT_TEST") != "1",
    reason="opt-in: NUMERIBUS_BOOT_TEST=1 boots a bus PC in QEMU (about 7.5 minutes with software emulation)",
)
@pytest.mark.skipif(bool(WHY_NOT), reason=WHY_NOT)
def test_an_installed_bus_pc_boots_into_the_kiosk(debs, tmp_path):
    work = tmp_path / "boot"
    env = {"TMPDIR": str(tmp_path)}
    if "DEBOOTSTRAP_CACHE" not in os.environ:
        env["DEBOOTSTRAP_CACHE"] = str(tmp_path / "cache")
    done = run_check(str(debs["numeribus-kiosk"].parent), str(work), env=env, timeout=3600)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    assert "FAILED" not in report
    for step in STEPS:
        assert f"==> {step}" in report, step
    assert "check-boot: all checks passed" in done.stdout
    # The screenshots are kept, the root, the disk image and QEMU are not.
    for shot in ("kiosk.ppm", "search.ppm", "keyboard.ppm", "typed.ppm", "restarted.ppm"):
        assert (work / shot).stat().st_size > 1000
    assert not (work / "root").exists()
    assert not (work / "disk.img").exists()
    assert str(work) not in Path("/proc/self/mounts").read_text()
    assert qemu_processes_using(work) == []
