"""Fixtures shared by the bus agent's tests against a real headquarters (tests/sync/conftest.py has
``hq``, ``live_hq`` and ``bus``).

- ``bus_dir``: the data directory of the ``bus`` fixture's journal.db (``tmp_path / "bus"``);
- ``identity``: that bus enrolled for real at ``live_hq`` (a pairing code, then `enrol` over HTTP);
- ``library``: 40 catalogue records published at headquarters, its snapshot built.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.agent.round_helpers import catalogue_csv, enrol_bus, publish_catalogue


@pytest.fixture
def bus_dir(bus, tmp_path: Path) -> Path:
    return tmp_path / "bus"  # the folder of the `bus` fixture's journal.db


@pytest.fixture
def identity(live_hq, hq, bus_dir):
    return enrol_bus(hq, live_hq.url, bus_dir)


@pytest.fixture
def library(hq, tmp_path):
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(40))
    return tmp_path / "library"
