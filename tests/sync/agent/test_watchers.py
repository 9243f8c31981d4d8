"""sync.agent.watchers: links coming up and USB sticks with a ``numeribus/`` folder, for real.

- The stick matching, on real temporary folders and a fake sysfs tree (as tests/journal/test_usb.py).
- The watcher's thread in this process, on a mounts file the test writes (`rescan()`).
- Subprocesses (tests/sync/agent/watcher_child.py) for what needs a world of its own:
  * umockdev (Debian's, packaging/debian/test-packages.txt): a fake USB stick and fake network
    interfaces whose udev events reach the real pyudev monitor;
  * a mount namespace: a real mount, seen through /proc/self/mounts (poll() wakes on POLLPRI);
  * a network namespace: real veth links going up and getting an address, seen through rtnetlink.
  Each skips, saying why, where it cannot run (umockdev absent, no right to make namespaces).
"""

from __future__ import annotations

import json
import queue
import shutil
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from sync.agent import watchers
from sync.agent.watchers import DeviceWatcher, NetlinkEvent, link_is_up, parse_rtnetlink, stick_mounts
from tests.fake_sysfs import block

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
EVENTUALLY = 30  # seconds: a bound for things that happen at once, never reached when all is well
USB_PORT = "devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host6/target6:0:0/6:0:0:0/block"
USB_PORT_2 = "devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/host7/target7:0:0/7:0:0:0/block"
SATA = "devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block"


@pytest.fixture
def machine(tmp_path):
    """A fake sysfs (two sticks, an internal disk), a mounts file, and a root with the mount points."""
    sys_root = tmp_path / "sys"
    block(sys_root, USB_PORT, "sdb", removable=1, partitions=(1,))
    block(sys_root, USB_PORT_2, "sdc", removable=1, partitions=(1,))
    block(sys_root, SATA, "sda", removable=0, partitions=(1, 2))
    root = tmp_path / "root"
    (root / "media" / "kiosk" / "CLE DEPOT" / "numeribus" / "to-bus").mkdir(parents=True)
    (root / "media" / "kiosk" / "VACANCES" / "photos").mkdir(parents=True)  # a stick without numeribus/
    (root / "srv" / "data" / "numeribus").mkdir(parents=True)  # an internal disk: never a stick
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda2 / ext4 rw,relatime 0 0\n"
        "/dev/sda1 /srv/data ext4 rw,relatime 0 0\n"
        "/dev/sdb1 /media/kiosk/CLE\\040DEPOT vfat rw,nosuid,nodev 0 0\n"
        "/dev/sdc1 /media/kiosk/VACANCES vfat ro,nosuid,nodev 0 0\n"
    )
    return {
        "mounts_file": mounts,
        "sys_class_block": sys_root / "class" / "block",
        "root": root,
        "disk_by_label": tmp_path / "no-labels",
    }


# --- which mounts are sticks ------------------------------------------------------------------------


def test_only_removable_drives_holding_a_numeribus_folder(machine):
    found = stick_mounts(**machine)
    assert [(t.path, t.device, t.read_only) for t in found] == [
        (machine["root"] / "media" / "kiosk" / "CLE DEPOT", "/dev/sdb1", False)
    ]
    assert found[0].label == "CLE DEPOT"


def test_a_read_only_stick_and_a_numeribus_file(machine):
    vacances = machine["root"] / "media" / "kiosk" / "VACANCES"
    (vacances / "numeribus").write_text("not a folder")
    assert [t.device for t in stick_mounts(**machine)] == ["/dev/sdb1"]
    (vacances / "numeribus").unlink()
    (vacances / "numeribus").mkdir()
    found = stick_mounts(**machine)
    assert [(t.device, t.read_only) for t in found] == [("/dev/sdb1", False), ("/dev/sdc1", True)]


def test_a_mount_point_that_is_gone_or_a_missing_mounts_file(machine, tmp_path):
    shutil.rmtree(machine["root"] / "media" / "kiosk" / "CLE DEPOT")  # unplugged, not yet unmounted
    assert stick_mounts(**machine) == []
    assert stick_mounts(**{**machine, "mounts_file": tmp_path / "absent"}) == []


