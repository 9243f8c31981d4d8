"""MediatorBridge: the PIN, the lock after wrong PINs, the 2-minute exit, the idle reset, the gate."""

from __future__ import annotations

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.mediator import audit
from numeribus_kiosk.ui.mediator_bridge import AUTO_EXIT_S, MediatorLocked

from .mediator_helpers import PIN


def audit_actions(data_dir) -> list[tuple[str, str]]:
    db = store.open_journal_db(data_dir)
    try:
        return [(e.action, e.detail) for e in audit.list_audit(db)]
    finally:
        db.close()


def enter(qtbot, mediator, value: str) -> bool:
    with qtbot.waitSignal(mediator.entered, timeout=10000) as answer:
        mediator.enter(value)
    return answer.args[0]


@pytest.fixture
def pin_data_dir(pin_set, ui_data_dir):
    return ui_data_dir


def test_right_pin_unlocks_and_opens_the_gate(pin_data_dir, ui, qtbot):
    mediator = ui.mediator
    assert mediator.pinSet and not mediator.unlocked
    with pytest.raises(MediatorLocked):
        mediator.journal()
    assert enter(qtbot, mediator, PIN)
    assert mediator.unlocked and mediator.message == ""
    assert mediator.journal()["sessions"].exists()
    mediator.lock()
    assert not mediator.unlocked
    with pytest.raises(MediatorLocked):
        mediator.journal()
    assert audit_actions(pin_data_dir) == [("unlock", ""), ("lock", "manual")]


def test_wrong_pins_count_down_then_lock(pin_data_dir, ui, qtbot, caplog):
    caplog.set_level("DEBUG")
    mediator = ui.mediator
    assert not enter(qtbot, mediator, "000000")
    assert mediator.message == "Code faux. Encore 4 essais avant blocage."
    for _ in range(3):
        enter(qtbot, mediator, "111111")
    assert mediator.message == "Code faux. Encore 1 essai avant blocage."
    assert not enter(qtbot, mediator, "222222")
    assert mediator.message.startswith("Trop de codes faux. Mode médiateur bloqué jusqu'à ")
    # Even the right PIN is not checked while locked.
    assert not enter(qtbot, mediator, PIN) and not mediator.unlocked
    actions = [action for action, _ in audit_actions(pin_data_dir)]
    assert actions == ["unlock.refused"] * 4 + ["unlock.locked", "unlock.locked"]
    # Neither the right PIN nor the wrong ones reach a log line.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "verrouill" not in logged and all(p not in logged for p in (PIN, "000000", "111111", "222222"))
    assert "locked until" in logged


def test_two_minutes_without_a_touch_close_the_mode(pin_data_dir, ui, qtbot, clock):
    mediator = ui.mediator
    enter(qtbot, mediator, PIN)
    clock.advance(AUTO_EXIT_S - 1)
    mediator.tick()
    assert mediator.unlocked
    ui.idle.touch()  # a touch anywhere starts the 2 minutes again
    clock.advance(AUTO_EXIT_S - 1)
    mediator.tick()
    assert mediator.unlocked
    with qtbot.waitSignal(mediator.locked) as closed:
        clock.advance(1)
        mediator.tick()
    assert closed.args == ["timeout"] and not mediator.unlocked
    assert audit_actions(pin_data_dir)[-1] == ("lock", "timeout")


def test_the_visitor_idle_reset_closes_the_mode(pin_data_dir, ui, qtbot):
    enter(qtbot, ui.mediator, PIN)
    with qtbot.waitSignal(ui.mediator.locked) as closed:
        ui.idle.resetRequested.emit()
    assert closed.args == ["idle"] and not ui.mediator.unlocked


def test_first_start_sets_the_pin_once(ui, ui_data_dir):
    mediator = ui.mediator
    assert not mediator.pinSet
    assert mediator.setupPin("1234", "1243") == "Les deux codes sont différents."
    assert mediator.setupPin("12a4", "12a4") == "Le code doit avoir de 4 à 8 chiffres."
    assert not mediator.pinSet and not mediator.unlocked
    assert mediator.setupPin("2580", "2580") == ""
    assert mediator.pinSet and mediator.unlocked
    mediator.lock()
    assert mediator.setupPin("1111", "1111") == "Un code est déjà choisi."
    assert [action for action, _ in audit_actions(ui_data_dir)] == ["pin.set", "unlock", "lock"]


def test_the_mediator_name_is_remembered(pin_data_dir, ui, qtbot):
    enter(qtbot, ui.mediator, PIN)
    ui.mediator.setMediator("  Camille  ")
    assert ui.mediator.mediator == "Camille" and "Camille" in ui.mediator.mediators
    db = store.open_journal_db(pin_data_dir)
    try:
        assert audit.list_audit(db)[-1].mediator == "Camille"
    finally:
        db.close()


def test_the_list_of_names_is_announced_only_when_it_changes(ui_data_dir, qapp, clock):
    """A configured name chosen for the first time leaves the list as shown: no rebuild of its chips."""
    from numeribus_kiosk.ui.mediator_bridge import MediatorBridge

    (ui_data_dir / "config.toml").write_text('[lists]\nmediators = ["Camille", "Karim"]\n', encoding="utf-8")
    bridge = MediatorBridge(ui_data_dir, clock=clock, start_timer=False)
    try:
        announced = []
        bridge.mediatorsChanged.connect(lambda: announced.append(list(bridge.mediators)))
        bridge.setMediator("Karim")
        assert bridge.mediator == "Karim" and announced == []
        bridge.setMediator("Zoé")
        assert announced == [["Camille", "Karim", "Zoé"]]
        bridge.note_known("Zoé")
        assert len(announced) == 1
    finally:
        bridge.close()
