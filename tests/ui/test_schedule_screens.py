"""PassagesModel, AteliersModel and the "Prochains passages" / "Ateliers" screens."""

from __future__ import annotations

import logging
from datetime import date, time

import pytest
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import Passage, Workshop
from numeribus_kiosk.journal import feedback
from numeribus_kiosk.ui import schedule_models
from numeribus_kiosk.ui.schedule_models import (
    AteliersModel,
    PassagesModel,
    day_text,
    hours_text,
    spoken_day,
    spoken_hours,
)

from .conftest import centre, find, scroll_into_view

TODAY = date(2026, 11, 30)  # a Monday

PASSAGES = [
    Passage("P0", date(2026, 11, 20), time(9, 30), time(12), "Noirétable", "Place de l'Église"),  # past
    Passage(
        "P1", date(2026, 12, 1), time(9, 30), time(12), "Noirétable", "Place de l'Église", notes="Face à la mairie"
    ),
    Passage("P2", date(2026, 11, 30), time(14), time(16, 30), "Écotay-l'Olme", "Place de la mairie"),
    Passage("P3", date(2026, 12, 3), time(10), time(12), "Boën-sur-Lignon", "EHPAD Les Tilleuls", public="résidents"),
    Passage("P4", date(2027, 1, 5), time(9), time(11, 45), "Noirétable", "Place de l'Église"),
]
WORKSHOPS = [
    Workshop("W1", date(2026, 12, 1), time(10), time(11, 30), "Noirétable", "Place de l'Église", "tablette",
             "Atelier tablettes : premiers pas", seats=6, registration=True),
    Workshop("W2", date(2026, 12, 3), time(10), time(11, 30), "Boën-sur-Lignon", "EHPAD", "cafe_tablette",
             "Café tablettes", seats=1),
    Workshop("W3", date(2026, 12, 4), time(14, 30), time(16, 30), "Chalmazel", "Mairie", "fablab_3d",
             "Initiation à l'impression 3D"),
    Workshop("W4", date(2026, 11, 2), time(14, 30), time(16, 30), "Chalmazel", "Mairie", "fablab_3d", "Passé"),
]  # fmt: skip


@pytest.fixture
def schedule_dir(tmp_path):
    path = store.ensure_data_dir(tmp_path / "data")
    db = store.open_catalogue_db(path)
    try:
        schedule.replace_passages(db, PASSAGES)
        schedule.replace_workshops(db, WORKSHOPS)
    finally:
        db.close()
    return path


@pytest.fixture
def passages(qapp, schedule_dir):
    return PassagesModel(schedule_dir, today=lambda: TODAY)


@pytest.fixture
def ateliers(qapp, schedule_dir):
    return AteliersModel(schedule_dir, today=lambda: TODAY)


def rows(model) -> list[dict]:
    names = {role: bytes(name).decode() for role, name in model.roleNames().items()}
    return [
        {name: model.data(model.index(r, 0), role) for role, name in names.items()} for r in range(model.rowCount())
    ]


# --------------------------------------------------------------------------- French formatting


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 1), "mardi 1er décembre"),
        (date(2026, 12, 2), "mercredi 2 décembre"),
        (date(2026, 8, 15), "samedi 15 août"),
        (date(2027, 1, 5), "mardi 5 janvier 2027"),  # another year: said
    ],
)
def test_day_text_in_full_french(day, expected):
    assert day_text(day, TODAY) == expected


def test_hours_and_spoken_forms():
    assert hours_text(time(9, 30), time(12)) == "de 9 h 30 à 12 h"
    assert hours_text(time(14), time(16, 5)) == "de 14 h à 16 h 05"
    assert spoken_day(date(2026, 12, 1), TODAY) == "mardi premier décembre"
    assert spoken_hours(time(9, 30), time(12)) == "de 9 heures 30 à 12 heures"
    assert spoken_hours(time(1), time(13, 5)) == "de 1 heure à 13 heures 5"


def test_english_dates(qapp):
    assert day_text(date(2026, 12, 1), TODAY, "en") == "Tuesday 1 December"
    assert hours_text(time(9, 30), time(12), "en") == "from 09:30 to 12:00"


