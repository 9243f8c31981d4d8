"""StatsModel and the mediator's statistics screen ("mediateur-stats"), on the real kiosk.

Sessions are written with journal.sessions.add_session into the test's journal.db; the mode is
opened through MediatorBridge (setupPin on a kiosk without a PIN, or enter with a PIN set
beforehand).  "Today" is fixed through the mediator's clock of wall time (its `now`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import schedule
from numeribus_kiosk.catalogue.schedule import Passage
from numeribus_kiosk.journal import sessions, stats
from numeribus_kiosk.ui import stats_model

from .mediator_helpers import PIN, accessible_name, audits_at_200_percent, open_screen, shown, text_of, unlock
from .test_schedule_screens import find_item, settle, touch, touch_device  # noqa: F401 - fixture

PARIS = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 26, 17, 0, tzinfo=PARIS)  # a Thursday; its week began on Monday 23
SCREEN = "mediateur-stats"


@pytest.fixture
def today_is_fixed(ui, monkeypatch):
    """The mediator mode's wall time (what `mediator.today()` reads) is NOW."""
    monkeypatch.setattr(ui.mediator, "_now", lambda: NOW)


def add(db, day: date, *, hour=10, place="Médiathèque de Noirétable", activity="atelier tablette",
        publics=("seniors",), participants=5, offset=PARIS) -> sessions.Session:  # fmt: skip
    return sessions.add_session(
        db,
        {
            "started_at": datetime.combine(day, time(hour), offset).isoformat(),
            "duration_min": 90,
            "place": place,
            "activity": activity,
            "publics": list(publics),
            "participants": participants,
            "mediator": "Camille",
        },
        now=NOW,
    )


def set_schedule(data_dir, first: date, last: date) -> None:
    db = store.open_catalogue_db(data_dir)
    try:
        schedule.replace_passages(
            db,
            [
                Passage("first", first, time(9), time(12), "Noirétable"),
                Passage("last", last, time(9), time(12), "Chalmazel"),
            ],
        )
    finally:
        db.close()


def chart_lines(kiosk, chart: str, count: int) -> list[str]:
    return [text_of(kiosk, f"{chart}_{i}Label") + " | " + text_of(kiosk, f"{chart}_{i}Numbers") for i in range(count)]


@pytest.fixture
def week_of_sessions(journal_db):
    """Today (Thu 26 Nov): 2 sessions; Monday 23: 1; Friday 20 (last week): 1; 30 October: 1; one deleted."""
    add(journal_db, date(2026, 11, 26), activity="café tablette", publics=["seniors", "résidents EHPAD"],
        place="EHPAD Les Tilleuls", participants=8)  # fmt: skip
    add(journal_db, date(2026, 11, 26), hour=14, activity="atelier tablette", publics=["seniors"], participants=4)
    add(journal_db, date(2026, 11, 23), activity="jeux vidéo", publics=["adolescents"], participants=6)
    add(journal_db, date(2026, 11, 20), activity="impression 3D", publics=["familles"], participants=10)
    add(journal_db, date(2026, 10, 30), activity="impression 3D", publics=["familles"], participants=7)
    gone = add(journal_db, date(2026, 11, 26), hour=16, activity="démarches", publics=["adultes"], participants=50)
    sessions.delete_session(journal_db, gone.id, now=NOW)


# --------------------------------------------------------------------------- the bridge


def test_row_texts_follow_the_french_plural(qapp):
    assert [stats_model.sessions_text(n) for n in (0, 1, 2)] == ["0 séance", "1 séance", "2 séances"]
    assert stats_model.participants_text(1) == "1 participant"
    assert stats_model.participants_text(12) == "12 participants"
    rows = stats_model.chart_rows((stats.Row("seniors", 3, 12), stats.Row("familles", 1, 3), stats.Row("x", 1, 0)))
    assert [r["fraction"] for r in rows] == [1.0, 0.25, 0.0]
    assert rows[0]["text"] == "12 participants · 3 séances"
    assert rows[0]["spoken"] == "seniors : 12 participants, 3 séances"
    assert stats_model.chart_rows((stats.Row("a", 2, 0),))[0]["fraction"] == 0.0  # no division by zero
    assert set(stats_model.PERIOD_LABELS) == set(stats.PERIODS)


def test_nothing_while_locked(ui, qtbot, today_is_fixed, week_of_sessions):
    stats_bridge = ui.stats
    stats_bridge.refresh()
    assert not stats_bridge.property("loaded")
    assert stats_bridge.property("sessions") == 0 and stats_bridge.property("byPublic") == []
    # Main.qml does not even open the screen while the mode is locked.
    assert not ui.window.navigate("mediateur-stats", {})
    assert ui.window.property("currentScreen") != "mediateur-stats"


