"""``VisitorRecordsModel``: the visitors' requests, opinions and volunteer offers, for the mediator.

What the visitor screens recorded (journal/requests.py, journal/feedback.py) is listed on the
mediator screen "mediateur-visiteurs" in three sections (`section`: "requests", "feedback",
"volunteers"):

- ``requests``: the document requests, those still to handle first (oldest first), then the
  handled ones (newest first).  Each map: ``id``, ``title``, ``stopText`` ("Arrêt : Noirétable"),
  ``dateText`` ("Demandée le jeudi 26 novembre à 14 h 05"), ``statusText`` ("À traiter" /
  "Traitée le ..."), ``handled``, ``nameText``/``contactText`` ("Nom : ...", "Contact : ..."),
  ``personalDeleted`` and ``personalText`` ("Coordonnées : (effacées après envoi au siège)" once
  headquarters holds them and the bus deleted them), ``spoken``.
- ``feedback``: the anonymous opinions, newest first: ``scoreText`` (the face's words,
  "Content (4 sur 5)"), ``text``, ``wishesText`` ("Ateliers souhaités : ..."), ``dateText``,
  ``spoken``.
- ``volunteers``: the volunteer offers ("Partager mes savoirs"), newest first: ``topic``,
  ``nameText``, ``contactText``, ``personalDeleted``, ``personalText``, ``dateText``, ``spoken``.

`markHandled(id)` marks a request handled (`requests.mark_handled`, which writes its
"request.handled" outbox event) and records "request.handled" in the audit log with the
request's id as target, never the visitor's name; `message` / `messageOk` say how it went.
`requestsSummary` ("2 demandes · à traiter : 1"), `feedbackSummary` and `volunteersSummary`
head each section; `loaded` is false while locked, `failed` when the journal cannot be read.

**Personal data.**  The names and contacts are shown on this mediator screen only: they are read
through ``MediatorBridge.journal()`` (which raises while the mode is locked), cleared from the
bridge the moment the mode locks, never put in a log line, and never in ``spoken`` (the text read
aloud when a card is touched, and each card's accessible name): a voice in the bus would carry
them to everybody around.  Before listing, :meth:`refresh` runs
`requests.purge_acknowledged_personal_data`, which deletes the personal data headquarters
already acknowledged: the sync agent does it right after an acknowledgement, and this catches up
after a power cut between the two, so the screen never shows what should be gone.

Texts are French (the mediator mode is for the bus's staff), marked for translation.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.catalogue.schedule import french_clock
from numeribus_kiosk.journal import feedback as journal_feedback
from numeribus_kiosk.journal import requests as journal_requests
from numeribus_kiosk.journal.requests import JournalError

from .mediator_bridge import MediatorLocked
from .schedule_models import day_text, kind_label

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

_CONTEXT = "VisitorRecordsModel"
SECTIONS = ("requests", "feedback", "volunteers")
DEFAULT_SECTION = "requests"

# The words of the five faces (AvisScreen), from 1 (very unhappy) to 5 (very happy).
SCORE_WORDS = {
    5: QT_TRANSLATE_NOOP("VisitorRecordsModel", "Très content"),
    4: QT_TRANSLATE_NOOP("VisitorRecordsModel", "Content"),
    3: QT_TRANSLATE_NOOP("VisitorRecordsModel", "Moyennement content"),
    2: QT_TRANSLATE_NOOP("VisitorRecordsModel", "Pas content"),
    1: QT_TRANSLATE_NOOP("VisitorRecordsModel", "Pas content du tout"),
}
_SCORE = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 (%2 sur 5)")
_AT = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 à %2")  # "jeudi 26 novembre à 14 h 05"
_REQUESTED = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Demandée le %1")
_GIVEN = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Donné le %1")
_OFFERED = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Proposée le %1")
_TO_HANDLE = QT_TRANSLATE_NOOP("VisitorRecordsModel", "À traiter")
_HANDLED = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Traitée le %1")
_STOP = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Arrêt : %1")
_NO_STOP = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Arrêt : non précisé")
_NO_TITLE = QT_TRANSLATE_NOOP("VisitorRecordsModel", "(titre inconnu)")
_NAME = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Nom : %1")
_CONTACT = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Contact : %1")
_DELETED = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Coordonnées : (effacées après envoi au siège)")
_WISHES = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Ateliers souhaités : %1")
_NO_TEXT = QT_TRANSLATE_NOOP("VisitorRecordsModel", "(pas de texte)")
_SPOKEN_REQUEST = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Demande : %1. %2. %3. %4.")
_SPOKEN_FEEDBACK = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Avis : %1. %2. %3")
_SPOKEN_VOLUNTEER = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Proposition : %1. %2.")
# Summaries (French plural rule: 0 and 1 take the singular).
_NO_REQUEST = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Aucune demande de document.")
_REQUESTS_SUMMARY = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 · à traiter : %2")
_ONE_REQUEST = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 demande")
_REQUESTS = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 demandes")
_NO_FEEDBACK = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Aucun avis.")
_SOME_FEEDBACK = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 avis")  # "avis" is the same in the plural
_NO_VOLUNTEER = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Aucune proposition de savoirs.")
_ONE_VOLUNTEER = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 proposition")
_VOLUNTEERS = QT_TRANSLATE_NOOP("VisitorRecordsModel", "%1 propositions")
# Results of "Marquer comme traitée".
_MARKED = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Demande marquée comme traitée.")
_GONE = QT_TRANSLATE_NOOP("VisitorRecordsModel", "Cette demande n'existe plus sur le bus.")
_NOT_SAVED = QT_TRANSLATE_NOOP(
    "VisitorRecordsModel", "La demande n'a pas pu être marquée comme traitée. Réessayez dans un moment."
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def when_text(stamp: str | None, today: date) -> str:
    """ "jeudi 26 novembre à 14 h 05" for an ISO timestamp, in its own UTC offset ("" if unreadable)."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return _tr(_AT).replace("%1", day_text(moment.date(), today)).replace("%2", french_clock(moment))