def test_every_kind_has_a_label_and_a_marker():
    assert set(schedule_models.KIND_LABELS) == set(schedule.WORKSHOP_KINDS)
    assert set(schedule_models.KIND_MARKERS) == set(schedule.WORKSHOP_KINDS)
    assert len(set(schedule_models.KIND_MARKERS.values())) == len(schedule.WORKSHOP_KINDS)
    assert set(schedule_models.FILTER_KINDS) <= set(feedback.WORKSHOP_KINDS)


# --------------------------------------------------------------------------- PassagesModel


def test_passages_model_is_a_valid_model(qtmodeltester, passages):
    qtmodeltester.check(passages)
    passages.setCommune("Noirétable")
    qtmodeltester.check(passages)


def test_passages_grouped_by_commune_from_today(passages):
    got = rows(passages)
    assert [r["itemId"] for r in got] == ["P3", "P2", "P1", "P4"]  # Boën, Écotay (accents ignored), Noirétable
    assert [r["firstOfGroup"] for r in got] == [True, True, True, False]
    assert passages.communes == ["Boën-sur-Lignon", "Écotay-l'Olme", "Noirétable"]
    first = got[2]
    assert first["dateText"] == "mardi 1er décembre" and first["dayHint"] == "Demain"
    assert first["hoursText"] == "de 9 h 30 à 12 h"
    assert first["audience"] == "Tout public" and first["notes"] == "Face à la mairie"
    assert first["spokenText"] == (
        "Noirétable, Demain, mardi premier décembre, de 9 heures 30 à 12 heures, Place de l'Église, Face à la mairie."
    )
    assert got[1]["dayHint"] == "Aujourd'hui"
    assert got[0]["audience"] == "résidents"
    assert got[3]["dateText"] == "mardi 5 janvier 2027"
    assert passages.count == 4


def test_commune_filter(qtbot, passages, caplog):
    with qtbot.waitSignal(passages.communeChanged):
        passages.setCommune("Noirétable")
    assert passages.commune == "Noirétable" and passages.count == 2
    assert [r["itemId"] for r in rows(passages)] == ["P1", "P4"]
    assert rows(passages)[0]["firstOfGroup"]
    assert passages.communes == ["Boën-sur-Lignon", "Écotay-l'Olme", "Noirétable"]  # the chips stay
    with caplog.at_level(logging.WARNING):
        passages.setCommune("Atlantis")
    assert passages.commune == "" and passages.count == 4 and "Atlantis" in caplog.text
    passages.setCommune("Boën-sur-Lignon")
    passages.clearFilter()
    assert passages.commune == "" and passages.count == 4


def test_reload_sees_a_replaced_schedule(qtbot, passages, schedule_dir):
    passages.setCommune("Boën-sur-Lignon")
    db = store.open_catalogue_db(schedule_dir)
    try:
        schedule.replace_passages(db, [PASSAGES[1]])
    finally:
        db.close()
    with qtbot.waitSignal(passages.communesChanged):
        passages.reload()
    assert passages.communes == ["Noirétable"]
    assert passages.commune == ""  # the chosen commune has no passage any more
    assert [r["itemId"] for r in rows(passages)] == ["P1"]


def test_today_is_injected(schedule_dir, qapp):
    later = PassagesModel(schedule_dir, today=lambda: date(2026, 12, 2))
    assert [r["itemId"] for r in rows(later)] == ["P3", "P4"]


def test_unreadable_catalogue_gives_an_empty_list(qapp, tmp_path, caplog):
    (tmp_path / "catalogue.db").write_bytes(b"not a database at all" * 100)
    with caplog.at_level(logging.ERROR):
        model = PassagesModel(tmp_path, today=lambda: TODAY)
    assert model.count == 0 and model.communes == []
    assert "could not be read" in caplog.text


def test_english_rows(passages):
    passages.set_language("en")
    p1 = next(r for r in rows(passages) if r["itemId"] == "P1")
    assert p1["dateText"] == "Tuesday 1 December" and p1["hoursText"] == "from 09:30 to 12:00"