def test_the_real_machine_can_be_read():
    # Whatever is mounted here, the call works and finds only folders that exist.
    for target in stick_mounts():
        assert (target.path / "numeribus").is_dir()


@pytest.mark.parametrize(
    ("operstate", "flags", "up"),
    [
        ("up", 0x1003, True),
        ("up\n", 0, True),
        ("down", 0x1003, False),
        ("dormant", 0x1043, False),
        ("lowerlayerdown", 0x1003, False),
        ("unknown", 0x1043, True),  # ppp, wwan: UP and RUNNING
        ("unknown", 0x1003, False),  # UP but not RUNNING
        ("unknown", 0x49, False),  # loopback
        ("up", 0x49, False),
    ],
)
def test_link_is_up(operstate, flags, up):
    assert link_is_up(operstate, flags) is up


# --- rtnetlink messages -------------------------------------------------------------------------------


def attribute(kind: int, value: bytes) -> bytes:
    data = struct.pack("=HH", 4 + len(value), kind) + value
    return data + b"\0" * (-len(data) % 4)


def message(kind: int, body: bytes) -> bytes:
    data = struct.pack("=IHHII", 16 + len(body), kind, 0, 0, 0) + body
    return data + b"\0" * (-len(data) % 4)


def test_parse_rtnetlink():
    link = message(
        watchers.RTM_NEWLINK,
        struct.pack("=BxHiII", 0, 1, 3, 0x11043, 0)
        + attribute(watchers.IFLA_IFNAME, b"wlan0\0")
        + attribute(watchers.IFLA_OPERSTATE, bytes([6])),
    )
    address = message(
        watchers.RTM_NEWADDR,
        struct.pack("=BBBBI", socket.AF_INET, 24, 0, 0, 3)
        + attribute(watchers.IFA_ADDRESS, socket.inet_aton("192.0.2.7"))
        + attribute(watchers.IFA_LOCAL, socket.inet_aton("192.0.2.7"))
        + attribute(watchers.IFA_LABEL, b"wlan0\0"),
    )
    v6 = message(
        watchers.RTM_DELADDR,
        struct.pack("=BBBBI", socket.AF_INET6, 64, 0, 253, 3)
        + attribute(watchers.IFA_ADDRESS, socket.inet_pton(socket.AF_INET6, "fe80::1")),
    )
    gone = message(watchers.RTM_DELLINK, struct.pack("=BxHiII", 0, 1, 3, 0, 0))
    other = message(24, b"\0" * 12)  # a route: skipped
    events = parse_rtnetlink(link + other + address + v6 + gone)
    assert events == [
        NetlinkEvent("link", 3, "wlan0", 0x11043, "up"),
        NetlinkEvent("address", 3, "wlan0", address="192.0.2.7", scope=0),
        NetlinkEvent("address_gone", 3, None, address="fe80::1", scope=253),
        NetlinkEvent("link_gone", 3, None, 0, "unknown"),
    ]
    assert events[0].up and not events[3].up


@pytest.mark.parametrize("cut", [0, 3, 10, 17, 30])
def test_parse_rtnetlink_survives_truncated_data(cut):
    link = message(
        watchers.RTM_NEWLINK, struct.pack("=BxHiII", 0, 1, 3, 0x1043, 0) + attribute(watchers.IFLA_IFNAME, b"eth0\0")
    )
    data = link[:cut]
    assert parse_rtnetlink(data) == []
    assert parse_rtnetlink(link + b"\xff" * cut)[0].name == "eth0"


# --- the watcher's thread, in this process ------------------------------------------------------------


def collect():
    calls: queue.Queue[tuple[str, object]] = queue.Queue()
    return calls, (lambda path: calls.put(("stick", path))), (lambda path: calls.put(("removed", path)))


