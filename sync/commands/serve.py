"""`numeribus-sync serve`: run headquarters (the sync API, the admin site) on uvicorn.

The address and port come from ``--host``/``--port``, else ``[server]`` in config.toml (or
``NUMERIBUS_SYNC_SERVER_HOST``/``_PORT``), else 127.0.0.1:8470.  The service is announced over
mDNS (sync.server.announce) unless ``--no-announce`` or ``[announce] enabled = false``.  Logs go
to stderr.  Housekeeping (sync.server.housekeeping) runs at start-up and then daily.  SIGTERM or
Ctrl-C stops it gracefully: requests in progress finish, the announcement is withdrawn, exit
status 0.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys

from ..cli import CommandError
from ..server.database import resolve_data_dir

log = logging.getLogger("sync.serve")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from exc
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535")
    return value


def _bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CommandError(f"Cannot listen on {host}: unknown address ({exc.strerror}).") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(address)
        # Listening from now on: a bus that reads the mDNS announcement (made before uvicorn has
        # started) and calls at once waits in the backlog instead of being refused.
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CommandError(f"Cannot listen on {host} port {port}: {exc.strerror or exc}.") from exc
    return sock


def cmd_serve(args) -> int:
    import uvicorn

    from numeribus_kiosk.store import StoreError

    from ..server.announce import Announcer, announce_interfaces
    from ..server.app import create_app
    from ..server.backup import ServiceLock
    from ..server.housekeeping import Housekeeper
    from ..server.state import HQ

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    data_dir = resolve_data_dir(args.data_dir)
    lock = ServiceLock(data_dir)  # held while serving: `restore` refuses to run under it
    if not lock.acquire():
        raise CommandError(f"Headquarters is already being served from {data_dir} (another serve holds {lock.path}).")
    try:
        hq = HQ(data_dir)
    except StoreError as exc:
        lock.release()
        raise CommandError(str(exc)) from exc
    try:
        host = args.host or hq.config.host
        port = args.port or hq.config.port
        announce = hq.config.announce if args.announce is None else args.announce
        sock = _bind(host, port)
        config = uvicorn.Config(
            create_app(hq),
            log_config=None,  # the logging set up above: stderr
            lifespan="off",
            ws="none",
            # X-Forwarded-Proto/-For are believed from [server] trusted_proxies only (a TLS reverse
            # proxy on the same machine: ["127.0.0.1"]): the admin cookie is then marked Secure, and
            # the login lockout sees the visitor's address rather than the proxy's.
            proxy_headers=bool(hq.config.trusted_proxies),
            forwarded_allow_ips=list(hq.config.trusted_proxies) or None,
            server_header=False,
            timeout_graceful_shutdown=30,
        )
        server = uvicorn.Server(config)
        announcer = None
        if announce:
            announcer = Announcer(hq, port, announce_interfaces(hq.config.announce_interfaces, host))
            try:
                announcer.start()
            except OSError as exc:
                log.warning("the mDNS announcement could not start (%s); serving without it", exc)
                announcer = None
        log.info("headquarters (data in %s, key %s) on http://%s:%s", data_dir, hq.fingerprint, host, port)
        housekeeper = Housekeeper(hq).start()
        # uvicorn stops gracefully on SIGTERM/SIGINT, then raises the signal again for the handler
        # it found: ours only notes it, so that a requested stop ends with status 0.
        received: list[int] = []
        previous = {sig: signal.signal(sig, lambda number, frame: received.append(number)) for sig in STOP_SIGNALS}
        try:
            server.run(sockets=[sock])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            housekeeper.stop()
            if announcer is not None:
                announcer.stop()
            sock.close()
        how = f" ({signal.Signals(received[0]).name})" if received else ""
        log.info("headquarters stopped%s", how)
        return 0
    finally:
        hq.close()
        lock.release()


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="run the headquarters service (sync API, admin site, mDNS announcement)",
        description="Run headquarters: the sync API for the buses, the admin site, /health, OpenAPI at /docs.",
    )
    p.add_argument("--host", metavar="H", help="address to listen on (default: [server] host, 127.0.0.1)")
    p.add_argument("--port", type=_port, metavar="P", help="port to listen on (default: [server] port, 8470)")
    p.add_argument(
        "--announce",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="announce the service over mDNS (default: [announce] enabled, true)",
    )
    p.set_defaults(func=cmd_serve)
