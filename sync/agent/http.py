"""The bus's HTTP client for headquarters: signed requests, verified answers (docs/protocol.md).

``HQClient(base_url, key, hq_public_key).request(method, target, json=None)`` signs the request
with the bus's key over exactly the bytes and the path sent, checks that the answer is signed by
the pinned headquarters key for this very request (its nonce), and returns
``(status, body, headers)``: ``body`` is the parsed JSON, or the raw bytes for anything else.

Errors, each with a plain-English message:

- `HQUnreachable`: no answer (connection refused, name unknown, time-out...);
- `HQUntrusted`: an answer that is not signed by the pinned key (not our headquarters, or
  altered on the way): nothing in it is used;
- `HQError(status, code, message, details)`: a verified error answer.

A ``stale_request`` answer (the bus's clock is wrong) is verified, its ``details.server_time``
sets ``clock_offset`` and the request is sent once more, signed with the corrected time.
"""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .. import protocol

DEFAULT_TIMEOUT = (10.0, 60.0)  # seconds: to connect, then between two reads


class HQUnreachable(Exception):
    """Headquarters did not answer."""


class HQUntrusted(Exception):
    """An answer that does not verify with the pinned headquarters key."""


class HQError(Exception):
    """A verified error answer from headquarters (docs/protocol.md, "Errors")."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None) -> None:
        super().__init__(f"{message} ({code}, HTTP {status})")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """An answer as received, not yet verified: status, body bytes, headers, and our request's nonce."""

    status: int
    content: bytes
    headers: Mapping[str, str]
    nonce: str

    def parsed(self) -> object:
        content_type = self.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() == "application/json":
            try:
                return jsonlib.loads(self.content)
            except ValueError:
                return self.content
        return self.content


def error_of(status: int, body: object) -> HQError:
    """The HQError an error answer describes (whatever its shape)."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        details = error.get("details")
        return HQError(
            status, error["code"], str(error.get("message", "")), details if isinstance(details, dict) else {}
        )
    return HQError(status, f"http_{status}", f"Headquarters answered HTTP {status}.")


class HQClient:
    """Talks to one headquarters with one bus key and the pinned headquarters key."""

    def __init__(
        self,
        base_url: str,
        key: Ed25519PrivateKey,
        hq_public_key: str | Ed25519PublicKey | None,
        *,
        clock_offset: float = 0,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        if isinstance(hq_public_key, str):
            hq_public_key = protocol.load_public(hq_public_key)
        self.hq_key = hq_public_key
        self.clock_offset = clock_offset
        self.session = session or requests.Session()
        self._own_session = session is None
        self.timeout = timeout
        self.clock = clock

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> HQClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def now(self) -> int:
        """The bus's time corrected by what headquarters said: the `created` of the next request."""
        return int(self.clock() + self.clock_offset)

    def send(
        self,
        method: str,
        target: str,
        json: object = None,
        *,
        content: bytes | None = None,
        signed: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> RawAnswer:
        """Send one request (signed unless `signed` is False) and return the answer unverified.

        The request always carries a fresh `Numeribus-Nonce`, so that the answer's signature names
        it.  `target` is the path and query string; the signed target is the one actually sent."""
        if content is None:
            content = protocol.canonical_json(json) if json is not None else b""
        all_headers = {"Accept": "application/json"}
        if content:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        prepared = self.session.prepare_request(
            requests.Request(method.upper(), self.base_url + target, data=content, headers=all_headers)
        )
        nonce = protocol.new_nonce()
        if signed:
            prepared.headers.update(
                protocol.sign_request(self.key, prepared.method, prepared.path_url, content, self.now(), nonce)
            )
        else:
            prepared.headers[protocol.NONCE] = nonce
        try:
            answer = self.session.send(prepared, timeout=self.timeout, allow_redirects=False)
        except requests.Timeout as exc:
            raise HQUnreachable(f"Headquarters at {self.base_url} did not answer in time.") from exc
        except requests.RequestException as exc:
            raise HQUnreachable(f"Headquarters at {self.base_url} cannot be reached ({_reason(exc)}).") from exc
        if _cut_short(answer):
            raise HQUnreachable(f"The connection to headquarters at {self.base_url} broke during its answer.")
        return RawAnswer(answer.status_code, answer.content, answer.headers, nonce)

    def verify(self, answer: RawAnswer) -> None:
        if self.hq_key is None:
            raise HQUntrusted("No headquarters key is pinned: the answer cannot be trusted.")
        try:
            protocol.verify_response(self.hq_key, answer.status, answer.nonce, answer.content, answer.headers)
        except protocol.ProtocolError as exc:
            raise HQUntrusted(f"The answer from {self.base_url} cannot be trusted: {exc}.") from exc

    def request(
        self, method: str, target: str, json: object = None, *, content: bytes | None = None
    ) -> tuple[int, object, Mapping[str, str]]:
        """A signed request; its verified answer as (status, body, headers); HQError for an error answer."""
        for attempt in range(2):
            answer = self.send(method, target, json, content=content)
            self.verify(answer)
            body = answer.parsed()
            if answer.status < 400:
                return answer.status, body, answer.headers
            error = error_of(answer.status, body)
            server_time = error.details.get("server_time")
            if error.code == "stale_request" and attempt == 0 and isinstance(server_time, int | float):
                self.clock_offset = server_time - self.clock()
                continue
            raise error
        raise AssertionError("unreachable")  # pragma: no cover


def _cut_short(answer: requests.Response) -> bool:
    """An answer whose headers or body were cut on the way (not a forged one).

    Every answer of headquarters carries a Content-Length and its signature headers, which come
    last.  When the connection breaks inside the headers, `requests` still returns what it parsed
    (urllib3 only logs a HeaderParsingError): no signature AND no length means the headers were cut
    short, and the round must fail as "unreachable", not as "not signed by headquarters"."""
    length = answer.headers.get("Content-Length")
    if length is None:
        return protocol.SIGNATURE not in answer.headers
    return length.isdigit() and int(length) != len(answer.content) and answer.request.method != "HEAD"


def _reason(exc: requests.RequestException) -> str:
    """A short reason for a connection failure, without the library's nested reprs."""
    text = str(exc)
    for marker, reason in (
        ("Connection refused", "connection refused"),
        ("Name or service not known", "unknown host name"),
        ("nodename nor servname", "unknown host name"),
        ("Temporary failure in name resolution", "unknown host name"),
        ("No route to host", "no route to host"),
        ("Network is unreachable", "network unreachable"),
    ):
        if marker in text:
            return reason
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return "not a valid address"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or any(
        marker in text for marker in ("Connection aborted", "RemoteDisconnected", "IncompleteRead", "Connection reset")
    ):
        return "the connection broke during the exchange"
    return "the connection failed"
