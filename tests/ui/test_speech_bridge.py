"""SpeechBridge with the mock engine."""

from __future__ import annotations

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from numeribus_kiosk.ui.accessibility_bridge import AccessibilityBridge
from numeribus_kiosk.ui.speech_bridge import SpeechBridge, rate_for_wpm

State = QTextToSpeech.State


@pytest.fixture
def bridges(qapp):
    a11y = AccessibilityBridge()
    speech = SpeechBridge(a11y, engine="mock")
    yield a11y, speech
    speech.stop()


def test_silent_while_speech_is_off(bridges):
    a11y, speech = bridges
    speech.say("Bonjour")
    assert not speech.enabled and speech.lastSpoken == ""
    assert speech.engine.state() == State.Ready


def test_say_stop_repeat(bridges, qtbot):
    a11y, speech = bridges
    with qtbot.waitSignal(speech.enabledChanged):
        a11y.setSpeech(True)
    speech.say("Bonjour")
    assert speech.lastSpoken == "Bonjour"
    qtbot.waitUntil(lambda: speech.engine.state() == State.Speaking)
    speech.stop()
    qtbot.waitUntil(lambda: speech.engine.state() == State.Ready)
    speech.repeat()
    qtbot.waitUntil(lambda: speech.engine.state() == State.Speaking)
    assert speech.lastSpoken == "Bonjour"


def test_say_interrupts(bridges, qtbot):
    a11y, speech = bridges
    a11y.setSpeech(True)
    states = []
    speech.engine.stateChanged.connect(states.append)
    speech.say("Une longue phrase qui prend du temps à dire")
    speech.say("Accueil")
    assert speech.lastSpoken == "Accueil"
    assert states[:3] == [State.Speaking, State.Ready, State.Speaking]


def test_interrupt_keeps_the_last_sentence(bridges, qtbot):
    a11y, speech = bridges
    a11y.setSpeech(True)
    speech.say("Une phrase")
    speech.interrupt()
    qtbot.waitUntil(lambda: speech.engine.state() == State.Ready)
    assert speech.lastSpoken == "Une phrase"


def test_speak_element_uses_describe(bridges):
    a11y, speech = bridges
    a11y.setSpeech(True)
    speech.speakElement("Accueil", "button", "")
    assert speech.lastSpoken == "Accueil, bouton"
    speech.speakElement("Lecture à voix haute", "switch", True)
    assert speech.lastSpoken == "Lecture à voix haute, interrupteur, activé"
    speech.speakElement("Sombre", "radio", False)
    assert speech.lastSpoken == "Sombre, bouton radio, non sélectionné"


def test_turning_speech_off_stops(bridges, qtbot):
    a11y, speech = bridges
    a11y.setSpeech(True)
    speech.say("Une phrase")
    a11y.setSpeech(False)
    qtbot.waitUntil(lambda: speech.engine.state() == State.Ready)


def test_rate_and_volume_follow_settings(bridges):
    a11y, speech = bridges
    a11y.setSpeechVolume(0.5)
    a11y.applyProfile("senior")  # 130 words per minute
    assert speech.engine.volume() == pytest.approx(0.5)
    assert speech.engine.rate() == pytest.approx(rate_for_wpm(130))
    assert rate_for_wpm(80) == -1 and rate_for_wpm(160) == 0 and rate_for_wpm(300) == 1
