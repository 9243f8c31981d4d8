from __future__ import annotations

from numeribus_kiosk.catalogue.readers import charsets, iso2709

from .readers_support import FIXTURES, records


def test_iso5426_diacritics_precede_letter_and_compose():
    assert charsets.iso5426_to_unicode(b"\xc2ecole d'\xc2et\xc2e \xc1a") == "école d'été à"
    assert charsets.iso5426_to_unicode(b"gar\xd0con \xc3etre na\xc8ive") == "garçon être naïve"
    assert charsets.iso5426_to_unicode(b"c\xfaur \xeauvre \xe9") == "cœur Œuvre Ø"
    assert charsets.iso5426_to_unicode(b"\x88Le \x89chat") == "\x88Le \x89chat"


def test_unimarc_declaring_5426_but_utf8_is_read_as_utf8():
    rec = records(FIXTURES / "unimarc-utf8-declares-5426.mrc")[0]
    assert rec.title == "Les misérables. Tome 1, Fantine"
    assert rec.summary == "Jean Valjean, forçat libéré..."


def test_real_iso5426_record():
    rec = records(FIXTURES / "unimarc-iso5426.mrc")[0]
    assert rec.title == "Le garçon et le cœur être"
    assert rec.subtitle == "étude d'après nature"
    assert rec.sort_title == "garcon et le coeur etre"  # ISO 5426 NSB/NSE bytes 0x88/0x89
    assert rec.publisher == "Éditions du Seuil"
    assert rec.authors[0].name == "Loüys, Pierre"


def test_marc8_record():
    rec = records(FIXTURES / "marc21-marc8.mrc")[0]
    assert rec.authors[0].name == "Saint-Exupéry, Antoine de"


def test_latin1_last_resort_keeps_record():
    raw = (FIXTURES / "marc21-charcount.mrc").read_bytes().split(b"\x1d")[1]
    # Declares UTF-8 (leader/09 'a') but its text is Windows-1252.
    raw = raw.replace("Naïve été".encode(), "Naïve été".encode("cp1252"))
    rec = iso2709.parse_record(raw)
    assert rec.subfield("245", "a") == "Naïve été."


def test_double_encoded_utf8_is_repaired():
    assert charsets.fix_double_utf8("8Â°008") == "8°008"
    assert charsets.fix_double_utf8("CafÃ© crÃ¨me") == "Café crème"
    assert charsets.fix_double_utf8("São Paulo") == "São Paulo"


def test_unimarc_declared_charset():
    assert charsets.unimarc_declared_charset("20050101d2005    a  y0frey0103    ba") == "iso5426"
    assert charsets.unimarc_declared_charset("20050101d2005    a  y0frey50      ba") == "utf-8"
