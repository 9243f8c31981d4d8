"""CSV catalogues (spreadsheets, small libraries without MARC export).

Columns are documented in docs/formats.md.  UTF-8 with or without BOM (Windows-1252
is accepted as a fallback), comma, semicolon or tab delimiter (sniffed from the
header line), header names case-insensitive, in English or French.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..record import AUDIENCES, DOC_TYPES, Author, Copy, Record
from ..text import fold
from . import common

COLUMNS = (
    "id",
    "title",
    "subtitle",
    "authors",
    "publisher",
    "year",
    "isbn",
    "language",
    "summary",
    "subjects",
    "dewey",
    "type",
    "audience",
    "large_print",
    "braille",
    "audio",
    "dys",
    "copies",
)
REQUIRED = ("id", "title")

# Accepted header spellings (folded, spaces/dashes as underscores) -> column.
ALIASES = {
    "identifiant": "id",
    "numero": "id",
    "titre": "title",
    "sous_titre": "subtitle",
    "author": "authors",
    "auteur": "authors",
    "auteurs": "authors",
    "editeur": "publisher",
    "annee": "year",
    "date": "year",
    "isbn_ean": "isbn",
    "ean": "isbn",
    "langue": "language",
    "resume": "summary",
    "sujets": "subjects",
    "sujet": "subjects",
    "subject": "subjects",
    "type_de_document": "type",
    "public": "audience",
    "gros_caracteres": "large_print",
    "large_print_book": "large_print",
    "exemplaires": "copies",
    "items": "copies",
}

_TRUE = {"1", "true", "yes", "y", "oui", "o", "x", "vrai"}
_ROLE = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class CsvHeaderError(ValueError):
    """The header line does not make a usable catalogue (a required column is missing)."""


def _column(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", fold(name.strip().lstrip("\ufeff")))
    return ALIASES.get(key, key)


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _bool(value: str) -> bool:
    return value.strip().lower() in _TRUE


def _authors(value: str) -> tuple[Author, ...]:
    authors = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        match = _ROLE.match(part)
        if match and match.group(1):
            role = match.group(2).strip().lower() or "author"
            known = {
                "author",
                "illustrator",
                "translator",
                "editor",
                "composer",
                "performer",
                "director",
                "contributor",
                "narrator",
                "photographer",
            }
            authors.append(
                Author(name=match.group(1).strip(), role=role if role in known else common.role_from_term(role))
            )
        else:
            authors.append(Author(name=part))
    return tuple(authors)


def _copies(value: str) -> tuple[Copy, ...]:
    copies = []
    for part in value.split(";"):
        if not part.strip():
            continue
        bits = [b.strip() for b in part.split("|")] + ["", ""]
        copies.append(Copy(location=bits[0], barcode=bits[1], call_number=bits[2]))
    return tuple(copies)


def _list(value: str) -> tuple[str, ...]:
    return common.unique(v.strip() for v in value.split(";"))


def map_row(row: dict[str, str]) -> Record:
    def get(name: str) -> str:
        return _CONTROL.sub("", row.get(name) or "").strip()

    record_id = get("id")
    if not record_id:
        raise ValueError("empty id")
    title, sort_title = common.title_forms(get("title"))
    if not title:
        raise ValueError("empty title")
    subtitle, _ = common.title_forms(get("subtitle"))
    doc_type = get("type").lower()
    if doc_type not in DOC_TYPES:
        doc_type = "other" if doc_type else "book"
    audience = get("audience").lower().replace("-", "_").replace(" ", "_")
    if audience not in AUDIENCES:
        audience = ""
    isbn = [common.normalise_isbn(v, (8, 10, 12, 13, 14)) for v in get("isbn").split(";")]
    language = get("language").lower()
    return Record(
        id=record_id,
        title=title,
        subtitle=subtitle,
        sort_title=sort_title,
        authors=_authors(get("authors")),
        publisher=get("publisher"),
        year=common.year_from(get("year")),
        isbn=common.unique(isbn),
        language=language if len(language) == 3 and language.isalpha() else "",
        summary=get("summary"),
        subjects=_list(get("subjects")),
        dewey=get("dewey"),
        type=doc_type,
        audience=audience,
        large_print=_bool(get("large_print")) or doc_type == "large_print_book",
        braille=_bool(get("braille")),
        audio=_bool(get("audio")) or doc_type in ("audio_book", "music"),
        dys=_bool(get("dys")),
        copies=_copies(get("copies")),
        source="csv",
    )


def _text_stream(stream: BinaryIO) -> io.TextIOWrapper:
    head = stream.read(1 << 16)
    stream.seek(0)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        encoding = "utf-8-sig" if exc.start >= len(head) - 3 else "cp1252"
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def iter_rows(stream: BinaryIO) -> Iterator[tuple[int, Record | str]]:
    """Yield (position, Record) per data row, or (position, reason) for an unusable row.

    Raises CsvHeaderError when the header lacks a required column.
    """
    text = _text_stream(stream)
    try:
        yield from _rows(text)
    finally:
        text.detach()  # the caller owns (and closes) the binary stream


def _rows(text: io.TextIOWrapper) -> Iterator[tuple[int, Record | str]]:
    header_line = text.readline()
    delimiter = _sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    columns = [_column(h) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise CsvHeaderError(
            f"required column {' and '.join(repr(m) for m in missing)} missing from the header line "
            f"(found: {found[:200]})"
        )
    reader = csv.reader(text, delimiter=delimiter)
    position = 0
    errors = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            position += 1
            errors += 1
            yield position, f"unreadable CSV line: {exc}"
            if errors > 1000:
                return
            continue
        if not any(v.strip() for v in values):
            continue
        position += 1
        row = dict(zip(columns, values, strict=False))
        try:
            yield position, map_row(row)
        except ValueError as exc:
            yield position, f"row {position}: {exc}"
