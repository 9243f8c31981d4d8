"""The headquarters web application: the sync API, the admin site, `/health` and OpenAPI.

`create_app(hq)` builds the FastAPI application around one `HQ`.  Two things hold for every
answer, whatever produced it (a route, a 404 from the router, a validation error, a bug):

- an error has the one JSON shape of `errors.error_body` (docs/protocol.md, "Errors");
- the answer is signed by headquarters' key (docs/protocol.md, "Signed answers"):
  `SignedAnswers` buffers the body, then adds `Numeribus-Key-Id`, `Numeribus-Digest` and
  `Numeribus-Signature` over the status, the request's `Numeribus-Nonce` and the body bytes.
"""

from __future__ import annotations

import importlib
import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from numeribus_kiosk import __version__

from .. import protocol
from .errors import ApiError, error_body
from .state import HQ

log = logging.getLogger(__name__)

# Modules whose `router` is included, in this order.
ROUTER_MODULES = (
    "sync.server.routes_devices",
    "sync.server.routes_events",
    "sync.server.routes_changes",
    "sync.server.admin.site",
)

# Stable codes for the HTTP errors the framework raises by itself.
HTTP_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "batch_too_large",
    416: "range_not_satisfiable",
    422: "invalid_request",
}
HTTP_MESSAGES = {
    404: "There is nothing at this address.",
    405: "This address does not take that method.",
    416: "The requested range is outside the file.",
}


class JsonAnswer(JSONResponse):
    """JSON with its charset spelled out, as docs/protocol.md says."""

    media_type = "application/json; charset=utf-8"


def error_response(status: int, code: str, message: str, details: dict | None = None, headers=None) -> JsonAnswer:
    return JsonAnswer(error_body(code, message, details), status_code=status, headers=headers)


def create_app(hq: HQ) -> FastAPI:
    app = FastAPI(
        title="Numéribus headquarters",
        version=__version__,
        description="The sync API between the numéribus buses and headquarters (docs/protocol.md), and the admin site.",
        default_response_class=JsonAnswer,
    )
    app.state.hq = hq

    @app.get("/health", tags=["service"], summary="Is the service up? (not signed by the bus)")
    def health() -> dict:
        return {
            "status": "ok",
            "api_version": protocol.API_VERSION,
            "version": __version__,
            "key_fingerprint": hq.fingerprint,
        }

    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)

    app.openapi = lambda: _openapi(app)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(SignedAnswers, hq=hq)
    return app


ERROR_SCHEMA = {
    "title": "Error",
    "description": "Every error answer (docs/protocol.md, 'Errors').",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "stable code, e.g. stale_request"},
                "message": {"type": "string", "description": "plain English, for logs and people"},
                "details": {"type": "object", "description": "depends on the code"},
            },
        }
    },
}
SIGNED_ERRORS = {
    "401": "unsigned_request, unknown_key, stale_request (details.server_time), digest_mismatch, bad_signature "
    "or replayed_request",
    "403": "device_revoked",
}


