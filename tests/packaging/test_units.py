"""packaging/: the systemd units verify, the accounts and folders get made, the polkit rule, the
udev rule and the speech-dispatcher settings do what packaging/README.md says.

The units are checked by systemd's own `systemd-analyze verify`, in a temporary root
(``--root``) that holds the host's system units (sysinit.target, getty@.service, ...) and, as
small executable files, only the programs the packages install or depend on (`PROGRAMS`): a unit
that runs anything else, has an unknown key or a value systemd cannot parse fails, and so does any
warning (`verify` alone exits 0 on an unknown key). Each kind of breakage is shown to fail on a
broken copy. The accounts and folders are made for real by `systemd-sysusers` and
`systemd-tmpfiles --create` in a temporary root. A missing tool skips its tests with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
UNIT_DIR = PACKAGING / "systemd"
UNITS = sorted(p.name for p in UNIT_DIR.iterdir() if p.suffix in (".service", ".timer"))
HOST_UNITS = Path("/usr/lib/systemd/system")
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
SYSUSERS = shutil.which("systemd-sysusers")
TMPFILES = shutil.which("systemd-tmpfiles")
NODE = shutil.which("node")
SPEECHD = shutil.which("speech-dispatcher")

# Each package makes its own virtual environment (packaging/build-deb.sh, debian/postinst.in).
SYNC_BIN = "/opt/numeribus-sync/venv/bin"
KIOSK_BIN = "/opt/numeribus-kiosk/venv/bin"
# What the units may run, and where it comes from. Nothing else exists in the verification root.
PROGRAMS = {
    f"{SYNC_BIN}/numeribus-sync": "this project (pyproject.toml [project.scripts])",
    f"{KIOSK_BIN}/numeribus-kiosk": "this project (pyproject.toml [project.scripts])",
    "/usr/bin/cage": "Debian package cage",
    "/usr/bin/udiskie": "Debian package udiskie",
    "/usr/bin/sh": "Debian package dash (essential; /bin is /usr/bin)",
}
# Ceilings of `systemd-analyze security` (0 = locked down, 10 = none); packaging/README.md gives the
# measured values and why the kiosk's session cannot go much lower.
EXPOSURE_CEILING = {
    "numeribus-sync.service": 1.2,
    "numeribus-sync-backup.service": 0.3,
    "numeribus-automount.service": 0.5,
    "numeribus-kiosk.service": 3.7,
}

needs_analyze = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None or not HOST_UNITS.is_dir(),
    reason="systemd-analyze or the host's units (/usr/lib/systemd/system) are missing: install systemd",
)


# ------------------------------------------------------------------ helpers


def make_root(root: Path, units: dict[str, str]) -> Path:
    """A root for `systemd-analyze --root`: the host's units, `units` in /etc/systemd/system,
    the programs of `PROGRAMS` as executable files, /bin -> usr/bin as on Debian 12."""
    shutil.copytree(HOST_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for name, text in units.items():
        (root / "etc/systemd/system" / name).write_text(text, encoding="utf-8")
    for program in PROGRAMS:
        path = root / program.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\nexit 0\n", encoding="ascii")
        path.chmod(0o755)
    (root / "bin").symlink_to("usr/bin")
    return root


def our_units() -> dict[str, str]:
    return {name: (UNIT_DIR / name).read_text(encoding="utf-8") for name in UNITS}


def verify(root: Path, unit: str) -> tuple[int, str]:
    result = subprocess.run(
        [
            SYSTEMD_ANALYZE,
            "verify",
            f"--root={root}",
            "--man=no",
            "--recursive-errors=no",
            f"/etc/systemd/system/{unit}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0", "LC_ALL": "C.UTF-8"},
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def unit_settings(name: str) -> dict[str, list[str]]:
    """{'Section.Key': [values...]} of one of our units (repeated keys kept in order)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in (UNIT_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault(f"{section}.{key}", []).append(value)
    return settings


@pytest.fixture(scope="module")
def good_root(tmp_path_factory) -> Path:
    if SYSTEMD_ANALYZE is None or not HOST_UNITS.is_dir():
        pytest.skip("systemd-analyze or /usr/lib/systemd/system is missing: install systemd")
    return make_root(tmp_path_factory.mktemp("units") / "root", our_units())


# ------------------------------------------------------------------ the units


def test_the_units_are_there():
    assert UNITS == [
        "numeribus-automount.service",
        "numeribus-kiosk.service",
        "numeribus-sync-backup.service",
        "numeribus-sync-backup.timer",
        "numeribus-sync.service",
    ]


def test_the_venv_programs_are_the_projects_commands():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    venv_programs = {Path(p).name for p in PROGRAMS if p.startswith(("/opt/numeribus-sync/", "/opt/numeribus-kiosk/"))}
    assert venv_programs == set(scripts)


@needs_analyze
@pytest.mark.parametrize("unit", UNITS)
def test_unit_verifies(good_root, unit):
    code, output = verify(good_root, unit)
    assert code == 0 and output == "", f"systemd-analyze verify {unit} (exit {code}):\n{output}"


@needs_analyze
@pytest.mark.parametrize(
    ("unit", "old", "new", "expected"),
    [
        ("numeribus-sync.service", "Restart=on-failure\n", "Restart=on-failure\nRestartForever=yes\n", "Unknown key"),
        ("numeribus-sync.service", "ExecStart=/opt/numeribus-sync/venv/bin/numeribus-sync serve\n", "", "no ExecStart"),
        ("numeribus-kiosk.service", "ExecStart=/usr/bin/cage", "ExecStart=/usr/bin/kage", "not executable"),
        ("numeribus-sync-backup.service", "ProtectSystem=strict", "ProtectSystem=stricter", "Failed to parse"),
        ("numeribus-sync-backup.timer", "OnCalendar=*-*-* 02:30:00", "OnCalendar=every night", "calendar"),
        ("numeribus-automount.service", "[Service]\n", "[Sevrice]\n", "Unknown section"),
    ],
    ids=["unknown-key", "no-execstart", "missing-program", "bad-value", "bad-calendar", "bad-section"],
)
def test_a_broken_unit_fails_verification(tmp_path, unit, old, new, expected):
    units = our_units()
    assert old in units[unit], "the test's mutation no longer applies: update it"
    units[unit] = units[unit].replace(old, new, 1)
    code, output = verify(make_root(tmp_path / "root", units), unit)
    assert (code, output) != (0, ""), f"the broken {unit} passed verification"
    assert expected in output


@needs_analyze
@pytest.mark.parametrize("unit", sorted(EXPOSURE_CEILING))
def test_hardening_does_not_regress(good_root, unit):
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "security", "--offline=yes", f"--root={good_root}", f"/etc/systemd/system/{unit}"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0", "SYSTEMD_COLORS": "0", "LC_ALL": "C.UTF-8"},
    )
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d)", result.stdout)
    assert found, result.stdout + result.stderr
    assert float(found.group(1)) <= EXPOSURE_CEILING[unit], result.stdout


