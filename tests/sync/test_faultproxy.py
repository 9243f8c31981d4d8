"""The fault proxy of the reliability tests, on its own, in front of a tiny real HTTP server.

Each fault kind really happens (what the server got, what the client got) and is counted; the same
seed gives the same sequence of decisions.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.sync.faultproxy import (
    CUT_REQUEST,
    CUT_RESPONSE,
    DELAY,
    HOLD_ANSWER,
    HOLD_PHASES,
    HOLD_REQUEST,
    KINDS,
    LOSE_ANSWER,
    PASSTHROUGH,
    THROTTLE,
    FaultPlan,
    FaultProxy,
    decisions,
)

BIG = bytes(range(256)) * 400  # 102,400 bytes, the same every time


class TinyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.completed: list[tuple[str, str, bytes]] = []  # requests read in full and answered
        self.partial: list[tuple[str, int, int]] = []  # (path, body bytes expected, body bytes got)
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # a head and a body written apart are not held back 40 ms
    server: TinyServer

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def date_time_string(self, timestamp=None) -> str:
        return "Thu, 26 Nov 2026 15:00:00 GMT"  # so that two answers are byte for byte the same

    def version_string(self) -> str:
        return "tiny"

    def answer(self, body: bytes, *, close: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.completed.append(("GET", self.path, b""))
        if self.path == "/big":
            self.answer(BIG)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (b"numeri", b"bus", b""):
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        elif self.path == "/until-close":
            self.answer(b"read me to the end", close=True)
        else:
            self.answer(b"ok " + self.path.encode())

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", -1))  # none: the head itself was cut short
        body = self.rfile.read(length) if length >= 0 else b""
        with self.server.lock:
            if len(body) < length or length < 0:
                self.server.partial.append((self.path, length, len(body)))
                self.close_connection = True
                return
            self.server.completed.append(("POST", self.path, body))
        self.answer(b"stored %d" % len(body))


@pytest.fixture
def server() -> Iterator[TinyServer]:
    tiny = TinyServer()
    thread = threading.Thread(target=tiny.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield tiny
    finally:
        tiny.shutdown()
        tiny.server_close()
        thread.join(timeout=10)


def proxy_for(server: TinyServer, seed: int = 1, **plan) -> FaultProxy:
    return FaultProxy("127.0.0.1", server.server_address[1], seed, faults=FaultPlan(**plan))


def only(kind: str, **options) -> dict:
    weights = dict.fromkeys(KINDS, 0.0)
    weights[kind] = 1.0
    return {**weights, **options}


def raw_exchange(url: str, request: bytes) -> bytes:
    """Send `request` on a new connection and read whatever comes back until the proxy closes."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        received = bytearray()
        with contextlib.suppress(ConnectionResetError):
            while data := sock.recv(65536):
                received += data
    return bytes(received)


GET_BIG = b"GET /big HTTP/1.1\r\nHost: tiny\r\nConnection: close\r\n\r\n"


def post(path: str, body: bytes) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: tiny\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return head.encode() + body


# --- each kind ---------------------------------------------------------------------------------


def test_passthrough_relays_kept_alive_exchanges_byte_for_byte(server):
    with proxy_for(server) as proxy, requests.Session() as session:
        for i in range(5):
            answer = session.post(proxy.url + f"/events/{i}", data=b"x" * (1000 * i + 1))
            assert answer.status_code == 200 and answer.content == b"stored %d" % (1000 * i + 1)
        assert session.get(proxy.url + "/big").content == BIG
        assert session.get(proxy.url + "/chunked").content == b"numeribus"  # chunked framing
        assert session.get(proxy.url + "/after").content == b"ok /after"  # still the same connection
        direct = raw_exchange(f"http://127.0.0.1:{server.server_address[1]}", GET_BIG)
        assert raw_exchange(proxy.url, GET_BIG) == direct
        assert raw_exchange(proxy.url, b"GET /until-close HTTP/1.1\r\nHost: t\r\n\r\n").endswith(b"read me to the end")
    assert proxy.counts["connections"] == 3  # the session's one, then the two raw ones
    assert proxy.counts["exchanges"] == proxy.counts[PASSTHROUGH] == 10
    assert proxy.faults() == 0 and proxy.errors == []
    assert len(server.completed) == 11  # the direct request too


def test_cut_request_leaves_the_server_with_part_of_it(server):
    request = post("/events", b"e" * 20_000)
    head = len(request) - 20_000
    with proxy_for(server, seed=3, **only(CUT_REQUEST)) as proxy:
        for _ in range(6):
            assert raw_exchange(proxy.url, request) == b""  # not a byte of answer
        with pytest.raises(requests.ConnectionError):
            requests.post(proxy.url + "/events", data=b"e" * 20_000, timeout=10)
    assert proxy.counts[CUT_REQUEST] == proxy.counts["exchanges"] == 7
    assert [(e.kind, e.status, e.committed) for e in proxy.log] == [(CUT_REQUEST, None, False)] * 7
    cuts = [d.cut_at(len(request)) for d in proxy.decisions[:6]]
    assert all(0 < cut < len(request) for cut in cuts)
    # the server read exactly the bytes before each cut (when the cut fell in the body)
    expected = sorted(("/events", 20_000, cut - head) for cut in cuts if cut > head)
    assert expected, "seed 3 cuts at least one request in its body"
    deadline = time.monotonic() + 10  # the server's threads note what they read after the proxy closed
    while not set(expected) <= set(server.partial) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert set(expected) <= set(server.partial)
    assert server.completed == []  # no request reached the server whole


