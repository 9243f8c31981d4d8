"""ExportBridge and the mediator's screen "mediateur-export", on the real kiosk, to a fake stick.

The stick is a folder of the test's tmp_path, listed in a fake mounts file with a fake sysfs
tree (the shapes of tests/journal/test_usb.py), given to the kiosk's ExportBridge through its
`mounts_file`, `sys_class_block` and `disk_by_label` attributes.  Sessions are written with
journal.sessions.add_session; the mode is opened with setupPin; "now" is the mediator's `now`.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import sessions, usb
from numeribus_kiosk.mediator import audit
from numeribus_kiosk.ui import export_bridge
from tests.journal.test_export import read_ods
from tests.journal.test_usb import USB_PORT, USB_PORT_2, block

from .mediator_helpers import PIN, audits_at_200_percent, open_screen, shown, text_of, unlock
from .test_schedule_screens import find_item, settle, touch, touch_device  # noqa: F401 - fixture

PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 17, 0, tzinfo=PARIS)
SCREEN = "mediateur-export"
WRITTEN = "Fichier écrit : numeribus/exports/seances-2026-11.ods\nVous pouvez retirer la clé."


def mount_line(device: str, path: Path, options: str = "rw,nosuid,nodev,relatime") -> str:
    """A /proc/self/mounts line (blanks in the mount point written \\040, as the kernel does)."""
    return f"{device} {str(path).replace(' ', chr(92) + '040')} vfat {options} 0 0\n"


class FakeMachine:
    """A fake /proc/self/mounts and /sys/class/block: USB disks sdb (a stick) and sdc."""

    def __init__(self, root: Path) -> None:
        self.sys = root / "sys"
        block(self.sys, USB_PORT, "sdb", removable=1, partitions=(1,))
        block(self.sys, USB_PORT_2, "sdc", removable=1, partitions=(1,))
        self.mounts = root / "mounts"
        self.stick = root / "media" / "CLE DEPOT"  # a blank in its name, as sticks often have
        self.protected = root / "media" / "PROTEGEE"
        self.labels = root / "by-label"  # absent: the mount point's name is the label

    def plug(self, *, stick: bool = True, protected: bool = False) -> None:
        lines = "/dev/sda2 / ext4 rw,relatime 0 0\n"
        if stick:
            self.stick.mkdir(parents=True, exist_ok=True)
            lines += mount_line("/dev/sdb1", self.stick)
        if protected:
            self.protected.mkdir(parents=True, exist_ok=True)
            lines += mount_line("/dev/sdc1", self.protected, "ro,nosuid,nodev,relatime")
        self.mounts.write_text(lines, encoding="utf-8")

    def export_dir(self) -> Path:
        return self.stick / "numeribus" / "exports"


@pytest.fixture
def machine(ui, tmp_path, monkeypatch) -> FakeMachine:
    """The kiosk's ExportBridge looks for sticks in a fake machine (nothing plugged in yet)."""
    # pytest's tmp_path is under /tmp, a mount point removable_mounts never offers (a USB-booted
    # kiosk's own /tmp); the fake stick lives there, so /tmp is taken off that list here only.
    monkeypatch.setattr(usb, "_SYSTEM_MOUNTS", tuple(m for m in usb._SYSTEM_MOUNTS if m != "/tmp"))
    fake = FakeMachine(tmp_path / "machine")
    fake.plug(stick=False)
    ui.exporter.mounts_file = fake.mounts
    ui.exporter.sys_class_block = fake.sys / "class" / "block"
    ui.exporter.disk_by_label = fake.labels
    return fake


@pytest.fixture
def now_is_fixed(ui, monkeypatch):
    monkeypatch.setattr(ui.mediator, "_now", lambda: NOW)


def add(db, day: date, participants: int, hour: int = 10) -> sessions.Session:
    return sessions.add_session(
        db,
        {
            "started_at": datetime.combine(day, time(hour), PARIS).isoformat(),
            "duration_min": 90,
            "place": "Médiathèque de Noirétable",
            "activity": "atelier tablette",
            "publics": ["seniors"],
            "participants": participants,
            "mediator": "Camille",
        },
        now=NOW,
    )


