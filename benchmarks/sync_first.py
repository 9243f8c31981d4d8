"""A bus's sync over loopback against a real `numeribus-sync serve` (issue 6, item 8).

    .venv/bin/python benchmarks/sync_first.py BooksAll.2016.part01.utf8 [--records N] [--workers N]

Headquarters is a real `numeribus-sync serve` process on a free 127.0.0.1 port (--no-announce).
The catalogue is published there with `numeribus-sync catalogue import` (which also builds the
snapshot; not timed).  Buses are enrolled for real (`numeribus-sync device add NAME --json`, then
`sync.agent.enrol.enrol`) and each round is `sync.agent.round.sync_once(bus_dir)` in its own
process (its peak RSS is the round's own), talking to headquarters through a TCP relay in this
process that counts the bytes on the wire each way, HTTP headers included, and can cut every
connection once N bytes went down.

1. First sync (bus A): snapshot download and apply, then the changes after the snapshot.  Time
   (target <= 60 s), bytes received (target <= 1.2x the gzip of the data: the snapshot's JSON lines
   gzipped in one stream, level 6, as benchmarks/hq_publish.py; also against the gzip of the MARC
   file).  Baseline, same run: the kiosk's own import of the same file into a new data folder
   (`importer.import_files`, as `numeribus-kiosk catalogue import`).  ``--workers N`` is passed to
   every round's `sync_once(workers=N)` (default: none, sync_once's own choice,
   `download.snapshot_workers`).  Bus B measures the same steps separately: the chunks' download
   (the steps of `fetch_snapshot`), then `apply_snapshot` on those chunks with workers=1, with
   workers=2 on the parsed entities and with workers=2 on the raw JSON lines (parsed in the
   workers, what the round does with workers=2), each into a new catalogue.db.
2. Resume (bus C): the relay cuts every connection (FIN, as when the server stops) once half of
   the snapshot's bytes went down; that round fails; the next round resumes.  Counted: chunk
   requests of the second round, of which resumed with Range, and bytes fetched twice.
3. A delta of 1,000 changed records (245$a rewritten with pymarc, as hq_publish.py) re-imported
   at headquarters; bus A's next round (target <= 2 s).
4. 10,000 events up: 10,000 sessions recorded on bus A with the kiosk's journal
   (`sessions.add_session`; timed as a baseline, not part of the figure), then bus A's round
   (target <= 5 s; its download is one empty page of changes); headquarters must hold them all.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    LOC_FILE_HINT,
    add_example_sessions,
    first_records,
    free_port,
    gzip_size,
    machine,
    peak_rss_mb,
    published_lines,
)

EVENTS_UP = 10_000
DELTA_RECORDS = 1000


# --------------------------------------------------------------------------- the relay


class Relay:
    """A TCP relay on 127.0.0.1 to headquarters' port: counts bytes each way over every
    connection, and can cut every open connection once `cut_after` more bytes went down."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.down = self.up = self.connections = 0
        self.cut_at: int | None = None
        self.cuts = 0
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def counts(self) -> tuple[int, int, int]:
        with self.lock:
            return self.down, self.up, self.connections

    def arm_cut(self, after_bytes: int) -> None:
        with self.lock:
            self.cut_at = self.down + after_bytes

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.connections += 1
                self.pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    @staticmethod
    def _close(*sockets: socket.socket) -> None:
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def _pump(self, src: socket.socket, dst: socket.socket, down: bool) -> None:
        try:
            while data := src.recv(1 << 16):
                cut = False
                with self.lock:
                    if down:
                        if self.cut_at is not None and self.down + len(data) >= self.cut_at:
                            data = data[: max(0, self.cut_at - self.down)]
                            cut = True
                            self.cut_at = None
                            self.cuts += 1
                        self.down += len(data)
                    else:
                        self.up += len(data)
                dst.sendall(data)
                if cut:
                    with self.lock:
                        pairs = list(self.pairs)
                    for pair in pairs:  # every connection of the bus: the link is gone
                        self._close(*pair)
                    return
            if down:  # headquarters closed: the connection is over
                self._close(src, dst)
            else:
                dst.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(src, dst)


# --------------------------------------------------------------------------- child processes


