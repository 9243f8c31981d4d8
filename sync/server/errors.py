"""The one JSON shape of every error answer (docs/protocol.md, "Errors")."""

from __future__ import annotations


class ApiError(Exception):
    """An error answer: HTTP status, stable `code`, plain-English `message`, optional `details`."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> dict:
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    error: dict = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}
