"""The way in and out of the mediator mode, on the real kiosk, by touch.

The hidden corner (a 3-second hold, timed on the fake clock), the PIN screen and its pad, the
PIN set-up at first start, the mediator's home, the automatic exits (2 minutes without a
touch, the visitor idle reset) and the gate of Main.navigate.
"""

from __future__ import annotations

import gc
import re

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, QRectF, Qt
from PySide6.QtTest import QTest

from numeribus_kiosk import app as kiosk_app
from numeribus_kiosk import store
from numeribus_kiosk.mediator import pin
from numeribus_kiosk.ui.a11y_audit import SENIOR_TARGET_MM, Limits, audit_window
from numeribus_kiosk.ui.mediator_bridge import AUTO_EXIT_S, CORNER_HOLD_S

from .conftest import centre, find
from .mediator_helpers import PIN
from .test_schedule_screens import find_item, settle, touch

MEDIATOR_SCREENS = ("mediateur", "mediateur-code", "mediateur-nouveau-code")


@pytest.fixture
def device():
    return QTest.createTouchDevice()


@pytest.fixture
def kiosk(pin_set, ui):
    """The kiosk with the mediator PIN already chosen."""
    return ui


@pytest.fixture
def first_start(qapp, qt_messages, ui_data_dir, clock):
    """The kiosk as run() starts it: the PIN set-up is offered while no PIN is set."""
    gc.collect()  # as the `ui` fixture does (conftest.py)
    started = kiosk_app.build_kiosk(
        qapp,
        ui_data_dir,
        windowed=False,
        speech_engine="mock",
        clock=clock,
        pixel_pitch_mm=0.248,
        offer_pin_setup=True,
    )
    qapp.processEvents()
    yield started
    started.close()
    gc.collect()


def screen_of(kiosk) -> str:
    return kiosk.window.property("currentScreen")


def depth(kiosk) -> int:
    return find(kiosk, "stack").property("depth")


class Finger:
    """A finger (or the mouse) pressed on a point of the window, then lifted."""

    def __init__(self, qtbot, kiosk, how: str, device) -> None:
        self.qtbot, self.kiosk, self.how, self.device = qtbot, kiosk, how, device

    def press(self, point) -> None:
        self.point = point
        window = self.kiosk.window
        if self.how == "touch":
            QTest.touchEvent(window, self.device).press(0, point, window).commit()
        else:
            QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        self.qtbot.wait(10)

    def release(self, clock) -> None:
        window = self.kiosk.window
        if self.how == "touch":
            QTest.touchEvent(window, self.device).release(0, self.point, window).commit()
        else:
            QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, self.point)
        clock.advance(1.0)  # past the tap guard
        self.qtbot.wait(10)


def hold_corner(qtbot, kiosk, clock, finger: Finger, seconds: float) -> None:
    """Hold the corner for ``seconds`` of the kiosk's clock, then lift the finger."""
    finger.press(centre(find(kiosk, "mediatorCorner")))
    clock.advance(seconds)
    kiosk.mediator.tick()
    qtbot.wait(20)
    finger.release(clock)


def type_pin(qtbot, kiosk, clock, device, digits: str) -> bool:
    """Touch the pad's keys, then "Valider"; the bridge's answer (True: the right PIN)."""
    for digit in digits:
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    with qtbot.waitSignal(kiosk.mediator.entered, timeout=10000) as answer:
        touch(qtbot, kiosk, "pinKeyValidate", clock, device)
    return answer.args[0]


def open_pin_screen(qtbot, kiosk) -> None:
    assert kiosk.window.openMediatorMode()
    settle(qtbot, kiosk, "mediateur-code")


def unlock_by_touch(qtbot, kiosk, clock, device) -> None:
    open_pin_screen(qtbot, kiosk)
    assert type_pin(qtbot, kiosk, clock, device, PIN)
    settle(qtbot, kiosk, "mediateur")


def typed(kiosk) -> int:
    return find_item(kiosk, "pinPad").property("length")


