"""Fixtures for the sync tests (headquarters and the bus side).

- ``hq_clock``: a `signing.Clock` (starts at the current time, moves only with
  ``hq_clock.advance(seconds)`` or ``hq_clock.set(datetime)``); it is the clock of ``hq``.
- ``hq``: an `HQ` on ``tmp_path / "hq"`` with ``hq_clock``; closed after the test.
- ``client``: ``fastapi.testclient.TestClient(create_app(hq))``, closed after the test.
- ``device``: a `signing.EnrolledDevice` ("Bus 1") enrolled through the real POST /api/v1/enrol
  after `devices.add_device_code`: ``.device_id .name .key .key_id .public_key .hq_public_key``.
- ``make_device``: ``make_device(name="Bus 2", *, device_id=None, key=None) -> EnrolledDevice``,
  more buses enrolled the same way.
- ``signed``: the function `signing.signed_request`:
  ``signed(client, device, method, target, json=None, *, content=None, created=None, nonce=None,
  key=None, headers=None, verify=True) -> httpx.Response``.  It signs with
  `protocol.sign_request` (``created`` defaults to ``hq_clock``) and, unless ``verify=False``,
  checks the answer's signature with headquarters' key (against the request's nonce).  It works
  with ``client`` and with an ``httpx.Client(base_url=live_hq.url)``.  Modules may also import it:
  ``from tests.sync.signing import signed_request``.
- ``bus``: a `bus_journal.BusJournal` (a real kiosk journal.db in ``tmp_path / "bus"``) whose
  events the tests upload; a module may override it (enrolled, or with another folder).
- ``live_hq``: the same ``hq`` served by a real uvicorn on 127.0.0.1 (a free port), in a thread:
  ``.url`` (``http://127.0.0.1:PORT``), ``.hq``, ``.port``; stopped after the test.  To serve
  another app the same way: ``with tests.sync.live.serve_in_thread(app) as url: ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.state import HQ
from tests.sync.bus_journal import BusJournal
from tests.sync.live import serve_in_thread
from tests.sync.signing import Clock, EnrolledDevice, enrol_device, signed_request


@pytest.fixture
def hq_clock() -> Clock:
    return Clock()


@pytest.fixture
def hq(tmp_path: Path, hq_clock: Clock) -> Iterator[HQ]:
    service = HQ(tmp_path / "hq", clock=hq_clock)
    try:
        yield service
    finally:
        service.close()


@pytest.fixture
def client(hq: HQ) -> Iterator[TestClient]:
    with TestClient(create_app(hq)) as test_client:
        yield test_client


@pytest.fixture
def make_device(client: TestClient, hq: HQ):
    def make(name: str = "Bus 2", **kwargs) -> EnrolledDevice:
        return enrol_device(client, hq, name, **kwargs)

    return make


@pytest.fixture
def device(client: TestClient, hq: HQ) -> EnrolledDevice:
    return enrol_device(client, hq, "Bus 1")


@pytest.fixture
def signed():
    return signed_request


@dataclass
class LiveHQ:
    url: str
    hq: HQ

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@pytest.fixture
def live_hq(hq: HQ) -> Iterator[LiveHQ]:
    with serve_in_thread(create_app(hq)) as url:
        yield LiveHQ(url, hq)


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[BusJournal]:
    journal = BusJournal(tmp_path / "bus")
    yield journal
    journal.close()