@pytest.fixture
def month_sessions(ui_data_dir):
    """November: two sessions (and a deleted one); October: one."""
    db = store.open_journal_db(ui_data_dir)
    try:
        november = [add(db, date(2026, 11, 1), 4, hour=9), add(db, date(2026, 11, 26), 7)]
        gone = add(db, date(2026, 11, 20), 30)
        sessions.delete_session(db, gone.id, now=NOW)
        october = [add(db, date(2026, 10, 31), 5, hour=20)]
    finally:
        db.close()
    return {"2026-11": [s.id for s in november], "2026-10": [s.id for s in october]}


def export_by_touch(qtbot, kiosk, clock, device) -> list:
    with qtbot.waitSignal(kiosk.exporter.exported, timeout=10000) as done:
        touch(qtbot, kiosk, "exportWrite", clock, device)
    return done.args


def audit_entries(data_dir) -> list[tuple[str, str, str]]:
    db = store.open_journal_db(data_dir)
    try:
        return [(e.action, e.target, e.detail) for e in audit.list_audit(db)]
    finally:
        db.close()


def files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


# --------------------------------------------------------------------------- writing


def test_export_this_month_as_ods_by_touch(ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                           month_sessions, ui_data_dir):  # fmt: skip
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    # The defaults: this month, ODS, the one stick found.
    assert find_item(ui, "exportThisMonth").property("on") and not find_item(ui, "exportLastMonth").property("on")
    assert text_of(ui, "exportMonth") == "novembre 2026"
    assert text_of(ui, "exportSessions") == "2 séances en novembre 2026"
    assert find_item(ui, "exportFormat_ods").property("on") and not find_item(ui, "exportFormat_csv").property("on")
    assert find_item(ui, "exportStick_0").property("on")
    assert text_of(ui, "exportStick_0") == "CLE DEPOT"
    assert not shown(ui, "exportStickMessage") and not shown(ui, "exportNextMonth")
    assert find_item(ui, "exportWrite").property("enabled")

    assert export_by_touch(qtbot, ui, clock, touch_device) == [True, WRITTEN]
    assert text_of(ui, "exportResult") == "✔ " + WRITTEN
    assert not shown(ui, "exportBusy")
    path = machine.export_dir() / "seances-2026-11.ods"
    assert files_under(machine.stick) == ["numeribus", "numeribus/exports", "numeribus/exports/seances-2026-11.ods"]
    sheets = read_ods(path.read_bytes())
    assert [row[0] for row in sheets["sessions"][1:]] == month_sessions["2026-11"]  # the deleted one left out
    assert "Enquête annuelle" in sheets  # the data directory's survey mapping (the default here)
    assert audit_entries(ui_data_dir)[-1] == ("export", "", "ods:2026-11")


@pytest.fixture
def bus_code(ui_data_dir):
    """config.toml's [bus] code, written before the kiosk starts: request it before `ui`."""
    (ui_data_dir / "config.toml").write_text('[bus]\ncode = "NB42"\n', encoding="utf-8")


def test_the_bus_code_names_the_file(bus_code, ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                     month_sessions):  # fmt: skip
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    written = WRITTEN.replace("seances-2026-11.ods", "seances-NB42-2026-11.ods")
    assert export_by_touch(qtbot, ui, clock, touch_device) == [True, written]
    assert (machine.export_dir() / "seances-NB42-2026-11.ods").is_file()
    assert not (machine.export_dir() / "seances-2026-11.ods").exists()


