"""One full sync round: upload, then download (docs/sync-agent.md, "A sync round").

`sync_once(data_dir)`:

1. the bus's identity (`load_identity`): its key, headquarters' pinned key, the enrolled address
   (``hq_url`` overrides the address, never the pinned key);
2. journal.db and catalogue.db are opened with `numeribus_kiosk.store` (and closed at the end);
3. up first (`upload.upload`): what only the bus knows matters most, and a short link should
   carry it before anything else;
4. then down (`download.download`): the change log, or the snapshot when headquarters asks for it.

A round that cannot finish raises `RoundError`, whose message says why in one plain sentence
(not enrolled, headquarters unreachable, an answer not signed by the pinned key, a refusal by
headquarters with its code, a catalogue change refused...), whose ``reason`` says it as one of
`ROUND_REASONS` (for the kiosk's own words, in French) and whose ``report`` holds what was
done before the failure: an upload that completed stays done, a download stops after the last
page it applied.  An interrupted snapshot download is resumed by the next round.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes
from numeribus_kiosk.settings import load_settings

from .download import DownloadError, DownloadReport, download
from .enrol import EnrolError, normalise_url
from .http import HQClient, HQError, HQUnreachable, HQUntrusted, _reason
from .identity import IdentityError, load_identity
from .upload import UploadError, UploadReport, upload

logger = logging.getLogger(__name__)

# What headquarters' refusals mean for the bus, in plain words (docs/protocol.md, "Errors").
REFUSALS = {
    "unknown_key": "Headquarters does not know this bus's key: enrol the bus again "
    "(numeribus-sync device add NAME, then numeribus-kiosk enrol --force).",
    "device_revoked": "This bus was revoked at headquarters: it can sync again only once enrolled again "
    "with a new pairing code.",
    "bad_signature": "Headquarters does not accept this bus's signature: enrol the bus again "
    "(numeribus-kiosk enrol --force).",
    "wrong_device": "Headquarters refused the upload: the events name another device than this bus's enrolment.",
}


# Why a round failed or ended incomplete, for a program (`RoundError.reason`, `RoundReport.reason`);
# the messages are plain English sentences for the command line.  docs/sync-agent.md, "A sync round".
ROUND_REASONS = (
    "not_enrolled",  # no identity in the data directory
    "identity",  # the enrolment files are damaged or unreadable, or belong to another journal
    "bad_url",  # the address given is not a headquarters address
    "storage",  # the bus's own files (journal.db, catalogue.db, the sync folder) cannot be used
    "unreachable",  # no answer from headquarters, or the connection broke
    "untrusted",  # an answer or a snapshot manifest not signed by the pinned key
    "revoked",  # device_revoked: the bus must be enrolled again with a new pairing code
    "unknown_key",  # unknown_key / bad_signature: enrol the bus again
    "clock",  # stale_request even after correcting the clock
    "not_hq",  # an answer no numéribus headquarters gives (HTTP errors without its error body...)
    "refused",  # any other refusal by headquarters (its code is in the message)
    "catalogue_refused",  # what headquarters sent was refused by the bus; the catalogue was kept
    "not_acknowledged",  # headquarters holds fewer of this bus's events than were sent
    "snapshot_deferred",  # a snapshot was needed and allow_snapshot was False
    "failed",  # anything else
)


class RoundError(Exception):
    """A round that did not complete; the message says why in one sentence, ``reason`` (one of
    `ROUND_REASONS`) says it for a program."""

    def __init__(self, message: str, report: RoundReport | None = None, *, reason: str = "failed") -> None:
        super().__init__(message)
        self.report = report
        self.reason = reason


@dataclass(slots=True)
class RoundReport:
    hq_url: str
    device_id: str
    name: str
    started_at: str
    finished_at: str = ""
    upload: UploadReport | None = None
    download: DownloadReport | None = None
    error: str | None = None
    reason: str | None = None  # one of ROUND_REASONS when `error` is set, else None

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.upload is not None
            and self.upload.complete
            and self.download is not None
            and self.download.complete
        )

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "hq_url": self.hq_url,
            "device_id": self.device_id,
            "name": self.name,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "upload": self.upload.to_dict() if self.upload else None,
            "download": self.download.to_dict() if self.download else None,
            "error": self.error,
            "reason": self.reason,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def describe(exc: BaseException, step: str, url: str, path: Path | None = None) -> str:
    """One plain sentence for an exception met during `step` ("upload" or "download"); `path`: the
    database the step writes."""
    if isinstance(exc, HQUnreachable | HQUntrusted | UploadError | DownloadError):
        if isinstance(exc, HQUntrusted) and "manifest" not in str(exc):
            return (
                f"The answer from {url} is not signed by the pinned headquarters key: another server, or an "
                "answer altered on the way; nothing in it was used."
            )
        return str(exc)
    if isinstance(exc, HQError):
        if exc.code in REFUSALS:
            return REFUSALS[exc.code]
        if exc.code == "stale_request":
            return "Headquarters refused this bus's clock even after correcting it; check the bus's date and time."
        if exc.code.startswith("http_"):
            return f"{url} did not answer as a numéribus headquarters (HTTP {exc.status}) during the {step}."
        return f"Headquarters refused the {step}: {exc.message} ({exc.code})."
    if isinstance(exc, changes.ChangeError):
        return f"The catalogue refused what headquarters sent ({exc}); the catalogue was kept as it was."
    if isinstance(exc, store.StoreError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return store.describe_sqlite_error(path or Path("catalogue.db"), exc)
    if isinstance(exc, requests.RequestException):  # an OSError too: the link, not the bus's files
        return f"Headquarters at {url} cannot be reached ({_reason(exc)}) during the {step}."
    if isinstance(exc, OSError):
        return f"The bus's sync files could not be written ({exc.strerror or exc}) during the {step}."
    return f"The {step} failed: {exc}"


def reason_of(exc: BaseException) -> str:
    """The `ROUND_REASONS` code of an exception met during a round."""
    if isinstance(exc, UploadError | DownloadError):
        return exc.reason
    if isinstance(exc, HQUnreachable):
        return "unreachable"
    if isinstance(exc, HQUntrusted):
        return "untrusted"
    if isinstance(exc, HQError):
        if exc.code == "device_revoked":
            return "revoked"
        if exc.code in ("unknown_key", "bad_signature"):
            return "unknown_key"
        if exc.code == "stale_request":
            return "clock"
        if exc.code.startswith("http_"):
            return "not_hq"
        return "refused"
    if isinstance(exc, changes.ChangeError):
        return "catalogue_refused"
    if isinstance(exc, requests.RequestException):
        return "unreachable"
    if isinstance(exc, store.StoreError | sqlite3.Error | OSError):
        return "storage"
    return "failed"


_EXPECTED = (
    HQUnreachable,
    HQUntrusted,
    HQError,
    UploadError,
    DownloadError,
    changes.ChangeError,
    store.StoreError,
    sqlite3.Error,
    OSError,
)


def sync_once(
    data_dir: Path,
    *,
    hq_url: str | None = None,
    session: requests.Session | None = None,
    allow_snapshot: bool = True,
    workers: int | None = None,
    page_limit: int = 1000,
    timeout: float | tuple[float, float] = (10.0, 60.0),
    clock: Callable[[], float] = time.time,
) -> RoundReport:
    """Run one round (upload, then download) and return its report; RoundError when it failed.

    A round that ran to its end without completing everything (a snapshot deferred by
    `allow_snapshot=False`, events headquarters does not acknowledge) returns its report with
    ``ok`` False, ``error`` saying why and ``reason`` (``snapshot_deferred``, ``not_acknowledged``).
    `workers`: the processes that apply a snapshot (`download.snapshot_workers`; None: two for a
    big snapshot on a machine with two processors or more).  `clock` is the bus's clock (seconds
    since 1970); when headquarters says it is wrong, the round goes on with headquarters' time."""
    data_dir = Path(data_dir)
    try:
        identity = load_identity(data_dir)
    except IdentityError as exc:
        raise RoundError(str(exc), reason="identity") from None
    if identity is None:
        raise RoundError(
            "This bus is not enrolled at headquarters: enrol it first "
            "(numeribus-kiosk enrol --hq URL --code CODE, with a code from numeribus-sync device add NAME).",
            reason="not_enrolled",
        )
    try:
        url = normalise_url(hq_url) if hq_url else identity.hq_url
    except EnrolError as exc:
        raise RoundError(str(exc), reason="bad_url") from None
    report = RoundReport(hq_url=url, device_id=identity.device_id, name=identity.name, started_at=_now())

    def fail(message: str, reason: str) -> RoundError:
        report.error, report.reason = message, reason
        report.finished_at = _now()
        return RoundError(message, report, reason=reason)

    try:
        journal_db = store.open_journal_db(data_dir)
    except store.StoreError as exc:
        raise fail(str(exc), "storage") from None
    try:
        catalogue_db = store.open_catalogue_db(data_dir)
    except store.StoreError as exc:
        journal_db.close()
        raise fail(str(exc), "storage") from None
    client = HQClient(url, identity.key, identity.hq_public_key, session=session, timeout=timeout, clock=clock)
    step = "upload"
    try:
        report.upload = upload(
            journal_db,
            client,
            device_id=identity.device_id,
            catalogue_version=changes.sync_version(catalogue_db),
            quarantine_dir=data_dir,
        )
        if not report.upload.complete:
            report.error = (
                f"Headquarters holds this bus's events only up to number {report.upload.acknowledged_seq}; "
                "the others wait (headquarters may have been restored from an older backup)."
            )
            report.reason = "not_acknowledged"
        step = "download"
        report.download = download(
            catalogue_db,
            client,
            data_dir,
            device_id=identity.device_id,
            page_limit=page_limit,
            allow_snapshot=allow_snapshot,
            bus_locations=load_settings(data_dir).bus_locations,
            workers=workers,
        )
        if report.download.snapshot_deferred and report.error is None:
            report.error = "The catalogue needs a full download (a snapshot), deferred on this link."
            report.reason = "snapshot_deferred"
    except _EXPECTED as exc:
        database = store.journal_path(data_dir) if step == "upload" else store.catalogue_path(data_dir)
        report.error = describe(exc, step, url, database)
        report.reason = reason_of(exc)
        logger.info("sync round failed during the %s (%s): %s", step, report.reason, report.error)
        raise RoundError(report.error, report, reason=report.reason) from None
    finally:
        report.finished_at = _now()
        client.close()
        journal_db.close()
        catalogue_db.close()
    return report
