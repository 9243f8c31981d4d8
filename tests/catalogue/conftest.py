"""Fixtures for the catalogue index and search tests: small hand-built French catalogues.

(Index/search fixtures only; the readers' test helpers live in readers_support.py.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from numeribus_kiosk.catalogue import index, schema
from numeribus_kiosk.catalogue.record import Author, Copy, Record
from numeribus_kiosk.catalogue.search import Catalogue

BUS = (Copy(location="NUMERIBUS", barcode="B1", call_number="R HUG", on_board=True),)
HQ = (Copy(location="MDL", barcode="H1", call_number="R"),)


def french_records() -> list[Record]:
    return [
        Record(
            id="frank",
            title="Frankenstein ou le Prométhée moderne",
            sort_title="frankenstein ou le promethee moderne",
            authors=(Author("Shelley, Mary", dates="1797-1851"),),
            year=2018,
            language="fre",
            subjects=("Roman fantastique",),
            summary="Un savant crée une créature.",
            type="book",
            audience="adults",
            copies=HQ,
        ),
        Record(
            id="mis",
            title="Les Misérables",
            sort_title="miserables",
            authors=(Author("Hugo, Victor", dates="1802-1885"),),
            year=1862,
            language="fre",
            type="large_print_book",
            audience="adults",
            large_print=True,
            copies=BUS,
        ),
        Record(
            id="eco",
            title="Essai sur la répartition des richesses",
            authors=(Author("Leroy-Beaulieu, Anatole"),),
            year=1881,
            language="fre",
            subjects=("Économie politique",),
            type="book",
            audience="adults",
        ),
        Record(
            id="cheval",
            title="Le cheval",
            language="fre",
            type="book",
            audience="children",
            dys=True,
            copies=BUS,
        ),
        Record(
            id="camargue",
            title="Les chevaux de Camargue",
            language="fre",
            type="book",
            audience="children",
            copies=HQ,
        ),
        Record(
            id="ecole",
            title="L'École des femmes",
            authors=(Author("Molière"),),
            language="fre",
            type="audio_book",
            audience="young_adults",
            audio=True,
            copies=BUS,
        ),
        Record(id="coeur", title="Cœur de pirate", language="fre", type="music", copies=HQ),
        Record(id="eleve", title="Carnet de l'eleve", language="fre", type="book", audience="children"),
        Record(id="livres", title="Des livres pour tous", language="fre", type="book"),
        Record(id="journal", title="Le journal de Spirou", language="fre", type="periodical", audience="children"),
        Record(id="eaux", title="Les eaux vives", language="fre", type="book"),
        Record(id="bijou", title="Un bijou de famille", language="fre", type="book", audience="adults"),
        Record(id="en", title="The history of England", language="eng", type="book", audience="adults"),
    ]


def open_db(path: Path) -> sqlite_utils.Database:
    """What store.open_catalogue_db does: WAL, synchronous=NORMAL, catalogue migrations."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    schema.migrations.apply(db)
    return db


class Observer:
    """A second connection that notices any commit made by others (PRAGMA data_version)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.start = self.version()

    def version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        return self.version() != self.start

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "catalogue.db"


@pytest.fixture
def db(db_path):
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def french():
    return french_records()


@pytest.fixture
def loaded_db(db, french):
    index.replace_all(db, french)
    return db


@pytest.fixture
def catalogue(loaded_db):
    cat = Catalogue(loaded_db)
    yield cat
    cat.close()


@pytest.fixture
def observer(loaded_db, db_path):
    obs = Observer(db_path)
    yield obs
    obs.close()
