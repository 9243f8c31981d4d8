"""Start-up of the kiosk's touchscreen application (Qt Quick).

:func:`run` does, in this order:

1. **Environment**: ``QT_IM_MODULE=qtvirtualkeyboard`` (the on-screen keyboard inside the
   window) and ``QT_QUICK_CONTROLS_STYLE=Basic`` (our own looks; no platform style), unless
   already set.  Both must be set before the application object exists.
2. **QGuiApplication** (or the one that already exists, e.g. under pytest-qt).
3. **Fonts**: every font file of ``numeribus_kiosk/assets/fonts/`` (Andika, OpenDyslexic) is registered, so
   the kiosk draws the same letters on any PC.
4. **Catalogue**: ``catalogue.db`` of the data directory is opened; when it holds no record the
   embedded demo data is loaded first (a new bus shows real titles at once).  A data directory
   that cannot be used raises :class:`~numeribus_kiosk.store.StoreError` (the command line
   prints its one-line message).
5. **Bridges** (``numeribus_kiosk/ui/*.py``): AccessibilityBridge, SpeechBridge,
   LanguageBridge (translator: French is the source language, English from
   ``numeribus_kiosk/assets/translations/numeribus_en.qm``; French plural forms from ``numeribus_fr.qm``,
   installed first), IdleMonitor and TapGuard, the last two installed
   as application event filters.  They are wired together here (settings -> idle timeout and
   tap delay, idle reset -> settings/speech/language reset, any press -> speech interrupted),
   and UsageCounter turns their signals into anonymous usage counts (JournalBridge.count).
   Main.qml also gets ``keyboardLayoutPath`` (our AZERTY layout, :func:`keyboard_layout_path`).
   SyncBridge runs the sync agent (``sync.agent.service``: mDNS discovery, network links, USB
   sticks, periodic tries over 4G, "Synchroniser maintenant"); when a round or a stick changed
   the catalogue, the schedule or the lists, the screens showing them reload.  run() starts it;
   build_kiosk() alone leaves it stopped unless ``start_sync`` (tests pass loopback options).
6. **QML engine**: import path ``numeribus_kiosk/ui/qml``, the bridges handed to ``Main.qml``
   with ``setInitialProperties`` (no context properties), ``loadFromModule("Numeribus", "Main")``.
7. **Window**: fullscreen and frameless in kiosk mode (Escape/Alt+F4 do nothing), an ordinary
   window with ``windowed=True``.
8. **Event loop** until the window is closed (only possible windowed, or through
   ``Main.quit()``), or SIGTERM/SIGINT arrives; then the kiosk is torn down (QML first,
   then the bridges) and the exit code returned.

Steps 3 to 7 are :func:`build_kiosk`, which tests call with the "mock" speech engine and a
fake clock.  Importing this module has no side effect.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import ASSETS_DIR

log = logging.getLogger(__name__)

FONTS_DIR = ASSETS_DIR / "fonts"
# Our Qt Virtual Keyboard layouts (fr_FR AZERTY, every accented letter one tap): see keyboard_layout_path().
KEYBOARD_LAYOUTS_DIR = ASSETS_DIR / "keyboard" / "layouts"
KIOSK_ENV: Mapping[str, str] = {
    "QT_IM_MODULE": "qtvirtualkeyboard",
    "QT_QUICK_CONTROLS_STYLE": "Basic",
}
LANGUAGES = ("fr", "en")


def configure_environment(environ: dict[str, str] | None = None) -> None:
    """Step 1: the environment variables Qt reads when the application starts."""
    environ = os.environ if environ is None else environ
    for key, value in KIOSK_ENV.items():
        environ.setdefault(key, value)


def keyboard_layout_path(environ: Mapping[str, str] | None = None) -> str:
    """The layout directory Main.qml gives Qt Virtual Keyboard (``VirtualKeyboardSettings.layoutPath``).

    Our ``numeribus_kiosk/assets/keyboard/layouts/`` as a file URL, or "" (keep what Qt chose) when
    ``QT_VIRTUALKEYBOARD_LAYOUT_PATH`` is set: Qt reads that variable itself, so an installation
    can still point to other layouts.  Set from QML rather than through the environment so that
    build_kiosk() alone (tests) gets the same keyboard as run()."""
    from PySide6.QtCore import QUrl

    environ = os.environ if environ is None else environ
    if environ.get("QT_VIRTUALKEYBOARD_LAYOUT_PATH"):
        return ""
    return QUrl.fromLocalFile(str(KEYBOARD_LAYOUTS_DIR)).toString()


def register_fonts(fonts_dir: Path = FONTS_DIR) -> list[str]:
    """Step 3: register the bundled fonts; returns the families added."""
    from PySide6.QtGui import QFontDatabase

    families: list[str] = []
    for path in sorted(fonts_dir.glob("*.[ot]tf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font %s could not be loaded", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


def open_kiosk_catalogue(data_dir: Path):
    """Step 4: the catalogue to search, demo data loaded into an empty one."""
    from .catalogue.demo import DemoError, catalogue_is_empty, load_demo_data
    from .store import ensure_data_dir, open_catalogue_db

    data_dir = ensure_data_dir(Path(data_dir))
    db = open_catalogue_db(data_dir)
    try:
        empty = catalogue_is_empty(db)
    finally:
        db.close()
    if empty:
        try:
            load_demo_data(data_dir)
        except DemoError as exc:
            log.error("%s", exc)  # a broken installation: start with an empty catalogue
    from .catalogue import open_catalogue

    # Searches run on a worker thread: the Catalogue serialises them with its own lock.
    return open_catalogue(data_dir, check_same_thread=False)


def install_french_plurals(app) -> None:
    """French plural forms ("1 seconde", "2 secondes") for the ``%n`` strings, once per application.

    French is the source language, so no translator is installed for it, and Qt would show
    ``qsTr("... %n seconde(s)", "", n)`` as written.  ``numeribus_fr.qm`` holds only the plural
    messages (``lupdate -pluralonly``); it is installed first, so LanguageBridge's English
    translator, installed later, is searched before it."""
    from PySide6.QtCore import QTranslator

    from .ui.language_bridge import TRANSLATIONS_DIR

    if app.findChild(QTranslator, "numeribus_fr") is not None:
        return
    translator = QTranslator(app)
    translator.setObjectName("numeribus_fr")
    if translator.load("numeribus_fr", str(TRANSLATIONS_DIR)):
        app.installTranslator(translator)
    else:
        log.error("translation numeribus_fr.qm not found in %s", TRANSLATIONS_DIR)
        translator.deleteLater()


def screen_pixel_pitch_mm(app) -> float:
    """The primary screen's pixel pitch in mm, or the default when it reports nonsense."""
    from .ui.accessibility_bridge import DEFAULT_PIXEL_PITCH_MM

    screen = app.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 0
    if dpi > 0:
        pitch = 25.4 / dpi
        if 0.1 <= pitch <= 0.6:
            return pitch
    return DEFAULT_PIXEL_PITCH_MM


