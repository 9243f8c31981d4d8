"""``SyncBridge``: the sync agent in the running kiosk, and what the screens say about it.

The agent itself is `sync.agent.service.SyncService` (no Qt): a worker thread that runs one
round or one USB stick at a time, fed by mDNS discovery, network links coming up, sticks, a
periodic timer when headquarters is reachable over the internet, and `syncNow()`.  It reports
from its own threads; the bridge keeps the newest `ServiceUpdate` under a lock and emits a
queued signal, so everything Qt happens on the UI thread.

What the bridge gives QML:

- the status screen of the mediator mode ("mediateur-synchro", SyncScreen.qml): `enrolled`,
  `running`, `lastSuccessText`, `pendingText`, `catalogueText`, `errorText` (the last failure in
  plain French, shown while no success came after it), `nextText`, `syncNow()`, `canSyncNow`,
  `busyText`;
- the USB stick banner of every screen (Main.qml): `stickText` and `stickState` ("" when no
  stick is plugged in, "busy" while it is being read and written, "done" or "failed" until it
  is pulled out): "Vous pouvez retirer la clé." only once the bundle is on the stick, synced;
- ``contentChanged``: a job changed the catalogue, the schedule or the lists; app.py reloads the
  screens that show them.

Error texts come from the agent's reason codes (`sync.agent.round.ROUND_REASONS`,
`sync.agent.bundles.BUNDLE_REASONS`), never from its English messages.  Times are shown in the
kiosk's local time ("aujourd'hui à 14 h 05").  Nothing here names a visitor.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.catalogue.schedule import french_clock

from .language_bridge import LanguageBridge
from .schedule_models import day_text

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

_CONTEXT = "SyncBridge"

# Why the last exchange failed, by reason code (docs/sync-agent.md, "Reason codes").
REASONS = {
    "not_enrolled": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Ce bus n'est pas encore inscrit au siège. Le service informatique doit l'inscrire (guide du dépôt).",
    ),
    "identity": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Les clés de ce bus sont abîmées. Prévenez le service informatique : il faut inscrire le bus à nouveau.",
    ),
    "bad_url": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "L'adresse du siège est mal écrite dans la configuration du bus. Prévenez le service informatique.",
    ),
    "storage": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Les fichiers du bus n'ont pas pu être lus ou écrits (disque plein ?). Prévenez le service informatique.",
    ),
    "unreachable": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Le siège ne répond pas (pas de réseau, ou réseau coupé pendant l'échange). "
        "Rien n'est perdu : le bus réessaiera.",
    ),
    "untrusted": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Un autre serveur a répondu à la place du siège, ou la réponse a été modifiée en route : "
        "rien n'en a été utilisé. Prévenez le service informatique.",
    ),
    "revoked": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Ce bus a été retiré de la liste des bus au siège. Prévenez le service informatique : "
        "il faut l'inscrire à nouveau.",
    ),
    "unknown_key": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Le siège ne reconnaît pas ce bus. Prévenez le service informatique : il faut l'inscrire à nouveau.",
    ),
    "clock": QT_TRANSLATE_NOOP(
        "SyncBridge", "La date ou l'heure du bus est trop fausse pour le siège. Réglez la date et l'heure du bus."
    ),
    "not_hq": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "L'adresse configurée ne répond pas comme le serveur du siège. Prévenez le service informatique.",
    ),
    "refused": QT_TRANSLATE_NOOP("SyncBridge", "Le siège a refusé l'échange. Prévenez le service informatique."),
    "catalogue_refused": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Le catalogue envoyé par le siège a été refusé ; celui du bus est resté tel quel. "
        "Prévenez le service informatique.",
    ),
    "not_acknowledged": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Le siège n'a pas confirmé tous les évènements du bus : ils restent sur le bus. "
        "Prévenez le service informatique.",
    ),
    "snapshot_deferred": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Le catalogue complet est à télécharger : ce sera fait au dépôt ou par clé USB, pas par la 4G.",
    ),
    # USB sticks (sync.agent.bundles)
    "other_bus": QT_TRANSLATE_NOOP(
        "SyncBridge", "L'envoi du siège sur la clé est destiné à un autre bus : il n'a pas été utilisé."
    ),
    "tampered": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "L'envoi du siège sur la clé a été modifié ou abîmé : il a été refusé, rien n'a changé sur le bus.",
    ),
    "damaged": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "L'envoi du siège sur la clé est illisible (copie incomplète ?) : il a été refusé, rien n'a changé.",
    ),
    "older": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "L'envoi du siège sur la clé est plus ancien que ce que le bus a déjà : rien n'a changé.",
    ),
    "gap": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Il manque un envoi du siège avant celui de la clé : rien n'a changé. Demandez au siège une clé à jour.",
    ),
    "write_failed": QT_TRANSLATE_NOOP(
        "SyncBridge",
        "Les évènements du bus n'ont pas pu être écrits sur la clé (pleine ou protégée ?). "
        "Rien n'est perdu : ils restent sur le bus.",
    ),
    "failed": QT_TRANSLATE_NOOP(
        "SyncBridge", "L'échange a échoué. Le bus réessaiera ; si cela recommence, prévenez le service informatique."
    ),
}

_TODAY_AT = QT_TRANSLATE_NOOP("SyncBridge", "aujourd'hui à %1")
_YESTERDAY_AT = QT_TRANSLATE_NOOP("SyncBridge", "hier à %1")
_DAY_AT = QT_TRANSLATE_NOOP("SyncBridge", "le %1 à %2")
_LAST_SUCCESS_NETWORK = QT_TRANSLATE_NOOP("SyncBridge", "Dernier échange réussi avec le siège : %1, par le réseau.")
_LAST_SUCCESS_STICK = QT_TRANSLATE_NOOP("SyncBridge", "Dernier échange réussi avec le siège : %1, par clé USB.")
_NEVER = QT_TRANSLATE_NOOP("SyncBridge", "Aucun échange réussi avec le siège pour l'instant.")
_NOT_ENROLLED = QT_TRANSLATE_NOOP(
    "SyncBridge", "Ce bus n'est pas encore inscrit au siège : il ne peut pas encore échanger avec lui."
)
_PENDING_NONE = QT_TRANSLATE_NOOP("SyncBridge", "Tout ce qui a été noté sur le bus a été reçu par le siège.")
_PENDING_ONE = QT_TRANSLATE_NOOP("SyncBridge", "1 évènement attend d'être envoyé au siège.")
_PENDING_MANY = QT_TRANSLATE_NOOP("SyncBridge", "%1 évènements attendent d'être envoyés au siège.")
_PENDING_UNKNOWN = QT_TRANSLATE_NOOP("SyncBridge", "Le nombre d'évènements en attente n'a pas pu être lu.")
_QUARANTINED_ONE = QT_TRANSLATE_NOOP("SyncBridge", "1 évènement a été refusé par le siège (voir le guide du dépôt).")
_QUARANTINED_MANY = QT_TRANSLATE_NOOP(
    "SyncBridge", "%1 évènements ont été refusés par le siège (voir le guide du dépôt)."
)
_CATALOGUE_VERSION = QT_TRANSLATE_NOOP("SyncBridge", "Catalogue du bus : version %1 du siège.")
_CATALOGUE_NEVER = QT_TRANSLATE_NOOP(
    "SyncBridge", "Catalogue du bus : pas encore reçu du siège (catalogue de démonstration ou importé sur le bus)."
)
_CATALOGUE_UNKNOWN = QT_TRANSLATE_NOOP("SyncBridge", "La version du catalogue n'a pas pu être lue.")
_LAST_ERROR = QT_TRANSLATE_NOOP("SyncBridge", "Dernier échec (%1) : %2")
_NEXT_ATTEMPT = QT_TRANSLATE_NOOP("SyncBridge", "Prochain essai automatique : %1.")
_RUNNING = QT_TRANSLATE_NOOP("SyncBridge", "Échange avec le siège en cours…")
_QUEUED = QT_TRANSLATE_NOOP("SyncBridge", "Un échange avec le siège va commencer.")
_STICK_BUSY = QT_TRANSLATE_NOOP("SyncBridge", "Clé USB : échange en cours. Ne retirez pas la clé.")
_STICK_WRITTEN_ONE = QT_TRANSLATE_NOOP("SyncBridge", "1 évènement écrit sur la clé pour le siège.")
_STICK_WRITTEN_MANY = QT_TRANSLATE_NOOP("SyncBridge", "%1 évènements écrits sur la clé pour le siège.")
_STICK_NOTHING = QT_TRANSLATE_NOOP("SyncBridge", "Aucun évènement à envoyer au siège.")
_STICK_UPDATED = QT_TRANSLATE_NOOP("SyncBridge", "Catalogue et programme du bus mis à jour depuis la clé.")
_STICK_REMOVE = QT_TRANSLATE_NOOP("SyncBridge", "Vous pouvez retirer la clé.")
_STICK_PREFIX = QT_TRANSLATE_NOOP("SyncBridge", "Clé USB : %1")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def counted(count: int, one: str, many: str) -> str:
    """`one` for 1, else `many` with %1 replaced by `count` (never 0 here)."""
    return _tr(one) if count == 1 else _tr(many).replace("%1", str(count))


def reason_text(reason: str | None) -> str:
    """The French sentence for a reason code (an unknown code: the general one)."""
    return _tr(REASONS.get(reason or "failed", REASONS["failed"]))


def when_text(moment: float, now: datetime, language: str = "fr") -> str:
    """ "aujourd'hui à 14 h 05", "hier à 9 h", "le jeudi 26 novembre 2026 à 8 h 30" (local time);
    in English "today at 14:05", "on Thursday 26 November at 08:30" (the sentence is translated,
    the day and the time are written here in the language's own way)."""
    then = datetime.fromtimestamp(moment)
    clock = french_clock(then) if language == "fr" else f"{then:%H:%M}"
    days = (now.date() - then.date()).days
    if days == 0:
        return _tr(_TODAY_AT).replace("%1", clock)
    if days == 1:
        return _tr(_YESTERDAY_AT).replace("%1", clock)
    return _tr(_DAY_AT).replace("%1", day_text(then.date(), now.date(), language)).replace("%2", clock)


@QmlElement
@QmlUncreatable("SyncBridge is created by the application and passed to Main.qml.")
class SyncBridge(QObject):
    """The sync agent's status and triggers for QML (see the module docstring)."""

    statusChanged = Signal()
    stickChanged = Signal()
    contentChanged = Signal()  # the catalogue, the schedule or the lists changed
    _updateArrived = Signal()  # from the agent's threads; connected queued

    def __init__(
        self,
        data_dir: str | Path,
        *,
        service_options: dict | None = None,
        clock: Callable[[], float] = time.time,
        start: bool = True,
        language: LanguageBridge | None = None,
        parent: QObject | None = None,
    ) -> None:
        from sync.agent.service import SyncService

        super().__init__(parent)
        self._clock = clock
        self._language = language
        if language is not None:  # the texts are written again in the new language
            language.languageChanged.connect(self.statusChanged)
        self._lock = threading.Lock()
        self._pending = None  # the newest update not taken by the UI thread yet
        self._update = None
        self._changed_seen = 0
        self._stick_state = ""
        self._stick_text = ""
        self._updateArrived.connect(self._take_update, Qt.ConnectionType.QueuedConnection)
        options = dict(service_options or {})
        options.setdefault("clock", clock)
        self.service = SyncService(Path(data_dir), on_update=self._arrived, **options)
        self._update = self.service.update()
        self._changed_seen = self._update.changed
        if start:
            self.service.start()
        else:
            self.service.refresh_overview()
        self._take_update()

    def _lang(self) -> str:
        return self._language.language if self._language is not None else "fr"

    # ------------------------------------------------------------ from the agent's threads
    def _arrived(self, update) -> None:
        with self._lock:
            self._pending = update
        self._updateArrived.emit()

    # ------------------------------------------------------------ the UI thread
    @Slot()
    def _take_update(self) -> None:
        with self._lock:
            update, self._pending = self._pending, None
        if update is None:
            return
        self._update = update
        if update.changed != self._changed_seen:
            self._changed_seen = update.changed
            self.contentChanged.emit()
        self._follow_stick(update)
        self.statusChanged.emit()

    def _follow_stick(self, update) -> None:
        status, report = update.status, update.last_stick
        if status.running == "stick" or status.sticks_waiting:
            state, text = "busy", _tr(_STICK_BUSY)
        elif update.stick_present is None:
            state, text = "", ""  # no stick, or pulled out
        elif report is None or report.path != update.stick_present:
            state, text = "busy", _tr(_STICK_BUSY)  # just mounted, its job not taken yet
        else:
            state, text = ("done" if report.ok else "failed"), self._stick_report_text(report)
        if (state, text) != (self._stick_state, self._stick_text):
            self._stick_state, self._stick_text = state, text
            self.stickChanged.emit()

    @staticmethod
    def _stick_report_text(report) -> str:
        parts = []
        if report.import_error is not None:
            parts.append(reason_text(report.import_error[0]))
        elif report.changed:
            parts.append(_tr(_STICK_UPDATED))
        if report.export_error is not None:
            parts.append(reason_text(report.export_error[0]))
        elif report.exported is not None and report.exported.events:
            parts.append(counted(report.exported.events, _STICK_WRITTEN_ONE, _STICK_WRITTEN_MANY))
        else:
            parts.append(_tr(_STICK_NOTHING))
        parts.append(_tr(_STICK_REMOVE))
        return _tr(_STICK_PREFIX).replace("%1", " ".join(parts))

    # ------------------------------------------------------------ slots
    @Slot()
    def syncNow(self) -> None:  # noqa: N802 (Qt API)
        """ "Synchroniser maintenant" (the mediator's button)."""
        if not self.service.sync_now():
            log.info("Synchroniser maintenant: this bus is not enrolled")
        self._take_update()

    @Slot()
    def refresh(self) -> None:
        """The status screen opens: read the figures again (events waiting, catalogue version)."""
        self._arrived(self.service.refresh_overview())
        self._take_update()

    def close(self) -> None:
        """Stop the agent: a running round ends first."""
        self.service.stop()
        self._updateArrived.disconnect(self._take_update)

    # ------------------------------------------------------------ properties
    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock())

    def _enrolled(self) -> bool:
        return bool(self._update and self._update.enrolled)

    def _running(self) -> bool:
        return bool(self._update and self._update.status.running == "round")

    def _last_success_text(self) -> str:
        if not self._enrolled():
            return _tr(_NOT_ENROLLED)
        history = self._update.history
        if history.last_success_at is None:
            return _tr(_NEVER)
        text = _LAST_SUCCESS_STICK if history.last_success_via == "stick" else _LAST_SUCCESS_NETWORK
        return _tr(text).replace("%1", when_text(history.last_success_at, self._now(), self._lang()))

    def _pending_text(self) -> str:
        overview = self._update.overview if self._update else None
        if overview is None or overview.pending_events is None:
            return _tr(_PENDING_UNKNOWN)
        count = overview.pending_events
        text = _tr(_PENDING_NONE) if count == 0 else counted(count, _PENDING_ONE, _PENDING_MANY)
        if overview.quarantined:
            text += " " + counted(overview.quarantined, _QUARANTINED_ONE, _QUARANTINED_MANY)
        return text

    def _catalogue_text(self) -> str:
        overview = self._update.overview if self._update else None
        if overview is None or overview.catalogue_version is None:
            return _tr(_CATALOGUE_UNKNOWN)
        if overview.catalogue_version == 0:
            return _tr(_CATALOGUE_NEVER)
        return _tr(_CATALOGUE_VERSION).replace("%1", str(overview.catalogue_version))

    def _error_text(self) -> str:
        if self._update is None:
            return ""
        if not self._enrolled():
            if self._update.identity_error:
                return reason_text("identity")
            return ""
        history = self._update.history
        if not history.failing:
            return ""
        return (
            _tr(_LAST_ERROR)
            .replace("%1", when_text(history.last_error_at, self._now(), self._lang()))
            .replace("%2", reason_text(history.last_error_reason))
        )

    def _error_reason(self) -> str:
        if self._update is None or not self._update.history.failing:
            return ""
        return self._update.history.last_error_reason or "failed"

    def _next_text(self) -> str:
        status = self._update.status if self._update else None
        if status is None or status.next_attempt is None or status.running:
            return ""
        return _tr(_NEXT_ATTEMPT).replace("%1", when_text(status.next_attempt, self._now(), self._lang()))

    def _busy_text(self) -> str:
        status = self._update.status if self._update else None
        if status is None:
            return ""
        if status.running == "round":
            return _tr(_RUNNING)
        if status.queued:
            return _tr(_QUEUED)
        return ""

    enrolled = Property(bool, _enrolled, notify=statusChanged)
    running = Property(bool, _running, notify=statusChanged)
    canSyncNow = Property(bool, lambda self: not self._running(), notify=statusChanged)
    lastSuccessText = Property(str, _last_success_text, notify=statusChanged)
    pendingText = Property(str, _pending_text, notify=statusChanged)
    catalogueText = Property(str, _catalogue_text, notify=statusChanged)
    errorText = Property(str, _error_text, notify=statusChanged)
    errorReason = Property(str, _error_reason, notify=statusChanged)
    nextText = Property(str, _next_text, notify=statusChanged)
    busyText = Property(str, _busy_text, notify=statusChanged)
    stickState = Property(str, lambda self: self._stick_state, notify=stickChanged)
    stickText = Property(str, lambda self: self._stick_text, notify=stickChanged)
