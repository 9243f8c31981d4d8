"""Text normalisation shared by the readers, the index and the search.

`fold` is the one definition of "the same word" on the bus: lower case, accents
removed, ligatures spelled out, apostrophes and hyphens turned into word
separators.  The index stores folded text and queries are folded the same way,
so what FTS5's tokenizer sees is identical on both sides.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
    }
)

# Word characters after folding: letters and digits (any script).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# MARC non-sorting markers: U+0088/U+0089 (NSB/NSE, C1 controls), U+0098/U+009C
# (SOS/ST, used by some ILS the same way), and the BnF's "<<...>>" convention.
NON_SORTING = re.compile("[\u0088\u0089\u0098\u009c]")


class _CombiningStripper(dict):
    """str.translate table deleting combining marks, filled lazily (C speed once warm)."""

    def __missing__(self, codepoint: int) -> int | None:
        value = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = value
        return value


_STRIP_COMBINING = _CombiningStripper()


def fold(text: str) -> str:
    """Lower-case, strip accents and spell out ligatures: "Cœur Élevé" -> "coeur eleve"."""
    if not text:
        return ""
    if text.isascii():  # fast path, same result: nothing to decompose or spell out
        return text.casefold()
    text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = text.translate(_STRIP_COMBINING)
    return text.casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, as the search index sees them."""
    return _WORD.findall(fold(text))


def strip_non_sorting(text: str) -> tuple[str, str]:
    """Return (display, sort) forms of a title carrying non-sorting markers.

    "\x88Le \x89petit prince" -> ("Le petit prince", "petit prince");
    "<<Les >>misérables" -> ("Les misérables", "misérables").
    """
    if not text:
        return "", ""
    sort = text
    match = re.match(r"^\s*[\u0088\u0098](.*?)[\u0089\u009c]\s*", text, re.S)
    if match:
        sort = text[match.end() :]
    else:
        match = re.match(r"^\s*<<(.*?)>>\s*", text, re.S)
        if match:
            sort = text[match.end() :]
    display = NON_SORTING.sub("", text)
    display = re.sub(r"<<|>>", "", display)
    display = re.sub(r"\s+", " ", display).strip()
    sort = NON_SORTING.sub("", re.sub(r"<<|>>", "", sort))
    sort = re.sub(r"\s+", " ", sort).strip()
    return display, sort
