"""sync.agent.discovery: headquarters found by mDNS, trusted only once it proves it holds the pinned key.

Everything real and on 127.0.0.1 only: headquarters' own `Announcer` (sync/server/announce.py),
a live headquarters (uvicorn), a bus enrolled through POST /api/v1/enrol, and a second
headquarters with another key.  Other tests on this machine may announce on 127.0.0.1 too, so
each test waits for the candidate on its own port.

And between two network namespaces that the test makes (headquarters in one, the bus in the
other, a veth pair between them with TEST-NET-1 addresses that exist nowhere else), where this
machine lets it (root: skipped, saying why, elsewhere).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import queue
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sync import protocol
from sync.agent.discovery import Candidate, HQBrowser, trusted_url, verify_candidate
from sync.agent.enrol import enrol
from sync.server import devices
from sync.server.announce import Announcer
from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.live import free_loopback_port, serve_in_thread
from tests.sync.signing import Clock

ROOT = Path(__file__).resolve().parents[3]
LOOPBACK = ["127.0.0.1"]
EVENTUALLY = 30  # seconds: mDNS on loopback answers within a second or two


class CountingSession(requests.Session):
    """A plain requests session that counts what it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def send(self, request, **kwargs):
        self.sent += 1
        return super().send(request, **kwargs)


@pytest.fixture
def identity(live_hq, hq, tmp_path):
    bus_dir = tmp_path / "bus"
    bus_dir.mkdir()
    code = devices.add_device_code(hq.db(), "Bus Forez", hq.now(), hq.config.pairing_code_hours)[0]
    return enrol(bus_dir, live_hq.url, code)


@pytest.fixture
def other_hq(tmp_path):
    """A second headquarters, with its own key, served on another port."""
    service = HQ(tmp_path / "hq2", clock=Clock())
    service.config = dataclasses.replace(service.config, service_name="Un autre siège")
    try:
        with serve_in_thread(create_app(service)) as url:
            yield service, url
    finally:
        service.close()


@pytest.fixture
def found():
    """A browser on 127.0.0.1 and a way to wait for the candidate announced on a given port."""
    seen: queue.Queue[Candidate] = queue.Queue()
    browser = HQBrowser(LOOPBACK, seen.put)
    browser.start()

    def wait_for(port: int) -> Candidate:
        while True:
            candidate = seen.get(timeout=EVENTUALLY)
            if candidate.port == port:
                return candidate

    wait_for.browser = browser
    try:
        yield wait_for
    finally:
        browser.stop()


def test_the_real_headquarters_is_found_and_verified(live_hq, hq, identity, found):
    with Announcer(hq, live_hq.port, LOOPBACK):
        candidate = found(live_hq.port)
    assert candidate.addresses == ("127.0.0.1",)
    assert candidate.api == "1" and candidate.path == "/api/v1"
    assert candidate.fingerprint == hq.fingerprint == identity.hq_fingerprint
    assert candidate.url == live_hq.url and candidate.name.endswith("." + protocol.SERVICE_TYPE)
    assert verify_candidate(candidate.url, identity, fingerprint=candidate.fingerprint)
    assert trusted_url(candidate, identity) == live_hq.url


def test_found_again_after_a_restart(live_hq, hq, found):
    with Announcer(hq, live_hq.port, LOOPBACK):
        first = found(live_hq.port)
        found.browser.restart()
        assert found.browser.running
        assert found(live_hq.port) == first


def test_another_headquarters_is_rejected_without_being_asked(identity, other_hq, found, caplog):
    service, url = other_hq
    port = int(url.rsplit(":", 1)[1])
    with Announcer(service, port, LOOPBACK):
        candidate = found(port)
    assert candidate.fingerprint == service.fingerprint != identity.hq_fingerprint
    session = CountingSession()
    assert trusted_url(candidate, identity, session) is None
    assert not verify_candidate(url, identity, session, fingerprint=candidate.fingerprint)
    assert session.sent == 0
    assert "has another key" in caplog.text
    # asked anyway (no fingerprint given): its answer is signed with its own key, not the pinned one
    assert not verify_candidate(url, identity, session)
    assert session.sent == 1
    assert "does not hold the pinned headquarters key" in caplog.text
    assert "Traceback" not in caplog.text


def test_an_impostor_announcing_the_pinned_fingerprint_is_rejected(identity, hq, other_hq, found, caplog):
    service, url = other_hq
    port = int(url.rsplit(":", 1)[1])

    class Impostor(Announcer):
        @property
        def properties(self) -> dict[str, str]:
            return {**super().properties, "fp": hq.fingerprint}  # copied from the real announcement

    with Impostor(service, port, LOOPBACK):
        candidate = found(port)
    assert candidate.fingerprint == identity.hq_fingerprint
    session = CountingSession()
    assert trusted_url(candidate, identity, session) is None
    assert session.sent == 1  # it was asked, and its answer did not verify
    assert "does not hold the pinned headquarters key" in caplog.text