def test_last_month_as_csv_and_the_month_stepper(ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                                 month_sessions, ui_data_dir):  # fmt: skip
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "exportLastMonth", clock, touch_device)
    assert find_item(ui, "exportLastMonth").property("on") and not find_item(ui, "exportThisMonth").property("on")
    assert text_of(ui, "exportMonth") == "octobre 2026"
    assert text_of(ui, "exportSessions") == "1 séance en octobre 2026"
    touch(qtbot, ui, "exportPreviousMonth", clock, touch_device)
    assert text_of(ui, "exportMonth") == "septembre 2026"
    assert not find_item(ui, "exportLastMonth").property("on")
    assert text_of(ui, "exportSessions") == (
        "Aucune séance en septembre 2026 : le fichier n'aura que la ligne des titres."
    )
    touch(qtbot, ui, "exportNextMonth", clock, touch_device)
    assert text_of(ui, "exportMonth") == "octobre 2026"
    touch(qtbot, ui, "exportFormat_csv", clock, touch_device)
    assert ui.exporter.property("format") == "csv"

    ok, text = export_by_touch(qtbot, ui, clock, touch_device)
    assert ok and text.startswith("Fichier écrit : numeribus/exports/seances-2026-10.csv\n")
    raw = (machine.export_dir() / "seances-2026-10.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row["id"] for row in rows] == month_sessions["2026-10"]  # 31 October, 20:00 in its own offset
    assert audit_entries(ui_data_dir)[-1] == ("export", "", "csv:2026-10")

    touch(qtbot, ui, "exportNextMonth", clock, touch_device)  # back to November: no month after it
    assert not shown(ui, "exportNextMonth")
    ui.exporter.stepMonth(1)
    assert ui.exporter.property("month") == "2026-11"


# --------------------------------------------------------------------------- no stick, wrong stick


def test_no_stick_then_one_plugged_in(ui, qtbot, clock, touch_device, machine, now_is_fixed):  # noqa: F811
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "exportStickMessage") == (
        "⚠ Aucune clé USB trouvée. Branchez une clé puis touchez Rechercher à nouveau."
    )
    assert not find_item(ui, "exportWrite").property("enabled")
    machine.plug()
    touch(qtbot, ui, "exportRescan", clock, touch_device)
    assert not shown(ui, "exportStickMessage")
    assert find_item(ui, "exportStick_0").property("on") and find_item(ui, "exportWrite").property("enabled")


def test_a_read_only_stick_is_said_and_never_written(ui, qtbot, clock, touch_device, machine, now_is_fixed):  # noqa: F811
    machine.plug(stick=False, protected=True)
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "exportStickMessage").startswith(
        "⚠ La clé est en lecture seule. Poussez son petit verrou, rebranchez-la"
    )
    assert text_of(ui, "exportReadOnly_0") == "PROTEGEE (lecture seule)"
    assert not shown(ui, "exportStick_0")  # shown as a line of text, never offered as a choice
    assert not find_item(ui, "exportWrite").property("enabled")
    ui.exporter.chooseStick(0)
    assert ui.exporter.property("chosenStick") == -1
    ui.exporter.exportNow()
    assert ui.exporter.property("result") == "Choisissez d'abord une clé USB. Rien n'a été écrit."
    assert files_under(machine.protected) == []
    # With a writable stick as well, the writable one is chosen.
    machine.plug(protected=True)
    touch(qtbot, ui, "exportRescan", clock, touch_device)
    assert not shown(ui, "exportStickMessage")
    assert ui.exporter.property("chosenStick") == 0 and text_of(ui, "exportReadOnly_1") == "PROTEGEE (lecture seule)"


def test_stick_pulled_out_between_scan_and_write(ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                                 month_sessions, ui_data_dir):  # fmt: skip
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    shutil.rmtree(machine.stick)  # still listed as mounted, but its folder is gone
    ok, text = export_by_touch(qtbot, ui, clock, touch_device)
    assert not ok
    assert text == (
        "La clé n'est plus là (retirée ?). Rebranchez-la puis touchez Rechercher à nouveau. Rien n'a été écrit."
    )
    assert text_of(ui, "exportResult") == "⚠ " + text
    assert not machine.stick.exists()  # nothing was created in its place on the kiosk's disk
    assert "export" not in [action for action, _, _ in audit_entries(ui_data_dir)]


def test_stick_unmounted_leaves_its_folder_untouched(ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                                     month_sessions):  # fmt: skip
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    machine.plug(stick=False)  # unmounted: the empty mount point folder stays behind
    ok, text = export_by_touch(qtbot, ui, clock, touch_device)
    assert not ok and text.startswith("La clé n'est plus là (retirée ?).")
    assert files_under(machine.stick) == []
    assert text_of(ui, "exportStickMessage").startswith("⚠ Aucune clé USB trouvée.")


def test_a_full_stick_keeps_its_previous_file(ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                              month_sessions, ui_data_dir, monkeypatch):  # fmt: skip
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert export_by_touch(qtbot, ui, clock, touch_device)[0]
    path = machine.export_dir() / "seances-2026-11.ods"
    before = path.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", full)  # what the stick answers when it is full
        ok, text = export_by_touch(qtbot, ui, clock, touch_device)
    assert not ok
    assert text == "La clé est pleine. Libérez de la place ou prenez une autre clé. Rien n'a été écrit."
    assert path.read_bytes() == before and os.listdir(path.parent) == [path.name]  # no half file, no temp file
    assert [a for a, _, _ in audit_entries(ui_data_dir)].count("export") == 1


