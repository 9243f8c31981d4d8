"""``PassagesModel`` and ``AteliersModel``: the bus schedule and the workshop agenda, for QML.

Both are list models (``QAbstractListModel`` with named roles) over what headquarters
published in ``catalogue.db`` (:mod:`numeribus_kiosk.catalogue.schedule`).  They hold the
logic of the "Prochains passages" and "Ateliers" screens, so that QML only lays out:

- dates and hours are ready to show in full French ("mardi 1er décembre", "de 9 h 30 à 12 h";
  the year only when it is not this year's), with "Aujourd'hui"/"Demain" as a separate hint,
  and a spoken form for the voice ("mardi premier décembre, de 9 heures 30 à 12 heures...");
- passages are grouped by commune (communes in alphabetical order, accents ignored, then by
  date); ``firstOfGroup`` marks the first row of each commune, ``communes`` lists them for
  the filter chips and ``setCommune(name)`` shows one commune ("" = all);
- workshops are in date order; ``kinds`` lists the workshop kinds with their French label and
  a shape marker (drawn with the label, never colour alone) and ``setKind(kind)`` filters
  ("" = all).

"Today" is a callable (tests pass a fixed day).  Each :meth:`reload` opens its own short
read-only connection to ``catalogue.db`` (a few dozen rows: well under a frame), so a catalogue replaced by
a sync or an import is seen at the next reload; screens call it when they open.  A catalogue
that cannot be read is logged and shows an empty list: the kiosk keeps running.

Labels go through ``QCoreApplication.translate`` (French is the source language);
``set_language`` switches the date format between French and English.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import FRENCH_MONTHS, FRENCH_WEEKDAYS
from numeribus_kiosk.catalogue.text import fold

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


_CONTEXT = "ScheduleModels"

# The kinds offered as filter chips and as wishes ("Quels ateliers aimeriez-vous ?"), in this
# order; "autre" workshops are listed under "Tous les ateliers" only.
FILTER_KINDS = ("tablette", "cafe_tablette", "fablab_3d", "demarches", "lecture_numerique", "jeux_video")

KIND_LABELS = {
    "tablette": QT_TRANSLATE_NOOP("ScheduleModels", "Ateliers tablettes"),
    "cafe_tablette": QT_TRANSLATE_NOOP("ScheduleModels", "Cafés tablettes"),
    "fablab_3d": QT_TRANSLATE_NOOP("ScheduleModels", "Mini fablab, impression 3D"),
    "demarches": QT_TRANSLATE_NOOP("ScheduleModels", "Démarches en ligne"),
    "lecture_numerique": QT_TRANSLATE_NOOP("ScheduleModels", "Lecture numérique"),
    "jeux_video": QT_TRANSLATE_NOOP("ScheduleModels", "Jeux vidéo"),
    "autre": QT_TRANSLATE_NOOP("ScheduleModels", "Autre atelier"),
}

# One shape per kind (KindMarker.qml draws it next to the label, in the theme's colours).
KIND_MARKERS = {
    "tablette": "square",
    "cafe_tablette": "circle",
    "fablab_3d": "triangle",
    "demarches": "diamond",
    "lecture_numerique": "hexagon",
    "jeux_video": "star",
    "autre": "ring",
}

# Other words of the rows, marked for lupdate and translated when used.
_TODAY = QT_TRANSLATE_NOOP("ScheduleModels", "Aujourd'hui")
_TOMORROW = QT_TRANSLATE_NOOP("ScheduleModels", "Demain")
_ALL_PUBLICS = QT_TRANSLATE_NOOP("ScheduleModels", "Tout public")
_REGISTRATION = QT_TRANSLATE_NOOP("ScheduleModels", "Sur inscription")
_FREE_ENTRY = QT_TRANSLATE_NOOP("ScheduleModels", "Entrée libre")
_ONE_SEAT = QT_TRANSLATE_NOOP("ScheduleModels", "1 place")
_SEATS = QT_TRANSLATE_NOOP("ScheduleModels", "%1 places")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


# --------------------------------------------------------------------------- formatting


def day_text(day: date, today: date, language: str = "fr") -> str:
    """The day in full: "mardi 1er décembre"; "mardi 5 janvier 2027" when not in today's year."""
    if language != "fr":
        fmt = "dddd d MMMM" if day.year == today.year else "dddd d MMMM yyyy"
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom).toString(day, fmt)
    return schedule.french_day(day, year=day.year != today.year)


