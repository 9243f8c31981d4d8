"""A guided tour of the kiosk's screens, shared by ``screenshots`` and ``a11y-audit``.

The tour builds the real kiosk (:func:`numeribus_kiosk.app.build_kiosk`) offscreen, with the
"mock" speech engine and a fake clock, and brings it into each *state* a visitor can see
(a screen as it opens, the search with the keyboard open, a results list, a notice, the
request form, the idle warning...) under each *variant* (a colour theme, a one-tap profile,
200 % text, English).

It never writes into the visitor journal of the data directory it is given: the catalogue
(loaded with the demo data first when it is empty, as the kiosk does) is copied into a
temporary directory and the kiosk runs there.

Order of use (the platform must be chosen before the QGuiApplication exists)::

    prepare_platform(size, pitch)
    with Tour(data_dir, size=size, pixel_pitch_mm=pitch) as tour:
        for state in tour.states:
            if tour.enter(state, VARIANTS["standard"]):
                image = tour.grab()
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .clock import ManualClock

DEFAULT_SIZE = (1920, 1080)
DEFAULT_PIXEL_PITCH_MM = 0.248
# A search that finds many documents with summaries in the demo catalogue.
DEMO_QUERY = "histoire"
# The mediator PIN of the tour's throw-away journal (which also gets example sessions).
TOUR_PIN = "2468"


SETTLE_FRAMES = 50  # at most this many frames drawn waiting for the scene to stop moving (about 1 s)


class TourError(Exception):
    """The tour cannot run (no usable catalogue, Main.qml does not load...)."""


# ---------------------------------------------------------------- variants


@dataclass(frozen=True)
class Variant:
    """How the accessibility settings and language are set before entering a state."""

    name: str  # file-name suffix: "standard", "contraste", "malvoyant", "texte200", "en"...
    theme: str = "standard"
    profile: str = ""
    text200: bool = False
    language: str = "fr"


THEME_VARIANTS = ("standard", "contraste", "sombre", "creme")
PROFILE_VARIANTS = ("malvoyant", "dys", "senior")
VARIANTS: dict[str, Variant] = {
    **{name: Variant(name, theme=name) for name in THEME_VARIANTS},
    **{name: Variant(name, profile=name) for name in PROFILE_VARIANTS},
    "texte200": Variant("texte200", text200=True),
    "en": Variant("en", language="en"),
}
ALL_LOOKS = (*THEME_VARIANTS, *PROFILE_VARIANTS, "texte200")


# ---------------------------------------------------------------- states


@dataclass(frozen=True)
class State:
    """Something a visitor can see: a screen (navigation name) and what was done on it."""

    screen: str  # navigation name of the screen it needs ("recherche"...)
    state: str = ""  # "" for the screen as it opens, else "clavier", "resultats"...
    label: str = ""  # the name used in file names when it is not screen-state ("demande", "veille")
    enter: Callable[[Tour], None] | None = None
    mediator: bool = False  # a mediator screen: the mode is unlocked (with `TOUR_PIN`) first

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return f"{self.screen}-{self.state}" if self.state else self.screen


def _enter_search_keyboard(tour: Tour) -> None:
    field_item = tour.find("searchField")
    tour.tap(field_item)
    tour.wait_until(lambda: bool(tour.find("inputPanel").property("active")), "the on-screen keyboard to open")


def _enter_search_results(tour: Tour) -> None:
    tour.kiosk.search.setProperty("query", DEMO_QUERY)
    tour.wait_until(
        lambda: (
            not tour.kiosk.search.property("busy")
            and tour.kiosk.search.property("searched")
            and tour.kiosk.search.property("hasResults")
        ),
        f"results for {DEMO_QUERY!r}",
        timeout_s=10,
    )


def _enter_request_form(tour: Tour) -> None:
    tour.tap(tour.find("requestButton"))
    tour.wait_until(lambda: bool(tour.find("demandeForm").property("visible")), "the request form")


def _enter_idle_warning(tour: Tour) -> None:
    idle = tour.kiosk.idle
    tour.clock.advance(float(idle.property("timeoutS")) + 1.0)
    idle.tick()
    tour.wait_until(lambda: bool(idle.property("warning")), "the idle warning")


STATES: tuple[State, ...] = (
    State("accueil"),
    State("recherche"),
    State("recherche", "clavier", enter=_enter_search_keyboard),
    State("recherche", "resultats", enter=_enter_search_results),
    State("notice"),
    State("notice", "demande", label="demande", enter=_enter_request_form),
    State("passages"),
    State("ateliers"),
    State("avis"),
    State("savoirs"),
    State("accessibilite"),
    State("recherche", "veille", label="veille", enter=_enter_idle_warning),
    # The mediator mode (the tour's journal has a PIN and a month of example sessions).
    State("mediateur-code"),
    State("mediateur", mediator=True),
    State("mediateur-seance", mediator=True),
    State("mediateur-seances", mediator=True),
    State("mediateur-stats", mediator=True),
    State("mediateur-visiteurs", mediator=True),
    State("mediateur-export", mediator=True),
    State("mediateur-synchro", mediator=True),
)


# ---------------------------------------------------------------- platform


def prepare_platform(size: tuple[int, int] = DEFAULT_SIZE, pixel_pitch_mm: float = DEFAULT_PIXEL_PITCH_MM) -> None:
    """Choose the Qt platform before the QGuiApplication exists.

    No platform chosen (``QT_QPA_PLATFORM`` unset or empty): the offscreen one.  The plain
    offscreen platform gets a screen of ``size`` pixels whose physical size matches
    ``pixel_pitch_mm`` (a configuration file, like tests/ui/offscreen-screen.json), so that
    the kiosk's fullscreen window and its millimetre sizes are those of the bus's screen.
    Also sets the kiosk's own variables (virtual keyboard, Basic style)."""
    from ..app import configure_environment

    configure_environment()
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("", "offscreen"):
        width, height = size
        config = {
            "screens": [
                {
                    "name": "numeribus",
                    "x": 0,
                    "y": 0,
                    "width": width,
                    "height": height,
                    "physicalWidth": round(width * pixel_pitch_mm),
                    "physicalHeight": round(height * pixel_pitch_mm),
                    "logicalDpi": 96,
                    "logicalBaseDpi": 96,
                    "dpr": 1,
                }
            ]
        }
        handle, path = tempfile.mkstemp(prefix="numeribus-screen-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(config, out)
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"
        _platform_files.append(path)


_platform_files: list[str] = []


def _forget_platform_files() -> None:
    """The screen configuration is read when the application starts; then it can go."""
    while _platform_files:
        with contextlib.suppress(OSError):
            os.unlink(_platform_files.pop())


def parse_size(text: str) -> tuple[int, int]:
    """'1280x800' -> (1280, 800); ValueError otherwise."""
    width, sep, height = text.lower().partition("x")
    if not sep:
        raise ValueError(f"not a size WIDTHxHEIGHT: {text!r}")
    w, h = int(width), int(height)
    if not (320 <= w <= 8192 and 240 <= h <= 8192):
        raise ValueError(f"size out of range (320x240 to 8192x8192): {text!r}")
    return w, h


# ---------------------------------------------------------------- the tour


def _copy_catalogue(data_dir: Path, work_dir: Path) -> None:
    """The data directory's catalogue (demo data loaded into an empty one) copied for the tour."""
    from ..app import open_kiosk_catalogue

    open_kiosk_catalogue(data_dir).close()
    source = data_dir / "catalogue.db"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(work_dir / "catalogue.db")
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_settings(data_dir: Path, work_dir: Path) -> None:
    """The data directory's config.toml (its [branding], [lists]...), its survey-mapping.toml and
    its logo, copied for the tour: the screens are shot and audited as this bus shows them."""
    from ..settings import CONFIG_FILE, load_settings

    for name in (CONFIG_FILE, "survey-mapping.toml"):
        if (data_dir / name).is_file():
            shutil.copy2(data_dir / name, work_dir / name)
    logo = load_settings(data_dir).branding.logo
    if logo is not None and logo.is_relative_to(data_dir):  # an absolute path elsewhere is read where it is
        target = work_dir / logo.relative_to(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(logo, target)


def _seed_journal(work_dir: Path) -> None:
    """The tour's journal: the mediator PIN `TOUR_PIN`, a month of example sessions, and
    example visitors' requests, opinions and offers (invented people)."""
    from datetime import datetime

    from ..mediator import pin
    from ..mediator.demo import load_demo_sessions, load_demo_visitor_records
    from ..store import open_journal_db

    db = open_journal_db(work_dir)
    try:
        pin.set_pin(db, TOUR_PIN)
        load_demo_sessions(db, datetime.now().astimezone())
        load_demo_visitor_records(db)
    finally:
        db.close()


@dataclass
class Tour:
    """The kiosk built offscreen, able to enter every state under every variant."""

    data_dir: Path
    size: tuple[int, int] = DEFAULT_SIZE
    pixel_pitch_mm: float = DEFAULT_PIXEL_PITCH_MM
    clock: ManualClock = field(default_factory=ManualClock)
    states: tuple[State, ...] = STATES

    def __post_init__(self) -> None:
        self.kiosk = None
        self._work_dir: str | None = None
        self.missing: list[str] = []  # screens whose QML file is absent
        self.quick_window = None
        # Fullscreen kiosk window when the screen is ours (offscreen, sized by prepare_platform),
        # else an ordinary window of `size` on the desktop's screen.
        self.kiosk_mode = os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen:configfile=")

    # ------------------------------------------------------------ set-up
    def __enter__(self) -> Tour:
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtQuick import QQuickWindow  # imported first: the window is then wrapped as one

        from ..app import build_kiosk
        from ..store import ensure_data_dir

        app = QGuiApplication.instance() or QGuiApplication(["numeribus-kiosk"])
        _forget_platform_files()
        data_dir = ensure_data_dir(Path(self.data_dir))
        self._work_dir = tempfile.mkdtemp(prefix="numeribus-tour-")
        try:
            _copy_catalogue(data_dir, Path(self._work_dir))
            _copy_settings(data_dir, Path(self._work_dir))
            _seed_journal(Path(self._work_dir))
            self.kiosk = build_kiosk(
                app,
                Path(self._work_dir),
                windowed=not self.kiosk_mode,
                language="fr",
                speech_engine="mock",
                clock=self.clock,
                pixel_pitch_mm=self.pixel_pitch_mm,
            )
        except Exception:
            self.__exit__(None, None, None)
            raise
        window = self.kiosk.window
        self.quick_window = window
        if not isinstance(window, QQuickWindow):
            self.__exit__(None, None, None)
            raise TourError("the kiosk window is not a Qt Quick window")
        if not self.kiosk_mode:  # (fullscreen already in kiosk mode: show() would undo it)
            window.setGeometry(0, 0, *self.size)
        self.process(0.05)
        return self

    def __exit__(self, *exc) -> None:
        if self.kiosk is not None:
            self.kiosk.close()
            self.kiosk = None
        if self._work_dir is not None:
            shutil.rmtree(self._work_dir, ignore_errors=True)
            self._work_dir = None

    @property
    def window(self):
        return self.kiosk.window

    # ------------------------------------------------------------ helpers
    def process(self, seconds: float = 0.0) -> None:
        """Run the event loop for ``seconds`` (at least one pass)."""
        from PySide6.QtCore import QCoreApplication

        end = time.monotonic() + seconds
        while True:
            QCoreApplication.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.005)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout_s: float = 5.0) -> None:
        end = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > end:
                raise TourError(f"timed out waiting for {what}")
            self.process(0.01)

    def find(self, name: str):
        """The QML object called ``name``, the current screen's first (popped ones may linger)."""
        import gc

        import shiboken6

        found = self._find(name)
        if found is not None and not shiboken6.isValid(found):
            # A wrapper left from a deleted object at the same address: drop it, look again.
            del found
            gc.collect()
            found = self._find(name)
        if found is None or not shiboken6.isValid(found):
            raise TourError(f"no QML object named {name!r}")
        return found

    def _find(self, name: str):
        import shiboken6
        from PySide6.QtCore import QObject
        from PySide6.QtQuick import QQuickItem

        candidates = [c for c in self.window.findChildren(QQuickItem, name) if shiboken6.isValid(c)]
        visible = [c for c in candidates if c.isVisible()]
        if visible or candidates:
            return (visible or candidates)[-1]  # the newest screen's, when an old one lingers
        return self.window.findChild(QObject, name)

    def current_screen(self):
        return self.find("stack").property("currentItem")

    def tap(self, item) -> None:
        """A real touch-like click in the middle of ``item`` (scrolled into view first)."""
        from PySide6.QtCore import Q_ARG, QMetaObject, Qt
        from PySide6.QtTest import QTest

        page = item.parentItem()
        while page is not None and page.objectName() != "scrollPage":
            page = page.parentItem()
        if page is not None:
            QMetaObject.invokeMethod(page, "ensureVisible", Q_ARG("QVariant", item))
            self.settle()
        self.clock.advance(2.0)  # past the tap guard's delay
        point = item.mapToScene(item.boundingRect().center()).toPoint()
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        self.settle()

    def settle(self) -> None:
        """Wait for transitions and searches to end and for the scene to be laid out and drawn."""
        stack = self.find("stack")
        search = self.kiosk.search
        self.wait_until(
            lambda: not stack.property("busy") and not (search is not None and search.property("busy")),
            "the screen to settle",
        )
        # Layouts are polished when the scene is synchronised for drawing: draw it, let bindings
        # run, and again until no item moves any more (implicit sizes change once text is laid
        # out, and an animation -- a page scrolled back after the text grew -- runs on the
        # clock: on a loaded machine it may still run after two frames).
        previous = None
        for _ in range(SETTLE_FRAMES):
            self.quick_window.grabWindow()
            self.process(0.02)
            now = self._geometry()
            if now == previous:
                return
            previous = now

    def _geometry(self) -> tuple:
        """Where every visible item of the window is, in scene coordinates."""
        found = []

        def walk(item) -> None:
            if not item.isVisible():
                return
            rect = item.mapRectToScene(item.boundingRect())
            found.append((round(rect.x(), 1), round(rect.y(), 1), round(rect.width(), 1), round(rect.height(), 1)))
            for child in item.childItems():
                walk(child)

        walk(self.quick_window.contentItem())
        return tuple(found)

    def grab(self):
        """The window as drawn now (a QImage), after the scene has been rendered."""
        self.settle()
        return self.quick_window.grabWindow()

    # ------------------------------------------------------------ states
    def reset(self) -> None:
        """Back to an untouched kiosk: what the idle reset does, plus keyboard hidden."""
        import gc

        from PySide6.QtCore import QCoreApplication, QEvent
        from PySide6.QtGui import QGuiApplication

        kiosk = self.kiosk
        QGuiApplication.inputMethod().hide()
        kiosk.idle.touch()
        kiosk.idle.resetRequested.emit()
        self.quick_window.contentItem().forceActiveFocus()
        self.clock.advance(2.0)
        kiosk.idle.touch()
        self.settle()
        # Popped screens are deleted now, and their Python wrappers forgotten.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    def apply(self, variant: Variant) -> None:
        a11y = self.kiosk.a11y
        a11y.resetToDefaults()
        if variant.profile:
            a11y.applyProfile(variant.profile)
        else:
            a11y.setTheme(variant.theme)
        if variant.text200:
            a11y.stepTextScale(8)  # clamped at 200 %
        self.kiosk.language.setLanguage(variant.language)

    def notice_record_id(self) -> str:
        """A record of the catalogue with a summary (for the notice screens)."""
        catalogue = self.kiosk.catalogue
        result = catalogue.search(DEMO_QUERY, limit=50)
        first = ""
        for hit in result.to_dict()["results"]:
            first = first or hit["id"]
            record = catalogue.get(hit["id"])
            if record is not None and getattr(record, "summary", "") and 200 <= len(record.summary) <= 900:
                return hit["id"]
        if not first:
            raise TourError(f"the catalogue has no record for {DEMO_QUERY!r}")
        return first

    def unlock(self) -> None:
        """Open the mediator mode with the tour's PIN."""
        mediator = self.kiosk.mediator
        if not mediator.property("unlocked"):
            mediator.enter(TOUR_PIN)
            self.wait_until(lambda: bool(mediator.property("unlocked")), "the mediator mode to open", timeout_s=10)

    def enter(self, state: State, variant: Variant) -> bool:
        """Bring the kiosk into ``state`` under ``variant``; False when its screen is not written."""
        self.reset()
        self.apply(variant)
        self.settle()
        properties = {"recordId": self.notice_record_id()} if state.screen == "notice" else {}
        if state.mediator:
            self.unlock()
        if not self.window.navigate(state.screen, properties):
            if state.screen not in self.missing:
                self.missing.append(state.screen)
            return False
        self.wait_until(lambda: self.window.property("currentScreen") == state.screen, f"screen {state.screen}")
        self.settle()
        if state.enter is not None:
            state.enter(self)
        self.settle()
        return True