# --------------------------------------------------------------------------- AteliersModel


def test_ateliers_model_is_a_valid_model(qtmodeltester, ateliers):
    qtmodeltester.check(ateliers)
    ateliers.setKind("fablab_3d")
    qtmodeltester.check(ateliers)


def test_ateliers_rows(ateliers):
    got = rows(ateliers)
    assert [r["itemId"] for r in got] == ["W1", "W2", "W3"]
    w1, w2, w3 = got
    assert w1["kindLabel"] == "Ateliers tablettes" and w1["kindMarker"] == "square"
    assert w1["dateText"] == "mardi 1er décembre" and w1["hoursText"] == "de 10 h à 11 h 30"
    assert w1["seats"] == 6 and w1["seatsText"] == "6 places"
    assert w1["registration"] and w1["registrationText"] == "Sur inscription"
    assert w2["seatsText"] == "1 place" and w2["registrationText"] == "Entrée libre"
    assert w3["seats"] == -1 and w3["seatsText"] == ""
    assert w1["spokenText"] == (
        "Atelier tablettes : premiers pas, Ateliers tablettes, Demain, mardi premier décembre, "
        "de 10 heures à 11 heures 30, Noirétable, Place de l'Église, tout public, 6 places, Sur inscription."
    )


def test_kind_filter_and_labels(qtbot, ateliers, caplog):
    kinds = ateliers.kinds
    assert [k["kind"] for k in kinds] == [
        "tablette",
        "cafe_tablette",
        "fablab_3d",
        "demarches",
        "lecture_numerique",
        "jeux_video",
    ]
    assert [k["label"] for k in kinds] == [
        "Ateliers tablettes",
        "Cafés tablettes",
        "Mini fablab, impression 3D",
        "Démarches en ligne",
        "Lecture numérique",
        "Jeux vidéo",
    ]
    assert all(k["marker"] for k in kinds)
    with qtbot.waitSignal(ateliers.kindChanged):
        ateliers.setKind("fablab_3d")
    assert ateliers.kind == "fablab_3d" and [r["itemId"] for r in rows(ateliers)] == ["W3"]
    ateliers.setKind("jeux_video")
    assert ateliers.count == 0
    with caplog.at_level(logging.WARNING):
        ateliers.setKind("astronautique")
    assert ateliers.kind == "" and ateliers.count == 3
    ateliers.setKind("tablette")
    ateliers.clearFilter()
    assert ateliers.count == 3


# --------------------------------------------------------------------------- screens


@pytest.fixture(scope="module")
def touch_device():
    return QTest.createTouchDevice()


def find_item(kiosk, name: str) -> QQuickItem:
    """The item called ``name``, searched in the visual tree too: Repeater delegates are not
    QObject children of the window, so ``find`` (findChild) misses them."""
    pending = [kiosk.window.contentItem()]
    while pending:
        item = pending.pop(0)
        if item.objectName() == name:
            return item
        pending.extend(item.childItems())
    return find(kiosk, name)


def touch(qtbot, kiosk, name: str, clock, device) -> None:
    """A finger on the item called ``name`` (scrolled into view first), then lifted."""
    qtbot.wait(20)  # let the layouts settle (a chip that turned bold may have grown)
    item = find_item(kiosk, name)
    assert item.property("visible"), f"{name} is not visible"
    scroll_into_view(item)
    qtbot.wait(20)
    point = centre(item)
    window = kiosk.window
    QTest.touchEvent(window, device).press(0, point, window).commit()
    qtbot.wait(20)
    QTest.touchEvent(window, device).release(0, point, window).commit()
    clock.advance(1.0)  # past the tap guard
    qtbot.wait(1)


def settle(qtbot, kiosk, screen: str) -> None:
    qtbot.waitUntil(lambda: kiosk.window.property("currentScreen") == screen, timeout=2000)
    qtbot.waitUntil(lambda: not find(kiosk, "stack").property("busy"), timeout=2000)


