"""Accessibility settings and the one-touch profiles (pure data/logic, no Qt).

``A11ySettings`` is an immutable, validated value: building one with a value out
of range raises ``ValueError`` with a clear English
message.  The UI changes settings with :func:`dataclasses.replace` (which
re-validates), :func:`step_text_scale` (the A-/A+ buttons, clamped) or
:func:`apply_profile`.  :meth:`A11ySettings.from_dict` reads a stored settings
file tolerantly: unknown keys and invalid values fall back to the defaults, so a
damaged file never locks a visitor out of the kiosk.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from numeribus_kiosk.accessibility.themes import THEME_NAMES

__all__ = [
    "DEFAULTS",
    "FONTS",
    "PROFILES",
    "PROFILE_NAMES",
    "TEXT_SCALE_STEP",
    "A11ySettings",
    "apply_profile",
    "step_text_scale",
]

FONTS: tuple[str, ...] = ("Andika", "OpenDyslexic")
TEXT_SCALE_MIN, TEXT_SCALE_MAX, TEXT_SCALE_STEP = 1.0, 2.0, 0.25

# (minimum, maximum) of every numeric setting, with its unit in the docs below.
_RANGES: dict[str, tuple[float, float]] = {
    "text_scale": (TEXT_SCALE_MIN, TEXT_SCALE_MAX),
    "letter_spacing": (0.0, 0.5),
    "word_spacing": (0.0, 1.0),
    "line_height": (1.0, 3.0),
    "speech_rate": (80, 300),
    "speech_volume": (0.0, 1.0),
    "tap_guard_ms": (0, 2000),
    "target_scale": (1.0, 2.0),
    "idle_timeout_s": (30, 1800),
}
_INT_FIELDS = frozenset({"speech_rate", "tap_guard_ms", "idle_timeout_s"})
_BOOL_FIELDS = frozenset({"syllable_colouring", "speech", "reduced_motion", "italics"})


@dataclass(frozen=True, slots=True)
class A11ySettings:
    """Accessibility settings of one visitor session.

    text_scale: text size factor, 1.0 to 2.0 in steps of 0.25 (2.0 = 200 %).
    font: one of FONTS ("Andika" by default, "OpenDyslexic").
    letter_spacing, word_spacing: extra spacing in em (0-0.5, 0-1.0).
    line_height: line height as a factor of the font size (1.0-3.0).
    theme: one of themes.THEME_NAMES ("standard", "contraste", "sombre", "creme").
    syllable_colouring: colour alternate written syllables (DYS).
    italics: whether italics may be used (off for DYS: titles are shown upright).
    speech: speak touched elements and texts (espeak-ng, French).
    speech_rate: words per minute, 80-300 (espeak-ng ``-s``).
    speech_volume: 0.0-1.0.
    reduced_motion: no animated transitions.
    tap_guard_ms: repeated taps on the same target within this delay are ignored
        (0 disables the guard), 0-2000 ms.
    target_scale: touch-target size factor, 1.0-2.0 (1.0 = 48 px minimum).
    idle_timeout_s: seconds without a touch before the session resets, 30-1800.
    """

    text_scale: float = 1.0
    font: str = "Andika"
    letter_spacing: float = 0.0
    word_spacing: float = 0.0
    line_height: float = 1.4
    theme: str = "standard"
    syllable_colouring: bool = False
    italics: bool = True
    speech: bool = False
    speech_rate: int = 160
    speech_volume: float = 0.8
    reduced_motion: bool = False
    tap_guard_ms: int = 500
    target_scale: float = 1.0
    idle_timeout_s: int = 90

    def __post_init__(self) -> None:
        for name in _BOOL_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False, not {value!r}")
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number, not {value!r}")
            if not math.isfinite(value) or not low <= value <= high:
                raise ValueError(f"{name} must be between {low:g} and {high:g}, not {value!r}")
            if name in _INT_FIELDS:
                if value != int(value):
                    raise ValueError(f"{name} must be a whole number, not {value!r}")
                object.__setattr__(self, name, int(value))
            else:
                object.__setattr__(self, name, float(value))
        steps = (self.text_scale - TEXT_SCALE_MIN) / TEXT_SCALE_STEP
        if abs(steps - round(steps)) > 1e-9:
            raise ValueError(
                f"text_scale must be a multiple of {TEXT_SCALE_STEP:g} between "
                f"{TEXT_SCALE_MIN:g} and {TEXT_SCALE_MAX:g} (100 % to 200 %), not {self.text_scale!r}"
            )
        if self.font not in FONTS:
            raise ValueError(f"font must be one of {', '.join(FONTS)}, not {self.font!r}")
        if self.theme not in THEME_NAMES:
            raise ValueError(f"theme must be one of {', '.join(THEME_NAMES)}, not {self.theme!r}")

    @property
    def text_percent(self) -> int:
        """Text size in percent (100 to 200), for display and speech."""
        return round(self.text_scale * 100)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of every setting."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, strict: bool = False) -> A11ySettings:
        """Settings from a stored dict.

        With ``strict=False`` (default) unknown keys are ignored and each invalid
        value falls back to its default; with ``strict=True`` both raise
        ValueError."""
        known = {f.name for f in dataclasses.fields(cls)}
        if strict:
            unknown = sorted(set(data) - known)
            if unknown:
                raise ValueError(f"unknown accessibility setting(s): {', '.join(map(str, unknown))}")
            return cls(**dict(data))
        settings = cls()
        for key, value in data.items():
            if key not in known:
                continue
            try:
                settings = dataclasses.replace(settings, **{key: value})
            except (ValueError, TypeError):
                continue
        return settings


DEFAULTS = A11ySettings()

_PROFILES: dict[str, Mapping[str, Any]] = {
    # Low vision: biggest text, black/yellow high contrast, speech, big targets.
    "malvoyant": MappingProxyType(
        {
            "text_scale": 2.0,
            "theme": "contraste",
            "speech": True,
            "target_scale": 1.5,
            "line_height": 1.5,
            "reduced_motion": True,
        }
    ),
    # DYS: OpenDyslexic, extra spacing, cream background, coloured syllables, no italics.
    "dys": MappingProxyType(
        {
            "font": "OpenDyslexic",
            "text_scale": 1.25,
            "letter_spacing": 0.12,
            "word_spacing": 0.16,
            "line_height": 1.5,
            "theme": "creme",
            "syllable_colouring": True,
            "italics": False,
        }
    ),
    # Seniors: larger text and targets, more time, slower speech, tolerant taps.
    "senior": MappingProxyType(
        {
            "text_scale": 1.5,
            "target_scale": 1.5,
            "idle_timeout_s": 180,
            "speech_rate": 130,
            "tap_guard_ms": 700,
            "line_height": 1.5,
        }
    ),
}
PROFILES: Mapping[str, Mapping[str, Any]] = MappingProxyType(_PROFILES)
PROFILE_NAMES: tuple[str, ...] = tuple(PROFILES)


def apply_profile(settings: A11ySettings, name: str) -> A11ySettings:
    """``settings`` with the profile ``name`` applied on top.

    Only the settings a profile is about are changed, so profiles combine
    (e.g. "dys" then "senior"); the later profile wins on shared settings.
    Raises ValueError for an unknown profile name."""
    try:
        overrides = PROFILES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown profile {name!r}; expected one of {', '.join(PROFILE_NAMES)}") from None
    return dataclasses.replace(settings, **overrides)


def step_text_scale(settings: A11ySettings, steps: int) -> A11ySettings:
    """Text size moved by ``steps`` steps of 25 % (A+ = 1, A- = -1), clamped to 100-200 %."""
    value = settings.text_scale + steps * TEXT_SCALE_STEP
    value = min(TEXT_SCALE_MAX, max(TEXT_SCALE_MIN, value))
    return dataclasses.replace(settings, text_scale=value)