def test_units_run_as_their_accounts_with_the_documented_settings():
    sync = unit_settings("numeribus-sync.service")
    assert sync["Service.User"] == ["numeribus-sync"]
    assert sync["Service.ExecStart"] == [f"{SYNC_BIN}/numeribus-sync serve"]
    assert sync["Service.Environment"] == ["NUMERIBUS_SYNC_DATA_DIR=/var/lib/numeribus-sync"]
    for key, value in {
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "StateDirectory": "numeribus-sync",
        "CapabilityBoundingSet": "",
        "Restart": "on-failure",
    }.items():
        assert sync[f"Service.{key}"] == [value], key
    # zeroconf needs multicast UDP (AF_INET/AF_INET6), ifaddr the interfaces' addresses (netlink).
    assert set(sync["Service.RestrictAddressFamilies"][0].split()) == {"AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"}

    backup = unit_settings("numeribus-sync-backup.service")
    assert backup["Service.ExecStart"] == [f"{SYNC_BIN}/numeribus-sync backup /var/backups/numeribus-sync --keep 14"]
    assert backup["Service.User"] == ["numeribus-sync"]
    assert backup["Service.ReadWritePaths"] == ["/var/backups/numeribus-sync"]
    timer = unit_settings("numeribus-sync-backup.timer")
    assert timer["Timer.Persistent"] == ["true"]

    kiosk = unit_settings("numeribus-kiosk.service")
    assert kiosk["Service.ExecStart"] == [f"/usr/bin/cage -d -- {KIOSK_BIN}/numeribus-kiosk --no-supervisor"]
    assert kiosk["Service.User"] == ["numeribus"]
    assert kiosk["Service.PAMName"] == ["login"]
    assert kiosk["Service.TTYPath"] == ["/dev/tty1"]
    assert kiosk["Service.Restart"] == ["always"]
    assert "NUMERIBUS_DATA_DIR=/var/lib/numeribus-kiosk" in kiosk["Service.Environment"]
    # X11 through cage's Xwayland: Qt 6's Wayland client has no in-app on-screen keyboard
    assert "QT_QPA_PLATFORM=xcb" in kiosk["Service.Environment"]
    assert "getty@tty1.service" in kiosk["Unit.Conflicts"]


