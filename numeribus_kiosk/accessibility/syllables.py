"""French written-syllable splitter ("syllabes écrites") for DYS syllable colouring.

``syllables(word)`` cuts a French word into the *written* syllables taught by the
"méthode syllabique" and used for "syllabes colorées": é-co-le, pa-pi-llon,
bi-blio-thè-que, ar-bre, lec-tu-re.  It is a pure, rule-based function (no
dictionary, no Qt): the UI joins the chunks back and colours them alternately.

Guarantees (checked by property tests): ``"".join(syllables(s)) == s`` for any
string, no chunk is empty, it never raises, and ``syllables("") == []``.

Rules implemented (after the classic school rules, e.g. the "9 grandes règles de
découpage des syllabes", and the written-syllable mode of LireCouleur by
Marie-Pierre Brungard, GPL-3.0 -- only ideas were reused, no code):

* Vowel letters: a e i o u y and accented/diaeresis forms, æ, œ.  ``y`` between
  two vowels is a consonant that starts the next syllable (cra-yon, no-yau);
  ``y`` at the start of a word before a vowel is a consonant (yeux, yo-ga).
* Vowel groups kept together: ai, ei, oi, oê, ou, au, eau, eu, œu, oeu, ay/ey/oy/uy
  before a consonant, aoû (août).  A glide ``i``/``u``/``ou`` before another
  vowel is joined to it (blio, cie, pluie, nuage -> nua-ge, lion, jouer); a mute
  ``e`` after i/u/ou/ai/oi... is joined to the vowel before it (vie, rue, joue,
  pluie); ``é`` + final ``e``/``es``/``ent`` too (fée, jour-née) but
  ``é``+``e`` elsewhere is a hiatus (ré-el, cré-er).  An ``e`` after ``g``/other
  consonant and before a/o is a spelling e joined to the next vowel (pi-geon,
  man-geait).  The ``i`` of -euil, -ueil, -ouil, œil goes with its vowel group
  (fau-teuil, ac-cueil).  Other vowel pairs are hiatus and split (a-é-ro-port,
  po-è-me, ex-tra-or-di-nai-re); a diaeresis (ë ï ü) always starts a new vowel
  (na-ïf, No-ël).
* Consonant units never split: ch, ph, th, sh, sch, kh, rh, gh, wh, ck, gn,
  qu (always), gu before e/i/y/é/è/ê/ë, and the ``ll`` of "ill" before a vowel,
  which goes with the following vowel (pa-pi-llon, fi-lle, tra-vai-ller).  Words
  starting with ill-, mill-, vill-, tranquill-... keep ``ll`` = /l/ and split it
  (il-lu-sion, vil-le, mil-le).
* Between two vowel groups: a single consonant unit starts the next syllable
  (a-mi, ta-xi); otherwise the next syllable takes the last unit, or the last two
  when they form an obstruent + l/r cluster (bl cl fl gl pl br cr dr fr gr pr tr
  vr, chr phr thr...).  So two consonants split between them (par-tir, lec-tu-re,
  pom-me), three split after the first when the last two are a cluster (ar-bre,
  ex-tra) and after the second otherwise (obs-ta-cle, ins-tal-ler).
* The final mute ``e`` after a consonant is its own written syllable
  (é-co-le, ta-ble, lec-tu-re, ta-bles, par-lent).
* ``x`` is an ordinary consonant: between vowels it starts the next syllable
  (ta-xi, e-xa-men, e-xer-ci-ce) -- the written convention of early reading
  books, rather than the typographic "ex-a-men".
* Apostrophe: the elided word joins the next syllable (l'é-co-le,
  au-jour-d'hui, jus-qu'à).
* Anything that is not a letter/apostrophe (hyphen, space, digits, punctuation)
  is returned as one chunk per run: "arc-en-ciel" -> arc | - | en | - | ciel,
  "2024" -> 2024.  Use :func:`is_syllable` to tell syllables from separators.
  A letter run without any vowel ("Mlle", "pfff") is returned whole.

Known limits: no dictionary, so phonetic exceptions are approximated (the glide
rule gives "prier" and "cruel" as one written syllable; "ill" = /il/ is only
recognised through a short prefix list; "oe" read /wa/ as in "moelle" is split
mo-el-le; "-tion"/"-sion" keep "tion" together).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["syllables", "is_syllable"]

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœáíóúìòãõåø")
_DIAERESIS = frozenset("ëïüÿ")
_APOSTROPHES = frozenset("'’ʼ")
# Multi-letter vowel spellings, longest first (matched greedily left to right).
_VOWEL_GROUPS = (
    "aoû",
    "eau",
    "œu",
    "oeu",
    "oei",
    "ai",
    "aî",
    "ei",
    "eî",
    "oi",
    "oî",
    "oê",
    "ou",
    "oû",
    "où",
    "au",
    "eu",
    "eû",
    "ay",
    "ey",
    "oy",
    "uy",
)
# Vowel spellings that glide into a following vowel (i-o, u-i, ou-a ...).
_GLIDES = frozenset({"i", "u", "ou", "ï", "î"})
# Vowel spellings after which a mute unaccented "e" is not a syllable of its own.
_MUTE_E_HOSTS_END = ("i", "u", "î", "û", "ï", "y")
# Consonant + h units.
_H_DIGRAPH_FIRST = frozenset("cptskrgw")
# Obstruents that form an onset cluster with a following l or r.
_CLUSTER_FIRST = frozenset({"b", "c", "d", "f", "g", "k", "p", "t", "v", "ch", "ph", "th", "gh", "kh"})
_NOT_CLUSTERS = frozenset({("d", "l"), ("t", "l"), ("v", "l")})
# Words where "ill" + vowel is read /il/ (double l split as usual).
_ILL_L_PREFIXES = ("ill", "mill", "vill", "tranquill", "lill", "distill", "oscill", "pupill", "bacill")

_GRAPHEME = re.compile(r".[\u0300-\u036f]*", re.DOTALL)


def is_syllable(chunk: str) -> bool:
    """True when ``chunk`` (an item of :func:`syllables`) contains a letter, i.e.
    is a syllable to colour rather than a separator (space, hyphen, digits...)."""
    return any(ch.isalpha() for ch in chunk)


def _key(grapheme: str) -> str:
    """Lower-case NFC form used for classification ('#' = opaque consonant)."""
    key = unicodedata.normalize("NFC", grapheme.lower())
    return key if len(key) == 1 else "#"


def _is_word_char(grapheme: str) -> bool:
    return grapheme[0].isalpha() or grapheme[0] in _APOSTROPHES


def syllables(word: str) -> list[str]:
    """Split ``word`` into French written syllables; see the module docstring."""
    if not isinstance(word, str):
        raise TypeError(f"syllables() expects a str, not {type(word).__name__}")
    graphemes = _GRAPHEME.findall(word)
    chunks: list[str] = []
    run: list[str] = []
    run_is_word = False
    for g in graphemes:
        is_word = _is_word_char(g)
        if run and is_word != run_is_word:
            chunks.extend(_split_word(run) if run_is_word else ["".join(run)])
            run = []
        run.append(g)
        run_is_word = is_word
    if run:
        chunks.extend(_split_word(run) if run_is_word else ["".join(run)])
    return chunks


# --- tokenisation -----------------------------------------------------------

# A token is (kind, start, end, key) over the grapheme list; kind is "V" (one
# vowel letter), "C" (a consonant unit) or "A" (apostrophe).


def _vowel_flags(keys: list[str]) -> list[bool]:
    flags = [k in _VOWELS for k in keys]
    n = len(keys)
    for i, k in enumerate(keys):
        if k in ("y", "ÿ"):
            prev_v = i > 0 and keys[i - 1] in _VOWELS and keys[i - 1] not in ("y", "ÿ")
            next_v = i + 1 < n and keys[i + 1] in _VOWELS
            if next_v and (prev_v or i == 0 or keys[i - 1] in _APOSTROPHES):
                flags[i] = False
    # u of "qu", u of "gu" before e/i/y/é/è/ê/ë is part of the consonant.
    for i in range(1, n):
        after_q = keys[i - 1] == "q"
        after_g = keys[i - 1] == "g" and i + 1 < n and keys[i + 1] in "eiyéèêë"
        if keys[i] == "u" and flags[i] and (after_q or after_g):
            flags[i] = False
    return flags


def _tokenise(keys: list[str]) -> list[tuple[str, int, int, str]]:
    flags = _vowel_flags(keys)
    lower_word = "".join(keys)
    ill_is_l = lower_word.startswith(_ILL_L_PREFIXES)
    tokens: list[tuple[str, int, int, str]] = []
    n = len(keys)
    i = 0
    while i < n:
        k = keys[i]
        if flags[i]:
            tokens.append(("V", i, i + 1, k))
            i += 1
            continue
        if k in _APOSTROPHES:
            tokens.append(("A", i, i + 1, k))
            i += 1
            continue
        nxt = keys[i + 1] if i + 1 < n else ""
        if k in ("q", "g") and nxt == "u" and not flags[i + 1]:
            tokens.append(("C", i, i + 2, k + "u"))
            i += 2
        elif k == "s" and nxt == "c" and i + 2 < n and keys[i + 2] == "h":
            tokens.append(("C", i, i + 3, "sch"))
            i += 3
        elif k in _H_DIGRAPH_FIRST and nxt == "h":
            tokens.append(("C", i, i + 2, k + "h"))
            i += 2
        elif (k, nxt) in (("c", "k"), ("g", "n")):
            tokens.append(("C", i, i + 2, k + nxt))
            i += 2
        elif (
            k == "l"
            and nxt == "l"
            and not ill_is_l
            and i > 0
            and keys[i - 1] == "i"
            and flags[i - 1]
            and i + 2 < n
            and flags[i + 2]
        ):
            tokens.append(("C", i, i + 2, "ILL"))
            i += 2
        else:
            tokens.append(("C", i, i + 1, k))
            i += 1
    return tokens


# --- vowel runs ---------------------------------------------------------------


def _vowel_spellings(keys: list[str]) -> list[str]:
    """Cut a run of vowel letters into spellings (ai, eau, é, ...), greedily."""
    out: list[str] = []
    i = 0
    text = "".join(keys)
    while i < len(text):
        for group in _VOWEL_GROUPS:
            if text.startswith(group, i):
                out.append(group)
                i += len(group)
                break
        else:
            out.append(text[i])
            i += 1
    return out


def _nuclei(keys: list[str], tail: str, next_consonant: str) -> list[int]:
    """Split a run of vowel letters into syllable nuclei; return their lengths.

    ``tail`` the lower-case rest of the word after the run and ``next_consonant``
    the consonant unit right after the run ('' when none)."""
    spellings = _vowel_spellings(keys)
    nuclei: list[list[str]] = []
    for idx, sp in enumerate(spellings):
        if not nuclei:
            nuclei.append([sp])
            continue
        current = nuclei[-1]
        last = current[-1]
        if sp[0] in _DIAERESIS:
            nuclei.append([sp])
        elif last in _GLIDES and not (last == "i" and sp[0] == "i"):
            current.append(sp)  # i-o, u-i, ou-a: glide + vowel
        elif sp == "e" and last.endswith(_MUTE_E_HOSTS_END):
            current.append(sp)  # mute e after a vowel: vie, rue, pluie, gaieté
        elif sp == "e" and last == "é" and idx == len(spellings) - 1 and tail in ("", "s", "nt"):
            current.append(sp)  # fée, journées
        elif last == "e" and len(current) == 1 and sp[0] in "aoâô":
            current.append(sp)  # spelling e: pi-geon, man-geait, Jean
        elif sp == "i" and idx == len(spellings) - 1 and next_consonant in ("l", "ILL") and (last[-1] in "uœe"):
            current.append(sp)  # fau-teuil, ac-cueil, œil, feui-lle
        else:
            nuclei.append([sp])
    return [sum(len(s) for s in nucleus) for nucleus in nuclei]


# --- consonant distribution ---------------------------------------------------


def _onset_start(units: list[tuple[str, int, int, str]]) -> int:
    """Index in ``units`` (consonants/apostrophes between two nuclei) where the
    next syllable starts."""
    if not units:
        return 0
    apostrophes = [i for i, u in enumerate(units) if u[0] == "A"]
    if apostrophes:
        last = apostrophes[-1]
        # The elided word ("l'", "d'", "qu'") goes with what follows.
        return last - 1 if last > 0 and units[last - 1][0] == "C" else last
    if len(units) >= 2:
        first, second = units[-2][3], units[-1][3]
        if first in _CLUSTER_FIRST and second in ("l", "r") and (first, second) not in _NOT_CLUSTERS:
            return len(units) - 2
    return len(units) - 1


def _split_word(graphemes: list[str]) -> list[str]:
    keys = [_key(g) for g in graphemes]
    tokens = _tokenise(keys)
    # Group consecutive vowel tokens into runs, then runs into nuclei.
    nuclei: list[tuple[int, int]] = []  # (start, end) grapheme indices
    i = 0
    n_tok = len(tokens)
    while i < n_tok:
        if tokens[i][0] != "V":
            i += 1
            continue
        j = i
        while j < n_tok and tokens[j][0] == "V":
            j += 1
        start, end = tokens[i][1], tokens[j - 1][2]
        next_c = tokens[j][3] if j < n_tok and tokens[j][0] == "C" else ""
        tail = "".join(keys[end:])
        pos = start
        for length in _nuclei(keys[start:end], tail, next_c):
            nuclei.append((pos, pos + length))
            pos += length
        i = j
    if not nuclei:
        return ["".join(graphemes)]
    # Syllable boundaries: one between each pair of consecutive nuclei.
    cuts: list[int] = []
    for (_, end_a), (start_b, _) in zip(nuclei, nuclei[1:], strict=False):
        units = [t for t in tokens if t[1] >= end_a and t[2] <= start_b]
        k = _onset_start(units)
        cuts.append(units[k][1] if units else start_b)
    bounds = [0, *cuts, len(graphemes)]
    return ["".join(graphemes[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
