"""French text to be spoken by espeak-ng (pure string processing, no Qt, no audio).

``describe(name, role, state)`` builds the sentence spoken when a visitor touches
an element ("Gros caractères, case à cocher, cochée").  ``speakable(text)``
prepares catalogue text (titles, ISBD descriptions) for a French voice: it
expands the usual cataloguing abbreviations, reads ISBD punctuation as pauses,
removes MARC non-sorting control characters and brackets, and leaves numbers
(years, page counts) as digits, which espeak-ng reads well in French.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ROLES", "describe", "speakable"]

# Role keys (French or Qt/ARIA-like English) -> spoken French role.
ROLES: dict[str, str] = {
    "bouton": "bouton",
    "button": "bouton",
    "case à cocher": "case à cocher",
    "checkbox": "case à cocher",
    "interrupteur": "interrupteur",
    "switch": "interrupteur",
    "bouton radio": "bouton radio",
    "radio": "bouton radio",
    "lien": "lien",
    "link": "lien",
    "champ de saisie": "champ de saisie",
    "textfield": "champ de saisie",
    "text": "texte",
    "texte": "texte",
    "titre": "titre",
    "heading": "titre",
    "image": "image",
    "liste": "liste",
    "list": "liste",
    "élément de liste": "élément de liste",
    "listitem": "élément de liste",
    "onglet": "onglet",
    "tab": "onglet",
    "curseur": "curseur",
    "slider": "curseur",
    "menu": "menu",
    "dialogue": "boîte de dialogue",
    "dialog": "boîte de dialogue",
}

# Spoken words for a boolean state, by spoken role (default: activé/désactivé).
_BOOL_STATES: dict[str, tuple[str, str]] = {
    "case à cocher": ("cochée", "non cochée"),
    "bouton radio": ("sélectionné", "non sélectionné"),
    "onglet": ("sélectionné", "non sélectionné"),
    "élément de liste": ("sélectionné", "non sélectionné"),
}


def _clean_part(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(",;").strip()


def describe(name: str, role: str, state: bool | str | None = None) -> str:
    """The French sentence spoken for a touched element.

    >>> describe("Chercher un document", "bouton")
    'Chercher un document, bouton'
    >>> describe("Gros caractères", "case à cocher", True)
    'Gros caractères, case à cocher, cochée'

    ``role`` is a key of ROLES (French or English) or any French text, spoken as
    given.  ``state`` may be a bool (spoken "cochée"/"non cochée" for a check
    box, "sélectionné"/"non sélectionné" for radio buttons, tabs and list items,
    "activé"/"désactivé" otherwise) or free French text ("désactivé", "3 sur 5")."""
    spoken_role = ROLES.get(_clean_part(role).lower(), _clean_part(role))
    parts = [speakable(name), spoken_role]
    if isinstance(state, bool):
        on, off = _BOOL_STATES.get(spoken_role, ("activé", "désactivé"))
        parts.append(on if state else off)
    elif state is not None:
        parts.append(_clean_part(str(state)))
    return ", ".join(p for p in (_clean_part(p) for p in parts) if p)


# --- speakable -------------------------------------------------------------------

# MARC non-sorting markers (U+0088/U+0089 in MARC 21, U+0098/U+009C in UNIMARC)
# and every other C0/C1 control character except ordinary whitespace.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff]")

_ORDINALS = {
    1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", 5: "cinquième",
    6: "sixième", 7: "septième", 8: "huitième", 9: "neuvième", 10: "dixième",
    11: "onzième", 12: "douzième", 13: "treizième", 14: "quatorzième", 15: "quinzième",
    16: "seizième", 17: "dix-septième", 18: "dix-huitième", 19: "dix-neuvième", 20: "vingtième",
}  # fmt: skip

# (pattern, replacement) applied in order; patterns are case-sensitive unless marked.
_WORD = r"(?<![\w.])"  # start of a word (not after a letter, digit or dot)
_RULES: list[tuple[re.Pattern[str], str]] = [
    # ISBD "[S.l.]", "[s.n.]", "[s.d.]" -- before brackets are removed.
    (re.compile(_WORD + r"s\.\s?l\.(?!\w)", re.I), "sans lieu"),
    (re.compile(_WORD + r"s\.\s?n\.(?!\w)", re.I), "sans nom d'éditeur"),
    (re.compile(_WORD + r"s\.\s?d\.(?!\w)", re.I), "sans date"),
    (re.compile(_WORD + r"(?:ca|env\.|vers)\s+(?=\d)", re.I), "vers "),
    # Pages: "245 p." -> "245 pages", "1 p." -> "1 page", "p. 12" -> "page 12".
    (re.compile(r"(?<!\d)1\s*p\.(?!\w)"), "1 page"),
    (re.compile(r"(\d)\s*pp?\.(?!\w)"), r"\1 pages"),
    (re.compile(_WORD + r"pp?\.\s*(?=\d)"), "page "),
    (re.compile(r"(\d)\s*f\.(?!\w)"), r"\1 feuillets"),
    (re.compile(r"(?<!\d)1\s*vol\.(?!\w)"), "1 volume"),
    (re.compile(r"(\d)\s*vol\.(?!\w)"), r"\1 volumes"),
    (re.compile(_WORD + r"vol\.\s*(?=\d|[IVXLC]+\b)", re.I), "volume "),
    (re.compile(_WORD + r"t\.\s*(?=\d|[IVXLC]+\b)", re.I), "tome "),
    (re.compile(_WORD + r"(?:n°|nº|no\.|n\.°)\s*(?=\d)", re.I), "numéro "),
    (re.compile(_WORD + r"(?:n°|nº)", re.I), "numéro"),
    (re.compile(r"(\d)\s*cm(?!\w)"), r"\1 centimètres"),
    (re.compile(r"(\d)\s*mm(?!\w)"), r"\1 millimètres"),
    (re.compile(r"(\d)\s*min(?!\w)\.?"), r"\1 minutes"),
    (re.compile(_WORD + r"ill\.(?!\w)", re.I), "illustrations"),
    (re.compile(_WORD + r"coul\.(?!\w)", re.I), "couleur"),
    (re.compile(_WORD + r"n\.\s?et\s?b\.(?!\w)", re.I), "en noir et blanc"),
    (re.compile(_WORD + r"fig\.(?!\w)", re.I), "figures"),
    (re.compile(_WORD + r"(é|É)d\.(?!\w)"), "édition"),
    (re.compile(_WORD + r"trad\.(?!\w)", re.I), "traduction"),
    (re.compile(_WORD + r"dir\.(?!\w)", re.I), "direction"),
    (re.compile(_WORD + r"coll\.(?!\w)", re.I), "collection"),
    (re.compile(_WORD + r"réimpr\.(?!\w)", re.I), "réimpression"),
    (re.compile(_WORD + r"impr\.(?!\w)", re.I), "impression"),
    (re.compile(_WORD + r"préf\.(?!\w)", re.I), "préface"),
    (re.compile(_WORD + r"r[eé]v\.(?!\w)", re.I), "révisée"),
    (re.compile(_WORD + r"corr\.(?!\w)", re.I), "corrigée"),
    (re.compile(_WORD + r"augm\.(?!\w)", re.I), "augmentée"),
    (re.compile(_WORD + r"etc\.?(?!\w)", re.I), "et cetera"),
    # Names of saints, people and places.
    (re.compile(r"(?<!\w)Ste(?:\.|(?=[-\s]))"), "Sainte"),
    (re.compile(r"(?<!\w)St(?:\.|(?=[-\s]))"), "Saint"),
    (re.compile(r"(?<!\w)Mme(?!\w)\.?"), "Madame"),
    (re.compile(r"(?<!\w)Mlle(?!\w)\.?"), "Mademoiselle"),
    (re.compile(r"(?<!\w)MM\.\s"), "Messieurs "),
    (re.compile(r"(?<!\w)M\.\s(?=[A-ZÀ-Þ])"), "Monsieur "),
    (re.compile(r"(?<!\w)Dr(?!\w)\.?"), "Docteur"),
    (re.compile(r"\s*&\s*"), " et "),
]

_ORDINAL = re.compile(r"(?<![\w.])(\d{1,2})(?:er|re|ère|e|ème|è)(?!\w)")
# ISBD punctuation read as a pause: " / " (responsibility), " : " (other title),
# " ; " (parallel parts), " = " (parallel title), ". - " / ". -- " (areas).
_ISBD_AREA = re.compile(r"\s*\.?\s+-{1,2}\s+")
_ISBD_PAUSE = re.compile(r"\s+[/:;=]\s+|\s+[:;]$")


_ROMAN_AFTER = re.compile(r"(?<!\w)(tome|volume|livre|partie|chapitre) ([IVXLC]+)(?!\w)", re.I)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(match: re.Match[str]) -> str:
    """'tome II' -> 'tome 2' (espeak-ng would spell the letters)."""
    letters = match.group(2).upper()
    total = 0
    for i, letter in enumerate(letters):
        value = _ROMAN_VALUES[letter]
        if i + 1 < len(letters) and _ROMAN_VALUES[letters[i + 1]] > value:
            total -= value
        else:
            total += value
    if total <= 0 or not re.fullmatch(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", letters):
        return match.group(0)
    return f"{match.group(1)} {total}"


def _ordinal(match: re.Match[str]) -> str:
    number = int(match.group(1))
    word = _ORDINALS.get(number)
    if word is None:
        return match.group(0)
    if number == 1 and match.group(0).endswith(("re", "ère")):
        return "première"
    return word


def speakable(text: str) -> str:
    """``text`` made good for espeak-ng in French (see the module docstring).

    >>> speakable("Les misérables / Victor Hugo. - 2e éd. - Paris : Gallimard, 1995. - 245 p. : ill.")
    'Les misérables, Victor Hugo. deuxième édition. Paris, Gallimard, 1995. 245 pages, illustrations'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = _CONTROL.sub("", text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    text = _ORDINAL.sub(_ordinal, text)
    text = _ROMAN_AFTER.sub(_roman, text)
    text = re.sub(r"[\[\]{}]", "", text)  # ISBD supplied information, e.g. "[Paris]"
    text = _ISBD_AREA.sub(". ", text)
    text = _ISBD_PAUSE.sub(", ", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    text = re.sub(r"([,.])(?:\s*[,])+", r"\1", text)  # ", ," or "., " -> one mark
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)  # "ill.." -> "ill." (an ellipsis is kept)
    return text.strip(" ,;:/=-")
