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

The same categories may instead be written in the data directory's ``config.toml`` (the one
settings file of a territory, docs/configuration.md), as ``[[survey.category]]`` tables with the
same keys.  Which mapping is used (`load_mapping_for`, `mapping_path`): the file given
(``--mapping FILE``), else ``DATA_DIR/config.toml``'s ``[[survey.category]]`` tables when it has a
``survey`` table, else ``DATA_DIR/survey-mapping.toml`` when the bus has one, else the default
shipped in ``numeribus_kiosk/assets/survey-mapping.toml``.  A mapping of the bus that is malformed is an error,
never silently replaced by the next one or the default: the figures would be wrong without anyone
knowing.  So is a config.toml that cannot be read or parsed (it may hold the categories), although
the kiosk's other settings then fall back to their defaults.  When config.toml's categories win
over a survey-mapping.toml that is also there, `SurveyMapping.shadowed` names that file, and
`source_text` says it is not used.

API (no Qt):

- ``load_mapping(path) -> SurveyMapping``; a malformed file raises `SurveyMappingError` (a
  `JournalError`) whose message names the file, the line when it can be found, and what is wrong.
  A file named config.toml, or one whose only categories are ``[[survey.category]]`` tables, is
  read as a config.toml: its ``[survey]`` table only;
- ``load_config_mapping(data_dir) -> SurveyMapping | None``: config.toml's categories (None when
  it has no ``survey`` table or there is no config.toml);
- ``mapping_path(data_dir, override=None) -> Path`` and ``load_mapping_for(data_dir, override=None)``;
  ``source_text(mapping)``: where a mapping comes from, for people;
- ``categories_of(session, mapping) -> list[str]``: the ids of the session's categories;
- ``survey_totals(sessions, mapping) -> list[SurveyTotal]``: (id, label, sessions, participants)
  per category, in the file's order; deleted sessions (tombstones) never count.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from .. import ASSETS_DIR
from ..catalogue.text import fold
from ..settings import CONFIG_FILE
from .requests import JournalError
from .sessions import Session

MAPPING_FILE = "survey-mapping.toml"
DEFAULT_MAPPING = ASSETS_DIR / MAPPING_FILE

ID_PATTERN = re.compile(r"[a-z0-9_]{1,40}")
LABEL_MAX = 200
CATEGORY_KEYS = ("id", "label", "activities", "publics", "with_partner", "all")
RULE_KEYS = ("activities", "publics", "with_partner", "all")
SURVEY_TABLE = "survey"  # config.toml: [[survey.category]]


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
    source: Path  # the file read: a survey mapping file, or a config.toml
    # DATA_DIR/survey-mapping.toml when config.toml's [[survey.category]] tables are used instead of it
    shadowed: Path | None = None

    @property
    def is_default(self) -> bool:
        return self.source == DEFAULT_MAPPING

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


_HEADER = re.compile(r"^\s*(\[\[?)(.*?)(\]\]?)\s*(?:#.*)?$")
_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")


def _header(line: str) -> tuple[bool, tuple[str, ...]] | None:
    """(array of tables?, dotted key) of a TOML table header line, or None for another line."""
    found = _HEADER.match(line)
    if not found or len(found.group(1)) != len(found.group(3)):
        return None
    inner, parts, position = found.group(2), [], 0
    while True:
        part = _KEY_PART.match(inner, position)
        if not part:
            return None
        parts.append(next(group for group in part.groups() if group is not None))
        position = part.end()
        if position == len(inner):
            return len(found.group(1)) == 2, tuple(parts)
        if inner[position] != ".":
            return None
        position += 1


