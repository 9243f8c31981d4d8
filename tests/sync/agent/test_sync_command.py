"""`numeribus-kiosk [--data-dir D] sync --once [--hq URL] [--json]`, the real command in a
subprocess, against the real headquarters served on 127.0.0.1."""

from __future__ import annotations

import json

from numeribus_kiosk.journal import outbox
from sync.server import devices
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.agent.round_helpers import (
    assert_same_catalogue,
    hq_events,
)
from tests.sync.live import free_loopback_port, serve_in_thread


def one_sentence(result) -> str:
    """The failure's stderr: one line, the program's name, no traceback."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("numeribus-kiosk: "), result.stderr
    return lines[0]


def test_a_round_from_the_command_line(kiosk, bus, bus_dir, identity, hq, library):
    bus.add_session()
    bus.add_request()
    result = kiosk("sync", "--once", data_dir=bus_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"Headquarters: {identity.hq_url} (this bus: Bus Forez)."
    assert "Up: 2 events sent; headquarters holds this bus's events up to number 2." in lines
    assert "  visitors' personal data deleted from the bus for 1 record." in lines
    assert any(line.startswith("Down: snapshot ") and "applied (" in line for line in lines)
    assert_same_catalogue(bus_dir, hq)

    again = kiosk("sync", "--once", "--json", data_dir=bus_dir)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["ok"] is True and report["error"] is None
    assert report["upload"]["sent"] == 0 and report["upload"]["complete"] is True
    assert report["download"]["snapshot"] is None and report["download"]["complete"] is True
    assert report["device_id"] == identity.device_id
    assert sorted(hq_events(hq, identity.device_id)) == [1, 2]
    assert outbox.pending(bus.db) == []


def test_up_to_date(kiosk, bus_dir, identity, library):
    assert kiosk("sync", "--once", data_dir=bus_dir).returncode == 0
    result = kiosk("sync", "--once", data_dir=bus_dir)
    assert result.returncode == 0, result.stderr
    assert "Up: nothing to send." in result.stdout
    assert "Down: the catalogue is up to date (version " in result.stdout


def test_once_is_required(kiosk, bus_dir):
    result = kiosk("sync", data_dir=bus_dir)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: numeribus-kiosk sync")
    assert "sync needs --once" in result.stderr


def test_not_enrolled(kiosk, bus_dir):
    line = one_sentence(kiosk("sync", "--once", data_dir=bus_dir))
    assert "This bus is not enrolled at headquarters: enrol it first" in line


def test_headquarters_unreachable(kiosk, bus, bus_dir, identity):
    bus.add_session()
    url = f"http://127.0.0.1:{free_loopback_port()}"
    result = kiosk("sync", "--once", "--hq", url, "--json", data_dir=bus_dir)
    line = one_sentence(result)
    assert f"Headquarters at {url} cannot be reached (connection refused)" in line
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["hq_url"] == url and "cannot be reached" in report["error"]
    assert [e.seq for e in outbox.pending(bus.db)] == [1]


def test_another_headquarters_is_refused(kiosk, bus, bus_dir, identity, tmp_path):
    other = HQ(tmp_path / "other-hq")
    try:
        with serve_in_thread(create_app(other)) as url:
            bus.add_session()
            line = one_sentence(kiosk("sync", "--once", "--hq", url, data_dir=bus_dir))
    finally:
        other.close()
    assert "not signed by the pinned headquarters key" in line
    assert [e.seq for e in outbox.pending(bus.db)] == [1]


def test_refused_by_headquarters(kiosk, bus, bus_dir, identity, hq, library):
    devices.revoke(hq.db(), identity.name, hq.now())
    line = one_sentence(kiosk("sync", "--once", data_dir=bus_dir))
    assert "This bus was revoked at headquarters" in line


def test_a_catalogue_refused(kiosk, bus_dir, identity):
    line = one_sentence(kiosk("sync", "--once", data_dir=bus_dir))
    assert "The catalogue refused what headquarters sent" in line and "no catalogue record" in line


def test_a_bad_address(kiosk, bus_dir, identity):
    line = one_sentence(kiosk("sync", "--once", "--hq", "ftp://nowhere", data_dir=bus_dir))
    assert "is not a headquarters address" in line
