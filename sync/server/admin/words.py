"""French words the admin site shows for the bus's codes (the same words as on the bus's screens)."""

from __future__ import annotations

# The five faces of the opinion screen (numeribus_kiosk/ui/visitor_records.py, AvisScreen.qml).
SCORE_WORDS = {
    5: "Très content",
    4: "Content",
    3: "Moyennement content",
    2: "Pas content",
    1: "Pas content du tout",
}

# numeribus_kiosk.catalogue.schedule.WORKSHOP_KINDS as the bus names them (ui/schedule_models.py).
WORKSHOP_LABELS = {
    "tablette": "Ateliers tablettes",
    "cafe_tablette": "Cafés tablettes",
    "fablab_3d": "Mini fablab, impression 3D",
    "demarches": "Démarches en ligne",
    "lecture_numerique": "Lecture numérique",
    "jeux_video": "Jeux vidéo",
    "autre": "Autre atelier",
}

# Kinds of `devices.raise_alarm` alarms.
ALARM_KINDS = {
    "sequence_conflict": "Conflit de numéro de séquence",
    "wrong_device": "Évènements au nom d’un autre appareil",
}
