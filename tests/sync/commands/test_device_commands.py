"""`numeribus-sync device add|list|revoke`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sync import protocol
from sync.server import devices
from sync.server.state import HQ
from tests.sync.commands.cli_runner import run
from tests.sync.signing import Clock, enrol_device


def test_add_prints_a_code_its_expiry_and_the_fingerprint(hq_dir, capsys):
    status, out, _ = run(hq_dir, capsys, "device", "add", "Bus 1")
    assert status == 0
    hq = HQ(hq_dir)
    try:
        assert hq.fingerprint in out
        code = out.split("Pairing code for Bus 1: ")[1].split()[0]
        assert protocol.is_well_formed_pairing_code(code)
        assert "works once" in out
        assert [p.name for p in devices.pending_codes(hq.db(), hq.now())] == ["Bus 1"]
    finally:
        hq.close()


def test_add_json(hq_dir, capsys):
    before = datetime.now().astimezone()
    status, out, _ = run(hq_dir, capsys, "device", "add", "Bus 1", "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"name", "code", "expires_at", "key_fingerprint"}
    assert data["name"] == "Bus 1"
    assert protocol.is_well_formed_pairing_code(data["code"])
    expires = datetime.fromisoformat(data["expires_at"])
    assert timedelta(hours=23) < expires - before <= timedelta(hours=24, minutes=1)
    hq = HQ(hq_dir)
    try:
        assert data["key_fingerprint"] == hq.fingerprint
    finally:
        hq.close()


def test_code_hours_come_from_the_config(hq_dir, capsys):
    hq_dir.mkdir()
    (hq_dir / "config.toml").write_text("[pairing]\ncode_hours = 2\n")
    before = datetime.now().astimezone()
    data = json.loads(run(hq_dir, capsys, "device", "add", "Bus 1", "--json")[1])
    assert datetime.fromisoformat(data["expires_at"]) - before <= timedelta(hours=2, minutes=1)


@pytest.mark.parametrize("name", ["", "x" * 65])
def test_add_refuses_bad_names(hq_dir, capsys, name):
    status, out, err = run(hq_dir, capsys, "device", "add", name)
    assert status == 1
    assert err.startswith("numeribus-sync: A device name")
    assert out == ""


def test_add_an_enrolled_name_says_it_replaces_the_key(hq_dir, capsys):
    code = json.loads(run(hq_dir, capsys, "device", "add", "Bus 1", "--json")[1])["code"]
    _enrol_with(hq_dir, code, "Bus 1")
    status, out, _ = run(hq_dir, capsys, "device", "add", "Bus 1")
    assert status == 0 and "already enrolled" in out


def _enrol_with(hq_dir: Path, code: str, name: str):
    """Enrol a bus through the real API with the code the command printed."""
    from fastapi.testclient import TestClient

    from sync.server.app import create_app

    hq = HQ(hq_dir)
    try:
        key = protocol.generate_key()
        device_id = f"device-of-{name}"
        public_key = protocol.public_text(key)
        with TestClient(create_app(hq)) as client:
            answer = client.post(
                "/api/v1/enrol",
                json={
                    "device_id": device_id,
                    "public_key": public_key,
                    "proof": protocol.enrol_proof(code, device_id, public_key),
                },
            )
        assert answer.status_code == 200, answer.text
        return device_id
    finally:
        hq.close()


def test_list(hq_dir, capsys):
    status, out, _ = run(hq_dir, capsys, "device", "list")
    assert status == 0 and "No device yet" in out
    code = json.loads(run(hq_dir, capsys, "device", "add", "Bus 1", "--json")[1])["code"]
    run(hq_dir, capsys, "device", "add", "Bus 2")
    device_id = _enrol_with(hq_dir, code, "Bus 1")

    status, out, _ = run(hq_dir, capsys, "device", "list")
    assert status == 0
    assert "Bus 1  [active]" in out and device_id in out
    assert "last seen: never" in out
    assert "Bus 2  [pairing code waiting" in out
    assert code not in out  # codes are shown once only

    status, out, _ = run(hq_dir, capsys, "device", "list", "--json")
    data = json.loads(out)
    assert [d["name"] for d in data["devices"]] == ["Bus 1"]
    listed = data["devices"][0]
    assert listed["device_id"] == device_id and listed["status"] == "active"
    assert listed["acknowledged"] == 0 and listed["catalogue_version"] == 0 and listed["last_seen_at"] is None
    assert listed["bus_locations"] == ["NUMERIBUS"]
    assert [p["name"] for p in data["pending_codes"]] == ["Bus 2"]
    assert code not in out


def test_list_shows_last_seen(tmp_path, capsys):
    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from tests.sync.signing import signed_request

    hq_dir = tmp_path / "hq"
    hq = HQ(hq_dir, clock=Clock())
    try:
        with TestClient(create_app(hq)) as client:
            bus = enrol_device(client, hq, "Bus 1")
            assert signed_request(client, bus, "GET", "/api/v1/hello").status_code == 200
    finally:
        hq.close()
    data = json.loads(run(hq_dir, capsys, "device", "list", "--json")[1])
    assert data["devices"][0]["last_seen_at"] is not None
    assert "last seen: never" not in run(hq_dir, capsys, "device", "list")[1]


def test_revoke(hq_dir, capsys):
    code = json.loads(run(hq_dir, capsys, "device", "add", "Bus 1", "--json")[1])["code"]
    device_id = _enrol_with(hq_dir, code, "Bus 1")
    status, out, _ = run(hq_dir, capsys, "device", "revoke", "Bus 1")
    assert status == 0 and "revoked" in out
    hq = HQ(hq_dir)
    try:
        assert devices.get_device(hq.db(), device_id).status == "revoked"
    finally:
        hq.close()
    assert "Bus 1  [revoked]" in run(hq_dir, capsys, "device", "list")[1]


def test_revoke_a_pending_code(hq_dir, capsys):
    run(hq_dir, capsys, "device", "add", "Bus 7")
    status, out, _ = run(hq_dir, capsys, "device", "revoke", "Bus 7")
    assert status == 0 and "cancelled" in out
    assert json.loads(run(hq_dir, capsys, "device", "list", "--json")[1])["pending_codes"] == []


def test_revoke_unknown(hq_dir, capsys):
    status, _, err = run(hq_dir, capsys, "device", "revoke", "Bus 404")
    assert status == 1
    assert err.strip() == "numeribus-sync: There is no device named 'Bus 404' (see `numeribus-sync device list`)."


def test_device_alone_prints_its_help(hq_dir, capsys):
    status, _, err = run(hq_dir, capsys, "device")
    assert status == 2
    assert "add" in err and "list" in err and "revoke" in err


def test_console_script(hq_dir):
    script = Path(sys.executable).with_name("numeribus-sync")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sync.cli"]
    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_SYNC_DATA_DIR"}
    done = subprocess.run(
        [*command, "--data-dir", str(hq_dir), "device", "add", "Bus 1", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "Bus 1"


def _published_config(hq_dir: Path, device_id: str) -> dict:
    """The bus's configuration as published for it (None before any), and its stored locations."""
    hq = HQ(hq_dir)
    try:
        query = "SELECT data FROM changes WHERE kind = 'device' AND key = 'config' AND scope = ?"
        row = hq.db().execute(query, [device_id]).fetchone()
        stored = devices.get_device(hq.db(), device_id).bus_locations
    finally:
        hq.close()
    return {"published": json.loads(row[0]) if row else None, "stored": list(stored)}