@dataclass
class Kiosk:
    """Everything :func:`build_kiosk` made; kept alive as long as the window lives."""

    engine: Any
    window: Any
    a11y: Any
    speech: Any
    language: Any
    idle: Any
    tap_guard: Any
    catalogue: Any
    journal: Any
    search: Any = None  # SearchModel ("Recherche" screen)
    notice: Any = None  # NoticeBridge ("Notice" screen)
    usage: Any = None  # UsageCounter (anonymous usage counters)
    passages: Any = None  # PassagesModel ("Prochains passages" screen)
    ateliers: Any = None  # AteliersModel ("Ateliers" screen, wishes of "Donner mon avis")
    mediator: Any = None  # MediatorBridge (mediator mode: PIN, automatic exit, gate to journal data)
    stats: Any = None  # StatsModel (mediator mode: on-board statistics of the sessions)
    visitor_records: Any = None  # VisitorRecordsModel (mediator mode: visitors' requests, opinions, offers)
    exporter: Any = None  # ExportBridge (mediator mode: sessions to a USB stick)
    session_form: Any = None  # SessionForm (mediator mode: "Noter une séance")
    sessions: Any = None  # SessionsModel (mediator mode: the sessions list, edit and delete)
    sync: Any = None  # SyncBridge (the sync agent; its status in the mediator mode, the USB stick banner)
    branding: Any = None  # BrandingBridge (the service's name and logo, [branding] of config.toml)

    def close(self) -> None:
        """Tear down (tests): remove the event filters, delete the window, close the catalogue."""
        from PySide6.QtCore import QCoreApplication, QEvent

        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.tap_guard)
        self.speech.stop()
        if self.window is not None:
            self.window.setProperty("quitAllowed", True)
            self.window.close()
            self.window = None
        # The QML objects must go before the bridges their bindings read.
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if self.search is not None:
            self.search.close()  # waits for a running search before the catalogue goes
        if self.catalogue is not None and hasattr(self.catalogue, "close"):
            self.catalogue.close()
        if self.exporter is not None:
            self.exporter.close()  # waits for a file being written
        if self.sync is not None:
            self.sync.close()  # a running round or stick ends first
        if self.mediator is not None:
            self.mediator.close()
        self.journal.close()


