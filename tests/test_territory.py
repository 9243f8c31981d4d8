"""docs/examples/territory-config.toml: one file, on headquarters and on a bus, and every value takes effect.

The documented example of another territory ("Navette numérique") goes, as is, into a real
headquarters and a real bus's data directory.  The bus enrols, syncs over loopback, and then:
the lists it offers are the
ones headquarters published from the file; its copies on board follow the file's location code;
its exports and headquarters' use the file's annual-report lines; and neither side warns about
the other's tables.  Its screens with the same file: tests/ui/test_branding.py.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.journal import survey
from numeribus_kiosk.mediator.lists import load_lists
from numeribus_kiosk.settings import load_settings
from sync.agent.round import sync_once
from sync.cli import main as sync_main
from sync.server import exports, publish
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.agent.round_helpers import catalogue_csv, enrol_bus, publish_catalogue
from tests.sync.live import serve_in_thread
from tests.sync.signing import Clock

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
EXAMPLE = EXAMPLES / "territory-config.toml"
LOGO = EXAMPLES / "navette-logo.svg"


def install(folder: Path) -> Path:
    """The example file and its logo in a data directory, as the guide says to copy them."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, folder / "config.toml")
    shutil.copy(LOGO, folder / LOGO.name)
    return folder


@pytest.fixture
def example() -> dict:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def territory(tmp_path):
    """Headquarters with the example file and a catalogue, and a bus with the same file, synced once."""
    hq = HQ(install(tmp_path / "hq"), clock=Clock())
    # 30 records; every third one's copy is at the territory's bus location, the others at the library
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(30).replace("NUMERIBUS", "NAVETTE"))
    publish.refresh_configuration(hq)  # the lists of the file, as `serve` does at start-up
    bus_dir = install(tmp_path / "bus")
    with serve_in_thread(create_app(hq)) as url:
        enrol_bus(hq, url, bus_dir)
        sync_once(bus_dir)
        yield hq, bus_dir, url
    hq.close()


def on_board(bus_dir: Path) -> set[str]:
    db = store.open_catalogue_db(bus_dir)
    try:
        return {row[0] for row in db.execute("SELECT id FROM records WHERE on_board = 1").fetchall()}
    finally:
        db.close()


def test_neither_side_warns_about_the_other_s_tables(tmp_path):
    hq_dir, bus_dir = install(tmp_path / "hq"), install(tmp_path / "bus")
    hq = HQ(hq_dir, clock=Clock())
    try:
        assert hq.config.problems == ()
        assert hq.config.brand_name == "Navette numérique"
        assert hq.config.service_name == "Navette numérique — siège"
    finally:
        hq.close()
    settings = load_settings(bus_dir)
    assert settings.problems == []
    assert settings.bus_code == "NAV1"
    assert settings.branding.name == "Navette numérique" and settings.branding.logo == bus_dir / LOGO.name
    assert settings.sync.hq_url == "https://navette.example.fr:8470"


def test_the_bus_takes_the_lists_and_locations_headquarters_published(territory, example):
    hq, bus_dir, _ = territory
    lists = load_lists(bus_dir)  # from catalogue.db: what headquarters published
    for name in ("activities", "publics", "partners", "equipment", "age_groups"):
        assert list(getattr(lists, name)) == example["lists"][name], name
    assert list(lists.durations) == example["lists"]["durations"]
    assert on_board(bus_dir) == {f"LOI{i:04d}" for i in range(3, 31, 3)}


def test_headquarters_can_give_one_bus_other_locations(territory, capsys):
    """`numeribus-sync device locations`: one bus of the territory carries the library's copies."""
    hq, bus_dir, url = territory
    assert sync_main(["--data-dir", str(hq.data_dir), "device", "locations", "Bus Forez", "MONTBRISON"]) == 0
    assert "Bus Forez: copies of MONTBRISON on board" in capsys.readouterr().out
    sync_once(bus_dir)
    assert on_board(bus_dir) == {f"LOI{i:04d}" for i in range(1, 31) if i % 3}


def test_both_sides_count_the_annual_report_by_the_file_s_lines(territory, example):
    hq, bus_dir, _ = territory
    expected = tuple(category["id"] for category in example["survey"]["category"])
    assert survey.load_mapping_for(bus_dir).ids == expected
    assert exports.load_mapping(hq.data_dir).ids == expected
