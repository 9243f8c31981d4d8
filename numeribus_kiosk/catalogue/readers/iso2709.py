"""ISO 2709 (binary MARC) records: splitting a byte stream and parsing one record.

Records are split on the record terminator 0x1D, never on the leader's length
(some systems count characters, not bytes).  Within a record the data area is
split on the field terminator 0x1E; the directory only gives the tags, so a
directory whose lengths or offsets are wrong does not matter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from . import charsets
from .marc import MarcRecord

RT = b"\x1d"
FT = "\x1e"
_JUNK = b"\x00\r\n\x1a"  # NULs, line breaks, DOS end-of-file between records
_CHUNK = 1 << 20


class RecordError(ValueError):
    """One record that cannot be parsed; the message is the reason shown to the user."""


class TruncatedRecord(bytes):
    """The last piece of a file: a leader, no record terminator, fewer bytes than announced."""

    @property
    def announced(self) -> int:
        return int(self[:5])


def split_records(stream: BinaryIO, chunk_size: int = _CHUNK) -> Iterator[bytes]:
    """Yield the bytes of each record (without terminator), skipping empty ones and junk."""
    pending = b""
    while True:
        block = stream.read(chunk_size)
        if not block:
            break
        pending += block
        parts = pending.split(RT)
        pending = parts.pop()
        for part in parts:
            part = part.strip(_JUNK)
            if part:
                yield part
    tail = pending.strip(_JUNK).strip()
    # Trailing junk (a few bytes, or something that has no leader) is ignored; a real but
    # truncated last record is still handed over so the user hears about it.
    if len(tail) >= 24 and tail[:5].isdigit():
        # Leaders that count characters announce fewer bytes than there are, never more:
        # a tail shorter than its leader says is a file cut short (a copy interrupted).
        yield TruncatedRecord(tail) if int(tail[:5]) > len(tail) + 1 else tail


def _declared_charset(raw: bytes) -> str:
    """The character set the record declares: 'marc8', 'iso5426', 'utf-8' or ''."""
    leader = raw[:24]
    # UNIMARC: find 100$a by scanning the directory for tag 100.
    end = raw.find(b"\x1e", 24)
    if end > 24:
        directory = raw[24:end]
        data = raw[end + 1 :].split(b"\x1e")
        tags = [directory[i : i + 3] for i in range(0, len(directory) - 11, 12)]
        for i, tag in enumerate(tags):
            if tag == b"100" and i < len(data):
                value = data[i]
                pos = value.find(b"\x1fa")
                if pos >= 0:
                    field = value[pos + 2 :].split(b"\x1f")[0].decode("latin-1")
                    if len(field) >= 22:
                        declared = charsets.unimarc_declared_charset(field)
                        if declared:
                            return declared
                break
    if len(leader) >= 10:
        if leader[9:10] == b"a":
            return "utf-8"
        if leader[9:10] == b" " and leader[20:24] == b"4500":
            return "marc8"
    return ""


def decode_record(raw: bytes) -> str:
    """Decode one record's bytes to text: UTF-8, else its declared set, else latin-1."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        declared = _declared_charset(raw)
        if declared in ("", "utf-8") and charsets.looks_mostly_utf8(raw):
            declared = "utf-8"
        elif declared == "utf-8":
            declared = "latin-1"
        decode = charsets.decoder_for(declared)
        try:
            text = _decode_parts(raw, decode)
        except Exception:  # a converter that chokes on garbage: last resort
            text = _decode_parts(raw, charsets.latin1_to_text)
    else:
        if not text.isascii():
            if charsets.needs_mojibake_fix(text):
                text = charsets.fix_double_utf8(text)
            if not unicodedata.is_normalized("NFC", text):
                text = unicodedata.normalize("NFC", text)
    return text


def _decode_parts(raw: bytes, decode) -> str:
    """Decode subfield by subfield so delimiters are never swallowed by a multi-byte decoder."""
    return "\x1e".join(
        "\x1f".join(decode(sub) if not sub.isascii() else sub.decode("ascii") for sub in field.split(b"\x1f"))
        for field in raw.split(b"\x1e")
    )


def parse_text(text: str, raw: bytes | str = b"") -> MarcRecord:
    """Parse the text of one record (leader + directory + data) into a MarcRecord."""
    if len(text) < 25:
        raise RecordError("record too short to hold a leader")
    leader = text[:24]
    dir_end = text.find(FT, 24)
    if dir_end < 0:
        raise RecordError("no field terminator after the directory")
    directory = text[24:dir_end]
    chunks = text[dir_end + 1 :].split(FT)
    if chunks and not chunks[-1].strip():
        chunks.pop()
    count = len(directory) // 12
    if count == 0:
        raise RecordError("empty directory")
    if count != len(chunks):
        # The directory disagrees with the data: trust the field terminators and pair them
        # with the directory's tags as far as both go.
        count = min(count, len(chunks))
    fields: dict[str, list] = {}
    for i in range(count):
        tag = directory[i * 12 : i * 12 + 3]
        # Data fields stay raw strings until a mapper asks for them (MarcRecord.datafields).
        if tag in fields:
            fields[tag].append(chunks[i])
        else:
            fields[tag] = [chunks[i]]
    if not fields:
        raise RecordError("no fields")
    return MarcRecord(leader, fields, raw)


def parse_record(raw: bytes) -> MarcRecord:
    """Parse the bytes of one record (as yielded by `split_records`)."""
    if len(raw) < 25:
        raise RecordError("record too short to hold a leader")
    text = decode_record(raw)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return parse_text(text, raw)
