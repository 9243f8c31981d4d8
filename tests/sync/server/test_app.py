"""sync.server.app: /health, OpenAPI, the one error shape, and a signature on every answer."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.testclient import TestClient

from numeribus_kiosk import __version__
from sync import protocol
from sync.server.app import ROUTER_MODULES, create_app
from sync.server.errors import ApiError


def verified(hq, answer, nonce: str | None = None) -> None:
    protocol.verify_response(
        protocol.load_public(hq.public_key), answer.status_code, nonce, answer.content, answer.headers
    )


def assert_error(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    body = answer.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_health(client, hq):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.json() == {
        "status": "ok",
        "api_version": 1,
        "version": __version__,
        "key_fingerprint": hq.fingerprint,
    }
    verified(hq, answer)


def test_answer_names_the_request_nonce(client, hq):
    nonce = protocol.new_nonce()
    answer = client.get("/health", headers={protocol.NONCE: nonce})
    verified(hq, answer, nonce)
    with pytest.raises(protocol.ProtocolError):
        verified(hq, answer, protocol.new_nonce())  # not the answer to another request
    with pytest.raises(protocol.ProtocolError):
        verified(hq, answer, None)


def test_openapi_and_docs(client, hq):
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["info"]["title"] == "Numéribus headquarters"
    assert schema["info"]["version"] == __version__
    assert {"/health", "/api/v1/enrol", "/api/v1/hello"} <= set(schema["paths"])
    assert schema["paths"]["/api/v1/hello"]["get"]["security"] == [{"numeribus-request-signature": []}]
    assert "security" not in schema["paths"]["/api/v1/enrol"]["post"]  # enrolment is not signed
    verified(hq, answer)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text
    verified(hq, docs)


def test_every_router_is_included(hq):
    app = create_app(hq)
    assert app.state.hq is hq
    assert ROUTER_MODULES == (
        "sync.server.routes_devices",
        "sync.server.routes_events",
        "sync.server.routes_changes",
        "sync.server.admin.site",
    )


def test_not_found_is_a_signed_json_error(client, hq):
    answer = client.get("/api/v1/nothing-here")
    assert_error(answer, 404, "not_found")
    verified(hq, answer)


def test_method_not_allowed_keeps_allow(client, hq):
    answer = client.delete("/health")
    assert_error(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "GET"
    verified(hq, answer)


def test_validation_errors_list_their_problems(client, hq):
    answer = client.post("/api/v1/enrol", json={"device_id": "", "public_key": 5})
    error = assert_error(answer, 422, "invalid_request")
    problems = error["details"]["problems"]
    assert all(isinstance(problem, str) for problem in problems)
    assert any(problem.startswith("device_id:") for problem in problems)
    assert any(problem.startswith("proof:") for problem in problems)
    verified(hq, answer)
    answer = client.post("/api/v1/enrol", content=b"{not json", headers={"Content-Type": "application/json"})
    assert_error(answer, 422, "invalid_request")
    verified(hq, answer)


# --- an app with extra routes, to reach the cases the real routes do not show -------------------


@pytest.fixture
def extra(hq, tmp_path: Path):
    app: FastAPI = create_app(hq)
    chunk = tmp_path / "chunk.gz"
    chunk.write_bytes(bytes(range(256)) * 40)

    @app.post("/test/boom")
    def boom(visitor: dict):
        raise RuntimeError(f"cannot store {visitor}")  # a message that quotes a visitor's data

    @app.get("/test/api-error")
    def api_error():
        raise ApiError(409, "sequence_conflict", "Conflict.", {"acknowledged": 3})

    @app.get("/test/stream")
    def stream():
        return StreamingResponse(iter([b"one,", b"two,", b"three"]), media_type="text/plain")

    @app.api_route("/test/file", methods=["GET", "HEAD"])
    def file():
        return FileResponse(chunk, media_type="application/gzip")

    with TestClient(app) as client:
        yield client, chunk.read_bytes()


def test_unexpected_error_is_a_signed_500_without_internals(extra, hq, caplog):
    client, _ = extra
    caplog.set_level(logging.DEBUG)
    answer = client.post("/test/boom", json={"name": "Jeanne Dupont", "contact": "06 12 34 56 78"})
    error = assert_error(answer, 500, "internal_error")
    assert "Jeanne" not in answer.text and "RuntimeError" not in answer.text
    verified(hq, answer)
    assert "RuntimeError" in caplog.text  # the developers get the kind of error and where
    assert "Jeanne" not in caplog.text and "06 12" not in caplog.text  # but never a visitor's data
    assert error["message"]


def test_api_error_has_the_shape_with_details(extra, hq):
    client, _ = extra
    answer = client.get("/test/api-error")
    error = assert_error(answer, 409, "sequence_conflict")
    assert error["details"] == {"acknowledged": 3}
    verified(hq, answer)


def test_streamed_answer_is_signed_over_all_its_body(extra, hq):
    client, _ = extra
    answer = client.get("/test/stream")
    assert answer.content == b"one,two,three"
    verified(hq, answer)


def test_file_and_range_answers_are_signed(extra, hq):
    client, data = extra
    whole = client.get("/test/file")
    assert whole.status_code == 200 and whole.content == data
    verified(hq, whole)
    part = client.get("/test/file", headers={"Range": "bytes=100-299"})
    assert part.status_code == 206
    assert part.content == data[100:300]
    assert part.headers["content-range"] == f"bytes 100-299/{len(data)}"
    assert part.headers["content-length"] == "200"
    verified(hq, part)
    tail = client.get("/test/file", headers={"Range": f"bytes={len(data) - 10}-"})
    assert tail.status_code == 206 and tail.content == data[-10:]
    verified(hq, tail)


def test_unsatisfiable_range_is_a_json_416(extra, hq):
    client, data = extra
    answer = client.get("/test/file", headers={"Range": f"bytes={len(data) + 5}-{len(data) + 10}"})
    assert_error(answer, 416, "range_not_satisfiable")
    assert answer.headers["content-range"] == f"bytes */{len(data)}"
    verified(hq, answer)


def test_head_answer_is_signed_over_what_is_sent(extra, hq):
    client, data = extra
    answer = client.head("/test/file")
    assert answer.status_code == 200
    assert answer.content == b""
    assert answer.headers["content-length"] == str(len(data))
    verified(hq, answer)
