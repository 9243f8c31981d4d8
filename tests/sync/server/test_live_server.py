"""Headquarters on a real uvicorn (loopback), reached with httpx and with the bus's HQClient (requests)."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import Depends

from sync import protocol
from sync.agent.http import HQClient, HQError, HQUnreachable, HQUntrusted
from sync.server import devices
from sync.server.app import create_app
from sync.server.auth import authenticated_device
from sync.server.devices import Device
from tests.sync.live import free_loopback_port, serve_in_thread

HELLO = "/api/v1/hello"


@pytest.fixture
def http(live_hq):
    with httpx.Client(base_url=live_hq.url) as client:
        yield client


def error_code(answer) -> str:
    return answer.json()["error"]["code"]


def hq_client(live_hq, device, **kwargs) -> HQClient:
    return HQClient(live_hq.url, device.key, device.hq_public_key, **kwargs)


# --- with httpx: the wire as it is ---------------------------------------------------------------


def test_health_over_http(http, hq):
    answer = http.get("/health")
    assert answer.status_code == 200
    assert answer.json()["key_fingerprint"] == hq.fingerprint
    protocol.verify_response(protocol.load_public(hq.public_key), 200, None, answer.content, answer.headers)


def test_signed_hello_over_http(http, device, signed):
    answer = signed(http, device, "GET", HELLO + "?since=12&limit=500")
    assert answer.status_code == 200
    assert answer.json()["device_id"] == device.device_id


def test_not_found_is_signed_over_http(http, device, signed):
    answer = signed(http, device, "GET", "/api/v1/nowhere")
    assert (answer.status_code, error_code(answer)) == (404, "not_found")


def test_unsigned_over_http(http, device, signed):
    answer = http.get(HELLO)
    assert (answer.status_code, error_code(answer)) == (401, "unsigned_request")


def test_unknown_key_over_http(http, device):
    headers = protocol.sign_request(protocol.generate_key(), "GET", HELLO, b"", int(device.clock().timestamp()))
    assert error_code(http.get(HELLO, headers=headers)) == "unknown_key"


def test_wrong_key_over_http(http, device, signed):
    answer = signed(http, device, "GET", HELLO, key=protocol.generate_key())
    assert (answer.status_code, error_code(answer)) == (401, "bad_signature")


def test_replay_over_http(http, device):
    headers = protocol.sign_request(device.key, "GET", HELLO, b"", int(device.clock().timestamp()))
    assert http.get(HELLO, headers=headers).status_code == 200
    assert error_code(http.get(HELLO, headers=headers)) == "replayed_request"


@pytest.mark.parametrize("offset", [-301, 301])
def test_stale_over_http(http, device, signed, hq_clock, offset):
    answer = signed(http, device, "GET", HELLO, created=hq_clock.timestamp() + offset)
    assert (answer.status_code, error_code(answer)) == (401, "stale_request")
    assert answer.json()["error"]["details"]["server_time"] == hq_clock.timestamp()


def test_revoked_over_http(http, device, signed, hq):
    devices.revoke(hq.db(), device.name, hq.now())
    answer = signed(http, device, "GET", HELLO)
    assert (answer.status_code, error_code(answer)) == (403, "device_revoked")


def test_query_changed_over_http(http, device):
    headers = protocol.sign_request(device.key, "GET", HELLO + "?since=1", b"", int(device.clock().timestamp()))
    assert error_code(http.get(HELLO + "?since=2", headers=headers)) == "bad_signature"


@pytest.fixture
def echo_url(hq):
    app = create_app(hq)

    @app.post("/test/echo")
    def post_echo(body: dict, device: Annotated[Device, Depends(authenticated_device)]) -> dict:
        return {"device_id": device.device_id, "body": body}

    with serve_in_thread(app) as url:
        yield url


def test_body_changed_over_http(echo_url, device):
    headers = protocol.sign_request(device.key, "POST", "/test/echo", b'{"a":1}', int(device.clock().timestamp()))
    with httpx.Client(base_url=echo_url) as http:
        answer = http.post("/test/echo", content=b'{"a":2}', headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "digest_mismatch")


# --- with the bus's client -------------------------------------------------------------------------


def test_hq_client_request(live_hq, device):
    with hq_client(live_hq, device) as client:
        status, body, headers = client.request("GET", HELLO)
    assert status == 200
    assert body["name"] == "Bus 1"
    assert headers["Content-Type"] == "application/json; charset=utf-8"


def test_hq_client_posts_the_body_it_signs(echo_url, device):
    with HQClient(echo_url, device.key, device.hq_public_key) as client:
        status, body, _ = client.request("POST", "/test/echo?x=1", {"name": "Zoé", "n": [1, 2]})
    assert status == 200
    assert body == {"device_id": device.device_id, "body": {"name": "Zoé", "n": [1, 2]}}


def test_hq_client_recovers_from_a_wrong_clock(live_hq, device, hq_clock):
    # the bus's clock is three days late (a flat battery): the first request is stale, then retried
    client = hq_client(live_hq, device, clock=lambda: hq_clock.timestamp() - 3 * 86400)
    with client:
        status, body, _ = client.request("GET", HELLO)
        assert status == 200
        assert client.clock_offset == 3 * 86400
        assert client.now() == hq_clock.timestamp()
        assert client.request("GET", HELLO)[0] == 200  # no retry needed any more


def test_hq_client_retries_only_once(live_hq, device, hq_clock):
    # a clock that jumps on every reading: even corrected, the request stays stale
    readings = iter(range(0, 10**9, 10**6))
    client = hq_client(live_hq, device, clock=lambda: next(readings))
    with client, pytest.raises(HQError) as caught:
        client.request("GET", HELLO)
    assert caught.value.code == "stale_request"
    assert caught.value.status == 401


def test_hq_client_raises_error_answers(live_hq, device, hq):
    devices.revoke(hq.db(), device.name, hq.now())
    with hq_client(live_hq, device) as client, pytest.raises(HQError) as caught:
        client.request("GET", HELLO)
    assert (caught.value.status, caught.value.code) == (403, "device_revoked")
    assert "revoked" in caught.value.message


def test_hq_client_refuses_answers_not_signed_by_the_pinned_key(live_hq, device):
    impostor = protocol.public_text(protocol.generate_key())
    with HQClient(live_hq.url, device.key, impostor) as client, pytest.raises(HQUntrusted, match="cannot be trusted"):
        client.request("GET", HELLO)


def test_hq_client_unreachable():
    port = free_loopback_port()
    key = protocol.generate_key()
    client = HQClient(f"http://127.0.0.1:{port}", key, protocol.public_text(key))
    with client, pytest.raises(HQUnreachable, match="connection refused"):
        client.request("GET", HELLO)