def test_unreachable_revoked_and_other_protocol_versions(live_hq, hq, identity, caplog):
    caplog.set_level(logging.INFO, logger="sync.agent.discovery")
    nobody = f"http://127.0.0.1:{free_loopback_port()}"
    assert not verify_candidate(nobody, identity, fingerprint=identity.hq_fingerprint)
    assert "cannot be reached (connection refused)" in caplog.text

    session = CountingSession()
    later = Candidate(
        "Numéribus v2._numeribus._tcp.local.", ("127.0.0.1",), live_hq.port, "2", hq.fingerprint, "/api/v2"
    )
    assert trusted_url(later, identity, session) is None and session.sent == 0
    assert "speaks protocol version 2" in caplog.text
    silent = dataclasses.replace(later, api="1", fingerprint=None)
    assert trusted_url(silent, identity, session) is None and session.sent == 0
    assert "gives no key fingerprint" in caplog.text

    assert verify_candidate(live_hq.url, identity)
    devices.revoke(hq.db(), identity.name, hq.now())
    assert not verify_candidate(live_hq.url, identity)  # our headquarters, but it refuses this bus
    assert f"Headquarters at {live_hq.url} refused this bus" in caplog.text
    assert "Traceback" not in caplog.text


def test_candidate_urls():
    candidate = Candidate("x", ("192.0.2.7", "fe80::1%2", "2001:db8::5"), 8470, "1", None, None)
    assert candidate.urls == ["http://192.0.2.7:8470", "http://[fe80::1%252]:8470", "http://[2001:db8::5]:8470"]
    assert candidate.url == "http://192.0.2.7:8470"
    assert dataclasses.replace(candidate, addresses=()).url is None


def test_a_failing_handler_does_not_stop_the_browser(live_hq, hq, caplog):
    seen: queue.Queue[Candidate] = queue.Queue()

    def on_found(candidate: Candidate) -> None:
        seen.put(candidate)
        raise RuntimeError("the handler broke")

    with HQBrowser(LOOPBACK, on_found) as browser, Announcer(hq, live_hq.port, LOOPBACK):
        while seen.get(timeout=EVENTUALLY).port != live_hq.port:
            pass
        browser.restart()
        while seen.get(timeout=EVENTUALLY).port != live_hq.port:
            pass
    assert "handling the headquarters announcement" in caplog.text and "the handler broke" in caplog.text
    with pytest.raises(RuntimeError, match="already started"), HQBrowser(LOOPBACK, on_found) as browser:
        browser.start()


# --- two network namespaces ---------------------------------------------------------------------------

HQ_ADDRESS, BUS_ADDRESS = "192.0.2.1", "192.0.2.2"  # TEST-NET-1: only on the veth pair between the two


def namespaces_missing() -> str | None:
    for tool in ("unshare", "nsenter", "ip"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (util-linux, iproute2)"
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"this machine does not let the tests make network namespaces (unshare --net: {probe.stderr.strip()})"
    return None


def in_namespace(pid: int, *command: str) -> None:
    subprocess.run(["nsenter", f"--net=/proc/{pid}/ns/net", *command], check=True, capture_output=True)


def test_found_between_two_network_namespaces(hq, identity, tmp_path):
    reason = namespaces_missing()
    if reason:
        pytest.skip(reason)
    peers: dict[str, subprocess.Popen] = {}
    try:
        for role, folder, address in (("hq", hq.data_dir, HQ_ADDRESS), ("bus", tmp_path / "bus", BUS_ADDRESS)):
            peer = subprocess.Popen(
                ["unshare", "--net", sys.executable, "-m", "tests.sync.agent.mdns_peer", role, str(folder), address],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            peers[role] = peer
            assert peer.stdout.readline() == "waiting\n"
            # it is in a namespace of its own: nothing below touches this machine's network
            assert os.readlink(f"/proc/{peer.pid}/ns/net") != os.readlink("/proc/self/ns/net")
        hq_pid, bus_pid = peers["hq"].pid, peers["bus"].pid
        in_namespace(
            hq_pid, "ip", "link", "add", "nb-hq", "type", "veth", "peer", "name", "nb-bus", "netns", str(bus_pid)
        )
        for pid, link, address in ((hq_pid, "nb-hq", HQ_ADDRESS), (bus_pid, "nb-bus", BUS_ADDRESS)):
            in_namespace(pid, "ip", "addr", "add", f"{address}/24", "dev", link)
            in_namespace(pid, "ip", "link", "set", link, "up")

        peers["hq"].stdin.write("go\n")
        peers["hq"].stdin.flush()
        ready = peers["hq"].stdout.readline().split()
        assert ready[:1] == ["ready"] and ready[1].startswith(f"http://{HQ_ADDRESS}:")
        hq_url = ready[1]
        out, _ = peers["bus"].communicate("go\n", timeout=120)
        lines = out.splitlines()
        assert lines[0].startswith("found "), out
        candidate = json.loads(lines[0].removeprefix("found "))
        assert candidate["addresses"] == [HQ_ADDRESS] and candidate["fingerprint"] == hq.fingerprint
        assert lines[1:] == [f"trusted {hq_url}"]
    finally:
        for peer in peers.values():
            if peer.poll() is None:
                peer.stdin.close()  # headquarters stops at the end of its input
                try:
                    peer.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    peer.kill()
                    peer.wait()
            if peer.stdout:
                peer.stdout.close()