def score_text(score: int) -> str:
    """ "Content (4 sur 5)"."""
    words = SCORE_WORDS.get(score)
    if words is None:
        return str(score)
    return _tr(_SCORE).replace("%1", _tr(words)).replace("%2", str(score))


def _count_text(count: int, one: str, many: str) -> str:
    return _tr(one if count <= 1 else many).replace("%1", str(count))


def request_row(request: journal_requests.DocumentRequest, today: date) -> dict:
    """The map a request card shows (see the module docstring)."""
    handled = request.status == "handled"
    title = request.title or _tr(_NO_TITLE)
    stop = _tr(_STOP).replace("%1", request.stop) if request.stop else _tr(_NO_STOP)
    date_text = _tr(_REQUESTED).replace("%1", when_text(request.created_at, today))
    status = _tr(_HANDLED).replace("%1", when_text(request.handled_at, today)) if handled else _tr(_TO_HANDLE)
    deleted = request.personal_data_deleted
    return {
        "id": request.id,
        "title": title,
        "stopText": stop,
        "dateText": date_text,
        "statusText": status,
        "handled": handled,
        "personalDeleted": deleted,
        "nameText": "" if deleted else _tr(_NAME).replace("%1", request.name),
        "contactText": "" if deleted else _tr(_CONTACT).replace("%1", request.contact),
        "personalText": _tr(_DELETED) if deleted else "",
        # Never the name or the contact: spoken aloud, and the card's accessible name.
        "spoken": _tr(_SPOKEN_REQUEST)
        .replace("%1", title)
        .replace("%2", stop)
        .replace("%3", date_text)
        .replace("%4", status),
    }


def feedback_row(item: journal_feedback.Feedback, today: date) -> dict:
    wishes = ", ".join(kind_label(kind) for kind in item.wished_workshops)
    wishes_text = _tr(_WISHES).replace("%1", wishes) if wishes else ""
    date_text = _tr(_GIVEN).replace("%1", when_text(item.created_at, today))
    scored = score_text(item.score)
    spoken = _tr(_SPOKEN_FEEDBACK).replace("%1", scored).replace("%2", item.text or _tr(_NO_TEXT))
    spoken = spoken.replace("%3", " ".join(part for part in (wishes_text, date_text) if part))
    return {
        "id": item.id,
        "scoreText": scored,
        "text": item.text,
        "wishesText": wishes_text,
        "dateText": date_text,
        "spoken": spoken,
    }


def volunteer_row(offer: journal_feedback.VolunteerOffer, today: date) -> dict:
    deleted = offer.personal_data_deleted
    date_text = _tr(_OFFERED).replace("%1", when_text(offer.created_at, today))
    return {
        "id": offer.id,
        "topic": offer.topic,
        "dateText": date_text,
        "personalDeleted": deleted,
        "nameText": "" if deleted else _tr(_NAME).replace("%1", offer.name),
        "contactText": "" if deleted else _tr(_CONTACT).replace("%1", offer.contact),
        "personalText": _tr(_DELETED) if deleted else "",
        "spoken": _tr(_SPOKEN_VOLUNTEER).replace("%1", offer.topic).replace("%2", date_text),
    }


