"""``JournalBridge``: what visitors record on the kiosk, written to journal.db off the UI thread.

Document requests, opinions, volunteer offers and the anonymous usage counters go
through :mod:`numeribus_kiosk.journal` (each change with its outbox row, in one
transaction).  One writer thread owns the journal connection - one writer per
database file - so a slow disk never freezes the screen; each submission answers
with a signal carrying ``(ok, problem)``, delivered on the UI thread:

- ``problem`` is "" on success, else a stable key the screen turns into words:
  ``"consent"``, ``"name"``, ``"contact"``, ``"topic"``, ``"score"``, ``"invalid"``
  (the journal refused the input) or ``"storage"`` (the disk or database failed;
  logged, without what the visitor typed).

Visitors' personal data never reaches a log line from here.  At start the writer
closes the usage days before today into their outbox events.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.journal import feedback, requests, usage
from numeribus_kiosk.journal.requests import JournalError

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@QmlElement
@QmlUncreatable("JournalBridge is created by the application and passed to Main.qml.")
class JournalBridge(QObject):
    """Writes the visitors' records to journal.db on its own thread (see module docstring)."""

    requestSaved = Signal(bool, str)
    feedbackSaved = Signal(bool, str)
    volunteerSaved = Signal(bool, str)

    def __init__(self, data_dir: Path, *, today: Callable[[], date] = date.today, parent: QObject | None = None):
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._today = today
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-writer")
        self._db = None
        self._lock = threading.Lock()
        self._last: Future | None = None
        self._submit(self._close_past_days)

    # ------------------------------------------------------------ writer thread
    def _journal(self):
        if self._db is None:
            from numeribus_kiosk.store import open_journal_db

            self._db = open_journal_db(self._data_dir, check_same_thread=False)
        return self._db

    def _submit(self, fn, *args) -> Future:
        with self._lock:
            self._last = self._executor.submit(fn, *args)
            return self._last

    def _close_past_days(self) -> None:
        try:
            usage.close_days(self._journal(), self._today())
        except Exception:  # noqa: BLE001 - counters must never stop the kiosk
            log.exception("closing the usage counters of past days failed")

    def _write(self, signal: Signal, action: Callable[[], object]) -> None:
        try:
            action()
        except JournalError:
            signal.emit(False, "invalid")
        except Exception as exc:  # noqa: BLE001 - the disk, the database: say so, keep running
            log.error("journal write failed: %s", type(exc).__name__)
            signal.emit(False, "storage")
        else:
            signal.emit(True, "")

    # ------------------------------------------------------------ QML API
    @Slot(str, str, str, str, str, bool)
    def submitRequest(self, record_id: str, title: str, name: str, contact: str, stop: str, consent: bool) -> None:
        """Ask for a document to be brought on the next visit."""
        problem = "consent" if not consent else "name" if not name.strip() else "contact" if not contact.strip() else ""
        if problem:
            self.requestSaved.emit(False, problem)
            return

        def action():
            db = self._journal()
            requests.add_request(db, record_id, title, name, contact, stop, consent)
            usage.increment(db, "request", self._today())

        self._submit(self._write, self.requestSaved, action)

    @Slot(int, str, list)
    def submitFeedback(self, score: int, text: str, wished: list) -> None:
        """An anonymous opinion: five faces (1-5), optional text, wished workshops."""
        if not 1 <= int(score) <= 5:
            self.feedbackSaved.emit(False, "score")
            return

        def action():
            db = self._journal()
            feedback.add_feedback(db, int(score), text, tuple(str(w) for w in wished))
            usage.increment(db, "feedback", self._today())

        self._submit(self._write, self.feedbackSaved, action)

    @Slot(str, str, str, bool)
    def submitVolunteer(self, name: str, contact: str, topic: str, consent: bool) -> None:
        """ "Partager mes savoirs": an inhabitant offers to lead a workshop."""
        problem = (
            "consent"
            if not consent
            else "name"
            if not name.strip()
            else "contact"
            if not contact.strip()
            else "topic"
            if not topic.strip()
            else ""
        )
        if problem:
            self.volunteerSaved.emit(False, problem)
            return

        def action():
            db = self._journal()
            feedback.add_volunteer_offer(db, name, contact, topic, consent)
            usage.increment(db, "volunteer", self._today())

        self._submit(self._write, self.volunteerSaved, action)

    @Slot(str)
    def count(self, counter: str) -> None:
        """Add one to an anonymous usage counter of today (see journal.usage.COUNTERS)."""
        if counter not in usage.COUNTERS:
            log.warning("unknown usage counter %r ignored", counter)
            return

        def action():
            try:
                usage.increment(self._journal(), counter, self._today())
            except Exception as exc:  # noqa: BLE001
                log.error("usage counter %s not saved: %s", counter, type(exc).__name__)

        self._submit(action)

    # ------------------------------------------------------------ lifecycle
    def flush(self, timeout: float | None = 10.0) -> None:
        """Wait until every submitted write is done (tests, shutdown)."""
        with self._lock:
            last = self._last
        if last is not None:
            last.result(timeout=timeout)

    def close(self) -> None:
        """Finish pending writes and close the journal."""

        def closing():
            if self._db is not None:
                self._db.close()
                self._db = None

        self._submit(closing)
        self._executor.shutdown(wait=True)
