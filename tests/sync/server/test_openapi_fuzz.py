"""Schemathesis over headquarters' OpenAPI schema (issue 5, item 11): no answer is a 5xx.

Every operation of ``/openapi.json`` is fuzzed twice, in-process (schemathesis's ASGI transport):

- **unsigned**, as schemathesis makes the requests (it also makes up the declared signature
  header): no 5xx; every answer signed by headquarters; every error answer in the one JSON shape
  of docs/protocol.md ("Errors"), with a code of its list and that code's status; and
  schemathesis's `CHECKS` against the schema;
- **signed** by an enrolled bus (`SignedAs` signs the exact bytes sent), so that the handlers'
  bodies run: the same checks.  About three cases in four are steered (`steer`) towards what
  exists at headquarters: the bus's own device id in event batches, events of a known kind with a
  matching hash, a ``since`` inside the published log, real snapshot chunks and well-formed
  ranges.  The test of an operation fails if, enrolment aside, it never answered 2xx: the fuzzing
  must reach the handlers, not only the authentication.

The tests at the end check the document itself: every error answer has the protocol's shape,
signed operations list their 401/403, and a body that is not UTF-8 is a 422 like any other
request of the wrong form.

The admin site's routes are left out of the schema (``include_in_schema=False`` in
sync/server/admin/site.py), so they are not fuzzed here; the sync API is, whole
(`test_the_schema_lists_every_endpoint_of_the_protocol`).

The schema is loaded once, at import, from ``create_app`` on a throwaway HQ (it describes code,
not data); each test sends its requests to the app of its own ``hq`` fixture, one per
operation, shared by that operation's examples as a running server's would be.  Deterministic:
schemathesis's ``deterministic`` generation (Hypothesis ``derandomize``) with a fixed seed, no
example database, bounded ``max-examples``; no wall-clock assertion (schemathesis gives
Hypothesis ``deadline=None``).
"""

from __future__ import annotations

import json
import re
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from numeribus_kiosk.journal.outbox import event_hash
from sync import protocol
from sync.server import devices, events, publish, snapshots
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.signing import EnrolledDevice

PROTOCOL_DOC = Path(__file__).resolve().parents[3] / "docs" / "protocol.md"

# Per operation and pass: schemathesis's coverage cases (boundaries, missing and malformed
# parameters, undocumented methods), then up to MAX_EXAMPLES generated cases.
MAX_EXAMPLES = 25

# Left out of CHECKS: positive_data_acceptance (schema-valid requests are refused by design:
# 410 snapshot_required for an old `since`, 403 wrong_device, 409 sequence_conflict, 416 for a
# range outside a chunk); response_headers_conformance (the schema documents no response
# header); missing_required_header (no header parameter is required); ignored_auth (it re-sends
# cases without their credentials, which `SignedAs` adds after schemathesis; unsigned requests
# are the first pass, and tests/sync/server/test_auth.py); use_after_free and
# ensure_resource_availability (stateful, and the schema declares no links); max_response_time
# (a wall-clock threshold).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
    allow_header_conformance,
]


def schemathesis_config(*, security_parameters: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20260511,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # whether schemathesis makes up the declared security header (Numeribus-Signature)
                "with-security-parameters": security_parameters,
            },
            # Stateful testing needs links between operations, which the schema does not declare.
            "phases": {"stateful": {"enabled": False}},
        }
    )


def load_schema(config: schemathesis.Config) -> schemathesis.BaseSchema:
    """The OpenAPI schema as headquarters serves it at /openapi.json, from an app on a throwaway HQ."""
    with tempfile.TemporaryDirectory() as tmp:
        service = HQ(Path(tmp) / "hq")
        try:
            return schemathesis.openapi.from_asgi("/openapi.json", create_app(service), config=config)
        finally:
            service.close()


# Unsigned pass: schemathesis also makes up (or leaves out) the signature header.
SCHEMA = load_schema(schemathesis_config(security_parameters=True))
# Signed pass: `SignedAs` signs every request, so a case "without" the header would be a lie.
SIGNED_SCHEMA = load_schema(schemathesis_config(security_parameters=False))


@pytest.fixture(autouse=True)
def stop_lifespans():
    """Schemathesis's ASGI transport keeps each app's lifespan (so the app and its HQ) alive for
    the rest of the process unless told to stop them."""
    yield
    shutdown_lifespans()


# --- the contract --------------------------------------------------------------------------------


def protocol_error_statuses(text: str) -> dict[str, int]:
    """{code: HTTP status} from docs/protocol.md: the table of the authentication checks, then the
    "Codes:" paragraph of "Errors" (`code`, `code` (403); `code` (409: ...); ...)."""
    table_row = r"^\|[^|\n]*\|\s*(\d{3})\s*\|\s*`(\w+)`\s*\|$"
    statuses = {code: int(status) for status, code in re.findall(table_row, text, re.M)}
    paragraph = re.search(r"^Codes: (.*?)\n\n", text, re.S | re.M)
    assert paragraph, "docs/protocol.md has no 'Codes:' paragraph"
    for part in paragraph.group(1).split(";"):
        before, paren, after = part.partition("(")
        status = re.match(r"\s*(\d{3})", after)
        if paren and status:
            for code in re.findall(r"`(\w+)`", before):
                statuses[code] = int(status.group(1))
    return statuses