# --------------------------------------------------------------------------- the hidden corner


@pytest.mark.parametrize("how", ["touch", "mouse"])
def test_a_three_second_hold_on_the_corner_opens_the_pin_screen(kiosk, qtbot, clock, device, how):
    finger = Finger(qtbot, kiosk, how, device)
    corner = find(kiosk, "mediatorCorner")
    window = kiosk.window
    # Top right, about 15 mm square (0.248 mm pixels), and no taller than the top bar.
    assert centre(corner).x() > window.width() - corner.width() and centre(corner).y() < corner.height()
    assert 14 <= corner.width() * 0.248 <= 17
    assert corner.height() <= find(kiosk, "topBar").height()
    finger.press(centre(corner))
    clock.advance(CORNER_HOLD_S - 0.1)
    kiosk.mediator.tick()
    qtbot.wait(20)
    assert screen_of(kiosk) == "accueil"
    clock.advance(0.1)
    kiosk.mediator.tick()
    settle(qtbot, kiosk, "mediateur-code")
    finger.release(clock)  # lifting the finger afterwards touches nothing on the PIN screen
    qtbot.wait(20)
    assert screen_of(kiosk) == "mediateur-code" and not kiosk.mediator.unlocked


def test_the_bridge_checks_a_held_corner_by_itself(kiosk, qtbot, clock, device):
    """No tick() call: the bridge's own timer, running while the corner is held, sees the time."""
    finger = Finger(qtbot, kiosk, "touch", device)
    finger.press(centre(find(kiosk, "mediatorCorner")))
    clock.advance(CORNER_HOLD_S)
    settle(qtbot, kiosk, "mediateur-code")
    finger.release(clock)


@pytest.mark.parametrize("how", ["touch", "mouse"])
def test_a_short_tap_or_a_one_second_hold_does_nothing(kiosk, qtbot, clock, device, how):
    finger = Finger(qtbot, kiosk, how, device)
    hold_corner(qtbot, kiosk, clock, finger, 1.0)
    clock.advance(10)  # the finger is gone: time passing does not complete the hold
    kiosk.mediator.tick()
    qtbot.wait(20)
    assert screen_of(kiosk) == "accueil"
    touch(qtbot, kiosk, "mediatorCorner", clock, device)
    clock.advance(10)
    kiosk.mediator.tick()
    qtbot.wait(20)
    assert screen_of(kiosk) == "accueil" and depth(kiosk) == 1


def test_a_finger_sliding_off_the_corner_cancels_the_hold(kiosk, qtbot, clock, device):
    window = kiosk.window
    start = centre(find(kiosk, "mediatorCorner"))
    QTest.touchEvent(window, device).press(0, start, window).commit()
    qtbot.wait(10)
    away = centre(find(kiosk, "tileRecherche"))
    QTest.touchEvent(window, device).move(0, away, window).commit()
    qtbot.wait(10)
    clock.advance(CORNER_HOLD_S + 1)
    kiosk.mediator.tick()
    qtbot.wait(20)
    QTest.touchEvent(window, device).release(0, away, window).commit()
    clock.advance(1)
    qtbot.wait(20)
    assert screen_of(kiosk) == "accueil"


def test_no_top_bar_button_lies_under_the_corner(kiosk, qtbot):
    """The top bar keeps its right end free, whatever the text size, voice or language."""
    corner = find(kiosk, "mediatorCorner")
    area = corner.mapRectToScene(QRectF(0, 0, corner.width(), corner.height()))
    names = ("homeButton", "accessibilityButton", "repeatButton", "stopSpeechButton")
    for look in ("standard", "malvoyant", "senior", "en"):
        kiosk.a11y.resetToDefaults()
        kiosk.language.setLanguage("fr")
        if look == "en":
            kiosk.language.setLanguage("en")
            kiosk.a11y.setSpeech(True)
        elif look != "standard":
            kiosk.a11y.applyProfile(look)
        for _ in range(2):
            kiosk.window.grabWindow()
            qtbot.wait(10)
        corner_area = corner.mapRectToScene(QRectF(0, 0, corner.width(), corner.height()))
        for name in names:
            button = find(kiosk, name)
            if button.isVisible():
                box = button.mapRectToScene(QRectF(0, 0, button.width(), button.height()))
                assert not box.intersects(corner_area), f"{name} under the corner ({look})"
    kiosk.language.setLanguage("fr")  # the English translator is the application's: not left behind
    assert area.width() > 0


