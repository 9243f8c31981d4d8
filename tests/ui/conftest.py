"""Fixtures of the UI tests: offscreen Qt, the kiosk built as app.py builds it, fatal QML warnings.

- The environment (offscreen platform, Basic style, virtual keyboard input method) is set
  at import time, before pytest-qt creates the QApplication.
- ``qt_messages`` (autouse) records every Qt message and fails the test on any warning or
  error that is not known platform noise; pytest-qt's own log capture is switched off for
  these tests (``no_qt_log``) so that only one message handler is installed.
- ``ui`` builds the whole kiosk with :func:`numeribus_kiosk.app.build_kiosk`: "mock" speech
  engine, a fake clock, a fixed pixel pitch, a copy of a demo data directory.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

# A 1920x1080 touchscreen of 476 mm x 268 mm (0.248 mm pixels), like the bus's.
_SCREEN = Path(__file__).resolve().parent / "offscreen-screen.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ["QT_QUICK_CONTROLS_STYLE"] = "Basic"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"

import pytest  # noqa: E402
from PySide6.QtCore import Q_ARG, QMetaObject, QObject, QPoint, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402

from numeribus_kiosk import app as kiosk_app  # noqa: E402
from numeribus_kiosk.ui.clock import ManualClock  # noqa: E402

UI_TESTS = Path(__file__).resolve().parent

# Messages Qt prints for reasons outside the kiosk; anything else is a failure.
HARMLESS = (
    # QtMultimedia (loaded by QtTextToSpeech) probing for PipeWire, absent on test machines.
    "Couldn't load pipewire-0.3 library",
    "Couldn't resolve pipewire-0.3 symbols",
    # Qt Virtual Keyboard's own QML (PopupList in its styles), not our code: Qt 6.12 property
    # cache notice about a member shadowing Flickable.contentWidth.
    "Member contentWidth of the object PopupList_QMLTYPE",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(UI_TESTS):
            item.add_marker(pytest.mark.no_qt_log)


FakeClock = ManualClock


@pytest.fixture(autouse=True)
def qt_messages():
    """Every Qt message of the test; warnings, criticals and fatals fail it."""
    messages: list[tuple[QtMsgType, str]] = []

    def handler(kind, context, text):
        messages.append((kind, text))

    previous = qInstallMessageHandler(handler)
    yield messages
    qInstallMessageHandler(previous)
    bad = [
        text
        for kind, text in messages
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg and not any(h in text for h in HARMLESS)
    ]
    if bad:
        pytest.fail("Qt warnings:\n" + "\n".join(bad), pytrace=False)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """A data directory with the demo catalogue loaded once for the session."""
    path = tmp_path_factory.mktemp("demo-data")
    kiosk_app.open_kiosk_catalogue(path).close()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ui_data_dir(demo_data_dir, tmp_path) -> Path:
    path = tmp_path / "data"
    shutil.copytree(demo_data_dir, path)
    return path


@pytest.fixture
def ui(qapp, qt_messages, ui_data_dir, clock):
    """The kiosk in kiosk mode (fullscreen, Escape disabled), as app.run() builds it."""
    gc.collect()  # (see below) not in the middle of build_kiosk
    kiosk = kiosk_app.build_kiosk(
        qapp, ui_data_dir, windowed=False, speech_engine="mock", clock=clock, pixel_pitch_mm=0.248
    )
    qapp.processEvents()
    yield kiosk
    kiosk.close()
    # The Python wrappers of the deleted bridges go now: a wrapper outliving its QObject keeps
    # a dynamic meta-object whose address Qt may reuse for the next kiosk's bridge, and QML
    # then sees that bridge without its properties (about 1 build in 100 without this).
    gc.collect()


@pytest.fixture
def journal_db(ui_data_dir):
    """journal.db of the kiosk's data directory, opened beside the kiosk (as another program would)."""
    from numeribus_kiosk import store

    db = store.open_journal_db(ui_data_dir)
    yield db
    db.close()


@pytest.fixture
def pin_set(ui_data_dir):
    """The mediator PIN (`mediator_helpers.PIN`) chosen before the kiosk starts: request it before `ui`."""
    from numeribus_kiosk import store
    from numeribus_kiosk.mediator import pin

    from .mediator_helpers import PIN

    db = store.open_journal_db(ui_data_dir)
    try:
        pin.set_pin(db, PIN)
    finally:
        db.close()


def find(kiosk, name: str) -> QObject:
    """The QML object called ``name`` (objectName) in the kiosk window."""
    if kiosk.window.objectName() == name:
        return kiosk.window
    found = kiosk.window.findChild(QQuickItem, name) or kiosk.window.findChild(QObject, name)
    assert found is not None, f"no QML object named {name!r}"
    return found


def scroll_into_view(item) -> None:
    """Scroll the ScrollPage holding ``item`` (if any) so that ``item`` is on screen."""
    parent = item.parentItem()
    while parent is not None and parent.objectName() != "scrollPage":
        parent = parent.parentItem()
    if parent is not None:
        QMetaObject.invokeMethod(parent, "ensureVisible", Q_ARG("QVariant", item))


def centre(item) -> QPoint:
    """``item``'s centre in window coordinates."""
    return item.mapToScene(item.boundingRect().center()).toPoint()
