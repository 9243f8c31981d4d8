"""``UsageCounter``: the kiosk's anonymous usage counters, fed from the bridges' signals.

Counts only, nothing about a person (see :mod:`numeribus_kiosk.journal.usage`): every count goes
through :meth:`JournalBridge.count`, written on the journal's own thread.

What is counted (names from ``journal.usage.COUNTERS``):

- an accessibility setting **switched on**, once per switch-on, i.e. per transition off -> on
  (:func:`switched_on`): ``a11y.text_large`` (text size goes above 100 %), ``a11y.font_dys``,
  ``a11y.contrast``, ``a11y.theme_dark``, ``a11y.theme_cream``, ``a11y.speech``,
  ``a11y.syllables``, ``a11y.reduced_motion``.  Staying on (125 % -> 150 %) or switching off
  counts nothing; off then on again counts again.  A setting switched on by a profile counts
  too: the statistics say how often speech *was used*, however it was turned on.
- a profile applied that changed the settings (``AccessibilityBridge.profileApplied``):
  ``profile.malvoyant``, ``profile.dys``, ``profile.senior``;
- ``language.en`` when the visitor switches to English (not when the kiosk starts in, or is
  reset to, its own default language);
- ``idle_reset`` on each end-of-session reset (``IdleMonitor.resetRequested``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from numeribus_kiosk.accessibility.profiles import PROFILE_NAMES, TEXT_SCALE_MIN, A11ySettings

# Counter name -> "is this setting on?" for the accessibility settings that are counted.
A11Y_SWITCHES: dict[str, Callable[[A11ySettings], bool]] = {
    "a11y.text_large": lambda s: s.text_scale > TEXT_SCALE_MIN,
    "a11y.font_dys": lambda s: s.font == "OpenDyslexic",
    "a11y.contrast": lambda s: s.theme == "contraste",
    "a11y.theme_dark": lambda s: s.theme == "sombre",
    "a11y.theme_cream": lambda s: s.theme == "creme",
    "a11y.speech": lambda s: s.speech,
    "a11y.syllables": lambda s: s.syllable_colouring,
    "a11y.reduced_motion": lambda s: s.reduced_motion,
}


def switched_on(old: A11ySettings, new: A11ySettings) -> list[str]:
    """The counters of the accessibility settings that are off in ``old`` and on in ``new``."""
    return [name for name, is_on in A11Y_SWITCHES.items() if is_on(new) and not is_on(old)]


class UsageCounter(QObject):
    """Connects the bridges' signals to ``journal.count`` (see the module docstring).

    ``journal`` needs only a ``count(name)`` method (a JournalBridge in the kiosk)."""

    def __init__(self, journal, a11y, language, idle, *, default_language: str = "fr", parent: QObject | None = None):
        super().__init__(parent)
        self._journal = journal
        self._a11y = a11y
        self._language = language
        self._default_language = default_language
        self._last = a11y.settings
        a11y.settingsChanged.connect(self.onSettingsChanged)
        a11y.profileApplied.connect(self.onProfileApplied)
        language.languageChanged.connect(self.onLanguageChanged)
        idle.resetRequested.connect(self.onResetRequested)

    @Slot()
    def onSettingsChanged(self) -> None:  # noqa: N802 (Qt naming)
        new = self._a11y.settings
        for name in switched_on(self._last, new):
            self._journal.count(name)
        self._last = new

    @Slot(str)
    def onProfileApplied(self, name: str) -> None:  # noqa: N802
        if name in PROFILE_NAMES:
            self._journal.count(f"profile.{name}")

    @Slot()
    def onLanguageChanged(self) -> None:  # noqa: N802
        if self._language.language == "en" and self._default_language != "en":
            self._journal.count("language.en")

    @Slot()
    def onResetRequested(self) -> None:  # noqa: N802
        self._journal.count("idle_reset")
