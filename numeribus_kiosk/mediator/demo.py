"""Example mediation sessions for the screenshots and the accessibility audit (never the bus's journal).

`demo_sessions(now)` gives twelve sessions spread over the four weeks before `now`, at the demo
schedule's communes, with the default activities and publics — enough for the statistics
charts and the sessions list to look as they do after a month on the road.  `load_demo_sessions`
records them with `journal.sessions.add_session` (so with their outbox events): use it only on
a throw-away data directory, as `ui.screen_tour` does.  No Qt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from ..journal import sessions

# (days before now, hour, place, activity, publics, participants, minutes, partner, equipment, mediator)
_SESSIONS = (
    (0, 10, "Boën-sur-Lignon", "café tablette", ["seniors / EHPAD"], 9, 90, "EHPAD", ["6 tablettes"], "Camille"),
    (1, 14, "Noirétable", "atelier tablette", ["adultes", "seniors / EHPAD"], 7, 120, None, ["8 tablettes"], "Karim"),
    (
        2,
        10,
        "Saint-Just-en-Chevalet",
        "initiation impression 3D / fablab",
        ["adolescents"],
        11,
        120,
        "collège",
        ["imprimante 3D"],
        "Karim",
    ),
    (
        3,
        15,
        "Chalmazel-Jeansagnière",
        "lecture et écoute numériques",
        ["personnes DYS", "enfants"],
        6,
        60,
        "école",
        ["liseuses"],
        "Camille",
    ),
    (6, 10, "Saint-Genest-Malifaux", "café tablette", ["seniors / EHPAD"], 12, 90, "EHPAD", ["8 tablettes"], "Camille"),
    (
        8,
        14,
        "Bourg-Argental",
        "accompagnement aux démarches en ligne",
        ["adultes"],
        5,
        60,
        "France Services",
        ["tablettes"],
        "Karim",
    ),
    (9, 10, "Pélussin", "jeux vidéo", ["familles / intergénérationnel"], 14, 120, None, ["console de jeux"], "Karim"),
    (
        13,
        10,
        "Panissières",
        "café tablette",
        ["seniors / EHPAD", "malvoyants"],
        8,
        90,
        "EHPAD",
        ["6 tablettes"],
        "Camille",
    ),
    (15, 14, "Usson-en-Forez", "atelier tablette", ["tout public"], 10, 120, "mairie", ["10 tablettes"], "Camille"),
    (
        20,
        10,
        "Saint-Bonnet-le-Château",
        "initiation impression 3D / fablab",
        ["enfants"],
        12,
        90,
        "centre social",
        ["imprimante 3D"],
        "Karim",
    ),
    (
        22,
        14,
        "Sainte-Croix-en-Jarez",
        "lecture et écoute numériques",
        ["personnes en situation de handicap (ADAPEI...)"],
        7,
        60,
        "ADAPEI",
        ["liseuses"],
        "Camille",
    ),
    (27, 10, "Noirétable", "atelier tablette", ["seniors / EHPAD"], 6, 90, None, ["6 tablettes"], "Karim"),
)


def demo_sessions(now: datetime) -> list[dict]:
    """The example sessions (``journal add`` fields) in the four weeks up to `now` (aware)."""
    found = []
    for days, hour, place, activity, publics, participants, minutes, partner, equipment, mediator in _SESSIONS:
        start = (now - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        if start > now:  # today's session, before its usual hour: it ended just now
            start = now.replace(second=0, microsecond=0) - timedelta(minutes=minutes)
        found.append(
            {
                "started_at": start.isoformat(),
                "duration_min": minutes,
                "place": place,
                "activity": activity,
                "publics": list(publics),
                "participants": participants,
                "partner": partner,
                "equipment": list(equipment),
                "mediator": mediator,
                "notes": "",
            }
        )
    return found


def load_demo_sessions(db: sqlite_utils.Database, now: datetime) -> int:
    """Record the example sessions in `db` (a throw-away journal); returns how many."""
    found = sorted(demo_sessions(now), key=lambda data: data["started_at"])
    for data in found:
        sessions.add_session(db, data, now=now)
    return len(found)


def load_demo_visitor_records(db: sqlite_utils.Database) -> None:
    """Example visitors' records (invented people) for the mediator screens of the screenshots."""
    from ..journal import feedback, requests

    requests.add_request(db, "DEMO-1", "Le Petit Prince", "Jeanne Exemple", "06 00 00 00 00", "Noirétable", True)
    requests.add_request(
        db, "DEMO-2", "Les Misérables (gros caractères)", "Paul Fictif", "paul@example.org", "Boën-sur-Lignon", True
    )
    feedback.add_feedback(db, 5, "Très bon atelier, merci !", ("tablette",))
    feedback.add_feedback(db, 4, "", ("fablab_3d", "jeux_video"))
    feedback.add_volunteer_offer(db, "Marie Modèle", "marie@example.org", "Initiation au tricot connecté", True)
