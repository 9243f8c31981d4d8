"""Finding headquarters on the depot's network: mDNS (docs/protocol.md, "mDNS").

``HQBrowser(interfaces, on_found)`` browses ``_numeribus._tcp.local.`` (`protocol.SERVICE_TYPE`)
with zeroconf on `interfaces` (IPv4 addresses; None or empty: every interface) and calls
``on_found(candidate)`` from its own thread for each service that appears, or comes back with
another address, port or TXT record.  A `Candidate` carries the service's addresses, port and
TXT (``api``, ``fp``, ``path``).  zeroconf joins the multicast group on the interfaces that exist
when it starts: call `restart()` when a link comes up (the depot's Wi-Fi joined after start-up).

An announcement is only a HINT: anybody on the network can announce anything.
``verify_candidate(url, identity, session=None, *, fingerprint=None) -> bool`` checks it:

1. when the TXT record's fingerprint is given, it must be the pinned key's
   (``identity.hq_fingerprint``), else False at once, without contacting the server;
2. a signed ``GET /api/v1/hello`` (`sync.agent.http.HQClient`, with the bus's key and the pinned
   headquarters key) must get an answer that verifies with the pinned key and names this bus.

Anything else (no answer, an answer not signed by the pinned key, a verified refusal such as a
revoked bus) gives False, logged in one plain sentence.  `trusted_url(candidate, identity)` does
both steps for a candidate (its ``api`` must be this protocol's) and returns the first of its
addresses that verified, or None.  The sync round itself checks every answer again.
"""

from __future__ import annotations

import ipaddress
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import requests
from zeroconf import InterfaceChoice, IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

from .. import protocol
from .http import HQClient, HQError, HQUnreachable, HQUntrusted
from .identity import Identity

log = logging.getLogger(__name__)