@QmlElement
@QmlUncreatable("VisitorRecordsModel is created by the application and passed to Main.qml.")
class VisitorRecordsModel(QObject):
    """The visitors' records listed for the mediator (see the module docstring)."""

    sectionChanged = Signal()
    recordsChanged = Signal()
    messageChanged = Signal()

    def __init__(self, mediator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._section = DEFAULT_SECTION
        self._message = ""
        self._message_ok = True
        self._clear_state()
        mediator.unlockedChanged.connect(self._follow_lock)

    def _clear_state(self) -> None:
        self._loaded = False
        self._failed = False
        self._requests: list[dict] = []
        self._feedback: list[dict] = []
        self._volunteers: list[dict] = []

    def _set_message(self, text: str, ok: bool = True) -> None:
        if (text, ok) != (self._message, self._message_ok):
            self._message, self._message_ok = text, ok
            self.messageChanged.emit()

    # ------------------------------------------------------------ slots
    @Slot(str)
    def setSection(self, section: str) -> None:  # noqa: N802 (Qt API)
        """Show `section` ("requests", "feedback" or "volunteers")."""
        if section not in SECTIONS:
            log.warning("unknown visitor records section %r; keeping %r", section, self._section)
            return
        if section != self._section:
            self._section = section
            self._set_message("")
            self.sectionChanged.emit()

    @Slot()
    def refresh(self) -> None:
        """Read the records again (after purging acknowledged personal data); nothing while locked."""
        try:
            db = self._mediator.journal()
            today = self._mediator.today()
            self._purge_acknowledged(db)
            found = journal_requests.list_requests(db)
            opinions = journal_feedback.list_feedback(db)
            offers = journal_feedback.list_volunteer_offers(db)
        except MediatorLocked:
            self.clear()
            return
        except Exception as exc:  # noqa: BLE001 - the environment's problem (disk, database): say so
            log.error("the visitors' records could not be read: %s", type(exc).__name__)
            self._clear_state()
            self._failed = True
            self.recordsChanged.emit()
            return
        waiting = [r for r in found if r.status != "handled"]
        handled = [r for r in found if r.status == "handled"]
        self._requests = [request_row(r, today) for r in (*waiting, *reversed(handled))]
        self._feedback = [feedback_row(f, today) for f in reversed(opinions)]
        self._volunteers = [volunteer_row(o, today) for o in reversed(offers)]
        self._loaded, self._failed = True, False
        self.recordsChanged.emit()

    def _purge_acknowledged(self, db) -> None:
        try:
            journal_requests.purge_acknowledged_personal_data(db)
        except Exception as exc:  # noqa: BLE001 - the sync agent purges too; listing goes on
            log.error("acknowledged personal data could not be purged: %s", type(exc).__name__)

    @Slot(str, result=bool)
    def markHandled(self, request_id: str) -> bool:  # noqa: N802 (Qt API)
        """Mark the request `request_id` handled (outbox event + audit); False when it could not be."""
        try:
            db = self._mediator.journal()
            before = journal_requests.get_request(db, request_id)
            if before is None:
                raise JournalError("no such request")
            journal_requests.mark_handled(db, request_id, now=self._mediator.now())
        except MediatorLocked:
            self.clear()
            return False
        except JournalError:
            self._set_message(_tr(_GONE), ok=False)
            self.refresh()
            return False
        except Exception as exc:  # noqa: BLE001 - the disk, the database: say so, keep running
            log.error("request %s could not be marked handled: %s", request_id, type(exc).__name__)
            self._set_message(_tr(_NOT_SAVED), ok=False)
            return False
        if before.status != "handled":  # a repeated tap changes nothing and is not audited twice
            self._mediator.audit("request.handled", target=request_id)
        self._set_message(_tr(_MARKED))
        self.refresh()
        return True

    @Slot()
    def clear(self) -> None:
        """Forget every record and message, back to the first section (the mode locked)."""
        self._clear_state()
        self._set_message("")
        if self._section != DEFAULT_SECTION:
            self._section = DEFAULT_SECTION
            self.sectionChanged.emit()
        self.recordsChanged.emit()

    @Slot()
    def _follow_lock(self) -> None:
        if not self._mediator.property("unlocked"):
            self.clear()

    # ------------------------------------------------------------ properties
    def _requests_summary(self) -> str:
        if not self._loaded:
            return ""
        if not self._requests:
            return _tr(_NO_REQUEST)
        total = _count_text(len(self._requests), _ONE_REQUEST, _REQUESTS)
        return _tr(_REQUESTS_SUMMARY).replace("%1", total).replace("%2", str(self._waiting()))

    def _feedback_summary(self) -> str:
        if not self._loaded:
            return ""
        return _tr(_SOME_FEEDBACK).replace("%1", str(len(self._feedback))) if self._feedback else _tr(_NO_FEEDBACK)

    def _volunteers_summary(self) -> str:
        if not self._loaded:
            return ""
        if not self._volunteers:
            return _tr(_NO_VOLUNTEER)
        return _count_text(len(self._volunteers), _ONE_VOLUNTEER, _VOLUNTEERS)

    def _waiting(self) -> int:
        return sum(1 for r in self._requests if not r["handled"])

    section = Property(str, lambda self: self._section, notify=sectionChanged)
    loaded = Property(bool, lambda self: self._loaded, notify=recordsChanged)
    failed = Property(bool, lambda self: self._failed, notify=recordsChanged)
    requests = Property(list, lambda self: self._requests, notify=recordsChanged)
    feedback = Property(list, lambda self: self._feedback, notify=recordsChanged)
    volunteers = Property(list, lambda self: self._volunteers, notify=recordsChanged)
    waitingRequests = Property(int, _waiting, notify=recordsChanged)
    requestsSummary = Property(str, _requests_summary, notify=recordsChanged)
    feedbackSummary = Property(str, _feedback_summary, notify=recordsChanged)
    volunteersSummary = Property(str, _volunteers_summary, notify=recordsChanged)
    message = Property(str, lambda self: self._message, notify=messageChanged)
    messageOk = Property(bool, lambda self: self._message_ok, notify=messageChanged)
