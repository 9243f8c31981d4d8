"""Acceptance tests over the real records in ../shared/data (see its README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from numeribus_kiosk.catalogue.readers import iso2709, read_file
from numeribus_kiosk.catalogue.record import Record, Skipped

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared test data not present at {SHARED}"),
]

# Counts from the README; the ISO 2709 files all end with an empty record after the last
# terminator, which is correctly ignored (pymarc also yields 35+4+20+109+19+18 = 205).
COUNTS = {
    "unimarc/sudoc-periouni.mrc": 3064,
    "unimarc/sciencespo-cotes8.mrc": 35,
    "unimarc/sciencespo-cotesBR.mrc": 4,
    "unimarc/sciencespo-cotesD.mrc": 20,
    "unimarc/sciencespo-cotesMEL.mrc": 109,
    "unimarc/sciencespo-cotesT.mrc": 19,
    "unimarc/sciencespo-cotesX.mrc": 18,
    "unimarc/bsg-estampes.xml": 1,
    "unimarc/bsg-nordique.xml": 4,
    "unimarc/bnf-sru-peter.xml": 49,
    "marc21/rero-documents.xml": 442,
    "marc21/bu-bibs.mrc": 100,
}

_cache: dict[str, list] = {}


def items(name: str) -> list:
    if name not in _cache:
        _cache[name] = list(read_file(SHARED / name))
    return _cache[name]


def by_id(name: str, record_id: str) -> Record:
    return next(r for r in items(name) if isinstance(r, Record) and r.id == record_id)


@pytest.mark.parametrize("name, count", sorted(COUNTS.items()))
def test_counts(name, count):
    got = items(name)
    assert not [i for i in got if isinstance(i, Skipped)]
    assert len(got) == count
    flavour = name.split("/")[0]
    assert {r.source for r in got} == {flavour}


def test_sciencespo_total():
    assert sum(len(items(n)) for n in COUNTS if "sciencespo" in n) == 205


def test_sudoc_periodicals():
    records = items("unimarc/sudoc-periouni.mrc")
    assert {r.type for r in records} == {"periodical"}
    rec = records[0]
    assert rec.id == "0001246764"  # no 001 in this record: the PPN from 002
    assert rec.title == "Combined statement of receipts, outlays, and balances of the United States government"
    assert rec.language == "eng" and rec.year == 2001
    assert rec.authors[0].name == "Etats-Unis. Department of the Treasury"
    assert rec.subjects == ("Finances publiques -- Etats-Unis -- Périodiques",)


def test_sciencespo_record_and_copies():
    rec = by_id("unimarc/sciencespo-cotes8.mrc", "054273242")
    assert rec.title == "Traité de la science des finances"
    assert rec.authors[0].name == "Leroy-Beaulieu, Paul" and rec.authors[0].role == "author"
    assert rec.year == 1892 and rec.language == "fre" and rec.type == "book"
    assert rec.publisher == "Guillemin"
    # 995$c holding library, $f barcode, $k call number ("8Â°" double-encoded in the file -> "8°")
    assert rec.copies[0].location == "BIB01"
    assert rec.copies[0].barcode == "00000001158900"
    assert rec.copies[0].call_number == "8°007.775(1892-1)"


def test_bsg_unimarc_in_marcxml_without_unimarc_namespace():
    rec = by_id("unimarc/bsg-estampes.xml", "1/1197852")
    assert rec.source == "unimarc"
    assert rec.title == "[Procession de la châsse de sainte Geneviève]"
    assert rec.type == "image" and rec.year == 1679 and rec.language == "fre"
    assert rec.authors[0].name == "Lepautre, Jean" and rec.authors[0].dates == "1618-1682"
    nordic = by_id("unimarc/bsg-nordique.xml", "1/1188528")
    assert nordic.language == "swe" and nordic.authors[0].name == "Rålamb, Claes"


def test_bnf_marcxchange():
    score = by_id("unimarc/bnf-sru-peter.xml", "FRBNF43288550000000X")
    assert score.type == "score" and score.year == 1973
    assert score.publisher == "American institute of musicology"
    assert [(a.name, a.role) for a in score.authors] == [("Strunck, Delphin", "composer"), ("Apel, Willi", "editor")]
    book = by_id("unimarc/bnf-sru-peter.xml", "FRBNF330625530000000")
    assert book.language == "ger" and book.type == "book" and book.year == 1964
    assert book.authors[0].name == "Kielmansegg, Peter"


def test_rero_marcxml():
    rec = by_id("marc21/rero-documents.xml", "REROILS:75")
    assert rec.title == "Bibliothèque philosophique de Louvain"
    assert rec.type == "periodical" and rec.language == "fre" and rec.publisher == "Vrin" and rec.year == 1946
    music = by_id("marc21/rero-documents.xml", "REROILS:57")
    assert music.type == "music" and music.audio and music.isbn == ("604907014223",)
    assert music.language == "rus"


def test_bu_bibs_character_counting_leaders():
    with (SHARED / "marc21/bu-bibs.mrc").open("rb") as stream:
        raws = list(iso2709.split_records(stream))
    counting_chars = [i for i, raw in enumerate(raws) if int(raw[:5]) != len(raw) + 1]
    assert len(counting_chars) == 16
    rec = items("marc21/bu-bibs.mrc")[counting_chars[0]]
    assert rec.id == "99177327110001161"
    assert rec.title == "Vichy in the tropics"
    assert rec.subtitle == "Pétain's national revolution in Madagascar, Guadeloupe, and Indochina, 1940-1944"
    assert rec.authors[0].name == "Jennings, Eric Thomas"
    assert rec.year == 2001 and rec.language == "eng" and rec.isbn == ("0804741794",)
    assert rec.publisher == "Stanford University Press"