ERROR_STATUSES = protocol_error_statuses(PROTOCOL_DOC.read_text(encoding="utf-8"))


def test_the_error_codes_are_read_from_the_protocol():
    assert len(ERROR_STATUSES) == 20
    assert ERROR_STATUSES["unsigned_request"] == 401
    assert ERROR_STATUSES["device_revoked"] == 403
    assert ERROR_STATUSES["replayed_request"] == 401
    assert ERROR_STATUSES["pairing_code_expired"] == 403
    assert ERROR_STATUSES["device_exists"] == 409
    assert ERROR_STATUSES["invalid_request"] == 422
    assert ERROR_STATUSES["range_not_satisfiable"] == 416
    assert ERROR_STATUSES["internal_error"] == 500


def operation_labels(schema: schemathesis.BaseSchema) -> set[str]:
    return {f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()}


def test_the_schema_lists_every_endpoint_of_the_protocol(client):
    endpoints = re.findall(r"^\| `([A-Z]+ /[^`?\s]*)", PROTOCOL_DOC.read_text(encoding="utf-8"), re.M)
    assert len(endpoints) == 7
    assert operation_labels(SCHEMA) == operation_labels(SIGNED_SCHEMA) == set(endpoints)
    # what is fuzzed is the schema that the tests' apps serve
    assert client.get("/openapi.json").json() == SCHEMA.raw_schema == SIGNED_SCHEMA.raw_schema


# --- what every answer must be -------------------------------------------------------------------


def request_body(response: schemathesis.Response) -> bytes:
    body = response.request.body or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def describe(response: schemathesis.Response) -> str:
    request = response.request
    sent = f"{request.method} {request.path_url} {request_body(response)[:300]!r}"
    return f"{sent} -> {response.status_code} {response.content[:300]!r}"


def check_answer(hq: HQ, response: schemathesis.Response, nonce: str | None) -> None:
    """No 5xx; signed by headquarters for this request; an error has the protocol's shape and code."""
    assert response.status_code < 500, describe(response)
    headers = {}
    for name in (protocol.KEY_ID, protocol.DIGEST, protocol.SIGNATURE):
        values = response.headers.get(name.lower(), [])
        assert len(values) == 1, f"{name}: {values}; {describe(response)}"
        headers[name] = values[0]
    protocol.verify_response(
        protocol.load_public(hq.public_key), response.status_code, nonce, response.content, headers
    )
    if response.status_code < 400:
        return
    assert response.headers.get("content-type") == ["application/json; charset=utf-8"], describe(response)
    body = json.loads(response.content)
    assert set(body) == {"error"}, describe(response)
    error = body["error"]
    assert {"code", "message"} <= set(error) <= {"code", "message", "details"}, describe(response)
    assert isinstance(error["message"], str) and error["message"], describe(response)
    assert isinstance(error.get("details", {}), dict), describe(response)
    assert error["code"] in ERROR_STATUSES, describe(response)
    assert response.status_code == ERROR_STATUSES[error["code"]], describe(response)
    if error["code"] == "invalid_request" and response.status_code == 422:
        problems = error.get("details", {}).get("problems")
        assert problems and all(isinstance(p, str) and p for p in problems), describe(response)


def validate(case, response: schemathesis.Response) -> None:
    case.validate_response(response, checks=CHECKS)


# --- pass 1: unsigned, as schemathesis makes the requests ----------------------------------------


# The fixtures are made once per operation and shared by its examples, as a running server's
# state would be: hence the suppressed Hypothesis health check (in both passes).
@SCHEMA.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_unsigned_requests_never_get_a_server_error(case, client, hq):
    response = case.call(app=client.app)
    check_answer(hq, response, response.request.headers.get(protocol.NONCE) or None)
    validate(case, response)


# --- pass 2: signed by an enrolled bus -----------------------------------------------------------


class SignedAs(requests.auth.AuthBase):
    """Sign a request as `device`, over exactly what is sent: method, path and query string as
    encoded on the wire, body bytes.  (A `requests` auth runs on the prepared request, once the
    body is serialized; schemathesis's auth providers run earlier, on the case.)"""

    def __init__(self, device: EnrolledDevice) -> None:
        self.device = device

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        created = int(self.device.clock().timestamp())
        request.headers.update(protocol.sign_request(self.device.key, request.method, request.path_url, body, created))
        return request


@pytest.fixture
def published(hq, device) -> list[str]:
    """A small published log (lists, the bus's configuration, records, a tombstone) and its
    snapshot; returns the SHA-256 of the chunks of the bus's manifest."""
    db = hq.db()
    now = hq.now()
    publish.refresh_configuration(hq)
    for n in range(3):
        publish.put(db, "record", f"fuzz-{n}", {"id": f"fuzz-{n}", "title": f"Titre {n}"}, now)
    publish.remove(db, "record", "fuzz-0", now)
    answer = snapshots.device_manifest(hq, devices.get_device(db, device.device_id))
    return [chunk["sha256"] for chunk in answer["manifest"]["chunks"]]


