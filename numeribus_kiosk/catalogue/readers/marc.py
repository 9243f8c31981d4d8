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


def split_field(chunk: str) -> DataField:
    """'ind1 ind2 \x1fa... \x1fb...' (an ISO 2709 data field) -> (indicators, subfields)."""
    parts = chunk.split("\x1f")
    return parts[0][:2].ljust(2), [(p[0], p[1:]) for p in parts[1:] if p]


def is_control(tag: str, value: object) -> bool:
    return value.__class__ is str and tag[:2] == "00" and "\x1f" not in value  # type: ignore[operator]


class MarcRecord:
    """Leader + fields.  ISO 2709 data fields are kept as raw strings and split into
    subfields only when a mapper asks for them (`datafields`), which keeps parsing cheap."""

    __slots__ = ("leader", "fields", "raw")

    def __init__(self, leader: str, fields: dict[str, list], raw: bytes | str = b"") -> None:
        self.leader = leader if len(leader) == 24 else (leader + " " * 24)[:24]
        self.fields = fields
        self.raw = raw  # the record's bytes (ISO 2709) or text (XML), for a stable fallback id

    def control(self, tag: str) -> str:
        """The first occurrence of a control field, or ''."""
        for value in self.fields.get(tag, ()):
            if is_control(tag, value):
                return value
        return ""

    def datafields(self, tag: str) -> list[DataField]:
        occurrences = self.fields.get(tag)
        if not occurrences:
            return []
        out = []
        for i, value in enumerate(occurrences):
            if value.__class__ is str:
                if is_control(tag, value):
                    continue
                value = occurrences[i] = split_field(value)
            out.append(value)
        return out

    def tags(self) -> list[str]:
        return list(self.fields)

    def subfield(self, tag: str, code: str) -> str:
        """The first `code` subfield of the first `tag` field that has one, or ''."""
        for _ind, subs in self.datafields(tag):
            for c, value in subs:
                if c == code:
                    return value
        return ""

    def subfields(self, tag: str, code: str) -> Iterator[str]:
        for _ind, subs in self.datafields(tag):
            for c, value in subs:
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
    has_200a = any(first_value(subs, "a") for _ind, subs in record.datafields("200"))
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
