"""A light MARC record shared by the ISO 2709 and MARCXML readers, and flavour detection.

No pymarc objects: a record is its leader and a dict from tag to the list of
occurrences of that tag, in record order.  A control field occurrence is a str;
a data field occurrence is a `(indicators, subfields)` tuple where `indicators`
is a 2-character str and `subfields` a list of `(code, value)` tuples.
"""

from __future__ import annotations

from collections.abc import Iterator

Subfields = list[tuple[str, str]]
DataField = tuple[str, Subfields]


class MarcRecord:
    __slots__ = ("leader", "fields", "raw")

    def __init__(self, leader: str, fields: dict[str, list], raw: bytes | str = b"") -> None:
        self.leader = leader if len(leader) == 24 else (leader + " " * 24)[:24]
        self.fields = fields
        self.raw = raw  # the record's bytes (ISO 2709) or text (XML), for a stable fallback id

    def control(self, tag: str) -> str:
        """The first occurrence of a control field, or ''."""
        for value in self.fields.get(tag, ()):
            if isinstance(value, str):
                return value
        return ""

    def datafields(self, tag: str) -> list[DataField]:
        return [f for f in self.fields.get(tag, ()) if isinstance(f, tuple)]

    def tags(self) -> list[str]:
        return list(self.fields)

    def subfield(self, tag: str, code: str) -> str:
        """The first `code` subfield of the first `tag` field that has one, or ''."""
        for occurrence in self.fields.get(tag, ()):
            if isinstance(occurrence, tuple):
                for c, value in occurrence[1]:
                    if c == code:
                        return value
        return ""

    def subfields(self, tag: str, code: str) -> Iterator[str]:
        for occurrence in self.fields.get(tag, ()):
            if isinstance(occurrence, tuple):
                for c, value in occurrence[1]:
                    if c == code:
                        yield value

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"MarcRecord({self.leader!r}, {len(self.fields)} tags)"


def first_value(subfields: Subfields, code: str) -> str:
    for c, value in subfields:
        if c == code:
            return value
    return ""


def all_values(subfields: Subfields, code: str) -> list[str]:
    return [value for c, value in subfields if c == code]


def detect_flavour(record: MarcRecord) -> str:
    """'unimarc' or 'marc21' for one record, from its fields first and its leader second."""
    fields = record.fields
    has_200a = any(isinstance(f, tuple) and first_value(f[1], "a") for f in fields.get("200", ()))
    unimarc_100 = len(record.subfield("100", "a")) >= 22
    has_245 = "245" in fields
    if has_200a and unimarc_100:
        return "unimarc"
    if has_245 and not has_200a:
        return "marc21"
    if has_200a and not has_245:
        return "unimarc"
    # Leader hints: MARC21 ends with "4500", UNIMARC with "450 "; UNIMARC leader/09 is blank
    # but MARC21 008 is a control field of 40 characters.
    if len(record.control("008")) >= 38:
        return "marc21"
    if record.leader[20:23] == "450" and record.leader[23] == " ":
        return "unimarc"
    if unimarc_100:
        return "unimarc"
    return "marc21"