def test_locking_clears_the_figures(ui, qtbot, today_is_fixed, week_of_sessions):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    ui.stats.setPeriod("week")
    assert ui.stats.property("sessions") == 3
    with qtbot.waitSignal(ui.stats.figuresChanged):
        ui.mediator.lock()
    assert not ui.stats.property("loaded")
    assert ui.stats.property("period") == "today"  # the next mediator starts afresh
    for prop in ("byPublic", "byActivity", "byPlace"):
        assert ui.stats.property(prop) == []
    assert ui.stats.property("sessions") == ui.stats.property("participants") == 0
    assert ui.stats.property("sessionsText") == "" and ui.stats.property("periodDates") == ""
    qtbot.waitUntil(lambda: ui.window.property("currentScreen") == "accueil")  # Main.qml goes home
    ui.stats.refresh()  # asked again while locked: still nothing
    assert not ui.stats.property("loaded")


def test_figures_and_charts_of_today(ui, qtbot, today_is_fixed, week_of_sessions):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert ui.stats.property("period") == "today"
    assert text_of(ui, "statsPeriodTitle") == "Aujourd'hui : jeudi 26 novembre"
    assert text_of(ui, "statsSessions") == "2 séances"
    assert text_of(ui, "statsParticipants") == "12 participants"
    assert not shown(ui, "statsEmpty") and not shown(ui, "statsLocked") and not shown(ui, "statsPeriodNote")
    # The deleted session (50 participants) is nowhere.
    assert chart_lines(ui, "statsByPublic", 2) == [
        "seniors | 12 participants · 2 séances",
        "résidents EHPAD | 8 participants · 1 séance",
    ]
    assert chart_lines(ui, "statsByActivity", 2) == [
        "café tablette | 8 participants · 1 séance",
        "atelier tablette | 4 participants · 1 séance",
    ]
    assert chart_lines(ui, "statsByPlace", 2) == [
        "EHPAD Les Tilleuls | 8 participants · 1 séance",
        "Médiathèque de Noirétable | 4 participants · 1 séance",
    ]
    assert find_item(ui, "statsByPublicTitle").property("text") == "Par public"
    assert "plusieurs publics" in " ".join(
        c.property("text") or "" for c in find_item(ui, "statsByPublic").childItems()
    )
    # The same words for assistive technologies; the bars' lengths follow the participants.
    assert accessible_name(find_item(ui, "statsByPublic_0")) == "seniors : 12 participants, 2 séances"
    assert accessible_name(find_item(ui, "statsSessions")) == "2 séances"
    long_bar = find_item(ui, "statsByActivity_0Bar").property("width")
    short_bar = find_item(ui, "statsByActivity_1Bar").property("width")
    assert short_bar == pytest.approx(long_bar * 4 / 8, abs=1)


def test_switching_periods_by_touch(ui, qtbot, clock, touch_device, today_is_fixed, week_of_sessions):  # noqa: F811
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "statsPeriod_week", clock, touch_device)
    assert ui.stats.property("period") == "week"
    assert find_item(ui, "statsPeriod_week").property("on") and not find_item(ui, "statsPeriod_today").property("on")
    assert text_of(ui, "statsPeriodTitle") == "Cette semaine : du 23 au 29 novembre"
    assert (text_of(ui, "statsSessions"), text_of(ui, "statsParticipants")) == ("3 séances", "18 participants")
    assert chart_lines(ui, "statsByPublic", 3)[2] == "adolescents | 6 participants · 1 séance"

    touch(qtbot, ui, "statsPeriod_month", clock, touch_device)
    assert text_of(ui, "statsPeriodTitle") == "Ce mois-ci : du 1er au 30 novembre"
    assert (text_of(ui, "statsSessions"), text_of(ui, "statsParticipants")) == ("4 séances", "28 participants")
    assert chart_lines(ui, "statsByActivity", 1) == ["impression 3D | 10 participants · 1 séance"]

    touch(qtbot, ui, "statsPeriod_today", clock, touch_device)
    assert text_of(ui, "statsSessions") == "2 séances"