class LoggingSession(requests.Session):
    """The bus's HTTP session, logging each request: method, path, Range, status, Content-Length,
    seconds until the answer (its headers for a streamed chunk, the whole answer otherwise)."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[dict] = []

    def send(self, request, **kwargs):
        started = time.perf_counter()
        answer = super().send(request, **kwargs)
        self.log.append(
            {
                "method": request.method,
                "path": request.path_url,
                "range": request.headers.get("Range"),
                "status": answer.status_code,
                "length": int(answer.headers.get("Content-Length", -1)),
                "seconds": time.perf_counter() - started,
            }
        )
        return answer


def child_kiosk(path: str, data_dir: str) -> dict:
    """The baseline: the kiosk's own import (benchmarks/hq_publish.py's step, same code)."""
    from benchmarks.hq_publish import run_kiosk

    return run_kiosk(path, data_dir)


def child_sync(bus_dir: str, url: str, workers: str = "") -> dict:
    """One `sync_once` round of the bus of `bus_dir` through `url`; apply_snapshot's own time is
    measured by a wrapper that only times it."""
    from numeribus_kiosk.catalogue import changes
    from sync.agent.round import RoundError, sync_once

    applying: list[float] = []
    real_apply = changes.apply_snapshot

    def timed_apply(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real_apply(*args, **kwargs)
        finally:
            applying.append(time.perf_counter() - started)

    changes.apply_snapshot = timed_apply
    session = LoggingSession()
    started = time.perf_counter()
    try:
        report = sync_once(
            Path(bus_dir), hq_url=url, session=session, workers=int(workers) if workers else None
        ).to_dict()
    except RoundError as exc:
        report = (exc.report.to_dict() if exc.report else {}) | {"ok": False, "error": str(exc)}
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "apply_seconds": sum(applying),
        "report": report,
        "requests": session.log,
        "rss_mb": peak_rss_mb(),
    }


def child_split(bus_dir: str, url: str, spare: str) -> dict:
    """Bus B: the snapshot's download (the steps of download.fetch_snapshot), then apply_snapshot
    on the downloaded chunks with workers=1, 2 (parsed entities) and 2 (JSON lines)."""
    import gzip

    from numeribus_kiosk import store
    from numeribus_kiosk.catalogue import changes
    from numeribus_kiosk.settings import load_settings
    from sync.agent import download
    from sync.agent.http import HQClient
    from sync.agent.identity import load_identity

    bus = Path(bus_dir)
    identity = load_identity(bus)
    locations = load_settings(bus).bus_locations
    client = HQClient(url, identity.key, identity.hq_public_key)
    started = time.perf_counter()
    _, answer, _ = client.request("GET", "/api/v1/snapshot")
    manifest = download._check_manifest(client, answer, identity.device_id)
    fetched = download.SnapshotReport(version=manifest["version"], chunks=len(manifest["chunks"]))
    folder = download._prepare_folder(bus, manifest["version"], {c["sha256"] for c in manifest["chunks"]})
    for chunk in manifest["chunks"]:
        download._fetch_chunk(client, chunk, folder, fetched)
    download_seconds = time.perf_counter() - started
    client.close()

    def lines():
        for chunk in manifest["chunks"]:
            with gzip.open(folder / f"{chunk['sha256']}.gz", "rb") as handle:
                yield from (line for line in handle if line.strip())

    results = {}
    variants = (
        ("workers=1, parsed entities", bus, 1, False),
        ("workers=2, parsed entities", Path(spare) / "w2-parsed", 2, False),
        ("workers=2, JSON lines", Path(spare) / "w2-lines", 2, True),
    )
    for label, data_dir, workers, raw in variants:
        data_dir.mkdir(parents=True, exist_ok=True)
        db = store.open_catalogue_db(data_dir)
        entities = lines() if raw else download._entities(folder, manifest, download.SnapshotReport())
        started = time.perf_counter()
        applied = changes.apply_snapshot(db, entities, manifest["version"], bus_locations=locations, workers=workers)
        seconds = time.perf_counter() - started
        records = db.execute("SELECT count(*) FROM records").fetchone()[0]
        db.close()
        results[label] = {"seconds": seconds, "records": records, "added": applied.records_added}
    return {
        "download_seconds": download_seconds,
        "chunks": fetched.chunks,
        "bytes": fetched.bytes,
        "applies": results,
        "rss_mb": peak_rss_mb(),
    }


def child_record(bus_dir: str, count: str) -> dict:
    """`count` sessions recorded on the bus's journal, as the kiosk records them."""
    from numeribus_kiosk import store
    from numeribus_kiosk.journal import outbox

    db = store.open_journal_db(Path(bus_dir))
    started = time.perf_counter()
    add_example_sessions(db, int(count))
    seconds = time.perf_counter() - started
    waiting = len(outbox.pending(db, limit=int(count) + 10))
    db.close()
    return {"seconds": seconds, "pending": waiting}


