"""Test helpers that play a bus: a controllable clock, an enrolled device, signed requests.

Plain functions and classes (no fixtures) so that any test module can import them; the fixtures
of tests/sync/conftest.py build on them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import protocol
from sync.server import devices
from sync.server.state import HQ


class Clock:
    """A clock that only moves when told: ``clock()`` is the current time (aware, UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float = 0, **delta) -> datetime:
        self.current += timedelta(seconds=seconds, **delta)
        return self.current

    def set(self, moment: datetime) -> datetime:
        self.current = moment
        return self.current

    def timestamp(self) -> int:
        return int(self.current.timestamp())


@dataclass
class EnrolledDevice:
    """A bus enrolled at headquarters: its journal device id, NAME, private key and key id."""

    device_id: str
    name: str
    key: Ed25519PrivateKey
    hq_public_key: str
    clock: Callable[[], datetime] = field(repr=False)

    @property
    def key_id(self) -> str:
        return protocol.key_id(self.key)

    @property
    def public_key(self) -> str:
        return protocol.public_text(self.key)

    @property
    def hq_key(self):
        return protocol.load_public(self.hq_public_key)


def enrol_device(
    client: httpx.Client,
    hq: HQ,
    name: str = "Bus 1",
    *,
    device_id: str | None = None,
    key: Ed25519PrivateKey | None = None,
) -> EnrolledDevice:
    """Make a pairing code for NAME at `hq` and enrol a bus with it through POST /api/v1/enrol."""
    device_id = device_id or str(uuid.uuid4())
    key = key or protocol.generate_key()
    code, _ = devices.add_device_code(hq.db(), name, hq.now(), hq.config.pairing_code_hours)
    public_key = protocol.public_text(key)
    answer = client.post(
        "/api/v1/enrol",
        json={
            "device_id": device_id,
            "public_key": public_key,
            "proof": protocol.enrol_proof(code, device_id, public_key),
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["proof"] == protocol.enrolled_proof(code, device_id, public_key, body["hq_public_key"])
    protocol.verify_response(protocol.load_public(body["hq_public_key"]), 200, None, answer.content, answer.headers)
    return EnrolledDevice(device_id, body["name"], key, body["hq_public_key"], clock=hq.now)


def signed_request(
    client: httpx.Client,
    device: EnrolledDevice,
    method: str,
    target: str,
    json: object = None,
    *,
    content: bytes | None = None,
    created: int | None = None,
    nonce: str | None = None,
    key: Ed25519PrivateKey | None = None,
    headers: dict[str, str] | None = None,
    verify: bool = True,
) -> httpx.Response:
    """Send one request signed as `device` (protocol.sign_request) and return the answer.

    `json` is sent as canonical JSON; `content` sends raw bytes instead.  `created` defaults to
    the device's clock (the hq fixture's clock), `key` to the device's key (give another key to
    forge a signature).  `headers` are added after signing (to tamper).  With `verify`, the
    answer's signature is checked against headquarters' key before it is returned.
    """
    body = content if content is not None else (protocol.canonical_json(json) if json is not None else b"")
    when = created if created is not None else int(device.clock().timestamp())
    signature = protocol.sign_request(device.key, method, target, body, when, nonce)
    if key is not None:  # another key claiming to be the device: same fields, its own signature
        signing_string = protocol.request_signing_string(
            method, target, device.key_id, when, signature[protocol.NONCE], signature[protocol.DIGEST]
        )
        signature[protocol.SIGNATURE] = protocol.sign(key, signing_string)
    all_headers = dict(signature)
    if body:
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    answer = client.request(method, target, content=body, headers=all_headers)
    if verify:
        protocol.verify_response(
            device.hq_key, answer.status_code, signature[protocol.NONCE], answer.content, answer.headers
        )
    return answer
