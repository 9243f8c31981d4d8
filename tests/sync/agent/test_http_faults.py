"""HQClient over a broken link: a cut answer is "unreachable" in plain words, never "not signed".

The link is broken for real by the seeded TCP fault proxy of tests/sync/faultproxy.py, between the
client and a real headquarters on 127.0.0.1.
"""

from __future__ import annotations

import logging
import re

import pytest

from sync.agent.http import HQClient, HQUnreachable, HQUntrusted
from tests.sync.faultproxy import FaultPlan, FaultProxy


@pytest.mark.parametrize("kind", ["cut_response", "cut_request", "lose_answer"])
def test_a_broken_exchange_is_unreachable_in_plain_words(live_hq, device, kind, caplog):
    caplog.set_level(logging.CRITICAL, logger="urllib3")  # its own HeaderParsingError report
    host, port = live_hq.url.removeprefix("http://").split(":")
    with FaultProxy(host, int(port), seed=41, faults=FaultPlan.only_kind(kind)) as proxy:
        client = HQClient(proxy.url, device.key, device.hq_public_key, timeout=(5, 5))
        messages = []
        for _ in range(12):  # the cut falls at a different byte each time (seeded)
            with pytest.raises(HQUnreachable) as caught:
                client.request("GET", "/api/v1/hello")
            messages.append(str(caught.value))
        client.close()
    assert proxy.counts[kind] == 12
    for message in messages:
        assert not re.search(r"[A-Z]\w+(Error|Exception)", message), message  # no library jargon
        assert "broke" in message or "did not answer" in message, message


def test_an_answer_from_another_server_is_still_untrusted(live_hq, device, tmp_path):
    # a complete answer without headquarters' signature: a forgery or another server, not a cut
    from fastapi import FastAPI

    from tests.sync.live import serve_in_thread

    impostor = FastAPI()

    @impostor.get("/api/v1/hello")
    def hello() -> dict:
        return {"device_id": device.device_id}

    with serve_in_thread(impostor) as url:
        client = HQClient(url, device.key, device.hq_public_key)
        with pytest.raises(HQUntrusted):
            client.request("GET", "/api/v1/hello")
        client.close()
