"""The bus's settings: `config.toml` in the data directory, every key optional.

``[catalogue]`` (its locations, the DYS rules) and ``[sync]`` (how the sync agent reaches
headquarters: `SyncSettings`); ``[lists]`` is read by `numeribus_kiosk.mediator.lists`.

A missing file means the defaults.  A file that cannot be parsed, or a key of the
wrong type, is logged and replaced by its default: a bad setting never stops the
kiosk.  The keys are documented in docs/configuration.md.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from .branding import (
    ARTICLES,
    COLOUR_KEYS,
    DEFAULT_NAME,
    LOGO_MAX_BYTES,
    LOGO_SUFFIXES,
    NAME_MAX,
    Branding,
    accent_problem,
    normal_colour,
)
from .catalogue.record import ReaderOptions

log = logging.getLogger(__name__)

CONFIG_FILE = "config.toml"
_DEFAULT_OPTIONS = ReaderOptions()


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """The ``[sync]`` table: how the kiosk's sync agent reaches headquarters (docs/configuration.md)."""

    # Headquarters' address reachable over the internet (4G): the agent then tries by itself,
    # periodically, and uses it when no headquarters was found on the local network.
    hq_url: str | None = None
    period_minutes: float = 15.0  # between two rounds after a success (> 0)
    retry_max_minutes: float = 60.0  # the longest wait after failures (>= 1)
    # A round that goes to hq_url does not download a full snapshot (the depot or a stick will).
    defer_snapshots_over_4g: bool = True
    discovery: bool = True  # browse the local network (mDNS) for headquarters
    # The IPv4 addresses of this PC to browse on (its depot Wi-Fi address...); empty: every interface.
    discovery_interfaces: tuple[str, ...] = ()
    watch_devices: bool = True  # watch network links and USB sticks


@dataclass(slots=True)
class Settings:
    bus_locations: tuple[str, ...] = tuple(sorted(_DEFAULT_OPTIONS.bus_locations))
    dys_publishers: tuple[str, ...] = _DEFAULT_OPTIONS.dys_publishers
    dys_subjects: tuple[str, ...] = _DEFAULT_OPTIONS.dys_subjects
    dys_call_number_prefixes: tuple[str, ...] = _DEFAULT_OPTIONS.dys_call_number_prefixes
    sync: SyncSettings = field(default_factory=SyncSettings)
    bus_code: str = ""  # [bus] code: a short code of this bus, in the names of the files it writes
    branding: Branding = field(default_factory=Branding)  # [branding]: the service's name, logo, colours
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


_SYNC_KEYS = frozenset(f.name for f in fields(SyncSettings))


def _problem(problems: list[str], text: str) -> None:
    problems.append(f"{CONFIG_FILE}: {text}")
    log.warning(problems[-1])


def headquarters_url(value: str) -> str | None:
    """`value` as headquarters' address, ``http(s)://HOST[:PORT][/PREFIX]`` without a trailing
    slash (``HOST:PORT`` alone gets ``http://``), or None when it is not one.  The rule of
    `sync.agent.enrol.normalise_url`, without importing the sync agent."""
    text = value.strip()
    if text and "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return None
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    return text.rstrip("/")


def _minutes(table: dict, key: str, minimum: float, strict: bool, default: float, problems: list[str]) -> float:
    value = table.get(key, default)
    ok = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value > minimum if strict else value >= minimum)
    )
    if ok:
        return float(value)
    bound = f"greater than {minimum:g}" if strict else f"at least {minimum:g}"
    _problem(problems, f"sync.{key} must be a number of minutes {bound}; the default ({default:g}) is used")
    return default


def _ipv4(text: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(text.strip()), ipaddress.IPv4Address)
    except ValueError:
        return False


def _flag(table: dict, key: str, default: bool, problems: list[str]) -> bool:
    value = table.get(key, default)
    if isinstance(value, bool):
        return value
    _problem(problems, f"sync.{key} must be true or false; the default ({str(default).lower()}) is used")
    return default


def sync_settings(data: dict, problems: list[str]) -> SyncSettings:
    """The ``[sync]`` table of the parsed config; what is unusable is reported in `problems`
    (and logged) and defaulted."""
    default = SyncSettings()
    table = data.get("sync", {})
    if not isinstance(table, dict):
        _problem(problems, "sync must be a table ([sync]); the defaults are used")
        return default
    for key in table:
        if key not in _SYNC_KEYS:
            _problem(problems, f"sync.{key} is not a known setting; it is ignored")
    hq_url = table.get("hq_url")
    if hq_url is not None:
        if not isinstance(hq_url, str):
            _problem(problems, "sync.hq_url must be a string (http://HOST:PORT); none is used")
            hq_url = None
        elif not hq_url.strip():
            hq_url = None
        else:
            normalised = headquarters_url(hq_url)
            if normalised is None:
                _problem(
                    problems, f"sync.hq_url {hq_url!r} is not a headquarters address (http://HOST:PORT); none is used"
                )
            hq_url = normalised
    interfaces = tuple(a.strip() for a in string_list(data, ("sync", "discovery_interfaces"), problems) or ())
    if not all(_ipv4(address) for address in interfaces):
        _problem(problems, "sync.discovery_interfaces must be a list of IPv4 addresses; every interface is used")
        interfaces = ()
    return SyncSettings(
        hq_url=hq_url,
        period_minutes=_minutes(table, "period_minutes", 0, True, default.period_minutes, problems),
        retry_max_minutes=_minutes(table, "retry_max_minutes", 1, False, default.retry_max_minutes, problems),
        defer_snapshots_over_4g=_flag(table, "defer_snapshots_over_4g", default.defer_snapshots_over_4g, problems),
        discovery=_flag(table, "discovery", default.discovery, problems),
        discovery_interfaces=interfaces,
        watch_devices=_flag(table, "watch_devices", default.watch_devices, problems),
    )


