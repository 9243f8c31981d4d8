"""The service's name, logo and colours on this bus: ``[branding]`` of config.toml (no Qt).

Another département deploys the kiosk under its own name ("la Navette numérique", "le Médiabus")
without touching code.  The visitors' screens say the name inside sentences ("Bienvenue dans le
numéribus", "Prochains passages du numéribus"), so French needs it with its article, and with
"de" + article: `Branding.forms` gives both, in French or in English.

The colours replace the accent of the light themes ("standard", "creme") and, with
``accent_dark``, of the dark theme ("sombre"): links, buttons, selected chips.  The "contraste"
theme is never changed.  A colour is refused (and the theme's own kept) when any text drawn with
it or on it would fall below the theme's contrast minimum (4.5:1): the kiosk stays as readable
as it was tested.  The keys are documented in docs/configuration.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .accessibility.themes import THEMES, Theme, contrast_ratio, text_pairs

DEFAULT_NAME = "numéribus"
DEFAULT_ARTICLE = "le"
NAME_MAX = 40
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
LOGO_MAX_BYTES = 2 * 1024 * 1024
# article -> (article + name, "de" + article + name) before a consonant
ARTICLES = {
    "le": ("le ", "du "),
    "la": ("la ", "de la "),
    "les": ("les ", "des "),
    "l'": ("l'", "de l'"),
    "": ("", "de "),
}
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")
# Which themes each colour key changes, and the roles it sets in them.
ACCENT_ROLES = ("accent", "button_background", "chip_on_background")
COLOUR_KEYS = {"accent": ("standard", "creme"), "accent_dark": ("sombre",)}


@dataclass(frozen=True, slots=True)
class Branding:
    """``[branding]``: the name visitors know the service by, its logo, its colours."""

    name: str = DEFAULT_NAME
    article: str = DEFAULT_ARTICLE  # "le", "la", "l'", "les", or "" for a name said without one
    logo: Path | None = None  # an existing PNG, JPEG or SVG file
    accent: str | None = None  # light themes; None: the theme's own
    accent_dark: str | None = None  # the dark theme; None: the theme's own

    @property
    def title(self) -> str:
        """The name with a capital, as a title: "Numéribus"."""
        return self.name[:1].upper() + self.name[1:]

    def forms(self, language: str = "fr") -> tuple[str, str]:
        """(the name with its article, the name after "of"): ("le numéribus", "du numéribus").

        French elides before a vowel ("l'autobus", "de l'autobus", "d'Ulysse"); English gives
        ("the numéribus", "the numéribus"), or the bare name when it has no article."""
        if language != "fr":
            the = f"the {self.name}" if self.article else self.name
            return the, the
        article = self.article
        if self.name[:1] in _VOWELS and article in ("le", "la"):
            article = "l'"
        the, of = ARTICLES[article]
        if not article and self.name[:1] in _VOWELS:
            of = "d'"
        return the + self.name, of + self.name

    def themes(self, base: Mapping[str, Theme] = THEMES) -> dict[str, Theme]:
        """`base` with this branding's colours in the themes they apply to."""
        themes = dict(base)
        for key, names in COLOUR_KEYS.items():
            colour = getattr(self, key)
            if colour is not None:
                for name in names:
                    themes[name] = _with_accent(themes[name], colour)
        return themes


def _with_accent(theme: Theme, colour: str) -> Theme:
    return dataclasses.replace(theme, **dict.fromkeys(ACCENT_ROLES, colour))


def normal_colour(value: object) -> str | None:
    """'#RRGGBB' in upper case for '#rrggbb', 'RRGGBB' or '#RGB'; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        return None
    return "#" + text.upper()


def accent_problem(key: str, colour: str, base: Mapping[str, Theme] = THEMES) -> str | None:
    """Why `colour` cannot be the `key` colour ("accent" or "accent_dark"), or None when it can.

    It can when every text pair of every theme it changes keeps the theme's contrast minimum."""
    for name in COLOUR_KEYS[key]:
        theme = _with_accent(base[name], colour)
        for what, fg, bg in text_pairs(theme):
            ratio = contrast_ratio(fg, bg)
            if ratio < theme.min_text_contrast and colour in (fg, bg):
                return (
                    f"branding.{key} {colour} is too pale or too dark for the {name!r} theme: {what} would be "
                    f"{ratio:.1f}:1, at least {theme.min_text_contrast}:1 is needed; the theme's own colour is used"
                )
    return None
