"""Shared pieces of the sync-round tests (upload, download, round, `sync --once`).

- `enrol_bus(hq, url, folder, name)`: enrols the bus whose data directory is `folder` for real
  (a pairing code from `devices.add_device_code`, then `sync.agent.enrol.enrol` over HTTP).
- `hq_events(hq, device_id)`: what headquarters holds for a bus: ``{seq: (hash, status, reason)}``.
- `RequestLog`: an ASGI wrapper around headquarters' app that records every request's method,
  path and Range header (what the server really received), and can cut the connection in the
  middle of a chosen snapshot chunk's answer (a real broken transfer, seen by the bus's socket).
- `publish_catalogue(hq, folder, rows)`: a CSV catalogue imported at headquarters, then its snapshot built.
- `assert_same_catalogue(bus_dir, hq)`: the bus's catalogue.db holds what headquarters publishes:
  every record (content hash, with the copies on board flagged from the bus's own locations, as
  the bus does), every passage and workshop, every list.
"""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from numeribus_kiosk import store
from numeribus_kiosk.catalogue import changes, schedule
from numeribus_kiosk.catalogue.record import Record
from sync.agent.enrol import enrol
from sync.agent.identity import Identity
from sync.server import catalogue, devices, publish, snapshots
from sync.server.state import HQ

CATALOGUE_HEADER = "id,title,authors,publisher,year,language,subjects,type,items\n"


def enrol_bus(hq: HQ, url: str, folder: Path, name: str = "Bus Forez") -> Identity:
    code, _ = devices.add_device_code(hq.db(), name, hq.now(), hq.config.pairing_code_hours)
    return enrol(folder, url, code)


def hq_events(hq: HQ, device_id: str) -> dict[int, tuple[str, str, str | None]]:
    rows = hq.db().execute("SELECT seq, hash, status, reason FROM events WHERE device_id = ?", [device_id]).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def catalogue_csv(count: int, *, changed: dict[int, str] | None = None, skip: set[int] = frozenset()) -> str:
    """`count` records LOI0001..; `changed` gives other titles; `skip` leaves records out."""
    changed = changed or {}
    rows = []
    for i in range(1, count + 1):
        if i in skip:
            continue
        title = changed.get(i, f"Titre n° {i} — histoire de la Loire et du Forez")
        location = "NUMERIBUS" if i % 3 == 0 else "MONTBRISON"
        rows.append(
            f'LOI{i:04d},"{title}",Auteur {i % 7},Éditions de la Loire,{1990 + i % 30},fre,'
            f'"Forez; Pilat; {i % 11}",book,"{location}|B{i:06d}|R {i % 5}"'
        )
    return CATALOGUE_HEADER + "\n".join(rows) + "\n"


def publish_catalogue(hq: HQ, folder: Path, text: str) -> catalogue.CatalogueReport:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "catalogue.csv"
    path.write_text(text, encoding="utf-8")
    report = catalogue.import_catalogue(hq.db(), [path], hq.now())
    snapshots.build_snapshot(hq.db(), hq.now(), hq.config.chunk_bytes)
    return report


def hq_published(hq: HQ) -> dict[str, dict[str, dict]]:
    """Every live shared entity headquarters publishes: {kind: {key: data}}."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for change in publish.live_entities(hq.db()):
        out[change.kind][change.key] = change.data
    return out


def bus_record_hashes(bus_dir: Path) -> dict[str, str]:
    db = store.open_catalogue_db(bus_dir)
    try:
        return dict(db.execute("SELECT id, hash FROM records").fetchall())
    finally:
        db.close()


def assert_same_catalogue(bus_dir: Path, hq: HQ) -> None:
    published = hq_published(hq)
    db = store.open_catalogue_db(bus_dir)
    try:
        board = {location.strip().upper() for location in changes.effective_bus_locations(db)}
        expected = {}
        for key, data in published["record"].items():
            record = Record.from_dict(data)
            copies = tuple(replace(c, on_board=c.location.strip().upper() in board) for c in record.copies)
            expected[key] = replace(record, copies=copies).content_hash()
        held = dict(db.execute("SELECT id, hash FROM records").fetchall())
        assert held == expected
        passages = {p.id: p.to_dict() for p in schedule.upcoming_passages(db, date.min)}
        assert passages == {k: schedule.Passage.from_dict(v).to_dict() for k, v in published["passage"].items()}
        workshops = {w.id: w.to_dict() for w in schedule.upcoming_workshops(db, date.min)}
        assert workshops == {k: schedule.Workshop.from_dict(v).to_dict() for k, v in published["workshop"].items()}
        assert changes.published_lists(db) == {k: v["items"] for k, v in published["list"].items()}
    finally:
        db.close()


@dataclass
class Seen:
    method: str
    path: str
    range: str | None


@dataclass
class RequestLog:
    """ASGI middleware: records the requests headquarters receives; can break a chunk's answer."""

    app: object
    seen: list[Seen] = field(default_factory=list)
    # Answers to cut half-way (the connection is closed): the n-th request (1-based, counted from
    # the last `cut`) whose path starts with `cut_prefix`.
    cut_prefix: str = "/api/v1/snapshot/chunks/"
    cut_at: set[int] = field(default_factory=set)
    _counted: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cut(self, prefix: str, *positions: int) -> None:
        with self._lock:
            self.cut_prefix, self.cut_at, self._counted = prefix, set(positions), 0

    def requests_to(self, prefix: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path.startswith(prefix)]

    def chunk_requests(self) -> list[Seen]:
        return self.requests_to("/api/v1/snapshot/chunks/")

    def clear(self) -> None:
        with self._lock:
            self.seen.clear()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        with self._lock:
            self.seen.append(Seen(scope["method"], scope["path"], headers.get("range")))
            cut = False
            if scope["path"].startswith(self.cut_prefix):
                self._counted += 1
                cut = self._counted in self.cut_at
        if not cut:
            return await self.app(scope, receive, send)

        async def half_then_drop(message):
            if message["type"] == "http.response.body" and len(message.get("body", b"")) > 1:
                body = message["body"]
                await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
                # The answer announced its full Content-Length: raising now makes uvicorn close the
                # connection, and the bus reads a truncated body.
                raise ConnectionAbortedError("test: connection cut in the middle of a chunk")
            await send(message)

        with contextlib.suppress(ConnectionAbortedError):
            await self.app(scope, receive, half_then_drop)
