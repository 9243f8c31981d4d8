"""A crash of the kiosk process restarts it on its home screen, logged (numeribus_kiosk.supervisor)."""

import os
import re
import signal
import subprocess
import sys
import time

from numeribus_kiosk.supervisor import describe_exit


def _wait_for(log, pattern, count, process, deadline_s=120):
    deadline = time.monotonic() + deadline_s  # a bound for a loaded CI machine, not a performance check
    while time.monotonic() < deadline and process.poll() is None:
        found = re.findall(pattern, log.read_text())
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{pattern!r} seen fewer than {count} times:\n{log.read_text()}")


def test_a_crashed_kiosk_is_restarted_and_logged(data_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(data_dir), "-v", "--speech-engine", "mock"],
            stderr=stderr,
            env=env,
        )
        try:
            _wait_for(log, r"kiosk ready \(fullscreen, fr\)", 1, supervisor)
            [first] = _wait_for(log, r"kiosk process (\d+) started", 1, supervisor)
            os.kill(int(first), signal.SIGSEGV)  # what a crash in Qt looks like
            _wait_for(log, r"kiosk ready \(fullscreen, fr\)", 2, supervisor)
            pids = _wait_for(log, r"kiosk process (\d+) started", 2, supervisor)
            assert pids[1] != first
            supervisor.send_signal(signal.SIGTERM)
            assert supervisor.wait(timeout=120) == 0, log.read_text()
        finally:
            if supervisor.poll() is None:
                supervisor.kill()
                supervisor.wait()
    kiosk_log = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert f"kiosk process {first} stopped unexpectedly (killed by SIGSEGV)" in kiosk_log
    assert "restarting the kiosk on its home screen" in kiosk_log


def test_exit_descriptions():
    assert describe_exit(-11) == "killed by SIGSEGV"
    assert describe_exit(3) == "exit code 3"
