"""Headquarters under load: 100 buses syncing at once against one `numeribus-sync serve`.

Each simulated bus is really enrolled (pairing code, Ed25519 key, proof), then all of them start
together: each uploads 100 outbox events (one signed POST /api/v1/events) and pulls its
changes (signed GET /api/v1/changes).  The events are real: made by the kiosk's journal in a
throw-away journal.db, then re-numbered and re-hashed for each simulated device.

Baseline, measured in the same run against the same server: one bus doing the same round alone,
20 times.  The script prints p50/p95/max per request kind, the errors, and the ratios.

    .venv/bin/python benchmarks/hq_load.py [--devices 100] [--events 100] [--records 2000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import add_example_sessions, free_port, percentiles  # noqa: E402
from numeribus_kiosk import store  # noqa: E402
from numeribus_kiosk.journal import outbox  # noqa: E402
from sync import protocol  # noqa: E402
from sync.server import devices  # noqa: E402
from sync.server.database import open_hq_db  # noqa: E402


def template_events(count: int) -> list[dict]:
    """`count` real session.created events from the kiosk's journal."""
    with tempfile.TemporaryDirectory() as folder:
        db = store.open_journal_db(Path(folder))
        add_example_sessions(db, count)
        events = [dataclasses.asdict(e) for e in outbox.pending(db, limit=count)]
        db.conn.close()
    return events


def events_for(device_id: str, template: list[dict], first_seq: int = 1) -> list[dict]:
    """The template's events as `device_id`'s, numbered from `first_seq` (hashes recomputed)."""
    out = []
    for offset, event in enumerate(template):
        e = dict(event, device_id=device_id, seq=first_seq + offset)
        e["hash"] = outbox.event_hash(device_id, e["seq"], e["kind"], e["entity_id"], e["device_time"], e["payload"])
        out.append(e)
    return out