def test_a_broken_survey_mapping_stops_the_export(ui, qtbot, clock, touch_device, machine, now_is_fixed,  # noqa: F811
                                                  month_sessions, ui_data_dir, caplog):  # fmt: skip
    (ui_data_dir / "survey-mapping.toml").write_text("[[category]]\nid = 'Bad Id'\n", encoding="utf-8")
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    ok, text = export_by_touch(qtbot, ui, clock, touch_device)
    assert not ok and text.startswith("Les réglages de l'enquête annuelle (config.toml, survey-mapping.toml)")
    assert files_under(machine.stick) == []
    assert "survey mapping unusable" in caplog.text


def test_the_categories_of_config_toml_go_on_the_stick(ui, qtbot, clock, touch_device, machine,  # noqa: F811
                                                       now_is_fixed, month_sessions, ui_data_dir):  # fmt: skip
    (ui_data_dir / "survey-mapping.toml").write_text("[[category]]\nid = 'x'\nlabel = 'X'\nall = true\n")
    (ui_data_dir / "config.toml").write_text(
        '[[survey.category]]\nid = "seniors"\nlabel = "Seniors"\npublics = ["Seniors"]\n\n'
        '[[survey.category]]\nid = "jeunes"\nlabel = "Jeunesse"\npublics = ["enfants"]\n',
        encoding="utf-8",
    )
    machine.plug()
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert export_by_touch(qtbot, ui, clock, touch_device) == [True, WRITTEN]
    sheets = read_ods((machine.export_dir() / "seances-2026-11.ods").read_bytes())
    assert sheets["sessions"][0][-2:] == ["survey_seniors", "survey_jeunes"]
    assert [row[-2:] for row in sheets["sessions"][1:]] == [[4, 0], [7, 0]]
    assert sheets["Enquête annuelle"][1:] == [["seniors", "Seniors", 2, 11], ["jeunes", "Jeunesse", 0, 0]]


# --------------------------------------------------------------------------- the gate


def test_nothing_while_locked_and_cleared_when_the_mode_locks(ui, qtbot, clock, touch_device, machine,  # noqa: F811
                                                              now_is_fixed, month_sessions):  # fmt: skip
    machine.plug()
    exporter = ui.exporter
    exporter.refresh()
    assert not exporter.property("loaded") and exporter.property("sticks") == []
    exporter.exportNow()
    assert files_under(machine.stick) == []
    assert not ui.window.navigate("mediateur-export", {})

    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "exportLastMonth", clock, touch_device)
    touch(qtbot, ui, "exportFormat_csv", clock, touch_device)
    assert export_by_touch(qtbot, ui, clock, touch_device)[0]
    ui.mediator.lock()
    assert not exporter.property("loaded")
    assert exporter.property("month") == "" and exporter.property("sticks") == []
    assert exporter.property("result") == "" and exporter.property("sessionsText") == ""
    qtbot.waitUntil(lambda: ui.window.property("currentScreen") == "accueil")
    # The next mediator starts afresh: this month, ODS.
    with qtbot.waitSignal(ui.mediator.entered, timeout=10000) as entered:
        ui.mediator.enter(PIN)
    assert entered.args == [True]
    open_screen(qtbot, ui, SCREEN)
    assert exporter.property("month") == "2026-11" and exporter.property("format") == "ods"


# --------------------------------------------------------------------------- helpers and looks


def test_problem_sentences(qapp):
    assert set(export_bridge.PROBLEMS) >= {"gone", "full", "read_only", "not_allowed", "failed"}
    assert export_bridge.problem_text("unheard-of").startswith("L'écriture sur la clé a échoué.")
    assert export_bridge.month_text(2027, 1) == "janvier 2027"


def test_readable_at_200_percent_in_every_theme(ui, qtbot, machine, now_is_fixed, month_sessions):
    machine.plug(protected=True)
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    ui.exporter.exportNow()
    qtbot.waitUntil(lambda: ui.exporter.property("result") != "", timeout=10000)
    for _theme, result in audits_at_200_percent(qtbot, ui):
        assert result.failures == [], result.failures
        assert not find_item(ui, "exportResult").property("truncated")
