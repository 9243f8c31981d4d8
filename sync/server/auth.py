"""Signed requests: the FastAPI dependency that authenticates a bus (docs/protocol.md, "Signed requests").

Use it as ``device: Device = Depends(authenticated_device)``.  It checks, in the protocol's order,
and refuses with the first failure: headers present and well-formed (401 ``unsigned_request``),
known key (401 ``unknown_key``), device not revoked (403 ``device_revoked``), ``created`` within
FRESHNESS_S of headquarters' clock (401 ``stale_request``, with ``details.server_time``), body
digest (401 ``digest_mismatch``), signature (401 ``bad_signature``), nonce not seen from this key
within NONCE_MEMORY_S (401 ``replayed_request``).  The nonce is recorded only once the signature
verified; the device's ``last_seen_at`` is updated in the same transaction.

The signed target is the path and query string exactly as sent: ``scope["raw_path"]`` plus
``"?" + scope["query_string"]`` when there is one.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from .. import protocol
from .devices import Device, accept_request, device_by_key
from .errors import ApiError
from .state import HQ

_FORMATS = {
    protocol.KEY_ID: re.compile(r"[0-9a-f]{16}"),
    protocol.CREATED: re.compile(r"-?[0-9]{1,12}"),
    protocol.NONCE: re.compile(r"[0-9a-f]{32}"),
    protocol.DIGEST: re.compile(r"[0-9a-f]{64}"),
    protocol.SIGNATURE: re.compile(r"[A-Za-z0-9_-]{86}"),  # 64 bytes in base64url without padding
}


@dataclasses.dataclass(frozen=True, slots=True)
class SignedHeaders:
    key_id: str
    created: int
    nonce: str
    digest: str
    signature: str


def request_target(request: Request) -> str:
    """The path and query string exactly as the client sent them."""
    scope = request.scope
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    target = raw_path.decode("latin-1")
    query = scope.get("query_string") or b""
    if query:
        target += "?" + query.decode("latin-1")
    return target


def read_signed_headers(request: Request) -> SignedHeaders:
    """The five signature headers, or ApiError 401 unsigned_request naming what is wrong."""
    values = {}
    for name, pattern in _FORMATS.items():
        value = request.headers.get(name)
        if value is None:
            raise ApiError(401, "unsigned_request", f"The request is not signed: the {name} header is missing.")
        if not pattern.fullmatch(value):
            raise ApiError(401, "unsigned_request", f"The request's {name} header is not well-formed.")
        values[name] = value
    return SignedHeaders(
        key_id=values[protocol.KEY_ID],
        created=int(values[protocol.CREATED]),
        nonce=values[protocol.NONCE],
        digest=values[protocol.DIGEST],
        signature=values[protocol.SIGNATURE],
    )


def describe_offset(seconds: int) -> str:
    seconds = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count > 1 else ''}"
    return f"{seconds} seconds"


def check_request(hq: HQ, signed: SignedHeaders, method: str, target: str, body: bytes) -> Device:
    """Every check after the headers' form, in the protocol's order (runs in a worker thread)."""
    db = hq.db()
    device = device_by_key(db, signed.key_id)
    if device is None:
        raise ApiError(401, "unknown_key", "This key is not the key of an enrolled device.")
    if not device.active:
        raise ApiError(403, "device_revoked", "This device was revoked at headquarters.")
    now = hq.now()
    server_time = int(now.timestamp())
    offset = signed.created - server_time
    if abs(offset) > protocol.FRESHNESS_S:
        raise ApiError(
            401,
            "stale_request",
            f"The request's time is {describe_offset(offset)} {'ahead of' if offset > 0 else 'behind'} "
            "headquarters' clock.",
            {"server_time": server_time},
        )
    if protocol.sha256_hex(body) != signed.digest:
        raise ApiError(401, "digest_mismatch", "The request's body does not match its signed digest.")
    signing_string = protocol.request_signing_string(
        method, target, signed.key_id, signed.created, signed.nonce, signed.digest
    )
    if not protocol.verify(protocol.load_public(device.public_key), signing_string, signed.signature):
        raise ApiError(401, "bad_signature", "The request's signature does not verify with the device's key.")
    if not accept_request(db, device.device_id, signed.key_id, signed.nonce, now):
        raise ApiError(401, "replayed_request", "This request was already received (its nonce was used before).")
    return dataclasses.replace(device, last_seen_at=now.isoformat(timespec="seconds"))


# Only to describe the scheme in the OpenAPI document (a padlock on /docs); the checks are below.
signature_scheme = APIKeyHeader(
    name=protocol.SIGNATURE,
    scheme_name="numeribus-request-signature",
    description="Ed25519 request signature with the headers Numeribus-Key-Id, Numeribus-Created, "
    "Numeribus-Nonce, Numeribus-Digest and Numeribus-Signature (docs/protocol.md, 'Signed requests').",
    auto_error=False,
)


async def authenticated_device(
    request: Request, _signature: Annotated[str | None, Depends(signature_scheme)] = None
) -> Device:
    """FastAPI dependency: the enrolled, active device that signed this request."""
    signed = read_signed_headers(request)
    body = await request.body()
    hq: HQ = request.app.state.hq
    return await run_in_threadpool(check_request, hq, signed, request.method, request_target(request), body)
