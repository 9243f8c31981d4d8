"""``AccessibilityBridge``: the visitor's accessibility settings, exposed to QML.

It wraps an immutable :class:`~numeribus_kiosk.accessibility.profiles.A11ySettings`
value and turns it into what QML draws with: font family and pixel sizes, spacing
in pixels, the colours of the current theme, the minimum touch-target size in
pixels.  Every change replaces the settings value (validated by the core) and
emits ``settingsChanged``, the single notify signal of every property.

Touch targets: ``minTarget`` is ``TARGET_MM`` (12 mm) times ``targetScale``
converted to pixels with the screen's pixel pitch (0.248 mm by default, a
common 21.5" full-HD touchscreen): 12 mm -> 49 px, Senior/Malvoyant
(``target_scale`` 1.5) 18 mm -> 73 px.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import math
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.accessibility.profiles import (
    DEFAULTS,
    FONTS,
    A11ySettings,
    apply_profile,
    step_text_scale,
)
from numeribus_kiosk.accessibility.syllables import is_syllable, syllables
from numeribus_kiosk.accessibility.themes import THEME_NAMES, THEMES, Theme, get_theme

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

DEFAULT_PIXEL_PITCH_MM = 0.248
TARGET_MM = 12.0
# Font sizes in pixels at 100 % (read at arm's length on a ~22" touchscreen).
BASE_PX = {"small": 20, "body": 24, "button": 26, "title": 34, "huge": 44}
WIDE_SPACING = {"letter_spacing": 0.12, "word_spacing": 0.16, "line_height": 1.5}
ANIMATION_MS = 150


def _colour_property(role: str, notify: Signal) -> Property:
    """A read-only QColor property: the colour ``role`` of the current theme."""

    def getter(self: AccessibilityBridge) -> QColor:
        return QColor(getattr(self._theme, role))

    return Property(QColor, getter, notify=notify)


@QmlElement
@QmlUncreatable("AccessibilityBridge is created by the application and passed to Main.qml.")
class AccessibilityBridge(QObject):
    """Accessibility settings of the current visitor session (see module docstring)."""

    settingsChanged = Signal()
    # A one-tap profile ("malvoyant", "dys", "senior") changed the settings (after settingsChanged).
    profileApplied = Signal(str)

    def __init__(
        self,
        settings: A11ySettings = DEFAULTS,
        *,
        pixel_pitch_mm: float = DEFAULT_PIXEL_PITCH_MM,
        themes: Mapping[str, Theme] = THEMES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if not (0.05 <= pixel_pitch_mm <= 2.0):
            raise ValueError(f"pixel_pitch_mm must be between 0.05 and 2.0, not {pixel_pitch_mm!r}")
        self._settings = settings
        self._themes = dict(themes)  # THEMES, or with the territory's colours ([branding])
        self._theme = self._themes[get_theme(settings.theme).name]
        self._pitch = pixel_pitch_mm
        self._families: dict[str, str] = {}

    # ------------------------------------------------------------ Python side
    @property
    def settings(self) -> A11ySettings:
        return self._settings

    def set_settings(self, settings: A11ySettings) -> None:
        if settings == self._settings:
            return
        self._settings = settings
        self._theme = self._themes[get_theme(settings.theme).name]
        self.settingsChanged.emit()

    def _replace(self, **changes: Any) -> None:
        try:
            self.set_settings(dataclasses.replace(self._settings, **changes))
        except (ValueError, TypeError) as exc:
            log.warning("accessibility setting refused: %s", exc)

    def _px(self, key: str) -> int:
        return round(BASE_PX[key] * self._settings.text_scale)

    def family_for(self, font: str) -> str:
        """The installed family that draws the settings font ``font`` (Qt's default when it is missing)."""
        if font not in self._families:
            if font not in QFontDatabase.families():
                log.warning("font %s is not installed; Qt's default font is used", font)
            self._families[font] = font
        return self._families[font]

    # ------------------------------------------------------------ text
    textScale = Property(float, lambda self: self._settings.text_scale, notify=settingsChanged)
    textPercent = Property(int, lambda self: self._settings.text_percent, notify=settingsChanged)
    canGrowText = Property(bool, lambda self: self._settings.text_scale < 2.0, notify=settingsChanged)
    canShrinkText = Property(bool, lambda self: self._settings.text_scale > 1.0, notify=settingsChanged)
    fontName = Property(str, lambda self: self._settings.font, notify=settingsChanged)
    fontFamily = Property(str, lambda self: self.family_for(self._settings.font), notify=settingsChanged)
    standardFont = Property(str, lambda self: FONTS[0], constant=True)
    dysFont = Property(str, lambda self: FONTS[1], constant=True)
    fontSmall = Property(int, lambda self: self._px("small"), notify=settingsChanged)
    fontBody = Property(int, lambda self: self._px("body"), notify=settingsChanged)
    fontButton = Property(int, lambda self: self._px("button"), notify=settingsChanged)
    fontTitle = Property(int, lambda self: self._px("title"), notify=settingsChanged)
    fontHuge = Property(int, lambda self: self._px("huge"), notify=settingsChanged)
    letterSpacing = Property(float, lambda self: self._settings.letter_spacing, notify=settingsChanged)
    wordSpacing = Property(float, lambda self: self._settings.word_spacing, notify=settingsChanged)
    # Spacing in pixels for body text (QML's font.letterSpacing/wordSpacing are in px).
    letterSpacingPx = Property(
        float, lambda self: self._settings.letter_spacing * self._px("body"), notify=settingsChanged
    )
    wordSpacingPx = Property(float, lambda self: self._settings.word_spacing * self._px("body"), notify=settingsChanged)
    lineHeight = Property(float, lambda self: self._settings.line_height, notify=settingsChanged)
    wideSpacing = Property(
        bool,
        lambda self: all(getattr(self._settings, k) == v for k, v in WIDE_SPACING.items()),
        notify=settingsChanged,
    )
    italics = Property(bool, lambda self: self._settings.italics, notify=settingsChanged)
    syllableColouring = Property(bool, lambda self: self._settings.syllable_colouring, notify=settingsChanged)

    # ------------------------------------------------------------ theme
    theme = Property(str, lambda self: self._settings.theme, notify=settingsChanged)
    themeNames = Property(list, lambda self: list(THEME_NAMES), constant=True)
    background = _colour_property("background", settingsChanged)
    surface = _colour_property("surface", settingsChanged)
    textColor = _colour_property("text", settingsChanged)
    textSecondary = _colour_property("text_secondary", settingsChanged)
    accent = _colour_property("accent", settingsChanged)
    focusRing = _colour_property("focus_ring", settingsChanged)
    buttonBackground = _colour_property("button_background", settingsChanged)
    buttonText = _colour_property("button_text", settingsChanged)
    chipOnBackground = _colour_property("chip_on_background", settingsChanged)
    chipOnText = _colour_property("chip_on_text", settingsChanged)
    chipOffBackground = _colour_property("chip_off_background", settingsChanged)
    chipOffText = _colour_property("chip_off_text", settingsChanged)
    errorColor = _colour_property("error", settingsChanged)
    successColor = _colour_property("success", settingsChanged)

    # ------------------------------------------------------------ speech, motion, touch, time
    speech = Property(bool, lambda self: self._settings.speech, notify=settingsChanged)
    speechRate = Property(int, lambda self: self._settings.speech_rate, notify=settingsChanged)
    speechVolume = Property(float, lambda self: self._settings.speech_volume, notify=settingsChanged)
    reducedMotion = Property(bool, lambda self: self._settings.reduced_motion, notify=settingsChanged)
    animationMs = Property(
        int, lambda self: 0 if self._settings.reduced_motion else ANIMATION_MS, notify=settingsChanged
    )
    tapGuardMs = Property(int, lambda self: self._settings.tap_guard_ms, notify=settingsChanged)
    targetScale = Property(float, lambda self: self._settings.target_scale, notify=settingsChanged)
    idleTimeoutS = Property(int, lambda self: self._settings.idle_timeout_s, notify=settingsChanged)
    atDefaults = Property(bool, lambda self: self._settings == DEFAULTS, notify=settingsChanged)

    def _target_mm(self) -> float:
        return TARGET_MM * self._settings.target_scale

    targetMm = Property(float, _target_mm, notify=settingsChanged)
    minTarget = Property(int, lambda self: math.ceil(self._target_mm() / self._pitch), notify=settingsChanged)
    # Gap between neighbouring targets: 2 mm, so a trembling finger hits only one.
    spacing = Property(int, lambda self: math.ceil(2.0 / self._pitch), notify=settingsChanged)

    # ------------------------------------------------------------ slots
    @Slot(str)
    def applyProfile(self, name: str) -> None:
        try:
            settings = apply_profile(self._settings, name)
        except ValueError as exc:
            log.warning("%s", exc)
            return
        changed = settings != self._settings
        self.set_settings(settings)
        if changed:  # a profile already in force, tapped again, is not applied again
            self.profileApplied.emit(name)

    @Slot(int)
    def stepTextScale(self, steps: int) -> None:
        self.set_settings(step_text_scale(self._settings, steps))

    @Slot(str)
    def setTheme(self, name: str) -> None:
        self._replace(theme=name)

    @Slot(str)
    def setFont(self, name: str) -> None:
        self._replace(font=name)

    @Slot()
    def toggleWideSpacing(self) -> None:
        if self.wideSpacing:
            self._replace(**{k: getattr(DEFAULTS, k) for k in WIDE_SPACING})
        else:
            self._replace(**WIDE_SPACING)

    @Slot()
    def toggleSpeech(self) -> None:
        self._replace(speech=not self._settings.speech)

    @Slot(bool)
    def setSpeech(self, on: bool) -> None:
        self._replace(speech=bool(on))

    @Slot(int)
    def setSpeechRate(self, wpm: int) -> None:
        self._replace(speech_rate=int(wpm))

    @Slot(float)
    def setSpeechVolume(self, volume: float) -> None:
        self._replace(speech_volume=float(volume))

    @Slot()
    def toggleSyllableColouring(self) -> None:
        self._replace(syllable_colouring=not self._settings.syllable_colouring)

    @Slot()
    def toggleReducedMotion(self) -> None:
        self._replace(reduced_motion=not self._settings.reduced_motion)

    @Slot()
    def resetToDefaults(self) -> None:
        self.set_settings(DEFAULTS)

    @Slot(str, result=str)
    def colourSyllables(self, text: str) -> str:
        """``text`` as Qt rich text, alternate written syllables coloured
        (text colour / accent colour of the theme); the plain text, escaped,
        when syllable colouring is off.  For summaries shown with
        ``textFormat: Text.StyledText``."""
        if not self._settings.syllable_colouring:
            return html.escape(text)
        colours = (self._theme.text, self._theme.accent)
        out: list[str] = []
        index = 0
        for chunk in syllables(text):
            if is_syllable(chunk):
                out.append(f'<font color="{colours[index % 2]}">{html.escape(chunk)}</font>')
                index += 1
            else:
                out.append(html.escape(chunk))
                if any(ch.isspace() for ch in chunk):
                    index = 0  # every word starts with the same colour
        return "".join(out)
