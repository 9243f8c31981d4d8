"""``SessionForm``: a mediation session logged in a few taps ("Noter une séance", SessionFormScreen).

The form holds every field of the journal's session contract
(:mod:`numeribus_kiosk.journal.sessions`), the chips to pick them from (the mediator lists of
``config.toml``), and its French error texts.  It opens with what
:mod:`numeribus_kiosk.mediator.defaults` can guess — now rounded down to 5 minutes, today's
scheduled stop, 60 minutes, the mediator logging — so that only the activity and the publics
are missing; "Répéter la dernière séance" (`repeatLast`) or one of the mediator's favourites
(`applyFavourite`) fill those too: open, one tap, "Enregistrer".  `edit(id)` opens a recorded
session instead (the sessions list's "Modifier").

- Values (notify ``changed``): ``startedAt`` (ISO 8601 with offset), ``dateText`` ("Aujourd'hui,
  jeudi 26 novembre à 14 h 05"), ``place``, ``activity``, ``publics``, ``participants``,
  ``byAgeOn`` and ``byAge`` ({age group: count}), ``byAgeTotal``, ``durationMin`` and
  ``durationText``, ``partner``, ``equipmentOn`` (names), ``equipmentCounts`` ({name: count} of
  the counted ones, "6 tablettes"), ``otherEquipment``, ``mediatorName``, ``notes``,
  ``appliedFavourite``, ``favouriteSuggestion``.
- Chips (notify ``choicesChanged``, emitted only when a list really changes, so that a chip's
  Repeater is never rebuilt under the finger): ``activities``, ``publicChoices``, ``ageGroups``,
  ``durations`` ({minutes, text}), ``partners``, ``equipmentChoices`` ({name, counted}),
  ``placeChoices`` (today's stops, the next ones, recent places), ``mediatorChoices`` (a copy of
  ``MediatorBridge.mediators`` taken when the form opens), ``participantPicks``.
- ``favourites`` ({id, label, text}, notify ``favouritesChanged``): the templates of the
  mediator named in the form; `saveFavourite(label)`, `deleteFavourite(id)`.
- ``errors`` ({field key: French text}), ``firstError``, ``problem`` (one line for the whole
  form); keys: ``participants byAge startedAt place activity publics duration partner
  equipment mediator notes`` (the screen's order).  A field's error goes as soon as it changes.
- ``ready`` (a form is open), ``editing``/``sessionId``, ``canRepeat``/``repeatText``,
  ``savedText``/``savedSummary`` (the confirmation once saved), ``favouriteMessage``.

Every save is **one** call to journal.sessions (``add_session`` or ``update_session``: the row
and its outbox event in one transaction), then ``mediator.audit("session.created" /
"session.updated", target=id)`` and ``mediator.note_known(name)``; a name typed in the form
becomes the mediator logging (``setMediator``).  Writes run on the UI thread through
``MediatorBridge.journal()`` (a few ms with ``synchronous=FULL``).  A refused or failed save
keeps every value on screen; `saved(id, edited)` tells SessionsModel.

It reads and writes only through ``MediatorBridge.journal()`` and forgets everything when the
mode locks.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.catalogue.schedule import Passage, french_clock
from numeribus_kiosk.journal import sessions as journal_sessions
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.mediator import defaults
from numeribus_kiosk.mediator import favourites as favourite_store

from .mediator_bridge import MediatorLocked
from .schedule_models import day_text
from .stats_model import participants_text

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

# The translation context.  QT_TRANSLATE_NOOP below repeats it literally: lupdate reads literals only.
_CONTEXT = "SessionForm"

PARTICIPANTS_MAX = 999
COUNT_MAX = 99
RECENT_PLACES = 20

# The form's field key of each contract field (participants_by_age before participants: `error_key`
# takes the first field a journal message starts with), and the keys in the order the screen shows them.
FIELD_KEYS = {
    "started_at": "startedAt",
    "place": "place",
    "activity": "activity",
    "publics": "publics",
    "participants_by_age": "byAge",
    "participants": "participants",
    "duration_min": "duration",
    "partner": "partner",
    "equipment": "equipment",
    "mediator": "mediator",
    "notes": "notes",
}
ERROR_ORDER = (
    "participants",
    "byAge",
    "startedAt",
    "place",
    "activity",
    "publics",
    "duration",
    "partner",
    "equipment",
    "mediator",
    "notes",
)

MESSAGES = {
    "startedAt": QT_TRANSLATE_NOOP("SessionForm", "La date et l'heure ne sont pas valables."),
    "place": QT_TRANSLATE_NOOP("SessionForm", "Indiquez le lieu de la séance."),
    "activity": QT_TRANSLATE_NOOP("SessionForm", "Choisissez une activité."),
    "publics": QT_TRANSLATE_NOOP("SessionForm", "Choisissez au moins un public."),
    "participants": QT_TRANSLATE_NOOP("SessionForm", "Le nombre de participants n'est pas valable."),
    "byAge": QT_TRANSLATE_NOOP("SessionForm", "Les nombres par âge ne sont pas valables."),
    "duration": QT_TRANSLATE_NOOP("SessionForm", "La durée doit aller de 1 minute à 24 heures."),
    "partner": QT_TRANSLATE_NOOP("SessionForm", "La structure partenaire n'est pas valable."),
    "equipment": QT_TRANSLATE_NOOP("SessionForm", "Le matériel n'est pas valable."),
    "mediator": QT_TRANSLATE_NOOP("SessionForm", "Indiquez le nom du médiateur ou de la médiatrice."),
    "notes": QT_TRANSLATE_NOOP("SessionForm", "Les notes ne sont pas valables."),
}
_TOO_LONG = QT_TRANSLATE_NOOP("SessionForm", "Ce texte est trop long : %1 caractères au plus.")
_TOO_MANY = QT_TRANSLATE_NOOP("SessionForm", "Trop d'éléments : %1 au plus.")
_BY_AGE_OVER = QT_TRANSLATE_NOOP("SessionForm", "Le total par âge (%1) dépasse le nombre de participants (%2).")
_CHECK_FIELDS = QT_TRANSLATE_NOOP("SessionForm", "⚠ Vérifiez les champs signalés.")
_STORAGE = QT_TRANSLATE_NOOP(
    "SessionForm",
    "⚠ La séance n'a pas pu être enregistrée. Rien n'est perdu : réessayez ; si cela recommence, prévenez la médiathèque.",  # noqa: E501
)
_READ_FAILED = QT_TRANSLATE_NOOP("SessionForm", "⚠ Le journal du bus n'a pas pu être lu. Réessayez dans un moment.")
_GONE = QT_TRANSLATE_NOOP("SessionForm", "⚠ Cette séance a été supprimée : elle ne peut plus être modifiée.")
_SAVED = QT_TRANSLATE_NOOP("SessionForm", "Séance enregistrée")
_UPDATED = QT_TRANSLATE_NOOP("SessionForm", "Séance modifiée")
_UNCHANGED = QT_TRANSLATE_NOOP("SessionForm", "Aucun changement")
_TODAY = QT_TRANSLATE_NOOP("SessionForm", "Aujourd'hui")
_YESTERDAY = QT_TRANSLATE_NOOP("SessionForm", "Hier")
_DAY_AT = QT_TRANSLATE_NOOP("SessionForm", "%1 à %2")  # "jeudi 26 novembre à 14 h 05"
_HINT_DAY = QT_TRANSLATE_NOOP("SessionForm", "%1, %2")  # "Aujourd'hui, jeudi 26 novembre à 14 h 05"
_SEP = " · "
_FAVOURITE_SAVED = QT_TRANSLATE_NOOP("SessionForm", "Favori « %1 » enregistré.")
_FAVOURITE_DELETED = QT_TRANSLATE_NOOP("SessionForm", "Favori « %1 » supprimé.")
_FAVOURITE_FULL = QT_TRANSLATE_NOOP("SessionForm", "⚠ Douze favoris au plus : supprimez-en un d'abord.")
_FAVOURITE_NEEDS = QT_TRANSLATE_NOOP("SessionForm", "⚠ Pour un favori, choisissez au moins une activité et un public.")
_FAVOURITE_NAME = QT_TRANSLATE_NOOP("SessionForm", "⚠ Donnez un nom au favori.")
_FAVOURITE_STORAGE = QT_TRANSLATE_NOOP(
    "SessionForm", "⚠ Le favori n'a pas pu être enregistré. Réessayez dans un moment."
)
_FAVOURITE_DELETE_FAILED = QT_TRANSLATE_NOOP(
    "SessionForm", "⚠ Le favori n'a pas pu être supprimé. Réessayez dans un moment."
)
_FAVOURITE_NO_MEDIATOR = QT_TRANSLATE_NOOP("SessionForm", "⚠ Indiquez d'abord votre nom : les favoris sont à chacun.")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def date_text(moment: datetime, today: date) -> str:
    """ "Aujourd'hui, jeudi 26 novembre à 14 h 05"; "lundi 23 novembre à 9 h" further back."""
    text = _tr(_DAY_AT).replace("%1", day_text(moment.date(), today)).replace("%2", french_clock(moment))
    hint = {today: _TODAY, today - timedelta(days=1): _YESTERDAY}.get(moment.date())
    return _tr(_HINT_DAY).replace("%1", _tr(hint)).replace("%2", text) if hint else text


def summary_text(data: dict) -> str:
    """One line saying what a session or template is: "café tablette · seniors · 8 participants"."""
    parts = [data.get("activity") or "", ", ".join(data.get("publics") or [])]
    if "participants" in data:
        parts.append(participants_text(int(data["participants"])))
    if data.get("place"):
        parts.append(data["place"])
    return _SEP.join(part for part in parts if part)


def error_key(exc: JournalError) -> str:
    """The form field a JournalError of the journal is about ("" when it names none)."""
    message = str(exc)
    for field, key in FIELD_KEYS.items():  # participants_by_age is tried before participants
        if message.startswith(field) or f" {field}" in message.split(";")[0]:
            return key
    return ""


def error_text(key: str, exc: JournalError | None = None) -> str:
    """The French text shown beside field `key` for a refused value."""
    message = str(exc) if exc is not None else ""
    if "characters" in message:
        limit = journal_sessions.NOTES_MAX if key == "notes" else journal_sessions.LINE_MAX
        return _tr(_TOO_LONG).replace("%1", str(limit))
    if "at most" in message and "entries" in message:
        return _tr(_TOO_MANY).replace("%1", str(journal_sessions.LIST_MAX))
    return _tr(MESSAGES.get(key, MESSAGES["notes"]))


def _extend(base, *extra) -> list:
    """`base` then the values of `extra` it lacks, order kept."""
    out = list(base)
    for values in extra:
        for value in values:
            if value and value not in out:
                out.append(value)
    return out


# =============================================================================== the form


@QmlElement
@QmlUncreatable("SessionForm is created by the application and passed to Main.qml.")
class SessionForm(QObject):
    """The form of "Noter une séance" / "Modifier la séance" (see the module docstring)."""

    changed = Signal()
    choicesChanged = Signal()
    favouritesChanged = Signal()
    errorsChanged = Signal()
    stateChanged = Signal()
    # The values were replaced as a whole (new form, session to edit, repeat): text editors
    # that do not bind (the notes' TextArea) take them again.
    loaded = Signal()
    # A session was written: its id and True for an edit (SessionsModel reloads).
    saved = Signal(str, bool)

    def __init__(self, mediator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._lists = mediator.lists
        self._passages: list[Passage] = []
        self._recent_places: list[str] = []
        self._choices: dict[str, list] = {}
        self._favourites: list[favourite_store.Favourite] = []
        self._reset_state()
        self._choices = self._compute_choices()
        mediator.unlockedChanged.connect(self._follow_lock)
        mediator.mediatorChanged.connect(self._follow_mediator)
        mediator.listsChanged.connect(self._follow_lists)

    # ------------------------------------------------------------ state
    def _reset_state(self) -> None:
        self._moment: datetime | None = None
        self._data: dict = {
            "place": "",
            "activity": "",
            "publics": [],
            "participants": 0,
            "duration_min": defaults.default_duration(self._lists.durations),
            "partner": None,
            "mediator": "",
            "notes": "",
        }
        self._by_age_on = False
        self._age_counts: dict[str, int] = {}
        self._equipment: dict[str, int | None] = {}
        self._other_equipment = ""
        self._place_auto = True
        self._name_typed = False
        self._applied = ""
        self._editing = False
        self._session_id = ""
        self._last: dict | None = None
        self._errors: dict[str, str] = {}
        self._problem = ""
        self._saved_text = ""
        self._saved_summary = ""
        self._favourite_message = ""

    def _notify_all(self) -> None:
        self._update_choices()
        self.changed.emit()
        self.errorsChanged.emit()
        self.stateChanged.emit()
        self.loaded.emit()

    def _now(self) -> datetime:
        return self._mediator.now()

    def _today(self) -> date:
        return self._mediator.today()

    def _clear_error(self, *keys: str) -> None:
        removed = [key for key in keys if key in self._errors]
        for key in removed:
            del self._errors[key]
        if removed or self._problem:
            if not self._errors:
                self._problem = ""
                self.stateChanged.emit()
            self.errorsChanged.emit()

    def _set(self, field: str, value, key: str) -> None:
        self._data[field] = value
        self._clear_error(key)
        self.changed.emit()

    # ------------------------------------------------------------ reading what the form needs
    def _read_context(self, db) -> None:
        """The schedule, the last session and recent places (one short read)."""
        today = self._today()
        self._passages = defaults.read_stops(self._mediator.data_dir, today - timedelta(days=1))
        last = journal_sessions.last_session(db)
        self._last = last.data() if last is not None else None
        rows = db.execute(
            "SELECT place FROM sessions WHERE deleted = 0 ORDER BY rowid DESC LIMIT ?", [RECENT_PLACES]
        ).fetchall()
        self._recent_places = _extend([], [row[0] for row in rows])

    def _load_favourites(self) -> None:
        name = self._data.get("mediator") or ""
        found: list[favourite_store.Favourite] = []
        if name and self._mediator.property("unlocked"):
            try:
                found = favourite_store.list_favourites(self._mediator.journal(), name)
            except MediatorLocked:
                found = []
            except (sqlite3.Error, OSError) as exc:
                log.error("the favourites could not be read: %s", type(exc).__name__)
        if [f.to_dict() for f in found] != [f.to_dict() for f in self._favourites]:
            self._favourites = found
            self.favouritesChanged.emit()

    def _load(self, data: dict, moment: datetime) -> None:
        """Put a whole contract dict into the form."""
        self._moment = moment
        self._data = {
            "place": data.get("place") or "",
            "activity": data.get("activity") or "",
            "publics": list(data.get("publics") or []),
            "participants": int(data.get("participants") or 0),
            "duration_min": int(data.get("duration_min") or defaults.default_duration(self._lists.durations)),
            "partner": data.get("partner") or None,
            "mediator": data.get("mediator") or "",
            "notes": data.get("notes") or "",
        }
        by_age = data.get("participants_by_age") or {}
        self._by_age_on = bool(by_age)
        self._age_counts = {group: int(count) for group, count in by_age.items()}
        self._equipment, others = defaults.parse_equipment(data.get("equipment") or [], self._lists.equipment)
        self._other_equipment = ", ".join(others)
        self._errors, self._problem = {}, ""
        self._saved_text = self._saved_summary = self._favourite_message = ""

    # ------------------------------------------------------------ opening the form
    @Slot()
    def startNew(self) -> None:  # noqa: N802 (Qt API)
        """A fresh form with its defaults (when the screen opens, and "Noter une autre séance")."""
        try:
            db = self._mediator.journal()
            self._read_context(db)
        except MediatorLocked:
            self.clear()
            return
        except (sqlite3.Error, OSError) as exc:
            log.error("the journal could not be read for the session form: %s", type(exc).__name__)
            self._last, self._recent_places = None, []
        moment = self._now()
        data = defaults.new_session(
            moment,
            passages=self._passages,
            last_place=self._last["place"] if self._last else None,
            mediator=self._mediator.property("mediator") or "",
            durations=self._lists.durations,
        )
        self._editing, self._session_id = False, ""
        self._place_auto, self._name_typed, self._applied = True, False, ""
        self._load(data, datetime.fromisoformat(data["started_at"]))
        self._load_favourites()
        self._notify_all()

    @Slot(str, result=bool)
    def edit(self, session_id: str) -> bool:
        """Open the recorded session `session_id` for changes; False (and `problem`) if it is gone."""
        try:
            db = self._mediator.journal()
            session = journal_sessions.get_session(db, session_id)
            self._read_context(db)
        except MediatorLocked:
            self.clear()
            return False
        except (sqlite3.Error, OSError) as exc:
            log.error("session %s could not be read: %s", session_id, type(exc).__name__)
            self._problem = _tr(_READ_FAILED)
            self.stateChanged.emit()
            return False
        if session is None or session.deleted:
            self._reset_state()
            self._problem = _tr(_GONE)
            self._notify_all()
            return False
        self._editing, self._session_id = True, session.id
        self._place_auto, self._name_typed, self._applied = False, True, ""
        self._load(session.data(), datetime.fromisoformat(session.started_at))
        self._load_favourites()
        self._notify_all()
        return True

    @Slot()
    def repeatLast(self) -> None:  # noqa: N802 (Qt API)
        """Everything from the last session, but now, today's stop and no notes."""
        if self._last is None:
            return
        moment = self._now()
        name = self._data.get("mediator") or self._mediator.property("mediator") or ""
        data = defaults.repeat_session(self._last, moment, passages=self._passages, mediator=name)
        self._place_auto, self._applied = True, ""
        self._load(data, datetime.fromisoformat(data["started_at"]))
        self._load_favourites()
        self._notify_all()

    @Slot(str)
    def applyFavourite(self, favourite_id: str) -> None:  # noqa: N802 (Qt API)
        """Fill the template fields from one of the mediator's favourites."""
        found = next((f for f in self._favourites if f.id == favourite_id), None)
        if found is None or self._moment is None:
            return
        data = defaults.apply_template(self._contract(), found.data)
        notes = self._data["notes"]
        self._load(data, self._moment)
        self._data["notes"] = notes
        self._applied = found.id
        self._update_choices()
        self.changed.emit()
        self.errorsChanged.emit()
        self.stateChanged.emit()

    # ------------------------------------------------------------ the contract
    def _equipment_list(self) -> list[str]:
        items = [defaults.equipment_text(name, self._equipment[name]) for name in self._equipment_order()]
        items += [part.strip() for part in self._other_equipment.split(",") if part.strip()]
        return _extend([], items)

    def _equipment_order(self) -> list[str]:
        return [name for name in _extend(self._lists.equipment, self._equipment) if name in self._equipment]

    def _by_age_dict(self) -> dict | None:
        if not self._by_age_on:
            return None
        groups = {group: count for group, count in self._age_counts.items() if count > 0}
        return groups or None

    def _contract(self) -> dict:
        moment = self._moment or self._now()
        return {
            "started_at": moment.isoformat(),
            "duration_min": self._data["duration_min"],
            "place": self._data["place"],
            "activity": self._data["activity"],
            "publics": list(self._data["publics"]),
            "participants": self._data["participants"],
            "participants_by_age": self._by_age_dict(),
            "partner": self._data["partner"],
            "equipment": self._equipment_list(),
            "mediator": self._data["mediator"],
            "notes": self._data["notes"],
        }

    def _check(self, data: dict) -> dict[str, str]:
        """The French errors of the fields, checked here before the journal sees them."""
        errors: dict[str, str] = {}
        line_max = journal_sessions.LINE_MAX
        too_long = _tr(_TOO_LONG).replace("%1", str(line_max))
        for field, key in (("place", "place"), ("mediator", "mediator")):
            text = " ".join(data[field].split())
            if not text:
                errors[key] = _tr(MESSAGES[key])
            elif len(text) > line_max:
                errors[key] = too_long
        if not data["activity"].strip():
            errors["activity"] = _tr(MESSAGES["activity"])
        if not data["publics"]:
            errors["publics"] = _tr(MESSAGES["publics"])
        if not 1 <= data["duration_min"] <= journal_sessions.DURATION_MAX:
            errors["duration"] = _tr(MESSAGES["duration"])
        if data["partner"] and len(" ".join(data["partner"].split())) > line_max:
            errors["partner"] = too_long
        if any(len(item) > line_max for item in data["equipment"]):
            errors["equipment"] = too_long
        if len(data["notes"]) > journal_sessions.NOTES_MAX:
            errors["notes"] = _tr(_TOO_LONG).replace("%1", str(journal_sessions.NOTES_MAX))
        total = sum((data["participants_by_age"] or {}).values())
        if total > data["participants"]:
            errors["byAge"] = _tr(_BY_AGE_OVER).replace("%1", str(total)).replace("%2", str(data["participants"]))
        return errors

    def _refuse(self, errors: dict[str, str]) -> bool:
        self._errors = errors
        self._problem = _tr(_CHECK_FIELDS)
        self.errorsChanged.emit()
        self.stateChanged.emit()
        return False

    # ------------------------------------------------------------ saving
    @Slot(result=bool)
    def save(self) -> bool:
        """Write the session (one transaction with its outbox event); False with the reasons shown."""
        if self._moment is None:
            return False
        data = self._contract()
        errors = self._check(data)
        if errors:
            return self._refuse(errors)
        now = self._now()
        try:
            db = self._mediator.journal()
            if self._editing:
                before = journal_sessions.get_session(db, self._session_id)
                session = journal_sessions.update_session(db, self._session_id, data, now=now)
                changed = before is None or session.version != before.version
            else:
                session = journal_sessions.add_session(db, data, now=now)
                changed = True
        except MediatorLocked:
            self.clear()
            return False
        except JournalError as exc:
            key = error_key(exc)
            if not key:
                self._problem = _tr(_GONE) if self._editing else _tr(_STORAGE)
                log.warning("session not saved: %s", exc)
                self.stateChanged.emit()
                return False
            return self._refuse({key: error_text(key, exc)})
        except (sqlite3.Error, OSError) as exc:
            log.error("session not saved: %s", type(exc).__name__)
            self._problem = _tr(_STORAGE)
            self.stateChanged.emit()
            return False
        if not self._editing and session.mediator != self._mediator.property("mediator"):
            self._mediator.setMediator(session.mediator)  # a name typed in the form: the one logging now
        if changed:
            action = "session.updated" if self._editing else "session.created"
            self._mediator.audit(action, target=session.id)
        self._mediator.note_known(session.mediator)
        self._last = session.data()
        self._errors, self._problem = {}, ""
        self._saved_text = _tr(_UNCHANGED if not changed else _UPDATED if self._editing else _SAVED)
        self._saved_summary = date_text(datetime.fromisoformat(session.started_at), self._today())
        self._saved_summary += "\n" + summary_text(session.data())
        self.errorsChanged.emit()
        self.stateChanged.emit()
        self.saved.emit(session.id, self._editing)
        return True

    # ------------------------------------------------------------ favourites
    def _favourite_suggestion(self) -> str:
        parts = [self._data["activity"], self._data["partner"] or ""]
        return " – ".join(part for part in parts if part)[: favourite_store.LABEL_MAX].strip()

    @Slot(str, result=bool)
    def saveFavourite(self, label: str) -> bool:  # noqa: N802 (Qt API)
        """Keep the template fields as the mediator's favourite `label` (the suggestion when blank)."""
        name = " ".join(str(label).split()) or self._favourite_suggestion()
        who = self._data["mediator"].strip()
        data = self._contract()
        template = {field: data[field] for field in favourite_store.TEMPLATE_FIELDS}
        if not who:
            message = _tr(_FAVOURITE_NO_MEDIATOR)
        elif not data["activity"].strip() or not data["publics"]:
            message = _tr(_FAVOURITE_NEEDS)
        elif not name:
            message = _tr(_FAVOURITE_NAME)
        else:
            try:
                saved = favourite_store.save_favourite(self._mediator.journal(), who, name, template, now=self._now())
            except MediatorLocked:
                self.clear()
                return False
            except JournalError as exc:
                full = "at most" in str(exc) and "favourites" in str(exc)
                key = error_key(exc)
                message = _tr(_FAVOURITE_FULL) if full else "⚠ " + error_text(key or "activity", exc)
            except (sqlite3.Error, OSError) as exc:
                log.error("favourite not saved: %s", type(exc).__name__)
                message = _tr(_FAVOURITE_STORAGE)
            else:
                self._mediator.audit("favourite.saved", target=saved.id)
                self._applied = saved.id
                self._favourite_message = _tr(_FAVOURITE_SAVED).replace("%1", saved.label)
                self._load_favourites()
                self.changed.emit()
                self.stateChanged.emit()
                return True
        self._favourite_message = message
        self.stateChanged.emit()
        return False

    @Slot(str)
    def deleteFavourite(self, favourite_id: str) -> None:  # noqa: N802 (Qt API)
        found = next((f for f in self._favourites if f.id == favourite_id), None)
        if found is None:
            return
        try:
            deleted = favourite_store.delete_favourite(self._mediator.journal(), favourite_id)
        except MediatorLocked:
            self.clear()
            return
        except (sqlite3.Error, OSError) as exc:
            log.error("favourite not deleted: %s", type(exc).__name__)
            self._favourite_message = _tr(_FAVOURITE_DELETE_FAILED)
            self.stateChanged.emit()
            return
        if deleted:
            self._mediator.audit("favourite.deleted", target=favourite_id)
            self._favourite_message = _tr(_FAVOURITE_DELETED).replace("%1", found.label)
        if self._applied == favourite_id:
            self._applied = ""
            self.changed.emit()
        self._load_favourites()
        self.stateChanged.emit()

    # ------------------------------------------------------------ editing the fields
    def _set_moment(self, moment: datetime) -> None:
        self._moment = moment
        if self._place_auto:
            place = defaults.default_place(self._passages, moment, self._last["place"] if self._last else None)
            if place != self._data["place"]:
                self._data["place"] = place
                self._clear_error("place")
        self._clear_error("startedAt")
        self._update_choices()
        self.changed.emit()

    @Slot(int)
    def shiftMinutes(self, minutes: int) -> None:  # noqa: N802 (Qt API)
        """−15 min, +15 min, −1 h, +1 h."""
        if self._moment is not None:
            self._set_moment(self._moment + timedelta(minutes=int(minutes)))

    @Slot()
    def setYesterday(self) -> None:  # noqa: N802 (Qt API)
        """The same time yesterday (a session logged the next morning)."""
        if self._moment is not None:
            yesterday = self._today() - timedelta(days=1)
            self._set_moment(self._moment.replace(year=yesterday.year, month=yesterday.month, day=yesterday.day))

    @Slot()
    def setNow(self) -> None:  # noqa: N802 (Qt API)
        if self._moment is not None:
            self._set_moment(defaults.round_down(self._now()))

    @Slot(str)
    def setPlace(self, text: str) -> None:  # noqa: N802 (Qt API)
        if text != self._data["place"]:
            self._place_auto = False
            self._set("place", text, "place")

    @Slot(str)
    def setActivity(self, name: str) -> None:  # noqa: N802 (Qt API)
        if name != self._data["activity"]:
            self._set("activity", name, "activity")

    @Slot(str)
    def togglePublic(self, name: str) -> None:  # noqa: N802 (Qt API)
        chosen = list(self._data["publics"])
        if name in chosen:
            chosen.remove(name)
        elif name:
            chosen.append(name)
        self._set("publics", chosen, "publics")

    @Slot(int)
    def setParticipants(self, count: int) -> None:  # noqa: N802 (Qt API)
        count = max(0, min(PARTICIPANTS_MAX, int(count)))
        if count != self._data["participants"]:
            self._data["participants"] = count
            self._clear_error("participants", "byAge")
            self.changed.emit()

    @Slot(int)
    def stepParticipants(self, delta: int) -> None:  # noqa: N802 (Qt API)
        self.setParticipants(self._data["participants"] + int(delta))

    @Slot(bool)
    def setByAge(self, on: bool) -> None:  # noqa: N802 (Qt API)
        """Show (and record) the participants by age group, or not."""
        if bool(on) != self._by_age_on:
            self._by_age_on = bool(on)
            self._clear_error("byAge")
            self.changed.emit()

    @Slot(str, int)
    def stepAge(self, group: str, delta: int) -> None:  # noqa: N802 (Qt API)
        """One more (or fewer) participant of `group`; the total follows when it is passed."""
        count = max(0, min(PARTICIPANTS_MAX, self._age_counts.get(group, 0) + int(delta)))
        self._age_counts[group] = count
        total = sum(self._age_counts.values())
        if total > self._data["participants"]:
            self._data["participants"] = min(PARTICIPANTS_MAX, total)
        self._clear_error("byAge", "participants")
        self.changed.emit()

    @Slot(int)
    def setDuration(self, minutes: int) -> None:  # noqa: N802 (Qt API)
        minutes = max(1, min(journal_sessions.DURATION_MAX, int(minutes)))
        if minutes != self._data["duration_min"]:
            self._set("duration_min", minutes, "duration")

    @Slot(int)
    def stepDuration(self, delta: int) -> None:  # noqa: N802 (Qt API)
        """−15 min / +15 min; never under 5 minutes."""
        self.setDuration(max(5, self._data["duration_min"] + int(delta)))

    @Slot(str)
    def setPartner(self, text: str) -> None:  # noqa: N802 (Qt API)
        value = text or None
        if value != self._data["partner"]:
            self._set("partner", value, "partner")

    @Slot(str)
    def togglePartner(self, name: str) -> None:  # noqa: N802 (Qt API)
        """A partner chip: chosen, or cleared when touched again."""
        self.setPartner("" if self._data["partner"] == name else name)

    @Slot(str)
    def toggleEquipment(self, name: str) -> None:  # noqa: N802 (Qt API)
        if name in self._equipment:
            del self._equipment[name]
        elif name:
            self._equipment[name] = max(1, self._data["participants"]) if defaults.is_counted(name) else None
        self._clear_error("equipment")
        self.changed.emit()

    @Slot(str, int)
    def stepEquipment(self, name: str, delta: int) -> None:  # noqa: N802 (Qt API)
        """One more (or fewer) tablet; at least one while the chip is on."""
        if name in self._equipment:
            self._equipment[name] = max(1, min(COUNT_MAX, (self._equipment[name] or 0) + int(delta)))
            self.changed.emit()

    @Slot(str)
    def setOtherEquipment(self, text: str) -> None:  # noqa: N802 (Qt API)
        if text != self._other_equipment:
            self._other_equipment = text
            self._clear_error("equipment")
            self.changed.emit()

    @Slot(str)
    def setMediatorName(self, name: str) -> None:  # noqa: N802 (Qt API)
        """The name typed in the form (remembered for the mode once the session is saved)."""
        if name != self._data["mediator"]:
            self._name_typed = True
            self._set("mediator", name, "mediator")
            self._load_favourites()

    @Slot(str)
    def chooseMediator(self, name: str) -> None:  # noqa: N802 (Qt API)
        """A name chip: the mediator logging now (new sessions), or this session's (editing)."""
        self.setMediatorName(name)
        if not self._editing and name:
            self._name_typed = False
            self._mediator.setMediator(name)

    @Slot(str)
    def setNotes(self, text: str) -> None:  # noqa: N802 (Qt API)
        if text != self._data["notes"]:
            self._set("notes", text, "notes")

    # ------------------------------------------------------------ the mode
    @Slot()
    def clear(self) -> None:
        """Forget everything shown (the mode locked)."""
        self._reset_state()
        self._passages, self._recent_places = [], []
        if self._favourites:
            self._favourites = []
            self.favouritesChanged.emit()
        self._notify_all()

    # Slots, not plain methods: connecting a signal to a plain method gives this object a
    # metaobject of its own, which QML may confuse with a freed one at the same address.
    @Slot()
    def _follow_lock(self) -> None:
        if not self._mediator.property("unlocked"):
            self.clear()

    @Slot()
    def _follow_mediator(self) -> None:
        if self._moment is not None and not self._editing and not self._name_typed:
            name = self._mediator.property("mediator") or ""
            if name != self._data["mediator"]:
                self._data["mediator"] = name
                self._clear_error("mediator")
                self._load_favourites()
                self.changed.emit()

    # ------------------------------------------------------------ chips
    def _compute_choices(self) -> dict[str, list]:
        lists = self._lists
        by_age = self._age_counts
        return {
            "activities": _extend(lists.activities, [self._data["activity"]]),
            "publics": _extend(lists.publics, self._data["publics"]),
            "age_groups": _extend(lists.age_groups, by_age),
            "durations": [{"minutes": m, "text": defaults.duration_text(m)} for m in lists.durations],
            "partners": list(lists.partners),
            "equipment": [
                {"name": name, "counted": defaults.is_counted(name)}
                for name in _extend(lists.equipment, self._equipment)
            ],
            "mediators": list(self._mediator.property("mediators") or []),
            "places": defaults.place_choices(self._passages, self._moment or self._now(), self._recent_places)
            if self._moment is not None
            else [],
        }

    @Slot()
    def _follow_lists(self) -> None:
        """The lists changed (a sync): the choices offered follow; what is typed stays."""
        self._lists = self._mediator.lists
        self._update_choices()

    def _update_choices(self) -> None:
        choices = self._compute_choices()
        if choices != self._choices:
            self._choices = choices
            self.choicesChanged.emit()

    # ------------------------------------------------------------ properties
    def _started_at(self) -> str:
        return self._moment.isoformat() if self._moment is not None else ""

    def _date_text(self) -> str:
        return date_text(self._moment, self._today()) if self._moment is not None else ""

    def _equipment_counts(self) -> dict:
        return {name: count for name, count in self._equipment.items() if count is not None}

    def _favourite_rows(self) -> list[dict]:
        return [{"id": f.id, "label": f.label, "text": summary_text(f.data)} for f in self._favourites]

    startedAt = Property(str, _started_at, notify=changed)
    dateText = Property(str, _date_text, notify=changed)
    place = Property(str, lambda self: self._data["place"], notify=changed)
    activity = Property(str, lambda self: self._data["activity"], notify=changed)
    publics = Property(list, lambda self: list(self._data["publics"]), notify=changed)
    participants = Property(int, lambda self: self._data["participants"], notify=changed)
    byAgeOn = Property(bool, lambda self: self._by_age_on, notify=changed)
    byAge = Property("QVariantMap", lambda self: dict(self._age_counts), notify=changed)
    byAgeTotal = Property(int, lambda self: sum(self._age_counts.values()), notify=changed)
    durationMin = Property(int, lambda self: self._data["duration_min"], notify=changed)
    durationText = Property(str, lambda self: defaults.duration_text(self._data["duration_min"]), notify=changed)
    partner = Property(str, lambda self: self._data["partner"] or "", notify=changed)
    equipmentOn = Property(list, lambda self: list(self._equipment), notify=changed)
    equipmentCounts = Property("QVariantMap", _equipment_counts, notify=changed)
    equipment = Property(list, _equipment_list, notify=changed)
    otherEquipment = Property(str, lambda self: self._other_equipment, notify=changed)
    mediatorName = Property(str, lambda self: self._data["mediator"], notify=changed)
    notes = Property(str, lambda self: self._data["notes"], notify=changed)
    appliedFavourite = Property(str, lambda self: self._applied, notify=changed)
    favouriteSuggestion = Property(str, _favourite_suggestion, notify=changed)

    activities = Property(list, lambda self: self._choices["activities"], notify=choicesChanged)
    publicChoices = Property(list, lambda self: self._choices["publics"], notify=choicesChanged)
    ageGroups = Property(list, lambda self: self._choices["age_groups"], notify=choicesChanged)
    durations = Property(list, lambda self: self._choices["durations"], notify=choicesChanged)
    partners = Property(list, lambda self: self._choices["partners"], notify=choicesChanged)
    equipmentChoices = Property(list, lambda self: self._choices["equipment"], notify=choicesChanged)
    placeChoices = Property(list, lambda self: self._choices["places"], notify=choicesChanged)
    mediatorChoices = Property(list, lambda self: self._choices["mediators"], notify=choicesChanged)
    participantPicks = Property(list, lambda self: list(defaults.PARTICIPANT_PICKS), constant=True)

    favourites = Property(list, _favourite_rows, notify=favouritesChanged)

    errors = Property("QVariantMap", lambda self: dict(self._errors), notify=errorsChanged)
    firstError = Property(
        str, lambda self: next((k for k in ERROR_ORDER if k in self._errors), ""), notify=errorsChanged
    )

    ready = Property(bool, lambda self: self._moment is not None, notify=stateChanged)
    problem = Property(str, lambda self: self._problem, notify=stateChanged)
    editing = Property(bool, lambda self: self._editing, notify=stateChanged)
    sessionId = Property(str, lambda self: self._session_id, notify=stateChanged)
    canRepeat = Property(bool, lambda self: self._last is not None and not self._editing, notify=stateChanged)
    repeatText = Property(str, lambda self: summary_text(self._last) if self._last else "", notify=stateChanged)
    savedText = Property(str, lambda self: self._saved_text, notify=stateChanged)
    savedSummary = Property(str, lambda self: self._saved_summary, notify=stateChanged)
    favouriteMessage = Property(str, lambda self: self._favourite_message, notify=stateChanged)