def build_kiosk(
    app,
    data_dir: Path,
    *,
    windowed: bool = False,
    language: str = "fr",
    speech_engine: str = "speechd",
    clock=None,
    pixel_pitch_mm: float | None = None,
    catalogue=None,
    offer_pin_setup: bool = False,
    now=None,
    start_sync: bool = False,
    sync_options: dict | None = None,
) -> Kiosk:
    """Steps 3 to 7 of :func:`run` (see the module docstring)."""
    from PySide6.QtQml import QQmlApplicationEngine

    from .ui import QML_IMPORT_PATH, register_types
    from .ui.accessibility_bridge import AccessibilityBridge
    from .ui.branding_bridge import BrandingBridge
    from .ui.export_bridge import ExportBridge
    from .ui.idle_monitor import IdleMonitor
    from .ui.journal_bridge import JournalBridge
    from .ui.language_bridge import LanguageBridge
    from .ui.mediator_bridge import MediatorBridge
    from .ui.notice_bridge import NoticeBridge, upcoming_communes
    from .ui.schedule_models import AteliersModel, PassagesModel
    from .ui.search_model import SearchModel
    from .ui.session_form import SessionForm
    from .ui.sessions_model import SessionsModel
    from .ui.speech_bridge import SpeechBridge
    from .ui.stats_model import StatsModel
    from .ui.sync_bridge import SyncBridge
    from .ui.tap_guard import TapGuard
    from .ui.usage_counter import UsageCounter
    from .ui.visitor_records import VisitorRecordsModel

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    register_fonts()
    if catalogue is None:
        catalogue = open_kiosk_catalogue(Path(data_dir))
    register_types()

    from .settings import load_settings

    settings = load_settings(Path(data_dir))  # config.toml, read once for the bridges below
    pitch = pixel_pitch_mm if pixel_pitch_mm is not None else screen_pixel_pitch_mm(app)
    # [branding]: the territory's colours in the themes (refused by load_settings when unreadable).
    a11y = AccessibilityBridge(pixel_pitch_mm=pitch, themes=settings.branding.themes())
    speech = SpeechBridge(a11y, engine=speech_engine)
    install_french_plurals(app)  # before LanguageBridge's English translator, which must win
    lang = LanguageBridge()
    lang.setLanguage(language)
    branding = BrandingBridge(settings.branding, lang)  # [branding]: the service's name and logo
    idle = IdleMonitor(timeout_s=a11y.settings.idle_timeout_s, clock=clock)
    tap_guard = TapGuard(delay_ms=a11y.settings.tap_guard_ms, clock=clock, pixel_pitch_mm=pitch)
    journal = JournalBridge(Path(data_dir))
    usage = UsageCounter(journal, a11y, lang, idle, default_language=language)
    search = SearchModel(catalogue, journal=journal)
    notice = NoticeBridge(
        catalogue,
        a11y,
        journal=journal,
        branding=branding,
        stops=lambda: upcoming_communes(Path(data_dir), date.today()),
    )
    idle.resetRequested.connect(search.reset)
    idle.resetRequested.connect(notice.reset)
    # Schedule and agenda: read from catalogue.db when a screen opens (reload() after a sync).
    passages = PassagesModel(Path(data_dir), language=lang.language)
    ateliers = AteliersModel(Path(data_dir), language=lang.language)
    idle.resetRequested.connect(passages.clearFilter)
    idle.resetRequested.connect(ateliers.clearFilter)
    lang.languageChanged.connect(lambda: passages.set_language(lang.language))
    lang.languageChanged.connect(lambda: ateliers.set_language(lang.language))

    def follow_settings() -> None:
        idle.setTimeoutS(a11y.settings.idle_timeout_s)
        tap_guard.setDelayMs(a11y.settings.tap_guard_ms)

    def reset_session() -> None:
        speech.reset()
        a11y.resetToDefaults()
        lang.setLanguage(language)

    # The mediator mode: its own 2-minute exit, and it closes with the visitor idle reset.
    # `now` (tests, screenshots): a callable giving the local time the mediator screens use.
    mediator = MediatorBridge(Path(data_dir), clock=clock, now=now)
    idle.activity.connect(mediator.touch)
    idle.resetRequested.connect(mediator.lockOnIdle)
    stats = StatsModel(mediator)  # read through the mediator's gate, cleared when it locks
    session_form = SessionForm(mediator)  # the same gate; writes through it, cleared when it locks
    sessions = SessionsModel(mediator, form=session_form)
    visitor_records = VisitorRecordsModel(mediator)  # the same gate; names shown to the mediator only
    # Sticks from /proc/self/mounts and /sys/class/block (tests set exporter.mounts_file etc.).
    exporter = ExportBridge(mediator, bus_code=settings.bus_code)  # [bus] code in file names
    # The sync agent: started by run() (start_sync); tests start it with their own sync_options
    # (loopback only).  Not started, it still shows the status from the bus's files.
    sync = SyncBridge(
        Path(data_dir),
        start=start_sync,
        language=lang,
        service_options={"settings": settings, **(sync_options or {})},
    )

    def reload_after_sync() -> None:
        passages.reload()
        ateliers.reload()
        mediator.reload_lists()
        if search.property("searched"):
            search.refresh()

    sync.contentChanged.connect(reload_after_sync)

    a11y.settingsChanged.connect(follow_settings)
    idle.announcement.connect(speech.say)
    idle.activity.connect(speech.interrupt)
    idle.resetRequested.connect(reset_session)
    # Filters installed last run first: the idle monitor sees even the taps the guard drops.
    app.installEventFilter(tap_guard)
    app.installEventFilter(idle)

    engine = QQmlApplicationEngine()
    lang.set_engine(engine)
    engine.addImportPath(str(QML_IMPORT_PATH))
    engine.setInitialProperties(
        {
            "a11y": a11y,
            "speech": speech,
            "branding": branding,
            "idle": idle,
            "language": lang,
            "journal": journal,
            "search": search,
            "notice": notice,
            "passages": passages,
            "ateliers": ateliers,
            "mediator": mediator,
            "stats": stats,
            "sessionForm": session_form,
            "sessions": sessions,
            "visitorRecords": visitor_records,
            "exporter": exporter,
            "sync": sync,
            "offerPinSetup": offer_pin_setup and not mediator.pinSet,
            "kiosk": not windowed,
            "keyboardLayoutPath": keyboard_layout_path(),
        }
    )
    engine.loadFromModule("Numeribus", "Main")
    roots = engine.rootObjects()
    window = roots[0] if roots else None
    kiosk = Kiosk(engine, window, a11y, speech, lang, idle, tap_guard, catalogue, journal, search=search, notice=notice)
    kiosk.usage = usage
    kiosk.passages, kiosk.ateliers = passages, ateliers
    kiosk.mediator = mediator
    kiosk.stats = stats
    kiosk.session_form, kiosk.sessions = session_form, sessions
    kiosk.visitor_records, kiosk.exporter = visitor_records, exporter
    kiosk.sync = sync
    kiosk.branding = branding
    if window is None:
        kiosk.close()
        raise RuntimeError("Main.qml could not be loaded (see the QML errors above)")
    return kiosk


