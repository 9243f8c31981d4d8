"""sync.server.auth: every check of docs/protocol.md "Signed requests", in order, in-process."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from sync import protocol
from sync.server import devices
from sync.server.app import create_app
from sync.server.auth import authenticated_device
from sync.server.devices import Device

HELLO = "/api/v1/hello"
ECHO = "/test/echo"


@pytest.fixture
def echo(hq):
    """A client of an app with one more signed route, POST /test/echo, that answers what it got."""
    app = create_app(hq)

    @app.post(ECHO)
    def post_echo(body: dict, device: Annotated[Device, Depends(authenticated_device)]) -> dict:
        return {"device_id": device.device_id, "body": body}

    with TestClient(app) as client:
        yield client


def error_code(answer) -> str:
    return answer.json()["error"]["code"]


def test_signed_hello(client, device, signed, hq, hq_clock):
    answer = signed(client, device, "GET", HELLO)  # the answer's signature is verified too
    assert answer.status_code == 200
    assert answer.json() == {
        "device_id": device.device_id,
        "name": "Bus 1",
        "server_time": hq_clock.timestamp(),
        "catalogue_version": 0,
        "acknowledged": 0,
    }
    assert devices.get_device(hq.db(), device.device_id).last_seen_at == hq_clock().isoformat(timespec="seconds")


def test_last_seen_follows_the_clock(client, device, signed, hq, hq_clock):
    signed(client, device, "GET", HELLO)
    hq_clock.advance(3600)
    signed(client, device, "GET", HELLO)
    assert devices.get_device(hq.db(), device.device_id).last_seen_at == hq_clock().isoformat(timespec="seconds")


def test_unsigned_request(client, hq):
    answer = client.get(HELLO)
    assert answer.status_code == 401
    assert error_code(answer) == "unsigned_request"
    protocol.verify_response(protocol.load_public(hq.public_key), 401, None, answer.content, answer.headers)


@pytest.mark.parametrize("header", protocol.REQUEST_HEADERS)
def test_each_header_is_required(client, device, header):
    headers = protocol.sign_request(device.key, "GET", HELLO, b"", int(device.clock().timestamp()))
    del headers[header]
    answer = client.get(HELLO, headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "unsigned_request")
    assert header in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (protocol.KEY_ID, "XYZ"),
        (protocol.CREATED, "yesterday"),
        (protocol.CREATED, "1.5"),
        (protocol.NONCE, "short"),
        (protocol.NONCE, "G" * 32),
        (protocol.DIGEST, "0" * 63),
        (protocol.SIGNATURE, "not a signature"),
    ],
)
def test_malformed_headers(client, device, signed, hq, header, value):
    answer = signed(client, device, "GET", HELLO, headers={header: value}, verify=False)
    assert (answer.status_code, error_code(answer)) == (401, "unsigned_request")
    nonce = value if header == protocol.NONCE else answer.request.headers[protocol.NONCE]
    protocol.verify_response(protocol.load_public(hq.public_key), 401, nonce, answer.content, answer.headers)


def test_unknown_key(client, device, signed):
    stranger = protocol.generate_key()
    headers = protocol.sign_request(stranger, "GET", HELLO, b"", int(device.clock().timestamp()))
    answer = client.get(HELLO, headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "unknown_key")


def test_wrong_key_claiming_the_device(client, device, signed):
    answer = signed(client, device, "GET", HELLO, key=protocol.generate_key())
    assert (answer.status_code, error_code(answer)) == (401, "bad_signature")


def test_revoked_device(client, device, signed, hq, hq_clock):
    assert signed(client, device, "GET", HELLO).status_code == 200
    devices.revoke(hq.db(), device.name, hq_clock())
    answer = signed(client, device, "GET", HELLO)
    assert (answer.status_code, error_code(answer)) == (403, "device_revoked")


def test_revoked_comes_before_stale(client, device, signed, hq, hq_clock):
    devices.revoke(hq.db(), device.name, hq_clock())
    answer = signed(client, device, "GET", HELLO, created=0)
    assert error_code(answer) == "device_revoked"


@pytest.mark.parametrize("offset", [-301, 301, -(10**9)])
def test_stale_request(client, device, signed, hq_clock, offset):
    answer = signed(client, device, "GET", HELLO, created=hq_clock.timestamp() + offset)
    assert (answer.status_code, error_code(answer)) == (401, "stale_request")
    assert answer.json()["error"]["details"] == {"server_time": hq_clock.timestamp()}


@pytest.mark.parametrize("offset", [-300, 300])
def test_within_the_window(client, device, signed, hq_clock, offset):
    assert signed(client, device, "GET", HELLO, created=hq_clock.timestamp() + offset).status_code == 200


def test_the_server_clock_moving_makes_a_request_stale(client, device, signed, hq_clock):
    created = hq_clock.timestamp()
    hq_clock.advance(301)
    answer = signed(client, device, "GET", HELLO, created=created)
    assert error_code(answer) == "stale_request"
    assert answer.json()["error"]["details"]["server_time"] == created + 301


def test_replayed_request(client, device, signed):
    nonce = protocol.new_nonce()
    assert signed(client, device, "GET", HELLO, nonce=nonce).status_code == 200
    answer = signed(client, device, "GET", HELLO, nonce=nonce)
    assert (answer.status_code, error_code(answer)) == (401, "replayed_request")


def test_exact_replay_of_the_same_headers(client, device):
    headers = protocol.sign_request(device.key, "GET", HELLO, b"", int(device.clock().timestamp()))
    assert client.get(HELLO, headers=headers).status_code == 200
    answer = client.get(HELLO, headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "replayed_request")


def test_nonces_are_forgotten_after_the_memory_window(client, device, signed, hq, hq_clock):
    nonce = protocol.new_nonce()
    assert signed(client, device, "GET", HELLO, nonce=nonce).status_code == 200
    hq_clock.advance(protocol.NONCE_MEMORY_S + 1)
    assert signed(client, device, "GET", HELLO).status_code == 200  # purges the old nonces
    assert hq.db().execute("SELECT count(*) FROM nonces WHERE nonce = ?", [nonce]).fetchone()[0] == 0
    assert hq.db().execute("SELECT count(*) FROM nonces").fetchone()[0] == 1


def test_a_nonce_is_per_key(client, device, make_device, signed):
    other = make_device("Bus 2")
    nonce = protocol.new_nonce()
    assert signed(client, device, "GET", HELLO, nonce=nonce).status_code == 200
    assert signed(client, other, "GET", HELLO, nonce=nonce).status_code == 200


def test_failed_requests_do_not_burn_nonces(client, device, signed):
    nonce = protocol.new_nonce()
    forged = signed(client, device, "GET", HELLO, nonce=nonce, key=protocol.generate_key())
    assert error_code(forged) == "bad_signature"
    assert signed(client, device, "GET", HELLO, nonce=nonce).status_code == 200


def test_signed_post_with_a_body(echo, device, signed):
    answer = signed(echo, device, "POST", ECHO, {"events": [{"seq": 1, "name": "é"}]})
    assert answer.status_code == 200
    assert answer.json() == {"device_id": device.device_id, "body": {"events": [{"seq": 1, "name": "é"}]}}


def test_body_changed_after_signing(echo, device):
    body = b'{"device_id":"x","events":[]}'
    headers = protocol.sign_request(device.key, "POST", ECHO, body, int(device.clock().timestamp()))
    answer = echo.request("POST", ECHO, content=b'{"device_id":"y","events":[]}', headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "digest_mismatch")


def test_body_and_digest_changed_after_signing(echo, device):
    body = b'{"events":[]}'
    headers = protocol.sign_request(device.key, "POST", ECHO, body, int(device.clock().timestamp()))
    other = b'{"events":[1]}'
    headers[protocol.DIGEST] = protocol.sha256_hex(other)
    answer = echo.request("POST", ECHO, content=other, headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "bad_signature")


def test_an_unsigned_body_is_not_even_parsed(echo):
    answer = echo.post(ECHO, json={"events": []})
    assert error_code(answer) == "unsigned_request"


def test_query_changed_after_signing(client, device):
    headers = protocol.sign_request(device.key, "GET", HELLO + "?since=1", b"", int(device.clock().timestamp()))
    answer = client.get(HELLO + "?since=2", headers=headers)
    assert (answer.status_code, error_code(answer)) == (401, "bad_signature")
    answer = client.get(HELLO, headers=headers)
    assert error_code(answer) == "bad_signature"


def test_query_is_signed_exactly_as_sent(client, device, signed):
    assert signed(client, device, "GET", HELLO + "?since=12&limit=500").status_code == 200


def test_path_and_method_are_signed(client, device):
    headers = protocol.sign_request(device.key, "GET", "/api/v1/other", b"", int(device.clock().timestamp()))
    assert error_code(client.get(HELLO, headers=headers)) == "bad_signature"
    headers = protocol.sign_request(device.key, "POST", HELLO, b"", int(device.clock().timestamp()))
    assert error_code(client.get(HELLO, headers=headers)) == "bad_signature"


def test_error_answers_are_signed_for_the_request(client, device, signed):
    # `signed` verifies each answer against the request's nonce; errors included
    for kwargs in ({"key": protocol.generate_key()}, {"created": 0}, {"headers": {protocol.DIGEST: "0" * 64}}):
        answer = signed(client, device, "GET", HELLO, **kwargs)
        assert answer.status_code == 401


def test_the_order_of_checks(client, device, signed, hq_clock):
    # stale and with a wrong digest and signature: stale first
    answer = signed(
        client, device, "GET", HELLO, created=0, key=protocol.generate_key(), headers={protocol.DIGEST: "0" * 64}
    )
    assert error_code(answer) == "stale_request"
    # wrong digest and wrong signature: digest first
    answer = signed(client, device, "GET", HELLO, key=protocol.generate_key(), headers={protocol.DIGEST: "0" * 64})
    assert error_code(answer) == "digest_mismatch"
