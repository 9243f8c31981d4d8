"""Random, truncated and bit-flipped inputs never crash a reader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numeribus_kiosk.catalogue.readers import CatalogueReadError, read_file
from numeribus_kiosk.catalogue.record import Record, Skipped

from .readers_support import FIXTURES

SAMPLES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".mrc", ".xml", ".csv"))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_all(data: bytes, fmt: str = "auto") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        try:
            items = list(read_file(path, format=fmt))
        except CatalogueReadError as exc:
            assert str(path) in str(exc)
            return
        for item in items:
            assert isinstance(item, Record | Skipped)
            if isinstance(item, Skipped):
                assert item.position >= 1 and item.reason


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from(["auto", "marc21", "unimarc", "csv"]))
def test_random_bytes(data, fmt):
    _read_all(data, fmt)


@SETTINGS
@given(st.sampled_from(SAMPLES), st.data())
def test_truncated_fixtures(sample, data):
    content = sample.read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(content)))
    _read_all(content[:cut])


@SETTINGS
@given(st.sampled_from(SAMPLES), st.data())
def test_bit_flipped_fixtures(sample, data):
    content = bytearray(sample.read_bytes())
    flips = data.draw(st.lists(st.integers(min_value=0, max_value=len(content) * 8 - 1), min_size=1, max_size=8))
    for bit in flips:
        content[bit // 8] ^= 1 << (bit % 8)
    _read_all(bytes(content))


@SETTINGS
@given(st.sampled_from([p for p in SAMPLES if p.suffix == ".mrc"]), st.binary(min_size=1, max_size=40), st.data())
def test_spliced_bytes_in_marc(sample, junk, data):
    content = sample.read_bytes()
    at = data.draw(st.integers(min_value=0, max_value=len(content)))
    _read_all(content[:at] + junk + content[at:])
