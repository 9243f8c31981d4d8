from __future__ import annotations

from numeribus_kiosk.catalogue.readers import read_file
from numeribus_kiosk.catalogue.record import Author, Copy, ReaderOptions

from .readers_support import FIXTURES, records


def test_full_unimarc_mapping():
    rec = records(FIXTURES / "unimarc-utf8-declares-5426.mrc")[0]
    assert rec.id == "UNI-0001"
    assert rec.source == "unimarc"
    assert rec.title == "Les misérables. Tome 1, Fantine"  # NSB/NSE removed, article kept
    assert rec.sort_title.startswith("miserables")
    assert rec.subtitle == "roman"
    assert rec.authors == (
        Author("Hugo, Victor", "author", "1802-1885"),
        Author("Bayard, Émile", "illustrator", ""),
    )
    assert rec.publisher == "Gallimard jeunesse"
    assert rec.year == 2005
    assert rec.isbn == ("2070612880", "9782070612888")
    assert rec.language == "fre"
    assert rec.subjects == ("Pauvreté -- France -- 19e siecle", "Roman", "Justice")
    assert rec.dewey == "843.7"
    assert rec.type == "book"
    assert rec.audience == "children"
    assert rec.copies == (
        Copy("NUMERIBUS", "3000000001", "R HUG", True),
        Copy("MONTBRISON", "3000000002", "R HUG", False),
    )
    assert rec.on_board


def test_large_print_fallback_id_and_angle_brackets():
    rec = records(FIXTURES / "unimarc-utf8-declares-5426.mrc")[1]
    assert rec.id == "(OCoLC)123456"
    assert rec.title == "L'étranger" and rec.sort_title == "etranger"
    assert rec.type == "large_print_book" and rec.large_print
    assert rec.publisher == "Feryane" and rec.year == 2010
    assert rec.audience == "adults"


def test_audio_book():
    rec = records(FIXTURES / "unimarc-utf8-declares-5426.mrc")[2]
    assert rec.type == "audio_book" and rec.audio
    assert rec.authors == (Author("Philipe, Gerard", "narrator", ""),)
    assert rec.audience == "young_adults"
    assert rec.year == 2015  # from 100$a/9-12


def test_bus_locations_option():
    options = ReaderOptions(bus_locations=frozenset({"montbrison"}))
    rec = next(r for r in read_file(FIXTURES / "unimarc-utf8-declares-5426.mrc", options=options))
    assert [c.on_board for c in rec.copies] == [False, True]


def test_marcxchange_in_sru_envelope():
    recs = records(FIXTURES / "marcxchange-sru.xml")
    assert len(recs) == 1  # the srw:record envelope is not a record
    rec = recs[0]
    assert rec.id == "FRBNF0000001"
    assert rec.type == "music" and rec.audio
    assert rec.authors == (Author("Prokofiev, Sergei", "composer", ""),)
    assert rec.year == 1973 and rec.publisher == "Erato"
    assert rec.subtitle == "conte musical"


def test_forced_flavour():
    rec = records(FIXTURES / "marcxml-no-namespace.xml", format="unimarc")[0]
    assert rec.source == "unimarc" and rec.title == "Nordiska sagor"
