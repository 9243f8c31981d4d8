"""``ExportBridge``: the mediator's export of a month of sessions to a USB stick.

The screen "mediateur-export" chooses

- the **month** (`month`, "2026-11"; `monthText`, "novembre 2026"): this month by default,
  `setThisMonth`, `setLastMonth`, `stepMonth(-1 / +1)` (never past this month); `sessionsText`
  says how many sessions it holds ("12 séances en novembre 2026");
- the **format** (`format`: "ods", the default, or "csv"; `setFormat`);
- the **stick** (`sticks`: maps ``{index, label, path, readOnly, text}``; `chosenStick`, the index
  of the one chosen, -1 for none; `chooseStick(i)`; `rescan()`).  Sticks come from
  `journal.usb.removable_mounts` (read-only ones included, shown but never chosen); the first
  writable one is chosen, and a choice is kept across scans while that stick stays.
  `stickMessage` says when there is nothing to write to: "Aucune clé USB trouvée. ..." or the
  stick is read-only.

`exportNow()` reads the month's sessions through ``MediatorBridge.journal()`` (the gate: nothing
while the mode is locked), checks again that the chosen stick is still mounted (a stick pulled out
leaves an empty folder behind, and writing there would put the file on the kiosk's own disk), then
writes on a worker thread (a stick can take seconds to fsync; the screen keeps answering, `busy`
says so) with `journal.usb.export_to_folder`: the survey mapping of the data directory
(`journal.survey.load_mapping_for`: config.toml's [[survey.category]], else survey-mapping.toml,
else the default), atomic write (the previous file or the new one, never half
of it).  The answer comes back on the UI thread: `result` ("Fichier écrit :
numeribus/exports/seances-2026-11.ods\\nVous pouvez retirer la clé." or the problem in French),
`resultOk`, and the signal ``exported(ok, text)``.  A written file is recorded in the audit log:
action "export", detail "<format>:<month>" ("ods:2026-11").

Where sticks are looked for: the attributes `mounts_file`, `sys_class_block` and
`disk_by_label` (constructor parameters, defaulting to ``/proc/self/mounts``,
``/sys/class/block`` and ``/dev/disk/by-label``).  Tests give a fake tree by setting them on
``kiosk.exporter`` before the screen opens.  `bus_code` (constructor parameter; app.py gives
config.toml's ``[bus] code``, "" when there is none) goes into the file name (journal/usb.py).

Everything is forgotten when the mode locks.  The files hold sessions only, never a visitor's
personal data.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.catalogue.schedule import FRENCH_MONTHS
from numeribus_kiosk.journal import export as journal_export
from numeribus_kiosk.journal import sessions as journal_sessions
from numeribus_kiosk.journal import survey, usb

from .mediator_bridge import MediatorLocked
from .stats_model import sessions_text

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

MOUNTS_FILE = Path("/proc/self/mounts")
SYS_CLASS_BLOCK = Path("/sys/class/block")
DISK_BY_LABEL = Path("/dev/disk/by-label")
DEFAULT_FORMAT = "ods"
POLL_MS = 20  # how often the UI thread looks whether the file is written

_CONTEXT = "ExportBridge"
_SESSIONS_IN = QT_TRANSLATE_NOOP("ExportBridge", "%1 en %2")  # "12 séances en novembre 2026"
_NO_SESSION = QT_TRANSLATE_NOOP("ExportBridge", "Aucune séance en %1 : le fichier n'aura que la ligne des titres.")
_READ_ONLY = QT_TRANSLATE_NOOP("ExportBridge", "%1 (lecture seule)")
_NO_STICK = QT_TRANSLATE_NOOP(
    "ExportBridge", "Aucune clé USB trouvée. Branchez une clé puis touchez Rechercher à nouveau."
)
_ONLY_READ_ONLY = QT_TRANSLATE_NOOP(
    "ExportBridge",
    "La clé est en lecture seule. Poussez son petit verrou, rebranchez-la, puis touchez Rechercher à nouveau.",
)
_WRITTEN = QT_TRANSLATE_NOOP("ExportBridge", "Fichier écrit : %1\nVous pouvez retirer la clé.")
_NOT_WRITTEN = QT_TRANSLATE_NOOP("ExportBridge", "Rien n'a été écrit.")
# Why a file could not be written (journal.export.ExportError.reason, and our own checks).
PROBLEMS = {
    "gone": QT_TRANSLATE_NOOP(
        "ExportBridge", "La clé n'est plus là (retirée ?). Rebranchez-la puis touchez Rechercher à nouveau."
    ),
    "full": QT_TRANSLATE_NOOP("ExportBridge", "La clé est pleine. Libérez de la place ou prenez une autre clé."),
    "read_only": QT_TRANSLATE_NOOP(
        "ExportBridge", "La clé est en lecture seule. Poussez son petit verrou ou prenez une autre clé."
    ),
    "not_allowed": QT_TRANSLATE_NOOP(
        "ExportBridge", "Le kiosque n'a pas le droit d'écrire sur cette clé. Prenez une autre clé."
    ),
    "failed": QT_TRANSLATE_NOOP("ExportBridge", "L'écriture sur la clé a échoué. Réessayez, ou prenez une autre clé."),
    "no_stick": QT_TRANSLATE_NOOP("ExportBridge", "Choisissez d'abord une clé USB."),
    "mapping": QT_TRANSLATE_NOOP(
        "ExportBridge",
        "Les réglages de l'enquête annuelle (config.toml, survey-mapping.toml) sont faux. Prévenez la médiathèque.",
    ),
    "journal": QT_TRANSLATE_NOOP(
        "ExportBridge",
        "Le journal du bus n'a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.",
    ),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def month_text(year: int, month: int) -> str:
    """ "novembre 2026" (the mediator mode is in French)."""
    return f"{FRENCH_MONTHS[month - 1]} {year}"


def problem_text(reason: str) -> str:
    """The French sentence for a failed export: why, then "Rien n'a été écrit."."""
    why = _tr(PROBLEMS.get(reason, PROBLEMS["failed"]))
    return f"{why} {_tr(_NOT_WRITTEN)}"


def _shift(month: tuple[int, int], delta: int) -> tuple[int, int]:
    index = month[0] * 12 + (month[1] - 1) + delta
    return index // 12, index % 12 + 1


@dataclass(frozen=True, slots=True)
class _Job:
    folder: Path
    sessions: tuple
    month_label: str
    fmt: str
    bus_code: str
    data_dir: Path


def _run(job: _Job) -> tuple[bool, str]:
    """On the worker thread: (True, path written relative to the stick) or (False, reason)."""
    try:
        mapping = survey.load_mapping_for(job.data_dir)
    except survey.SurveyMappingError as exc:
        log.error("export refused, survey mapping unusable: %s", exc)
        return False, "mapping"
    try:
        path = usb.export_to_folder(
            job.folder,
            job.sessions,
            month_label=job.month_label,
            fmt=job.fmt,
            mapping=mapping,
            bus_code=job.bus_code,
        )
    except journal_export.ExportError as exc:
        log.error("export to a USB stick failed (%s): %s", exc.reason, exc)
        return False, exc.reason
    except Exception:  # noqa: BLE001 - a bug: logged with its traceback, the screen says it failed
        log.exception("export to a USB stick failed")
        return False, "failed"
    return True, path.relative_to(job.folder).as_posix()


@QmlElement
@QmlUncreatable("ExportBridge is created by the application and passed to Main.qml.")
class ExportBridge(QObject):
    """The export screen's choices and its write to a USB stick (see the module docstring)."""

    periodChanged = Signal()
    formatChanged = Signal()
    sticksChanged = Signal()
    busyChanged = Signal()
    resultChanged = Signal()
    exported = Signal(bool, str)

    def __init__(
        self,
        mediator,
        *,
        mounts_file: str | Path = MOUNTS_FILE,
        sys_class_block: str | Path = SYS_CLASS_BLOCK,
        disk_by_label: str | Path = DISK_BY_LABEL,
        bus_code: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self.mounts_file = Path(mounts_file)
        self.sys_class_block = Path(sys_class_block)
        self.disk_by_label = Path(disk_by_label)
        self.bus_code = bus_code
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="usb-export")
        self._busy = False
        self._clear_state()
        # The worker thread runs plain Python only (no Qt call, no signal emitted from it): the UI
        # thread polls its future while a file is being written.
        self._job: tuple[Future, _Job] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_job)
        mediator.unlockedChanged.connect(self._follow_lock)

    def _clear_state(self) -> None:
        self._loaded = False
        self._month: tuple[int, int] | None = None
        self._count = 0
        self._counted = False
        self._format = DEFAULT_FORMAT
        self._sticks: list[usb.UsbTarget] = []
        self._chosen: Path | None = None
        self._scanned = False
        self._result = ""
        self._result_ok = False

    # ------------------------------------------------------------ helpers
    def _this_month(self) -> tuple[int, int]:
        today: date = self._mediator.today()
        return today.year, today.month

    def _month_label(self) -> str:
        if self._month is None:
            return ""
        return f"{self._month[0]:04d}-{self._month[1]:02d}"

    def _period_sessions(self) -> list:
        """The sessions of the chosen month (deleted ones left out), through the gate."""
        db = self._mediator.journal()
        start, end = journal_export.parse_month(self._month_label())
        return journal_export.sessions_in_period(journal_sessions.list_sessions(db), start, end)

    def _count_sessions(self) -> None:
        try:
            self._count, self._counted = len(self._period_sessions()), True
        except MediatorLocked:
            raise
        except Exception as exc:  # noqa: BLE001 - said on the screen when exporting
            log.error("the sessions could not be counted: %s", type(exc).__name__)
            self._count, self._counted = 0, False

    def _set_result(self, text: str, ok: bool) -> None:
        self._result, self._result_ok = text, ok
        self.resultChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    def _writable(self) -> list[usb.UsbTarget]:
        return [stick for stick in self._sticks if not stick.read_only]

    def _scan(self) -> None:
        self._sticks = usb.removable_mounts(
            self.mounts_file, self.sys_class_block, include_read_only=True, disk_by_label=self.disk_by_label
        )
        self._scanned = True
        writable = [stick.path for stick in self._writable()]
        if self._chosen not in writable:
            self._chosen = writable[0] if writable else None
        self.sticksChanged.emit()

    def _set_month(self, month: tuple[int, int]) -> None:
        month = min(month, self._this_month())
        try:
            self._month = month
            self._count_sessions()
        except MediatorLocked:
            self.clear()
            return
        self._set_result("", False)
        self.periodChanged.emit()

    # ------------------------------------------------------------ slots
    @Slot()
    def refresh(self) -> None:
        """The screen opens: this month (unless one was chosen), sticks looked for; nothing while locked."""
        if not self._mediator.property("unlocked"):
            self.clear()
            return
        self._loaded = True
        self._set_month(self._month or self._this_month())
        if self._loaded:
            self._scan()

    @Slot()
    def setThisMonth(self) -> None:  # noqa: N802 (Qt API)
        if self._loaded:
            self._set_month(self._this_month())

    @Slot()
    def setLastMonth(self) -> None:  # noqa: N802 (Qt API)
        if self._loaded:
            self._set_month(_shift(self._this_month(), -1))

    @Slot(int)
    def stepMonth(self, delta: int) -> None:  # noqa: N802 (Qt API)
        """The month before (-1) or after (+1) the one shown; never past this month."""
        if self._loaded and self._month is not None:
            self._set_month(_shift(self._month, int(delta)))

    @Slot(str)
    def setFormat(self, fmt: str) -> None:  # noqa: N802 (Qt API)
        if fmt not in journal_export.FORMATS:
            log.warning("unknown export format %r; keeping %r", fmt, self._format)
            return
        if fmt != self._format:
            self._format = fmt
            self._set_result("", False)
            self.formatChanged.emit()

    @Slot()
    def rescan(self) -> None:
        """Look for the USB sticks again ("Rechercher à nouveau")."""
        if self._loaded:
            self._set_result("", False)
            self._scan()

    @Slot(int)
    def chooseStick(self, index: int) -> None:  # noqa: N802 (Qt API)
        if 0 <= index < len(self._sticks) and not self._sticks[index].read_only:
            self._chosen = self._sticks[index].path
            self._set_result("", False)
            self.sticksChanged.emit()

    @Slot()
    def exportNow(self) -> None:  # noqa: N802 (Qt API)
        """Write the chosen month in the chosen format to the chosen stick (worker thread)."""
        if self._busy or not self._loaded:
            return
        chosen = self._chosen
        if chosen is None:
            self._fail("no_stick")
            return
        self._scan()  # is it still there?
        if chosen not in [stick.path for stick in self._writable()]:
            self._fail("gone")
            return
        try:
            found = tuple(self._period_sessions())
        except MediatorLocked:
            self.clear()
            return
        except Exception as exc:  # noqa: BLE001 - the disk, the database: say so, keep running
            log.error("the sessions could not be read for the export: %s", type(exc).__name__)
            self._fail("journal")
            return
        job = _Job(chosen, found, self._month_label(), self._format, self.bus_code, Path(self._mediator.data_dir))
        self._set_result("", False)
        self._set_busy(True)
        self._job = (self._executor.submit(_run, job), job)
        self._poll.start()

    @Slot()
    def _check_job(self) -> None:
        """On the UI thread: the write finished?  Then say how it went."""
        if self._job is None or not self._job[0].done():
            return
        future, job = self._job
        self._job = None
        self._poll.stop()
        ok, value = future.result()  # _run never raises
        self._set_busy(False)
        if ok:
            self._mediator.audit("export", detail=f"{job.fmt}:{job.month_label}")
        if not self._loaded:  # the mode locked meanwhile: nothing of it stays on screen
            return
        text = _tr(_WRITTEN).replace("%1", value) if ok else problem_text(value)
        self._set_result(text, ok)
        self.exported.emit(ok, text)

    def _fail(self, reason: str) -> None:
        text = problem_text(reason)
        self._set_result(text, False)
        self.exported.emit(False, text)

    @Slot()
    def clear(self) -> None:
        """Forget the choices, the sticks and the last result (the mode locked)."""
        self._clear_state()
        self.periodChanged.emit()
        self.formatChanged.emit()
        self.sticksChanged.emit()
        self.resultChanged.emit()

    @Slot()
    def _follow_lock(self) -> None:
        if not self._mediator.property("unlocked"):
            self.clear()

    def close(self) -> None:
        """Wait for an export being written, then stop the worker thread."""
        self._poll.stop()
        self._executor.shutdown(wait=True)

    # ------------------------------------------------------------ properties
    def _month_text(self) -> str:
        return month_text(*self._month) if self._month is not None else ""

    def _sessions_text(self) -> str:
        if self._month is None or not self._counted:
            return ""
        if self._count == 0:
            return _tr(_NO_SESSION).replace("%1", self._month_text())
        return _tr(_SESSIONS_IN).replace("%1", sessions_text(self._count)).replace("%2", self._month_text())

    def _sticks_list(self) -> list[dict]:
        return [
            {
                "index": i,
                "label": stick.label,
                "path": str(stick.path),
                "readOnly": stick.read_only,
                "text": _tr(_READ_ONLY).replace("%1", stick.label) if stick.read_only else stick.label,
            }
            for i, stick in enumerate(self._sticks)
        ]

    def _chosen_index(self) -> int:
        for i, stick in enumerate(self._sticks):
            if stick.path == self._chosen:
                return i
        return -1

    def _stick_message(self) -> str:
        if not self._scanned:
            return ""
        if not self._sticks:
            return _tr(_NO_STICK)
        if not self._writable():
            return _tr(_ONLY_READ_ONLY)
        return ""

    def _is_month(self, delta: int) -> bool:
        return self._month is not None and self._month == _shift(self._this_month(), delta)

    loaded = Property(bool, lambda self: self._loaded, notify=periodChanged)
    month = Property(str, _month_label, notify=periodChanged)
    monthText = Property(str, _month_text, notify=periodChanged)
    isThisMonth = Property(bool, lambda self: self._is_month(0), notify=periodChanged)
    isLastMonth = Property(bool, lambda self: self._is_month(-1), notify=periodChanged)
    canGoNext = Property(
        bool, lambda self: self._month is not None and self._month < self._this_month(), notify=periodChanged
    )
    sessionCount = Property(int, lambda self: self._count, notify=periodChanged)
    sessionsText = Property(str, _sessions_text, notify=periodChanged)
    format = Property(str, lambda self: self._format, notify=formatChanged)
    sticks = Property(list, _sticks_list, notify=sticksChanged)
    chosenStick = Property(int, _chosen_index, notify=sticksChanged)
    stickMessage = Property(str, _stick_message, notify=sticksChanged)
    canExport = Property(bool, lambda self: self._loaded and self._chosen is not None, notify=sticksChanged)
    busy = Property(bool, lambda self: self._busy, notify=busyChanged)
    result = Property(str, lambda self: self._result, notify=resultChanged)
    resultOk = Property(bool, lambda self: self._result_ok, notify=resultChanged)
