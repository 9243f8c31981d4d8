"""A bug in a slot or binding is logged and the visitor taken back home (app._log_errors_and_go_home)."""

import logging
import sys

from numeribus_kiosk import app as kiosk_app


def test_unexpected_error_is_logged_and_goes_home(ui, ui_data_dir, qtbot):
    window = ui.window
    window.setProperty("quitAllowed", False)
    assert window.property("currentScreen") == "accueil"
    assert ui.window.metaObject().indexOfMethod("navigate(QVariant,QVariant)") >= 0
    from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject

    QMetaObject.invokeMethod(
        window, "navigate", Q_RETURN_ARG("QVariant"), Q_ARG("QVariant", "accessibilite"), Q_ARG("QVariant", {})
    )
    assert window.property("currentScreen") == "accessibilite"
    previous = sys.excepthook
    logger = logging.getLogger("numeribus_kiosk")
    handlers = list(logger.handlers)
    try:
        kiosk_app._log_errors_and_go_home(ui_data_dir, ui)
        try:
            raise RuntimeError("a bug in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: window.property("currentScreen") == "accueil", timeout=5000)
    finally:
        sys.excepthook = previous
        for handler in logger.handlers[len(handlers) :]:
            logger.removeHandler(handler)
            handler.close()
    text = (ui_data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "unexpected error; back to the home screen" in text and "RuntimeError: a bug in a slot" in text
