"""The one record model every reader produces and the store and search consume.

A `Record` is what the bus knows about one document of the catalogue, whatever the
library system exported it as (MARC21 or UNIMARC, ISO 2709 or MARCXML, CSV).  It is a
plain frozen dataclass: readers build it, `to_dict`/`from_dict` carry it through the
database and JSON, and `content_hash` tells whether a record really changed between
two imports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields

# Document types, as stable identifiers (the UI translates them).
DOC_TYPES = (
    "book",
    "large_print_book",
    "audio_book",
    "ebook",
    "periodical",
    "dvd",
    "music",
    "score",
    "map",
    "image",
    "game",
    "multimedia",
    "other",
)

# Intended audiences.
AUDIENCES = ("children", "young_adults", "adults")


@dataclass(frozen=True, slots=True)
class Author:
    """A person or organisation responsible for the document."""

    name: str  # display form, "Hugo, Victor" -> "Victor Hugo" is left to the UI
    role: str = "author"  # author, illustrator, translator, editor, composer, performer, director, contributor...
    dates: str = ""  # "1802-1885" when the record gives them


@dataclass(frozen=True, slots=True)
class Copy:
    """One physical item (UNIMARC 995, MARC21 952, or a CSV row)."""

    location: str = ""  # the owning or holding branch code as exported
    barcode: str = ""
    call_number: str = ""
    on_board: bool = False  # True when `location` is the bus's code (configurable)


@dataclass(frozen=True, slots=True)
class Record:
    """A catalogue record in the project's own model."""

    id: str
    title: str
    subtitle: str = ""
    sort_title: str = ""  # title without its non-sorting article, folded for sorting
    authors: tuple[Author, ...] = ()
    publisher: str = ""
    year: int | None = None
    isbn: tuple[str, ...] = ()  # ISBN-13/ISBN-10/EAN as found, hyphens removed
    language: str = ""  # ISO 639-2/B code, "fre"
    summary: str = ""
    subjects: tuple[str, ...] = ()
    dewey: str = ""
    type: str = "other"  # one of DOC_TYPES
    audience: str = ""  # one of AUDIENCES, or "" when unknown
    large_print: bool = False
    braille: bool = False
    audio: bool = False
    dys: bool = False
    copies: tuple[Copy, ...] = ()
    source: str = ""  # "marc21", "unimarc" or "csv"

    @property
    def on_board(self) -> bool:
        return any(c.on_board for c in self.copies)

    def to_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Record:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["authors"] = tuple(Author(**a) for a in values.get("authors", ()))
        values["copies"] = tuple(Copy(**c) for c in values.get("copies", ()))
        values["isbn"] = tuple(values.get("isbn", ()))
        values["subjects"] = tuple(values.get("subjects", ()))
        return cls(**values)

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON form: equal hashes mean nothing changed."""
        canonical = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record a reader could not use: where it was and why, in plain words."""

    position: int  # 1-based record number in its file
    reason: str
    file: str = ""


@dataclass(slots=True)
class ReaderOptions:
    """What a reader needs to know about this bus and this library's conventions."""

    bus_locations: frozenset[str] = field(default_factory=lambda: frozenset({"NUMERIBUS"}))
    # DYS-adapted rule: a record is DYS-adapted when any of these matches
    # (case- and accent-insensitive substring match).
    dys_publishers: tuple[str, ...] = (
        "La Poule qui pond",
        "Tom'Poche",
        "Tom Pousse",
        "Belin Education DYS",
        "Les Editions du Dys",
        "Adabam",
        "Eveil et decouvertes",
    )
    dys_subjects: tuple[str, ...] = ("dyslexi", "dys ", "lecture facile", "facile a lire", "falc")
    dys_call_number_prefixes: tuple[str, ...] = ("DYS",)

    def is_on_board(self, location: str) -> bool:
        return location.strip().upper() in {b.upper() for b in self.bus_locations}
