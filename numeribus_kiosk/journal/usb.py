"""USB sticks to export the mediation sessions to, and the export itself (issue 4, item 6).

Pure Python reading Linux files, no Qt, no udev: the kiosk's export screen calls

``removable_mounts(mounts_file="/proc/self/mounts", sys_class_block="/sys/class/block", *,
include_read_only=False, disk_by_label="/dev/disk/by-label") -> list[UsbTarget]``
    The mounted filesystems of removable drives: a mount whose block device, or the disk that
    holds it (the parent of a partition), has ``removable`` = 1 in sysfs, or sits on a USB bus
    (its resolved sysfs path goes through a ``usbN`` node).  Devices that are not under
    ``/dev/``, the root filesystem and system mount points (``/boot``, ``/usr``, ``/var``...) are
    never offered.  Read-only mounts (mount option ``ro``, or the device's ``ro`` = 1, a
    write-protect switch) are left out, unless `include_read_only`: they then come with
    ``read_only=True`` so the screen can say "clé en lecture seule".  A device mounted twice is
    listed once (its first mount).  The octal escapes of /proc/mounts (``\\040`` for a space) are
    decoded.  `UsbTarget`: ``path`` (the mount point, a Path), ``label`` (the volume label from
    /dev/disk/by-label, else the mount point's name), ``device`` ("/dev/sdb1"), ``read_only``.
    A mounts file that cannot be read gives an empty list (nothing to offer), never an error.

``export_to_folder(folder, sessions, *, month_label, fmt, mapping, bus_code="") -> Path``
    Writes ``folder/numeribus/exports/seances-<bus>-<month_label>.<fmt>`` (``seances-<month_label>``
    without a bus code) atomically: temp file, fsync, rename, fsync of the folder, so pulling the
    stick out or a power cut leaves the previous file or the new one, never half of it.  Exporting
    the same month again replaces the file.  `month_label` is "YYYY-MM" (letters, digits, ``-``
    and ``_`` are accepted, for other periods); `fmt` is "csv" or "ods"; `mapping` is a
    `survey.SurveyMapping` (one column per category, and the "Enquête annuelle" sheet in ODS) or
    None; `bus_code` is reduced to ASCII letters, digits, ``-`` and ``_``.  `sessions` are written
    as given (pass them through `export.sessions_in_period` first).  Returns the file's path.
    Errors raise `export.ExportError` (a `JournalError`) with a plain English message and a
    `reason`: "full", "read_only", "not_allowed", "gone" (the folder or stick is not there any
    more) or "failed".  `folder` itself is never created: a stick that was unmounted leaves no
    file on the kiosk's own disk.

Nothing here writes personal data of visitors: sessions carry none.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .export import FORMATS, ExportError, error_from, export_bytes, write_atomically
from .sessions import Session
from .survey import SurveyMapping

EXPORT_SUBDIR = Path("numeribus") / "exports"
FILE_PREFIX = "seances"
# Mount points that are never a stick to export to, even on a USB disk (a kiosk booted from USB).
_SYSTEM_MOUNTS = ("/boot", "/usr", "/var", "/etc", "/proc", "/sys", "/dev", "/snap", "/home", "/opt", "/srv", "/tmp")
_OCTAL = re.compile(rb"\\([0-7]{3})")
_HEX = re.compile(rb"\\x([0-9a-fA-F]{2})")
_LABEL_CHARS = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class UsbTarget:
    path: Path
    label: str
    device: str
    read_only: bool = False


def _unescape(raw: bytes, pattern: re.Pattern, base: int) -> str:
    return os.fsdecode(pattern.sub(lambda m: bytes([int(m.group(1), base)]), raw))


def _read_flag(path: Path) -> bool:
    try:
        return path.read_text(encoding="ascii").strip() == "1"
    except (OSError, UnicodeDecodeError):
        return False


def _sysfs_node(device: str, sys_class_block: Path) -> Path | None:
    """The resolved sysfs folder of `device` ("/dev/sdb1"), or None."""
    for name in (Path(device).name, Path(os.path.realpath(device)).name):
        node = sys_class_block / name
        if node.exists():
            return Path(os.path.realpath(node))
    return None


def _removable(node: Path, sys_root: Path) -> tuple[bool, bool]:
    """(removable or on USB, write-protected) for the sysfs folder `node` of a block device."""
    nodes = [node]
    if (node / "partition").exists():
        nodes.append(node.parent)  # the disk holding the partition
    try:
        parts = node.relative_to(sys_root).parts
    except ValueError:
        parts = node.parts
    on_usb = any(re.fullmatch(r"usb\d+", part) for part in parts)
    removable = on_usb or any(_read_flag(n / "removable") for n in nodes)
    return removable, any(_read_flag(n / "ro") for n in nodes)


def _labels(disk_by_label: Path) -> dict[str, str]:
    """{device name ("sdb1"): volume label} from udev's /dev/disk/by-label links."""
    labels: dict[str, str] = {}
    try:
        entries = list(os.scandir(disk_by_label))
    except OSError:
        return labels
    for entry in entries:
        try:
            target = Path(os.path.realpath(entry.path)).name
        except OSError:
            continue
        labels.setdefault(target, _unescape(os.fsencode(entry.name), _HEX, 16))
    return labels


