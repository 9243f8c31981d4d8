"""A fake sysfs for the tests that look for USB sticks (journal.usb, sync.agent.watchers)."""

from __future__ import annotations

import os
from pathlib import Path


def block(sys_root: Path, where: str, disk: str, *, removable: int, ro: int = 0, partitions=()) -> None:
    """A disk (and its partitions) in a fake sysfs, with the /sys/class/block links the kernel makes."""
    disk_dir = sys_root / where / disk
    disk_dir.mkdir(parents=True)
    (disk_dir / "removable").write_text(f"{removable}\n")
    (disk_dir / "ro").write_text(f"{ro}\n")
    names = [(disk, disk_dir)]
    for number in partitions:
        part_dir = disk_dir / f"{disk}{number}"
        part_dir.mkdir()
        (part_dir / "partition").write_text(f"{number}\n")
        (part_dir / "ro").write_text("0\n")
        names.append((part_dir.name, part_dir))
    links = sys_root / "class" / "block"
    links.mkdir(parents=True, exist_ok=True)
    for name, target in names:
        (links / name).symlink_to(os.path.relpath(target, links))


USB_PORT = "devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host6/target6:0:0/6:0:0:0/block"


class FakeStick:
    """One USB stick (sdb1) in a fake sysfs and mount table under `folder`, for the sync agent's
    `DeviceWatcher`: mounted at ``ROOT/media/kiosk/CLE`` (`path`, its ``numeribus/`` folder made)
    once `plug(True)`.  `options` are the watcher's keyword arguments (no udev, no rtnetlink: the
    test calls ``watcher.rescan()`` after plugging)."""

    def __init__(self, folder: Path) -> None:
        sys_root = folder / "sys"
        block(sys_root, USB_PORT, "sdb", removable=1, partitions=(1,))
        root = folder / "root"
        self.path = root / "media" / "kiosk" / "CLE"
        (self.path / "numeribus").mkdir(parents=True)
        self.mounts = folder / "mounts"
        self.options = {
            "mounts_file": self.mounts,
            "sys_class_block": sys_root / "class" / "block",
            "root": root,
            "disk_by_label": folder / "no-labels",
            "udev": False,
            "route": False,
        }
        self.plug(False)

    def plug(self, plugged: bool) -> None:
        stick = "/dev/sdb1 /media/kiosk/CLE vfat rw,nosuid,nodev 0 0\n" if plugged else ""
        self.mounts.write_text("/dev/sda2 / ext4 rw,relatime 0 0\n" + stick)
