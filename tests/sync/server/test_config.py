"""sync.server.config: headquarters' config.toml, and one config.toml for a whole territory.

The same file is copied to headquarters and to every bus: neither side reports the other side's
tables, each reports its own mistakes.
"""

from __future__ import annotations

import pytest

from numeribus_kiosk.mediator.lists import load_lists
from numeribus_kiosk.settings import load_settings
from sync.server.config import HQConfig, load_config

# Every table a territory may write, the kiosk's and headquarters'.
TERRITORY = """
[service]
name = "Navette numérique — Médiathèque départementale du Cantal"

[server]
host = "0.0.0.0"
port = 9000
trusted_proxies = ["127.0.0.1"]

[announce]
enabled = false

[pairing]
code_hours = 2

[changes]
tombstone_days = 30

[snapshot]
chunk_bytes = 1048576

[admin]
session_hours = 4

[catalogue]
bus_locations = ["NAVETTE"]

[catalogue.dys]
call_number_prefixes = ["FALC"]

[lists]
activities = ["atelier tablette", "autre"]
mediators = ["Camille"]

[bus]
code = "NAV1"

[sync]
hq_url = "https://siege.example.org:8470"
discovery = false

[branding]
name = "navette numérique"
article = "la"
logo = "navette.png"
accent = "#0B5CAD"
accent_dark = "#8EC5FF"

[[survey.category]]
id = "tout"
label = "Toutes les séances"
all = true
"""


def write(data_dir, text: str):
    data_dir.mkdir(exist_ok=True)
    (data_dir / "config.toml").write_text(text, encoding="utf-8")
    return data_dir


def test_no_file_means_the_defaults(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config == HQConfig()
    assert config.brand_name == "Numéribus" and config.problems == ()


def test_a_territory_file_at_headquarters(tmp_path):
    data_dir = write(tmp_path / "hq", TERRITORY)
    config = load_config(data_dir, environ={})
    assert config.problems == ()  # no logo here, no [bus] nor [sync] nor [survey] business: not reported
    assert config.brand_name == "Navette numérique"
    assert config.service_name == "Navette numérique — Médiathèque départementale du Cantal"
    assert (config.host, config.port, config.trusted_proxies, config.announce) == (
        "0.0.0.0",
        9000,
        ("127.0.0.1",),
        False,
    )
    assert (config.pairing_code_hours, config.tombstone_days, config.chunk_bytes, config.admin_session_hours) == (
        2,
        30,
        1048576,
        4,
    )
    assert config.reader_options.bus_locations == frozenset({"NAVETTE"})
    assert config.reader_options.dys_call_number_prefixes == ("FALC",)
    assert config.lists.activities == ("atelier tablette", "autre") and config.lists.mediators == ("Camille",)


def test_the_same_file_on_a_bus(tmp_path):
    data_dir = write(tmp_path / "bus", TERRITORY)
    (data_dir / "navette.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    settings = load_settings(data_dir)
    assert settings.problems == []  # headquarters' tables are not the kiosk's business
    assert settings.bus_code == "NAV1" and settings.sync.hq_url == "https://siege.example.org:8470"
    assert settings.branding.name == "navette numérique" and settings.branding.logo == data_dir / "navette.png"
    assert load_lists(data_dir, published={}).problems == ()


def test_each_side_reports_its_own_mistakes_only(tmp_path):
    text = (
        TERRITORY.replace("discovery = false", "discovry = false")  # a typo in the kiosk's [sync]
        .replace('code = "NAV1"', 'code = "NAV 1"')  # not a bus code
        .replace('accent = "#0B5CAD"', 'accent = "bleu"')
        .replace("port = 9000", "prot = 9000")  # a typo in headquarters' [server]
        .replace("code_hours = 2", 'code_hours = "2"')
    )
    hq_problems = load_config(write(tmp_path / "hq", text), environ={}).problems
    assert hq_problems == (
        "config.toml: pairing.code_hours: expected a whole number; ignored",
        "config.toml: server.prot is not a known setting (host, port, trusted_proxies); ignored",
    )
    bus_problems = load_settings(write(tmp_path / "bus", text)).problems
    assert any("sync.discovry is not a known setting" in problem for problem in bus_problems)
    assert any("bus.code must be" in problem for problem in bus_problems)
    assert any("branding.accent must be a colour" in problem for problem in bus_problems)
    assert any("branding.logo" in problem for problem in bus_problems)  # no navette.png on this bus
    assert not any(word in problem for problem in bus_problems for word in ("server", "pairing", "prot"))


@pytest.mark.parametrize(
    ("branding", "expected"),
    [
        ('name = "médiabus"\narticle = "le"', "Médiabus"),
        ('name = "  Bibliobus   du Cantal "\narticle = "le"', "Bibliobus du Cantal"),
        ('name = "Numéribus"\narticle = "le"', "Numéribus"),
        ('article = "la"', "Numéribus"),
    ],
)
def test_the_brand_name_is_the_configured_name_with_a_capital(tmp_path, branding, expected):
    config = load_config(write(tmp_path, f"[branding]\n{branding}\n"), environ={})
    assert config.brand_name == expected and config.problems == ()


@pytest.mark.parametrize(
    ("branding", "problem"),
    [
        ("name = 42", "branding.name must be a text of 1 to"),
        ('name = "   "\narticle = "le"', "branding.name must be a text of 1 to"),
        (f'name = "{"x" * 41}"\narticle = "le"', "branding.name must be a text of 1 to"),
        ('name = "médiabus"\narticle = "der"', "branding.article must be"),
    ],
)
def test_a_bad_brand_name_is_reported_and_the_default_kept(tmp_path, branding, problem):
    config = load_config(write(tmp_path, f"[branding]\n{branding}\n"), environ={})
    assert [p for p in config.problems if problem in p] and len(config.problems) == 1
    assert config.brand_name == ("Médiabus" if "médiabus" in branding else "Numéribus")


def test_branding_and_headquarters_tables_that_are_not_tables(tmp_path):
    config = load_config(write(tmp_path, 'branding = "navette"\nserver = 8470\n'), environ={})
    assert config.brand_name == "Numéribus" and config.port == 8470
    assert len(config.problems) == 2
    assert any("[branding] must be a table" in problem for problem in config.problems)
    assert "config.toml: server must be a table ([server]); its defaults are used" in config.problems


def test_the_environment_still_wins(tmp_path):
    config = load_config(write(tmp_path, TERRITORY), environ={"NUMERIBUS_SYNC_SERVER_PORT": "9100"})
    assert config.port == 9100 and config.problems == ()


def test_the_kiosks_catalogue_and_lists_mistakes_are_reported_at_headquarters(tmp_path):
    """Headquarters publishes these: their problems are its own."""
    config = load_config(write(tmp_path, "[catalogue]\nbus_locations = 3\n[lists]\npublics = []\n"), environ={})
    assert config.problems == (
        "config.toml: catalogue.bus_locations must be a list of strings; the default is used",
        "config.toml: lists.publics is empty; the default is used",
    )