def run(
    data_dir: Path | str | None = None,
    windowed: bool = False,
    language: str = "fr",
    *,
    speech_engine: str = "speechd",
    argv: list[str] | None = None,
) -> int:
    """Start the kiosk and return its exit code (see the module docstring for the order)."""
    from PySide6.QtGui import QGuiApplication

    from .store import resolve_data_dir

    configure_environment()
    app = QGuiApplication.instance() or QGuiApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("numeribus-kiosk")
    app.setOrganizationName("Médiathèque départementale de la Loire")
    data_dir = resolve_data_dir(data_dir)
    kiosk = build_kiosk(
        app,
        data_dir,
        windowed=windowed,
        language=language,
        speech_engine=speech_engine,
        offer_pin_setup=True,
        start_sync=True,
    )
    _log_errors_and_go_home(data_dir, kiosk)
    _stop_on_signals(app)
    log.info("kiosk ready (%s, %s)", "windowed" if windowed else "fullscreen", language)
    try:
        return app.exec()
    finally:
        kiosk.close()


def _log_errors_and_go_home(data_dir: Path, kiosk: Kiosk) -> None:
    """An unexpected error (a bug) in a slot or a binding: its traceback goes to
    ``DATA_DIR/logs/kiosk.log`` and the visitor is taken back to the home screen, never
    left on a half-broken screen.  A crash of the process itself is restarted by the
    kiosk session (systemd, packaging/), which starts again on the home screen."""
    from logging.handlers import RotatingFileHandler

    from PySide6.QtCore import QMetaObject, Qt

    log_dir = Path(data_dir) / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(log_dir / "kiosk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:
        log.warning("no log file in %s: %s", log_dir, exc)
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger("numeribus_kiosk").addHandler(handler)
        logging.getLogger("sync").addHandler(handler)  # the sync agent (sync.agent.*)

    def hook(exc_type, exc, tb) -> None:
        log.critical("unexpected error; back to the home screen", exc_info=(exc_type, exc, tb))
        if kiosk.window is not None:
            QMetaObject.invokeMethod(kiosk.window, "goHome", Qt.ConnectionType.QueuedConnection)

    sys.excepthook = hook


def _stop_on_signals(app) -> None:
    """SIGTERM (systemd stopping the kiosk) and SIGINT (Ctrl+C on a developer's terminal)
    end the event loop.  ``exit`` rather than ``quit``: the kiosk window refuses to close."""
    import signal

    from PySide6.QtCore import QTimer

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.exit(0))
    # Python runs signal handlers only when it gets control back from Qt's event loop.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