def test_sticks_present_at_start_then_removed_then_back(machine):
    calls, on_stick, on_removed = collect()
    watcher = DeviceWatcher(on_stick=on_stick, on_stick_removed=on_removed, udev=False, route=False, **machine)
    stick = machine["root"] / "media" / "kiosk" / "CLE DEPOT"
    lines = machine["mounts_file"].read_text()
    with watcher:
        assert watcher.sources == []  # a plain file is not a mount table that poll() can watch
        assert calls.get(timeout=EVENTUALLY) == ("stick", stick)
        watcher.rescan()
        machine["mounts_file"].write_text("".join(line + "\n" for line in lines.splitlines() if "sdb1" not in line))
        watcher.rescan()
        assert calls.get(timeout=EVENTUALLY) == ("removed", stick)
        machine["mounts_file"].write_text(lines)
        watcher.rescan()
        assert calls.get(timeout=EVENTUALLY) == ("stick", stick)
    assert calls.empty()
    assert watcher.stop()  # twice is harmless


def test_report_present_off_and_a_failing_callback(machine, caplog):
    calls: queue.Queue[Path] = queue.Queue()

    def on_stick(path):
        calls.put(path)
        raise OSError("the stick was pulled out")

    vacances = machine["root"] / "media" / "kiosk" / "VACANCES"
    with DeviceWatcher(on_stick=on_stick, report_present=False, udev=False, route=False, **machine) as watcher:
        (vacances / "numeribus").mkdir()
        watcher.rescan()
        assert calls.get(timeout=EVENTUALLY) == vacances  # only the new one: CLE DEPOT was there at start
        (vacances / "numeribus" / "to-hq").mkdir()
        watcher.rescan()
        watcher.rescan()
    assert calls.empty()
    assert "a device watcher callback failed" in caplog.text and "the stick was pulled out" in caplog.text


def test_started_twice_and_a_bad_source():
    with pytest.raises(ValueError, match="udev_source"):
        DeviceWatcher(udev_source="systemd")
    watcher = DeviceWatcher(udev=False, route=False)
    with watcher, pytest.raises(RuntimeError, match="already started"):
        watcher.start()


def test_the_real_sources_open_here(tmp_path):
    # pyudev without udevd (the kernel's events), rtnetlink and the mount table: all three open here.
    watcher = DeviceWatcher(lambda name: None, lambda path: None, disk_by_label=tmp_path)
    with watcher:
        assert watcher.sources[0] in ("udev:udev", "udev:kernel")
        assert watcher.sources[1:] == ["route", "mounts"]
    assert watcher.stop()


# --- subprocesses: umockdev, a mount namespace, a network namespace ------------------------------------


