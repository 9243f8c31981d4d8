"""MARCXML records (MARC21 slim, marcXchange or no namespace), streamed with iterparse.

`<record>` elements are found anywhere in the document, e.g. inside an SRU
answer.  Records are cleared and detached once read, so a big file is never
held in memory.  A malformed document keeps the records read before the error;
the error itself is returned as a `RecordError` with its line and column.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO

from .iso2709 import RecordError
from .marc import MarcRecord

MARC_NAMESPACES = frozenset(
    {
        "",
        "http://www.loc.gov/MARC21/slim",
        "info:lc/xmlns/marcxchange-v1",
        "info:lc/xmlns/marcxchange-v2",
        "http://www.bs.dk/standards/MarcXchange",
    }
)


def _split(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _nfc(text: str | None) -> str:
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        return unicodedata.normalize("NFC", text)
    return text


def _build(elem: ET.Element) -> MarcRecord:
    leader = ""
    fields: dict[str, list] = {}
    for child in elem:
        ns, local = _split(child.tag) if isinstance(child.tag, str) else ("?", "")
        if ns not in MARC_NAMESPACES:
            continue
        if local == "leader":
            leader = _nfc(child.text)
        elif local == "controlfield":
            tag = (child.get("tag") or "").strip()
            if tag:
                fields.setdefault(tag, []).append(_nfc(child.text))
        elif local == "datafield":
            tag = (child.get("tag") or "").strip()
            if not tag:
                continue
            ind = ((child.get("ind1") or " ")[:1] + (child.get("ind2") or " ")[:1]).ljust(2)
            subs = []
            for sub in child:
                if isinstance(sub.tag, str) and _split(sub.tag)[1] == "subfield":
                    code = (sub.get("code") or "")[:1]
                    if code:
                        subs.append((code, _nfc(sub.text)))
            fields.setdefault(tag, []).append((ind, subs))
    if not fields:
        raise RecordError("record without any field")
    raw = leader + "".join(f"{t}{v!r}" for t, v in fields.items())
    return MarcRecord(leader, fields, raw)


def iter_records(stream: BinaryIO) -> Iterator[MarcRecord | RecordError]:
    """Yield a MarcRecord (or a RecordError) per `<record>`; a final RecordError on bad XML."""
    stack: list[ET.Element] = []
    depth_in_record = 0
    try:
        for event, elem in ET.iterparse(stream, events=("start", "end")):
            if event == "start":
                stack.append(elem)
                if depth_in_record:
                    depth_in_record += 1
                elif _is_record(elem):
                    depth_in_record = 1
                continue
            stack.pop()
            if depth_in_record:
                depth_in_record -= 1
                if depth_in_record == 0:
                    try:
                        yield _build(elem)
                    except RecordError as exc:
                        yield exc
                    elem.clear()
                    if stack:
                        stack[-1].remove(elem)
            elif not stack:
                elem.clear()
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        yield RecordError(f"malformed XML at line {line}, column {column}: {exc}")


def _is_record(elem: ET.Element) -> bool:
    if not isinstance(elem.tag, str):
        return False
    ns, local = _split(elem.tag)
    return local == "record" and ns in MARC_NAMESPACES
