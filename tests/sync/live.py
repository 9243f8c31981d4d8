"""A real uvicorn server on 127.0.0.1 (a free port), in a thread: `serve_in_thread(app)`."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import uvicorn


def free_loopback_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_loopback_port() -> int:
    """A port that nothing listens on at the moment (for a server started in a subprocess).

    Without SO_REUSEADDR: with it, Linux may hand out the port of a listening socket that set it
    too (a server of this very test), and a "closed" address would answer."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_in_thread(app, sock: socket.socket | None = None) -> Iterator[str]:
    """Serve `app` with uvicorn until the block ends; yields its base URL (http://127.0.0.1:PORT).
    `sock`: a socket bound already (from `free_loopback_socket`), else a new one."""
    sock = sock or free_loopback_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    waiting = threading.Event()
    while not server.started and thread.is_alive():
        waiting.wait(0.01)
    try:
        if not server.started:
            raise RuntimeError("the uvicorn server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        if thread.is_alive():
            raise RuntimeError("the uvicorn server did not stop")
