"""mDNS: headquarters announces itself on the depot network (docs/protocol.md, "mDNS").

`Announcer(hq, port, interfaces)` registers ``<service name>._numeribus._tcp.local.`` with TXT
``api=1``, ``fp=<key fingerprint>``, ``path=/api/v1`` and withdraws it on `stop()`.  Which
addresses it speaks on and announces:

- the configured ``[announce] interfaces`` (addresses, e.g. ``["192.168.10.2"]``), when given;
- else the address the server listens on, when it listens on one address (``--host 192.168.10.2``;
  ``127.0.0.1`` stays on loopback);
- else (``0.0.0.0``) every interface, announcing the machine's non-loopback IPv4 addresses.

A bus takes an announcement as a hint only: it trusts the server once an answer verifies with the
pinned key.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Sequence

import ifaddr
from zeroconf import InterfaceChoice, IPVersion, ServiceInfo, Zeroconf

from .. import protocol
from .state import HQ

log = logging.getLogger(__name__)

MAX_INSTANCE_BYTES = 63  # a DNS label


def instance_name(service_name: str) -> str:
    """The service's name cut to one DNS label (63 bytes of UTF-8), without dots."""
    text = " ".join(service_name.replace(".", " ").split()) or "Numeribus"
    while len(text.encode("utf-8")) > MAX_INSTANCE_BYTES:
        text = text[:-1]
    return text.rstrip()


def machine_addresses() -> list[str]:
    """The machine's IPv4 addresses, loopback excluded."""
    found = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback:
                found.append(ip.ip)
    return sorted(set(found))


def announce_interfaces(configured: Sequence[str], host: str) -> list[str]:
    """The addresses to announce on: the configured ones, else the listening address, else none (= all)."""
    if configured:
        return list(configured)
    if host not in ("", "0.0.0.0", "::"):
        return [host]
    return []


class Announcer:
    """Announce headquarters (port `port`) over mDNS on `interfaces` (addresses; empty = every interface)."""

    def __init__(self, hq: HQ, port: int, interfaces: Sequence[str] = ()) -> None:
        self.hq = hq
        self.port = port
        self.interfaces = list(interfaces)
        self.zeroconf: Zeroconf | None = None
        self.info: ServiceInfo | None = None

    @property
    def properties(self) -> dict[str, str]:
        return {"api": str(protocol.API_VERSION), "fp": self.hq.fingerprint, "path": f"/api/v{protocol.API_VERSION}"}

    def start(self) -> ServiceInfo:
        addresses = self.interfaces or machine_addresses()
        packed = [socket.inet_aton(address) for address in addresses if ipaddress.ip_address(address).version == 4]
        if not packed:
            raise OSError("no IPv4 address to announce")
        name = instance_name(self.hq.config.service_name)
        self.info = ServiceInfo(
            protocol.SERVICE_TYPE,
            f"{name}.{protocol.SERVICE_TYPE}",
            port=self.port,
            properties=self.properties,
            addresses=packed,
            server=f"numeribus-hq-{self.hq.key_id}.local.",
        )
        self.zeroconf = Zeroconf(interfaces=self.interfaces or InterfaceChoice.All, ip_version=IPVersion.V4Only)
        try:
            self.zeroconf.register_service(self.info, allow_name_change=True)
        except BaseException:
            self.zeroconf.close()
            self.zeroconf = None
            raise
        log.info("announced %s on %s", self.info.name, ", ".join(addresses))
        return self.info

    def stop(self) -> None:
        if self.zeroconf is None:
            return
        try:
            if self.info is not None:
                self.zeroconf.unregister_service(self.info)
        finally:
            self.zeroconf.close()
            self.zeroconf = None

    def __enter__(self) -> Announcer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
