"""One side of the two-network-namespace discovery test (test_discovery.py), in its own process.

    python -m tests.sync.agent.mdns_peer hq HQ_DIR ADDRESS
    python -m tests.sync.agent.mdns_peer bus BUS_DIR ADDRESS

Started under ``unshare --net``, it prints ``waiting`` (it is then in its new namespace) and
reads one line from its standard input: the test has given it its link and ADDRESS by then.

- ``hq``: serves headquarters (HQ_DIR) with uvicorn on ADDRESS (a free port) and announces it
  by mDNS on ADDRESS only (`sync.server.announce.Announcer`); prints ``ready URL``; stops at the
  end of its standard input.
- ``bus``: browses on ADDRESS (`sync.agent.discovery.HQBrowser`), checks each candidate with
  `trusted_url` and the bus's identity (BUS_DIR), prints ``found <candidate as JSON>`` and
  ``trusted URL`` (or ``untrusted``) for the first one, and exits; ``nothing`` after 30 s.
"""

from __future__ import annotations

import dataclasses
import json
import queue
import socket
import sys
import threading

import uvicorn

from sync.agent.discovery import HQBrowser, trusted_url
from sync.agent.identity import load_identity
from sync.server.announce import Announcer
from sync.server.app import create_app
from sync.server.state import HQ


def serve_hq(hq_dir: str, address: str) -> int:
    hq = HQ(hq_dir)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(hq), log_level="warning", lifespan="off", ws="none"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started and thread.is_alive():
        started.wait(0.01)
    try:
        with Announcer(hq, port, [address]):
            print(f"ready http://{address}:{port}", flush=True)
            sys.stdin.read()
    finally:
        server.should_exit = True
        thread.join(30)
        hq.close()
    return 0


def browse(bus_dir: str, address: str) -> int:
    identity = load_identity(bus_dir)
    seen: queue.Queue = queue.Queue()
    with HQBrowser([address], seen.put):
        try:
            candidate = seen.get(timeout=30)
        except queue.Empty:
            print("nothing", flush=True)
            return 1
    print("found " + json.dumps(dataclasses.asdict(candidate)), flush=True)
    url = trusted_url(candidate, identity)
    print(f"trusted {url}" if url else "untrusted", flush=True)
    return 0


def main() -> int:
    role, folder, address = sys.argv[1:4]
    print("waiting", flush=True)
    sys.stdin.readline()
    return serve_hq(folder, address) if role == "hq" else browse(folder, address)


if __name__ == "__main__":
    sys.exit(main())
