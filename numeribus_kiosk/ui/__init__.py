"""The kiosk's Qt Quick user interface.

- ``ui/*.py``: small Python bridges, one per module, registered as QML types of
  the module ``Numeribus.Backend`` (version 1) with ``@QmlElement``.  They hold
  the state and the logic; QML only lays out and draws.
- ``ui/qml/Numeribus/``: the QML module ``Numeribus`` (``Main.qml``, screens and
  reusable components, listed in its ``qmldir``).

The bridges are created by :mod:`numeribus_kiosk.app` and handed to the root
``Main.qml`` with ``QQmlApplicationEngine.setInitialProperties`` (no context
properties); ``Main.qml`` passes them down to screens explicitly.

Importing this package imports no Qt; call :func:`register_types` (done by
``app.py``) before loading QML so that ``import Numeribus.Backend`` resolves.
"""

from __future__ import annotations

from pathlib import Path

QML_IMPORT_PATH = Path(__file__).resolve().parent / "qml"
"""Directory to pass to ``QQmlEngine.addImportPath``; it holds the ``Numeribus`` module."""

QML_MODULE_DIR = QML_IMPORT_PATH / "Numeribus"


# Modules whose QObject classes are QML types of Numeribus.Backend (@QmlElement).
BRIDGE_MODULES = (
    "accessibility_bridge",
    "branding_bridge",
    "export_bridge",
    "idle_monitor",
    "journal_bridge",
    "language_bridge",
    "mediator_bridge",
    "notice_bridge",
    "schedule_models",
    "search_model",
    "session_form",
    "sessions_model",
    "speech_bridge",
    "stats_model",
    "sync_bridge",
    "tap_guard",
    "visitor_records",
)


def bridge_modules() -> list:
    """Import every bridge module (which runs its ``@QmlElement`` registrations)."""
    import importlib

    return [importlib.import_module(f"{__name__}.{name}") for name in BRIDGE_MODULES]


def register_types() -> None:
    """Register the bridge types so that ``import Numeribus.Backend`` resolves."""
    bridge_modules()