def _openapi(app: FastAPI) -> dict:
    """FastAPI's document, with the protocol's error shape for every error answer and the
    authentication errors listed on every signed operation."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                for status, description in SIGNED_ERRORS.items():
                    responses.setdefault(status, {"description": description})
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault("422", {"description": "invalid_request (details.problems)"})
            for status, response in responses.items():
                if status[0] in "45":
                    if response.get("description") == "Validation Error":
                        response["description"] = "invalid_request (details.problems)"
                    response["content"] = error_content
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = schema
    return schema


async def _api_error(request: Request, exc: ApiError) -> JsonAnswer:
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JsonAnswer:
    status = exc.status_code
    if status == 400:
        # FastAPI's "There was an error parsing the body" (a body that is not UTF-8...): the
        # protocol has one answer for a request of the wrong form, 422 invalid_request.
        detail = exc.detail if isinstance(exc.detail, str) else "the body cannot be read"
        return error_response(
            422, "invalid_request", "The request does not have the expected form.", {"problems": [f"body: {detail}"]}
        )
    code = HTTP_CODES.get(status, "internal_error" if status >= 500 else "invalid_request")
    detail = exc.detail if isinstance(exc.detail, str) else None
    message = HTTP_MESSAGES.get(status) or detail or "The request was refused."
    return error_response(status, code, message, headers=getattr(exc, "headers", None))


def describe_problem(error: dict) -> str:
    """One validation error of pydantic as one line: where, then what."""
    # ("body", 1) is the character position of a JSON decode error, not a place in the body
    loc = error.get("loc", ())
    parts = [str(part) for part in loc if part != "body"]
    if error.get("type") == "json_invalid":
        parts = []
    where = ".".join(parts) or "body"
    return f"{where}: {error.get('msg', 'invalid')}"


async def _validation_error(request: Request, exc: RequestValidationError) -> JsonAnswer:
    problems = [describe_problem(error) for error in exc.errors()]
    return error_response(
        422, "invalid_request", "The request does not have the expected form.", {"problems": problems}
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class SignedAnswers:
    """ASGI middleware: sign every HTTP answer; turn an unexpected exception into a signed 500.

    The body is buffered whole (streamed and ranged answers included: the digest covers the
    bytes actually sent); the answer to a HEAD request is signed over its empty body.
    """

    def __init__(self, app: ASGIApp, hq: HQ) -> None:
        self.app = app
        self.hq = hq

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A file sent by the server itself would bypass the buffer: ask for the body instead.
        extensions = scope.get("extensions")
        if extensions and "http.response.pathsend" in extensions:
            scope = dict(scope, extensions={k: v for k, v in extensions.items() if k != "http.response.pathsend"})
        nonce = _header(scope, protocol.NONCE.lower().encode("ascii")) or None
        head = scope.get("method", "").upper() == "HEAD"
        start: Message | None = None
        chunks: list[bytes] = []
        sent = False

        async def buffered_send(message: Message) -> None:
            nonlocal start, sent
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            sent = True
            await self._send_signed(send, start, b"".join(chunks), nonce, head=head)

        try:
            await self.app(scope, receive, buffered_send)
        except Exception as exc:
            if sent:
                raise
            # The traceback without the exception's text: it could quote what a visitor typed.
            log.error(
                "unexpected error answering %s %s: %s\n%s",
                scope.get("method"),
                scope.get("path"),
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            answer = error_response(500, "internal_error", "Headquarters met an unexpected error; it is logged.")
            start = {"type": "http.response.start", "status": answer.status_code, "headers": answer.raw_headers}
            await self._send_signed(send, start, answer.body, nonce, head=head)
            return
        if not sent and start is not None:  # the app ended without a last body message
            await self._send_signed(send, start, b"".join(chunks), nonce, head=head)

    async def _send_signed(
        self, send: Send, start: Message, body: bytes, nonce: str | None, *, head: bool = False
    ) -> None:
        status = start["status"]
        headers = list(start.get("headers", ()))
        if status >= 400 and not _is_json(headers) and not _is_html(headers):
            # An error written by the framework in plain text (a bad Range...): the one JSON shape.
            # (The admin site's French error pages are HTML and stay as they are.)
            status, headers, body = _as_json_error(status, headers, body)
        if head:
            body = b""  # what is sent; the Content-Length stays the one a GET would get
        signature = protocol.sign_response(self.hq.key, status, nonce, body)
        names = {name.lower().encode("ascii") for name in signature}
        headers = [(k, v) for k, v in headers if k.lower() not in names]
        headers += [(name.lower().encode("ascii"), value.encode("ascii")) for name, value in signature.items()]
        await send(dict(start, status=status, headers=headers))
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _is_html(headers) -> bool:
    for key, value in headers:
        if key.lower() == b"content-type":
            return value.split(b";")[0].strip().lower() == b"text/html"
    return False


def _is_json(headers) -> bool:
    for key, value in headers:
        if key.lower() == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/json"
    return False


def _as_json_error(status: int, headers, body: bytes) -> tuple[int, list, bytes]:
    text = body.decode("utf-8", "replace").strip()
    code = HTTP_CODES.get(status, "internal_error" if status >= 500 else "invalid_request")
    message = HTTP_MESSAGES.get(status) or (text[:200] if text and status < 500 else "The request was refused.")
    answer = error_response(status, code, message)
    kept = [(k, v) for k, v in headers if k.lower() not in (b"content-type", b"content-length")]
    return status, kept + answer.raw_headers, answer.body