def test_the_kiosk_has_time_to_finish_a_sync_round_when_stopped():
    """The agent waits up to 30 s for a round in progress (sync/agent/service.py stop())."""
    kiosk = unit_settings("numeribus-kiosk.service")
    seconds = int(kiosk["Service.TimeoutStopSec"][0].removesuffix("s"))
    assert seconds >= 30 + 10
    # The kiosk gets SIGTERM before cage (which would cut its Wayland connection), and the stop
    # waits for cage to end.
    (stop,) = kiosk["Service.ExecStop"]
    assert stop.startswith("+/bin/sh -c ")
    assert "--signal TERM --parent" in stop and "kill -0" in stop


@pytest.mark.skipif(shutil.which("pkill") is None, reason="pkill (procps) is missing")
def test_the_kiosks_stop_command_signals_the_child_and_waits_for_the_parent(tmp_path):
    """ExecStop's shell command, run as systemd would run it (with $MAINPID = cage), against a
    stand-in for cage with two children: the stand-in for the kiosk (its command line names the
    kiosk's program), which takes a moment to stop on SIGTERM, and one for Xwayland, which must
    not be signalled (the kiosk, an X11 client, would lose its display): the command returns only
    once the kiosk and cage are gone, and the kiosk got SIGTERM first."""
    (stop,) = unit_settings("numeribus-kiosk.service")["Service.ExecStop"]
    script = stop.removeprefix("+/bin/sh -c ").strip("'").replace("$$", "$")
    log = tmp_path / "log"
    child = (
        "import signal, sys, time\n"
        f"log = open({str(log)!r}, 'a', buffering=1)\n"
        "def stop(*_):\n"
        "    time.sleep(0.5)\n"
        "    log.write('child stopped on SIGTERM\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "log.write('child ready\\n')\n"
        "while True:\n"
        "    time.sleep(0.05)\n"
    )
    xwayland = (
        "import signal, time\n"
        f"log = open({str(log)!r}, 'a', buffering=1)\n"
        "signal.signal(signal.SIGTERM, lambda *_: log.write('xwayland got SIGTERM\\n'))\n"
        "time.sleep(600)\n"
    )
    parent = (
        "import signal, subprocess, sys\n"
        f"log = open({str(log)!r}, 'a', buffering=1)\n"
        "signal.signal(signal.SIGTERM, lambda *_: log.write('parent got SIGTERM\\n'))\n"
        f"x = subprocess.Popen([sys.executable, '-c', {xwayland!r}, 'Xwayland', ':0', '-rootless'])\n"
        f"code = subprocess.call([sys.executable, '-c', {child!r}, {KIOSK_BIN + '/numeribus-kiosk'!r}])\n"
        "log.write(f'parent saw the child end ({code})\\n')\n"
        "x.kill()\n"
        "x.wait()\n"
    )
    cage = subprocess.Popen([sys.executable, "-c", parent])
    stopping = None
    try:
        deadline = time.monotonic() + 60
        while "child ready" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "the stand-in processes did not start"
            time.sleep(0.05)
        stopping = subprocess.Popen(["/bin/sh", "-c", script], env={**os.environ, "MAINPID": str(cage.pid)})
        while "parent saw the child end" not in log.read_text():
            assert time.monotonic() < deadline + 60, "the stand-in for the kiosk did not stop"
            time.sleep(0.05)
        # Cage is not reaped yet (systemd does it when its main process exits): still waiting.
        time.sleep(0.3)
        assert stopping.poll() is None
        assert cage.wait(timeout=60) == 0
        assert stopping.wait(timeout=60) == 0
    finally:
        for process in (cage, stopping):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert log.read_text().splitlines() == ["child ready", "child stopped on SIGTERM", "parent saw the child end (0)"]
    # Without $MAINPID (cage already exited by itself), the command does nothing and succeeds.
    subprocess.run(["/bin/sh", "-c", script], env={k: v for k, v in os.environ.items() if k != "MAINPID"}, check=True)


