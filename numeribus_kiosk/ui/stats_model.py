"""``StatsModel``: the on-board statistics of the mediation sessions, for the mediator screen.

A thin bridge over :mod:`numeribus_kiosk.journal.stats` (periods, counting rules and the
"tour" fallback are documented there).  It reads the sessions through
``MediatorBridge.journal()`` only, the gate that keeps journal data away from visitors: while
the mediator mode is locked, :meth:`refresh` shows nothing, and every figure is cleared the
moment the mode locks (``mediator.unlockedChanged``).

QML gets ready-made values: ``period`` ("today", "week", "month", "tour"; :meth:`setPeriod`),
``periodLabel`` ("Cette tournée"; "Les 28 derniers jours" when no tour is under way, explained
by ``periodNote``), ``periodDates`` ("du 2 au 27 novembre"), ``sessions``/``participants`` and
their texts ("3 séances", "17 participants"), and ``byPublic``/``byActivity``/``byPlace``: lists
of maps ``{label, sessions, participants, fraction, text, spoken}`` where ``fraction`` (0..1,
participants relative to the line with the most) is the bar's length and ``text`` the numbers
beside it ("12 participants · 3 séances").

Sessions are read on the UI thread: a bus logs a few sessions a day, so a year of them is a
few thousand rows (milliseconds).  The tour's dates come from catalogue.db on a read-only
connection of its own (:func:`numeribus_kiosk.journal.stats.read_tour_dates`).  The dates are
written in French: the mediator mode is for the bus's staff.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.journal import sessions as journal_sessions
from numeribus_kiosk.journal import stats as journal_stats

from .mediator_bridge import MediatorLocked

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

_CONTEXT = "StatsModel"
DEFAULT_PERIOD = "today"

PERIOD_LABELS = {
    "today": QT_TRANSLATE_NOOP("StatsModel", "Aujourd'hui"),
    "week": QT_TRANSLATE_NOOP("StatsModel", "Cette semaine"),
    "month": QT_TRANSLATE_NOOP("StatsModel", "Ce mois-ci"),
    "tour": QT_TRANSLATE_NOOP("StatsModel", "Cette tournée"),
}
_FALLBACK_LABEL = QT_TRANSLATE_NOOP("StatsModel", "Les 28 derniers jours")
_FALLBACK_NOTE = QT_TRANSLATE_NOOP(
    "StatsModel", "Aucune tournée en cours dans le calendrier du bus : voici les 28 derniers jours."
)
# French plural rule (0 and 1 take the singular), as the schedule models do for "1 place".
_ONE_SESSION = QT_TRANSLATE_NOOP("StatsModel", "%1 séance")
_SESSIONS = QT_TRANSLATE_NOOP("StatsModel", "%1 séances")
_ONE_PARTICIPANT = QT_TRANSLATE_NOOP("StatsModel", "%1 participant")
_PARTICIPANTS = QT_TRANSLATE_NOOP("StatsModel", "%1 participants")
_LINE = QT_TRANSLATE_NOOP("StatsModel", "%1 · %2")  # "12 participants · 3 séances"
_SPOKEN = QT_TRANSLATE_NOOP("StatsModel", "%1 : %2, %3")  # "seniors : 12 participants, 3 séances"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def sessions_text(count: int) -> str:
    """ "1 séance", "3 séances" (0 séance: the French rule)."""
    return _tr(_ONE_SESSION if count <= 1 else _SESSIONS).replace("%1", str(count))


def participants_text(count: int) -> str:
    """ "1 participant", "12 participants"."""
    return _tr(_ONE_PARTICIPANT if count <= 1 else _PARTICIPANTS).replace("%1", str(count))


def chart_rows(rows: tuple[journal_stats.Row, ...]) -> list[dict]:
    """The maps a BarChart shows: numbers as text, ``fraction`` of the longest bar (0..1)."""
    most = max((row.participants for row in rows), default=0)
    out = []
    for row in rows:
        people, count = participants_text(row.participants), sessions_text(row.sessions)
        out.append(
            {
                "label": row.label,
                "sessions": row.sessions,
                "participants": row.participants,
                "fraction": row.participants / most if most else 0.0,
                "text": _tr(_LINE).replace("%1", people).replace("%2", count),
                "spoken": _tr(_SPOKEN).replace("%1", row.label).replace("%2", people).replace("%3", count),
            }
        )
    return out


@QmlElement
@QmlUncreatable("StatsModel is created by the application and passed to Main.qml.")
class StatsModel(QObject):
    """The figures of the mediator's statistics screen (see the module docstring)."""

    periodChanged = Signal()
    figuresChanged = Signal()

    def __init__(self, mediator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._period = DEFAULT_PERIOD
        self._clear_state()
        mediator.unlockedChanged.connect(self._follow_lock)

    def _clear_state(self) -> None:
        self._loaded = False
        self._failed = False
        self._fallback = False
        self._dates = ""
        self._stats: journal_stats.Stats | None = None
        self._charts: dict[str, list[dict]] = {"public": [], "activity": [], "place": []}

    # ------------------------------------------------------------ slots
    @Slot(str)
    def setPeriod(self, period: str) -> None:
        """Show `period` ("today", "week", "month" or "tour") and read the figures again."""
        if period not in journal_stats.PERIODS:
            log.warning("unknown statistics period %r; keeping %r", period, self._period)
            return
        if period != self._period:
            self._period = period
            self.periodChanged.emit()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the sessions of the period again; nothing while the mediator mode is locked."""
        try:
            db = self._mediator.journal()
            today = self._mediator.today()
            period = journal_stats.period_dates(
                self._period, today, journal_stats.read_tour_dates(self._mediator.data_dir)
            )
            figures = journal_stats.compute_period(journal_sessions.list_sessions(db), period)
        except MediatorLocked:
            self.clear()
            return
        except Exception as exc:  # noqa: BLE001 - the environment's problem (disk, database): say so
            log.error("the statistics could not be read: %s", exc)
            self._clear_state()
            self._failed = True
            self.figuresChanged.emit()
            return
        self._loaded, self._failed = True, False
        self._fallback = period.fallback
        self._dates = journal_stats.french_dates(period.start, period.end, today)
        self._stats = figures
        self._charts = {
            "public": chart_rows(figures.by_public),
            "activity": chart_rows(figures.by_activity),
            "place": chart_rows(figures.by_place),
        }
        self.figuresChanged.emit()

    @Slot()
    def clear(self) -> None:
        """Forget every figure and go back to the default period (the mode locked)."""
        self._clear_state()
        if self._period != DEFAULT_PERIOD:
            self._period = DEFAULT_PERIOD
            self.periodChanged.emit()
        self.figuresChanged.emit()

    @Slot()
    def _follow_lock(self) -> None:
        if not self._mediator.property("unlocked"):
            self.clear()

    # ------------------------------------------------------------ properties
    def _period_label(self) -> str:
        if not self._loaded:
            return ""
        return _tr(_FALLBACK_LABEL) if self._fallback else _tr(PERIOD_LABELS[self._period])

    def _count(self, attribute: str) -> int:
        return getattr(self._stats, attribute) if self._stats is not None else 0

    period = Property(str, lambda self: self._period, notify=periodChanged)
    loaded = Property(bool, lambda self: self._loaded, notify=figuresChanged)
    failed = Property(bool, lambda self: self._failed, notify=figuresChanged)
    empty = Property(bool, lambda self: self._loaded and self._count("sessions") == 0, notify=figuresChanged)
    periodLabel = Property(str, _period_label, notify=figuresChanged)
    periodNote = Property(
        str, lambda self: _tr(_FALLBACK_NOTE) if self._loaded and self._fallback else "", notify=figuresChanged
    )
    periodDates = Property(str, lambda self: self._dates, notify=figuresChanged)
    sessions = Property(int, lambda self: self._count("sessions"), notify=figuresChanged)
    participants = Property(int, lambda self: self._count("participants"), notify=figuresChanged)
    sessionsText = Property(
        str, lambda self: sessions_text(self._count("sessions")) if self._loaded else "", notify=figuresChanged
    )
    participantsText = Property(
        str, lambda self: participants_text(self._count("participants")) if self._loaded else "", notify=figuresChanged
    )
    byPublic = Property(list, lambda self: self._charts["public"], notify=figuresChanged)
    byActivity = Property(list, lambda self: self._charts["activity"], notify=figuresChanged)
    byPlace = Property(list, lambda self: self._charts["place"], notify=figuresChanged)
