import csv
import errno
import io
import os
import tempfile
from pathlib import Path

import pytest

from numeribus_kiosk.journal import sessions, survey, usb
from numeribus_kiosk.journal.export import ExportError
from numeribus_kiosk.journal.usb import UsbTarget, export_to_folder, removable_mounts
from tests.fake_sysfs import block
from tests.journal.test_export import read_ods

USB_PORT = "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block"
USB_PORT_2 = "devices/pci0000:00/0000:00:14.0/usb2/2-2/2-2:1.0/host7/target7:0:0/7:0:0:0/block"
USB_PORT_3 = "devices/pci0000:00/0000:00:14.0/usb3/3-1/3-1:1.0/host8/target8:0:0/8:0:0:0/block"
USB_PORT_4 = "devices/pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0/host9/target9:0:0/9:0:0:0/block"
SATA = "devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block"
CARD_READER = "devices/pci0000:00/0000:00:1c.0/0000:02:00.0/host2/target2:0:0/2:0:0:0/block"
NVME = "devices/pci0000:00/0000:00:1d.0/0000:03:00.0/nvme/nvme0/block"

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev,size=1620000k,mode=755 0 0
/dev/sda1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0
/dev/nvme0n1p1 /srv/data ext4 rw,relatime 0 0
/dev/nvme0n1p2 /media/archives ext4 rw,relatime 0 0
/dev/sdb1 /media/kiosk/CLE\\040DEPOT vfat rw,nosuid,nodev,relatime,uid=1000,gid=1000 0 0
/dev/sdb1 /mnt/bind\\011tab vfat rw,nosuid,nodev,relatime 0 0
/dev/sdc1 /media/kiosk/PROTEGEE vfat ro,nosuid,nodev,relatime 0 0
/dev/sdd /media/kiosk/DISQUE\\134USB exfat rw,nosuid,nodev,relatime 0 0
/dev/sde1 /media/kiosk/VERROU vfat rw,nosuid,nodev,relatime 0 0
/dev/mmcblk0p1 /run/media/kiosk/SD ext4 rw,relatime 0 0
/dev/sdf1 /media/kiosk/Sans\\040nom vfat rw,nosuid,nodev,relatime 0 0
"""


@pytest.fixture
def tree(tmp_path):
    """A fake machine: an internal SATA disk and NVMe, five USB devices, a card reader, an eMMC-like SD."""
    sys_root = tmp_path / "sys"
    block(sys_root, SATA, "sda", removable=0, partitions=(1, 2))
    block(sys_root, NVME, "nvme0n1", removable=0, partitions=("p1", "p2"))
    block(sys_root, USB_PORT, "sdb", removable=1, partitions=(1,))  # a stick
    block(sys_root, USB_PORT_2, "sdc", removable=1, partitions=(1,))  # a stick mounted read-only
    block(sys_root, USB_PORT_3, "sdd", removable=0)  # a USB hard disk: not "removable", but on USB
    block(sys_root, USB_PORT_4, "sde", removable=1, ro=1, partitions=(1,))  # write-protect switch on
    block(sys_root, CARD_READER, "sdf", removable=1, partitions=(1,))  # an internal card reader
    block(sys_root, "devices/platform/mmc0/mmc_host/mmc0/mmc0:0001/block", "mmcblk0", removable=0, partitions=("p1",))
    labels = tmp_path / "dev" / "disk" / "by-label"
    labels.mkdir(parents=True)
    (tmp_path / "dev" / "sdb1").touch()
    (labels / "CLE\\x20DEPOT").symlink_to("../../sdb1")
    (tmp_path / "dev" / "sda2").touch()
    (labels / "racine").symlink_to("../../sda2")
    mounts = tmp_path / "mounts"
    mounts.write_bytes(MOUNTS.encode())
    return {"mounts_file": mounts, "sys_class_block": sys_root / "class" / "block", "disk_by_label": labels}


def test_only_writable_removable_drives_are_offered(tree):
    assert removable_mounts(**tree) == [
        UsbTarget(Path("/media/kiosk/CLE DEPOT"), "CLE DEPOT", "/dev/sdb1"),
        UsbTarget(Path("/media/kiosk/DISQUE\\USB"), "DISQUE\\USB", "/dev/sdd"),
        UsbTarget(Path("/media/kiosk/Sans nom"), "Sans nom", "/dev/sdf1"),
    ]


def test_read_only_drives_come_with_a_flag_when_asked(tree):
    targets = removable_mounts(**tree, include_read_only=True)
    assert [(t.device, t.read_only) for t in targets] == [
        ("/dev/sdb1", False),
        ("/dev/sdc1", True),  # mounted "ro"
        ("/dev/sdd", False),
        ("/dev/sde1", True),  # the disk's write-protect switch (sysfs ro = 1)
        ("/dev/sdf1", False),
    ]
    assert targets[1] == UsbTarget(Path("/media/kiosk/PROTEGEE"), "PROTEGEE", "/dev/sdc1", True)


def test_internal_disks_and_the_system_are_never_offered(tree):
    # An internal disk mounted under /media, the root filesystem, /boot/efi: not removable.
    devices = {t.device for t in removable_mounts(**tree, include_read_only=True)}
    assert not devices & {"/dev/sda1", "/dev/sda2", "/dev/nvme0n1p1", "/dev/nvme0n1p2", "/dev/mmcblk0p1"}


def test_a_kiosk_booted_from_usb_does_not_offer_its_own_root(tree):
    tree["mounts_file"].write_bytes(
        b"/dev/sdb1 / ext4 rw 0 0\n/dev/sdb1 /boot ext4 rw 0 0\n/dev/sdd /media/kiosk/USB exfat rw 0 0\n"
    )
    assert [t.device for t in removable_mounts(**tree)] == ["/dev/sdd"]


def test_unreadable_or_odd_files_give_nothing(tree, tmp_path):
    assert removable_mounts(tmp_path / "absent", tree["sys_class_block"]) == []
    tree["mounts_file"].write_bytes(b"garbage\n\n/dev/sdz9 /media/x vfat rw 0 0\n/dev/sdb1\n")
    assert removable_mounts(**tree) == []
    # without udev's labels, the mount point's name is the label
    tree["mounts_file"].write_bytes(MOUNTS.encode())
    first = removable_mounts(tree["mounts_file"], tree["sys_class_block"], disk_by_label=tmp_path / "none")[0]
    assert first.label == "CLE DEPOT" and first.path == Path("/media/kiosk/CLE DEPOT")


def test_non_ascii_mount_points(tree):
    tree["mounts_file"].write_bytes("/dev/sdb1 /media/kiosk/Clé\\040d'été vfat rw 0 0\n".encode())
    [target] = removable_mounts(**tree)
    assert target.path == Path("/media/kiosk/Clé d'été")


def test_this_machine_can_be_read():
    """The real /proc and /sys: whatever is plugged in, every target is a mounted folder."""
    for target in removable_mounts(include_read_only=True):
        assert target.path.is_absolute() and target.device.startswith("/dev/")


# --- export_to_folder -------------------------------------------------------------------------

BASE = {
    "started_at": "2026-11-26T14:00:00+01:00",
    "duration_min": 90,
    "place": "EHPAD Les Tilleuls",
    "activity": "atelier tablette",
    "publics": ["seniors / EHPAD"],
    "participants": 8,
    "partner": "EHPAD Les Tilleuls",
    "mediator": "Camille",
}


def make(session_id="s", **overrides) -> sessions.Session:
    data = sessions.validate({**BASE, **overrides})
    data["publics"], data["equipment"] = tuple(data["publics"]), tuple(data["equipment"])
    stamp = "2026-11-26T16:00:00+00:00"
    return sessions.Session(id=session_id, **data, created_at=stamp, updated_at=stamp)


@pytest.fixture
def stick(tmp_path):
    path = tmp_path / "media" / "CLE DEPOT"  # a space, as sticks are often named
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def mapping():
    return survey.load_mapping(survey.DEFAULT_MAPPING)


def test_export_csv_to_a_stick(stick, mapping):
    found = [make("a"), make("b", activity="jeux vidéo", publics=["enfants"], participants=6, partner=None)]
    path = export_to_folder(stick, found, month_label="2026-11", fmt="csv", mapping=mapping, bus_code="LOIRE-1")
    assert path == stick / "numeribus" / "exports" / "seances-LOIRE-1-2026-11.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row["id"] for row in rows] == ["a", "b"]
    assert rows[0]["survey_personnes_agees"] == "8" and rows[1]["survey_jeunesse"] == "6"
    assert os.listdir(path.parent) == [path.name]  # no temp file left


def test_export_ods_again_replaces_the_months_file(stick, mapping):
    first = export_to_folder(stick, [make("a")], month_label="2026-11", fmt="ods", mapping=mapping)
    assert first.name == "seances-2026-11.ods"
    again = export_to_folder(stick, [make("a"), make("b")], month_label="2026-11", fmt="ods", mapping=mapping)
    assert again == first
    sheets = read_ods(again.read_bytes())
    assert [row[0] for row in sheets["sessions"][1:]] == ["a", "b"]
    assert sheets["Enquête annuelle"][1][:4] == [
        "action_culturelle",
        "Actions culturelles (animations, ateliers)",
        2,
        16,
    ]
    assert sorted(os.listdir(again.parent)) == ["seances-2026-11.ods"]


@pytest.mark.parametrize(
    ("bus_code", "name"),
    [
        ("", "seances-2026-11.csv"),
        ("Numéribus Forez", "seances-Numeribus-Forez-2026-11.csv"),
        ("../../etc", "seances-etc-2026-11.csv"),
        ("bus_2", "seances-bus_2-2026-11.csv"),
    ],
)
def test_file_names(bus_code, name):
    assert usb.export_file_name("2026-11", "csv", bus_code) == name


@pytest.mark.parametrize("label", ["../2026-11", "2026/11", "", "2026 11"])
def test_month_label_cannot_leave_the_folder(stick, mapping, label):
    with pytest.raises(ValueError, match="month_label"):
        export_to_folder(stick, [make()], month_label=label, fmt="csv", mapping=mapping)
    assert os.listdir(stick) == []


def test_a_removed_stick_is_reported_and_nothing_is_created(tmp_path, mapping):
    gone = tmp_path / "media" / "CLE"
    with pytest.raises(ExportError, match="is not available") as caught:
        export_to_folder(gone, [make()], month_label="2026-11", fmt="csv", mapping=mapping)
    assert caught.value.reason == "gone"
    assert not (tmp_path / "media").exists()  # nothing written on the kiosk's own disk


def test_a_read_only_stick_is_reported(stick, mapping, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    (stick / "numeribus" / "exports").mkdir(parents=True)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # what Linux answers on a stick mounted "ro"
    with pytest.raises(ExportError, match="read-only") as caught:
        export_to_folder(stick, [make()], month_label="2026-11", fmt="csv", mapping=mapping)
    assert caught.value.reason == "read_only"


def test_a_full_stick_keeps_its_previous_export(stick, mapping, monkeypatch):
    path = export_to_folder(stick, [make("a")], month_label="2026-11", fmt="csv", mapping=mapping)
    before = path.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError, match="not enough space") as caught:
        export_to_folder(stick, [make("a"), make("b")], month_label="2026-11", fmt="csv", mapping=mapping)
    monkeypatch.undo()
    assert caught.value.reason == "full"
    assert path.read_bytes() == before and os.listdir(path.parent) == [path.name]


def test_a_file_in_place_of_the_exports_folder(stick, mapping):
    (stick / "numeribus").write_text("not a folder")
    with pytest.raises(ExportError, match=r"Cannot write .*numeribus/exports"):
        export_to_folder(stick, [make()], month_label="2026-11", fmt="csv", mapping=mapping)
