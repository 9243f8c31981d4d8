"""UNIMARC bibliographic records -> Record."""

from __future__ import annotations

from ..record import Author, Copy, Record
from . import common
from .marc import MarcRecord, all_values, first_value

# leader/06 (type of record) -> document type
_TYPES = {
    "a": "book",
    "b": "book",  # manuscript text
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "g": "dvd",
    "i": "audio_book",
    "j": "music",
    "k": "image",
    "l": "ebook",
    "m": "multimedia",
    "r": "game",
}

# 100$a/17-19 target audience codes
_AUDIENCES = {
    "a": "children",
    "b": "children",
    "c": "children",
    "d": "children",
    "e": "young_adults",
    "k": "adults",
    "m": "adults",
}

_SUBJECT_TAGS = ("600", "601", "602", "604", "605", "606", "607", "608", "615", "616", "617")
_SUBDIVISIONS = ("j", "x", "y", "z")


class MissingTitle(ValueError):
    pass


def _title(rec: MarcRecord) -> tuple[str, str, str]:
    for _ind, subs in rec.datafields("200"):
        titles = [t for t in all_values(subs, "a") if t.strip()]
        if not titles:
            continue
        title = " ; ".join(common.clean_light(t) for t in titles)
        parts = [common.clean_light(v) for c, v in subs if c in "hi" and v.strip()]
        if parts:
            title = common.clean_light(title) + ". " + ", ".join(parts)
        title = common.clean(title)
        subtitle = " : ".join(common.clean(v) for v in all_values(subs, "e") if v.strip())
        display, sort = common.title_forms(title)
        subtitle, _ = common.title_forms(subtitle)
        return display, subtitle, sort
    raise MissingTitle("no title (200$a)")


def _person(subs) -> tuple[str, str]:
    name = common.clean(first_value(subs, "a"))
    forename = common.clean(first_value(subs, "b"))
    if forename:
        name = f"{name}, {forename}" if name else forename
    dates = common.clean(first_value(subs, "f")).strip("()")
    return name, dates


def _corporate(subs) -> tuple[str, str]:
    parts = [common.clean(first_value(subs, "a"))] + [common.clean(v) for v in all_values(subs, "b")]
    return ". ".join(p for p in parts if p), ""


def _authors(rec: MarcRecord) -> tuple[Author, ...]:
    authors: list[Author] = []
    seen: set[tuple[str, str]] = set()
    for tag, default, corporate in (
        ("700", "author", False),
        ("701", "author", False),
        ("710", "author", True),
        ("711", "author", True),
        ("702", "contributor", False),
        ("712", "contributor", True),
    ):
        for _ind, subs in rec.datafields(tag):
            name, dates = _corporate(subs) if corporate else _person(subs)
            if not name:
                continue
            codes = [c.strip() for c in all_values(subs, "4") if c.strip()]
            role = default
            if codes:
                role = common.UNIMARC_ROLES.get(codes[0][:3], "contributor")
            if (name, role) in seen:
                continue
            seen.add((name, role))
            authors.append(Author(name=name, role=role, dates=dates))
    return tuple(authors)


def _publication(rec: MarcRecord, coded: str) -> tuple[str, int | None]:
    publisher = ""
    year = None
    for tag in ("210", "214"):
        for _ind, subs in rec.datafields(tag):
            if not publisher:
                publisher = next((common.clean(v) for v in all_values(subs, "c") if v.strip()), "")
            if year is None:
                for value in all_values(subs, "d"):
                    year = common.year_from(value)
                    if year:
                        break
    if year is None:
        year = common.coded_year(coded[9:13])
    return publisher, year


def _subjects(rec: MarcRecord) -> tuple[str, ...]:
    subjects: list[str] = []
    for tag in _SUBJECT_TAGS:
        for _ind, subs in rec.datafields(tag):
            if tag == "600":
                heading, _ = _person(subs)
            elif tag in ("601",):
                heading, _ = _corporate(subs)
            else:
                heading = common.clean(first_value(subs, "a"))
            if not heading:
                continue
            parts = [heading] + [common.clean(v) for c, v in subs if c in _SUBDIVISIONS and v.strip()]
            subjects.append(" -- ".join(parts))
    for _ind, subs in rec.datafields("610"):
        subjects.extend(common.clean(v) for v in all_values(subs, "a"))
    return common.unique(subjects)


def _copies(rec: MarcRecord) -> tuple[tuple[Copy, ...], str]:
    """995 items (Recommandation 995): $c holding library, else $b owner, $f barcode, $k call number."""
    copies = []
    audience_hint = ""
    for _ind, subs in rec.datafields("995"):
        location = (first_value(subs, "c") or first_value(subs, "b") or first_value(subs, "a")).strip()
        barcode = first_value(subs, "f").strip()
        call_number = " ".join(first_value(subs, "k").split())
        if location or barcode or call_number:
            copies.append(Copy(location=location, barcode=barcode, call_number=call_number))
        public = first_value(subs, "q").strip().lower()[:1]
        if public in ("e", "j") and not audience_hint:
            audience_hint = "children"
    return tuple(copies), audience_hint


def map_record(rec: MarcRecord) -> Record:
    """Map a UNIMARC MarcRecord to a Record (local rules are applied by the caller)."""
    leader = rec.leader
    title, subtitle, sort_title = _title(rec)
    coded = rec.subfield("100", "a")
    publisher, year = _publication(rec, coded)

    isbn = [common.normalise_isbn(v) for v in rec.subfields("010", "a")]
    isbn += [common.normalise_isbn(v, (8, 12, 13, 14)) for v in rec.subfields("073", "a")]

    language = rec.subfield("101", "a").strip().lower()[:3]
    form = rec.subfield("106", "a").strip().lower()[:1]
    large_print = form == "d"
    braille = form == "f"

    doc_type = _TYPES.get(leader[6:7], "other")
    if leader[7:8] == "s" and doc_type in ("book", "ebook", "other"):
        doc_type = "periodical"
    elif doc_type == "book" and large_print:
        doc_type = "large_print_book"
    elif doc_type == "book" and form in ("s", "o", "q"):
        doc_type = "ebook"

    copies, audience_hint = _copies(rec)
    audience = ""
    for code in coded[17:20]:
        if code in _AUDIENCES:
            audience = _AUDIENCES[code]
            break
    audience = audience or audience_hint

    summary = "\n".join(" ".join(v.split()) for v in rec.subfields("330", "a") if v.strip())
    dewey = next((v.strip() for v in rec.subfields("676", "a") if v.strip()), "")

    return Record(
        id=common.record_id(rec, "002"),  # some Sudoc exports carry the PPN in 002
        title=title,
        subtitle=subtitle,
        sort_title=sort_title,
        authors=_authors(rec),
        publisher=publisher,
        year=year,
        isbn=common.unique(isbn),
        language=language if language.isalpha() else "",
        summary=summary,
        subjects=_subjects(rec),
        dewey=dewey,
        type=doc_type,
        audience=audience,
        large_print=large_print,
        braille=braille,
        audio=doc_type in ("audio_book", "music"),
        copies=copies,
        source="unimarc",
    )