# ------------------------------------------------------------------ accounts and folders


def _passwd(root: Path) -> dict[str, list[str]]:
    return {line.split(":")[0]: line.split(":") for line in (root / "etc/passwd").read_text().splitlines()}


def _group(root: Path) -> dict[str, list[str]]:
    return {line.split(":")[0]: line.split(":") for line in (root / "etc/group").read_text().splitlines()}


def _problems(stderr: str) -> list[str]:
    """What systemd-sysusers or systemd-tmpfiles said besides its "Creating ..." reports: a line
    it could not read is only a warning to it (exit status 0), an error here."""
    return [line for line in stderr.splitlines() if not line.startswith("Creating ")]


def _install_confs(root: Path, kind: str) -> None:
    target = root / "usr/lib" / kind
    target.mkdir(parents=True, exist_ok=True)
    for conf in sorted((PACKAGING / kind).glob("*.conf")):
        shutil.copy(conf, target / conf.name)


@pytest.fixture
def installed_root(tmp_path) -> Path:
    """A root where the package's postinst steps ran: systemd-sysusers, then systemd-tmpfiles --create."""
    if SYSUSERS is None or TMPFILES is None:
        pytest.skip("systemd-sysusers or systemd-tmpfiles is missing: install systemd")
    if os.geteuid() != 0:
        pytest.skip("systemd-tmpfiles --create gives folders to the accounts: run as root (CI does)")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    _install_confs(root, "sysusers.d")
    users = subprocess.run([SYSUSERS, f"--root={root}"], capture_output=True, text=True, timeout=60)
    assert (users.returncode, _problems(users.stderr)) == (0, []), users.stderr
    _install_confs(root, "tmpfiles.d")
    folders = subprocess.run([TMPFILES, f"--root={root}", "--create"], capture_output=True, text=True, timeout=60)
    assert (folders.returncode, _problems(folders.stderr)) == (0, []), folders.stderr
    return root


def test_sysusers_makes_the_two_system_accounts(installed_root):
    passwd, group = _passwd(installed_root), _group(installed_root)
    sync, kiosk = passwd["numeribus-sync"], passwd["numeribus"]
    assert sync[5:] == ["/var/lib/numeribus-sync", "/usr/sbin/nologin"]
    assert kiosk[5:] == ["/var/lib/numeribus", "/usr/sbin/nologin"]
    for entry in (sync, kiosk):
        assert int(entry[2]) < 1000, "a system account"
    assert "numeribus" in group["video"][3].split(",")
    assert "numeribus" in group["render"][3].split(",")
    # Locked: nobody logs in with a password.
    lines = (installed_root / "etc/shadow").read_text().splitlines()
    shadow = {line.split(":")[0]: line.split(":")[1] for line in lines}
    assert shadow["numeribus"].startswith("!") and shadow["numeribus-sync"].startswith("!")


def test_every_units_account_is_made_by_sysusers(installed_root):
    passwd = _passwd(installed_root)
    for unit in UNITS:
        for user in unit_settings(unit).get("Service.User", []):
            assert user in passwd, f"{unit} runs as {user}, which no sysusers.d file creates"


