"""``LanguageBridge``: live switch between French (source language) and English.

The UI strings are written in French (``qsTr`` in QML,
``QCoreApplication.translate`` in Python); English comes from
``numeribus_kiosk/assets/translations/numeribus_en.qm`` (built by ``scripts/build_translations.sh``).
``setLanguage("en")`` installs the translator and calls
``QQmlEngine.retranslate()`` so every binding that uses ``qsTr`` is
re-evaluated at once; ``setLanguage("fr")`` removes it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Property, QCoreApplication, QObject, QTranslator, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable, QQmlEngine

from numeribus_kiosk import ASSETS_DIR

QML_IMPORT_NAME = "Numeribus.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = ASSETS_DIR / "translations"
SOURCE_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")


@QmlElement
@QmlUncreatable("LanguageBridge is created by the application and passed to Main.qml.")
class LanguageBridge(QObject):
    """The current UI language, "fr" or "en"."""

    languageChanged = Signal()

    def __init__(
        self,
        engine: QQmlEngine | None = None,
        *,
        translations_dir: Path = TRANSLATIONS_DIR,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._dir = Path(translations_dir)
        self._language = SOURCE_LANGUAGE
        self._translator: QTranslator | None = None

    def set_engine(self, engine: QQmlEngine) -> None:
        self._engine = engine

    def _get_language(self) -> str:
        return self._language

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language not in LANGUAGES:
            log.warning("unknown language %r; expected one of %s", language, ", ".join(LANGUAGES))
            return
        if language == self._language:
            return
        app = QCoreApplication.instance()
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if language != SOURCE_LANGUAGE:
            translator = QTranslator(self)
            if not translator.load(f"numeribus_{language}", str(self._dir)):
                # A broken installation: stay in French rather than show a half-translated UI.
                log.error("translation numeribus_%s.qm not found in %s", language, self._dir)
                return
            app.installTranslator(translator)
            self._translator = translator
        self._language = language
        if self._engine is not None:
            self._engine.retranslate()
        self.languageChanged.emit()

    language = Property(str, _get_language, setLanguage, notify=languageChanged)
