"""SyncBridge on the real kiosk: the mediator's "Synchronisation" screen and the USB stick banner,
against the real headquarters served on 127.0.0.1 (no mDNS here: tests/sync/agent/test_service.py
covers discovery).  The bus's data directory is the demo one, enrolled for real."""

from __future__ import annotations

import gc
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from numeribus_kiosk import app as kiosk_app
from numeribus_kiosk import store
from numeribus_kiosk.catalogue.schedule import Passage
from numeribus_kiosk.journal import outbox, sessions
from numeribus_kiosk.mediator.lists import MediatorLists
from numeribus_kiosk.settings import Settings, SyncSettings
from numeribus_kiosk.ui import sync_bridge
from numeribus_kiosk.ui.a11y_audit import audit_window
from sync.agent.bundles import BUNDLE_REASONS
from sync.agent.round import ROUND_REASONS
from sync.server import bundles as hq_bundles
from sync.server import publish
from sync.server import schedule as hq_schedule
from sync.server.app import create_app
from sync.server.state import HQ
from tests.fake_sysfs import FakeStick
from tests.sync.agent.round_helpers import catalogue_csv, enrol_bus, publish_catalogue
from tests.sync.bus_journal import NOW, session_data
from tests.sync.live import free_loopback_port, serve_in_thread

from .conftest import find
from .mediator_helpers import audits_at_200_percent, open_screen, shown, text_of, unlock
from .test_schedule_screens import find_item, touch, touch_device  # noqa: F401 - fixture

SCREEN = "mediateur-synchro"
EVENTUALLY = 60_000  # ms: never reached when all is well


@pytest.fixture
def hq(tmp_path):
    service = HQ(tmp_path / "hq")
    with serve_in_thread(create_app(service)) as url:
        service.url = url
        yield service
    service.close()


@pytest.fixture
def machine(tmp_path) -> FakeStick:
    return FakeStick(tmp_path / "machine")


def build(qapp, data_dir: Path, clock, *, start: bool, **sync_settings):
    gc.collect()
    settings = Settings(sync=SyncSettings(**{"discovery": False, "watch_devices": False, **sync_settings}))
    options = {"settings": settings}
    kiosk = kiosk_app.build_kiosk(
        qapp,
        data_dir,
        windowed=False,
        speech_engine="mock",
        clock=clock,
        pixel_pitch_mm=0.248,
        start_sync=start,
        sync_options=options,
    )
    qapp.processEvents()
    return kiosk


@pytest.fixture
def kiosks():
    built = []
    yield built
    for kiosk in built:
        kiosk.close()
    gc.collect()


def add_session(data_dir: Path) -> None:
    db = store.open_journal_db(data_dir)
    try:
        sessions.add_session(db, session_data(), now=NOW)
    finally:
        db.close()


def pending(data_dir: Path) -> int:
    db = store.open_journal_db(data_dir)
    try:
        return outbox.pending_count(db)
    finally:
        db.close()


def publish_for_the_bus(hq: HQ, tmp_path: Path) -> Passage:
    publish_catalogue(hq, tmp_path / "library", catalogue_csv(30))
    passage = Passage(
        "hq-1", date.today() + timedelta(days=3), time(9, 30), time(12), "Saint-Bonnet-le-Courreau", "Place de l'église"
    )
    hq_schedule.put_passage(hq.db(), passage, hq.now())
    lists = MediatorLists(mediators=("Camille Siège",), activities=("Café tablettes", "Fablab : impression 3D"))
    publish.publish_lists(hq.db(), lists, hq.now())
    return passage


def test_every_reason_code_has_its_french_sentence():
    for reason in (*ROUND_REASONS, *BUNDLE_REASONS):
        if reason == "no_bundle":
            continue  # a stick without a bundle for this bus is not an error
        assert reason in sync_bridge.REASONS, reason
    assert set(sync_bridge.REASONS) <= set(ROUND_REASONS) | set(BUNDLE_REASONS)
    assert sync_bridge.reason_text("a-newer-code") == sync_bridge.reason_text("failed")


def test_a_bus_not_enrolled_says_so(ui, qtbot, clock, touch_device):  # noqa: F811
    unlock(ui)
    open_screen(qtbot, ui, "mediateur")
    touch(qtbot, ui, "mediatorGoSync", clock, touch_device)
    qtbot.waitUntil(lambda: ui.window.property("currentScreen") == SCREEN, timeout=2000)
    assert text_of(ui, "syncLastSuccess").startswith("Ce bus n'est pas encore inscrit au siège")
    assert not shown(ui, "syncNowButton") and not shown(ui, "syncError")
    assert text_of(ui, "syncCatalogue").startswith("Catalogue du bus : pas encore reçu du siège")
    assert text_of(ui, "syncPending") == "Tout ce qui a été noté sur le bus a été reçu par le siège."
    assert not find_item(ui, "stickBanner").property("visible")