def _clock(t: time, language: str) -> str:
    return f"{t:%H:%M}" if language != "fr" else schedule.french_clock(t)


def hours_text(start: time, end: time, language: str = "fr") -> str:
    """Opening hours: "de 9 h 30 à 12 h" ("from 09:30 to 12:00" in English)."""
    if language != "fr":
        return f"from {_clock(start, language)} to {_clock(end, language)}"
    return f"de {_clock(start, language)} à {_clock(end, language)}"


def spoken_day(day: date, today: date) -> str:
    """The day for a French voice: "mardi premier décembre" (espeak-ng reads "1er" badly)."""
    number = "premier" if day.day == 1 else str(day.day)
    text = f"{FRENCH_WEEKDAYS[day.weekday()]} {number} {FRENCH_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def spoken_hours(start: time, end: time) -> str:
    """Hours for a French voice: "de 9 heures 30 à 12 heures"."""

    def one(t: time) -> str:
        hours = "1 heure" if t.hour == 1 else f"{t.hour} heures"
        return f"{hours} {t.minute}" if t.minute else hours

    return f"de {one(start)} à {one(end)}"


def day_hint(day: date, today: date) -> str:
    """ "Aujourd'hui", "Demain" or ""."""
    if day == today:
        return _tr(_TODAY)
    if day == today + timedelta(days=1):
        return _tr(_TOMORROW)
    return ""


def _spoken(*parts: str) -> str:
    return ", ".join(p.strip().rstrip(".") for p in parts if p and p.strip()) + "."


def kind_label(kind: str) -> str:
    """The French label of a workshop kind (translated when English is on)."""
    return _tr(KIND_LABELS.get(kind, KIND_LABELS["autre"]))


def seats_text(seats: int | None) -> str:
    if seats is None:
        return ""
    if seats == 1:
        return _tr(_ONE_SEAT)
    return _tr(_SEATS).replace("%1", str(seats))


# --------------------------------------------------------------------------- shared model plumbing


class _RowsMixin:
    """rowCount/data/roleNames over a list of dicts keyed by role name (no Qt metaobject here,
    so that each model's properties stay on its own class for the QML tooling)."""

    ROLES: Sequence[str] = ()
    _rows: list[dict]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        base = int(Qt.ItemDataRole.UserRole) + 1
        names = {base + i: QByteArray(name.encode()) for i, name in enumerate(self.ROLES)}
        names[int(Qt.ItemDataRole.DisplayRole)] = QByteArray(b"display")
        return names

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row["spokenText"]
        i = role - int(Qt.ItemDataRole.UserRole) - 1
        if 0 <= i < len(self.ROLES):
            return row[self.ROLES[i]]
        return None

    def _rebuild(self) -> None:
        before = len(self._rows)
        self.beginResetModel()
        self._rows = self._build()
        self.endResetModel()
        if len(self._rows) != before:
            self.countChanged.emit()

    def _read(self, query: Callable, what: str) -> list:
        """``query(db, today)`` on a read-only connection; nothing (and a log line) when it fails."""
        self._loaded_for = self._today()
        try:
            db = self._open_db()
            try:
                return query(db, self._loaded_for)
            finally:
                db.close()
        except Exception as exc:  # noqa: BLE001 - the environment's problem: show nothing, keep running
            log.error("%s could not be read: %s", what, exc)
            return []

    def _open_db(self):
        # A read-only connection of its own: it never writes (no migration, no probe file),
        # so it cannot race the writers of the data directory.  The kiosk migrated the file
        # when it opened the catalogue at start-up.
        import sqlite3

        from sqlite_utils import Database

        from numeribus_kiosk.store import catalogue_path

        uri = catalogue_path(self._data_dir).resolve().as_uri() + "?mode=ro"
        return Database(sqlite3.connect(uri, uri=True))