def test_cut_response_after_the_server_did_the_work(server):
    direct = raw_exchange(f"http://127.0.0.1:{server.server_address[1]}", GET_BIG)
    with proxy_for(server, seed=4, **only(CUT_RESPONSE)) as proxy:
        received = raw_exchange(proxy.url, GET_BIG)
        with pytest.raises(requests.RequestException):
            requests.post(proxy.url + "/events", data=b"acknowledge me", timeout=10)
    cut = proxy.decisions[0].cut_at(len(direct))
    assert 0 < cut < len(direct)
    assert received == direct[:cut]  # the first `cut` bytes, then nothing
    assert ("POST", "/events", b"acknowledge me") in server.completed  # it was stored all the same
    assert proxy.counts[CUT_RESPONSE] == 2


def test_lose_answer_drops_the_whole_answer_after_the_server_committed(server):
    with proxy_for(server, seed=5, **only(LOSE_ANSWER)) as proxy:
        assert raw_exchange(proxy.url, post("/events", b"seq 1..500")) == b""
        with pytest.raises(requests.ConnectionError):
            requests.post(proxy.url + "/events", data=b"seq 501..600", timeout=10)
    assert [c[2] for c in server.completed] == [b"seq 1..500", b"seq 501..600"]
    assert proxy.counts[LOSE_ANSWER] == 2 and proxy.counts["exchanges"] == 2
    assert [(e.kind, e.status, e.committed) for e in proxy.log] == [(LOSE_ANSWER, 200, True)] * 2
    assert all(e.is_for("POST", "/events") and not e.is_for("GET", "/events") for e in proxy.log)


def test_delay_sleeps_before_relaying_both_ways(server):
    with proxy_for(server, seed=6, **only(DELAY, max_delay=0.04)) as proxy, requests.Session() as session:
        started = time.monotonic()
        for i in range(5):
            assert session.get(proxy.url + f"/slow/{i}").content == b"ok /slow/%d" % i
        elapsed = time.monotonic() - started
    assert proxy.counts[DELAY] == 5
    delays = [d.delay for d in proxy.decisions]
    assert all(0 <= d <= 0.04 for d in delays) and len(set(delays)) == 5
    assert elapsed >= 2 * sum(delays) - 0.005  # slept before the request and before the answer


def test_throttle_relays_in_small_pieces(server):
    plan = only(THROTTLE, piece_bytes=4096, piece_pause=0.0005)
    with proxy_for(server, seed=7, **plan) as proxy, requests.Session() as session:
        assert session.get(proxy.url + "/big").content == BIG
        assert session.post(proxy.url + "/events", data=b"z" * 10_000).content == b"stored 10000"
    # /big: a one-piece request and an answer of 26 pieces (100 KiB and a head); the post: 3 pieces and 1
    assert proxy.counts["pieces"] == 1 + 26 + 3 + 1
    assert proxy.counts[THROTTLE] == 2 and proxy.errors == []


def test_only_targets_the_named_requests(server):
    plan = only(LOSE_ANSWER, only=("POST /events",))
    with proxy_for(server, seed=8, **plan) as proxy, requests.Session() as session:
        assert session.get(proxy.url + "/events").content == b"ok /events"  # a GET: relayed
        with pytest.raises(requests.ConnectionError):
            session.post(proxy.url + "/events", data=b"up")
        assert session.post(proxy.url + "/other", data=b"x").content == b"stored 1"
    assert proxy.counts["exchanges"] == 3 and proxy.counts[LOSE_ANSWER] == 1 and proxy.counts[PASSTHROUGH] == 2
    assert len(proxy.decisions) == 1  # only the targeted request drew from the seed


# --- a mix, and determinism ----------------------------------------------------------------------

MIXED = {
    "passthrough": 2.0,
    "cut_request": 1.0,
    "cut_response": 1.0,
    "delay": 1.0,
    "throttle": 1.0,
    "lose_answer": 1.0,
    "max_delay": 0.01,
    "piece_bytes": 512,
}


def drive(proxy: FaultProxy, count: int) -> list[str]:
    """`count` sequential posts (a new connection after each failure); what each one gave: "ok" (the
    right answer), "broken" (an answer, but not the right one: a cut in the answer's head can look
    like a 200 with no body to an HTTP library) or "failed" (an exception)."""
    outcomes = []
    with requests.Session() as session:
        for i in range(count):
            body = b"%d" % i * 300
            try:
                answer = session.post(proxy.url + f"/events/{i}", data=body, timeout=10)
            except requests.RequestException:
                outcomes.append("failed")
                continue
            right = answer.status_code == 200 and answer.content == b"stored %d" % len(body)
            outcomes.append("ok" if right else "broken")
    return outcomes


