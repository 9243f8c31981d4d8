"""Down routes of the sync API: the change log, the snapshot manifest and its chunks (all signed).

docs/protocol.md, "Down: changes" and "Snapshots".  The change log itself is `publish`, the
snapshots `snapshots`; this module only speaks HTTP.  A page of changes is written by splicing
the stored canonical JSON of each entity into the answer (no parse and re-encode of a thousand
records per page); the Pydantic models below describe the same shape for OpenAPI.
"""

from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from . import publish, snapshots
from .app import JsonAnswer, error_response
from .auth import authenticated_device
from .devices import Device
from .errors import ApiError
from .state import HQ, get_hq

router = APIRouter(prefix="/api/v1", tags=["changes"])

SignedDevice = Annotated[Device, Depends(authenticated_device)]
Service = Annotated[HQ, Depends(get_hq)]

DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
SQLITE_INT_MAX = 2**63 - 1
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class ChangeEntry(BaseModel):
    version: int = Field(description="the version of this entity's last change")
    kind: str = Field(description="record, passage, workshop, list or device")
    key: str
    deleted: bool = Field(description="true: a tombstone, the entity was withdrawn")
    data: dict | None = Field(description="the entity (null for a tombstone)")


class ChangesPage(BaseModel):
    since: int = Field(description="the `since` asked")
    version: int = Field(description="the cursor: store it with this page and send it as the next `since`")
    latest: int = Field(description="headquarters' current version")
    more: bool = Field(description="true: ask again from `version`")
    changes: list[ChangeEntry]


class ChunkEntry(BaseModel):
    sha256: str
    size: int = Field(description="bytes of the gzip chunk")
    entities: int


class SnapshotManifest(BaseModel):
    format: str
    version: int = Field(description="the snapshot holds every entity up to this version")
    created_at: str
    device_id: str
    hq_key_id: str
    entities: int
    size: int
    chunks: list[ChunkEntry]


class SnapshotAnswer(BaseModel):
    manifest: SnapshotManifest
    signature: str = Field(description="document signature (kind `snapshot`) of the manifest, by headquarters")


def _snapshot_required(hq: HQ, reason: str) -> ApiError:
    snapshot = snapshots.ensure_snapshot(hq.db(), hq.now(), hq.config.chunk_bytes)
    return ApiError(410, "snapshot_required", reason, {"snapshot_version": snapshot.version})


@router.get(
    "/changes",
    response_model=ChangesPage,
    summary="Catalogue, schedule, agenda, lists and this bus's configuration changed after `since` (signed)",
    responses={410: {"description": "snapshot_required: since=0, or older than the retained log"}},
)
def get_changes(
    device: SignedDevice,
    hq: Service,
    since: Annotated[int, Query(ge=0, le=SQLITE_INT_MAX, description="the version the bus holds (0: nothing)")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="at most this many changes")] = DEFAULT_LIMIT,
) -> Response:
    db = hq.db()
    publish.publish_device_config(db, device, hq.now())  # a no-op unless enrolment or the admin changed it
    if since == 0:
        raise _snapshot_required(hq, "A new bus starts from the snapshot.")
    if since < publish.log_start(db):
        raise _snapshot_required(hq, "Changes that old are no longer kept; start from the snapshot.")
    latest = publish.current_version(db)
    if since > latest:
        raise _snapshot_required(hq, "This version was never published by headquarters; start from the snapshot.")
    if since > device.catalogue_version:
        publish.note_catalogue_version(db, device.device_id, since)
    entries, cursor, more = publish.changes_since(db, since, limit, device.device_id)
    latest = max(latest, cursor)
    body = (
        f'{{"since":{since},"version":{cursor},"latest":{latest},"more":{json.dumps(more)},"changes":['
        + ",".join(entry.to_json() for entry in entries)
        + "]}"
    )
    return Response(body.encode("utf-8"), media_type=JsonAnswer.media_type)


@router.get(
    "/snapshot",
    response_model=SnapshotAnswer,
    summary="The signed snapshot manifest for this bus (signed)",
)
def get_snapshot(device: SignedDevice, hq: Service) -> dict:
    return snapshots.device_manifest(hq, device)


class RangeNotSatisfiable(ValueError):
    """A Range header this server does not serve: not one `bytes=` range inside the file."""


def parse_range(header: str, size: int) -> tuple[int, int]:
    """(first, last) byte positions, inclusive, of a single `bytes=a-b`, `bytes=a-` or `bytes=-n`."""
    match = _RANGE.fullmatch(header.strip().replace(" ", ""))
    if not match or not (match.group(1) or match.group(2)):
        raise RangeNotSatisfiable("only one range, bytes=FIRST-LAST, bytes=FIRST- or bytes=-LENGTH, is served")
    first, last = match.group(1), match.group(2)
    if not first:  # the last n bytes
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable("an empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if not last else min(int(last), size - 1)
    if start >= size or (last and int(last) < start):
        raise RangeNotSatisfiable(f"the range starts after the end of the {size}-byte chunk")
    return start, end


@router.get(
    "/snapshot/chunks/{sha256}",
    response_class=Response,
    summary="One snapshot chunk, gzip; `Range: bytes=a-b` resumes a download (signed)",
    responses={
        200: {"content": {"application/gzip": {}}, "description": "the whole chunk"},
        206: {"content": {"application/gzip": {}}, "description": "the requested range (Content-Range)"},
        404: {"description": "not_found: no such chunk"},
        416: {"description": "range_not_satisfiable"},
    },
)
def get_chunk(
    sha256: str,
    device: SignedDevice,
    hq: Service,
    range_header: Annotated[str | None, Header(alias="Range")] = None,
) -> Response:
    db = hq.db()
    size = snapshots.chunk_size(db, sha256) if _SHA256.fullmatch(sha256) else None
    if size is None:
        raise ApiError(404, "not_found", "Headquarters has no snapshot chunk with this hash.")
    headers = {"Accept-Ranges": "bytes"}
    if range_header is None:
        data = snapshots.read_chunk(db, sha256)
        return Response(data, media_type="application/gzip", headers=headers)
    try:
        first, last = parse_range(range_header, size)
    except RangeNotSatisfiable as exc:
        return error_response(
            416,
            "range_not_satisfiable",
            f"The requested range cannot be served: {exc}.",
            {"size": size},
            headers={**headers, "Content-Range": f"bytes */{size}"},
        )
    data = snapshots.read_chunk(db, sha256, first, last - first + 1)
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return Response(data, status_code=206, media_type="application/gzip", headers=headers)