def test_this_tour_follows_the_bus_schedule(ui, qtbot, clock, touch_device, ui_data_dir, today_is_fixed,  # noqa: F811
                                            week_of_sessions):  # fmt: skip
    set_schedule(ui_data_dir, date(2026, 10, 28), date(2026, 12, 4))
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "statsPeriod_tour", clock, touch_device)
    assert text_of(ui, "statsPeriodTitle") == "Cette tournée : du 28 octobre au 4 décembre"
    assert not shown(ui, "statsPeriodNote")
    assert (text_of(ui, "statsSessions"), text_of(ui, "statsParticipants")) == ("5 séances", "35 participants")
    assert chart_lines(ui, "statsByActivity", 1) == ["impression 3D | 17 participants · 2 séances"]


def test_without_a_current_tour_the_last_28_days(ui, qtbot, clock, touch_device, ui_data_dir,  # noqa: F811
                                                 today_is_fixed, week_of_sessions):  # fmt: skip
    set_schedule(ui_data_dir, date(2026, 9, 1), date(2026, 10, 31))  # over before today
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    touch(qtbot, ui, "statsPeriod_tour", clock, touch_device)
    assert find_item(ui, "statsPeriod_tour").property("on")  # the chip chosen is still "Cette tournée"
    assert text_of(ui, "statsPeriodTitle") == "Les 28 derniers jours : du 30 octobre au 26 novembre"
    assert shown(ui, "statsPeriodNote")
    assert text_of(ui, "statsPeriodNote").startswith("Aucune tournée en cours")
    assert text_of(ui, "statsSessions") == "5 séances"  # 30 October is the 28th day back


def test_empty_period(ui, qtbot, today_is_fixed, journal_db):
    add(journal_db, date(2026, 11, 2))  # this month, not this week
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert shown(ui, "statsEmpty")
    assert text_of(ui, "statsEmpty") == "Aucune séance sur cette période."
    for name in ("statsFigures", "statsByPublic", "statsByActivity", "statsByPlace", "statsLocked"):
        assert not shown(ui, name), name
    ui.stats.setPeriod("month")
    assert not shown(ui, "statsEmpty") and shown(ui, "statsFigures")
    assert text_of(ui, "statsSessions") == "1 séance"


def test_a_new_session_is_seen_when_the_screen_opens_again(ui, qtbot, today_is_fixed, journal_db):
    unlock(ui)
    open_screen(qtbot, ui, SCREEN)
    assert shown(ui, "statsEmpty")
    ui.window.goHome()
    settle(qtbot, ui, "accueil")
    add(journal_db, date(2026, 11, 26), participants=3)
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "statsParticipants") == "3 participants"


def test_unlocked_with_the_pin(pin_set, ui, qtbot, today_is_fixed, journal_db):
    add(journal_db, date(2026, 11, 26), participants=9)
    with qtbot.waitSignal(ui.mediator.entered, timeout=10000) as entered:
        ui.mediator.enter(PIN)
    assert entered.args == [True]
    open_screen(qtbot, ui, SCREEN)
    assert text_of(ui, "statsParticipants") == "9 participants" and not shown(ui, "statsLocked")


def test_unknown_period_is_refused_with_a_log(ui, today_is_fixed, caplog):
    unlock(ui)
    ui.stats.setPeriod("year")
    assert ui.stats.property("period") == "today"
    assert "unknown statistics period 'year'" in caplog.text


def test_an_unreadable_journal_is_said(ui, qtbot, today_is_fixed, ui_data_dir, journal_db):
    unlock(ui)
    journal_db.execute("DROP TABLE sessions")  # the journal is damaged under the kiosk's feet
    open_screen(qtbot, ui, SCREEN)
    assert ui.stats.property("failed") and not ui.stats.property("loaded")
    assert shown(ui, "statsFailed") and not shown(ui, "statsLocked")
    assert text_of(ui, "statsFailed").startswith("⚠ Le journal du bus n'a pas pu être lu.")


def test_readable_at_200_percent_in_every_theme(ui, qtbot, today_is_fixed, week_of_sessions):
    unlock(ui)
    ui.stats.setPeriod("month")
    open_screen(qtbot, ui, SCREEN)
    for _theme, result in audits_at_200_percent(qtbot, ui):
        assert result.failures == [], result.failures
        assert result.items > 60  # the charts were walked, not just the header
        for chart, count in (("statsByPublic", 4), ("statsByActivity", 4), ("statsByPlace", 2)):
            for i in range(count):
                line = find_item(ui, f"{chart}_{i}")
                content = line.childItems()[0]
                assert line.property("height") >= content.property("implicitHeight"), f"{chart}_{i} clips"
                assert not find_item(ui, f"{chart}_{i}Numbers").property("truncated")
