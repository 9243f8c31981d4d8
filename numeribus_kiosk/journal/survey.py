"""The annual survey's categories: which mediation sessions count where (issue 4, item 6).

The départemental libraries answer each year the "enquête annuelle" of the Ministère de la
Culture (Observatoire de la lecture publique): how many cultural actions, how many for
"publics empêchés", out of the walls, with partners...  A *survey mapping* (a TOML file,
documented in docs/survey-mapping.md) says which sessions count in which category:

```toml
[[category]]
id = "publics_empeches"                       # a-z, 0-9 and _, unique in the file
label = "Publics empêchés (handicap, ...)"    # French, as on the questionnaire
publics = ["seniors / EHPAD", "personnes DYS", "malvoyants"]
# other rules: activities = [...], with_partner = true, all = true
```

A session belongs to a category when **any** of its rules matches: its activity is one of
``activities``, one of its publics is one of ``publics``, it has a partner (``with_partner``),
or always (``all``).  Names are compared ignoring case, accents and repeated blanks
(`numeribus_kiosk.catalogue.text.fold`).  A session may belong to several categories.

Which file is used (`mapping_path`): the one given (``--mapping FILE``), else
``DATA_DIR/survey-mapping.toml`` when the bus has one, else the default shipped in
``assets/survey-mapping.toml``.  A bus's own file that is malformed is an error, never silently
replaced by the default: the figures would be wrong without anyone knowing.

API (no Qt):

- ``load_mapping(path) -> SurveyMapping``; a malformed file raises `SurveyMappingError` (a
  `JournalError`) whose message names the file, the line when it can be found, and what is wrong;
- ``mapping_path(data_dir, override=None) -> Path`` and ``load_mapping_for(data_dir, override=None)``;
- ``categories_of(session, mapping) -> list[str]``: the ids of the session's categories;
- ``survey_totals(sessions, mapping) -> list[SurveyTotal]``: (id, label, sessions, participants)
  per category, in the file's order; deleted sessions (tombstones) never count.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..catalogue.text import fold
from .requests import JournalError
from .sessions import Session

MAPPING_FILE = "survey-mapping.toml"
DEFAULT_MAPPING = Path(__file__).resolve().parents[2] / "assets" / MAPPING_FILE

ID_PATTERN = re.compile(r"[a-z0-9_]{1,40}")
LABEL_MAX = 200
CATEGORY_KEYS = ("id", "label", "activities", "publics", "with_partner", "all")
RULE_KEYS = ("activities", "publics", "with_partner", "all")


class SurveyMappingError(JournalError):
    """A survey mapping file that cannot be used: `path`, `line` (or None) and `problem`."""

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line else str(self.path)
        super().__init__(f"{where}: {problem}")


def _key(text: str) -> str:
    """How names are compared: folded (case, accents, ligatures) with blanks collapsed."""
    return " ".join(fold(text).split())


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: str
    activities: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    with_partner: bool = False
    all: bool = False
    # the rules' names as compared (`_key`), computed once
    activity_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    public_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "activity_keys", frozenset(_key(a) for a in self.activities))
        object.__setattr__(self, "public_keys", frozenset(_key(p) for p in self.publics))

    def matches(self, session: Session) -> bool:
        """True when any rule of this category matches `session`."""
        if self.all:
            return True
        if self.with_partner and session.partner:
            return True
        if self.activities and _key(session.activity) in self.activity_keys:
            return True
        return bool(self.public_keys) and any(_key(public) in self.public_keys for public in session.publics)


@dataclass(frozen=True, slots=True)
class SurveyMapping:
    categories: tuple[Category, ...]
    source: Path

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(category.id for category in self.categories)

    def names(self) -> tuple[set[str], set[str]]:
        """(activities, publics) named by the rules, as written: to check them against the kiosk's lists."""
        activities = {name for category in self.categories for name in category.activities}
        publics = {name for category in self.categories for name in category.publics}
        return activities, publics


class SurveyTotal(NamedTuple):
    id: str
    label: str
    sessions: int
    participants: int


# --- reading a mapping file -------------------------------------------------------------------