# --------------------------------------------------------------------------- passages


@QmlElement
@QmlUncreatable("PassagesModel is created by the application and passed to Main.qml.")
class PassagesModel(_RowsMixin, QAbstractListModel):
    """Upcoming stops of the bus, grouped by commune (see module docstring)."""

    ROLES = (
        "itemId",
        "isoDate",
        "dateText",
        "dayHint",
        "hoursText",
        "commune",
        "place",
        "address",
        "notes",
        "audience",
        "spokenText",
        "firstOfGroup",
    )

    countChanged = Signal()
    communesChanged = Signal()
    communeChanged = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        today: Callable[[], date] = date.today,
        language: str = "fr",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._today = today
        self._language = language
        self._passages: list[schedule.Passage] = []
        self._loaded_for = today()
        self._commune = ""
        self._rows: list[dict] = []
        self.reload()

    # ------------------------------------------------------------ building rows
    def _build(self) -> list[dict]:
        today = self._loaded_for
        chosen = [p for p in self._passages if not self._commune or p.commune == self._commune]
        chosen.sort(key=lambda p: (fold(p.commune), p.date, p.start, p.id))
        rows = []
        previous = None
        for p in chosen:
            public = "" if p.public == schedule.DEFAULT_PUBLIC else p.public
            hint = day_hint(p.date, today)
            rows.append(
                {
                    "itemId": p.id,
                    "isoDate": p.date.isoformat(),
                    "dateText": day_text(p.date, today, self._language),
                    "dayHint": hint,
                    "hoursText": hours_text(p.start, p.end, self._language),
                    "commune": p.commune,
                    "place": p.place,
                    "address": p.address,
                    "notes": p.notes,
                    "audience": public or _tr(_ALL_PUBLICS),
                    "spokenText": _spoken(
                        p.commune,
                        hint,
                        spoken_day(p.date, today),
                        spoken_hours(p.start, p.end),
                        p.place,
                        public,
                        p.notes,
                    ),
                    "firstOfGroup": p.commune != previous,
                }
            )
            previous = p.commune
        return rows

    # ------------------------------------------------------------ Python API
    def set_language(self, language: str) -> None:
        """Show dates and labels in ``language`` ("fr" or "en")."""
        self._language = language
        self._rebuild()

    # ------------------------------------------------------------ QML API
    @Slot()
    def reload(self) -> None:
        """Read the schedule again from catalogue.db (after a sync; when a screen opens)."""
        self._passages = self._read(schedule.upcoming_passages, "the bus schedule")
        if self._commune and self._commune not in self._commune_names():
            self._commune = ""
            self.communeChanged.emit()
        self._rebuild()
        self.communesChanged.emit()

    @Slot(str)
    def setCommune(self, commune: str) -> None:
        """Show only ``commune``'s passages ("" shows every commune)."""
        if commune and commune not in self._commune_names():
            log.warning("no upcoming passage in %r; showing every commune", commune)
            commune = ""
        if commune == self._commune:
            return
        self._commune = commune
        self.communeChanged.emit()
        self._rebuild()

    @Slot()
    def clearFilter(self) -> None:
        """Back to every commune (a new visitor)."""
        self.setCommune("")

    def _commune_names(self) -> list[str]:
        names = {p.commune for p in self._passages}
        return sorted(names, key=fold)

    count = Property(int, lambda self: len(self._rows), notify=countChanged)
    communes = Property(list, _commune_names, notify=communesChanged)
    commune = Property(str, lambda self: self._commune, notify=communeChanged)


