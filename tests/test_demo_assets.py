"""The demo assets shipped in numeribus_kiosk/assets/demo: the catalogue file, its README, the schedule and agenda."""

from __future__ import annotations

import collections
from pathlib import Path

import pymarc
import pytest

DEMO = Path(__file__).resolve().parents[1] / "numeribus_kiosk" / "assets" / "demo"
CATALOGUE = DEMO / "catalogue-demo.mrc"


@pytest.fixture(scope="module")
def records() -> list[pymarc.Record]:
    assert CATALOGUE.is_file(), f"{CATALOGUE} is missing: run scripts/make_demo_catalogue.py"
    with CATALOGUE.open("rb") as fh:
        reader = pymarc.MARCReader(fh, to_unicode=True, force_utf8=True)
        parsed = list(reader)
    assert None not in parsed, "a record of the demo catalogue does not parse"
    return parsed


def test_catalogue_file_is_small_enough():
    assert CATALOGUE.stat().st_size <= 4 * 1024 * 1024


def test_catalogue_has_enough_french_records(records):
    assert len(records) >= 2500
    assert all(r["008"].data[35:38] == "fre" for r in records)


def test_catalogue_records_are_utf8_and_usable(records):
    assert all(r.leader[9] == "a" for r in records)
    assert all(r.get("245") is not None and r["245"].get("a") for r in records)
    ids = [r["001"].data for r in records]
    assert len(set(ids)) == len(ids)


def test_catalogue_holdings_one_third_on_board(records):
    branches = collections.Counter()
    for r in records:
        fields = r.get_fields("952")
        assert len(fields) == 1
        f = fields[0]
        assert f.get("a") in {"NUMERIBUS", "MDL"}
        assert f.get("p") and f.get("o")
        branches[f.get("a")] += 1
    share = branches["NUMERIBUS"] / len(records)
    assert 0.30 <= share <= 0.37
    barcodes = [r["952"]["p"] for r in records]
    assert len(set(barcodes)) == len(barcodes)


def test_readme_says_it_is_demo_data():
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "demo" in text.lower()
    assert "public domain" in text.lower()
    assert "invented" in text.lower()
    assert "make_demo_catalogue.py" in text


def test_schedule_and_agenda_are_present():
    for name in ("schedule.csv", "agenda.csv"):
        text = (DEMO / name).read_text(encoding="utf-8")
        header = text.splitlines()[0].split(",")
        assert header[-1] == "demo"