@dataclass
class Answers:
    """The statuses that one operation's examples got (a test item is one operation)."""

    operation: str = ""
    statuses: Counter = field(default_factory=Counter)


@pytest.fixture
def signed_answers():
    answers = Answers()
    yield answers
    # Enrolment needs the HMAC of a pairing code, which fuzzing cannot make (tests/sync/server/
    # test_devices.py enrols); every other operation must have answered 2xx at least once.
    if answers.operation and answers.operation != "POST /api/v1/enrol":
        assert any(200 <= status < 300 for status in answers.statuses), (answers.operation, answers.statuses)


def choice(case, salt: object, count: int) -> int:
    """A number in range(count) that depends only on the generated case and `salt`: the steering
    of a case is as deterministic as its generation."""
    body = None if isinstance(case.body, NotSet) else case.body
    text = json.dumps(
        [case.method, case.path_parameters, case.query, dict(case.headers or {}), body, str(salt)],
        sort_keys=True,
        default=repr,
    )
    return zlib.crc32(text.encode("utf-8")) % count


def steer(case, hq: HQ, device: EnrolledDevice, chunks: list[str]) -> None:
    """Point about three cases in four at what exists at headquarters; the rest stay as generated."""
    if case.path == "/api/v1/snapshot/chunks/{sha256}" and choice(case, "chunk", 4):
        case.path_parameters = {**case.path_parameters, "sha256": chunks[choice(case, "which", len(chunks))]}
        if case.headers and "Range" in case.headers and choice(case, "range", 2):
            first, last = choice(case, "first", 700), choice(case, "last", 700)
            form = choice(case, "form", 3)
            ranges = (f"bytes={first}-{first + last}", f"bytes={first}-", f"bytes=-{last}")
            case.headers = {**case.headers, "Range": ranges[form]}
    elif case.path == "/api/v1/changes" and isinstance(case.query, dict) and choice(case, "since", 4):
        latest = publish.current_version(hq.db())
        case.query = {**case.query, "since": 1 + choice(case, "version", latest)}
    elif case.path == "/api/v1/events" and isinstance(case.body, dict) and choice(case, "device", 4):
        batch = json.loads(json.dumps(case.body))
        batch["device_id"] = device.device_id
        batch_events = batch.get("events")
        for n, event in enumerate(batch_events if isinstance(batch_events, list) else []):
            if not isinstance(event, dict):
                continue
            if "device_id" in event:
                event["device_id"] = device.device_id
            seq, entity_id, device_time, payload = (
                event.get(k) for k in ("seq", "entity_id", "device_time", "payload")
            )
            well_typed = type(seq) is int and isinstance(entity_id, str) and isinstance(device_time, str)
            if well_typed and isinstance(payload, dict) and choice(case, n, 4):
                # a known kind and the hash of the event as sent: its payload is what gets checked
                event["kind"] = events.KINDS[choice(case, ("kind", n), len(events.KINDS))]
                event["hash"] = event_hash(device.device_id, seq, event["kind"], entity_id, device_time, payload)
        case.body = batch


@SIGNED_SCHEMA.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_signed_requests_never_get_a_server_error(case, client, hq, device, published, signed_answers):
    steer(case, hq, device, published)
    response = case.call(app=client.app, auth=SignedAs(device))
    signed_answers.operation = case.operation.label
    signed_answers.statuses[response.status_code] += 1
    check_answer(hq, response, response.request.headers[protocol.NONCE])
    validate(case, response)


# --- the error answers, as documented --------------------------------------------------------------


def is_signed_operation(method: str, path: str) -> bool:
    return bool(SCHEMA.raw_schema["paths"][path][method.lower()].get("security"))


def test_signed_operations_document_their_authentication_errors():
    undocumented = [
        f"{method.upper()} {path}: {sorted({'401', '403'} - set(operation['responses']))}"
        for path, operations in SCHEMA.raw_schema["paths"].items()
        for method, operation in operations.items()
        if is_signed_operation(method, path) and not {"401", "403"} <= set(operation["responses"])
    ]
    assert not undocumented


def test_documented_errors_have_the_protocols_shape():
    def error_schema(response: dict) -> dict | None:
        content = response.get("content") or {}
        media = next((value for key, value in content.items() if key.startswith("application/json")), None)
        schema = (media or {}).get("schema")
        if schema and "$ref" in schema:
            schema = SCHEMA.raw_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    wrong = []
    for path, operations in SCHEMA.raw_schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                schema = error_schema(response) if status.startswith("4") else None
                if status.startswith("4") and (schema is None or "error" not in schema.get("required", [])):
                    wrong.append(f"{method.upper()} {path} {status}")
    assert not wrong
