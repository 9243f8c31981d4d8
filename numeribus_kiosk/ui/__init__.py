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


def register_types() -> None:
    """Import every bridge module so that its ``@QmlElement`` registration runs."""
    from . import (  # noqa: F401
        accessibility_bridge,
        idle_monitor,
        language_bridge,
        speech_bridge,
        tap_guard,
    )
