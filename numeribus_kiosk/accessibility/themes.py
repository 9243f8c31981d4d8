"""Colour themes of the kiosk and the WCAG 2.x contrast ratio (pure data, no Qt).

Four themes: "standard", "contraste" (black/yellow high contrast, AAA 7:1),
"sombre" (dark) and "creme" (cream background, softer dark text, for DYS
readers).  Every text colour reaches 4.5:1 (AA) against the backgrounds it is
drawn on -- 7:1 (AAA) in "contraste" -- and the focus ring reaches 3:1 against
the background (WCAG 1.4.11, non-text contrast); the test suite checks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from types import MappingProxyType

__all__ = [
    "THEMES",
    "THEME_NAMES",
    "Theme",
    "contrast_ratio",
    "get_theme",
    "relative_luminance",
    "text_pairs",
]

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _rgb(colour: str) -> tuple[int, int, int]:
    match = _HEX.fullmatch(colour.strip()) if isinstance(colour, str) else None
    if match is None:
        raise ValueError(f"not a hex colour: {colour!r} (expected '#RRGGBB' or '#RGB')")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a '#RRGGBB' (or '#RGB') sRGB colour, 0..1."""

    def linear(channel: int) -> float:
        c = channel / 255
        # WCAG 2.0/2.1 print 0.03928 as the threshold, sRGB (and WCAG 2.2) 0.04045;
        # no 8-bit value lies between them, so both give the same result.
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(colour)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1.0 to 21.0.

    Symmetric in its arguments.  Raises ValueError for a malformed colour."""
    l1, l2 = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(l1, l2), min(l1, l2)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True, slots=True)
class Theme:
    """A palette; every colour is '#RRGGBB'."""

    name: str
    label: str  # French name shown in the settings screen
    background: str
    surface: str  # cards, panels, dialogs
    text: str
    text_secondary: str
    accent: str  # links, highlighted words, icons (also used as text)
    focus_ring: str
    button_background: str
    button_text: str
    chip_on_background: str
    chip_on_text: str
    chip_off_background: str
    chip_off_text: str
    error: str  # error text drawn on background/surface
    success: str  # success text drawn on background/surface
    min_text_contrast: float = 4.5

    def __post_init__(self) -> None:
        for field in fields(self):
            if field.name in ("name", "label", "min_text_contrast"):
                continue
            _rgb(getattr(self, field.name))  # raises ValueError if malformed

    def as_dict(self) -> dict[str, str]:
        """Colours by role, e.g. for a QML palette object."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("name", "label", "min_text_contrast")
        }


def text_pairs(theme: Theme) -> list[tuple[str, str, str]]:
    """(description, foreground, background) of every text-on-background pair the
    UI draws with ``theme``; each must reach ``theme.min_text_contrast``."""
    pairs = []
    for fg in ("text", "text_secondary", "accent", "error", "success"):
        for bg in ("background", "surface"):
            pairs.append((f"{fg} on {bg}", getattr(theme, fg), getattr(theme, bg)))
    pairs.append(("button_text on button_background", theme.button_text, theme.button_background))
    pairs.append(("chip_on_text on chip_on_background", theme.chip_on_text, theme.chip_on_background))
    pairs.append(("chip_off_text on chip_off_background", theme.chip_off_text, theme.chip_off_background))
    return pairs


STANDARD = Theme(
    name="standard",
    label="Standard",
    background="#FFFFFF",
    surface="#F2F4F7",
    text="#1A1A1A",
    text_secondary="#4A5261",
    accent="#0B5CAD",
    focus_ring="#C2410C",
    button_background="#0B5CAD",
    button_text="#FFFFFF",
    chip_on_background="#0B5CAD",
    chip_on_text="#FFFFFF",
    chip_off_background="#E3E7ED",
    chip_off_text="#1A1A1A",
    error="#B00020",
    success="#1B6E2E",
)

CONTRASTE = Theme(
    name="contraste",
    label="Contraste élevé",
    background="#000000",
    surface="#000000",
    text="#FFFF00",
    text_secondary="#FFFFFF",
    accent="#00FFFF",
    focus_ring="#00FFFF",
    button_background="#FFFF00",
    button_text="#000000",
    chip_on_background="#FFFF00",
    chip_on_text="#000000",
    chip_off_background="#000000",
    chip_off_text="#FFFF00",
    error="#FF8C8C",
    success="#7CFF7C",
    min_text_contrast=7.0,
)

SOMBRE = Theme(
    name="sombre",
    label="Sombre",
    background="#121212",
    surface="#1E1E1E",
    text="#EDEDED",
    text_secondary="#B8B8B8",
    accent="#8AB4F8",
    focus_ring="#FFD54F",
    button_background="#8AB4F8",
    button_text="#0B1A2E",
    chip_on_background="#8AB4F8",
    chip_on_text="#0B1A2E",
    chip_off_background="#2C2C2C",
    chip_off_text="#EDEDED",
    error="#FF8A80",
    success="#81C995",
)

CREME = Theme(
    name="creme",
    label="Crème (lecture facilitée)",
    background="#FDF6E3",
    surface="#F5ECD5",
    text="#2B2B2B",
    text_secondary="#554C3A",
    accent="#1F4E8C",
    focus_ring="#B3261E",
    button_background="#1F4E8C",
    button_text="#FDF6E3",
    chip_on_background="#1F4E8C",
    chip_on_text="#FFFFFF",
    chip_off_background="#EDE3C8",
    chip_off_text="#2B2B2B",
    error="#A1260D",
    success="#2E6B1F",
)

THEMES: MappingProxyType[str, Theme] = MappingProxyType({t.name: t for t in (STANDARD, CONTRASTE, SOMBRE, CREME)})
THEME_NAMES: tuple[str, ...] = tuple(THEMES)


def get_theme(name: str) -> Theme:
    """The theme called ``name``; ValueError naming the known themes otherwise."""
    try:
        return THEMES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEME_NAMES)}") from None
