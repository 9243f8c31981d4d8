"""The lists the mediator picks from when logging a session (issue 4, item 2).

Activities, publics, age groups, partner structures, equipment, the bus's mediators and the
quick-pick durations come, list by list, from the first of:

1. the list headquarters published (a ``list`` entity of the sync, stored in catalogue.db's
   ``published_lists`` by `numeribus_kiosk.catalogue.changes`);
2. the ``[lists]`` table of ``config.toml`` in the data directory;
3. the defaults below.

A list of the wrong type, or empty (except ``mediators``), is reported in ``problems`` and the
next source is used: a bad list never stops the kiosk.  catalogue.db is only read (never created
or migrated here); when it is absent, or holds no published list, config.toml decides.

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
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue.changes import published_lists
from ..settings import read_config, string_list
from ..store import catalogue_path

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


def _read_published(data_dir: Path, problems: list[str]) -> dict[str, list]:
    """The lists headquarters published, read from catalogue.db (read-only); {} when there is none."""
    path = catalogue_path(data_dir)
    if not path.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        problems.append(f"{path}: headquarters' lists cannot be read ({exc}); config.toml is used")
        log.warning(problems[-1])
        return {}
    try:
        return published_lists(conn)
    except sqlite3.Error as exc:
        problems.append(f"{path}: headquarters' lists cannot be read ({exc}); config.toml is used")
        log.warning(problems[-1])
        return {}
    finally:
        conn.close()


def _durations(value: object) -> tuple[int, ...] | None:
    if (
        isinstance(value, list)
        and value
        and all(isinstance(d, int) and not isinstance(d, bool) and 0 < d <= DURATION_MAX for d in value)
    ):
        return tuple(dict.fromkeys(value))
    return None


def _published_text(name: str, value: object, problems: list[str]) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"headquarters' list {name} is not a list of texts; config.toml or the default is used")
        log.warning(problems[-1])
        return None
    cleaned = _clean(tuple(value))
    if not cleaned and name != "mediators":
        problems.append(f"headquarters' list {name} is empty; config.toml or the default is used")
        log.warning(problems[-1])
        return None
    return cleaned


def load_lists(data_dir: Path, *, published: Mapping[str, object] | None = None) -> MediatorLists:
    """The lists for the bus whose data directory is `data_dir`: headquarters' published lists, else
    config.toml's ``[lists]``, else the defaults, list by list (see the module docstring).

    `published`: headquarters' lists ({name: items}) when the caller already has them; None reads
    them from `data_dir`'s catalogue.db (pass ``{}`` to use config.toml and the defaults only)."""
    data, problems = read_config(data_dir)
    if published is None:
        published = _read_published(Path(data_dir), problems)
    values: dict = {}
    for name in _TEXT_LISTS:
        if name in published:
            chosen = _published_text(name, published[name], problems)
            if chosen is not None:
                values[name] = chosen
                continue
        found = string_list(data, ("lists", name), problems)
        if found is not None:
            cleaned = _clean(found)
            if cleaned or name == "mediators":
                values[name] = cleaned
            else:
                problems.append(f"config.toml: lists.{name} is empty; the default is used")
                log.warning(problems[-1])
    if "durations" in published:
        chosen = _durations(published["durations"])
        if chosen is not None:
            values["durations"] = chosen
        else:
            problems.append(
                f"headquarters' list durations must be minutes between 1 and {DURATION_MAX}; "
                "config.toml or the default is used"
            )
            log.warning(problems[-1])
    durations = data.get("lists", {}).get("durations") if isinstance(data.get("lists"), dict) else None
    if durations is not None and "durations" not in values:
        chosen = _durations(durations)
        if chosen is not None:
            values["durations"] = chosen
        else:
            problems.append(
                f"config.toml: lists.durations must be a list of minutes between 1 and {DURATION_MAX}; "
                "the default is used"
            )
            log.warning(problems[-1])
    return MediatorLists(**values, problems=tuple(problems))
