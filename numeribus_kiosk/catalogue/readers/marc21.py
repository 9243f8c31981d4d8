"""MARC21 bibliographic records -> Record."""

from __future__ import annotations

from ..record import Author, Copy, Record
from ..text import fold
from . import common
from .marc import MarcRecord, all_values, first_value

_TYPES = {
    "a": "book",
    "t": "book",  # manuscript language material
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "g": "dvd",
    "i": "audio_book",
    "j": "music",
    "k": "image",
    "m": "ebook",
    "o": "multimedia",
    "p": "multimedia",
    "r": "game",
}

_AUDIENCES = {
    "a": "children",
    "b": "children",
    "c": "children",
    "j": "children",
    "d": "young_adults",
    "e": "adults",
    "f": "adults",
    "g": "adults",
}

_SUBDIVISIONS = "vxyz"
_HEADING = "abcdqt"


class MissingTitle(ValueError):
    pass


def _title(rec: MarcRecord) -> tuple[str, str, str]:
    for ind, subs in rec.datafields("245"):
        main = " ".join(common.clean_light(v) for v in all_values(subs, "a") if v.strip())
        parts = [common.clean_light(v) for c, v in subs if c in "np" and v.strip()]
        if not main and not parts:
            continue
        title = common.clean(". ".join([common.clean(main)] + parts) if main else ". ".join(parts))
        subtitle = common.clean(" : ".join(common.clean(v) for v in all_values(subs, "b") if v.strip()))
        display, sort = common.title_forms(title)
        skip = ind[1:2]
        if skip.isdigit() and int(skip) > 0 and display == title:
            sort = fold(title[int(skip) :].lstrip())
        subtitle, _ = common.title_forms(subtitle)
        return display, subtitle, sort
    raise MissingTitle("no title (245$a)")


def _name(tag: str, subs) -> tuple[str, str]:
    if tag[1:] == "00":
        name = common.clean(" ".join([v for c, v in subs if c in "abc"]))
        if name[-1:] == ",":
            name = name[:-1].rstrip()
        dates = ""
        for c, v in subs:
            if c == "d":
                dates = common.clean(v).rstrip(",").strip()
                break
        return name, dates
    return ". ".join([p for p in [common.clean(v) for c, v in subs if c in "ab"] if p]), ""


def _role(subs, default: str) -> str:
    codes = [v for c, v in subs if c == "4"]
    for code in codes:
        role = common.MARC21_ROLES.get(code.strip().lower()[:3])
        if role:
            return role
    for c, v in subs:
        if c == "e" or c == "j":
            return common.role_from_term(v)
    return "contributor" if codes else default


_NAME_TAGS = (
    ("100", "author"),
    ("110", "author"),
    ("111", "author"),
    ("700", "contributor"),
    ("710", "contributor"),
    ("711", "contributor"),
)


def _authors(rec: MarcRecord) -> tuple[Author, ...]:
    authors: list[Author] = []
    seen: set[tuple[str, str]] = set()
    for tag, default in _NAME_TAGS:
        for ind, subs in rec.datafields(tag):
            if tag[0] == "7" and ind[1:2] == "2" and any(c == "t" for c, _ in subs):
                continue  # analytical entry (name/title of a contained work)
            name, dates = _name(tag, subs)
            if not name:
                continue
            role = _role(subs, default)
            if (name, role) in seen:
                continue
            seen.add((name, role))
            authors.append(Author(name, role, dates))
    return tuple(authors)


def _publication(rec: MarcRecord, f008: str) -> tuple[str, int | None]:
    coded = common.coded_year(f008[7:11])
    publisher = ""
    year = coded
    fields = rec.datafields("264")
    if len(fields) > 1:
        fields = [f for f in fields if f[0][1:2] == "1"] + [f for f in fields if f[0][1:2] != "1"]
    for _ind, subs in rec.datafields("260") + fields:
        for c, v in subs:
            if c == "b" and not publisher:
                publisher = common.clean(v)
            elif c == "c" and year is None:
                year = common.year_from(v)
        if publisher and year is not None:
            break
    return publisher, year


def _subjects(rec: MarcRecord) -> tuple[str, ...]:
    subjects: list[str] = []
    clean = common.clean
    for tag in sorted([t for t in rec.fields if t[:1] == "6"]):
        for _ind, subs in rec.datafields(tag):
            if tag == "653":
                subjects.extend([clean(v) for c, v in subs if c == "a"])
                continue
            heading = clean(" ".join([v for c, v in subs if c in _HEADING]))
            if not heading:
                continue
            parts = [clean(v) for c, v in subs if c in _SUBDIVISIONS]
            subjects.append(" -- ".join([heading] + [p for p in parts if p]) if parts else heading)
    return common.unique(subjects)


def _copies(rec: MarcRecord) -> tuple[Copy, ...]:
    """Koha 952 items: $b holding branch (else $a home branch), $p barcode, $o call number."""
    copies = []
    for _ind, subs in rec.datafields("952"):
        location = (first_value(subs, "b") or first_value(subs, "a")).strip()
        barcode = first_value(subs, "p").strip()
        call_number = " ".join(first_value(subs, "o").split())
        if location or barcode or call_number:
            copies.append(Copy(location=location, barcode=barcode, call_number=call_number))
    return tuple(copies)


def map_record(rec: MarcRecord) -> Record:
    """Map a MARC21 MarcRecord to a Record (local rules are applied by the caller)."""
    leader = rec.leader
    f008 = rec.control("008")
    title, subtitle, sort_title = _title(rec)
    publisher, year = _publication(rec, f008)

    isbn = [common.normalise_isbn(v) for v in rec.subfields("020", "a")]
    isbn += [common.normalise_isbn(v, (8, 12, 13, 14)) for v in rec.subfields("024", "a")]

    language = f008[35:38].strip().lower() if len(f008) >= 38 else ""
    if not language.isalpha() or len(language) != 3:
        language = rec.subfield("041", "a").strip().lower()[:3]
        if not language.isalpha():
            language = ""

    kind = leader[6:7]
    level = leader[7:8]
    visual_or_map = kind in "efgkor"
    form = f008[29:30] if visual_or_map else f008[23:24]
    large_print = form == "d"
    braille = form == "f"

    doc_type = _TYPES.get(kind, "other")
    if level in ("s", "b", "i") and kind in ("a", "t", "m"):
        doc_type = "periodical"
    elif doc_type == "book" and large_print:
        doc_type = "large_print_book"
    elif doc_type == "book" and form in ("o", "q", "s"):
        doc_type = "ebook"
    elif kind == "m" and f008[26:27] == "g":
        doc_type = "game"
    elif kind == "g" and rec.control("007")[:1] == "m":
        doc_type = "dvd"  # motion picture: still shown as a video on the bus

    audience = ""
    if level not in ("s", "b", "i") and kind not in ("e", "f"):
        audience = _AUDIENCES.get(f008[22:23], "")

    summary = "\n".join(" ".join(v.split()) for v in rec.subfields("520", "a") if v.strip())
    dewey = next((v.strip().replace("/", "").replace("'", "") for v in rec.subfields("082", "a") if v.strip()), "")

    return Record(
        id=common.record_id(rec),
        title=title,
        subtitle=subtitle,
        sort_title=sort_title,
        authors=_authors(rec),
        publisher=publisher,
        year=year,
        isbn=common.unique(isbn),
        language=language,
        summary=summary,
        subjects=_subjects(rec),
        dewey=dewey,
        type=doc_type,
        audience=audience,
        large_print=large_print,
        braille=braille,
        audio=doc_type in ("audio_book", "music"),
        copies=_copies(rec),
        source="marc21",
    )