def child_gzip(hq_dir: str, marc: str) -> dict:
    """The gzip (level 6, one stream) of the snapshot's JSON lines and of the MARC file, and the
    latest snapshot's size and chunks."""
    from sync.server import snapshots
    from sync.server.database import open_hq_db

    db = open_hq_db(Path(hq_dir))
    try:
        snapshot = snapshots.latest_snapshot(db)
        lines, raw, gzipped = published_lines(db)
    finally:
        db.conn.close()
    with open(marc, "rb") as handle:
        marc_gzip = gzip_size(iter(lambda: handle.read(1 << 20), b""))
    return {
        "version": snapshot.version,
        "chunks": len(snapshot.chunks),
        "size": snapshot.size,
        "lines": lines,
        "json_bytes": raw,
        "one_gzip": gzipped,
        "marc_bytes": os.path.getsize(marc),
        "marc_gzip": marc_gzip,
    }


def child_events_held(hq_dir: str, device_id: str) -> dict:
    from sync.server.database import open_hq_db

    db = open_hq_db(Path(hq_dir))
    try:
        held = db.execute("SELECT count(*) FROM events WHERE device_id = ?", [device_id]).fetchone()[0]
    finally:
        db.conn.close()
    return {"held": held}


CHILDREN = {
    "kiosk": child_kiosk,
    "sync": child_sync,
    "split": child_split,
    "record": child_record,
    "gzip": child_gzip,
    "events_held": child_events_held,
}


def in_subprocess(mode: str, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args], check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --------------------------------------------------------------------------- headquarters and buses