class _Lines:
    """Finds where things are in the TOML text, for error messages (best effort)."""

    _HEADER = re.compile(r"^\s*\[\[\s*category\s*\]\]")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [number for number, line in enumerate(self.lines, 1) if self._HEADER.match(line)]

    def category(self, index: int) -> int | None:
        return self.headers[index] if index < len(self.headers) else None

    def key(self, index: int, key: str) -> int | None:
        """The line of `key = ...` inside the `index`-th [[category]] table (or at top level for -1)."""
        if index < 0:
            start, end = 0, self.headers[0] - 1 if self.headers else len(self.lines)
        else:
            start = self.category(index)
            if start is None:
                return None
            following = [h for h in self.headers if h > start]
            end = following[0] - 1 if following else len(self.lines)
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
        for number in range(start + 1, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start or None


def _names(value: object, path: Path, key: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SurveyMappingError(path, f'{key} must be a list of texts, e.g. {key} = ["..."]', line)
    names = tuple(" ".join(item.split()) for item in value)
    if any(not name for name in names):
        raise SurveyMappingError(path, f"{key} holds an empty text", line)
    return names


def _category(raw: object, index: int, path: Path, where: _Lines, seen: dict[str, int]) -> Category:
    number = index + 1
    line = where.category(index)
    if not isinstance(raw, dict):
        raise SurveyMappingError(path, f"category {number} must be a table ([[category]])", line)
    unknown = [key for key in raw if key not in CATEGORY_KEYS]
    if unknown:
        raise SurveyMappingError(
            path,
            f"unknown key {unknown[0]!r} in category {number}; known keys: {', '.join(CATEGORY_KEYS)}",
            where.key(index, unknown[0]),
        )
    category_id = raw.get("id")
    if category_id is None:
        raise SurveyMappingError(path, f"category {number} has no id", line)
    if not isinstance(category_id, str) or not ID_PATTERN.fullmatch(category_id):
        raise SurveyMappingError(
            path,
            f'the id of category {number} must be 1 to 40 lower-case letters a-z, digits or _ (e.g. "hors_les_murs")',
            where.key(index, "id"),
        )
    if category_id in seen:
        raise SurveyMappingError(
            path,
            f"the id {category_id!r} is used twice (categories {seen[category_id]} and {number})",
            where.key(index, "id"),
        )
    label = raw.get("label")
    if label is None:
        raise SurveyMappingError(path, f"category {category_id!r} has no label", line)
    if not isinstance(label, str) or not " ".join(label.split()):
        raise SurveyMappingError(
            path, f"the label of category {category_id!r} must be a non-empty text", where.key(index, "label")
        )
    label = " ".join(label.split())
    if len(label) > LABEL_MAX:
        raise SurveyMappingError(
            path,
            f"the label of category {category_id!r} is longer than {LABEL_MAX} characters",
            where.key(index, "label"),
        )
    flags = {}
    for key in ("with_partner", "all"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise SurveyMappingError(
                path, f"{key} must be true or false (category {category_id!r})", where.key(index, key)
            )
        flags[key] = value
    lists = {
        key: _names(raw[key], path, f"{key} (category {category_id!r})", where.key(index, key)) if key in raw else ()
        for key in ("activities", "publics")
    }
    if not (flags["all"] or flags["with_partner"] or lists["activities"] or lists["publics"]):
        raise SurveyMappingError(
            path,
            f"category {category_id!r} has no rule: give activities = [...], publics = [...], "
            "with_partner = true or all = true",
            line,
        )
    seen[category_id] = number
    return Category(category_id, label, lists["activities"], lists["publics"], flags["with_partner"], flags["all"])


def load_mapping(path: str | Path) -> SurveyMapping:
    """Read and check a survey mapping file; raises `SurveyMappingError` naming what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SurveyMappingError(path, "no such file") from exc
    except OSError as exc:
        raise SurveyMappingError(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SurveyMappingError(path, "not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        raise SurveyMappingError(path, f"not valid TOML ({exc})", int(found.group(1)) if found else None) from exc
    where = _Lines(text)
    unknown = [key for key in data if key != "category"]
    if unknown:
        raise SurveyMappingError(
            path, f"unknown key {unknown[0]!r}; the file holds only [[category]] tables", where.key(-1, unknown[0])
        )
    raw_categories = data.get("category")
    if raw_categories is None or raw_categories == []:
        raise SurveyMappingError(path, "no category: add at least one [[category]] table")
    if not isinstance(raw_categories, list):
        raise SurveyMappingError(
            path, "category must be written [[category]] (a list of tables)", where.key(-1, "category")
        )
    seen: dict[str, int] = {}
    categories = tuple(_category(raw, index, path, where, seen) for index, raw in enumerate(raw_categories))
    return SurveyMapping(categories, path)


def mapping_path(data_dir: str | Path | None, override: str | Path | None = None) -> Path:
    """The mapping file to use: `override`, else DATA_DIR/survey-mapping.toml if present, else the default."""
    if override is not None:
        return Path(override)
    if data_dir is not None:
        own = Path(data_dir) / MAPPING_FILE
        if own.exists():
            return own
    return DEFAULT_MAPPING


def load_mapping_for(data_dir: str | Path | None, override: str | Path | None = None) -> SurveyMapping:
    """`load_mapping(mapping_path(data_dir, override))`."""
    return load_mapping(mapping_path(data_dir, override))


# --- counting ---------------------------------------------------------------------------------


def categories_of(session: Session, mapping: SurveyMapping) -> list[str]:
    """The ids of the categories `session` belongs to, in the mapping's order."""
    return [category.id for category in mapping.categories if category.matches(session)]


def survey_totals(sessions: Iterable[Session], mapping: SurveyMapping) -> list[SurveyTotal]:
    """Per category of `mapping` (in its order): how many sessions belong to it, and their participants.

    Deleted sessions (tombstones) are ignored.  A session counts once in each of its categories.
    """
    counts = {category.id: [0, 0] for category in mapping.categories}
    for session in sessions:
        if session.deleted:
            continue
        for category_id in categories_of(session, mapping):
            counts[category_id][0] += 1
            counts[category_id][1] += session.participants
    return [SurveyTotal(c.id, c.label, *counts[c.id]) for c in mapping.categories]