def test_a_short_tap_on_the_corner_reaches_the_banner_beneath(kiosk, qtbot, clock, device):
    """While the mode is open, its banner lies under the corner: a tap there still works."""
    unlock_by_touch(qtbot, kiosk, clock, device)
    banner = find(kiosk, "mediatorBanner")
    assert banner.isVisible() and banner.property("text") == "Mode médiateur"
    assert kiosk.window.navigate("passages", {})
    settle(qtbot, kiosk, "passages")
    corner = find(kiosk, "mediatorCorner")
    assert banner.contains(banner.mapFromScene(centre(corner).toPointF()))
    touch(qtbot, kiosk, "mediatorCorner", clock, device)
    settle(qtbot, kiosk, "mediateur")
    assert depth(kiosk) == 2  # popped back to the mediator's home, not a second one pushed


def test_while_no_pin_is_set_the_corner_offers_to_choose_one(ui, qtbot, clock, device):
    assert not ui.mediator.pinSet
    hold_corner(qtbot, ui, clock, Finger(qtbot, ui, "touch", device), CORNER_HOLD_S)
    settle(qtbot, ui, "mediateur-nouveau-code")


# --------------------------------------------------------------------------- the PIN screen


def test_the_right_pin_typed_on_the_pad_opens_the_mediator_home(kiosk, qtbot, clock, device):
    kiosk.mediator.setMediator("Camille")
    hold_corner(qtbot, kiosk, clock, Finger(qtbot, kiosk, "touch", device), CORNER_HOLD_S)
    settle(qtbot, kiosk, "mediateur-code")
    assert not find(kiosk, "mediatorBanner").isVisible()
    for count, digit in enumerate(PIN, start=1):
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
        assert typed(kiosk) == count
    touch(qtbot, kiosk, "pinKeyErase", clock, device)
    assert typed(kiosk) == len(PIN) - 1
    touch(qtbot, kiosk, f"pinKey_{PIN[-1]}", clock, device)
    with qtbot.waitSignal(kiosk.mediator.entered, timeout=10000) as answer:
        touch(qtbot, kiosk, "pinKeyValidate", clock, device)
    assert answer.args == [True]
    settle(qtbot, kiosk, "mediateur")
    assert kiosk.mediator.unlocked and depth(kiosk) == 2  # the PIN screen was replaced
    assert find_item(kiosk, "currentMediator").property("text") == "Médiatrice / médiateur : Camille"
    assert find(kiosk, "mediatorBanner").isVisible()


def test_the_dots_show_how_many_digits_never_which(kiosk, qtbot, clock, device):
    open_pin_screen(qtbot, kiosk)
    dots = find_item(kiosk, "pinDots")
    for digit in "731":
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    shown = [item.property("text") for item in _descendants(find(kiosk, "stack").property("currentItem"))]
    assert not any(isinstance(t, str) and "731" in t for t in shown)
    assert sum(1 for child in _descendants(dots) if child.inherits("QQuickRectangle")) == 1 + 3  # frame + dots
    for digit in "123456789":  # at most 8 digits
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    assert typed(kiosk) == 8


def _descendants(item):
    for child in item.childItems():
        yield child
        yield from _descendants(child)


def test_a_too_short_pin_is_refused_without_using_an_attempt(kiosk, qtbot, clock, device):
    open_pin_screen(qtbot, kiosk)
    for digit in "73":
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    touch(qtbot, kiosk, "pinKeyValidate", clock, device)
    assert find_item(kiosk, "pinMessage").property("text") == "⚠ Le code a de 4 à 8 chiffres."
    assert typed(kiosk) == 0
    assert not type_pin(qtbot, kiosk, clock, device, "0000")
    assert kiosk.mediator.message == "Code faux. Encore 4 essais avant blocage."  # the first wrong one


