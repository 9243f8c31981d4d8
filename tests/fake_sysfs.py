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