class _Lines:
    """Finds where things are in the TOML text, for error messages (best effort).

    `prefix` is the table the categories sit in: () for a survey mapping file ([[category]]),
    ("survey",) for a config.toml ([[survey.category]])."""

    def __init__(self, text: str, prefix: tuple[str, ...] = ()) -> None:
        self.lines = text.splitlines()
        self.prefix = prefix
        headers = [(number, _header(line)) for number, line in enumerate(self.lines, 1)]
        self.named = [(number, header[1]) for number, header in headers if header is not None]
        self.tables = [number for number, _ in self.named]  # every table header
        self.headers = [number for number, header in headers if header == (True, (*prefix, "category"))]
        owner = [number for number, header in headers if header == (False, prefix)]
        self.owner = owner[0] if owner else None  # the [survey] header

    def category(self, index: int) -> int | None:
        return self.headers[index] if index < len(self.headers) else None

    def _end(self, start: int) -> int:
        following = [number for number in self.tables if number > start]
        return following[0] - 1 if following else len(self.lines)

    def _find(self, start: int, end: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
        for number in range(start + 1, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def top(self, key: str) -> int | None:
        """The line of `key = ...` before the first table header."""
        return self._find(0, self.tables[0] - 1 if self.tables else len(self.lines), key)

    def key(self, index: int, key: str) -> int | None:
        """The line of `key = ...` inside the `index`-th category table, or in the table holding
        the categories for -1 (the top of a mapping file, config.toml's [survey]: there `key` may
        also be a table of its own, [survey.key]); else the line of that table's header."""
        if index < 0:
            table = (*self.prefix, key)
            for number, parts in self.named:
                if parts[: len(table)] == table:
                    return number
            if not self.prefix:
                return self.top(key)
            start = self.owner
        else:
            start = self.category(index)
        if start is None:
            return None
        return self._find(start, self._end(start), key) or start


def _names(value: object, path: Path, key: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SurveyMappingError(path, f'{key} must be a list of texts, e.g. {key} = ["..."]', line)
    names = tuple(" ".join(item.split()) for item in value)
    if any(not name for name in names):
        raise SurveyMappingError(path, f"{key} holds an empty text", line)
    return names


def _table(where: _Lines) -> str:
    return f"[[{'.'.join((*where.prefix, 'category'))}]]"


def _category(raw: object, index: int, path: Path, where: _Lines, seen: dict[str, int]) -> Category:
    number = index + 1
    line = where.category(index)
    if not isinstance(raw, dict):
        raise SurveyMappingError(path, f"category {number} must be a table ({_table(where)})", line)
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


def _read(path: Path) -> tuple[str, dict]:
    """The text and parsed TOML of `path`; `SurveyMappingError` when it cannot be read or parsed."""
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
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        raise SurveyMappingError(path, f"not valid TOML ({exc})", int(found.group(1)) if found else None) from exc


def _categories(raw_categories: object, path: Path, where: _Lines) -> tuple[Category, ...]:
    name = ".".join((*where.prefix, "category"))
    if raw_categories is None or raw_categories == []:
        raise SurveyMappingError(
            path, f"no category: add at least one {_table(where)} table", where.owner if where.prefix else None
        )
    if not isinstance(raw_categories, list):
        raise SurveyMappingError(
            path, f"{name} must be written {_table(where)} (a list of tables)", where.key(-1, "category")
        )
    seen: dict[str, int] = {}
    return tuple(_category(raw, index, path, where, seen) for index, raw in enumerate(raw_categories))


def _mapping_file(path: Path, text: str, data: dict) -> SurveyMapping:
    """A survey mapping file: [[category]] tables and nothing else."""
    where = _Lines(text)
    unknown = [key for key in data if key != "category"]
    if unknown:
        raise SurveyMappingError(
            path, f"unknown key {unknown[0]!r}; the file holds only [[category]] tables", where.key(-1, unknown[0])
        )
    return SurveyMapping(_categories(data.get("category"), path, where), path)


def _config_file(path: Path, text: str, data: dict) -> SurveyMapping:
    """config.toml's [survey] table: [[survey.category]] tables and nothing else (other tables are the settings')."""
    where = _Lines(text, (SURVEY_TABLE,))
    table = data.get(SURVEY_TABLE)
    if table is None:
        raise SurveyMappingError(path, "no survey category: add at least one [[survey.category]] table")
    if not isinstance(table, dict):
        raise SurveyMappingError(
            path, "survey must be a table: write the categories as [[survey.category]] tables", where.top(SURVEY_TABLE)
        )
    unknown = [key for key in table if key != "category"]
    if unknown:
        raise SurveyMappingError(
            path,
            f"unknown key {unknown[0]!r} in [survey]; it holds only [[survey.category]] tables",
            where.key(-1, unknown[0]),
        )
    return SurveyMapping(_categories(table.get("category"), path, where), path)


def _is_config(path: Path, data: dict) -> bool:
    return path.name == CONFIG_FILE or (SURVEY_TABLE in data and "category" not in data)


def load_mapping(path: str | Path) -> SurveyMapping:
    """Read and check a survey mapping file; raises `SurveyMappingError` naming what is wrong.

    A config.toml (by its name, or a file with a ``survey`` table and no top-level ``category``)
    gives its ``[[survey.category]]`` tables; its other tables are the settings' and ignored here."""
    path = Path(path)
    text, data = _read(path)
    return _config_file(path, text, data) if _is_config(path, data) else _mapping_file(path, text, data)


def load_config_mapping(data_dir: str | Path) -> SurveyMapping | None:
    """The ``[[survey.category]]`` tables of `data_dir`/config.toml, or None when there is no
    config.toml or it has no ``survey`` table.  A config.toml that cannot be read or parsed, or
    whose survey part is malformed, raises `SurveyMappingError` (it may hold the categories)."""
    path = Path(data_dir) / CONFIG_FILE
    if not path.exists():
        return None
    text, data = _read(path)
    return _config_file(path, text, data) if SURVEY_TABLE in data else None


def mapping_path(data_dir: str | Path | None, override: str | Path | None = None) -> Path:
    """The file `load_mapping_for` reads: `override`, else DATA_DIR/config.toml when it has a
    ``survey`` table (or cannot be parsed), else DATA_DIR/survey-mapping.toml if present, else the default."""
    if override is not None:
        return Path(override)
    if data_dir is not None:
        config = Path(data_dir) / CONFIG_FILE
        try:
            if load_config_mapping(data_dir) is not None:
                return config
        except SurveyMappingError:
            return config
        own = Path(data_dir) / MAPPING_FILE
        if own.exists():
            return own
    return DEFAULT_MAPPING


def load_mapping_for(data_dir: str | Path | None, override: str | Path | None = None) -> SurveyMapping:
    """The mapping to use: `override`, else config.toml's [[survey.category]], else
    DATA_DIR/survey-mapping.toml, else the default (see the module docstring)."""
    if override is not None:
        return load_mapping(override)
    if data_dir is not None:
        own = Path(data_dir) / MAPPING_FILE
        configured = load_config_mapping(data_dir)
        if configured is not None:
            return replace(configured, shadowed=own) if own.exists() else configured
        if own.exists():
            return load_mapping(own)
    return load_mapping(DEFAULT_MAPPING)


def source_text(mapping: SurveyMapping) -> str:
    """Where `mapping`'s categories come from, for a message: its file, and the file it is used instead of."""
    if mapping.shadowed is None:
        return str(mapping.source)
    return f"{mapping.source} ([[survey.category]]; {mapping.shadowed} is not used)"


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