def test_wrong_pins_then_the_lock_refuses_even_the_right_one(kiosk, qtbot, clock, device):
    open_pin_screen(qtbot, kiosk)
    assert not type_pin(qtbot, kiosk, clock, device, "0000")
    message = find_item(kiosk, "pinMessage")
    assert message.isVisible() and message.property("text") == "⚠ Code faux. Encore 4 essais avant blocage."
    assert typed(kiosk) == 0  # cleared on failure
    for _ in range(3):
        assert not type_pin(qtbot, kiosk, clock, device, "1111")
    assert message.property("text") == "⚠ Code faux. Encore 1 essai avant blocage."
    assert not type_pin(qtbot, kiosk, clock, device, "2222")
    # "14 h 05", or "6 h" on the hour (french_clock): the lock ends 15 minutes from the wall clock
    locked = r"⚠ Trop de codes faux\. Mode médiateur bloqué jusqu'à \d+ h( \d\d)?\."
    assert re.fullmatch(locked, message.property("text"))
    assert not type_pin(qtbot, kiosk, clock, device, PIN)
    assert message.property("text").startswith("⚠ Trop de codes faux.")
    qtbot.wait(20)
    assert screen_of(kiosk) == "mediateur-code" and not kiosk.mediator.unlocked


def test_retour_leaves_the_pin_screen_and_forgets_the_digits(kiosk, qtbot, clock, device):
    open_pin_screen(qtbot, kiosk)
    pad = find_item(kiosk, "pinPad")
    for digit in "731":
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    assert pad.property("digits") == "731"
    back = next(i for i in _descendants(find(kiosk, "stack").property("currentItem")) if i.objectName() == "backButton")
    finger = Finger(qtbot, kiosk, "touch", device)
    finger.press(centre(back))
    finger.release(clock)
    assert pad.property("digits") == ""  # cleared as the screen is left, before it goes
    settle(qtbot, kiosk, "accueil")


def test_no_digit_is_spoken_with_the_voice_on(kiosk, qtbot, clock, device):
    kiosk.a11y.setSpeech(True)
    spoken: list[str] = []
    kiosk.speech.lastSpokenChanged.connect(lambda: spoken.append(kiosk.speech.lastSpoken))
    open_pin_screen(qtbot, kiosk)
    for digit in "1234567890":
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    touch(qtbot, kiosk, "pinKeyErase", clock, device)
    assert spoken and spoken[-1] == "Effacer, bouton"  # the voice is on: other keys do speak
    touch(qtbot, kiosk, "pinKeyErase", clock, device)
    for _ in range(8):
        touch(qtbot, kiosk, "pinKeyErase", clock, device)
    assert typed(kiosk) == 0
    assert type_pin(qtbot, kiosk, clock, device, PIN)
    settle(qtbot, kiosk, "mediateur")
    assert not any(re.search(r"\d", sentence) for sentence in spoken), spoken
    assert not re.search(r"\d", kiosk.speech.lastSpoken)


# --------------------------------------------------------------------------- leaving the mode


def test_two_minutes_without_a_touch_go_back_to_the_visitors_home(kiosk, qtbot, clock, device):
    unlock_by_touch(qtbot, kiosk, clock, device)
    clock.advance(AUTO_EXIT_S - 2)
    kiosk.mediator.tick()
    qtbot.wait(20)
    assert screen_of(kiosk) == "mediateur"
    with qtbot.waitSignal(kiosk.mediator.locked) as closed:
        clock.advance(2)
        kiosk.mediator.tick()
    assert closed.args == ["timeout"]
    settle(qtbot, kiosk, "accueil")
    assert not kiosk.mediator.unlocked and depth(kiosk) == 1
    assert not find(kiosk, "mediatorBanner").isVisible()


