"""The real French voice: QtTextToSpeech -> speech-dispatcher -> espeak-ng, entirely offline.

Runs where the engine is installed and an audio server answers (scripts/test starts a
PulseAudio null sink); skipped with the reason otherwise.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from numeribus_kiosk.ui.accessibility_bridge import AccessibilityBridge
from numeribus_kiosk.ui.speech_bridge import SpeechBridge

State = QTextToSpeech.State


def _why_not() -> str:
    for program in ("speech-dispatcher", "espeak-ng", "pactl"):
        if shutil.which(program) is None:
            return f"{program} is not installed"
    if "speechd" not in QTextToSpeech.availableEngines():
        return "Qt's speechd engine plugin is not available"
    if subprocess.run(["pactl", "info"], capture_output=True, timeout=10).returncode != 0:
        return "no PulseAudio server answers (scripts/test starts a null sink)"
    return ""


@pytest.fixture
def real_speech(qapp):
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    a11y = AccessibilityBridge()
    a11y.setSpeech(True)
    speech = SpeechBridge(a11y, engine="speechd")
    yield speech
    speech.stop()


def test_french_voice_speaks_and_is_interrupted(real_speech, qtbot):
    engine = real_speech.engine
    assert any(locale.name().startswith("fr") for locale in engine.availableLocales())
    assert engine.locale().name().startswith("fr")
    real_speech.say("Bonjour, bienvenue dans le numéribus. Touchez un bouton pour l'entendre.")
    qtbot.waitUntil(lambda: engine.state() == State.Speaking, timeout=20000)
    # A new action interrupts the sentence being said.
    real_speech.speakElement("Chercher un document", "bouton")
    assert real_speech.lastSpoken.startswith("Chercher un document")
    qtbot.waitUntil(lambda: engine.state() == State.Ready, timeout=30000)
    real_speech.repeat()
    qtbot.waitUntil(lambda: engine.state() == State.Speaking, timeout=20000)
    real_speech.stop()
    qtbot.waitUntil(lambda: engine.state() == State.Ready, timeout=20000)
    assert engine.errorReason() == QTextToSpeech.ErrorReason.NoError