def assert_cards_do_not_clip(kiosk, prefix: str, count: int) -> None:
    for i in range(count):
        card = find_item(kiosk, f"{prefix}{i}")
        content = card.childItems()[0]  # the card's ColumnLayout
        assert card.property("height") >= content.property("implicitHeight"), f"{prefix}{i} clips"


@pytest.mark.parametrize("screen", ["passages", "ateliers", "avis", "savoirs"])
def test_each_screen_loads_without_warning_at_100_and_200_percent(ui, qtbot, screen):
    assert ui.window.navigate(screen, {})
    settle(qtbot, ui, screen)
    for theme in ui.a11y.themeNames:
        ui.a11y.setTheme(theme)
        qtbot.wait(5)
    for _ in range(4):
        ui.a11y.stepTextScale(1)
    assert ui.a11y.textPercent == 200
    for theme in ui.a11y.themeNames:
        ui.a11y.setTheme(theme)
        qtbot.wait(5)
    for profile in ("malvoyant", "dys", "senior"):
        ui.a11y.applyProfile(profile)
        qtbot.wait(5)
    # 200 %: the page overflows, and big buttons scroll it (no gesture needed).
    current = find(ui, "stack").property("currentItem")
    assert current.objectName() == screen
    assert current.findChild(QQuickItem, "scrollDownButton").property("visible")


def test_passages_screen_by_touch(ui, qtbot, clock, touch_device):
    touch(qtbot, ui, "tilePassages", clock, touch_device)
    settle(qtbot, ui, "passages")
    assert ui.passages.count > 0 and ui.passages.commune == ""
    assert find_item(ui, "communeAll").property("on")
    first = ui.passages.communes[0]
    touch(qtbot, ui, "commune_0", clock, touch_device)
    assert ui.passages.commune == first
    assert find_item(ui, "commune_0").property("on") and not find_item(ui, "communeAll").property("on")
    assert {r["commune"] for r in rows(ui.passages)} == {first}
    ui.a11y.applyProfile("malvoyant")  # 200 %, speech on
    qtbot.wait(20)
    assert_cards_do_not_clip(ui, "passage_", ui.passages.count)
    touch(qtbot, ui, "passage_0", clock, touch_device)
    assert ui.speech.lastSpoken.startswith(first)
    touch(qtbot, ui, "communeAll", clock, touch_device)
    assert ui.passages.commune == ""


def test_ateliers_screen_by_touch(ui, qtbot, clock, touch_device):
    touch(qtbot, ui, "tileAteliers", clock, touch_device)
    settle(qtbot, ui, "ateliers")
    total = ui.ateliers.count
    assert total > 0
    touch(qtbot, ui, "kind_fablab_3d", clock, touch_device)
    assert ui.ateliers.kind == "fablab_3d"
    assert 0 < ui.ateliers.count < total
    assert {r["kind"] for r in rows(ui.ateliers)} == {"fablab_3d"}
    assert find_item(ui, "atelier_0").property("visible")
    ui.a11y.applyProfile("malvoyant")
    qtbot.wait(20)
    assert_cards_do_not_clip(ui, "atelier_", ui.ateliers.count)
    touch(qtbot, ui, "kindAll", clock, touch_device)
    assert ui.ateliers.count == total


def test_idle_reset_clears_the_filters(ui, qtbot, clock):
    ui.window.navigate("passages", {})
    settle(qtbot, ui, "passages")
    ui.passages.setCommune(ui.passages.communes[-1])
    ui.ateliers.setKind("tablette")
    clock.advance(ui.a11y.idleTimeoutS)
    ui.idle.tick()
    clock.advance(20)
    ui.idle.tick()
    settle(qtbot, ui, "accueil")
    assert ui.passages.commune == "" and ui.ateliers.kind == ""


def test_models_follow_the_language(ui, qtbot):
    ui.language.setLanguage("en")
    assert ui.ateliers.kinds[0]["label"] in ("Tablet workshops", "Ateliers tablettes")  # .qm may lag behind
    assert all(r["hoursText"].startswith("from ") for r in rows(ui.passages))
    ui.language.setLanguage("fr")
    assert ui.ateliers.kinds[0]["label"] == "Ateliers tablettes"