def test_tmpfiles_makes_the_folders_with_their_owners(installed_root):
    passwd = _passwd(installed_root)

    def check(path: str, owner: str, mode: int) -> None:
        st = (installed_root / path.lstrip("/")).lstat()
        assert (st.st_uid, st.st_mode & 0o7777) == (int(passwd[owner][2]), mode), path

    check("/var/lib/numeribus-sync", "numeribus-sync", 0o700)
    check("/var/backups/numeribus-sync", "numeribus-sync", 0o700)
    check("/var/lib/numeribus", "numeribus", 0o750)
    check("/var/lib/numeribus-kiosk", "numeribus", 0o750)
    link = installed_root / "var/lib/numeribus/.config/speech-dispatcher/speechd.conf"
    assert os.readlink(link) == "/usr/share/numeribus-kiosk/speech-dispatcher/speechd.conf"


def test_the_units_folders_are_made_by_tmpfiles_with_the_same_mode(installed_root):
    """The folders a unit writes to exist before its first start, and StateDirectoryMode= agrees
    with tmpfiles.d (else each would change the other's mode at every start and boot)."""
    for unit in UNITS:
        settings = unit_settings(unit)
        folders = list(settings.get("Service.ReadWritePaths", []))
        folders += [f"/var/lib/{name}" for name in settings.get("Service.StateDirectory", [])]
        folders += [e.partition("=")[2] for e in settings.get("Service.Environment", []) if "DATA_DIR=" in e]
        for folder in folders:
            path = installed_root / folder.lstrip("/")
            assert path.is_dir(), f"{unit} uses {folder}, which no tmpfiles.d line creates"
        for mode in settings.get("Service.StateDirectoryMode", []):
            for name in settings["Service.StateDirectory"]:
                actual = (installed_root / "var/lib" / name).stat().st_mode & 0o7777
                assert actual == int(mode, 8), f"{unit}: StateDirectoryMode={mode}, tmpfiles.d {oct(actual)}"


@pytest.mark.skipif(SYSUSERS is None or TMPFILES is None, reason="systemd-sysusers or systemd-tmpfiles is missing")
def test_a_broken_line_fails_sysusers_and_tmpfiles(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "usr/lib/sysusers.d").mkdir(parents=True)
    (root / "usr/lib/sysusers.d/broken.conf").write_text("x numeribus - - /nonexistent\n")
    users = subprocess.run([SYSUSERS, f"--root={root}"], capture_output=True, text=True, timeout=60)
    assert any("Unknown command type" in line for line in _problems(users.stderr)), users.stderr
    (root / "usr/lib/tmpfiles.d").mkdir(parents=True)
    (root / "usr/lib/tmpfiles.d/broken.conf").write_text("d /var/lib/x 0750 nobody-such nobody-such soon\n")
    folders = subprocess.run([TMPFILES, f"--root={root}", "--create"], capture_output=True, text=True, timeout=60)
    assert folders.returncode != 0 and _problems(folders.stderr)


# ------------------------------------------------------------------ polkit

POLKIT_RULE = PACKAGING / "polkit" / "50-numeribus-udisks.rules"
# polkit's own objects, as polkitd gives them to a rules file (src/polkitbackend/init.js).
POLKIT_HARNESS = r"""
const fs = require("fs");
const vm = require("vm");
const rules = [];
const polkit = {
  Result: {NO: "no", YES: "yes", AUTH_SELF: "auth_self", AUTH_SELF_KEEP: "auth_self_keep",
           AUTH_ADMIN: "auth_admin", AUTH_ADMIN_KEEP: "auth_admin_keep", NOT_HANDLED: null},
  addRule(f) { rules.push(f); },
  log() {},
  spawn() { throw new Error("a rule must not spawn programs"); },
};
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), {polkit}, {filename: process.argv[2]});
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = cases.map((c) => {
  const action = {id: c.action, lookup: (key) => c.details[key]};
  const subject = {user: c.user, local: false, active: false, isInGroup: () => false, isInNetGroup: () => false};
  for (const rule of rules) {
    const answer = rule(action, subject);
    if (answer !== null && answer !== undefined) return answer;
  }
  return "not_handled";
});
console.log(JSON.stringify({rules: rules.length, answers}));
"""


