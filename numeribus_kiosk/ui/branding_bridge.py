"""``BrandingBridge``: the service's name and logo for the screens (``[branding]`` of config.toml).

QML writes the name inside its sentences with ``%1``: ``qsTr("Bienvenue dans %1")
.arg(branding.theName)`` gives "Bienvenue dans le numéribus", and "Welcome to the numéribus" once
the language is English (`theName` and `ofName` follow `LanguageBridge`).  The colours are not
here: `numeribus_kiosk.branding.Branding.themes` hands them to `AccessibilityBridge`.

A logo that Qt cannot decode is reported once (logged) and not shown.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Property, QObject, QUrl, Signal
from PySide6.QtGui import QImageReader
from PySide6.QtQml import QmlElement, QmlUncreatable

from numeribus_kiosk.branding import Branding

from .language_bridge import LanguageBridge

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


def readable_logo(branding: Branding) -> str:
    """The logo's file URL when Qt can decode it, else "" (and the reason logged)."""
    if branding.logo is None:
        return ""
    reader = QImageReader(str(branding.logo))
    if not reader.canRead() or reader.size().isEmpty():
        log.warning(
            "config.toml: branding.logo %s: not an image Qt can read (%s); no logo is shown",
            branding.logo,
            reader.errorString(),
        )
        return ""
    return QUrl.fromLocalFile(str(branding.logo)).toString()


@QmlElement
@QmlUncreatable("BrandingBridge is created by the application and passed to Main.qml.")
class BrandingBridge(QObject):
    """The name visitors know the service by, in the current language, and its logo."""

    namesChanged = Signal()

    def __init__(
        self, branding: Branding | None = None, language: LanguageBridge | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._branding = branding if branding is not None else Branding()
        self._language = language
        self._logo = readable_logo(self._branding)
        if language is not None:
            language.languageChanged.connect(self.namesChanged)

    @property
    def branding(self) -> Branding:
        return self._branding

    def _forms(self) -> tuple[str, str]:
        return self._branding.forms(self._language.language if self._language is not None else "fr")

    # "Numéribus": the window's title.
    title = Property(str, lambda self: self._branding.title, constant=True)
    # "le numéribus" / "the numéribus": after "dans", "améliorer"...
    theName = Property(str, lambda self: self._forms()[0], notify=namesChanged)
    # "du numéribus" / "the numéribus": after "passages", "équipe", "à bord"...
    ofName = Property(str, lambda self: self._forms()[1], notify=namesChanged)
    # file URL of the logo, "" when there is none
    logo = Property(str, lambda self: self._logo, constant=True)