def test_the_visitor_idle_reset_closes_the_mode(kiosk, qtbot, clock, device):
    unlock_by_touch(qtbot, kiosk, clock, device)
    with qtbot.waitSignal(kiosk.mediator.locked) as closed:
        clock.advance(kiosk.a11y.idleTimeoutS)
        kiosk.idle.tick()
        clock.advance(20)
        kiosk.idle.tick()
    assert closed.args == ["idle"]
    settle(qtbot, kiosk, "accueil")
    assert not kiosk.mediator.unlocked


def test_the_idle_reset_forgets_digits_typed_on_the_pin_screen(kiosk, qtbot, clock, device):
    open_pin_screen(qtbot, kiosk)
    pad = find_item(kiosk, "pinPad")
    for digit in "73":
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    clock.advance(kiosk.a11y.idleTimeoutS)
    kiosk.idle.tick()
    clock.advance(20)
    kiosk.idle.tick()
    assert pad.property("digits") == ""
    settle(qtbot, kiosk, "accueil")
    open_pin_screen(qtbot, kiosk)
    assert typed(kiosk) == 0


def test_quitter_locks_the_mode(kiosk, qtbot, clock, device):
    unlock_by_touch(qtbot, kiosk, clock, device)
    with qtbot.waitSignal(kiosk.mediator.locked) as closed:
        touch(qtbot, kiosk, "mediatorQuit", clock, device)
    assert closed.args == ["manual"]
    settle(qtbot, kiosk, "accueil")


# --------------------------------------------------------------------------- the gate


@pytest.mark.parametrize("name", ["mediateur", "mediateur-stats", "mediateur-seances", "mediateur-export"])
def test_no_mediator_screen_while_locked(kiosk, qtbot, name):
    assert not kiosk.window.navigate(name, {})
    qtbot.wait(20)
    assert screen_of(kiosk) == "accueil" and depth(kiosk) == 1


def test_the_gate_opens_with_the_mode(kiosk, qtbot, clock, device):
    unlock_by_touch(qtbot, kiosk, clock, device)
    touch(qtbot, kiosk, "mediatorGoStats", clock, device)
    settle(qtbot, kiosk, "mediateur-stats")
    kiosk.mediator.lock()
    settle(qtbot, kiosk, "accueil")
    assert not kiosk.window.navigate("mediateur-stats", {})


# --------------------------------------------------------------------------- first start


def test_first_start_offers_the_pin_set_up(first_start, qtbot, clock, device):
    kiosk = first_start
    settle(qtbot, kiosk, "mediateur-nouveau-code")
    step = find_item(kiosk, "pinSetupStep")
    assert step.property("text") == "Tapez le nouveau code, puis touchez « Valider »."
    for digit in "258":
        touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
    touch(qtbot, kiosk, "pinKeyValidate", clock, device)
    problem = find_item(kiosk, "pinSetupProblem")
    assert problem.property("text") == "⚠ Le code doit avoir de 4 à 8 chiffres."
    for digits in ("2580", "2581"):
        for digit in digits:
            touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
        touch(qtbot, kiosk, "pinKeyValidate", clock, device)
        assert typed(kiosk) == 0
        if digits == "2580":
            assert step.property("text").startswith("Tapez le même code une seconde fois")
    assert problem.property("text") == "⚠ Les deux codes sont différents."
    assert step.property("text").startswith("Tapez le nouveau code") and not kiosk.mediator.pinSet
    for digits in ("2580", "2580"):
        for digit in digits:
            touch(qtbot, kiosk, f"pinKey_{digit}", clock, device)
        touch(qtbot, kiosk, "pinKeyValidate", clock, device)
    settle(qtbot, kiosk, "mediateur")
    assert kiosk.mediator.pinSet and kiosk.mediator.unlocked and depth(kiosk) == 2