def test_synchroniser_maintenant_by_touch(qapp, qtbot, clock, touch_device, hq, ui_data_dir, tmp_path, kiosks):  # noqa: F811
    identity = enrol_bus(hq, hq.url, ui_data_dir)
    passage = publish_for_the_bus(hq, tmp_path)
    kiosk = build(qapp, ui_data_dir, clock, start=True)
    kiosks.append(kiosk)
    add_session(ui_data_dir)
    unlock(kiosk)
    open_screen(qtbot, kiosk, SCREEN)
    qtbot.waitUntil(lambda: "1 évènement attend" in text_of(kiosk, "syncPending"), timeout=EVENTUALLY)
    assert text_of(kiosk, "syncLastSuccess") == "Aucun échange réussi avec le siège pour l'instant."
    assert passage.commune not in kiosk.passages.communes
    assert "Camille Siège" not in kiosk.mediator.mediators

    with qtbot.waitSignal(kiosk.sync.contentChanged, timeout=EVENTUALLY):
        touch(qtbot, kiosk, "syncNowButton", clock, touch_device)
    qtbot.waitUntil(lambda: not kiosk.sync.running and kiosk.sync.busyText == "", timeout=EVENTUALLY)
    qtbot.waitUntil(lambda: "aujourd'hui à" in text_of(kiosk, "syncLastSuccess"), timeout=EVENTUALLY)
    assert text_of(kiosk, "syncLastSuccess").endswith(", par le réseau.")
    assert text_of(kiosk, "syncPending") == "Tout ce qui a été noté sur le bus a été reçu par le siège."
    version = publish.current_version(hq.db())
    assert text_of(kiosk, "syncCatalogue") == f"Catalogue du bus : version {version} du siège."
    assert not shown(kiosk, "syncError")
    held = hq.db().execute("SELECT count(*) FROM events WHERE device_id = ?", [identity.device_id]).fetchone()[0]
    assert held == 1
    # The screens follow: the schedule, the mediators' names of the lists headquarters published.
    assert passage.commune in kiosk.passages.communes
    assert "Camille Siège" in kiosk.mediator.mediators
    assert "Camille Siège" in kiosk.session_form.property("mediatorChoices")
    assert [a for a in kiosk.session_form.property("activities") if "Fablab" in str(a)]


@pytest.fixture
def cut_off(qapp, qtbot, hq, ui_data_dir, clock, kiosks):
    """An enrolled kiosk with a session to send, whose headquarters address over 4G answers
    nothing; its status screen open."""
    enrol_bus(hq, hq.url, ui_data_dir)
    closed = f"http://127.0.0.1:{free_loopback_port()}"
    add_session(ui_data_dir)  # something to send: the round needs headquarters
    kiosk = build(qapp, ui_data_dir, clock, start=True, hq_url=closed)
    kiosks.append(kiosk)
    unlock(kiosk)
    open_screen(qtbot, kiosk, SCREEN)
    return kiosk


def test_the_last_failure_in_plain_french(qtbot, clock, touch_device, cut_off):  # noqa: F811
    kiosk = cut_off
    touch(qtbot, kiosk, "syncNowButton", clock, touch_device)
    qtbot.waitUntil(lambda: shown(kiosk, "syncError"), timeout=EVENTUALLY)
    error = text_of(kiosk, "syncError")
    assert error.startswith("⚠ Dernier échec (aujourd'hui à ")
    assert "Le siège ne répond pas" in error and "Rien n'est perdu" in error
    assert kiosk.sync.errorReason == "unreachable"
    qtbot.waitUntil(lambda: shown(kiosk, "syncNext"), timeout=EVENTUALLY)
    assert text_of(kiosk, "syncNext").startswith("Prochain essai automatique : aujourd'hui à ")


def test_the_status_follows_the_language(qtbot, clock, touch_device, cut_off):  # noqa: F811
    kiosk = cut_off
    touch(qtbot, kiosk, "syncNowButton", clock, touch_device)
    qtbot.waitUntil(lambda: shown(kiosk, "syncNext"), timeout=EVENTUALLY)
    kiosk.language.setLanguage("en")
    qtbot.waitUntil(
        lambda: text_of(kiosk, "syncNext").startswith("Next automatic attempt: today at "), timeout=EVENTUALLY
    )
    assert re.search(r"today at \d\d:\d\d", text_of(kiosk, "syncError")), text_of(kiosk, "syncError")
    kiosk.language.setLanguage("fr")
    qtbot.waitUntil(lambda: "aujourd'hui à " in text_of(kiosk, "syncNext"), timeout=EVENTUALLY)


def test_dates_in_both_languages():
    now = datetime(2026, 11, 26, 15, 0)
    earlier = datetime(2026, 11, 19, 8, 30).timestamp()
    assert sync_bridge.when_text(earlier, now) == "le jeudi 19 novembre à 8 h 30"
    assert sync_bridge.when_text(datetime(2025, 11, 19, 8, 30).timestamp(), now, "fr").endswith(
        "19 novembre 2025 à 8 h 30"
    )
    # the sentence comes from the translator installed (none here); the day and time are English
    english = sync_bridge.when_text(earlier, now, "en")
    assert "Thursday 19 November" in english and english.endswith("08:30")


