from __future__ import annotations

from numeribus_kiosk.catalogue.record import Author, Copy

from .readers_support import FIXTURES, records


def test_marc21_mapping():
    rec = records(FIXTURES / "marc21-marc8.mrc")[0]
    assert rec.source == "marc21"
    assert rec.id == "M8-0001"
    assert rec.title == "Le petit prince"  # trailing " /" removed
    assert rec.sort_title == "petit prince"  # 245 ind2 = 3 non-filing characters
    assert rec.authors == (
        Author("Saint-Exupéry, Antoine de", "author", "1900-1944"),
        Author("Dupont, Marie", "translator", ""),
    )
    assert rec.publisher == "Gallimard"
    assert rec.year == 1995
    assert rec.isbn == ("2070408507",)
    assert rec.language == "fre"
    assert rec.summary == "Un aviateur rencontre un petit prince."
    assert rec.subjects == ("Princes -- Juvenile fiction",)
    assert rec.dewey == "843.912"
    assert rec.type == "book"
    assert rec.audience == "children"
    assert rec.copies == (Copy("NUMERIBUS", "900001", "JR SAI", True),)


def test_marcxml_slim():
    recs = records(FIXTURES / "marcxml-slim.xml")
    assert [r.id for r in recs] == ["XML-SLIM-1", "XML-SLIM-2"]
    plague, revue = recs
    assert plague.title == "The plague" and plague.sort_title == "plague"
    assert plague.isbn == ("9782070368228",)
    assert plague.audience == "adults"
    assert revue.type == "periodical"
    assert revue.title == "Revue des deux mondes"