def test_plus_tard_goes_home_and_the_corner_offers_it_again(first_start, qtbot, clock, device):
    kiosk = first_start
    settle(qtbot, kiosk, "mediateur-nouveau-code")
    touch(qtbot, kiosk, "pinKey_4", clock, device)
    touch(qtbot, kiosk, "pinSetupLater", clock, device)
    settle(qtbot, kiosk, "accueil")
    assert not kiosk.mediator.pinSet and not kiosk.mediator.unlocked
    hold_corner(qtbot, kiosk, clock, Finger(qtbot, kiosk, "touch", device), CORNER_HOLD_S)
    settle(qtbot, kiosk, "mediateur-nouveau-code")
    assert typed(kiosk) == 0


def test_no_set_up_offered_once_a_pin_is_set(pin_set, qapp, qt_messages, ui_data_dir, clock, qtbot):
    gc.collect()
    started = kiosk_app.build_kiosk(
        qapp, ui_data_dir, windowed=False, speech_engine="mock", clock=clock, pixel_pitch_mm=0.248, offer_pin_setup=True
    )
    try:
        qtbot.wait(50)
        assert started.window.property("currentScreen") == "accueil"
    finally:
        started.close()
        gc.collect()


# --------------------------------------------------------------------------- the mediator's home


def test_choosing_the_mediator(kiosk, qtbot, clock, device):
    unlock_by_touch(qtbot, kiosk, clock, device)
    current = find_item(kiosk, "currentMediator")
    assert current.property("text") == "Médiatrice / médiateur : choisissez votre nom ci-dessous."
    field = find_item(kiosk, "mediatorNameField")
    QMetaObject.invokeMethod(field, "setText", Q_ARG("QVariant", "  Camille "))
    touch(qtbot, kiosk, "mediatorNameChoose", clock, device)
    assert kiosk.mediator.mediator == "Camille"
    assert current.property("text") == "Médiatrice / médiateur : Camille"
    assert field.property("text") == ""
    QMetaObject.invokeMethod(field, "setText", Q_ARG("QVariant", "Dominique"))
    touch(qtbot, kiosk, "mediatorNameChoose", clock, device)
    names = kiosk.mediator.mediators
    assert "Camille" in names and "Dominique" in names
    qtbot.wait(20)
    camille = find_item(kiosk, f"mediatorChoice_{names.index('Camille')}")
    assert not camille.property("on")
    touch(qtbot, kiosk, f"mediatorChoice_{names.index('Camille')}", clock, device)
    assert kiosk.mediator.mediator == "Camille" and camille.property("on")


@pytest.mark.parametrize("name", MEDIATOR_SCREENS)
def test_readable_at_200_percent_in_every_theme_and_profile(ui, qtbot, name):
    """The a11y audit's checks on each screen and the top bar (with the banner when open)."""
    if name == "mediateur":
        assert ui.mediator.setupPin(PIN, PIN) == ""
    elif name == "mediateur-code":
        db = store.open_journal_db(ui.mediator.data_dir)
        try:
            pin.set_pin(db, PIN)
        finally:
            db.close()
    assert ui.window.navigate(name, {})
    settle(qtbot, ui, name)
    looks = [("theme", theme) for theme in ui.a11y.themeNames] + [("profile", p) for p in ("malvoyant", "senior")]
    for kind, look in looks:
        ui.a11y.resetToDefaults()
        if kind == "theme":
            ui.a11y.setTheme(look)
        else:
            ui.a11y.applyProfile(look)
        for _ in range(8):
            ui.a11y.stepTextScale(1)
        assert ui.a11y.textPercent == 200
        for _ in range(2):  # layouts are polished when the scene is drawn
            ui.window.grabWindow()
            qtbot.wait(10)
        screen = find(ui, "stack").property("currentItem")
        limits = Limits(target_mm=SENIOR_TARGET_MM) if look == "senior" else Limits()
        roots = [find(ui, "topBar"), screen, find(ui, "mediatorCorner")]  # the corner: not a visitor's control
        result = audit_window(ui.window, roots=roots, limits=limits, context={"look": look})
        assert result.failures == [], result.failures
        assert result.items > 30
