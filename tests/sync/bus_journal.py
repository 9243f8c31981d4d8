"""A real bus journal for the headquarters tests: events made by the kiosk's own journal code.

``BusJournal(folder)`` opens journal.db with `numeribus_kiosk.store.open_journal_db`; sessions,
requests, opinions, offers and usage counters are recorded with the kiosk's journal functions,
and ``pending()`` gives the outbox events as the sync agent sends them (``dataclasses.asdict`` of
`outbox.OutboxEvent`).  So what headquarters is tested with is what a bus really writes.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from numeribus_kiosk import store
from numeribus_kiosk.journal import feedback, outbox, requests, sessions
from numeribus_kiosk.journal.outbox import event_hash
from sync import protocol
from sync.server import devices
from sync.server.state import HQ

PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 16, 0, tzinfo=PARIS)


def session_data(**overrides) -> dict:
    data = {
        "started_at": "2026-11-26T14:00:00+01:00",
        "duration_min": 90,
        "place": "Noirétable, Place de l'Église",
        "activity": "atelier tablette",
        "publics": ["seniors / EHPAD"],
        "participants": 8,
        "participants_by_age": {"60-79": 5, "80+": 3},
        "partner": "EHPAD Les Tilleuls",
        "equipment": ["tablettes x6"],
        "mediator": "Camille",
        "notes": "Bonne séance.",
    }
    data.update(overrides)
    return data


class BusJournal:
    def __init__(self, folder: Path) -> None:
        self.db = store.open_journal_db(Path(folder))
        self.device_id = outbox.device_id(self.db)

    def close(self) -> None:
        self.db.close()

    def add_session(self, now: datetime = NOW, **overrides) -> sessions.Session:
        return sessions.add_session(self.db, session_data(**overrides), now=now)

    def add_request(self, name: str = "Zoé Martin", contact: str = "06 12 34 56 78", now: datetime = NOW, **kw):
        args = {"record_id": "rec-1", "title": "Le Petit Prince", "stop": "Noirétable", **kw}
        return requests.add_request(self.db, args["record_id"], args["title"], name, contact, args["stop"], True, now)

    def add_feedback(self, score: int = 5, text: str = "Merci !", wished=("tablette",), now: datetime = NOW):
        return feedback.add_feedback(self.db, score, text, wished, now=now)

    def add_offer(self, name: str = "Jean Dupont", contact: str = "jean@example.org", now: datetime = NOW):
        return feedback.add_volunteer_offer(self.db, name, contact, "Initiation à la photo numérique", True, now)

    def pending(self, limit: int = 500) -> list[dict]:
        """The outbox events not acknowledged, as the agent sends them."""
        return [dataclasses.asdict(event) for event in outbox.pending(self.db, limit)]

    def all_events(self) -> list[dict]:
        """Every outbox row as it is now (payloads purged of personal data once acknowledged)."""
        rows = self.db.execute(
            "SELECT seq, device_id, kind, entity_id, device_time, payload, hash FROM outbox ORDER BY seq"
        ).fetchall()
        return [
            {
                "seq": r[0],
                "device_id": r[1],
                "kind": r[2],
                "entity_id": r[3],
                "device_time": r[4],
                "payload": json.loads(r[5]),
                "hash": r[6],
            }
            for r in rows
        ]


def forge(
    device_id: str, seq: int, kind: str, entity_id: str, payload: dict, device_time: str = "2026-11-26T15:00:00+00:00"
):
    """An event with a correct hash for whatever content is given (to test refusals past the hash)."""
    return {
        "seq": seq,
        "device_id": device_id,
        "kind": kind,
        "entity_id": entity_id,
        "device_time": device_time,
        "payload": payload,
        "hash": event_hash(device_id, seq, kind, entity_id, device_time, payload),
    }


def enrol_directly(hq: HQ, name: str, device_id: str) -> devices.Device:
    """Register a bus at `hq` through the real pairing-code functions, without HTTP."""
    db, now = hq.db(), hq.now()
    code, _ = devices.add_device_code(db, name, now, 24)
    public_key = protocol.public_text(protocol.generate_key())
    devices.enrol(db, hq, device_id, public_key, protocol.enrol_proof(code, device_id, public_key), now)
    return devices.get_device(db, device_id)
