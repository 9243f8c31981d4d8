"""`numeribus-sync serve`, as a real process on a free loopback port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sync import protocol
from sync.server import publish
from sync.server.database import open_hq_db
from tests.sync.live import free_loopback_port

ROOT = Path(__file__).resolve().parents[3]


def sync_command() -> list[str]:
    script = Path(sys.executable).with_name("numeribus-sync")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sync.cli"]


def wait_for_health(url: str, process: subprocess.Popen, limit_s: float = 60) -> httpx.Response:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve stopped early:\n{process.stderr.read()}")
        try:
            return httpx.get(url + "/health", timeout=5)
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("serve did not answer /health")


def start_serve(tmp_path: Path, port: int, *options: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMERIBUS_SYNC_")}
    return subprocess.Popen(
        [
            *sync_command(),
            "--data-dir",
            str(tmp_path / "hq"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_stops_on_a_signal(tmp_path, stop):
    port = free_loopback_port()
    process = start_serve(tmp_path, port, "--no-announce")
    try:
        answer = wait_for_health(f"http://127.0.0.1:{port}", process)
        assert answer.status_code == 200
        body = answer.json()
        assert body["status"] == "ok"
        key = protocol.load_private_key(tmp_path / "hq" / "hq-key.pem")
        assert body["key_fingerprint"] == protocol.fingerprint(key)
        protocol.verify_response(key.public_key(), 200, None, answer.content, answer.headers)
        assert (tmp_path / "hq" / "hq-key.pem").stat().st_mode & 0o777 == 0o600
        process.send_signal(stop)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    # housekeeping ran at start-up: the configuration lists are published for the buses
    db = open_hq_db(tmp_path / "hq")
    try:
        lists = {row[0] for row in db.execute("SELECT key FROM changes WHERE kind = 'list' AND deleted = 0")}
    finally:
        db.conn.close()
    assert lists == set(publish.LIST_NAMES)
    assert f"headquarters stopped ({stop.name})" in err


def test_serve_announces_on_loopback(tmp_path):
    import threading

    from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

    port = free_loopback_port()
    process = start_serve(tmp_path, port, "--announce")  # listening on 127.0.0.1: announced there only
    zeroconf = Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
    found: list[str] = []
    seen = threading.Event()

    def handler(zeroconf, service_type, name, state_change):
        if state_change is ServiceStateChange.Added:
            found.append(name)
            seen.set()

    browser = ServiceBrowser(zeroconf, protocol.SERVICE_TYPE, handlers=[handler])
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}", process).json()
        assert seen.wait(30)
        info = zeroconf.get_service_info(protocol.SERVICE_TYPE, found[0], timeout=5000)
        assert info.port == port
        assert info.parsed_addresses() == ["127.0.0.1"]
        assert info.properties[b"fp"] == health["key_fingerprint"].encode()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        browser.cancel()
        zeroconf.close()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err


def test_serve_on_a_busy_port_says_so(tmp_path):
    from tests.sync.live import free_loopback_socket

    with free_loopback_socket() as busy:
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [
                *sync_command(),
                "--data-dir",
                str(tmp_path / "hq"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-announce",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    assert done.returncode == 1
    assert f"Cannot listen on 127.0.0.1 port {port}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("trusted", [True, False], ids=["behind-a-trusted-proxy", "headers-not-trusted"])
def test_the_admin_cookie_behind_a_tls_proxy(tmp_path, trusted):
    """A TLS reverse proxy on the same machine says X-Forwarded-Proto: https.  Believed only from
    [server] trusted_proxies: then the admin cookie is Secure; otherwise the header changes nothing."""
    from sync.server.admin import accounts
    from sync.server.state import HQ
    from tests.sync.server.admin.conftest import form_value

    hq = HQ(tmp_path / "hq")
    try:
        accounts.add_user(hq.db(), "marie", "bibliobus-Loire-2026", hq.now())
    finally:
        hq.close()
    if trusted:
        (tmp_path / "hq" / "config.toml").write_text('[server]\ntrusted_proxies = ["127.0.0.1"]\n', encoding="utf-8")
    port = free_loopback_port()
    process = start_serve(tmp_path, port, "--no-announce")
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, process)
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        with httpx.Client(base_url=url, headers=forwarded) as client:
            # The browser talks https to the proxy and returns Secure cookies; this client talks
            # http to the server and would not: it returns them by hand.
            page = client.get("/admin/login")
            cookies = "; ".join(v.split(";", 1)[0] for v in page.headers.get_list("set-cookie"))
            answer = client.post(
                "/admin/login",
                data={
                    "identifiant": "marie",
                    "mot_de_passe": "bibliobus-Loire-2026",
                    "jeton": form_value(page.text, "jeton"),
                    "suivant": form_value(page.text, "suivant"),
                },
                headers={"Cookie": cookies},
                follow_redirects=False,
            )
        assert answer.status_code == 303, answer.text
        cookie = next(v for v in answer.headers.get_list("set-cookie") if v.startswith("numeribus_admin="))
        assert ("secure" in [part.strip().lower() for part in cookie.split(";")]) is trusted
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    assert process.returncode == 0
