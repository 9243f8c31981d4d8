"""Issue 6's "done when", with the real programs: the running kiosk (`numeribus-kiosk`, offscreen)
of an enrolled bus syncs by itself when headquarters (`numeribus-sync serve`) appears on the
network.  mDNS on 127.0.0.1 only: headquarters announces on the address it listens on, and the
bus's config.toml limits its browsing to 127.0.0.1 (``[sync] discovery_interfaces``).

Headquarters comes back on ANOTHER port than the one the bus was enrolled with: only its mDNS
announcement can tell the bus where it is, and nothing else triggers a round (no ``hq_url``, no
"Synchroniser maintenant", no device watching).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes
from numeribus_kiosk.journal import outbox
from tests.sync.commands.test_serve_command import start_serve, wait_for_health
from tests.sync.live import free_loopback_port
from tests.sync.test_end_to_end import SESSION, catalogue_rows, ok, sync_cli

ROOT = Path(__file__).resolve().parents[2]
BOUND = 180  # seconds: a bound for a loaded CI machine, never reached when all is well


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err or ""


def wait(condition, what: str, *logs: Path) -> None:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail(f"{what} did not happen\n" + "\n".join(log.read_text() for log in logs))


def pending_events(bus_dir: Path) -> int:
    db = store.open_journal_db(bus_dir)
    try:
        return outbox.pending_count(db)
    finally:
        db.close()


def catalogue_version(bus_dir: Path) -> int:
    db = store.open_catalogue_db(bus_dir)
    try:
        return changes.sync_version(db)
    finally:
        db.close()


def test_the_running_kiosk_syncs_when_headquarters_appears(tmp_path, kiosk):
    hq_dir, bus_dir = tmp_path / "hq", tmp_path / "bus"
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(catalogue_rows(), encoding="utf-8")
    ok(sync_cli(hq_dir, "catalogue", "import", str(catalogue), "--json"))

    # Enrolled at the depot, against headquarters on one port; then headquarters goes away.
    first_port = free_loopback_port()
    serve = start_serve(tmp_path, first_port, "--no-announce")
    try:
        wait_for_health(f"http://127.0.0.1:{first_port}", serve)
        added = json.loads(ok(sync_cli(hq_dir, "device", "add", "Bus Forez", "--json")).stdout)
        ok(kiosk("enrol", "--hq", f"http://127.0.0.1:{first_port}", "--code", added["code"], data_dir=bus_dir))
    finally:
        stop(serve)
    for participants in (9, 4):
        session = dict(SESSION, participants=participants)
        ok(kiosk("journal", "add", "--json", "-", input=json.dumps(session), data_dir=bus_dir))
    (bus_dir / "config.toml").write_text(
        '[sync]\ndiscovery_interfaces = ["127.0.0.1"]\nwatch_devices = false\n', encoding="utf-8"
    )

    # The kiosk runs, headquarters nowhere: nothing happens.
    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    kiosk_log = tmp_path / "kiosk.txt"
    with open(kiosk_log, "w") as stderr:  # a file, not a pipe: a full pipe would block the kiosk
        running = subprocess.Popen(
            [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(bus_dir), "-v", "--speech-engine", "mock"],
            stderr=stderr,
            env=env,
            cwd=ROOT,
        )
    try:
        wait(lambda: "sync agent started" in kiosk_log.read_text(), "the kiosk's start", kiosk_log)
        assert pending_events(bus_dir) == 2 and catalogue_version(bus_dir) == 0

        # Headquarters appears on the network, on another port, and announces itself.
        second_port = free_loopback_port()
        serve = start_serve(tmp_path, second_port)
        try:
            wait_for_health(f"http://127.0.0.1:{second_port}", serve)
            wait(lambda: pending_events(bus_dir) == 0 and catalogue_version(bus_dir) > 0, "a round", kiosk_log)
            exported = json.loads(ok(sync_cli(hq_dir, "export", "sessions", "--json")).stdout)
        finally:
            serve_log = stop(serve)
    finally:
        running.send_signal(signal.SIGTERM)
        code = running.wait(timeout=120)
    log = kiosk_log.read_text()
    assert code == 0, log
    assert "Traceback" not in log and "Traceback" not in serve_log
    assert sorted(s["participants"] for s in exported) == [4, 9]
    assert f"headquarters at http://127.0.0.1:{second_port} proved it holds the pinned key" in log
    status = json.loads((bus_dir / "sync-status.json").read_text(encoding="utf-8"))
    assert status["last_success_via"] == "network"
