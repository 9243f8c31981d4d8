"""``NoticeBridge``: one catalogue record shown on the "Notice" screen, and its request form's data.

``load(recordId)`` reads the record with ``Catalogue.get`` on the UI thread: it is
one row by its indexed id (measured on the demo catalogue: about 0.2 ms, well
under a 16 ms frame; the Catalogue's lock may make it wait for a running search,
a few ms at most).  Everything the screen draws is exposed ready to use: French
labels, authors with their roles, the availability sentence, call numbers of the
copies on board, the text for "Lire la notice à voix haute" (``speakableText``),
and the title and summary as rich text with coloured syllables when the
visitor's syllable colouring (DYS) is on (``titleSyllables``/``summarySyllables``,
from :meth:`AccessibilityBridge.colourSyllables`, rebuilt when settings change).

The request form ("Je voudrais ce document") gets the communes of the bus's
next stops (``stops``, read from the schedule when the form opens) and the
French sentence for a problem key of ``JournalBridge.requestSaved``
(``requestProblem``).  Opening a notice counts one "notice_opened".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.accessibility.speech_text import speakable

from .accessibility_bridge import AccessibilityBridge
from .branding_bridge import BrandingBridge
from .search_model import audience_label, cover_colour, cover_initials, display_name, type_label

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

MAX_STOPS = 8


def upcoming_communes(data_dir: Path, today: date, limit: int = MAX_STOPS) -> list[str]:
    """The communes of the next passages of the bus, soonest first, each once."""
    from numeribus_kiosk.catalogue import schedule
    from numeribus_kiosk.store import open_catalogue_db

    db = open_catalogue_db(Path(data_dir))
    try:
        communes: list[str] = []
        for passage in schedule.upcoming_passages(db, today):
            if passage.commune not in communes:
                communes.append(passage.commune)
            if len(communes) >= limit:
                break
        return communes
    finally:
        db.close()


@QmlElement
@QmlUncreatable("NoticeBridge is created by the application and passed to Main.qml.")
class NoticeBridge(QObject):
    """The record shown on the Notice screen (see module docstring)."""

    recordChanged = Signal()
    syllablesChanged = Signal()
    stopsChanged = Signal()

    def __init__(
        self,
        catalogue: Any,
        a11y: AccessibilityBridge,
        *,
        journal: Any = None,
        branding: BrandingBridge | None = None,
        stops: Callable[[], list[str]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._a11y = a11y
        self._journal = journal
        self._branding = branding if branding is not None else BrandingBridge(parent=self)
        self._stops_source = stops
        self._record = None
        self._stops: list[str] = []
        a11y.settingsChanged.connect(self.syllablesChanged)

    # ------------------------------------------------------------ labels
    def _role_label(self, role: str) -> str:
        return {
            "author": self.tr("auteur"),
            "illustrator": self.tr("illustrateur"),
            "translator": self.tr("traducteur"),
            "editor": self.tr("directeur de publication"),
            "composer": self.tr("compositeur"),
            "performer": self.tr("interprète"),
            "director": self.tr("réalisateur"),
            "contributor": self.tr("contributeur"),
        }.get(role, self.tr("contributeur"))

    # ------------------------------------------------------------ loading
    @Slot(str, result=bool)
    def load(self, record_id: str) -> bool:
        """Show the record ``record_id``; False (and an empty notice) when it does not exist."""
        try:
            record = self._catalogue.get(record_id) if record_id else None
        except Exception:  # noqa: BLE001 - a broken database: the screen says the notice is missing
            log.exception("record %s could not be read", record_id)
            record = None
        self._record = record
        self.recordChanged.emit()
        self.syllablesChanged.emit()
        if record is not None and self._journal is not None:
            self._journal.count("notice_opened")
        return record is not None

    @Slot()
    def loadStops(self) -> None:
        """Read the communes of the next stops (when the request form opens)."""
        stops: list[str] = []
        if self._stops_source is not None:
            try:
                stops = list(self._stops_source())
            except Exception:  # noqa: BLE001 - no schedule: the visitor can still choose "Autre"
                log.exception("the schedule could not be read")
        if stops != self._stops:
            self._stops = stops
            self.stopsChanged.emit()

    @Slot()
    def reset(self) -> None:
        """End of a visitor session."""
        self._record = None
        self.recordChanged.emit()
        self.syllablesChanged.emit()

    # ------------------------------------------------------------ properties
    def _get(self, name: str, default: Any = "") -> Any:
        return getattr(self._record, name) if self._record is not None else default

    def _authors(self) -> list[str]:
        return [f"{display_name(a.name)} ({self._role_label(a.role)})" for a in self._get("authors", ())]

    def _year(self) -> str:
        year = self._get("year", None)
        return str(year) if year else ""

    def _availability(self) -> str:
        if self._record is None:
            return ""
        return (
            self.tr("À bord %1").replace("%1", self._branding.ofName)
            if self._record.on_board
            else self.tr("Sur demande")
        )

    def _call_numbers(self) -> list[str]:
        copies = self._get("copies", ())
        return list(dict.fromkeys(c.call_number for c in copies if c.on_board and c.call_number))

    def _speakable(self) -> str:
        if self._record is None:
            return ""
        parts = [self._record.title, self._record.subtitle, ", ".join(self._authors())]
        parts += [self._record.publisher, self._year(), type_label(self._record.type), self._availability()]
        if self._call_numbers():
            parts.append(self.tr("Cote : %1").replace("%1", ", ".join(self._call_numbers())))
        if self._record.summary:
            parts.append(self.tr("Résumé : %1").replace("%1", self._record.summary))
        if self._record.subjects:
            parts.append(self.tr("Sujets : %1").replace("%1", ", ".join(self._record.subjects)))
        return speakable(". ".join(p.strip().rstrip(".") for p in parts if p and p.strip()) + ".")

    loaded = Property(bool, lambda self: self._record is not None, notify=recordChanged)
    recordId = Property(str, lambda self: self._get("id"), notify=recordChanged)
    title = Property(str, lambda self: self._get("title"), notify=recordChanged)
    subtitle = Property(str, lambda self: self._get("subtitle"), notify=recordChanged)
    authors = Property(list, _authors, notify=recordChanged)
    authorsText = Property(str, lambda self: ", ".join(self._authors()), notify=recordChanged)
    publisher = Property(str, lambda self: self._get("publisher"), notify=recordChanged)
    year = Property(str, _year, notify=recordChanged)
    summary = Property(str, lambda self: self._get("summary"), notify=recordChanged)
    subjects = Property(list, lambda self: list(self._get("subjects", ())), notify=recordChanged)
    typeLabel = Property(str, lambda self: type_label(self._get("type", "other")), notify=recordChanged)
    audienceLabel = Property(str, lambda self: audience_label(self._get("audience")), notify=recordChanged)
    onBoard = Property(bool, lambda self: bool(self._record and self._record.on_board), notify=recordChanged)
    availabilityText = Property(str, _availability, notify=recordChanged)
    callNumbers = Property(list, _call_numbers, notify=recordChanged)
    callNumbersText = Property(str, lambda self: ", ".join(self._call_numbers()), notify=recordChanged)
    coverColour = Property(str, lambda self: cover_colour(self._get("title")), notify=recordChanged)
    coverInitials = Property(str, lambda self: cover_initials(self._get("title")), notify=recordChanged)
    speakableText = Property(str, _speakable, notify=recordChanged)
    titleSyllables = Property(str, lambda self: self._a11y.colourSyllables(self._get("title")), notify=syllablesChanged)
    summarySyllables = Property(
        str, lambda self: self._a11y.colourSyllables(self._get("summary")), notify=syllablesChanged
    )
    stops = Property(list, lambda self: list(self._stops), notify=stopsChanged)

    @Slot(str, result=str)
    def requestProblem(self, problem: str) -> str:
        """The French sentence for a ``JournalBridge.requestSaved`` problem key ("" when none)."""
        if not problem:
            return ""
        return {
            "consent": self.tr(
                "Pour envoyer votre demande, cochez « J'accepte » : sans votre accord, "
                "nous ne pouvons pas garder votre nom et votre contact."
            ),
            "name": self.tr("Écrivez votre nom, s'il vous plaît."),
            "contact": self.tr("Écrivez un téléphone, un e-mail ou un numéro de carte de lecteur."),
            "invalid": self.tr("Un des champs est trop long. Raccourcissez-le, s'il vous plaît."),
            "storage": self.tr("Votre demande n'a pas pu être enregistrée. Demandez de l'aide à un médiateur du bus."),
        }.get(problem, self.tr("Votre demande n'a pas pu être enregistrée."))
