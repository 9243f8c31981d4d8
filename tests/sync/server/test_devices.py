"""sync.server.devices: pairing codes, enrolment (POST /api/v1/enrol), revocation."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from sync import protocol
from sync.server import devices
from tests.sync.signing import enrol_device

HELLO = "/api/v1/hello"


def enrol_body(code: str, device_id: str | None = None, key=None) -> tuple[dict, object]:
    key = key or protocol.generate_key()
    device_id = device_id or str(uuid.uuid4())
    public_key = protocol.public_text(key)
    return {
        "device_id": device_id,
        "public_key": public_key,
        "proof": protocol.enrol_proof(code, device_id, public_key),
    }, key


def new_code(hq, name: str = "Bus 1") -> str:
    return devices.add_device_code(hq.db(), name, hq.now(), hq.config.pairing_code_hours)[0]


def error_code(answer) -> str:
    return answer.json()["error"]["code"]


# --- names and codes ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "Bus\n1", "Bus\t1"])
def test_bad_names_are_refused(hq, name):
    with pytest.raises(devices.DeviceError):
        devices.add_device_code(hq.db(), name, hq.now(), 24)
    assert hq.db().execute("SELECT count(*) FROM pairing_codes").fetchone()[0] == 0


def test_name_is_trimmed_and_may_hold_any_printable_text(hq):
    assert devices.validate_name("  Bus Forez — n°2 ") == "Bus Forez — n°2"
    assert devices.validate_name("x" * 64) == "x" * 64


def test_add_device_code(hq, hq_clock):
    code, expires_at = devices.add_device_code(hq.db(), "Bus 1", hq_clock(), 24)
    assert protocol.is_well_formed_pairing_code(code)
    assert expires_at == hq_clock() + timedelta(hours=24)
    pending = devices.pending_codes(hq.db(), hq_clock())
    assert [(p.name, p.expires_at) for p in pending] == [("Bus 1", expires_at.isoformat(timespec="seconds"))]
    stored = hq.db().execute("SELECT code FROM pairing_codes").fetchone()[0]
    assert stored == protocol.normalise_pairing_code(code)


def test_a_new_code_replaces_the_pending_one(client, hq):
    first = new_code(hq)
    second = new_code(hq)
    assert first != second
    assert len(devices.pending_codes(hq.db(), hq.now())) == 1
    body, _ = enrol_body(first)
    assert error_code(client.post("/api/v1/enrol", json=body)) == "pairing_code_invalid"
    body, _ = enrol_body(second)
    assert client.post("/api/v1/enrol", json=body).status_code == 200


def test_expired_codes_are_not_pending(hq, hq_clock):
    new_code(hq)
    hq_clock.advance(hours=24, seconds=1)
    assert devices.pending_codes(hq.db(), hq_clock()) == []


# --- enrolment ----------------------------------------------------------------------------------


def test_enrol(client, hq, hq_clock):
    code = new_code(hq, "Bus Forez")
    body, key = enrol_body(code)
    nonce = protocol.new_nonce()
    answer = client.post("/api/v1/enrol", json=body, headers={protocol.NONCE: nonce})
    assert answer.status_code == 200
    data = answer.json()
    assert data == {
        "device_id": body["device_id"],
        "name": "Bus Forez",
        "key_id": protocol.key_id(key),
        "api_version": 1,
        "hq_public_key": hq.public_key,
        "hq_key_id": hq.key_id,
        "proof": protocol.enrolled_proof(code, body["device_id"], body["public_key"], hq.public_key),
    }
    protocol.verify_response(protocol.load_public(hq.public_key), 200, nonce, answer.content, answer.headers)
    device = devices.get_device(hq.db(), body["device_id"])
    assert (device.name, device.key_id, device.status) == ("Bus Forez", protocol.key_id(key), "active")
    assert device.enrolled_at == hq_clock().isoformat(timespec="seconds")
    assert devices.pending_codes(hq.db(), hq.now()) == []


def test_code_is_compared_normalised(client, hq):
    code = new_code(hq)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    body, _ = enrol_body(typed)
    assert client.post("/api/v1/enrol", json=body).status_code == 200


def test_wrong_code(client, hq):
    new_code(hq)
    body, _ = enrol_body("ABCD-EFGH-JKMN")
    answer = client.post("/api/v1/enrol", json=body)
    assert (answer.status_code, error_code(answer)) == (403, "pairing_code_invalid")
    assert devices.list_devices(hq.db()) == []


def test_proof_for_other_values_is_refused(client, hq):
    code = new_code(hq)
    body, _ = enrol_body(code)
    body["device_id"] = str(uuid.uuid4())  # the proof covers the device id and the key
    assert error_code(client.post("/api/v1/enrol", json=body)) == "pairing_code_invalid"


def test_used_code(client, hq):
    code = new_code(hq)
    body, _ = enrol_body(code)
    assert client.post("/api/v1/enrol", json=body).status_code == 200
    again, _ = enrol_body(code)
    answer = client.post("/api/v1/enrol", json=again)
    assert (answer.status_code, error_code(answer)) == (403, "pairing_code_used")
    assert len(devices.list_devices(hq.db())) == 1


def test_expired_code(client, hq, hq_clock):
    code = new_code(hq)
    hq_clock.advance(hours=24)
    body, _ = enrol_body(code)
    answer = client.post("/api/v1/enrol", json=body)
    assert (answer.status_code, error_code(answer)) == (403, "pairing_code_expired")
    assert devices.list_devices(hq.db()) == []


def test_code_just_before_expiry(client, hq, hq_clock):
    code = new_code(hq)
    hq_clock.advance(hours=24, seconds=-1)
    body, _ = enrol_body(code)
    assert client.post("/api/v1/enrol", json=body).status_code == 200


def test_expired_code_is_forgotten_after_a_week(client, hq, hq_clock):
    code = new_code(hq)
    hq_clock.advance(days=7, hours=24, seconds=1)
    body, _ = enrol_body(code)
    assert error_code(client.post("/api/v1/enrol", json=body)) == "pairing_code_invalid"


def test_re_enrolment_replaces_the_key(client, hq, device, signed):
    assert signed(client, device, "GET", HELLO).status_code == 200
    again = enrol_device(client, hq, device.name, device_id=device.device_id)
    assert again.key_id != device.key_id
    assert signed(client, again, "GET", HELLO).status_code == 200
    answer = signed(client, device, "GET", HELLO)
    assert (answer.status_code, error_code(answer)) == (401, "unknown_key")
    assert [d.name for d in devices.list_devices(hq.db())] == ["Bus 1"]


def test_re_enrolment_of_a_revoked_device_reactivates_it(client, hq, device, signed):
    devices.revoke(hq.db(), device.name, hq.now())
    again = enrol_device(client, hq, device.name, device_id=device.device_id)
    assert signed(client, again, "GET", HELLO).status_code == 200
    assert devices.get_device(hq.db(), device.device_id).status == "active"


def test_a_new_bus_takes_over_a_name(client, hq, hq_clock, device, signed):
    replacement = enrol_device(client, hq, device.name)  # another journal: another device id
    assert replacement.device_id != device.device_id
    assert signed(client, replacement, "GET", HELLO).json()["name"] == "Bus 1"
    assert error_code(signed(client, device, "GET", HELLO)) == "unknown_key"
    old = devices.get_device(hq.db(), device.device_id)
    assert old.status == "revoked"
    assert old.name == f"Bus 1 (replaced {hq_clock().strftime('%Y-%m-%d %H:%M:%S')})"
    assert devices.device_by_name(hq.db(), "Bus 1").device_id == replacement.device_id


def test_same_device_under_another_name(client, hq, device):
    code = new_code(hq, "Bus 2")
    body, _ = enrol_body(code, device_id=device.device_id)
    answer = client.post("/api/v1/enrol", json=body)
    assert (answer.status_code, error_code(answer)) == (409, "device_exists")
    assert answer.json()["error"]["details"] == {"name": "Bus 1"}
    assert devices.device_by_name(hq.db(), "Bus 2") is None
    # the code was not used up: the administrator can revoke Bus 1 and enrol it as... Bus 1 only
    assert [p.name for p in devices.pending_codes(hq.db(), hq.now())] == ["Bus 2"]


def test_same_key_under_another_name(client, hq, device):
    code = new_code(hq, "Bus 2")
    body, _ = enrol_body(code, key=device.key)
    assert error_code(client.post("/api/v1/enrol", json=body)) == "device_exists"


@pytest.mark.parametrize(
    "change",
    [
        {"public_key": "AAAA"},
        {"public_key": "not base64 !!"},
        {"proof": "00"},
        {"device_id": ""},
        {"device_id": "x" * 129},
        {"device_id": 12},
    ],
)
def test_malformed_enrolment(client, hq, change):
    code = new_code(hq)
    body, _ = enrol_body(code)
    body.update(change)
    answer = client.post("/api/v1/enrol", json=body)
    assert (answer.status_code, error_code(answer)) == (422, "invalid_request")
    assert answer.json()["error"]["details"]["problems"]
    assert devices.pending_codes(hq.db(), hq.now())  # the code is still usable


def test_enrol_function_checks_its_input(hq):
    with pytest.raises(devices.ApiError) as caught:
        devices.enrol(hq.db(), hq, "dev", "AAAA", "00", hq.now())
    assert caught.value.code == "invalid_request"
    assert len(caught.value.details["problems"]) == 2


# --- revocation ---------------------------------------------------------------------------------


def test_revoke(hq, device, hq_clock):
    revoked = devices.revoke(hq.db(), " Bus 1 ", hq_clock())
    assert revoked.status == "revoked"
    assert revoked.revoked_at == hq_clock().isoformat(timespec="seconds")
    assert not revoked.active


def test_revoke_cancels_a_pending_code(client, hq):
    code = new_code(hq, "Bus 9")
    assert devices.revoke(hq.db(), "Bus 9", hq.now()) is None
    body, _ = enrol_body(code)
    assert error_code(client.post("/api/v1/enrol", json=body)) == "pairing_code_invalid"


def test_revoke_unknown_name(hq):
    with pytest.raises(devices.DeviceError, match="no device named"):
        devices.revoke(hq.db(), "Bus 404", hq.now())
