"""Headquarters' settings: `config.toml` in the data directory, overridden by the environment.

One config.toml can serve a whole territory, on headquarters and on every bus.  Headquarters
reads the kiosk's `[catalogue]` and `[lists]` tables (docs/configuration.md) for what it
publishes to the buses, `[branding] name` for the admin site's title (`brand_name`: the name
with a capital, "Numéribus" by default) and `[[survey.category]]` for the annual survey's totals
(`numeribus_kiosk.journal.survey`, read when an export is made), plus its own tables:

```toml
[service]
name = "Numéribus — Médiathèque départementale de la Loire"
[server]
host = "127.0.0.1"
port = 8470
trusted_proxies = []     # addresses of a reverse proxy whose X-Forwarded-* headers are believed
[announce]
enabled = true
interfaces = []          # addresses to announce on; empty = every interface
[pairing]
code_hours = 24
[changes]
tombstone_days = 90
[snapshot]
chunk_bytes = 4194304    # uncompressed JSON lines per chunk
[admin]
session_hours = 8
```

Every scalar key of these tables can be overridden by an environment variable
``NUMERIBUS_SYNC_<TABLE>_<KEY>`` (``NUMERIBUS_SYNC_SERVER_PORT=9000``); `interfaces` and
`trusted_proxies` take a comma-separated list.  A value of the wrong type, or a key these tables
do not have (a typo: ``[server] prot``), is reported in `problems` and the default kept.
``[branding] name`` and ``article`` are checked by the kiosk's rules
(`numeribus_kiosk.settings.branding_settings`).

The kiosk's own tables and keys (``[bus]``, ``[sync]``, ``[branding]`` logo and colours) are not
headquarters' business: they are not checked here, so a territory's config.toml gives no warning
at headquarters for a logo that only the buses have; the kiosk reports their problems.  Nor does
the kiosk check headquarters' tables.  `[service] name` is the mDNS announcement's name.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from numeribus_kiosk.branding import Branding
from numeribus_kiosk.catalogue.record import ReaderOptions
from numeribus_kiosk.mediator.lists import MediatorLists, load_lists
from numeribus_kiosk.settings import _STRING_LISTS, Settings, branding_settings, read_config, string_list

log = logging.getLogger(__name__)

ENV_PREFIX = "NUMERIBUS_SYNC_"
DEFAULT_PORT = 8470


@dataclass(frozen=True, slots=True)
class HQConfig:
    service_name: str = "Numéribus — Médiathèque départementale de la Loire"
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    trusted_proxies: tuple[str, ...] = ()
    announce: bool = True
    announce_interfaces: tuple[str, ...] = ()
    pairing_code_hours: int = 24
    tombstone_days: int = 90
    chunk_bytes: int = 4 * 1024 * 1024
    admin_session_hours: int = 8
    brand_name: str = Branding().title  # [branding] name, with a capital: the admin site's title
    reader_options: ReaderOptions = field(default_factory=ReaderOptions)
    lists: MediatorLists = field(default_factory=MediatorLists)
    problems: tuple[str, ...] = ()


# (table, key) in config.toml -> HQConfig attribute
_KEYS = {
    ("service", "name"): "service_name",
    ("server", "host"): "host",
    ("server", "port"): "port",
    ("server", "trusted_proxies"): "trusted_proxies",
    ("announce", "enabled"): "announce",
    ("announce", "interfaces"): "announce_interfaces",
    ("pairing", "code_hours"): "pairing_code_hours",
    ("changes", "tombstone_days"): "tombstone_days",
    ("snapshot", "chunk_bytes"): "chunk_bytes",
    ("admin", "session_hours"): "admin_session_hours",
}
_TABLES = {table for table, _ in _KEYS}
# [branding]: headquarters reads these keys; the kiosk's logo and colours are its own business
_BRANDING_KEYS = ("name", "article")
_POSITIVE = {"port", "pairing_code_hours", "tombstone_days", "chunk_bytes", "admin_session_hours"}


def _from_env(text: str, default: object) -> object:
    if isinstance(default, bool):
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError("expected true or false")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text


def _checked(name: str, value: object, default: object) -> object:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("expected a whole number")
        if name in _POSITIVE and value <= 0:
            raise ValueError("expected a number above 0")
        if name == "port" and value > 65535:
            raise ValueError("a port is at most 65535")
    elif isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of texts")
        value = tuple(value)
    elif not isinstance(value, str) or not value.strip():
        raise ValueError("expected a text")
    return value


def load_config(data_dir: Path, environ: Mapping[str, str] | None = None) -> HQConfig:
    """The settings of `data_dir`/config.toml and the environment; defaults for what is absent or bad."""
    environ = os.environ if environ is None else environ
    data, problems = read_config(Path(data_dir))
    defaults = {f.name: f.default for f in fields(HQConfig) if f.name in _KEYS.values()}
    values: dict[str, object] = {}
    for (table, key), name in _KEYS.items():
        default = defaults[name]
        section = data.get(table)
        candidates: list[tuple[str, object]] = []
        if isinstance(section, dict) and key in section:
            candidates.append((f"config.toml: {table}.{key}", section[key]))
        env_name = f"{ENV_PREFIX}{table}_{key}".upper()
        if env_name in environ:
            try:
                candidates.append((env_name, _from_env(environ[env_name], default)))
            except ValueError as exc:
                problems.append(f"{env_name}: {exc}; ignored")
        for where, raw in candidates:  # the environment comes last and wins
            try:
                values[name] = _checked(name, raw, default)
            except ValueError as exc:
                problems.append(f"{where}: {exc}; ignored")
    for table in sorted(_TABLES):
        section = data.get(table)
        if section is None:
            continue
        if not isinstance(section, dict):
            problems.append(f"config.toml: {table} must be a table ([{table}]); its defaults are used")
            continue
        known = [key for (owner, key) in _KEYS if owner == table]
        problems.extend(
            f"config.toml: {table}.{key} is not a known setting ({', '.join(known)}); ignored"
            for key in section
            if key not in known
        )
    catalogue = Settings()  # only the [catalogue] keys: the kiosk's other tables are the buses' business
    for key_path, attribute in _STRING_LISTS.items():
        found = string_list(data, key_path, problems)
        if found is not None:
            setattr(catalogue, attribute, found)
    branding = data.get("branding")
    if isinstance(branding, dict):
        branding = {key: value for key, value in branding.items() if key in _BRANDING_KEYS}
    brand = branding_settings({} if branding is None else {"branding": branding}, Path(data_dir), problems)
    lists = load_lists(Path(data_dir), published={})  # headquarters publishes lists; it reads none
    problems.extend(lists.problems)
    for problem in problems:
        log.warning(problem)
    return HQConfig(
        **values,
        brand_name=brand.title,
        reader_options=catalogue.reader_options(),
        lists=lists,
        problems=tuple(dict.fromkeys(problems)),
    )
