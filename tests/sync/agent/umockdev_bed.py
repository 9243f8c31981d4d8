"""A umockdev test bed that plays a USB stick and network links to a watcher child (test_watchers.py).

Run by Debian's python3 (it has ``gi`` and the UMockdev typelib, which the project's virtual
environment does not), under ``umockdev-wrapper`` (the test bed's own calls must see the mocked
/sys too):

    umockdev-wrapper /usr/bin/python3 umockdev_bed.py MOUNTS_FILE MOUNT_LINE -- CHILD_COMMAND...

It makes an empty test bed, starts CHILD_COMMAND (tests/sync/agent/watcher_child.py under the
project's Python) with LD_PRELOAD and UMOCKDEV_DIR so that the child's libudev sees the bed, and
echoes the child's lines.  When the child says ``ready``:

1. a removable disk ``sdb`` with a partition ``sdb1`` appears (udev ``add`` events), then the
   partition is mounted: MOUNT_LINE is appended to MOUNTS_FILE (the mount follows the event, as
   with a real automounter);
2. a network interface ``wlan9`` appears with operstate ``down``, then goes ``up`` (a ``change``
   event), ``wlan8`` appears and stays down, and ``eth9`` appears with operstate ``unknown`` and
   the flags UP and RUNNING (as a ppp or wwan link does).

When the child reports the stick, it is unmounted (MOUNTS_FILE emptied) and removed (``remove``).
Exit status: the child's.
"""

from __future__ import annotations

import os
import subprocess
import sys

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402


def main() -> int:
    separator = sys.argv.index("--")
    mounts_file, mount_line = sys.argv[1:separator]
    child_command = sys.argv[separator + 1 :]
    bed = UMockdev.Testbed.new()
    env = dict(os.environ, UMOCKDEV_DIR=bed.get_root_dir())
    child = subprocess.Popen(child_command, env=env, stdout=subprocess.PIPE, text=True)
    partition = None
    for line in child.stdout:
        print(line.rstrip("\n"), flush=True)
        if line.startswith("ready"):
            disk = bed.add_device(
                "block", "sdb", None, ["removable", "1", "ro", "0", "size", "7864320"], ["DEVTYPE", "disk"]
            )
            partition = bed.add_device(
                "block", "sdb1", disk, ["partition", "1", "ro", "0"], ["DEVTYPE", "partition", "ID_FS_TYPE", "vfat"]
            )
            with open(mounts_file, "a", encoding="utf-8") as mounts:
                mounts.write(mount_line + "\n")
            wlan = bed.add_device(
                "net", "wlan9", None, ["operstate", "down", "flags", "0x1003"], ["INTERFACE", "wlan9"]
            )
            bed.set_attribute(wlan, "operstate", "up")
            bed.uevent(wlan, "change")
            bed.add_device("net", "wlan8", None, ["operstate", "down", "flags", "0x1003"], ["INTERFACE", "wlan8"])
            bed.add_device("net", "eth9", None, ["operstate", "unknown", "flags", "0x1043"], ["INTERFACE", "eth9"])
        elif line.startswith("stick") and partition is not None:
            with open(mounts_file, "w", encoding="utf-8"):
                pass
            bed.uevent(partition, "remove")
            bed.remove_device(partition)
            partition = None
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
