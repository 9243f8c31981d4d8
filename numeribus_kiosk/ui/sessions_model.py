"""``SessionsModel``: the sessions recorded on the bus, for "Séances notées" (SessionsScreen).

A list model (named roles) of the sessions in journal.db, newest first (tombstones left out),
`PAGE` at a time (``showMore``), each with its French texts — ``dateText`` ("Hier, mercredi 25
novembre à 15 h"), ``durationText``, ``placeText``, ``activity``, ``publicsText``,
``participantsText``, ``mediatorName`` — and whether headquarters holds its latest change:
``sent`` is True when the session's last outbox event is acknowledged (`sent_sessions`), and
``sentText`` says it in words ("✔ Envoyée au siège" / "◷ En attente d'envoi").  An edit or a
deletion after a sync is a new event: the session waits again until the next sync.

``remove(id)`` deletes a session: one call to ``journal.sessions.delete_session`` (a tombstone
and its "session.deleted" event in one transaction, never an erase), then
``mediator.audit("session.deleted", target=id)``.  Edits go through SessionForm; its ``saved``
signal reloads the list and sets ``message`` ("✔ Séance modifiée").

It reads only through ``MediatorBridge.journal()`` (UI thread: a year of sessions is a few
thousand rows) and forgets every row when the mode locks.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.journal import sessions as journal_sessions
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.mediator import defaults

from .mediator_bridge import MediatorLocked
from .session_form import date_text
from .stats_model import participants_text

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

# The translation context.  QT_TRANSLATE_NOOP below repeats it literally: lupdate reads literals only.
_CONTEXT = "SessionsModel"
PAGE = 30

_SENT = QT_TRANSLATE_NOOP("SessionsModel", "✔ Envoyée au siège")
_PENDING = QT_TRANSLATE_NOOP("SessionsModel", "◷ En attente d'envoi")
_SAVED = QT_TRANSLATE_NOOP("SessionsModel", "✔ Séance enregistrée")
_UPDATED = QT_TRANSLATE_NOOP("SessionsModel", "✔ Séance modifiée")
_DELETED = QT_TRANSLATE_NOOP("SessionsModel", "✔ Séance supprimée")
_GONE = QT_TRANSLATE_NOOP("SessionsModel", "⚠ Cette séance n'existe plus.")
_DELETE_FAILED = QT_TRANSLATE_NOOP(
    "SessionsModel",
    "⚠ La séance n'a pas pu être supprimée. Réessayez ; si cela recommence, prévenez la médiathèque.",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def sent_sessions(db) -> set[str]:
    """Ids of the sessions whose latest outbox event headquarters has acknowledged."""
    rows = db.execute(
        "SELECT o.entity_id FROM outbox o JOIN ("
        "  SELECT entity_id, max(seq) AS seq FROM outbox"
        "  WHERE kind IN ('session.created', 'session.updated', 'session.deleted') GROUP BY entity_id"
        ") latest ON o.seq = latest.seq WHERE o.acknowledged = 1"
    ).fetchall()
    return {row[0] for row in rows}


@QmlElement
@QmlUncreatable("SessionsModel is created by the application and passed to Main.qml.")
class SessionsModel(QAbstractListModel):
    """The sessions recorded on the bus, newest first (see the module docstring)."""

    ROLES = (
        "sessionId",
        "dateText",
        "durationText",
        "placeText",
        "activity",
        "publicsText",
        "participantsText",
        "mediatorName",
        "sent",
        "sentText",
        "spokenText",
    )

    countChanged = Signal()
    stateChanged = Signal()

    def __init__(self, mediator, form=None, parent: QObject | None = None) -> None:
        """`mediator`: the MediatorBridge (the gate); `form`: the SessionForm whose saves reload the list."""
        super().__init__(parent)
        self._mediator = mediator
        self._rows: list[dict] = []
        self._total = 0
        self._limit = PAGE
        self._loaded = False
        self._failed = False
        self._message = ""
        mediator.unlockedChanged.connect(self._follow_lock)
        if form is not None:
            form.saved.connect(self._on_saved)

    # ------------------------------------------------------------ QAbstractListModel
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
        return row[self.ROLES[i]] if 0 <= i < len(self.ROLES) else None

    # ------------------------------------------------------------ reading
    def _row(self, session: journal_sessions.Session, sent: bool, today: date) -> dict:
        moment = datetime.fromisoformat(session.started_at)
        row = {
            "sessionId": session.id,
            "dateText": date_text(moment, today),
            "durationText": defaults.duration_text(session.duration_min),
            "placeText": session.place,
            "activity": session.activity,
            "publicsText": ", ".join(session.publics),
            "participantsText": participants_text(session.participants),
            "mediatorName": session.mediator,
            "sent": sent,
            "sentText": _tr(_SENT if sent else _PENDING),
        }
        row["spokenText"] = ", ".join(
            row[key]
            for key in ("dateText", "placeText", "activity", "publicsText", "participantsText", "sentText")
            if row[key]
        )
        return row

    def _set_rows(self, rows: list[dict]) -> None:
        before = len(self._rows)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        if len(rows) != before:
            self.countChanged.emit()

    @Slot()
    def reload(self) -> None:
        """Read the sessions again (when the screen shows); nothing while the mode is locked."""
        try:
            db = self._mediator.journal()
            found = journal_sessions.list_sessions(db)
            sent = sent_sessions(db)
        except MediatorLocked:
            self.clear()
            return
        except (sqlite3.Error, OSError) as exc:
            log.error("the sessions could not be read: %s", type(exc).__name__)
            self._loaded, self._failed = False, True
            self._set_rows([])
            self.stateChanged.emit()
            return
        today = self._mediator.today()
        newest = list(reversed(found))  # list_sessions is oldest first, recording order on ties
        self._total = len(newest)
        self._loaded, self._failed = True, False
        self._set_rows([self._row(s, s.id in sent, today) for s in newest[: self._limit]])
        self.stateChanged.emit()

    @Slot()
    def showMore(self) -> None:  # noqa: N802 (Qt API)
        self._limit += PAGE
        self.reload()

    @Slot(str, result=bool)
    def remove(self, session_id: str) -> bool:
        """Delete a session: a tombstone with its "session.deleted" event (kept, sent later)."""
        try:
            db = self._mediator.journal()
            before = journal_sessions.get_session(db, session_id)
            session = journal_sessions.delete_session(db, session_id, now=self._mediator.now())
        except MediatorLocked:
            self.clear()
            return False
        except JournalError:
            self._message = _tr(_GONE)
            self.reload()
            return False
        except (sqlite3.Error, OSError) as exc:
            log.error("session %s not deleted: %s", session_id, type(exc).__name__)
            self._message = _tr(_DELETE_FAILED)
            self.stateChanged.emit()
            return False
        if before is not None and not before.deleted:
            self._mediator.audit("session.deleted", target=session.id)
        self._message = _tr(_DELETED)
        self.reload()
        return True

    @Slot()
    def clearMessage(self) -> None:  # noqa: N802 (Qt API)
        if self._message:
            self._message = ""
            self.stateChanged.emit()

    # Slots, not plain methods: see SessionForm._follow_lock.
    @Slot(str, bool)
    def _on_saved(self, session_id: str, edited: bool) -> None:
        self._message = _tr(_UPDATED if edited else _SAVED)
        if self._loaded:
            self.reload()
        else:
            self.stateChanged.emit()

    @Slot()
    def clear(self) -> None:
        """Forget every row (the mode locked)."""
        self._limit, self._total = PAGE, 0
        self._loaded, self._failed, self._message = False, False, ""
        self._set_rows([])
        self.stateChanged.emit()

    @Slot()
    def _follow_lock(self) -> None:
        if not self._mediator.property("unlocked"):
            self.clear()

    # ------------------------------------------------------------ properties
    count = Property(int, lambda self: len(self._rows), notify=countChanged)
    total = Property(int, lambda self: self._total, notify=stateChanged)
    hasMore = Property(bool, lambda self: self._total > len(self._rows), notify=stateChanged)
    loaded = Property(bool, lambda self: self._loaded, notify=stateChanged)
    failed = Property(bool, lambda self: self._failed, notify=stateChanged)
    empty = Property(bool, lambda self: self._loaded and self._total == 0, notify=stateChanged)
    message = Property(str, lambda self: self._message, notify=stateChanged)
