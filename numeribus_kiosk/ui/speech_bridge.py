"""``SpeechBridge``: the kiosk's own French speech output (QtTextToSpeech).

The kiosk is "closed functionality" (EN 301 549): a blind visitor uses it
through this voice alone.  Rules:

- It speaks only while the visitor's ``speech`` setting is on (``enabled``
  follows :class:`AccessibilityBridge`); rate and volume follow the settings too.
- ``say(text)`` interrupts whatever is being said: the newest action wins.
  The application also connects every new press (see ``IdleMonitor.activity``)
  to :meth:`interrupt`, so a touch always silences the previous sentence.
- ``repeat()`` says ``lastSpoken`` again; ``stop()`` silences.
- ``speakElement(name, role, state)`` speaks what a touched control is, built by
  :func:`numeribus_kiosk.accessibility.speech_text.describe`.

The engine is a constructor argument: "speechd" (speech-dispatcher + espeak-ng,
offline) on the bus, "mock" in tests.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Property, QLocale, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable
from PySide6.QtTextToSpeech import QTextToSpeech

from numeribus_kiosk.accessibility.speech_text import describe, speakable

from .accessibility_bridge import AccessibilityBridge

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "speechd"
NORMAL_WPM = 160  # espeak-ng's usual rate, QTextToSpeech rate 0.0


def rate_for_wpm(wpm: int) -> float:
    """QTextToSpeech rate (-1.0 .. 1.0) for a rate in words per minute (80 .. 300)."""
    if wpm <= NORMAL_WPM:
        return max(-1.0, (wpm - NORMAL_WPM) / (NORMAL_WPM - 80))
    return min(1.0, (wpm - NORMAL_WPM) / (300 - NORMAL_WPM))


@QmlElement
@QmlUncreatable("SpeechBridge is created by the application and passed to Main.qml.")
class SpeechBridge(QObject):
    """French speech output (see module docstring)."""

    enabledChanged = Signal()
    lastSpokenChanged = Signal()
    speakingChanged = Signal()

    def __init__(
        self,
        a11y: AccessibilityBridge,
        *,
        engine: str = DEFAULT_ENGINE,
        locale: str = "fr_FR",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._a11y = a11y
        self._tts = QTextToSpeech(engine, self)
        self._engine = engine
        self._last = ""
        self._speaking = False
        if self._tts.state() == QTextToSpeech.State.Error:
            # The environment's problem (speech-dispatcher not running...): the
            # kiosk still works visually; say it plainly in the log.
            log.warning("speech engine %r is not usable: %s", engine, self._tts.errorString())
        self._tts.setLocale(QLocale(locale))
        self._tts.stateChanged.connect(self._on_state)
        self._enabled = a11y.settings.speech
        a11y.settingsChanged.connect(self._follow_settings)
        self._follow_settings()

    # ------------------------------------------------------------ internals
    @Slot()
    def _follow_settings(self) -> None:
        settings = self._a11y.settings
        self._tts.setRate(rate_for_wpm(settings.speech_rate))
        self._tts.setVolume(settings.speech_volume)
        if settings.speech != self._enabled:
            self._enabled = settings.speech
            if not self._enabled:
                self.stop()
            self.enabledChanged.emit()

    @Slot(QTextToSpeech.State)
    def _on_state(self, state: QTextToSpeech.State) -> None:
        speaking = state == QTextToSpeech.State.Speaking
        if speaking != self._speaking:
            self._speaking = speaking
            self.speakingChanged.emit()
        if state == QTextToSpeech.State.Error:
            log.warning("speech engine error: %s", self._tts.errorString())

    # ------------------------------------------------------------ properties
    @property
    def engine(self) -> QTextToSpeech:
        """The underlying QTextToSpeech (for tests and diagnostics)."""
        return self._tts

    enabled = Property(bool, lambda self: self._enabled, notify=enabledChanged)
    lastSpoken = Property(str, lambda self: self._last, notify=lastSpokenChanged)
    speaking = Property(bool, lambda self: self._speaking, notify=speakingChanged)

    # ------------------------------------------------------------ slots
    @Slot(str)
    def say(self, text: str) -> None:
        """Say ``text`` now, interrupting anything being said (no-op when speech is off)."""
        if not self._enabled:
            return
        text = speakable(text)
        if not text:
            return
        self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)
        if text != self._last:
            self._last = text
            self.lastSpokenChanged.emit()
        self._tts.say(text)

    @Slot(str, str)
    @Slot(str, str, "QVariant")
    def speakElement(self, name: str, role: str, state: object = None) -> None:
        """Say what a touched control is: "Accueil, bouton", "Gros caractères, interrupteur, activé"."""
        if not self._enabled:
            return
        if state is not None and not isinstance(state, bool | str):
            state = str(state)
        self.say(describe(name, role, state if state != "" else None))

    @Slot()
    def stop(self) -> None:
        """Stop speaking at once."""
        self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)

    @Slot()
    def interrupt(self) -> None:
        """A new user action: silence the previous sentence (kept for ``repeat``)."""
        if self._tts.state() in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Paused):
            self.stop()

    @Slot()
    def repeat(self) -> None:
        """Say the last sentence again."""
        if self._enabled and self._last:
            self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)
            self._tts.say(self._last)

    def reset(self) -> None:
        """End of a visitor session: silence and forget the last sentence."""
        self.stop()
        if self._last:
            self._last = ""
            self.lastSpokenChanged.emit()
