"""The audit log of the mediator mode: who did what, and when (issue 4, item 9).

One row per action in ``mediator_audit`` (journal.db): the time (ISO 8601 with offset), the
mediator's name ("" before one is chosen), the action (one of `ACTIONS`), a target identifier
(a session or request id) and a short detail code.  It never holds personal data: the action is
checked against `ACTIONS`, and target and detail must look like identifiers or codes (letters,
digits and ``. : _ / -``, at most 64 characters), so a visitor's name or contact cannot be written
here by mistake.  The PIN is never recorded, right or wrong.

The log stays on the bus (`list_audit`, ``numeribus-kiosk mediator audit``); it is not an outbox
event.  No Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from ..journal.requests import JournalError, timestamp

ACTIONS = frozenset(
    {
        "pin.set",  # the PIN was set or changed (first-start screen, or the command line)
        "unlock",  # the right PIN: the mode opens
        "unlock.refused",  # a wrong PIN
        "unlock.locked",  # a series of wrong PINs locked the mode
        "lock",  # the mode closed; detail: "manual", "timeout" (2 min without a touch), "idle" (visitor reset)
        "mediator.chosen",  # the mediator named themselves
        "session.created",
        "session.updated",
        "session.deleted",
        "favourite.saved",
        "favourite.deleted",
        "request.handled",
        "export",  # detail: format and period, e.g. "ods 2026-11"
    }
)
_CODE = re.compile(r"[A-Za-z0-9.:_/-]{0,64}")
NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    mediator: str
    action: str
    target: str
    detail: str

    def to_dict(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at,
            "mediator": self.mediator,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


def _code(value: str | None, field: str) -> str:
    text = "" if value is None else str(value)
    if not _CODE.fullmatch(text):
        raise JournalError(f"audit {field} must be an identifier or a short code, not free text")
    return text


def record(
    db: sqlite_utils.Database,
    action: str,
    *,
    mediator: str = "",
    target: str | None = None,
    detail: str | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one action to the audit log (its own transaction, committed on return)."""
    if action not in ACTIONS:
        raise JournalError(f"unknown audit action {action!r}")
    name = " ".join(str(mediator or "").split())[:NAME_MAX]
    target_text, detail_text = _code(target, "target"), _code(detail, "detail")
    _now, stamp = timestamp(now)
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO mediator_audit (at, mediator, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            [stamp, name, action, target_text, detail_text],
        )
    return AuditEntry(cursor.lastrowid, stamp, name, action, target_text, detail_text)


def list_audit(db: sqlite_utils.Database, limit: int | None = None) -> list[AuditEntry]:
    """The audit log, oldest first (the last `limit` entries when given)."""
    sql = "SELECT seq, at, mediator, action, target, detail FROM mediator_audit ORDER BY seq DESC"
    params: list = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [AuditEntry(*row) for row in reversed(db.execute(sql, params).fetchall())]
