"""``SearchModel``: the "Recherche" screen's type-ahead search, results and facet chips.

How a search runs:

1. QML sets ``query`` at every keystroke; a single-shot timer (``debounceMs``,
   150 ms by default, 0 in tests) restarts, so a fast typist starts one search,
   not one per letter.  Toggling a facet chip searches at once.
2. Each search gets a new *generation* number and is queued on the model's own
   thread pool (one worker thread: the Catalogue serialises its connection
   anyway).  The worker runs ``Catalogue.search`` and computes the lazy
   ``total`` and ``facets`` there too, so the UI thread never touches SQLite for
   a search.  A queued search whose generation is already stale is skipped.
3. The worker hands the outcome back through a signal (delivered queued on the
   UI thread).  An outcome whose generation is not the newest is dropped: a
   slow old query never overwrites a newer one.
4. Usage counting: one "search" per *settled* query, not per keystroke.  The
   text of the last delivered query is kept pending; it is counted when the
   visitor starts a different query (one that does not continue or shorten the
   pending text), opens a result (``commit``), clears, or the session resets.

Facet chips are exposed as lists of plain maps (``typeChips``, ``audienceChips``,
``flagChips``): ``{key, label, count, on, text}``, ``text`` being what the chip
shows ("Livre (12)").  Only document types and audiences present in the results
(or chosen) get a chip; the four boolean chips are always there.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Property,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement, QmlUncreatable

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

# No type-ahead delay by default: a search takes a few ms (docs/performance.md), a visitor
# types a key every few hundred ms on a touchscreen, and a query overtaken by a newer one is
# skipped on the worker thread.  Settable for slower machines.
DEFAULT_DEBOUNCE_MS = 0
DEFAULT_LIMIT = 20  # a page of results: the catalogue's top 20
# Cover backgrounds: dark enough for white initials (contrast >= 7:1), and drawn with a
# border of the theme's text colour, so a cover stands out on every theme's background.
COVER_PALETTE = ("#1F4E8C", "#7A1F5C", "#1E5E3A", "#8A3B12", "#4A3C8C", "#0F5560", "#6B2D2D")
COVER_TEXT = "#FFFFFF"
_ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "the", "a", "an"})
FLAG_KEYS = ("large_print", "dys", "audio", "on_board")


def cover_colour(title: str) -> str:
    """A palette colour picked from ``title`` (stable across runs, unlike ``hash``)."""
    digest = hashlib.sha1((title or "").casefold().encode("utf-8")).digest()
    return COVER_PALETTE[digest[0] % len(COVER_PALETTE)]


def cover_initials(title: str) -> str:
    """Up to two capital letters: the first letters of the title's first significant words."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in title or "").split() if w]
    significant = [w for w in words if w.casefold() not in _ARTICLES] or words
    return "".join(w[0] for w in significant[:2]).upper() or "?"


def display_name(name: str) -> str:
    """ "Hugo, Victor" -> "Victor Hugo" (names without a comma are left as they are)."""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if first and last:
            return f"{first} {last}"
    return name.strip()


# QT_TRANSLATE_NOOP marks the labels for pyside6-lupdate (it does not see strings passed to a
# helper function); they are translated when shown, in the language of the moment.
TYPE_LABELS = {
    "book": QT_TRANSLATE_NOOP("SearchModel", "Livre"),
    "large_print_book": QT_TRANSLATE_NOOP("SearchModel", "Livre en gros caractères"),
    "audio_book": QT_TRANSLATE_NOOP("SearchModel", "Livre audio"),
    "ebook": QT_TRANSLATE_NOOP("SearchModel", "Livre numérique"),
    "periodical": QT_TRANSLATE_NOOP("SearchModel", "Périodique"),
    "dvd": QT_TRANSLATE_NOOP("SearchModel", "DVD"),
    "music": QT_TRANSLATE_NOOP("SearchModel", "Musique"),
    "score": QT_TRANSLATE_NOOP("SearchModel", "Partition"),
    "map": QT_TRANSLATE_NOOP("SearchModel", "Carte"),
    "image": QT_TRANSLATE_NOOP("SearchModel", "Image"),
    "game": QT_TRANSLATE_NOOP("SearchModel", "Jeu"),
    "multimedia": QT_TRANSLATE_NOOP("SearchModel", "Multimédia"),
    "other": QT_TRANSLATE_NOOP("SearchModel", "Autre document"),
}
AUDIENCE_LABELS = {
    "children": QT_TRANSLATE_NOOP("SearchModel", "Enfants"),
    "young_adults": QT_TRANSLATE_NOOP("SearchModel", "Adolescents"),
    "adults": QT_TRANSLATE_NOOP("SearchModel", "Adultes"),
}