def _system_mount(mount_point: str) -> bool:
    return mount_point == "/" or any(
        mount_point == prefix or mount_point.startswith(prefix + "/") for prefix in _SYSTEM_MOUNTS
    )


def removable_mounts(
    mounts_file: str | Path = "/proc/self/mounts",
    sys_class_block: str | Path = "/sys/class/block",
    *,
    include_read_only: bool = False,
    disk_by_label: str | Path = "/dev/disk/by-label",
) -> list[UsbTarget]:
    """The mounted removable drives (USB sticks, card readers), in the order they were mounted."""
    try:
        raw = Path(mounts_file).read_bytes()
    except OSError:
        return []
    sys_class_block = Path(sys_class_block)
    sys_root = Path(os.path.realpath(sys_class_block)).parent.parent  # /sys
    labels: dict[str, str] | None = None
    targets: list[UsbTarget] = []
    seen: set[str] = set()
    for line in raw.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        device = _unescape(fields[0], _OCTAL, 8)
        mount_point = _unescape(fields[1], _OCTAL, 8)
        options = fields[3].decode("ascii", "replace").split(",")
        if not device.startswith("/dev/") or device in seen or _system_mount(mount_point):
            continue
        node = _sysfs_node(device, sys_class_block)
        if node is None:
            continue
        removable, write_protected = _removable(node, sys_root)
        if not removable:
            continue
        seen.add(device)
        read_only = "ro" in options or write_protected
        if read_only and not include_read_only:
            continue
        if labels is None:
            labels = _labels(Path(disk_by_label))
        label = labels.get(node.name) or Path(mount_point).name or device
        targets.append(UsbTarget(Path(mount_point), label, device, read_only))
    return targets


def _safe(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(_LABEL_CHARS.findall(ascii_text))


def export_file_name(month_label: str, fmt: str, bus_code: str = "") -> str:
    """ "seances-<bus>-<month_label>.<fmt>" ("seances-<month_label>.<fmt>" without a bus code)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    if not isinstance(month_label, str) or not _LABEL_CHARS.fullmatch(month_label):
        raise ValueError(f"month_label must be like 2026-11 (letters, digits, - and _), got {month_label!r}")
    bus = _safe(bus_code or "")
    return "-".join(part for part in (FILE_PREFIX, bus, month_label) if part) + f".{fmt}"


def export_to_folder(
    folder: str | Path,
    sessions: Iterable[Session],
    *,
    month_label: str,
    fmt: str,
    mapping: SurveyMapping | None,
    bus_code: str = "",
) -> Path:
    """Write the export of `sessions` to ``folder/numeribus/exports/`` atomically; returns its path."""
    name = export_file_name(month_label, fmt, bus_code)
    content = export_bytes(sessions, fmt, mapping)  # before touching the stick
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(f"Cannot write to {folder}: the folder or drive is not available (removed?).", "gone")
    target_dir = folder / EXPORT_SUBDIR
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error_from(exc, target_dir) from exc
    path = target_dir / name
    write_atomically(path, content)
    return path