def _polkit(rule: Path, cases: list[dict], tmp_path: Path) -> dict:
    harness = tmp_path / "harness.js"
    harness.write_text(POLKIT_HARNESS, encoding="utf-8")
    result = subprocess.run(
        [NODE, str(harness), str(rule)], input=json.dumps(cases), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.skipif(NODE is None, reason="node is missing: the polkit rule (JavaScript) is not evaluated")
def test_polkit_lets_the_kiosk_account_mount_removable_drives_only(tmp_path):
    usb = {"drive.removable": "true", "drive.removable.bus": "usb", "id.type": "vfat"}
    internal = {"id.type": "ext4"}
    mount = "org.freedesktop.udisks2.filesystem-mount"
    cases = [
        {"user": "numeribus", "action": mount, "details": usb},
        {"user": "numeribus", "action": "org.freedesktop.udisks2.filesystem-mount-other-seat", "details": usb},
        {"user": "numeribus", "action": "org.freedesktop.udisks2.power-off-drive", "details": usb},
        {"user": "numeribus", "action": "org.freedesktop.udisks2.eject-media", "details": usb},
        {"user": "numeribus", "action": mount, "details": internal},
        {"user": "numeribus", "action": "org.freedesktop.udisks2.filesystem-mount-system", "details": usb},
        {"user": "numeribus", "action": "org.freedesktop.udisks2.modify-device", "details": usb},
        {"user": "numeribus", "action": "org.freedesktop.login1.power-off", "details": {}},
        {"user": "visiteur", "action": mount, "details": usb},
        {"user": "numeribus-sync", "action": mount, "details": usb},
    ]
    out = _polkit(POLKIT_RULE, cases, tmp_path)
    assert out["rules"] == 1
    assert out["answers"] == ["yes"] * 4 + ["not_handled"] * 6


@pytest.mark.skipif(NODE is None, reason="node is missing: the polkit rule (JavaScript) is not evaluated")
def test_a_polkit_rule_with_a_syntax_error_fails_the_harness(tmp_path):
    broken = tmp_path / "broken.rules"
    broken.write_text(POLKIT_RULE.read_text(encoding="utf-8").replace("});", "}"), encoding="utf-8")
    harness = tmp_path / "harness.js"
    harness.write_text(POLKIT_HARNESS, encoding="utf-8")
    result = subprocess.run([NODE, str(harness), str(broken)], input="[]", capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "SyntaxError" in result.stderr


def test_polkit_rule_is_ecmascript_5():
    """polkitd 122 (Debian 12) runs rules with duktape, an ECMAScript 5 engine; node accepts more."""
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", POLKIT_RULE.read_text(encoding="utf-8"), flags=re.S)
    code = re.sub(r'"(?:\\.|[^"\\])*"', '""', code)
    for pattern in (r"\blet\b", r"\bconst\b", r"=>", r"`", r"\bclass\b", r"\.\.\.", r"\bof\b"):
        assert not re.search(pattern, code), f"{pattern} is not ECMAScript 5"


# ------------------------------------------------------------------ udev

UDEV_KEYS = re.compile(
    r"(ACTION|DEVPATH|KERNEL|KERNELS|NAME|SYMLINK|SUBSYSTEM|SUBSYSTEMS|DRIVER|DRIVERS|TAG|TAGS|TEST"
    r"|PROGRAM|RESULT|GOTO|LABEL|OWNER|GROUP|MODE|OPTIONS|IMPORT\{\w+\}|RUN(\{\w+\})?"
    r"|ATTR\{[\w/.-]+\}|ATTRS\{[\w/.-]+\}|SYSCTL\{[\w/.-]+\}|ENV\{[\w.]+\}|CONST\{\w+\}|TEST\{\d+\})"
)
UDEV_PAIR = re.compile(r'\s*(?P<key>[A-Z]+(\{[^}]*\})?)\s*(?P<op>==|!=|\+=|-=|:=|=)\s*"(?P<value>[^"]*)"\s*(,|$)')


def udev_rule_problems(text: str) -> list[str]:
    """The lines of a udev rules file that udev(7)'s syntax does not allow: comma-separated
    KEY op "value" pairs with known keys, at least one of them an assignment (an action)."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        position, has_action = 0, False
        while position < len(line):
            pair = UDEV_PAIR.match(line, position)
            if pair is None or not UDEV_KEYS.fullmatch(pair["key"]):
                problems.append(f"line {number}: cannot read {line[position:]!r}")
                break
            has_action |= pair["op"] not in ("==", "!=")
            position = pair.end()
        else:
            if not has_action:
                problems.append(f"line {number}: matches, but does nothing")
    return problems


def test_the_udev_power_rule_reads_and_powers_off_on_a_low_battery():
    text = (PACKAGING / "udev" / "70-numeribus-power.rules").read_text(encoding="utf-8")
    assert udev_rule_problems(text) == []
    (rule,) = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert 'SUBSYSTEM=="power_supply"' in rule and 'ATTR{status}=="Discharging"' in rule
    assert 'RUN+="/usr/bin/systemctl --no-block poweroff"' in rule


@pytest.mark.parametrize(
    "line",
    [
        'SUBSYSTEM=="power_supply", ATTR{status=="Discharging", RUN+="/usr/bin/systemctl poweroff"',  # a brace
        'SUBSYSTEM=="power_supply" RUN+="/usr/bin/systemctl poweroff"',  # a missing comma
        'SUBSYSTEMZ=="power_supply", RUN+="/usr/bin/systemctl poweroff"',  # an unknown key
        "SUBSYSTEM=='power_supply', RUN+='/usr/bin/systemctl poweroff'",  # single quotes
        'SUBSYSTEM=="power_supply"',  # nothing to do
    ],
)
def test_a_broken_udev_rule_is_caught(line):
    assert udev_rule_problems(line)


# ------------------------------------------------------------------ speech-dispatcher


def _ssip(path: Path, commands: list[str]) -> list[list[str]]:
    """Send SSIP commands to speech-dispatcher's socket; each answer's lines."""
    answers = []
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(30)
        sock.connect(str(path))
        stream = sock.makefile("rwb")
        for command in commands:
            stream.write(command.encode() + b"\r\n")
            stream.flush()
            lines = []
            while True:
                line = stream.readline().decode().rstrip("\r\n")
                assert line, f"speech-dispatcher closed the connection after {command!r}"
                lines.append(line)
                if len(line) > 3 and line[3] == " ":
                    break
            answers.append(lines)
    return answers


@pytest.mark.skipif(SPEECHD is None, reason="speech-dispatcher is missing")
def test_speech_dispatcher_reads_the_config_french_and_espeak_ng(tmp_path):
    """The real speech-dispatcher, given the package's speechd.conf as its user configuration
    (as ~/.config/speech-dispatcher/ would), answers French and espeak-ng to a client that
    sets nothing."""
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    shutil.copy(PACKAGING / "speech-dispatcher" / "speechd.conf", conf_dir / "speechd.conf")
    sock = tmp_path / "speechd.sock"
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SPEECHD_", "XDG_"))},
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
    }
    server = subprocess.Popen(
        [SPEECHD, "--run-single", "--config-dir", str(conf_dir), "--communication-method", "unix_socket"]
        + ["--socket-path", str(sock), "--timeout", "5", "--log-dir", str(tmp_path), "--log-level", "1"]
        + ["--pid-file", str(tmp_path / "speechd.pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not sock.exists():
            assert server.poll() is None, "speech-dispatcher did not start"
            assert time.monotonic() < deadline, "speech-dispatcher did not open its socket"
            time.sleep(0.05)
        name, module, language, quit_ = _ssip(
            sock, ["SET SELF CLIENT_NAME numeribus:test:main", "GET OUTPUT_MODULE", "GET LANGUAGE", "QUIT"]
        )
        assert name[-1].startswith("208")
        assert module == ["251-espeak-ng", "251 OK GET RETURNED"]
        assert language == ["251-fr", "251 OK GET RETURNED"]
        assert quit_[-1].startswith("231")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_speechd_conf_sets_the_documented_defaults():
    settings = {}
    for line in (PACKAGING / "speech-dispatcher" / "speechd.conf").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition(" ")
            settings.setdefault(key, value.strip())
    assert settings["DefaultLanguage"] == '"fr"'
    assert settings["DefaultModule"] == "espeak-ng"
    assert settings["AudioOutputMethod"] == '"pulse"'
