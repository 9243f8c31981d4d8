from __future__ import annotations

import pytest

from numeribus_kiosk.catalogue.readers import CatalogueReadError, read_file
from numeribus_kiosk.catalogue.record import Author, Copy

from .readers_support import FIXTURES, records, skipped


def test_csv_with_bom_and_semicolons():
    path = FIXTURES / "catalogue-bom-semicolon.csv"
    nicolas, fourmis = records(path)
    assert nicolas.id == "C1"
    assert nicolas.title == "Le Petit Nicolas" and nicolas.sort_title == "petit nicolas"
    assert nicolas.authors == (
        Author("Goscinny, René", "author"),
        Author("Sempé, Jean-Jacques", "illustrator"),
    )
    assert nicolas.year == 2013 and nicolas.isbn == ("9782915732001",)
    assert nicolas.subjects == ("Humour", "Ecole")
    assert nicolas.audience == "children" and nicolas.dys and not nicolas.large_print
    assert nicolas.copies == (
        Copy("NUMERIBUS", "3000000010", "R GOS", True),
        Copy("MONTBRISON", "3000000011", "R GOS", False),
    )
    assert nicolas.source == "csv"
    assert fourmis.type == "large_print_book" and fourmis.large_print
    (bad,) = skipped(path)
    assert bad.position == 3 and "id" in bad.reason


def test_missing_required_column_is_named():
    with pytest.raises(CatalogueReadError, match="'title'"):
        read_file(FIXTURES / "catalogue-missing-title.csv")


def test_comma_delimiter_french_headers_and_cp1252(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes('Identifiant,Titre,Auteurs,Année\n7,Le Horla,"Maupassant, Guy de",1887\n'.encode("cp1252"))
    (rec,) = records(path, format="csv")
    assert rec.title == "Le Horla" and rec.year == 1887
    assert rec.authors == (Author("Maupassant, Guy de", "author"),)
