from __future__ import annotations

import io

import pytest

from numeribus_kiosk.catalogue.readers import CatalogueReadError, detect_form, iso2709, read_file
from numeribus_kiosk.catalogue.record import Skipped

from .readers_support import FIXTURES, records


def test_split_ignores_empty_records_and_trailing_nuls():
    data = (FIXTURES / "unimarc-utf8-declares-5426.mrc").read_bytes()
    assert data.endswith(b"\x00\x00\x00\n") and b"\x1d\x1d" in data
    parts = list(iso2709.split_records(io.BytesIO(data), chunk_size=7))  # tiny chunks on purpose
    assert len(parts) == 3
    assert all(p[:5].isdigit() for p in parts)


def test_split_keeps_truncated_last_record_but_not_junk():
    data = (FIXTURES / "marc21-marc8.mrc").read_bytes()
    assert len(list(iso2709.split_records(io.BytesIO(data + b"xyz")))) == 1
    assert len(list(iso2709.split_records(io.BytesIO(data + data[:60])))) == 2


def test_parse_record_fields():
    raw = next(iso2709.split_records(io.BytesIO((FIXTURES / "marc21-marc8.mrc").read_bytes())))
    rec = iso2709.parse_record(raw)
    assert rec.leader[6:8] == "am"
    assert rec.control("001") == "M8-0001"
    ind, subs = rec.datafields("245")[0]
    assert ind == "13"
    assert subs[0] == ("a", "Le petit prince /")
    assert rec.subfield("952", "p") == "900001"


def test_character_counting_leader():
    """Leader and directory count characters: records still split and parse completely."""
    recs = records(FIXTURES / "marc21-charcount.mrc")
    assert [r.id for r in recs] == ["CC-0001", "CC-0002"]
    assert recs[0].title == "Crème brûlée et café"
    assert recs[0].subtitle == "récits"
    assert recs[0].publisher == "Éditions à part"
    assert recs[1].title == "Naïve été"


def test_directory_disagreeing_with_data_falls_back_to_terminators():
    raw = next(iso2709.split_records(io.BytesIO((FIXTURES / "marc21-marc8.mrc").read_bytes())))
    # Corrupt every directory length/offset and the base address: only tags are used.
    leader, rest = raw[:24], raw[24:]
    end = rest.index(b"\x1e")
    directory = b"".join(rest[i : i + 3] + b"999999999" for i in range(0, end, 12))
    broken = leader[:12] + b"99999" + leader[17:] + directory + rest[end:]
    rec = iso2709.parse_record(broken)
    assert rec.control("001") == "M8-0001"
    assert rec.subfield("245", "a") == "Le petit prince /"


def test_bad_record_is_skipped_not_fatal(tmp_path):
    good = (FIXTURES / "marc21-marc8.mrc").read_bytes()
    path = tmp_path / "mixed.mrc"
    path.write_bytes(b"00042nam  2200000   4500garbage\x1d" + good)
    items = list(read_file(path))
    assert isinstance(items[0], Skipped) and items[0].position == 1 and items[0].file == str(path)
    assert items[1].id == "M8-0001"


def test_detect_form_by_content_not_extension(tmp_path):
    assert detect_form(b"<?xml version='1.0'?><collection/>") == "xml"
    assert detect_form((FIXTURES / "marc21-marc8.mrc").read_bytes()[:100]) == "iso2709"
    assert detect_form("\ufeffid;title\n1;x\n".encode()) == "csv"
    assert detect_form(b"\x89PNG\r\n\x1a\n\x00\x00") == ""
    path = tmp_path / "records.csv"  # a MARC file with a misleading extension
    path.write_bytes((FIXTURES / "marc21-marc8.mrc").read_bytes())
    assert records(path)[0].id == "M8-0001"


@pytest.mark.parametrize(
    "content, message",
    [(None, "not found"), (b"", "empty"), (b"\x00\x00\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00", "not a catalogue")],
)
def test_whole_file_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / "catalogue.dat"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CatalogueReadError, match=message) as info:
        read_file(path)
    assert str(path) in str(info.value)


def test_directory_is_an_error(tmp_path):
    with pytest.raises(CatalogueReadError):
        read_file(tmp_path)


def test_unknown_format_argument():
    with pytest.raises(ValueError):
        read_file(FIXTURES / "marc21-marc8.mrc", format="mab2")