def test_a_mixed_plan_applies_every_kind_consistently(server):
    with proxy_for(server, seed=2026, **MIXED) as proxy:
        outcomes = drive(proxy, 60)
        server_side = len(server.completed)
    counts = proxy.counts
    assert {kind: counts[kind] > 0 for kind in KINDS} == dict.fromkeys(KINDS, True)
    assert sum(counts[kind] for kind in KINDS) == counts["exchanges"] == 60
    assert outcomes.count("ok") == counts[PASSTHROUGH] + counts[DELAY] + counts[THROTTLE]
    assert (
        outcomes.count("failed") + outcomes.count("broken")
        == counts[CUT_REQUEST] + counts[CUT_RESPONSE] + counts[LOSE_ANSWER]
    )
    # every request reached the server whole except the ones cut on the way there
    assert server_side == 60 - counts[CUT_REQUEST]
    assert proxy.errors == []


def test_the_same_seed_gives_the_same_decisions(server):
    runs = []
    for seed in (11, 11, 12):
        server.completed.clear()
        with proxy_for(server, seed=seed, **MIXED) as proxy:
            outcomes = drive(proxy, 40)
        runs.append((proxy.decisions, dict(proxy.counts), outcomes, [c[1] for c in server.completed]))
    assert runs[0] == runs[1]
    assert runs[0][0] == decisions(11, FaultPlan(**MIXED), 40)
    assert runs[2][0] != runs[0][0]
    assert [d.kind for d in runs[2][0]] != [d.kind for d in runs[0][0]]


def test_a_decision_stream_does_not_depend_on_the_kinds_drawn():
    # three draws per decision, whatever the kind: changing weights changes kinds, not the other draws
    first = decisions(5, FaultPlan(**MIXED), 20)
    second = decisions(5, FaultPlan.only_kind(THROTTLE), 20)
    assert [d.fraction for d in first] == [d.fraction for d in second]
    assert {d.kind for d in second} == {THROTTLE}


@pytest.mark.parametrize(
    "plan",
    [{"passthrough": -1.0}, {"passthrough": 0.0}, {"piece_bytes": 0}, {"max_delay": -0.1}],
)
def test_a_bad_plan_is_refused(plan):
    with pytest.raises(ValueError):
        FaultPlan(**plan)
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultPlan.only_kind("flood")


def test_stop_ends_open_connections_and_wait_for_exchanges(server):
    proxy = proxy_for(server).start()
    host, port = proxy.url.removeprefix("http://").split(":")
    idle = socket.create_connection((host, int(port)), timeout=10)
    try:
        idle.sendall(b"GET /one HTTP/1.1\r\nHost: t\r\n\r\n")
        assert proxy.wait_for_exchanges(1, timeout=10)
        assert not proxy.wait_for_exchanges(2, timeout=0.05)
        assert idle.recv(65536).endswith(b"ok /one")
        proxy.stop()
        assert idle.recv(65536) == b""  # the proxy closed its side
    finally:
        idle.close()
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=2).close()


def test_statuses_count_the_answers_the_server_gave(server):
    with proxy_for(server, seed=9, **only(LOSE_ANSWER)) as proxy:
        raw_exchange(proxy.url, GET_BIG)
        raw_exchange(proxy.url, b"GET /nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        raw_exchange(proxy.url, b"BREW /pot HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    assert proxy.statuses == {200: 2, 501: 1}  # http.server: 501 for a method it does not implement


@pytest.mark.parametrize("phase", HOLD_PHASES)
def test_hold_stops_an_exchange_at_a_phase_until_released(server, phase):
    direct = raw_exchange(f"http://127.0.0.1:{server.server_address[1]}", post("/events", b"seq 7"))
    server.completed.clear()
    with proxy_for(server) as proxy:
        proxy.hold_at(2, phase)
        assert raw_exchange(proxy.url, post("/events", b"seq 6")) == direct.replace(b"seq 7", b"seq 6")
        received = []
        client = threading.Thread(target=lambda: received.append(raw_exchange(proxy.url, post("/events", b"seq 7"))))
        client.start()
        assert proxy.wait_held(10)
        assert client.is_alive()  # the client waits: the exchange stands still
        completed = [body for _, _, body in server.completed]
        proxy.release()
        client.join(10)
        assert not client.is_alive()
        assert raw_exchange(proxy.url, post("/events", b"seq 8")).endswith(b"stored 5")  # holds once
    if phase == HOLD_REQUEST:
        assert completed == [b"seq 6"] and received == [b""]
    elif phase == HOLD_ANSWER:
        assert completed == [b"seq 6", b"seq 7"] and received == [b""]
    else:
        assert completed == [b"seq 6", b"seq 7"] and received == [direct[: len(direct) // 2]]
    assert proxy.counts["held"] == 1 and proxy.counts[PASSTHROUGH] == 2 and proxy.counts["exchanges"] == 3
    assert len(proxy.decisions) == 2  # nothing drawn for the held exchange
    with pytest.raises(ValueError, match="unknown phase"):
        proxy.hold_at(1, "later")