def sync_cli(hq_dir: Path, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMERIBUS_SYNC_")}
    result = subprocess.run(
        [sys.executable, "-m", "sync.cli", "--data-dir", str(hq_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if result.returncode:
        raise SystemExit(f"numeribus-sync {' '.join(args)} failed: {result.stderr}")
    return json.loads(result.stdout)


def start_server(hq_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMERIBUS_SYNC_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "sync.cli", "--data-dir", str(hq_dir), "serve"]
        + ["--host", "127.0.0.1", "--port", str(port), "--no-announce"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(base + "/health", timeout=1).raise_for_status()
            return server, base
        except requests.RequestException:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start: " + server.stderr.read().decode())


def enrol_bus(hq_dir: Path, base: str, bus_dir: Path, name: str) -> str:
    from sync.agent.enrol import enrol

    code = sync_cli(hq_dir, "device", "add", name, "--json")["code"]
    bus_dir.mkdir(parents=True)
    return enrol(bus_dir, base, code).device_id


def manifest_size(bus_dir: Path, base: str) -> int:
    """The bytes of the chunks of the bus's snapshot manifest (a signed GET /api/v1/snapshot)."""
    from sync.agent.http import HQClient
    from sync.agent.identity import load_identity

    identity = load_identity(bus_dir)
    with HQClient(base, identity.key, identity.hq_public_key) as client:
        _, answer, _ = client.request("GET", "/api/v1/snapshot")
    return sum(chunk["size"] for chunk in answer["manifest"]["chunks"])


def chunk_requests(log: list[dict]) -> list[dict]:
    return [r for r in log if r["path"].startswith("/api/v1/snapshot/chunks/")]


def on_disk(bus_dir: Path) -> dict[str, int]:
    """The snapshot files on the bus: {name: bytes} (.gz complete, .gz.part partial)."""
    return {p.name: p.stat().st_size for p in (bus_dir / "sync").glob("snapshot-*/*")}


WORKERS = ""  # --workers, passed to every round's sync_once ("": its default)


def sync_round(relay: Relay, bus_dir: Path) -> tuple[dict, int, int]:
    """A round of the bus through the relay; (result, bytes down, bytes up)."""
    down, up, _ = relay.counts()
    result = in_subprocess("sync", str(bus_dir), relay.url, WORKERS)
    down2, up2, _ = relay.counts()
    return result, down2 - down, up2 - up


def http_split(result: dict) -> str:
    """Where a round's time went: waiting for whole answers (requests not streamed) or on the bus."""
    log = result["requests"]
    waiting = sum(r["seconds"] for r in log)
    kinds: dict[str, int] = {}
    for r in log:
        name = f"{r['method']} {r['path'].split('?')[0]}"
        kinds[name] = kinds.get(name, 0) + 1
    return (
        f"{len(log)} HTTP request(s) {kinds}: {waiting:.2f} s from sending each to its whole answer; "
        f"the rest of the round, {result['seconds'] - waiting:.2f} s, on the bus"
    )


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# --------------------------------------------------------------------------- the run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", help=LOC_FILE_HINT)
    parser.add_argument("--records", type=int, default=None, help="use the first N records (default: all)")
    parser.add_argument("--workers", type=int, default=None, help="sync_once(workers=N) (default: its own choice)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        print(json.dumps(CHILDREN[mode](*rest)))
        return 0
    if not args.source:
        parser.error(f"give the MARC file: {LOC_FILE_HINT}")
    global WORKERS
    WORKERS = "" if args.workers is None else str(args.workers)
    source = Path(args.source)
    if not source.is_file():
        parser.error(f"no such file: {source}")
    from benchmarks.hq_publish import write_delta

    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.records is not None:
            sample = tmp / "sample.mrc"
            first_records(source, args.records, sample)
        else:
            sample = source
        hq_dir = tmp / "hq"
        print(
            f"machine: {machine()}; {sample.name}, {sample.stat().st_size / 1e6:.1f} MB; sync_once(workers="
            f"{args.workers})",
            flush=True,
        )

        base = in_subprocess("kiosk", str(sample), str(tmp / "kiosk"))
        print(
            f"baseline, kiosk's own catalogue import: {base['records']} records in {base['seconds']:.1f} s "
            f"(peak RSS {base['rss_mb']:.0f} MB)",
            flush=True,
        )
        started = time.perf_counter()
        published = sync_cli(hq_dir, "catalogue", "import", "--json", str(sample))
        print(
            f"headquarters: numeribus-sync catalogue import (not timed in the figures: "
            f"{time.perf_counter() - started:.1f} s): {published['imported']} records, version "
            f"{published['version']}, snapshot {published['snapshot_version']} in "
            f"{published['snapshot_chunks']} chunks",
            flush=True,
        )
        data = in_subprocess("gzip", str(hq_dir), str(sample))
        print(
            f"the data: {data['lines']} JSON lines, {data['json_bytes'] / 1e6:.1f} MB; gzip -6 in one stream "
            f"{data['one_gzip'] / 1e6:.2f} MB; snapshot chunks {data['size'] / 1e6:.2f} MB; MARC file "
            f"{data['marc_bytes'] / 1e6:.1f} MB, its gzip -6 {data['marc_gzip'] / 1e6:.2f} MB",
            flush=True,
        )

        server, hq_url = start_server(hq_dir)
        relay = Relay(int(hq_url.rsplit(":", 1)[1]))
        try:
            bus_a, bus_b, bus_c = tmp / "bus-a", tmp / "bus-b", tmp / "bus-c"
            device_a = enrol_bus(hq_dir, hq_url, bus_a, "bus-a")
            enrol_bus(hq_dir, hq_url, bus_b, "bus-b")
            enrol_bus(hq_dir, hq_url, bus_c, "bus-c")
            print(f"headquarters on {hq_url}, relay on {relay.url}; 3 buses enrolled", flush=True)

            # 1. first sync
            first, down, up = sync_round(relay, bus_a)
            rep = first["report"]
            snap = (rep.get("download") or {}).get("snapshot") or {}
            ok = rep.get("ok") and snap.get("applied")
            if not ok:
                failures.append(f"first sync: {rep.get('error')}")
            chunk_reqs = chunk_requests(first["requests"])
            seconds = first["seconds"]
            ratio = down / data["one_gzip"]
            print("\n1. first sync (bus A, sync_once: snapshot download + apply, then the changes after it)")
            print(
                f"  round: {seconds:.1f} s (target <= 60 s) {verdict(seconds <= 60)}; kiosk import "
                f"{base['seconds']:.1f} s; ratio sync/import {seconds / base['seconds']:.2f}"
            )
            print(
                f"  of which apply_snapshot {first['apply_seconds']:.1f} s, the rest (manifest, "
                f"{len(chunk_reqs)} chunk downloads and checks, changes page) {seconds - first['apply_seconds']:.1f} s;"
                f" peak RSS {first['rss_mb']:.0f} MB"
            )
            print(
                f"  {snap.get('entities')} entities, version {rep.get('download', {}).get('version')}, "
                f"{len(first['requests'])} HTTP requests over {relay.counts()[2]} connection(s) so far"
            )
            print(
                f"  received on the wire {down / 1e6:.2f} MB (chunk bodies {snap.get('bytes', 0) / 1e6:.2f} MB), "
                f"sent {up / 1e3:.1f} kB; vs gzip of the JSON lines in one stream {ratio:.3f}x (target <= 1.2) "
                f"{verdict(ratio <= 1.2)}; vs gzip of the MARC file {down / data['marc_gzip']:.3f}x"
            )

            split = in_subprocess("split", str(bus_b), relay.url, str(tmp / "spare"))
            print("  bus B, the same steps measured apart:")
            print(
                f"    download of {split['chunks']} chunks ({split['bytes'] / 1e6:.2f} MB): "
                f"{split['download_seconds']:.1f} s"
            )
            for label, result in split["applies"].items():
                print(
                    f"    apply_snapshot {label}: {result['seconds']:.1f} s ({result['records']} records); "
                    f"download + apply {split['download_seconds'] + result['seconds']:.1f} s, ratio to the kiosk "
                    f"import {(split['download_seconds'] + result['seconds']) / base['seconds']:.2f}"
                )

            # 2. a download cut at 50 %, then resumed
            total = manifest_size(bus_c, hq_url)
            relay.arm_cut(total // 2)
            cut, cut_down, _ = sync_round(relay, bus_c)
            files = on_disk(bus_c)
            done = {n.removesuffix(".gz"): s for n, s in files.items() if n.endswith(".gz")}
            parts = {n.removesuffix(".gz.part"): s for n, s in files.items() if n.endswith(".part")}
            have = sum(files.values())
            print("\n2. snapshot download cut at 50 % (bus C; the relay closes the connections), then resumed")
            print(
                f"  cut round: ok={cut['report'].get('ok')} after {cut_down / 1e6:.2f} MB down; "
                f"error: {cut['report'].get('error')}"
            )
            print(
                f"  on the bus after the cut: {len(done)} complete chunk(s), {len(parts)} partial "
                f"({sum(parts.values()) / 1e6:.2f} MB), {have / 1e6:.2f} MB of {total / 1e6:.2f} MB "
                f"({100 * have / total:.0f} %)"
            )
            again, again_down, _ = sync_round(relay, bus_c)
            snap2 = ((again["report"].get("download") or {}).get("snapshot")) or {}
            reqs = chunk_requests(again["requests"])
            shas = [r["path"].rsplit("/", 1)[1] for r in reqs]
            refetched_chunks = sum(1 for s in shas if s in done or s in parts)
            ranged = [r for r in reqs if r["range"]]
            body = sum(max(0, r["length"]) for r in reqs)
            twice = have + body - total
            ok2 = again["report"].get("ok") and refetched_chunks <= 1 and twice <= max(parts.values(), default=0)
            if not (again["report"].get("ok") and refetched_chunks <= 1):
                failures.append("resume")
            print(
                f"  next round: ok={again['report'].get('ok')} in {again['seconds']:.1f} s; {len(reqs)} chunk "
                f"request(s) of {snap2.get('chunks')} (reused on disk {snap2.get('reused')}, resumed "
                f"{snap2.get('resumed')}, with Range: {[r['range'] for r in ranged]}, status "
                f"{[r['status'] for r in ranged]})"
            )
            print(
                f"  chunks asked again that had bytes on the bus: {refetched_chunks} (target <= 1) "
                f"{verdict(refetched_chunks <= 1)}; chunk bytes received {body / 1e6:.2f} MB, bytes fetched twice "
                f"{twice} {verdict(ok2)}; {again_down / 1e6:.2f} MB on the wire; baseline: the uncut first sync "
                f"asked {len(chunk_reqs)} chunk(s), {snap.get('bytes', 0) / 1e6:.2f} MB"
            )

            # 3. a delta of 1,000 changed records
            delta_file = tmp / "delta.mrc"
            avoid = {s["position"] for s in published["skipped"]}
            avoid |= {d["position"] for d in published["duplicates"]}
            avoid |= {d["replaces_position"] for d in published["duplicates"]}
            rewritten = write_delta(sample, delta_file, published["read"], avoid, DELTA_RECORDS)
            started = time.perf_counter()
            republished = sync_cli(hq_dir, "catalogue", "import", "--json", str(delta_file))
            print(
                f"\n3. delta: {rewritten} records' 245$a rewritten; headquarters re-import (not timed: "
                f"{time.perf_counter() - started:.1f} s): {republished['updated']} updated, version "
                f"{republished['version']}"
            )
            delta, down, up = sync_round(relay, bus_a)
            rep = delta["report"]
            dl = rep.get("download") or {}
            if not rep.get("ok"):
                failures.append(f"delta: {rep.get('error')}")
            print(
                f"  bus A's round: {delta['seconds']:.2f} s (target <= 2 s) {verdict(delta['seconds'] <= 2)}; "
                f"{dl.get('changes')} change(s) in {dl.get('pages')} page(s), records updated "
                f"{(dl.get('applied') or {}).get('records_updated')}; {down / 1e6:.2f} MB received, "
                f"{up / 1e3:.1f} kB sent; ratio to the first sync {delta['seconds'] / seconds:.3f}, to the kiosk "
                f"import {delta['seconds'] / base['seconds']:.3f}"
            )
            print(f"  {http_split(delta)}")

            # 4. 10,000 events up
            recorded = in_subprocess("record", str(bus_a), str(EVENTS_UP))
            print(
                f"\n4. events up: {EVENTS_UP} sessions recorded on bus A with sessions.add_session "
                f"(baseline, not part of the figure): {recorded['seconds']:.1f} s; {recorded['pending']} waiting"
            )
            up_round, down, up = sync_round(relay, bus_a)
            rep = up_round["report"]
            upl = rep.get("upload") or {}
            posts = [r for r in up_round["requests"] if r["path"] == "/api/v1/events"]
            held = in_subprocess("events_held", str(hq_dir), device_a)["held"]
            if not rep.get("ok") or held != EVENTS_UP:
                failures.append(f"events: {rep.get('error')}, held {held}")
            print(
                f"  bus A's round: {up_round['seconds']:.2f} s (target <= 5 s) {verdict(up_round['seconds'] <= 5)}; "
                f"{upl.get('sent')} sent in {upl.get('batches')} batches, {upl.get('acknowledged')} acknowledged; "
                f"ratio to recording them {up_round['seconds'] / recorded['seconds']:.2f}"
            )
            print(f"  {http_split(up_round)}")
            print(
                f"  the {len(posts)} POST /events: {sum(r['seconds'] for r in posts):.2f} s in all "
                f"(max {max((r['seconds'] for r in posts), default=0):.3f} s); {up / 1e6:.2f} MB sent, "
                f"{down / 1e3:.1f} kB received; held at headquarters: {held} (expected {EVENTS_UP}) "
                f"{verdict(held == EVENTS_UP)}"
            )
        finally:
            relay.close()
            server.terminate()
            server.wait(timeout=30)
    if failures:
        print(f"\nfailed: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
