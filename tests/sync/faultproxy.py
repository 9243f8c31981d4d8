"""A fault-injecting TCP proxy for the reliability tests: loopback only, deterministic from a seed.

``FaultProxy(target_host, target_port, seed, faults=FaultPlan(...))`` listens on 127.0.0.1 (a free
port) and relays HTTP/1.1 exchanges to the target in a background thread.  It reads the bytes
it relays only to find where a message ends (``Content-Length``, chunked transfer encoding, or the
end of the connection); it never changes them.  For every exchange (one request and its answer,
several per kept-alive connection) it draws one `Decision` from ``random.Random(seed)``, in the
order the requests arrive:

- ``passthrough``: relay both ways;
- ``cut_request``: send the server only the first part of the request, then close both sides
  (the server never gets the whole request);
- ``cut_response``: relay the request, then only the first part of the answer, then close (the
  server did the work; the client gets a broken answer);
- ``delay``: sleep (at most ``max_delay`` seconds) before relaying the request, and again before
  relaying the answer;
- ``throttle``: relay both in pieces of ``piece_bytes`` with a pause of ``piece_pause`` seconds
  after each piece;
- ``lose_answer``: relay the whole request, wait for the whole answer (the server committed),
  then close the client's connection without a byte of it: a lost acknowledgement.

"The first part" is ``fraction`` of the message, at least one byte and at least one byte short of
the whole, so a cut really is in the middle.  ``FaultPlan.only`` limits the faults to requests whose
``METHOD /path`` starts with one of its prefixes (the others are relayed and draw nothing).

``proxy.counts`` counts connections, exchanges, each kind applied and the throttled pieces sent;
``proxy.statuses`` the status codes the server answered (whether the client got them or not);
``proxy.decisions`` lists the decisions in order, ``proxy.log`` every exchange (`Exchange`: request
line, fault, the server's status); ``proxy.wait_for_exchanges(n)`` waits until n
requests have arrived and ``proxy.hold_at(n, phase)`` stops the n-th exchange at a phase until
``proxy.release()`` (both to kill a client at a chosen point of its work).
Use ``with FaultProxy(...) as proxy: ... proxy.url``.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass

PASSTHROUGH = "passthrough"
CUT_REQUEST = "cut_request"
CUT_RESPONSE = "cut_response"
DELAY = "delay"
THROTTLE = "throttle"
LOSE_ANSWER = "lose_answer"
KINDS = (PASSTHROUGH, CUT_REQUEST, CUT_RESPONSE, DELAY, THROTTLE, LOSE_ANSWER)
HOLD_REQUEST = "request"
HOLD_ANSWER = "answer"
HOLD_MID_ANSWER = "mid_answer"
HOLD_PHASES = (HOLD_REQUEST, HOLD_ANSWER, HOLD_MID_ANSWER)

MAX_HEAD = 64 * 1024
IO_TIMEOUT = 30.0  # seconds: a stuck peer ends its connection, never the test run


class ProxyFramingError(Exception):
    """The bytes relayed are not HTTP/1.1 the proxy can frame."""


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str
    fraction: float  # where a cut falls, as a fraction of the message (0 < cut < whole)
    delay: float  # seconds, for `delay`

    def cut_at(self, size: int) -> int:
        """The number of bytes relayed before a cut: at least 1, at most size - 1 (0 for an empty message)."""
        if size <= 1:
            return 0
        return min(size - 1, max(1, int(self.fraction * size)))


@dataclass(frozen=True, slots=True)
class Exchange:
    request_line: str  # "POST /api/v1/events HTTP/1.1"
    kind: str  # the fault applied
    status: int | None  # the server's answer (None: the request never reached it whole)

    @property
    def committed(self) -> bool:
        """The server answered (so did its work) whatever the client got."""
        return self.status is not None

    def is_for(self, method: str, path_prefix: str) -> bool:
        parts = self.request_line.split(" ")
        return len(parts) > 1 and parts[0] == method and parts[1].startswith(path_prefix)


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Relative weights of each kind (they need not add up to 1) and the sizes of the faults."""

    passthrough: float = 1.0
    cut_request: float = 0.0
    cut_response: float = 0.0
    delay: float = 0.0
    throttle: float = 0.0
    lose_answer: float = 0.0
    max_delay: float = 0.05
    piece_bytes: int = 1024
    piece_pause: float = 0.001
    only: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        weights = self.weights()
        if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise ValueError(f"fault weights must be >= 0 with a positive sum: {weights}")
        if self.max_delay < 0 or self.piece_bytes < 1 or self.piece_pause < 0:
            raise ValueError("max_delay and piece_pause must be >= 0 and piece_bytes >= 1")

    @classmethod
    def only_kind(cls, kind: str, **options) -> FaultPlan:
        """A plan that applies `kind` to every (targeted) exchange."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        weights = dict.fromkeys(KINDS, 0.0)
        weights[kind] = 1.0
        return cls(**weights, **options)

    def weights(self) -> dict[str, float]:
        return {kind: float(getattr(self, kind)) for kind in KINDS}

    def decide(self, rng: random.Random) -> Decision:
        """The next decision; always three draws from `rng`, whatever the kind, so a plan's stream is stable."""
        weights = self.weights()
        point = rng.random() * sum(weights.values())
        fraction = rng.random()
        delay = rng.uniform(0, self.max_delay)
        kind = KINDS[-1]
        for name in KINDS:
            if point < weights[name]:
                kind = name
                break
            point -= weights[name]
        return Decision(kind, fraction, delay)

    def targets(self, request_line: str) -> bool:
        if not self.only:
            return True
        parts = request_line.split(" ")
        method_and_path = " ".join(parts[:2])
        return any(method_and_path.startswith(prefix) for prefix in self.only)


