"""Up: the bus's outbox to headquarters (docs/protocol.md, "Up: events"; docs/sync-agent.md, "Upload").

`upload(journal_db, client)` sends the outbox events headquarters does not hold yet:

1. personal data already acknowledged but not yet deleted (a power cut between an
   acknowledgement and the purge) is deleted first;
2. ``outbox.pending`` gives the waiting events in sequence order, at most 500 per batch
   (``protocol.MAX_EVENTS_PER_BATCH``); every event must carry this bus's device id;
3. ``POST /api/v1/events``; headquarters answers with the highest contiguous sequence number it
   holds (``acknowledged``) and one result per event.  A 409 ``sequence_conflict`` carries the
   same answer in its details: the rest of the batch was committed and the conflicts raised an
   alarm on headquarters' admin site, so the bus reports them and goes on;
4. quarantined events (headquarters holds them but could not use them) are written to the
   quarantine log (`QUARANTINE_FILE` in the data directory) BEFORE the acknowledgement, so that
   a retry after a crash (which headquarters answers ``duplicate``) cannot lose the report;
   they are never sent again: headquarters counts them as received, the acknowledgement moves
   past them;
5. ``outbox.acknowledge`` up to what headquarters acknowledged, and only that far; then
   ``requests.purge_acknowledged_personal_data`` deletes the visitors' names and contacts that
   headquarters now holds.

A batch whose acknowledgement does not reach its last event (headquarters holds less than the bus
sent: it was restored from an older backup) ends the upload, incomplete, rather than sending the
same batch again and again.

Nothing here logs a payload: log lines carry counts and sequence numbers only.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from numeribus_kiosk.journal import outbox
from numeribus_kiosk.journal import requests as journal_requests

from .. import protocol
from .http import HQClient, HQError

logger = logging.getLogger(__name__)

QUARANTINE_FILE = "sync-quarantine.json"
QUARANTINE_KEEP = 200  # entries kept in the log (the oldest go first; headquarters keeps them all)


class UploadError(Exception):
    """The upload cannot go on; the message says why in one sentence.

    ``reason`` is a round reason code (`sync.agent.round.ROUND_REASONS`): ``identity`` when the
    journal or its events belong to another device than the enrolled one (enrol again), ``failed``
    for an answer of headquarters that is signed but not in the expected form."""

    def __init__(self, message: str, *, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(slots=True)
class UploadReport:
    sent: int = 0  # events posted (a retry counts again)
    acknowledged: int = 0  # events newly marked held by headquarters on the bus
    acknowledged_seq: int = 0  # the highest contiguous sequence number headquarters holds
    quarantined: list[dict] = field(default_factory=list)  # [{"seq", "kind", "reason"}]
    conflicts: list[int] = field(default_factory=list)  # sequence numbers headquarters holds with another content
    purged: int = 0  # requests and offers whose personal data was deleted
    batches: int = 0
    complete: bool = False

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# --- the quarantine log ------------------------------------------------------------------------


def load_quarantine(data_dir: Path) -> list[dict]:
    """The quarantined events reported so far, oldest first: ``[{"seq", "kind", "reason", "at"}]``.

    An unreadable log is reported as empty (headquarters holds the authoritative list)."""
    path = Path(data_dir) / QUARANTINE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = data.get("events") if isinstance(data, dict) else None
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def record_quarantine(data_dir: Path, entries: list[dict], now: datetime | None = None) -> None:
    """Add `entries` (``{"seq", "kind", "reason"}``) to the log, once per seq; written atomically."""
    if not entries:
        return
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    by_seq = {e.get("seq"): e for e in load_quarantine(data_dir)}
    for entry in entries:
        by_seq.setdefault(entry["seq"], {**entry, "at": stamp})
    kept = sorted(by_seq.values(), key=lambda e: e.get("seq") if isinstance(e.get("seq"), int) else 0)
    text = json.dumps({"events": kept[-QUARANTINE_KEEP:]}, ensure_ascii=False, indent=2) + "\n"
    path = Path(data_dir) / QUARANTINE_FILE
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


# --- the upload ----------------------------------------------------------------------------------


def _check_answer(answer: object) -> tuple[int, list[dict]]:
    if not isinstance(answer, dict) or not isinstance(answer.get("acknowledged"), int):
        raise UploadError("Headquarters' answer to the upload has no acknowledgement; nothing was marked sent.")
    results = answer.get("results")
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise UploadError("Headquarters' answer to the upload has no results; nothing was marked sent.")
    return answer["acknowledged"], results


def upload(
    journal_db: sqlite_utils.Database,
    client: HQClient,
    *,
    device_id: str | None = None,
    catalogue_version: int | None = None,
    batch: int = protocol.MAX_EVENTS_PER_BATCH,
    quarantine_dir: Path | None = None,
) -> UploadReport:
    """Send the outbox to headquarters; raises HQError/HQUnreachable/HQUntrusted/UploadError.

    `device_id` is the enrolled identity's (default: the journal's own); every event must carry it.
    `quarantine_dir` is where the quarantine log is written (the data directory; None: not kept).
    """
    if not 1 <= batch <= protocol.MAX_EVENTS_PER_BATCH:
        raise ValueError(f"batch must be between 1 and {protocol.MAX_EVENTS_PER_BATCH}")
    journal_device = outbox.device_id(journal_db)
    if device_id is None:
        device_id = journal_device
    elif journal_device != device_id:
        raise UploadError(
            f"This journal belongs to device {journal_device}, but the bus is enrolled as {device_id}: "
            "enrol the bus again (numeribus-kiosk enrol --force); nothing was sent.",
            reason="identity",
        )
    report = UploadReport()
    report.purged += journal_requests.purge_acknowledged_personal_data(journal_db)
    while True:
        events = outbox.pending(journal_db, batch)
        if not events:
            report.complete = True
            break
        strangers = sorted({e.seq for e in events if e.device_id != device_id})
        if strangers:
            raise UploadError(
                f"Outbox event {strangers[0]} names another device than this bus ({device_id}); nothing more was sent.",
                reason="identity",
            )
        body: dict = {"device_id": device_id, "events": [dataclasses.asdict(e) for e in events]}
        if catalogue_version is not None:
            body["catalogue_version"] = catalogue_version
        try:
            _, answer, _ = client.request("POST", "/api/v1/events", json=body)
        except HQError as exc:
            if exc.code != "sequence_conflict":
                raise
            answer = exc.details  # the rest of the batch was committed; the same answer
        report.sent += len(events)
        report.batches += 1
        acknowledged, results = _check_answer(answer)
        kinds = {e.seq: e.kind for e in events}
        quarantined = [
            {"seq": r.get("seq"), "kind": kinds.get(r.get("seq"), ""), "reason": str(r.get("reason") or "")}
            for r in results
            if r.get("status") == "quarantined"
        ]
        conflicts = [r.get("seq") for r in results if r.get("status") == "conflict"]
        if quarantined and quarantine_dir is not None:
            record_quarantine(quarantine_dir, quarantined)
        report.quarantined += quarantined
        report.conflicts += [seq for seq in conflicts if isinstance(seq, int)]
        if conflicts:
            logger.info("headquarters holds %d sequence number(s) with another content: %s", len(conflicts), conflicts)
        if quarantined:
            logger.info("headquarters quarantined event(s) %s", [q["seq"] for q in quarantined])
        # Only up to what headquarters holds, and never past what the bus sent.
        up_to = min(acknowledged, events[-1].seq)
        report.acknowledged_seq = acknowledged
        report.acknowledged += outbox.acknowledge(journal_db, up_to)
        report.purged += journal_requests.purge_acknowledged_personal_data(journal_db)
        if acknowledged < events[-1].seq:
            logger.info(
                "headquarters holds events up to %d only, the batch went up to %d", acknowledged, events[-1].seq
            )
            break
    if report.purged:
        # The freed pages are zeroed (secure_delete); old page images may linger in the WAL until then.
        journal_requests.forget_purged_pages(journal_db)
    logger.info(
        "upload: %d event(s) sent in %d batch(es), %d acknowledged, %d quarantined, %d conflict(s), complete: %s",
        report.sent,
        report.batches,
        report.acknowledged,
        len(report.quarantined),
        len(report.conflicts),
        report.complete,
    )
    return report