def type_label(doc_type: str) -> str:
    """The French label of a document type (catalogue.record.DOC_TYPES), translated."""
    return QCoreApplication.translate("SearchModel", TYPE_LABELS.get(doc_type, TYPE_LABELS["other"]))


def audience_label(audience: str) -> str:
    """The French label of an audience (catalogue.record.AUDIENCES), translated; "" when unknown."""
    label = AUDIENCE_LABELS.get(audience)
    return QCoreApplication.translate("SearchModel", label) if label else ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the worker thread sends back for one generation."""

    generation: int
    text: str
    hits: list | None  # None: this outcome only brings the counts of hits delivered before
    total: int  # -1 while the counts are still being computed
    facets: dict | None
    corrected: str
    error: bool = False


@QmlElement
@QmlUncreatable("SearchModel is created by the application and passed to Main.qml.")
class SearchModel(QAbstractListModel):
    """Type-ahead catalogue search off the UI thread (see module docstring)."""

    RecordIdRole = Qt.ItemDataRole.UserRole + 1
    TitleRole = Qt.ItemDataRole.UserRole + 2
    SubtitleRole = Qt.ItemDataRole.UserRole + 3
    AuthorsRole = Qt.ItemDataRole.UserRole + 4
    YearRole = Qt.ItemDataRole.UserRole + 5
    TypeLabelRole = Qt.ItemDataRole.UserRole + 6
    OnBoardRole = Qt.ItemDataRole.UserRole + 7
    LargePrintRole = Qt.ItemDataRole.UserRole + 8
    DysRole = Qt.ItemDataRole.UserRole + 9
    AudioRole = Qt.ItemDataRole.UserRole + 10
    CoverColourRole = Qt.ItemDataRole.UserRole + 11
    CoverInitialsRole = Qt.ItemDataRole.UserRole + 12
    SpokenRole = Qt.ItemDataRole.UserRole + 13

    _ROLE_NAMES = {
        RecordIdRole: b"recordId",
        TitleRole: b"title",
        SubtitleRole: b"subtitle",
        AuthorsRole: b"authors",
        YearRole: b"year",
        TypeLabelRole: b"typeLabel",
        OnBoardRole: b"onBoard",
        LargePrintRole: b"largePrint",
        DysRole: b"dys",
        AudioRole: b"audio",
        CoverColourRole: b"coverColour",
        CoverInitialsRole: b"coverInitials",
        SpokenRole: b"spoken",
    }

    queryChanged = Signal()
    busyChanged = Signal()
    resultsChanged = Signal()  # total, correctedText, hasResults, chips, countText
    debounceMsChanged = Signal()
    # Emitted when the hits of the newest search are in the model (on screen at the next frame)...
    hitsReady = Signal()
    # ...and when its total and facet counts are too (computed after the hits: on a broad
    # query they take far longer than the hits themselves).
    resultsReady = Signal()
    # The worker's outcome; emitted on the worker thread, delivered queued on the UI thread.
    _outcome = Signal(object)

    def __init__(
        self,
        catalogue: Any,
        *,
        journal: Any = None,
        debounce_ms: int = DEFAULT_DEBOUNCE_MS,
        limit: int = DEFAULT_LIMIT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._journal = journal
        self._limit = limit
        self._rows: list[dict] = []
        self._query = ""
        self._busy = False
        self._total = 0
        self._corrected = ""
        self._facets: dict = {}
        self._searched = False
        self._error = False
        self._types: list[str] = []
        self._audiences: list[str] = []
        self._flags: set[str] = set()
        self._generation = 0
        self._counting = False  # the worker is computing a total and facets
        self._pending_count = ""
        # Diagnostics for tests: idents of the threads that ran searches, outcomes dropped.
        self.worker_threads: set[int] = set()
        self.stale_dropped = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(0, int(debounce_ms)))
        self._timer.timeout.connect(self._start)

    # ------------------------------------------------------------ model
    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name) for role, name in self._ROLE_NAMES.items()}

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.parent().isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row["title"]
        name = self._ROLE_NAMES.get(role)
        return row.get(name.decode()) if name else None

    def _row(self, hit) -> dict:
        authors = ", ".join(display_name(a) for a in hit.authors)
        kind = self.typeLabel(hit.type)
        spoken = ". ".join(p for p in (hit.title, authors, str(hit.year or ""), kind) if p)
        if hit.on_board:
            spoken += ". " + self.tr("À bord")
        return {
            "recordId": hit.id,
            "title": hit.title,
            "subtitle": hit.subtitle or "",
            "authors": authors,
            "year": str(hit.year) if hit.year else "",
            "typeLabel": kind,
            "onBoard": bool(hit.on_board),
            "largePrint": bool(hit.large_print),
            "dys": bool(hit.dys),
            "audio": bool(hit.audio),
            "coverColour": cover_colour(hit.title),
            "coverInitials": cover_initials(hit.title),
            "spoken": spoken,
        }

    # ------------------------------------------------------------ labels
    @Slot(str, result=str)
    def typeLabel(self, doc_type: str) -> str:
        return type_label(doc_type)

    @Slot(str, result=str)
    def audienceLabel(self, audience: str) -> str:
        return audience_label(audience)

    def _flag_label(self, key: str) -> str:
        return {
            "large_print": self.tr("Gros caractères"),
            "dys": self.tr("Adapté DYS"),
            "audio": self.tr("Livre audio"),
            "on_board": self.tr("À bord"),
        }[key]

    # ------------------------------------------------------------ properties
    def _get_query(self) -> str:
        return self._query

    def _set_query(self, text: str) -> None:
        text = str(text)
        if text == self._query:
            return
        self._query = text
        self.queryChanged.emit()
        self._set_busy(True)
        self._generation += 1  # results of the previous text are stale from now on
        self._timer.start()

    query = Property(str, _get_query, _set_query, notify=queryChanged)

    def _get_debounce(self) -> int:
        return self._timer.interval()

    def _set_debounce(self, ms: int) -> None:
        if int(ms) != self._timer.interval():
            self._timer.setInterval(max(0, int(ms)))
            self.debounceMsChanged.emit()

    debounceMs = Property(int, _get_debounce, _set_debounce, notify=debounceMsChanged)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    busy = Property(bool, lambda self: self._busy, notify=busyChanged)
    total = Property(int, lambda self: self._total, notify=resultsChanged)
    correctedText = Property(str, lambda self: self._corrected, notify=resultsChanged)
    hasResults = Property(bool, lambda self: bool(self._rows), notify=resultsChanged)
    # A search has been delivered for the current text and filters (the empty state may show).
    searched = Property(bool, lambda self: self._searched, notify=resultsChanged)
    failed = Property(bool, lambda self: self._error, notify=resultsChanged)
    hasFilters = Property(bool, lambda self: bool(self._types or self._audiences or self._flags), notify=resultsChanged)

    def _count_text(self) -> str:
        if self._total < 0:
            return self.tr("Plus de %1 résultats").replace("%1", str(self._limit))
        if self._total == 0:
            return self.tr("Aucun résultat")
        if self._total == 1:
            return self.tr("1 résultat")
        return self.tr("%1 résultats").replace("%1", f"{self._total:,}".replace(",", "\u202f"))

    countText = Property(str, _count_text, notify=resultsChanged)

    def _corrected_label(self) -> str:
        return self.tr("Résultats pour « %1 »").replace("%1", self._corrected) if self._corrected else ""

    correctedLabel = Property(str, _corrected_label, notify=resultsChanged)

    def _chips(self, facet: str, chosen: list[str], label) -> list[dict]:
        counts = self._facets.get(facet, {})
        keys = [k for k in counts if counts[k]] + [k for k in chosen if k not in counts]
        order = {"type": ("book", "large_print_book", "audio_book"), "audience": ("children", "young_adults")}
        keys.sort(key=lambda k: (order.get(facet, ()).index(k) if k in order.get(facet, ()) else 99, label(k)))
        return [self._chip(k, label(k), counts.get(k, 0), k in chosen) for k in keys]

    @staticmethod
    def _chip(key: str, label: str, count: int, on: bool) -> dict:
        return {"key": key, "label": label, "count": count, "on": on, "text": f"{label} ({count})"}

    typeChips = Property(list, lambda self: self._chips("type", self._types, self.typeLabel), notify=resultsChanged)
    audienceChips = Property(
        list, lambda self: self._chips("audience", self._audiences, self.audienceLabel), notify=resultsChanged
    )
    flagChips = Property(
        list,
        lambda self: [
            self._chip(k, self._flag_label(k), self._facets.get(k, {}).get(True, 0), k in self._flags)
            for k in FLAG_KEYS
        ],
        notify=resultsChanged,
    )

    def filters(self) -> dict:
        """The filters of the next search, as Catalogue.search takes them."""
        out: dict[str, Any] = {}
        if self._types:
            out["type"] = list(self._types)
        if self._audiences:
            out["audience"] = list(self._audiences)
        for key in self._flags:
            out[key] = True
        return out

    # ------------------------------------------------------------ slots
    @Slot(str)
    def setQuery(self, text: str) -> None:
        self._set_query(text)

    @Slot(str)
    def toggleType(self, key: str) -> None:
        self._toggle(self._types, key)

    @Slot(str)
    def toggleAudience(self, key: str) -> None:
        self._toggle(self._audiences, key)

    @Slot(str)
    def toggleFlag(self, key: str) -> None:
        if key not in FLAG_KEYS:
            log.warning("unknown search flag %r ignored", key)
            return
        self._flags.symmetric_difference_update({key})
        self.refresh()

    def _toggle(self, chosen: list[str], key: str) -> None:
        if key in chosen:
            chosen.remove(key)
        else:
            chosen.append(key)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Search again now (filters changed, or the screen is shown)."""
        self._timer.stop()
        self._set_busy(True)
        self._start()

    @Slot()
    def clear(self) -> None:
        """ "Effacer": empty text and no filter."""
        self._count_pending()
        self._types.clear()
        self._audiences.clear()
        self._flags.clear()
        if self._query:
            self._query = ""
            self.queryChanged.emit()
        self.refresh()

    @Slot()
    def commit(self) -> None:
        """The visitor opened a result: the current query is settled (counted now)."""
        self._count_pending()

    @Slot()
    def reset(self) -> None:
        """End of a visitor session (idle reset): forget the text, the filters and the results."""
        self._count_pending()
        self._timer.stop()
        self._generation += 1
        self._types.clear()
        self._audiences.clear()
        self._flags.clear()
        if self._query:
            self._query = ""
            self.queryChanged.emit()
        self.beginResetModel()
        self._rows = []
        self._total, self._corrected, self._facets, self._searched, self._error = 0, "", {}, False, False
        self.endResetModel()
        self._set_busy(False)
        self.resultsChanged.emit()

    def close(self) -> None:
        """Stop searching and wait for the worker (before the catalogue is closed)."""
        self._timer.stop()
        self._generation += 1
        self._pool.waitForDone()

    # ------------------------------------------------------------ worker
    @Slot()
    def _start(self) -> None:
        self._generation += 1
        generation = self._generation
        if self._counting:
            # The worker is counting the previous query's total and facets (up to ~0.3 s on
            # a broad prefix over 250k records): stop it, this query's results come first.
            self._catalogue.interrupt()
        text, filters = self._query, self.filters()
        self._pool.start(lambda: self._run(generation, text, filters))

    def _run(self, generation: int, text: str, filters: dict) -> None:
        """On the worker thread."""
        if generation != self._generation:
            return  # superseded while it waited in the queue
        self.worker_threads.add(threading.get_ident())
        try:
            try:
                result = self._catalogue.search(text, filters, limit=self._limit)
            except sqlite3.OperationalError as exc:
                # An interrupt meant for the previous query's counts may land on this search
                # when they cross: once more.
                if "interrupted" not in str(exc):
                    raise
                result = self._catalogue.search(text, filters, limit=self._limit)
            corrected = result.corrected_text or ""
            self._outcome.emit(Outcome(generation, text, result.results, -1, None, corrected))
            if generation != self._generation:
                return  # a newer query is waiting: its counts matter, not these
            self._counting = True
            try:
                total, facets = result.total, result.facets
            finally:
                self._counting = False
            self._outcome.emit(Outcome(generation, text, None, total, facets, corrected))
        except sqlite3.OperationalError as exc:
            if generation == self._generation or "interrupted" not in str(exc):
                log.exception("search failed")
                self._outcome.emit(Outcome(generation, text, [], 0, {}, "", error=True))
            # else: interrupted because a newer query came (see _start)
        except Exception:  # noqa: BLE001 - a bug or a broken database: logged, the screen says so
            log.exception("search failed")
            self._outcome.emit(Outcome(generation, text, [], 0, {}, "", error=True))

    @Slot(object)
    def _deliver(self, outcome: Outcome) -> None:
        """On the UI thread."""
        if outcome.generation != self._generation:
            self.stale_dropped += 1
            return
        if outcome.hits is not None:
            self.beginResetModel()
            self._rows = [self._row(hit) for hit in outcome.hits]
            self._corrected = outcome.corrected
            self._error = outcome.error
            self._searched = True
            self.endResetModel()
            # Fewer hits than asked for: that is the total; else it is being counted.
            self._total = len(outcome.hits) if len(outcome.hits) < self._limit else -1
            self._settle(outcome.text)
            self._set_busy(False)
        if outcome.total < 0:  # the counts follow
            self.resultsChanged.emit()
            self.hitsReady.emit()
            return
        self._total = outcome.total
        self._facets = outcome.facets or {}
        self.resultsChanged.emit()
        self.resultsReady.emit()

    # ------------------------------------------------------------ usage counting
    def _settle(self, text: str) -> None:
        text = text.strip().casefold()
        pending = self._pending_count
        if pending and text and (text.startswith(pending) or pending.startswith(text)):
            self._pending_count = text  # the same query, typed further or corrected
            return
        self._count_pending()
        self._pending_count = text

    def _count_pending(self) -> None:
        if self._pending_count and self._journal is not None:
            self._journal.count("search")
        self._pending_count = ""