VERIFY_TIMEOUT = (5.0, 15.0)  # seconds: to connect, then to read the hello answer
_STOP = object()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A headquarters announced on the network (not trusted yet)."""

    name: str  # the mDNS service name ("Numéribus._numeribus._tcp.local.")
    addresses: tuple[str, ...]
    port: int
    api: str | None  # TXT api: the protocol version ("1")
    fingerprint: str | None  # TXT fp: the announced key's fingerprint
    path: str | None  # TXT path: "/api/v1"

    @property
    def urls(self) -> list[str]:
        """A base URL per address (``http://ADDRESS:PORT``), in the announcement's order."""
        urls = []
        for address in self.addresses:
            if ipaddress.ip_address(address.split("%")[0]).version == 6:
                host = "[" + address.replace("%", "%25") + "]"  # a zone, as RFC 6874 writes it in a URL
            else:
                host = address
            urls.append(f"http://{host}:{self.port}")
        return urls

    @property
    def url(self) -> str | None:
        return self.urls[0] if self.addresses else None


def _text(properties: dict, key: str) -> str | None:
    value = properties.get(key.encode())
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


class HQBrowser:
    """Browse for headquarters; `on_found(candidate)` runs on the browser's own thread."""

    def __init__(
        self,
        interfaces: Sequence[str] | None,
        on_found: Callable[[Candidate], object],
        *,
        resolve_timeout: float = 3.0,
    ) -> None:
        self.interfaces = list(interfaces or [])
        self.on_found = on_found
        self.resolve_timeout = resolve_timeout
        self._zeroconf: Zeroconf | None = None
        self._browser: ServiceBrowser | None = None
        self._names: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._known: dict[str, Candidate] = {}
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Start browsing (and the thread that resolves what is seen)."""
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("the headquarters browser was already started")
            zeroconf = Zeroconf(interfaces=self.interfaces or InterfaceChoice.All, ip_version=IPVersion.V4Only)
            self._names = queue.Queue()
            self._known = {}
            self._thread = threading.Thread(
                target=self._work, args=(zeroconf, self._names), name="numeribus-mdns", daemon=True
            )
            self._thread.start()
            try:
                self._browser = ServiceBrowser(zeroconf, protocol.SERVICE_TYPE, handlers=[self._on_change])
            except BaseException:
                self._names.put(_STOP)
                self._thread.join()
                self._thread = None
                zeroconf.close()
                raise
            self._zeroconf = zeroconf
        where = ", ".join(self.interfaces) or "every interface"
        log.info("looking for headquarters (%s) on %s", protocol.SERVICE_TYPE, where)

    def stop(self) -> None:
        """Stop browsing; waits for the thread (and for an `on_found` that runs)."""
        with self._lock:
            thread, browser, zeroconf = self._thread, self._browser, self._zeroconf
            self._thread = self._browser = self._zeroconf = None
            if thread is None:
                return
            self._names.put(_STOP)
        try:
            if browser is not None:
                browser.cancel()
        finally:
            if thread is not threading.current_thread():
                thread.join()
            if zeroconf is not None:
                zeroconf.close()

    def restart(self) -> None:
        """Browse again from scratch (new links joined; every headquarters seen is reported again)."""
        self.stop()
        self.start()

    def __enter__(self) -> HQBrowser:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # zeroconf's thread: hand over at once
    def _on_change(self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange) -> None:
        self._names.put((name, state_change))

    def _work(self, zeroconf: Zeroconf, names: queue.Queue) -> None:
        while True:
            item = names.get()
            if item is _STOP:
                return
            name, state_change = item
            if state_change is ServiceStateChange.Removed:
                if self._known.pop(name, None) is not None:
                    log.info("headquarters %s left the network", name)
                continue
            info = zeroconf.get_service_info(protocol.SERVICE_TYPE, name, timeout=int(self.resolve_timeout * 1000))
            if info is None:
                log.info("headquarters %s was announced but did not answer the address query", name)
                continue
            properties = info.properties or {}
            candidate = Candidate(
                name=name,
                addresses=tuple(info.parsed_addresses(IPVersion.V4Only)),
                port=info.port or 0,
                api=_text(properties, "api"),
                fingerprint=_text(properties, "fp"),
                path=_text(properties, "path"),
            )
            if not candidate.addresses or not candidate.port or self._known.get(name) == candidate:
                continue
            self._known[name] = candidate
            log.info("headquarters announced: %s at %s", name, ", ".join(candidate.urls))
            try:
                self.on_found(candidate)
            except Exception:
                log.exception("handling the headquarters announcement %s failed", name)


def verify_candidate(
    url: str,
    identity: Identity,
    session: requests.Session | None = None,
    *,
    fingerprint: str | None = None,
    timeout: float | tuple[float, float] = VERIFY_TIMEOUT,
) -> bool:
    """True when the server at `url` proves it holds the pinned headquarters key (see the module's doc)."""
    if fingerprint is not None and fingerprint != identity.hq_fingerprint:
        _foreign_key(url, fingerprint, identity)
        return False
    client = HQClient(url, identity.key, identity.hq_public_key, session=session, timeout=timeout)
    try:
        status, body, _ = client.request("GET", "/api/v1/hello")
    except HQUntrusted:
        log.warning(
            "The server announced at %s does not hold the pinned headquarters key (its answer is not signed "
            "with it): ignored.",
            url,
        )
        return False
    except HQError as exc:
        log.warning("Headquarters at %s refused this bus: %s", url, exc.message or exc.code)
        return False
    except HQUnreachable as exc:
        log.warning("%s", exc)
        return False
    finally:
        client.close()
    if status != 200 or not isinstance(body, dict) or body.get("device_id") != identity.device_id:
        log.warning("Headquarters at %s did not answer for this bus: ignored.", url)
        return False
    log.info("headquarters at %s proved it holds the pinned key", url)
    return True


def trusted_url(
    candidate: Candidate,
    identity: Identity,
    session: requests.Session | None = None,
    *,
    timeout: float | tuple[float, float] = VERIFY_TIMEOUT,
) -> str | None:
    """The first of the candidate's addresses whose server verifies; None when none does."""
    if not claims_pinned_key(candidate, identity):
        _reject(candidate, identity)
        return None
    for url in candidate.urls:
        if verify_candidate(url, identity, session, fingerprint=candidate.fingerprint, timeout=timeout):
            return url
    return None


def claims_pinned_key(candidate: Candidate, identity: Identity) -> bool:
    """The announcement speaks this protocol and gives the pinned key's fingerprint: worth asking
    (again, when it did not answer); anything else is refused without contacting it."""
    return candidate.api == str(protocol.API_VERSION) and candidate.fingerprint == identity.hq_fingerprint


def _reject(candidate: Candidate, identity: Identity) -> None:
    if candidate.api != str(protocol.API_VERSION):
        log.warning(
            "The server announced as %s speaks protocol version %s, this bus speaks %s: ignored.",
            candidate.name,
            candidate.api,
            protocol.API_VERSION,
        )
    else:
        _foreign_key(candidate.url or candidate.name, candidate.fingerprint, identity)


def _foreign_key(url: str, fingerprint: str | None, identity: Identity) -> None:
    if not fingerprint:
        log.warning("The server announced at %s gives no key fingerprint: ignored.", url)
        return
    log.warning(
        "The server announced at %s has another key (fingerprint %s…) than the headquarters this bus "
        "is enrolled with (%s…): ignored.",
        url,
        fingerprint[:16],
        identity.hq_fingerprint[:16],
    )