def test_the_status_is_kept_across_a_restart(qapp, qtbot, clock, hq, ui_data_dir, tmp_path, kiosks):
    enrol_bus(hq, hq.url, ui_data_dir)
    publish_for_the_bus(hq, tmp_path)
    first = build(qapp, ui_data_dir, clock, start=True)
    with qtbot.waitSignal(first.sync.contentChanged, timeout=EVENTUALLY):
        first.sync.syncNow()
    qtbot.waitUntil(lambda: "aujourd'hui à" in first.sync.lastSuccessText, timeout=EVENTUALLY)
    said = first.sync.lastSuccessText
    first.close()
    again = build(qapp, ui_data_dir, clock, start=False)
    kiosks.append(again)
    assert again.sync.lastSuccessText == said


@pytest.mark.parametrize("tamper", [False, True], ids=["genuine", "tampered"])
def test_the_stick_banner(qapp, qtbot, hq, ui_data_dir, tmp_path, machine, clock, kiosks, tamper):
    identity = enrol_bus(hq, hq.url, ui_data_dir)
    passage = publish_for_the_bus(hq, tmp_path)
    hq_bundles.export_bundle(hq, identity.name, machine.path)
    if tamper:
        (bundle,) = (machine.path / "numeribus" / "to-bus").glob("*.nbundle")
        data = bytearray(bundle.read_bytes())
        data[len(data) // 3] ^= 0x10
        bundle.write_bytes(bytes(data))
    settings = Settings(sync=SyncSettings(discovery=False, watch_devices=True))
    gc.collect()
    kiosk = kiosk_app.build_kiosk(
        qapp,
        ui_data_dir,
        speech_engine="mock",
        clock=clock,
        pixel_pitch_mm=0.248,
        start_sync=True,
        sync_options={"settings": settings, "watcher_options": machine.options},
    )
    kiosks.append(kiosk)
    kiosk.a11y.applyProfile("malvoyant")  # speech on: the banner is read aloud
    add_session(ui_data_dir)
    banner = find_item(kiosk, "stickBanner")
    assert not banner.property("visible")

    machine.plug(True)
    kiosk.sync.service.watcher.rescan()
    qtbot.waitUntil(lambda: kiosk.sync.stickState in ("done", "failed"), timeout=EVENTUALLY)
    text = kiosk.sync.stickText
    assert banner.property("visible") and text_of(kiosk, "stickText").endswith(text)
    assert text.startswith("Clé USB : ") and text.endswith("Vous pouvez retirer la clé.")
    assert "1 évènement écrit sur la clé pour le siège." in text
    assert kiosk.speech.lastSpoken.startswith("Clé USB")
    if tamper:
        assert kiosk.sync.stickState == "failed"
        assert "a été modifié ou abîmé : il a été refusé, rien n'a changé" in text
        assert passage.commune not in kiosk.passages.communes
    else:
        assert kiosk.sync.stickState == "done"
        assert "Catalogue et programme du bus mis à jour depuis la clé." in text
        qtbot.waitUntil(lambda: passage.commune in kiosk.passages.communes, timeout=EVENTUALLY)
        # Readable at 200 % in every theme, and it pushes the screen down (never covers the top bar).
        kiosk.a11y.stepTextScale(8)
        for theme in kiosk.a11y.themeNames:
            kiosk.a11y.setTheme(theme)
            for _ in range(2):
                kiosk.window.grabWindow()
                qtbot.wait(10)
            result = audit_window(kiosk.window, roots=[banner], context={"theme": theme})
            assert result.items >= 1 and result.failures == [], (theme, result.failures)
            assert not find_item(kiosk, "stickText").property("truncated")
        home = find(kiosk, "homeButton")
        assert (
            banner.mapToScene(banner.boundingRect().topLeft()).y()
            >= home.mapToScene(home.boundingRect().bottomLeft()).y()
        )
    assert list((machine.path / "numeribus" / "to-hq").glob("*.nbundle"))
    assert pending(ui_data_dir) == 1  # not marked sent: the stick may get lost on the way

    machine.plug(False)
    kiosk.sync.service.watcher.rescan()
    qtbot.waitUntil(lambda: not banner.property("visible"), timeout=EVENTUALLY)
    assert kiosk.sync.stickText == ""


def test_readable_at_200_percent_in_every_theme(qtbot, cut_off):
    kiosk = cut_off
    kiosk.sync.syncNow()
    qtbot.waitUntil(lambda: shown(kiosk, "syncError") and shown(kiosk, "syncNext"), timeout=EVENTUALLY)
    for theme, result in audits_at_200_percent(qtbot, kiosk, screen=SCREEN):
        assert result.items >= 8 and result.failures == [], (theme, result.failures)
        assert not find_item(kiosk, "syncError").property("truncated")
