"""sync.server.announce: the mDNS announcement, on loopback only (127.0.0.1)."""

from __future__ import annotations

import threading

import pytest
from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

from sync import protocol
from sync.server.announce import Announcer, announce_interfaces, instance_name

LOOPBACK = ["127.0.0.1"]


@pytest.fixture
def browser_zeroconf():
    zeroconf = Zeroconf(interfaces=LOOPBACK, ip_version=IPVersion.V4Only)
    try:
        yield zeroconf
    finally:
        zeroconf.close()


def discover(zeroconf: Zeroconf, wanted: str | None = None, wait_s: float = 20) -> str | None:
    """The name of the first service of our type seen (`wanted`, if given), or None."""
    seen = threading.Event()
    names: list[str] = []

    def handler(zeroconf, service_type, name, state_change):
        if state_change is ServiceStateChange.Added and (wanted is None or name == wanted):
            names.append(name)
            seen.set()

    browser = ServiceBrowser(zeroconf, protocol.SERVICE_TYPE, handlers=[handler])
    try:
        seen.wait(wait_s)
    finally:
        browser.cancel()
    return names[0] if names else None


def test_announced_on_loopback_with_its_txt_record(hq, browser_zeroconf):
    with Announcer(hq, 8470, LOOPBACK) as announcer:
        assert announcer.zeroconf is not None
        name = discover(browser_zeroconf, announcer.info.name)
        assert name == f"{instance_name(hq.config.service_name)}.{protocol.SERVICE_TYPE}"
        info = browser_zeroconf.get_service_info(protocol.SERVICE_TYPE, name, timeout=5000)
        assert info is not None
        assert info.port == 8470
        assert info.parsed_addresses() == ["127.0.0.1"]
        assert info.properties == {b"api": b"1", b"fp": hq.fingerprint.encode(), b"path": b"/api/v1"}
    assert announcer.zeroconf is None


def test_stop_withdraws_the_announcement(hq, browser_zeroconf):
    announcer = Announcer(hq, 8470, LOOPBACK)
    info = announcer.start()
    events: dict[ServiceStateChange, threading.Event] = {
        ServiceStateChange.Added: threading.Event(),
        ServiceStateChange.Removed: threading.Event(),
    }

    def handler(zeroconf, service_type, name, state_change):
        if name == info.name and state_change in events:
            events[state_change].set()

    browser = ServiceBrowser(browser_zeroconf, protocol.SERVICE_TYPE, handlers=[handler])
    try:
        assert events[ServiceStateChange.Added].wait(20)
        announcer.stop()
        announcer.stop()  # twice is harmless
        assert events[ServiceStateChange.Removed].wait(20)  # the goodbye packet was heard
    finally:
        browser.cancel()
        announcer.stop()


def test_instance_name_is_one_dns_label():
    long = "Numéribus — " + "é" * 80
    name = instance_name(long)
    assert len(name.encode("utf-8")) <= 63
    assert long.startswith(name)
    assert instance_name("a.b  c") == "a b c"
    assert instance_name("") == "Numeribus"


def test_announce_interfaces():
    assert announce_interfaces(["10.0.0.2"], "0.0.0.0") == ["10.0.0.2"]
    assert announce_interfaces([], "127.0.0.1") == ["127.0.0.1"]
    assert announce_interfaces([], "0.0.0.0") == []  # every interface