# --------------------------------------------------------------------------- workshops


@QmlElement
@QmlUncreatable("AteliersModel is created by the application and passed to Main.qml.")
class AteliersModel(_RowsMixin, QAbstractListModel):
    """Upcoming workshops in date order, filtered by kind (see module docstring)."""

    ROLES = (
        "itemId",
        "isoDate",
        "dateText",
        "dayHint",
        "hoursText",
        "commune",
        "place",
        "kind",
        "kindLabel",
        "kindMarker",
        "title",
        "description",
        "audience",
        "seats",
        "seatsText",
        "registration",
        "registrationText",
        "spokenText",
    )

    countChanged = Signal()
    kindChanged = Signal()
    kindsChanged = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        today: Callable[[], date] = date.today,
        language: str = "fr",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._today = today
        self._language = language
        self._workshops: list[schedule.Workshop] = []
        self._loaded_for = today()
        self._kind = ""
        self._rows: list[dict] = []
        self.reload()

    def _build(self) -> list[dict]:
        today = self._loaded_for
        rows = []
        for w in self._workshops:
            if self._kind and w.kind != self._kind:
                continue
            hint = day_hint(w.date, today)
            seats = seats_text(w.seats)
            registration = _tr(_REGISTRATION) if w.registration else _tr(_FREE_ENTRY)
            where = ", ".join(x for x in (w.commune, w.place) if x)
            rows.append(
                {
                    "itemId": w.id,
                    "isoDate": w.date.isoformat(),
                    "dateText": day_text(w.date, today, self._language),
                    "dayHint": hint,
                    "hoursText": hours_text(w.start, w.end, self._language),
                    "commune": w.commune,
                    "place": w.place,
                    "kind": w.kind,
                    "kindLabel": kind_label(w.kind),
                    "kindMarker": KIND_MARKERS.get(w.kind, "ring"),
                    "title": w.title,
                    "description": w.description,
                    "audience": w.audience,
                    "seats": -1 if w.seats is None else w.seats,
                    "seatsText": seats,
                    "registration": w.registration,
                    "registrationText": registration,
                    "spokenText": _spoken(
                        w.title,
                        kind_label(w.kind),
                        hint,
                        spoken_day(w.date, today),
                        spoken_hours(w.start, w.end),
                        where,
                        w.audience,
                        seats,
                        registration,
                    ),
                }
            )
        return rows

    def set_language(self, language: str) -> None:
        """Show dates and labels in ``language`` ("fr" or "en")."""
        self._language = language
        self._rebuild()
        self.kindsChanged.emit()

    @Slot()
    def reload(self) -> None:
        """Read the agenda again from catalogue.db (after a sync; when a screen opens)."""
        self._workshops = self._read(schedule.upcoming_workshops, "the workshop agenda")
        self._rebuild()

    @Slot(str)
    def setKind(self, kind: str) -> None:
        """Show only workshops of ``kind`` (one of WORKSHOP_KINDS; "" shows all)."""
        if kind and kind not in schedule.WORKSHOP_KINDS:
            log.warning("unknown workshop kind %r; showing every workshop", kind)
            kind = ""
        if kind == self._kind:
            return
        self._kind = kind
        self.kindChanged.emit()
        self._rebuild()

    @Slot()
    def clearFilter(self) -> None:
        """Back to every workshop (a new visitor)."""
        self.setKind("")

    def _kinds(self) -> list[dict]:
        return [{"kind": k, "label": kind_label(k), "marker": KIND_MARKERS[k]} for k in FILTER_KINDS]

    count = Property(int, lambda self: len(self._rows), notify=countChanged)
    kind = Property(str, lambda self: self._kind, notify=kindChanged)
    # [{kind, label, marker}] of the filter chips and of the wishes in "Donner mon avis".
    kinds = Property(list, _kinds, notify=kindsChanged)
