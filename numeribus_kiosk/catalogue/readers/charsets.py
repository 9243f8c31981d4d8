"""Character sets of ISO 2709 records: UTF-8 first, then the declared set, then latin-1.

UNIMARC declares its character sets in 100$a positions 26-29 (G0 and G1 sets),
MARC21 in leader/09 (' ' = MARC-8, 'a' = UTF-8).  Many French files declare
ISO 5426 ("0103") while their bytes are really UTF-8, so UTF-8 is always tried
first.  This module works on whole byte strings of one field or subfield; the
ISO 2709 delimiters (0x1D, 0x1E, 0x1F) are never touched.
"""

from __future__ import annotations

import re
import unicodedata

# --- ISO 5426 (extended Latin for bibliographic use) ----------------------------------------
# Non-spacing diacritics (0xC0-0xDF) precede the base letter they apply to.
_ISO5426_COMBINING = {
    0xC0: "\u0309",  # hook above
    0xC1: "\u0300",  # grave
    0xC2: "\u0301",  # acute
    0xC3: "\u0302",  # circumflex
    0xC4: "\u0303",  # tilde
    0xC5: "\u0304",  # macron
    0xC6: "\u0306",  # breve
    0xC7: "\u0307",  # dot above
    0xC8: "\u0308",  # umlaut
    0xC9: "\u0308",  # diaeresis
    0xCA: "\u030a",  # ring above
    0xCB: "\u0315",  # comma above right
    0xCC: "\u0313",  # comma above
    0xCD: "\u030b",  # double acute
    0xCE: "\u0310",  # candrabindu
    0xCF: "\u030c",  # caron
    0xD0: "\u0327",  # cedilla
    0xD1: "\u031c",  # left hook
    0xD2: "\u0328",  # right hook (ogonek)
    0xD3: "\u0323",  # dot below
    0xD4: "\u0324",  # double dot below
    0xD5: "\u0325",  # ring below
    0xD6: "\u0333",  # double underline
    0xD7: "\u0332",  # underline
    0xD8: "\u0326",  # comma below
    0xD9: "\u031c",  # left half ring below
    0xDA: "\u032e",  # breve below
    0xDD: "\u0360",  # double tilde (second half ignored by most systems)
    0xDE: "\u0361",  # ligature (double inverted breve)
}

_ISO5426_SPACING = {
    0x88: "\u0088",  # non-sorting begin (NSB), kept for strip_non_sorting
    0x89: "\u0089",  # non-sorting end (NSE)
    0xA1: "\u00a1",
    0xA2: "\u201e",
    0xA3: "\u00a3",
    0xA4: "$",
    0xA5: "\u00a5",
    0xA6: "\u2020",
    0xA7: "\u00a7",
    0xA8: "\u2032",
    0xA9: "\u2018",
    0xAA: "\u201c",
    0xAB: "\u00ab",
    0xAC: "\u266d",
    0xAD: "\u00a9",
    0xAE: "\u2117",
    0xAF: "\u00ae",
    0xB0: "\u02bb",
    0xB1: "\u02bc",
    0xB2: "\u201a",
    0xB6: "\u2021",
    0xB7: "\u00b7",
    0xB8: "\u2033",
    0xB9: "\u2019",
    0xBA: "\u201d",
    0xBB: "\u00bb",
    0xBC: "\u266f",
    0xBD: "\u02b9",
    0xBE: "\u02ba",
    0xBF: "\u00bf",
    0xE1: "\u00c6",
    0xE2: "\u0110",
    0xE6: "\u0132",
    0xE8: "\u0141",
    0xE9: "\u00d8",
    0xEA: "\u0152",
    0xEC: "\u00de",
    0xF1: "\u00e6",
    0xF2: "\u0111",
    0xF3: "\u00f0",
    0xF5: "\u0131",
    0xF6: "\u0133",
    0xF8: "\u0142",
    0xF9: "\u00f8",
    0xFA: "\u0153",
    0xFB: "\u00df",
    0xFC: "\u00fe",
}


def iso5426_to_unicode(data: bytes) -> str:
    """Decode ISO 646 + ISO 5426 bytes to NFC text (diacritics precede their letter)."""
    out: list[str] = []
    pending: list[str] = []  # combining marks waiting for their base letter
    for byte in data:
        if byte < 0x80:
            out.append(chr(byte))
            if pending:
                out.extend(reversed(pending))
                pending.clear()
            continue
        mark = _ISO5426_COMBINING.get(byte)
        if mark is not None:
            pending.append(mark)
            continue
        char = _ISO5426_SPACING.get(byte)
        if char is None:
            char = "\ufffd"
        out.append(char)
        if pending:
            out.extend(reversed(pending))
            pending.clear()
    out.extend(pending)  # dangling marks: keep them rather than lose information
    return unicodedata.normalize("NFC", "".join(out))


def marc8_to_text(data: bytes) -> str:
    """Decode MARC-8 bytes with pymarc's converter (imported lazily: it is big)."""
    from pymarc.marc8 import marc8_to_unicode

    return unicodedata.normalize("NFC", marc8_to_unicode(data, hide_utf8_warnings=True))


def latin1_to_text(data: bytes) -> str:
    return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def utf8_lenient(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def looks_mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with a few damaged sequences, not another charset."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 0 and bad <= max(1, good // 10)


# --- UTF-8 stored twice ("Ã©" for "é", "Â°" for "°") ---------------------------------------
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")


def fix_double_utf8(text: str) -> str:
    """Repair sequences of UTF-8 that were decoded as latin-1 and encoded again."""

    def repair(match: re.Match[str]) -> str:
        chunk = match.group(0)
        try:
            return chunk.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return chunk

    for _ in range(3):  # some exports encoded twice or three times
        fixed = _MOJIBAKE.sub(repair, text)
        if fixed == text:
            break
        text = fixed
    return text


def needs_mojibake_fix(text: str) -> bool:
    return _MOJIBAKE.search(text) is not None


# --- declared character sets ------------------------------------------------------------------
def unimarc_declared_charset(field100a: str) -> str:
    """'iso5426', 'utf-8', 'latin-1' or '' from UNIMARC 100$a positions 26-29."""
    codes = field100a[26:30]
    if len(codes) < 2:
        return ""
    sets = {codes[0:2], codes[2:4]}
    if "50" in sets:
        return "utf-8"
    if "03" in sets:
        return "iso5426"
    if "01" in sets:
        return "iso5426"  # ISO 646 alone: ASCII; any 8-bit byte is most likely ISO 5426
    return ""


def decoder_for(charset: str):
    return {
        "iso5426": iso5426_to_unicode,
        "marc8": marc8_to_text,
        "latin-1": latin1_to_text,
        "utf-8": utf8_lenient,
    }.get(charset, latin1_to_text)
