"""The bus's side of enrolment: sync.agent.enrol, sync.agent.identity and `numeribus-kiosk enrol`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response

from numeribus_kiosk.journal.outbox import device_id as journal_device_id
from numeribus_kiosk.store import open_journal_db
from sync import protocol
from sync.agent import identity
from sync.agent.enrol import EnrolError, enrol, normalise_url
from sync.agent.http import HQClient, HQError
from sync.server import devices
from tests.sync.live import free_loopback_port, serve_in_thread


@pytest.fixture
def bus_dir(tmp_path: Path) -> Path:
    path = tmp_path / "bus"
    path.mkdir()
    return path


def new_code(hq, name: str = "Bus 1") -> str:
    return devices.add_device_code(hq.db(), name, hq.now(), hq.config.pairing_code_hours)[0]


def bus_device_id(bus_dir: Path) -> str:
    db = open_journal_db(bus_dir)
    try:
        return journal_device_id(db)
    finally:
        db.conn.close()


# --- the enrol function ----------------------------------------------------------------------------


def test_enrol_saves_the_identity(live_hq, hq, bus_dir):
    code = new_code(hq, "Bus Forez")
    saved = enrol(bus_dir, live_hq.url + "/", code)
    assert saved.name == "Bus Forez"
    assert saved.hq_url == live_hq.url
    assert saved.device_id == bus_device_id(bus_dir)
    assert saved.hq_public_key == hq.public_key
    assert saved.hq_fingerprint == hq.fingerprint

    key_file = bus_dir / identity.DEVICE_KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert (bus_dir / identity.HQ_KEY_FILE).read_text().strip() == hq.public_key
    facts = json.loads((bus_dir / identity.SYNC_FILE).read_text())
    assert facts["hq_url"] == live_hq.url and facts["device_id"] == saved.device_id
    assert facts["key_id"] == saved.key_id and facts["hq_key_id"] == hq.key_id

    loaded = identity.load_identity(bus_dir)
    assert loaded.key_id == saved.key_id and loaded.enrolment == saved.enrolment
    registered = devices.get_device(hq.db(), saved.device_id)
    assert registered.key_id == saved.key_id and registered.name == "Bus Forez"

    # the identity works: a signed request with the saved key and the pinned key
    with HQClient(loaded.hq_url, loaded.key, loaded.hq_public_key) as client:
        status, body, _ = client.request("GET", "/api/v1/hello")
    assert status == 200 and body["device_id"] == saved.device_id


def test_not_enrolled(bus_dir):
    assert identity.load_identity(bus_dir) is None
    assert not identity.is_enrolled(bus_dir)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda hq: "ABCD-EFGH-JKMN", "not valid"),
        (lambda hq: "ABCD-EFGH", "not a pairing code"),
    ],
)
def test_bad_codes(live_hq, hq, bus_dir, setup, message):
    new_code(hq)
    with pytest.raises(EnrolError, match=message):
        enrol(bus_dir, live_hq.url, setup(hq))
    assert not identity.is_enrolled(bus_dir)


def test_used_code(live_hq, hq, bus_dir, tmp_path):
    code = new_code(hq)
    enrol(bus_dir, live_hq.url, code)
    other_bus = tmp_path / "other-bus"
    with pytest.raises(EnrolError, match="already used"):
        enrol(other_bus, live_hq.url, code)
    assert not identity.is_enrolled(other_bus)


def test_expired_code(live_hq, hq, hq_clock, bus_dir):
    code = new_code(hq)
    hq_clock.advance(hours=25)
    with pytest.raises(EnrolError, match="expired"):
        enrol(bus_dir, live_hq.url, code)
    assert not identity.is_enrolled(bus_dir)


def test_unreachable(bus_dir):
    url = f"http://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(EnrolError, match="cannot be reached.*connection refused.*Nothing was changed"):
        enrol(bus_dir, url, "ABCD-EFGH-JKMN")
    assert not identity.is_enrolled(bus_dir)


@pytest.mark.parametrize("url", ["ftp://hq", "http://", "http://hq:99999", "http://hq/?x=1", ""])
def test_bad_urls(url):
    with pytest.raises(EnrolError, match="not a headquarters address"):
        normalise_url(url)


def test_url_without_scheme():
    assert normalise_url(" hq.example:8470/ ") == "http://hq.example:8470"


def test_re_enrolment_needs_force(live_hq, hq, bus_dir, signed):
    first = enrol(bus_dir, live_hq.url, new_code(hq))
    code = new_code(hq)
    with pytest.raises(EnrolError, match="already enrolled as 'Bus 1'.*--force"):
        enrol(bus_dir, live_hq.url, code)
    assert identity.load_identity(bus_dir).key_id == first.key_id  # nothing changed
    second = enrol(bus_dir, live_hq.url, code, force=True)
    assert second.key_id != first.key_id and second.device_id == first.device_id
    assert identity.load_identity(bus_dir).key_id == second.key_id
    # the old key stopped working at headquarters
    with HQClient(live_hq.url, first.key, first.hq_public_key) as client, pytest.raises(HQError) as caught:
        client.request("GET", "/api/v1/hello")
    assert caught.value.code == "unknown_key"


def test_failed_forced_re_enrolment_keeps_the_old_identity(live_hq, hq, bus_dir):
    first = enrol(bus_dir, live_hq.url, new_code(hq))
    with pytest.raises(EnrolError, match="not valid"):
        enrol(bus_dir, live_hq.url, "ABCD-EFGH-JKMN", force=True)
    assert identity.load_identity(bus_dir).key_id == first.key_id


# --- a server that is not the headquarters that made the code ------------------------------------


def impostor_app(answer_for) -> FastAPI:
    """A server that answers POST /api/v1/enrol with whatever `answer_for(request_body, nonce)` gives."""
    app = FastAPI()

    @app.post("/api/v1/enrol")
    async def post_enrol(request: Request) -> Response:
        body, headers = answer_for(json.loads(await request.body()), request.headers.get(protocol.NONCE))
        return Response(body, media_type="application/json", headers=headers)

    return app


def test_a_server_without_the_code_is_refused(bus_dir):
    impostor_key = protocol.generate_key()

    def answer(request: dict, nonce: str):
        body = protocol.canonical_json(
            {
                "device_id": request["device_id"],
                "name": "Bus 1",
                "key_id": protocol.key_id(request["public_key"]),
                "api_version": 1,
                "hq_public_key": protocol.public_text(impostor_key),
                "hq_key_id": protocol.key_id(impostor_key),
                "proof": "0" * 64,
            }
        )
        return body, protocol.sign_response(impostor_key, 200, nonce, body)

    refused = pytest.raises(EnrolError, match="does not know this pairing code")
    with serve_in_thread(impostor_app(answer)) as url, refused:
        enrol(bus_dir, url, "ABCD-EFGH-JKMN")
    assert not identity.is_enrolled(bus_dir)


def test_an_answer_not_signed_by_the_key_it_carries_is_refused(bus_dir):
    code = "ABCD-EFGH-JKMN"
    claimed, signer = protocol.generate_key(), protocol.generate_key()

    def answer(request: dict, nonce: str):
        hq_public_key = protocol.public_text(claimed)
        body = protocol.canonical_json(
            {
                "device_id": request["device_id"],
                "name": "Bus 1",
                "key_id": protocol.key_id(request["public_key"]),
                "api_version": 1,
                "hq_public_key": hq_public_key,
                "hq_key_id": protocol.key_id(claimed),
                "proof": protocol.enrolled_proof(code, request["device_id"], request["public_key"], hq_public_key),
            }
        )
        return body, protocol.sign_response(signer, 200, nonce, body)

    with serve_in_thread(impostor_app(answer)) as url, pytest.raises(EnrolError, match="not signed by its key"):
        enrol(bus_dir, url, code)
    assert not identity.is_enrolled(bus_dir)


# --- identity files ----------------------------------------------------------------------------------


def test_damaged_identity_files(live_hq, hq, bus_dir):
    enrol(bus_dir, live_hq.url, new_code(hq))
    (bus_dir / identity.HQ_KEY_FILE).write_text(protocol.public_text(protocol.generate_key()))
    with pytest.raises(identity.IdentityError, match="do not belong together"):
        identity.load_identity(bus_dir)
    (bus_dir / identity.HQ_KEY_FILE).unlink()
    with pytest.raises(identity.IdentityError, match="missing"):
        identity.load_identity(bus_dir)
    (bus_dir / identity.HQ_KEY_FILE).write_text("x")
    (bus_dir / identity.SYNC_FILE).write_text("{not json")
    with pytest.raises(identity.IdentityError, match="cannot be read"):
        identity.load_identity(bus_dir)


def test_saved_key_is_private_even_over_a_looser_file(bus_dir):
    key_file = bus_dir / identity.DEVICE_KEY_FILE
    key_file.write_text("old")
    key_file.chmod(0o644)
    key = protocol.generate_key()
    hq_key = protocol.public_text(protocol.generate_key())
    from datetime import UTC, datetime

    identity.save_identity(
        bus_dir, key, hq_key, hq_url="http://hq", device_id="d", name="n", enrolled_at=datetime.now(UTC)
    )
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert identity.load_identity(bus_dir).key_id == protocol.key_id(key)


# --- the command, end to end ---------------------------------------------------------------------------


def test_enrol_command(live_hq, hq, bus_dir, kiosk):
    code = new_code(hq, "Bus Pilat")
    done = kiosk("enrol", "--hq", live_hq.url, "--code", code, data_dir=bus_dir)
    assert done.returncode == 0, done.stderr
    assert "Enrolled as Bus Pilat" in done.stdout
    assert hq.fingerprint in done.stdout
    assert (bus_dir / identity.DEVICE_KEY_FILE).stat().st_mode & 0o777 == 0o600
    loaded = identity.load_identity(bus_dir)
    assert devices.get_device(hq.db(), loaded.device_id).key_id == loaded.key_id

    again = kiosk("enrol", "--hq", live_hq.url, "--code", new_code(hq, "Bus Pilat"), data_dir=bus_dir)
    assert again.returncode == 1
    assert "already enrolled" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr

    forced = kiosk(
        "enrol", "--hq", live_hq.url, "--code", new_code(hq, "Bus Pilat"), "--force", "--json", data_dir=bus_dir
    )
    assert forced.returncode == 0, forced.stderr
    data = json.loads(forced.stdout)
    assert data["name"] == "Bus Pilat" and data["hq_key_fingerprint"] == hq.fingerprint
    assert data["key_id"] != loaded.key_id and data["device_id"] == loaded.device_id


@pytest.mark.parametrize("case", ["wrong", "used", "expired", "unreachable", "malformed"])
def test_enrol_command_failures(live_hq, hq, hq_clock, bus_dir, tmp_path, kiosk, case):
    url = live_hq.url
    code = new_code(hq)
    if case == "wrong":
        code = "ABCD-EFGH-JKMN"
    elif case == "used":
        enrol(tmp_path / "first-bus", url, code)
    elif case == "expired":
        hq_clock.advance(hours=25)
    elif case == "unreachable":
        url = f"http://127.0.0.1:{free_loopback_port()}"
    elif case == "malformed":
        code = "hello"
    done = kiosk("enrol", "--hq", url, "--code", code, data_dir=bus_dir)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("numeribus-kiosk: "), done.stderr
    expected = {
        "wrong": "not valid",
        "used": "already used",
        "expired": "expired",
        "unreachable": "cannot be reached",
        "malformed": "not a pairing code",
    }[case]
    assert expected in lines[0]
    assert not identity.is_enrolled(bus_dir)
