"""Helpers shared by the UNIMARC, MARC21 and CSV mappers."""

from __future__ import annotations

import hashlib
import re

from ..text import fold, strip_non_sorting

_TRAILING_ISBD = re.compile(r"(?:\s*[/:;,=]|\s+\.)+\s*$")
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_ISBN_TOKEN = re.compile(r"[0-9][0-9Xx\- ]{6,}[0-9Xx]|[0-9]{8,14}")


_PUNCT_END = frozenset("/:;,=.")
_MARKERS = ("\x88", "\x89", "\x98", "\x9c", "<<", ">>")


def clean(value: str) -> str:
    """Collapse white space and drop trailing ISBD punctuation (" /", " :", " ;", "." ...)."""
    value = " ".join(value.split())
    while value:
        last = value[-1]
        if last in "/:;,=" or last == "." and value[-2:-1] == " ":
            value = value[:-1].rstrip()
        else:
            break
    if value[-1:] == "." and value[-2:] != "..":
        before = value[-2:-1]
        initial = (before.isalnum() or before == "_") and not (value[-3:-2].isalnum() or value[-3:-2] == "_")
        if not initial or len(value) < 2:
            value = value[:-1].rstrip()
    return value


def clean_light(value: str) -> str:
    """Collapse white space and drop trailing ISBD separators, but keep a final full stop."""
    value = " ".join(value.split())
    if not value or value[-1] not in _PUNCT_END:
        return value
    return _TRAILING_ISBD.sub("", value)


def title_forms(title: str) -> tuple[str, str]:
    """(display title, folded sort title) of a title that may carry non-sorting markers."""
    if not any(marker in title for marker in _MARKERS):
        return title, fold(title)
    display, sort = strip_non_sorting(title)
    return display, fold(sort)


def year_from(text: str) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def coded_year(text: str) -> int | None:
    """A year coded on four digits (e.g. UNIMARC 100$a/9-12, MARC21 008/07-10)."""
    if len(text) == 4 and text.isdigit():
        year = int(text)
        if 1000 <= year <= 2099:
            return year
    return None


def normalise_isbn(value: str, lengths: tuple[int, ...] = (10, 13)) -> str:
    """'2-07-061288-0 (br.)' -> '2070612880'; '' when nothing looks like an ISBN/EAN."""
    match = _ISBN_TOKEN.search(value or "")
    if not match:
        return ""
    number = match.group(0).replace("-", "").replace(" ", "").upper()
    if "X" in number[:-1]:
        return ""
    if lengths and len(number) not in lengths:
        return ""
    return number


def unique(values) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def record_id(rec, *more_controls: str) -> str:
    """001, else the first 035$a, else the given control fields in order, else a hash of the record."""
    for found in (
        rec.control("001").strip(),
        next((v.strip() for v in rec.subfields("035", "a") if v.strip()), ""),
        *(rec.control(tag).strip() for tag in more_controls),
    ):
        if found:
            return found
    return fallback_id(rec.raw)


def fallback_id(raw: bytes | str) -> str:
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return "sha1-" + hashlib.sha1(data).hexdigest()[:20]


# UNIMARC relator codes (Appendix C) -> the project's roles.
UNIMARC_ROLES = {
    "070": "author",
    "072": "author",
    "330": "author",
    "690": "author",  # scenarist (comics)
    "090": "author",
    "480": "author",  # librettist
    "520": "author",  # lyricist
    "440": "illustrator",
    "430": "illustrator",
    "040": "illustrator",  # artist
    "730": "translator",
    "340": "editor",
    "220": "editor",  # compiler
    "651": "editor",  # publishing director
    "230": "composer",
    "590": "performer",
    "005": "performer",  # actor
    "545": "performer",  # musician
    "721": "performer",  # singer
    "755": "performer",  # vocalist
    "250": "performer",  # conductor
    "300": "director",
    "550": "narrator",
    "600": "photographer",
}

# MARC21 relator codes ($4) -> roles.
MARC21_ROLES = {
    "aut": "author",
    "cre": "author",
    "lbt": "author",
    "lyr": "author",
    "ill": "illustrator",
    "art": "illustrator",
    "trl": "translator",
    "edt": "editor",
    "com": "editor",
    "cmp": "composer",
    "prf": "performer",
    "act": "performer",
    "mus": "performer",
    "sng": "performer",
    "voc": "performer",
    "cnd": "performer",
    "itr": "performer",
    "drt": "director",
    "fmd": "director",
    "nrr": "narrator",
    "pht": "photographer",
}

# Relator terms ($e), folded, by prefix (English and French).
_TERM_ROLES = (
    ("aut", "author"),
    ("writer", "author"),
    ("ecrivain", "author"),
    ("scenar", "author"),
    ("illus", "illustrator"),
    ("dessin", "illustrator"),
    ("artist", "illustrator"),
    ("transl", "translator"),
    ("trad", "translator"),
    ("compos", "composer"),
    ("compil", "editor"),
    ("editeur scientifique", "editor"),
    ("editor", "editor"),
    ("ed.", "editor"),
    ("dir. de publication", "editor"),
    ("perform", "performer"),
    ("interpr", "performer"),
    ("actor", "performer"),
    ("acteur", "performer"),
    ("chant", "performer"),
    ("singer", "performer"),
    ("music", "performer"),
    ("direct", "director"),
    ("realisat", "director"),
    ("film director", "director"),
    ("narrat", "narrator"),
    ("lecteur", "narrator"),
    ("photog", "photographer"),
)


def role_from_term(term: str) -> str:
    folded = fold(term).strip(" .,;:")
    if not folded:
        return ""
    for prefix, role in _TERM_ROLES:
        if folded.startswith(prefix):
            return role
    return "contributor"
