"""The bus's settings: `config.toml` in the data directory, every key optional.

A missing file means the defaults.  A file that cannot be parsed, or a key of the
wrong type, is logged and replaced by its default: a bad setting never stops the
kiosk.  The keys are documented in docs/configuration.md.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue.record import ReaderOptions

log = logging.getLogger(__name__)

CONFIG_FILE = "config.toml"
_DEFAULT_OPTIONS = ReaderOptions()


@dataclass(slots=True)
class Settings:
    bus_locations: tuple[str, ...] = tuple(sorted(_DEFAULT_OPTIONS.bus_locations))
    dys_publishers: tuple[str, ...] = _DEFAULT_OPTIONS.dys_publishers
    dys_subjects: tuple[str, ...] = _DEFAULT_OPTIONS.dys_subjects
    dys_call_number_prefixes: tuple[str, ...] = _DEFAULT_OPTIONS.dys_call_number_prefixes
    problems: list[str] = field(default_factory=list)  # what was ignored, in plain words

    def reader_options(self) -> ReaderOptions:
        return ReaderOptions(
            bus_locations=frozenset(self.bus_locations),
            dys_publishers=self.dys_publishers,
            dys_subjects=self.dys_subjects,
            dys_call_number_prefixes=self.dys_call_number_prefixes,
        )


# key path in the TOML file -> attribute of Settings
_STRING_LISTS = {
    ("catalogue", "bus_locations"): "bus_locations",
    ("catalogue", "dys", "publishers"): "dys_publishers",
    ("catalogue", "dys", "subjects"): "dys_subjects",
    ("catalogue", "dys", "call_number_prefixes"): "dys_call_number_prefixes",
}


def _lookup(data: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def read_config(data_dir: Path) -> tuple[dict, list[str]]:
    """The parsed `config.toml` of `data_dir` ({} when absent) and the problems met reading it.

    A file that cannot be read or parsed gives {} and one problem (also logged): its
    defaults are used."""
    path = Path(data_dir) / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"{path}: cannot be read ({exc}); defaults are used"
        log.warning(problem)
        return {}, [problem]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        problem = f"{path}: not valid TOML ({exc}); defaults are used"
        log.warning(problem)
        return {}, [problem]


def string_list(data: dict, key_path: tuple[str, ...], problems: list[str]) -> tuple[str, ...] | None:
    """The list of strings at `key_path` in `data` (a lone string counts as a list of one), or None
    when absent; a value of another type is reported in `problems` (and logged) and gives None."""
    value = _lookup(data, key_path)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{CONFIG_FILE}: {'.'.join(key_path)} must be a list of strings; the default is used")
        log.warning(problems[-1])
        return None
    return tuple(value)


def load_settings(data_dir: Path) -> Settings:
    """Read `config.toml` from `data_dir`; anything unusable is logged and defaulted."""
    settings = Settings()
    data, settings.problems = read_config(data_dir)
    for key_path, attribute in _STRING_LISTS.items():
        value = string_list(data, key_path, settings.problems)
        if value is not None:
            setattr(settings, attribute, value)
    return settings