def decisions(seed: int, plan: FaultPlan, count: int) -> list[Decision]:
    """The first `count` decisions a proxy with this seed and plan takes."""
    rng = random.Random(seed)
    return [plan.decide(rng) for _ in range(count)]


# --- framing -------------------------------------------------------------------------------------


class _Reader:
    """A buffered reader over one socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()

    def fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def take(self, size: int) -> bytes:
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def head(self) -> bytes | None:
        """Everything up to and including the blank line; None at a clean end of the connection."""
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                return self.take(end + 4)
            if len(self.buffer) > MAX_HEAD:
                raise ProxyFramingError("head too large")
            if not self.fill():
                if self.buffer:
                    raise ConnectionAbortedError("connection closed in the middle of a head")
                return None

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self.fill():
                raise ConnectionAbortedError("connection closed in the middle of a body")
        return self.take(size)

    def line(self) -> bytes:
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                return self.take(end + 2)
            if len(self.buffer) > MAX_HEAD:
                raise ProxyFramingError("chunk size line too long")
            if not self.fill():
                raise ConnectionAbortedError("connection closed in the middle of a chunked body")

    def chunked(self) -> bytes:
        parts = []
        while True:
            size_line = self.line()
            parts.append(size_line)
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError as exc:
                raise ProxyFramingError("bad chunk size") from exc
            if size == 0:
                while True:  # trailers, up to the blank line
                    trailer = self.line()
                    parts.append(trailer)
                    if trailer == b"\r\n":
                        return b"".join(parts)
            parts.append(self.exactly(size + 2))

    def rest(self) -> bytes:
        while self.fill():
            pass
        return self.take(len(self.buffer))


def _headers(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            fields[name.strip().lower()] = value.strip()
    return lines[0], fields


def _read_request(reader: _Reader) -> tuple[str, bytes] | None:
    """(request line, whole request bytes), or None when the client closed between requests."""
    head = reader.head()
    if head is None:
        return None
    request_line, fields = _headers(head)
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return request_line, head + reader.chunked()
    length = int(fields.get("content-length", "0") or 0)
    return request_line, head + reader.exactly(length)


def _read_response(reader: _Reader, method: str) -> tuple[bytes, bool]:
    """(whole answer bytes, interim answers included; whether the connection must close after it)."""
    interim = b""
    while True:
        head = reader.head()
        if head is None:
            raise ConnectionAbortedError("the server closed the connection without an answer")
        status_line, fields = _headers(head)
        try:
            status = int(status_line.split(" ")[1])
        except (IndexError, ValueError) as exc:
            raise ProxyFramingError(f"not an HTTP status line: {status_line[:80]!r}") from exc
        if 100 <= status < 200 and status != 101:
            interim += head
            continue
        break
    closing = fields.get("connection", "").lower() == "close" or status_line.startswith("HTTP/1.0")
    if method == "HEAD" or status in (204, 304):
        return interim + head, closing
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return interim + head + reader.chunked(), closing
    if "content-length" in fields:
        return interim + head + reader.exactly(int(fields["content-length"])), closing
    return interim + head + reader.rest(), True


def _final_status(answer: bytes) -> int:
    """The status code of an answer's final head (after any interim 1xx heads; `_read_response` checked them)."""
    start = 0
    while True:
        status = int(answer[start : answer.find(b"\r\n", start)].split(b" ")[1])
        if 100 <= status < 200 and status != 101:
            start = answer.find(b"\r\n\r\n", start) + 4
            continue
        return status