def load_settings(data_dir: Path) -> Settings:
    """Read `config.toml` from `data_dir`; anything unusable is logged and defaulted."""
    settings = Settings()
    data, settings.problems = read_config(data_dir)
    for key_path, attribute in _STRING_LISTS.items():
        value = string_list(data, key_path, settings.problems)
        if value is not None:
            setattr(settings, attribute, value)
    settings.sync = sync_settings(data, settings.problems)
    settings.bus_code = bus_code(data, settings.problems)
    settings.branding = branding_settings(data, Path(data_dir), settings.problems)
    return settings


BUS_CODE_MAX = 16


def bus_code(data: dict, problems: list[str]) -> str:
    """``[bus] code``: 1 to 16 ASCII letters, digits, ``-`` or ``_`` ("NB42"); "" when absent or unusable."""
    value = _lookup(data, ("bus", "code"))
    if value is None:
        return ""
    text = value.strip() if isinstance(value, str) else None
    if text is None or not re.fullmatch(rf"[A-Za-z0-9_-]{{1,{BUS_CODE_MAX}}}", text):
        _problem(
            problems,
            f"bus.code must be 1 to {BUS_CODE_MAX} letters, digits, - or _ (like NB42); no bus code is used",
        )
        return ""
    return text


def branding_settings(data: dict, base_dir: Path, problems: list[str]) -> Branding:
    """``[branding]`` of a parsed config.toml; `base_dir` is the folder relative logo paths start from.

    A value that cannot be used is reported in `problems` (and logged) and its default kept."""
    table = data.get("branding")
    if table is None:
        return Branding()
    if not isinstance(table, dict):
        _problem(problems, "[branding] must be a table; the defaults are used")
        return Branding()
    values: dict[str, object] = {}
    known = [f.name for f in fields(Branding)]
    for key in table:
        if key not in known:
            _problem(problems, f"branding.{key} is not a known key ({', '.join(known)}); ignored")

    name = table.get("name")
    if name is not None:
        text = " ".join(name.split()) if isinstance(name, str) else ""
        if 1 <= len(text) <= NAME_MAX:
            values["name"] = text
        else:
            _problem(problems, f"branding.name must be a text of 1 to {NAME_MAX} characters; {DEFAULT_NAME!r} is used")
    article = table.get("article")
    if article is not None:
        text = article.strip().lower().replace("’", "'") if isinstance(article, str) else None
        if text in ARTICLES:
            values["article"] = text
        else:
            _problem(problems, 'branding.article must be "le", "la", "l\'", "les" or ""; "le" is used')
    elif "name" in values:
        _problem(problems, 'branding.name is set without branding.article; "le" is assumed')

    logo = table.get("logo")
    if logo is not None:
        values["logo"] = _logo(logo, base_dir, problems)
    for key in COLOUR_KEYS:
        if key not in table:
            continue
        colour = normal_colour(table[key])
        if colour is None:
            _problem(problems, f'branding.{key} must be a colour like "#0B5CAD"; the theme\'s own colour is used')
            continue
        why = accent_problem(key, colour)
        if why is not None:
            _problem(problems, why)
            continue
        values[key] = colour
    return Branding(**values)


def _logo(value: object, base_dir: Path, problems: list[str]) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        _problem(problems, "branding.logo must be the path of an image file; no logo is shown")
        return None
    path = Path(value.strip()).expanduser()
    if not path.is_absolute():
        path = Path(base_dir) / path
    if path.suffix.lower() not in LOGO_SUFFIXES:
        _problem(problems, f"branding.logo {path}: must be a PNG, JPEG or SVG file; no logo is shown")
        return None
    try:
        size = path.stat().st_size
    except OSError as exc:
        _problem(problems, f"branding.logo {path}: cannot be read ({exc.strerror}); no logo is shown")
        return None
    if not path.is_file() or size == 0 or size > LOGO_MAX_BYTES:
        _problem(problems, f"branding.logo {path}: must be a non-empty file of at most 2 MB; no logo is shown")
        return None
    return path
