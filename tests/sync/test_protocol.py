"""sync.protocol: canonical JSON, keys, request/answer/document signatures, pairing proofs, bundles."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from sync import protocol


@pytest.fixture(scope="module")
def key():
    return protocol.generate_key()


@pytest.fixture(scope="module")
def other_key():
    return protocol.generate_key()


# --- canonical forms and keys ------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8():
    assert protocol.canonical_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'.encode()


def test_base64url_round_trip_without_padding():
    for size in range(0, 8):
        data = bytes(range(size))
        text = protocol.b64encode(data)
        assert "=" not in text
        assert protocol.b64decode(text) == data
    with pytest.raises(protocol.ProtocolError):
        protocol.b64decode("not base64!")


def test_fingerprint_and_key_id(key):
    public = protocol.public_text(key)
    assert len(protocol.b64decode(public)) == 32
    fingerprint = protocol.fingerprint(key)
    assert len(fingerprint) == 64 and fingerprint == fingerprint.lower()
    assert protocol.fingerprint(public) == fingerprint == protocol.fingerprint(key.public_key())
    assert protocol.key_id(public) == fingerprint[:16]
    with pytest.raises(protocol.ProtocolError):
        protocol.load_public(protocol.b64encode(b"short"))


def test_private_key_file_is_owner_only(tmp_path: Path, key):
    path = tmp_path / "key.pem"
    protocol.save_private_key(key, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert protocol.public_text(protocol.load_private_key(path)) == protocol.public_text(key)
    assert protocol.public_text(protocol.load_or_create_private_key(path)) == protocol.public_text(key)
    (tmp_path / "bad.pem").write_text("not a key")
    with pytest.raises(protocol.ProtocolError):
        protocol.load_private_key(tmp_path / "bad.pem")


# --- request and answer signatures ---------------------------------------------------------------


def _verify_request(key, headers, method, target, body) -> bool:
    if protocol.sha256_hex(body) != headers[protocol.DIGEST]:
        return False
    string = protocol.request_signing_string(
        method,
        target,
        headers[protocol.KEY_ID],
        headers[protocol.CREATED],
        headers[protocol.NONCE],
        headers[protocol.DIGEST],
    )
    return protocol.verify(key.public_key(), string, headers[protocol.SIGNATURE])


def test_request_signature_round_trip(key):
    body = b'{"events":[]}'
    headers = protocol.sign_request(key, "post", "/api/v1/events?x=1", body, 1_800_000_000)
    assert set(headers) == set(protocol.REQUEST_HEADERS)
    assert headers[protocol.KEY_ID] == protocol.key_id(key)
    assert headers[protocol.CREATED] == "1800000000"
    assert len(headers[protocol.NONCE]) == 32
    assert _verify_request(key, headers, "POST", "/api/v1/events?x=1", body)


@pytest.mark.parametrize(
    ("method", "target", "body"),
    [
        ("GET", "/api/v1/events?x=1", b'{"events":[]}'),  # another method
        ("POST", "/api/v1/events?x=2", b'{"events":[]}'),  # another query
        ("POST", "/api/v1/events", b'{"events":[]}'),  # query dropped
        ("POST", "/api/v1/events?x=1", b'{"events":[1]}'),  # another body
    ],
)
def test_request_signature_refuses_tampering(key, method, target, body):
    headers = protocol.sign_request(key, "POST", "/api/v1/events?x=1", b'{"events":[]}', 1_800_000_000)
    assert not _verify_request(key, headers, method, target, body)


def test_request_signature_refuses_other_key_and_fields(key, other_key):
    headers = protocol.sign_request(key, "GET", "/api/v1/hello", b"", 1_800_000_000)
    assert not _verify_request(other_key, headers, "GET", "/api/v1/hello", b"")
    for field, value in ((protocol.CREATED, "1800000001"), (protocol.NONCE, "0" * 32)):
        assert not _verify_request(key, {**headers, field: value}, "GET", "/api/v1/hello", b"")


def test_answer_signature_round_trip_and_binding(key, other_key):
    body = b'{"ok":true}'
    headers = protocol.sign_response(key, 200, "ab" * 16, body)
    protocol.verify_response(key.public_key(), 200, "ab" * 16, body, headers)
    lowered = {k.lower(): v for k, v in headers.items()}  # header names are case-insensitive
    protocol.verify_response(key.public_key(), 200, "ab" * 16, body, lowered)
    failures = [
        (other_key.public_key(), 200, "ab" * 16, body, headers),  # not the pinned key
        (key.public_key(), 201, "ab" * 16, body, headers),  # another status
        (key.public_key(), 200, "cd" * 16, body, headers),  # the answer to another request
        (key.public_key(), 200, None, body, headers),
        (key.public_key(), 200, "ab" * 16, b'{"ok":false}', headers),  # body changed
        (key.public_key(), 200, "ab" * 16, body, {}),  # not signed
    ]
    for args in failures:
        with pytest.raises(protocol.ProtocolError):
            protocol.verify_response(*args)


def test_answer_signature_with_a_forged_digest(key):
    body = b"{}"
    headers = protocol.sign_response(key, 200, None, body)
    forged = {**headers, protocol.DIGEST: protocol.sha256_hex(b"[]")}
    with pytest.raises(protocol.ProtocolError):
        protocol.verify_response(key.public_key(), 200, None, b"[]", forged)


def test_document_signature(key, other_key):
    manifest = {"version": 3, "chunks": [{"sha256": "a" * 64}]}
    signature = protocol.sign_document(key, "snapshot", manifest)
    assert protocol.verify_document(key.public_key(), "snapshot", dict(reversed(manifest.items())), signature)
    assert not protocol.verify_document(key.public_key(), "bundle", manifest, signature)
    assert not protocol.verify_document(key.public_key(), "snapshot", {**manifest, "version": 4}, signature)
    assert not protocol.verify_document(other_key.public_key(), "snapshot", manifest, signature)


# --- pairing codes -------------------------------------------------------------------------------


def test_pairing_code_shape_and_normalisation():
    code = protocol.new_pairing_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert protocol.is_well_formed_pairing_code(code)
    assert protocol.normalise_pairing_code(" abcd-efgh o1il ") == "ABCDEFGH0111"
    assert not protocol.is_well_formed_pairing_code("ABCD-EFGH")
    assert not protocol.is_well_formed_pairing_code("ABCD-EFGH-JKMU")  # U is not in the alphabet


def test_enrol_proofs_depend_on_every_input():
    code = "ABCD-EFGH-JKMN"
    proof = protocol.enrol_proof(code, "dev", "pub")
    assert protocol.proofs_match(proof, protocol.enrol_proof("abcd efgh jkmn", "dev", "pub"))
    assert not protocol.proofs_match(proof, protocol.enrol_proof("ABCD-EFGH-JKMP", "dev", "pub"))
    assert not protocol.proofs_match(proof, protocol.enrol_proof(code, "dev2", "pub"))
    assert not protocol.proofs_match(proof, protocol.enrol_proof(code, "dev", "pub2"))
    assert not protocol.proofs_match(proof, protocol.enrolled_proof(code, "dev", "pub", ""))
    assert not protocol.proofs_match(proof, None)
    answer = protocol.enrolled_proof(code, "dev", "pub", "hq")
    assert answer != protocol.enrolled_proof(code, "dev", "pub", "hq2")


# --- bundles -------------------------------------------------------------------------------------

FILES = {"events.jsonl.gz": b"\x1f\x8b" + bytes(range(200)), "notes.txt": b"hello"}


@pytest.fixture
def bundle(tmp_path: Path, key) -> Path:
    return protocol.write_bundle(tmp_path / "b.nbundle", key, {"direction": "to-hq", "device_id": "d"}, FILES)


def test_bundle_round_trip(bundle: Path, key):
    read = protocol.read_bundle(bundle, key.public_key())
    assert read.files == FILES
    assert read.manifest["format"] == protocol.BUNDLE_FORMAT
    assert read.manifest["signer_key_id"] == protocol.key_id(key)
    assert protocol.read_bundle_manifest(bundle)["device_id"] == "d"
    assert not list(bundle.parent.glob("*.part"))


def test_bundle_signed_by_another_key_is_refused(bundle: Path, other_key):
    with pytest.raises(protocol.ProtocolError, match="signature"):
        protocol.read_bundle(bundle, other_key.public_key())


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.3, 0.5, 0.8, 0.99])
def test_truncated_bundle_is_refused(bundle: Path, key, fraction):
    # Cut anywhere before the end of the last member's data (what follows is only tar padding).
    end = max(offset + size for offset, size in _member_offsets(bundle).values())
    bundle.write_bytes(bundle.read_bytes()[: int(end * fraction)])
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(bundle, key.public_key())


def test_bundle_cut_at_its_last_byte_is_refused(bundle: Path, key):
    end = max(offset + size for offset, size in _member_offsets(bundle).values())
    bundle.write_bytes(bundle.read_bytes()[: end - 1])
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(bundle, key.public_key())


def _member_offsets(path: Path) -> dict[str, tuple[int, int]]:
    with tarfile.open(path, "r:") as tar:
        return {info.name: (info.offset_data, info.size) for info in tar}


@pytest.mark.parametrize("member", ["manifest.json", "manifest.sig", "events.jsonl.gz", "notes.txt"])
def test_bit_flipped_bundle_is_refused(bundle: Path, key, member):
    offset, size = _member_offsets(bundle)[member]
    data = bytearray(bundle.read_bytes())
    data[offset + size // 2] ^= 0x04
    bundle.write_bytes(bytes(data))
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(bundle, key.public_key())


def _rewrite(path: Path, members: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())


def _members(path: Path) -> list[tuple[str, bytes]]:
    with tarfile.open(path, "r:") as tar:
        return [(info.name, tar.extractfile(info).read()) for info in tar]


def test_bundle_with_an_extra_member_is_refused(bundle: Path, key):
    _rewrite(bundle, [*_members(bundle), ("extra.txt", b"surprise")])
    with pytest.raises(protocol.ProtocolError, match="does not list"):
        protocol.read_bundle(bundle, key.public_key())


def test_bundle_with_a_missing_or_duplicated_member_is_refused(bundle: Path, key):
    members = _members(bundle)
    _rewrite(bundle, members[:-1])
    with pytest.raises(protocol.ProtocolError, match="missing"):
        protocol.read_bundle(bundle, key.public_key())
    _rewrite(bundle, [*members, members[-1]])
    with pytest.raises(protocol.ProtocolError, match="twice"):
        protocol.read_bundle(bundle, key.public_key())


def test_bundle_with_members_out_of_order_is_refused(bundle: Path, key):
    members = _members(bundle)
    _rewrite(bundle, [members[1], members[0], *members[2:]])
    with pytest.raises(protocol.ProtocolError, match="manifest"):
        protocol.read_bundle(bundle, key.public_key())


def test_not_a_bundle_is_refused(tmp_path: Path, key):
    path = tmp_path / "x.nbundle"
    path.write_bytes(b"just some text, not a tar file at all" * 20)
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(path, key.public_key())
    with pytest.raises(protocol.ProtocolError):
        protocol.read_bundle(tmp_path / "absent.nbundle", key.public_key())
