"""Restart the kiosk after a crash: a visitor never finds a desktop or a dead screen.

In kiosk mode ``numeribus-kiosk`` runs the Qt application in a child process and
watches it.  A child that ends normally (exit code 0, or after the supervisor was
asked to stop) ends the supervisor; a child that crashes (killed by a signal, or
exiting with an error) is logged to ``DATA_DIR/logs/kiosk.log`` and started again
on the home screen.  More than ``MAX_CRASHES`` crashes within ``WINDOW_S`` seconds
means something is broken for good: the supervisor gives up with exit code 1 and the
session manager (systemd, packaging/) takes over.  SIGTERM and SIGINT are passed on
to the child.  No Qt here.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path

log = logging.getLogger(__name__)

MAX_CRASHES = 5
WINDOW_S = 60.0
RESTART_DELAY_S = 1.0


def _file_logger(data_dir: Path) -> logging.Handler | None:
    try:
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(data_dir / "logs" / "kiosk.log", maxBytes=1_000_000, backupCount=3)
    except OSError as exc:
        log.warning("no log file in %s: %s", data_dir / "logs", exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def supervise(child_args: Sequence[str], data_dir: Path) -> int:
    """Run ``python -m numeribus_kiosk CHILD_ARGS`` until it stops normally; restart it after crashes."""
    handler = _file_logger(Path(data_dir))
    if handler is not None:
        log.addHandler(handler)
    stopping = {"signal": None}
    child: subprocess.Popen | None = None

    def forward(signum, _frame) -> None:
        stopping["signal"] = signum
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    crashes: deque[float] = deque()
    try:
        while True:
            child = subprocess.Popen([sys.executable, "-m", "numeribus_kiosk", *child_args])
            log.info("kiosk process %d started", child.pid)
            code = child.wait()
            if stopping["signal"] is not None:
                # Asked to stop, and the child was told too: ending by that signal is normal.
                return 0 if code in (0, -stopping["signal"]) else code
            if code == 0:
                return 0
            now = time.monotonic()
            crashes.append(now)
            while crashes and now - crashes[0] > WINDOW_S:
                crashes.popleft()
            log.error("kiosk process %d stopped unexpectedly (%s)", child.pid, describe_exit(code))
            if len(crashes) > MAX_CRASHES:
                log.critical("%d crashes within %.0f s: giving up", len(crashes), WINDOW_S)
                return 1
            time.sleep(RESTART_DELAY_S)
            if stopping["signal"] is not None:
                return 0
            log.info("restarting the kiosk on its home screen")
    finally:
        for signum, handler_before in previous.items():
            signal.signal(signum, handler_before)
        if handler is not None:
            log.removeHandler(handler)
            handler.close()