class Bus:
    def __init__(self, base: str, hq_key, device_id: str, key) -> None:
        self.base = base
        self.hq_key = hq_key
        self.device_id = device_id
        self.key = key
        self.http = requests.Session()

    def call(self, method: str, target: str, body: dict | None = None) -> tuple[int, float]:
        data = b"" if body is None else json.dumps(body).encode()
        headers = protocol.sign_request(self.key, method, target, data, int(time.time()))
        headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        answer = self.http.request(method, self.base + target, data=data, headers=headers, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        protocol.verify_response(
            self.hq_key, answer.status_code, headers[protocol.NONCE], answer.content, answer.headers
        )
        return answer.status_code, elapsed


def enrol(base: str, data_dir: Path, name: str, fingerprint: str) -> Bus:
    db = open_hq_db(data_dir)
    code, _ = devices.add_device_code(db, name, datetime.now(UTC), 1)
    db.conn.close()
    key = protocol.generate_key()
    device_id = f"bench-{name}"
    public = protocol.public_text(key)
    body = {"device_id": device_id, "public_key": public, "proof": protocol.enrol_proof(code, device_id, public)}
    answer = requests.post(base + "/api/v1/enrol", json=body, timeout=30)
    if answer.status_code != 200:
        raise SystemExit(f"enrolment of {name} refused: {answer.text}")
    hq_key = answer.json()["hq_public_key"]
    if protocol.fingerprint(hq_key) != fingerprint:
        raise SystemExit("the enrolment answer carries another key than the one /health announced")
    return Bus(base, protocol.load_public(hq_key), device_id, key)


def one_round(bus: Bus, events: list[dict], since: int, results: dict, lock: threading.Lock) -> None:
    for kind, method, target, body in (
        ("events", "POST", "/api/v1/events", {"device_id": bus.device_id, "events": events}),
        ("changes", "GET", f"/api/v1/changes?since={since}&limit=1000", None),
    ):
        try:
            status, ms = bus.call(method, target, body)
            ok = status == 200
        except Exception as exc:  # a benchmark counts failures, it does not stop on them
            ok, ms = False, float("nan")
            status = type(exc).__name__
        with lock:
            results.setdefault(kind, []).append(ms)
            if not ok:
                results.setdefault("errors", []).append(f"{kind}: {status}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def catalogue_version(data_dir: Path) -> int:
    db = open_hq_db(data_dir)
    try:
        return db.execute("SELECT coalesce(max(version), 0) FROM changes").fetchone()[0]
    finally:
        db.conn.close()


def summary(label: str, samples: list[float]) -> tuple[float, float]:
    good = [s for s in samples if s == s]
    p50, p95 = percentiles(good)
    print(f"  {label:<28} n={len(good):4d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(good):7.1f} ms")
    return p50, p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--records", type=int, default=2000, help="records published before the run")
    parser.add_argument("--spread", type=float, default=0.0, help="seconds over which the buses start (0: all at once)")
    parser.add_argument(
        "--delta", type=int, default=100, help="changes each bus pulls (it holds all but the last DELTA versions)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "hq"
        catalogue = Path(folder) / "catalogue.csv"
        with open(catalogue, "w", encoding="utf-8") as out:
            out.write("id,title,authors,year,type\n")
            for i in range(args.records):
                out.write(f"R{i},Titre numéro {i},Auteur {i % 97},{1950 + i % 70},book\n")
        port = free_port()
        env = dict(os.environ)
        sync_cli = [sys.executable, "-m", "sync.cli", "--data-dir", str(data_dir)]
        subprocess.run([*sync_cli, "catalogue", "import", str(catalogue)], check=True, env=env, capture_output=True)
        server = subprocess.Popen(
            [*sync_cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-announce"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    health = requests.get(base + "/health", timeout=1).json()
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start: " + server.stderr.read().decode())
            print(f"headquarters {health['version']} on {base}; {args.records} records published")

            template = template_events(args.events)
            buses = [enrol(base, data_dir, f"bus{i:03d}", health["key_fingerprint"]) for i in range(args.devices + 1)]
            baseline_bus, load_buses = buses[0], buses[1:]

            latest = catalogue_version(data_dir)
            since = max(1, latest - args.delta)

            # Baseline: one bus alone, the same round 20 times, each with 100 new events.
            lock = threading.Lock()
            alone: dict = {}
            for round_ in range(20):
                batch = events_for(baseline_bus.device_id, template, 1 + round_ * len(template))
                one_round(baseline_bus, batch, since, alone, lock)

            # Load: every bus at once.
            loaded: dict = {}
            barrier = threading.Barrier(len(load_buses))

            delays = random.Random(7).choices(range(1000), k=len(load_buses))

            def run(bus: Bus, delay: float) -> None:
                payload = events_for(bus.device_id, template)
                barrier.wait()
                time.sleep(delay)
                one_round(bus, payload, since, loaded, lock)

            threads = [
                threading.Thread(target=run, args=(bus, args.spread * d / 1000))
                for bus, d in zip(load_buses, delays, strict=True)
            ]
            server_cpu = cpu_seconds(server.pid)
            client_cpu = time.process_time()
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
            server_cpu = cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu

            print(f"each round: {args.events} new events up, then a pull of the last {latest - since} changes")
            print("baseline: 1 bus alone, 20 rounds")
            _, base_events_p95 = summary("events (alone)", alone["events"])
            _, base_changes_p95 = summary("changes (alone)", alone["changes"])
            how = "at once" if not args.spread else f"starting within {args.spread:g} s"
            print(
                f"load: {len(load_buses)} buses {how}; {wall:.2f} s wall, server CPU {server_cpu:.2f} s, "
                f"load generator CPU {client_cpu:.2f} s (same 2-core machine)"
            )
            _, events_p95 = summary("events (under load)", loaded["events"])
            _, changes_p95 = summary("changes (under load)", loaded["changes"])
            all_p95 = percentiles([s for s in loaded["events"] + loaded["changes"] if s == s])[1]
            errors = alone.get("errors", []) + loaded.get("errors", [])
            print(f"  all requests under load     p95 {all_p95:.1f} ms (target <= 500 ms)")
            print(
                f"  ratio p95 under load / alone: events {events_p95 / base_events_p95:.1f}x, "
                f"changes {changes_p95 / base_changes_p95:.1f}x"
            )
            print(f"  errors: {len(errors)}" + (f" ({errors[:5]})" if errors else ""))

            db = open_hq_db(data_dir)
            held = db.execute("SELECT count(*) FROM events").fetchone()[0]
            db.conn.close()
            expected = args.events * (len(load_buses) + 20)
            print(f"  events held at headquarters: {held} (expected {expected})")
            return 0 if not errors and held == expected else 1
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