def test_locations_are_set_and_published_for_the_bus(hq_dir, capsys):
    code = json.loads(run(hq_dir, capsys, "device", "add", "Bus 1", "--json")[1])["code"]
    device_id = _enrol_with(hq_dir, code, "Bus 1")
    status, out, _ = run(hq_dir, capsys, "device", "locations", "Bus 1", "NB1", "numeribus", "NB1")
    assert status == 0 and out.strip() == "Bus 1: copies of NB1, numeribus on board, from its next sync."
    assert _published_config(hq_dir, device_id)["published"]["bus_locations"] == ["NB1", "numeribus"]
    assert "copies on board: NB1, numeribus" in run(hq_dir, capsys, "device", "list")[1]

    status, out, _ = run(hq_dir, capsys, "device", "locations", "Bus 1", "nb1", "NUMERIBUS", "--json")
    assert status == 0 and json.loads(out) == {"name": "Bus 1", "bus_locations": ["nb1", "NUMERIBUS"], "changed": True}
    status, out, _ = run(hq_dir, capsys, "device", "locations", "Bus 1", "nb1", "NUMERIBUS")
    assert status == 0 and "nothing changed" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bus 9", "NB9"], "There is no device named 'Bus 9'"),
        (["Bus 1", "NB 1"], "no spaces"),
        (["Bus 1", ""], "1 to 32 characters"),
        (["Bus 1", "X" * 33], "1 to 32 characters"),
        (["Bus 1", *[f"L{i}" for i in range(21)]], "Give 1 to 20 location codes (21 given)"),
    ],
)
def test_locations_refusals_change_nothing(hq_dir, capsys, args, message):
    code = json.loads(run(hq_dir, capsys, "device", "add", "Bus 1", "--json")[1])["code"]
    device_id = _enrol_with(hq_dir, code, "Bus 1")
    before = _published_config(hq_dir, device_id)
    status, _, err = run(hq_dir, capsys, "device", "locations", *args)
    assert status == 1 and message in err
    assert _published_config(hq_dir, device_id) == before
