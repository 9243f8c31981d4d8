"""``POST /api/v1/events``: a bus uploads its outbox events (docs/protocol.md, "Up: events").

The body is checked by pydantic (so OpenAPI documents it), then by `events.ingest`, which does
the work in one transaction.  Answers: 200 ``{"acknowledged", "results"}``; 409
``sequence_conflict`` with that same object as ``details`` when an event conflicted (the rest of
the batch is committed); 413 ``batch_too_large`` beyond 500 events; 403 ``wrong_device`` when the
body names another device (nothing stored, an alarm on the admin site); 422 ``invalid_request``
for a malformed batch.  A plain ``def`` route: FastAPI runs it on its thread pool.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from .. import protocol
from . import events
from .auth import authenticated_device
from .devices import Device
from .errors import ApiError
from .state import HQ, get_hq

router = APIRouter(tags=["sync"])

Text = Annotated[StrictStr, Field(max_length=events.TEXT_FIELD_MAX)]


class OutboxEventIn(BaseModel):
    """One outbox event, as the bus's journal wrote it (`numeribus_kiosk.journal.outbox.OutboxEvent`)."""

    model_config = ConfigDict(extra="forbid")

    seq: StrictInt = Field(ge=1, le=events.SQLITE_INT_MAX, description="the bus's gapless sequence number")
    device_id: Text | None = Field(default=None, description="optional; when given, the sending device's id")
    kind: Text = Field(description="session.created, request.created, usage.daily...")
    entity_id: Text
    device_time: Text = Field(description="the bus's time when the event was written (ISO 8601)")
    payload: dict[str, Any]
    hash: Text = Field(description="SHA-256 of the event (numeribus_kiosk.journal.outbox.event_hash)")


class EventsBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: Text = Field(description="the sending device's journal device id")
    catalogue_version: StrictInt | None = Field(
        default=None, ge=0, le=events.SQLITE_INT_MAX, description="the catalogue version the bus holds"
    )
    events: list[OutboxEventIn] = Field(description=f"at most {protocol.MAX_EVENTS_PER_BATCH}, in any order")


class EventResult(BaseModel):
    seq: int
    status: Literal["stored", "duplicate", "conflict", "quarantined"]
    reason: str | None = Field(default=None, description="why an event was quarantined")


class EventsAnswer(BaseModel):
    acknowledged: int = Field(description="the highest contiguous sequence number headquarters holds")
    results: list[EventResult]


def _as_dict(event: OutboxEventIn) -> dict:
    # Built by hand: the payload must reach the hash check exactly as received (nulls included).
    data = {
        "seq": event.seq,
        "kind": event.kind,
        "entity_id": event.entity_id,
        "device_time": event.device_time,
        "payload": event.payload,
        "hash": event.hash,
    }
    if event.device_id is not None:
        data["device_id"] = event.device_id
    return data


@router.post(
    "/api/v1/events",
    summary="Upload outbox events (signed)",
    response_model=EventsAnswer,
    response_model_exclude_none=True,
    responses={
        403: {"description": "wrong_device: the events name another device (or device_revoked)"},
        409: {"description": "sequence_conflict: details is the normal answer; the rest was committed"},
        413: {"description": "batch_too_large: more than 500 events"},
        422: {"description": "invalid_request: a malformed batch; nothing stored"},
    },
)
def post_events(
    batch: EventsBatch,
    device: Annotated[Device, Depends(authenticated_device)],
    hq: Annotated[HQ, Depends(get_hq)],
) -> dict:
    if len(batch.events) > protocol.MAX_EVENTS_PER_BATCH:
        raise ApiError(
            413,
            "batch_too_large",
            f"A batch holds at most {protocol.MAX_EVENTS_PER_BATCH} events ({len(batch.events)} sent).",
        )
    db = hq.db()
    now = hq.now()
    if batch.device_id != device.device_id:
        events.wrong_device_alarm(db, device.device_id, now)
        raise ApiError(403, "wrong_device", "The batch names another device; nothing was stored.")
    try:
        result = events.ingest(
            db,
            device.device_id,
            [_as_dict(event) for event in batch.events],
            now,
            via="api",
            catalogue_version=batch.catalogue_version,
        )
    except events.EventsError as exc:
        raise ApiError(exc.status, exc.code, exc.message, exc.details) from None
    if result.conflicts:
        raise ApiError(
            409,
            "sequence_conflict",
            f"{result.conflicts} event(s) reuse a sequence number with another content; the rest was stored.",
            result.answer(),
        )
    return result.answer()