# --- the proxy -----------------------------------------------------------------------------------


@dataclass(eq=False)
class _Connection:
    client: socket.socket
    server: socket.socket | None = None

    def close(self) -> None:
        for sock in (self.client, self.server):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


class FaultProxy:
    """A proxy in front of ``target_host:target_port`` that injects the faults of `faults`."""

    def __init__(self, target_host: str, target_port: int, seed: int, faults: FaultPlan | None = None) -> None:
        self.target = (target_host, int(target_port))
        self.seed = seed
        self.plan = faults or FaultPlan()
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.decisions: list[Decision] = []
        self.statuses: Counter[int] = Counter()  # status codes of the answers the server gave (delivered or not)
        self.arrivals: list[str] = []  # the request line of every request, as it arrives
        self.log: list[Exchange] = []  # every exchange: its request line, the fault, the server's status
        self.errors: list[str] = []  # framing problems met (bytes the proxy could not frame)
        self._lock = threading.Condition()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[_Connection] = set()
        self._handlers: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._hold: tuple[int, str] | None = None
        self._held = threading.Event()
        self._released = threading.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> FaultProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(0.05)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name=f"faultproxy-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close()
        for handler in list(self._handlers):
            handler.join(timeout=10)

    def hold_at(self, exchange: int, phase: str) -> None:
        """Stop the `exchange`-th exchange (counted from the start, 1-based) at `phase` and keep it
        there until `release()`: `HOLD_REQUEST` (half the request sent to the server),
        `HOLD_ANSWER` (the server answered, nothing of it sent back: a committed upload whose
        acknowledgement is on its way) or `HOLD_MID_ANSWER` (half of the answer sent back).  For
        killing a client at a known point of the protocol; `wait_held()` says when it is there."""
        if phase not in HOLD_PHASES:
            raise ValueError(f"unknown phase {phase!r}")
        with self._lock:
            self._hold = (exchange, phase)
            self._held.clear()
            self._released.clear()

    def wait_held(self, timeout: float) -> bool:
        return self._held.wait(timeout)

    def release(self) -> None:
        """Let a held exchange end (its connection is closed), and hold nothing more."""
        with self._lock:
            self._hold = None
        self._released.set()

    def faults(self) -> int:
        """How many exchanges got something else than a plain relay."""
        return sum(self.counts[kind] for kind in KINDS if kind != PASSTHROUGH)

    def wait_for_exchanges(self, count: int, timeout: float = 60.0) -> bool:
        """Wait until `count` requests have arrived (True), or `timeout` seconds (False)."""
        with self._lock:
            return self._lock.wait_for(lambda: self.counts["exchanges"] >= count, timeout)

    # --- inside the proxy's threads ---

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(IO_TIMEOUT)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # throttled pieces go out as they are
            connection = _Connection(client)
            with self._lock:
                self.counts["connections"] += 1
                self._connections.add(connection)
            handler = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._handlers = [t for t in self._handlers if t.is_alive()]
            self._handlers.append(handler)
            handler.start()

    def _decide(self, request_line: str) -> tuple[Decision, str | None]:
        """The exchange's decision, and the phase to hold it at (None: not held)."""
        with self._lock:
            self.counts["exchanges"] += 1
            self.arrivals.append(request_line)
            hold = None
            decision = Decision(PASSTHROUGH, 0.0, 0.0)
            if self._hold is not None and self._hold[0] == self.counts["exchanges"]:
                hold = self._hold[1]  # held: no decision drawn, counted as "held"
            elif self.plan.targets(request_line):
                decision = self.plan.decide(self.rng)
                self.decisions.append(decision)
            if hold is None:
                self.counts[decision.kind] += 1
            self._lock.notify_all()
        return decision, hold

    def _serve(self, connection: _Connection) -> None:
        try:
            connection.server = socket.create_connection(self.target, timeout=IO_TIMEOUT)
            connection.server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client_reader = _Reader(connection.client)
            server_reader = _Reader(connection.server)
            while self._wait_for_request(connection, client_reader):
                request = _read_request(client_reader)
                if request is None:
                    return
                request_line, data = request
                decision, hold = self._decide(request_line)
                if hold is not None:
                    self._held_exchange(connection, server_reader, request_line, data, hold)
                    return
                if not self._exchange(connection, server_reader, request_line, data, decision):
                    return
        except ProxyFramingError as exc:
            with self._lock:
                self.errors.append(str(exc))
        except (OSError, ValueError):
            pass  # a peer went away, or the proxy stopped: so does this connection
        finally:
            connection.close()
            with self._lock:
                self._connections.discard(connection)

    def _wait_for_request(self, connection: _Connection, client_reader: _Reader) -> bool:
        """Wait between two exchanges; False when the proxy stops or the server ends the kept-alive
        connection (then the client's side is closed too, as the server's own close would be seen)."""
        if client_reader.buffer:
            return True
        server = connection.server
        while not self._stopping.is_set():
            readable, _, _ = select.select([connection.client, server], [], [], 0.1)
            if server in readable:
                return False  # the server closed (or spoke out of turn): end this connection
            if readable:
                return True
        return False

    def _exchange(
        self, connection: _Connection, server_reader: _Reader, request_line: str, data: bytes, decision: Decision
    ) -> bool:
        """Relay one exchange with its fault; False when the connection is to end."""
        server, client = connection.server, connection.client
        assert server is not None
        kind = decision.kind
        if kind == CUT_REQUEST:
            self._note(request_line, kind, None)
            server.sendall(data[: decision.cut_at(len(data))])
            return False
        if kind == DELAY:
            self._stopping.wait(decision.delay)
        self._send(server, data, throttled=kind == THROTTLE)
        answer, closing = _read_response(server_reader, request_line.split(" ")[0].upper())
        self._note(request_line, kind, _final_status(answer))
        if kind == LOSE_ANSWER:
            return False
        if kind == CUT_RESPONSE:
            client.sendall(answer[: decision.cut_at(len(answer))])
            return False
        if kind == DELAY:
            self._stopping.wait(decision.delay)
        self._send(client, answer, throttled=kind == THROTTLE)
        return not closing

    def _held_exchange(
        self, connection: _Connection, server_reader: _Reader, request_line: str, data: bytes, phase: str
    ) -> None:
        """Relay up to `phase`, then stop there until `release()`; the connection then ends."""
        server, client = connection.server, connection.client
        assert server is not None
        if phase == HOLD_REQUEST:
            self._note(request_line, "held", None)
            server.sendall(data[: max(1, len(data) // 2)])
        else:
            server.sendall(data)
            answer, _ = _read_response(server_reader, request_line.split(" ")[0].upper())
            self._note(request_line, "held", _final_status(answer))
            if phase == HOLD_MID_ANSWER:
                client.sendall(answer[: max(1, len(answer) // 2)])
        with self._lock:
            self.counts["held"] += 1
        self._held.set()
        while not self._released.wait(0.05) and not self._stopping.is_set():
            pass

    def _note(self, request_line: str, kind: str, status: int | None) -> None:
        with self._lock:
            self.log.append(Exchange(request_line, kind, status))
            if status is not None:
                self.statuses[status] += 1

    def _send(self, sock: socket.socket, data: bytes, *, throttled: bool) -> None:
        if not throttled:
            sock.sendall(data)
            return
        step = self.plan.piece_bytes
        for start in range(0, len(data), step):
            sock.sendall(data[start : start + step])
            with self._lock:
                self.counts["pieces"] += 1
            time.sleep(self.plan.piece_pause)
