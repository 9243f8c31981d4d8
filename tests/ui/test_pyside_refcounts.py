"""PySide6 must not drop references to True/None when signals are emitted.

PySide6 6.12.0 did: every emission of a signal connected to a Python callable
released one reference to True, and after a few thousand touches the kiosk died
with "Fatal Python error: bool_dealloc".  pyproject.toml keeps PySide6 below
6.12; this test tells whoever lifts that cap whether the new version is safe.
"""

import sys

from PySide6.QtCore import QObject, Signal, Slot


class Emitter(QObject):
    plain = Signal()
    flag = Signal(bool)

    @Slot()
    def touch(self) -> None:
        self.plain.emit()


def test_emitting_signals_keeps_reference_counts(qapp):
    emitter = Emitter()
    received = []
    emitter.plain.connect(lambda: received.append(None))
    emitter.flag.connect(lambda value: received.append(value))
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.touch()
        emitter.flag.emit(True)
    received.clear()
    # 400 emissions: a leak of one reference each would show as -400; a few references
    # held elsewhere meanwhile (the test's own frames) are noise.
    assert abs(sys.getrefcount(True) - true_before) < 20
    assert abs(sys.getrefcount(None) - none_before) < 20