def run_child(prefix: list[str], config: dict) -> list[str]:
    command = prefix + [sys.executable, "-m", "tests.sync.agent.watcher_child", json.dumps(config)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and lines[-1:] == ["done"], f"{done.stdout}\n{done.stderr}"
    assert lines[0].startswith("ready ")
    return lines


def umockdev_missing() -> str | None:
    if shutil.which("umockdev-wrapper") is None:
        return "umockdev is not installed (scripts/setup.sh --test installs packaging/debian/test-packages.txt)"
    probe = subprocess.run(
        [
            "/usr/bin/python3",
            "-c",
            "import gi; gi.require_version('UMockdev', '1.0'); from gi.repository import UMockdev",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return f"Debian's python3 cannot load UMockdev (python3-gi, gir1.2-umockdev-1.0): {probe.stderr.strip()[-200:]}"
    return None


def test_umockdev_stick_and_links(tmp_path):
    reason = umockdev_missing()
    if reason:
        pytest.skip(reason)
    root = tmp_path / "root"
    stick = root / "media" / "kiosk" / "CLE DEPOT"
    (stick / "numeribus").mkdir(parents=True)
    mounts = tmp_path / "mounts"
    mounts.write_text("")
    config = {
        # /sys is umockdev's test bed; the mount table is the test's file, the mount point under `root`
        "watcher": {"mounts_file": str(mounts), "root": str(root), "route": False, "disk_by_label": str(tmp_path)},
        "until": [f"stick {stick}", f"removed {stick}", "link wlan9", "link eth9"],
        "timeout": 60,
    }
    bed = [
        "umockdev-wrapper",
        "/usr/bin/python3",
        str(HERE / "umockdev_bed.py"),
        str(mounts),
        "/dev/sdb1 /media/kiosk/CLE\\040DEPOT vfat rw,nosuid,nodev 0 0",
        "--",
    ]
    lines = run_child(bed, config)
    assert json.loads(lines[0].removeprefix("ready "))[0].startswith("udev:")
    events = lines[1:-1]
    assert sorted(events) == sorted(config["until"])  # wlan8 stays down: never reported; each thing once
    assert events.index(f"stick {stick}") < events.index(f"removed {stick}")


def namespaces_missing(*kinds: str) -> str | None:
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(["unshare", *kinds, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return (
            f"this machine does not let the tests make namespaces (unshare {' '.join(kinds)}: {probe.stderr.strip()})"
        )
    return None


def test_a_real_mount_wakes_the_watcher(tmp_path):
    reason = namespaces_missing("--mount")
    if reason:
        pytest.skip(reason)
    sys_root = tmp_path / "sys"
    block(sys_root, USB_PORT, "sdb", removable=1, partitions=(1,))
    stage = tmp_path / "stage"  # under /tmp: never taken for a stick, while numeribus/ is made
    stage.mkdir()
    config = {
        "watcher": {
            "udev": False,
            "route": False,
            "sys_class_block": str(sys_root / "class" / "block"),
            "disk_by_label": str(tmp_path),
        },
        # In the child's own mount namespace, on a tmpfs over /mnt: nothing shows outside.  The tmpfs
        # named /dev/sdb1 plays the stick; it appears at /mnt/CLE with its numeribus/ folder at once.
        "commands": [
            ["mkdir", "/mnt/CLE"],
            ["mount", "-t", "tmpfs", "/dev/sdb1", str(stage)],
            ["mkdir", str(stage / "numeribus")],
            ["mount", "--move", str(stage), "/mnt/CLE"],
        ],
        "on": {"stick /mnt/CLE": [["umount", "/mnt/CLE"]]},
        "until": ["stick /mnt/CLE", "removed /mnt/CLE"],
    }
    prefix = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount -t tmpfs tmpfs /mnt && exec "$@"',
        "sh",
    ]
    lines = run_child(prefix, config)
    assert lines == ['ready ["mounts"]', "stick /mnt/CLE", "removed /mnt/CLE", "done"]
    assert not any(stage.iterdir())


def test_real_links_coming_up_in_a_network_namespace():
    reason = namespaces_missing("--net", "--mount")
    if reason:
        pytest.skip(reason)
    if shutil.which("ip") is None:
        pytest.skip("ip (iproute2) is not installed")
    ip = shutil.which("ip")
    config = {
        "watcher": {"mounts_file": "/nonexistent", "disk_by_label": "/nonexistent"},
        # a veth pair, both ends up, an address (TEST-NET-1, inside the namespace only), then a
        # second pair as a sentinel: everything about the first has been reported before it
        "commands": [
            [ip, "link", "add", "v0", "type", "veth", "peer", "name", "v1"],
            [ip, "link", "set", "v0", "up"],
            [ip, "link", "set", "v1", "up"],
            [ip, "addr", "add", "192.0.2.1/24", "dev", "v0"],
            [ip, "link", "add", "w0", "type", "veth", "peer", "name", "w1"],
            [ip, "link", "set", "w0", "up"],
            [ip, "link", "set", "w1", "up"],
        ],
        "until": ["link v0", "link v1", "link v0", "link w0", "link w1"],
    }
    # /sys mounted again in the new namespace, so that /sys/class/net shows its links
    prefix = [
        "unshare",
        "--net",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount -t sysfs sysfs /sys && exec "$@"',
        "sh",
    ]
    lines = run_child(prefix, config)
    sources = json.loads(lines[0].removeprefix("ready "))
    assert "route" in sources and sources[0].startswith("udev:")
    events = lines[1:-1]
    assert sorted(events) == sorted(config["until"])  # lo never; v0 up, then its address; v1 up; no duplicate
    assert events.index("link v1") < events.index("link w0")
