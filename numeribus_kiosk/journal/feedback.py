"""Visitors' opinions (anonymous) and volunteer offers ("Partager mes savoirs").

- `Feedback` is anonymous: a score out of five faces, an optional text, the kinds of workshop
  the visitor would like.  Nothing identifies the visitor.
- `VolunteerOffer`: an inhabitant offers to lead a workshop.  It carries personal data (name,
  contact) with the same rules as document requests: consent required, never logged, masked in
  ``repr()``, deleted on the bus once headquarters holds it
  (`numeribus_kiosk.journal.requests.purge_acknowledged_personal_data`).

Every record is written in the same transaction as its outbox event ("feedback.created",
"volunteer.created").
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from . import outbox
from .requests import CONTACT_MAX, NAME_MAX, JournalError, check_consent, clean_line, clean_text, timestamp

logger = logging.getLogger(__name__)

SCORES = (1, 2, 3, 4, 5)  # the five faces, from very unhappy to very happy
TEXT_MAX = 1000
TOPIC_MAX = 500
# Same identifiers as numeribus_kiosk.catalogue.schedule.WORKSHOP_KINDS (a test checks it);
# kept here so that the journal does not depend on the catalogue.
WORKSHOP_KINDS = (
    "tablette",
    "cafe_tablette",
    "fablab_3d",
    "demarches",
    "lecture_numerique",
    "jeux_video",
    "autre",
)


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    score: int
    text: str
    wished_workshops: tuple[str, ...]
    created_at: str


@dataclass(frozen=True, slots=True, repr=False)
class VolunteerOffer:
    id: str
    name: str
    contact: str
    topic: str
    consent: bool
    created_at: str
    personal_data_deleted: bool = False

    def __repr__(self) -> str:
        # Name and contact are personal data: never shown, whether or not they were deleted.
        return (
            f"VolunteerOffer(id={self.id!r}, name=<hidden>, contact=<hidden>, topic={self.topic!r}, "
            f"consent={self.consent!r}, created_at={self.created_at!r}, "
            f"personal_data_deleted={self.personal_data_deleted!r})"
        )

    __str__ = __repr__


def _check_score(score: object) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise JournalError("score must be an integer from 1 to 5")
    return score


def _check_wished(wished: object) -> tuple[str, ...]:
    """Known workshop kinds, without duplicates, in the canonical order of WORKSHOP_KINDS."""
    if wished is None:
        return ()
    if isinstance(wished, str) or not isinstance(wished, Iterable):
        raise JournalError("wished must be a collection of workshop kinds, not a single string")
    chosen = set()
    for kind in wished:
        if kind not in WORKSHOP_KINDS:
            raise JournalError(f"unknown workshop kind {kind!r}; expected one of {', '.join(WORKSHOP_KINDS)}")
        chosen.add(kind)
    return tuple(kind for kind in WORKSHOP_KINDS if kind in chosen)


def add_feedback(
    db: sqlite_utils.Database,
    score: int,
    text: str = "",
    wished: Iterable[str] = (),
    now: datetime | None = None,
) -> Feedback:
    """Record an anonymous opinion and its "feedback.created" event in one transaction.

    `score` is 1..5; `text` is optional, at most 1000 characters once control characters and
    surrounding blanks are removed (line breaks are kept); `wished` holds kinds from
    WORKSHOP_KINDS.  Raises `JournalError` otherwise.
    """
    score = _check_score(score)
    text = clean_text(text, "text", max_len=TEXT_MAX)
    wished_kinds = _check_wished(wished)
    now, created_at = timestamp(now)
    feedback = Feedback(str(uuid.uuid4()), score, text, wished_kinds, created_at)
    payload = {
        "id": feedback.id,
        "score": score,
        "text": text,
        "wished_workshops": list(wished_kinds),
        "created_at": created_at,
    }
    with db.atomic():
        db.execute(
            "INSERT INTO feedback (id, score, text, wished_workshops, created_at) VALUES (?, ?, ?, ?, ?)",
            [feedback.id, score, text, json.dumps(list(wished_kinds)), created_at],
        )
        event = outbox.append(db, "feedback.created", feedback.id, payload, now=now)
    logger.info("feedback %s recorded (outbox seq %d)", feedback.id, event.seq)
    return feedback


def list_feedback(db: sqlite_utils.Database) -> list[Feedback]:
    """All opinions, in the order they were given."""
    rows = db.execute("SELECT id, score, text, wished_workshops, created_at FROM feedback ORDER BY rowid").fetchall()
    return [Feedback(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4]) for r in rows]


def add_volunteer_offer(
    db: sqlite_utils.Database,
    name: str,
    contact: str,
    topic: str,
    consent: bool,
    now: datetime | None = None,
) -> VolunteerOffer:
    """Record a volunteer offer and its "volunteer.created" event in one transaction.

    Raises `JournalError` when consent is not exactly True, when the name or the contact is
    missing or longer than 100 characters, or when the topic is missing or longer than 500
    characters (lengths counted after removing control characters and surrounding blanks).
    """
    check_consent(consent)
    name = clean_line(name, "name", max_len=NAME_MAX, required=True)
    contact = clean_line(contact, "contact", max_len=CONTACT_MAX, required=True)
    topic = clean_text(topic, "topic", max_len=TOPIC_MAX, required=True)
    now, created_at = timestamp(now)
    offer = VolunteerOffer(str(uuid.uuid4()), name, contact, topic, True, created_at)
    payload = {
        "id": offer.id,
        "name": name,
        "contact": contact,
        "topic": topic,
        "consent": True,
        "created_at": created_at,
    }
    with db.atomic():
        db.execute(
            "INSERT INTO volunteer_offers (id, name, contact, topic, consent, created_at) VALUES (?, ?, ?, ?, 1, ?)",
            [offer.id, name, contact, topic, created_at],
        )
        event = outbox.append(db, "volunteer.created", offer.id, payload, now=now)
    logger.info("volunteer offer %s recorded (outbox seq %d)", offer.id, event.seq)
    return offer


def list_volunteer_offers(db: sqlite_utils.Database) -> list[VolunteerOffer]:
    """All volunteer offers, in the order they were made."""
    rows = db.execute(
        "SELECT id, name, contact, topic, consent, created_at, personal_data_deleted "
        "FROM volunteer_offers ORDER BY rowid"
    ).fetchall()
    return [VolunteerOffer(r[0], r[1], r[2], r[3], bool(r[4]), r[5], bool(r[6])) for r in rows]
