"""The lists the mediator picks from when logging a session (issue 4, item 2).

Activities, publics, age groups, partner structures, equipment, the bus's mediators and the
quick-pick durations come from the ``[lists]`` table of ``config.toml`` (headquarters will sync
them later), with the defaults below when a key is absent.  A key of the wrong type is reported
and its default kept: a bad list never stops the kiosk.

```toml
[lists]
activities = ["atelier tablette", "café tablette", ...]
publics = ["seniors / EHPAD", ...]
age_groups = ["moins de 12 ans", "12-17 ans", "18-59 ans", "60 ans et plus"]
partners = ["EHPAD", "mairie", "école", "ADAPEI", ...]
equipment = ["tablettes", "imprimante 3D", ...]
mediators = ["Camille", "Karim"]
durations = [30, 60, 90, 120]          # minutes, for the one-tap duration buttons
```

A list is used as written (order kept, blank entries and repeats dropped); every entry is at most
200 characters, as the journal requires.  No Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import read_config, string_list

log = logging.getLogger(__name__)

DEFAULT_ACTIVITIES = (
    "atelier tablette",
    "café tablette",
    "initiation impression 3D / fablab",
    "accompagnement aux démarches en ligne",
    "lecture et écoute numériques",
    "jeux vidéo",
    "autre",
)
DEFAULT_PUBLICS = (
    "seniors / EHPAD",
    "personnes DYS",
    "malvoyants",
    "personnes en situation de handicap (ADAPEI...)",
    "enfants",
    "adolescents",
    "adultes",
    "familles / intergénérationnel",
    "tout public",
)
DEFAULT_AGE_GROUPS = ("moins de 12 ans", "12-17 ans", "18-59 ans", "60 ans et plus")
DEFAULT_PARTNERS = (
    "EHPAD",
    "mairie",
    "école",
    "collège",
    "centre social",
    "ADAPEI",
    "bibliothèque du réseau",
    "France Services",
)
DEFAULT_EQUIPMENT = ("tablettes", "imprimante 3D", "liseuses", "casque de réalité virtuelle", "console de jeux")
DEFAULT_DURATIONS = (30, 60, 90, 120)

ENTRY_MAX = 200
DURATION_MAX = 24 * 60


def _clean(values: tuple[str, ...]) -> tuple[str, ...]:
    kept: list[str] = []
    for value in values:
        text = " ".join(value.split())[:ENTRY_MAX]
        if text and text not in kept:
            kept.append(text)
    return tuple(kept)


@dataclass(frozen=True, slots=True)
class MediatorLists:
    activities: tuple[str, ...] = DEFAULT_ACTIVITIES
    publics: tuple[str, ...] = DEFAULT_PUBLICS
    age_groups: tuple[str, ...] = DEFAULT_AGE_GROUPS
    partners: tuple[str, ...] = DEFAULT_PARTNERS
    equipment: tuple[str, ...] = DEFAULT_EQUIPMENT
    mediators: tuple[str, ...] = ()
    durations: tuple[int, ...] = DEFAULT_DURATIONS
    problems: tuple[str, ...] = field(default=(), compare=False)


_TEXT_LISTS = ("activities", "publics", "age_groups", "partners", "equipment", "mediators")


def load_lists(data_dir: Path) -> MediatorLists:
    """The lists of `config.toml`'s ``[lists]`` table in `data_dir`, defaults for what is absent or bad."""
    data, problems = read_config(data_dir)
    values: dict = {}
    for name in _TEXT_LISTS:
        found = string_list(data, ("lists", name), problems)
        if found is not None:
            cleaned = _clean(found)
            if cleaned or name == "mediators":
                values[name] = cleaned
            else:
                problems.append(f"config.toml: lists.{name} is empty; the default is used")
                log.warning(problems[-1])
    durations = data.get("lists", {}).get("durations") if isinstance(data.get("lists"), dict) else None
    if durations is not None:
        if (
            isinstance(durations, list)
            and durations
            and all(isinstance(d, int) and not isinstance(d, bool) and 0 < d <= DURATION_MAX for d in durations)
        ):
            values["durations"] = tuple(dict.fromkeys(durations))
        else:
            problems.append(
                f"config.toml: lists.durations must be a list of minutes between 1 and {DURATION_MAX}; "
                "the default is used"
            )
            log.warning(problems[-1])
    return MediatorLists(**values, problems=tuple(problems))
