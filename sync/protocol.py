"""The sync protocol's wire format, shared by the bus and headquarters (docs/protocol.md).

Canonical JSON, Ed25519 keys and their fingerprints, the signing strings of requests,
answers and documents, pairing codes and their proofs, and `.nbundle` files.  No HTTP
library and no Qt here: both sides and the tests use exactly this code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import os
import secrets
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

API_VERSION = 1
SERVICE_TYPE = "_numeribus._tcp.local."

# Header names (docs/protocol.md, "Signed requests" and "Signed answers").
KEY_ID = "Numeribus-Key-Id"
CREATED = "Numeribus-Created"
NONCE = "Numeribus-Nonce"
DIGEST = "Numeribus-Digest"
SIGNATURE = "Numeribus-Signature"
REQUEST_HEADERS = (KEY_ID, CREATED, NONCE, DIGEST, SIGNATURE)

FRESHNESS_S = 300  # a request's `created` may be this far from headquarters' clock
NONCE_MEMORY_S = 900  # a nonce is remembered at least this long (more than twice the window)
MAX_EVENTS_PER_BATCH = 500

SNAPSHOT_FORMAT = "numeribus-snapshot-v1"
BUNDLE_FORMAT = "numeribus-bundle-v1"
BUNDLE_SUFFIX = ".nbundle"
BUNDLE_MANIFEST = "manifest.json"
BUNDLE_SIGNATURE = "manifest.sig"

PAIRING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
PAIRING_LENGTH = 12


class ProtocolError(ValueError):
    """Something received does not follow the protocol; the message says what, in plain words."""


# --- canonical forms -------------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes (hex), read by the megabyte."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def fsync_path(path: str | os.PathLike) -> None:
    """Flush a file, or a folder's entries (a rename), to the disk.  A folder that cannot be opened
    or that refuses fsync (some file systems) is left as it is: the files themselves were synced."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    if not isinstance(text, str):
        raise ProtocolError("expected base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ProtocolError("not valid base64url") from exc


def new_nonce() -> str:
    return secrets.token_hex(16)


# --- keys ------------------------------------------------------------------------------------


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The base64url form in which a public key travels."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return b64encode(public_bytes(key))


def load_public(text: str) -> Ed25519PublicKey:
    raw = b64decode(text)
    if len(raw) != 32:
        raise ProtocolError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(key: Ed25519PublicKey | Ed25519PrivateKey | str) -> str:
    """SHA-256 of the raw public key, lower-case hex (64 characters)."""
    if isinstance(key, str):
        key = load_public(key)
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return sha256_hex(public_bytes(key))


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey | str) -> str:
    return fingerprint(key)[:16]


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def save_private_key(key: Ed25519PrivateKey, path: str | os.PathLike) -> None:
    """Write `key` as PKCS#8 PEM readable by its owner only, atomically."""
    path = Path(path)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)


def load_private_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except ValueError as exc:
        raise ProtocolError(f"{path} is not a private key file") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ProtocolError(f"{path} is not an Ed25519 key")
    return key


def load_or_create_private_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    path = Path(path)
    if path.exists():
        return load_private_key(path)
    key = generate_key()
    save_private_key(key, path)
    return key


# --- signatures ------------------------------------------------------------------------------


def sign(key: Ed25519PrivateKey, signing_string: str) -> str:
    return b64encode(key.sign(signing_string.encode("utf-8")))


def verify(key: Ed25519PublicKey, signing_string: str, signature: str) -> bool:
    try:
        key.verify(b64decode(signature), signing_string.encode("utf-8"))
    except (InvalidSignature, ProtocolError):
        return False
    return True


def request_signing_string(method: str, target: str, key_id: str, created: int | str, nonce: str, digest: str) -> str:
    return "\n".join(("numeribus-request-v1", method.upper(), target, key_id, str(created), nonce, digest))


def response_signing_string(status: int, request_nonce: str | None, digest: str) -> str:
    return "\n".join(("numeribus-response-v1", str(status), request_nonce or "-", digest))


def document_signing_string(kind: str, document: Mapping) -> str:
    return f"numeribus-{kind}-v1\n" + canonical_json(document).decode("utf-8")


def sign_request(
    key: Ed25519PrivateKey, method: str, target: str, body: bytes, created: int, nonce: str | None = None
) -> dict[str, str]:
    """The headers that sign one request (docs/protocol.md, "Signed requests")."""
    kid = key_id(key)
    nonce = nonce or new_nonce()
    digest = sha256_hex(body)
    return {
        KEY_ID: kid,
        CREATED: str(int(created)),
        NONCE: nonce,
        DIGEST: digest,
        SIGNATURE: sign(key, request_signing_string(method, target, kid, int(created), nonce, digest)),
    }


def sign_response(key: Ed25519PrivateKey, status: int, request_nonce: str | None, body: bytes) -> dict[str, str]:
    digest = sha256_hex(body)
    return {
        KEY_ID: key_id(key),
        DIGEST: digest,
        SIGNATURE: sign(key, response_signing_string(status, request_nonce, digest)),
    }


def verify_response(
    key: Ed25519PublicKey, status: int, request_nonce: str | None, body: bytes, headers: Mapping[str, str]
) -> None:
    """Raise ProtocolError unless the answer was signed by `key` for this request."""
    lowered = {k.lower(): v for k, v in headers.items()}
    signature = lowered.get(SIGNATURE.lower())
    if not signature:
        raise ProtocolError("the answer is not signed by headquarters")
    if lowered.get(KEY_ID.lower()) != key_id(key):
        raise ProtocolError("the answer is signed by another key than the pinned headquarters key")
    digest = sha256_hex(body)
    if lowered.get(DIGEST.lower()) != digest:
        raise ProtocolError("the answer's body does not match its signed digest")
    if not verify(key, response_signing_string(status, request_nonce, digest), signature):
        raise ProtocolError("the answer's signature does not verify with the pinned headquarters key")


def sign_document(key: Ed25519PrivateKey, kind: str, document: Mapping) -> str:
    return sign(key, document_signing_string(kind, document))


def verify_document(key: Ed25519PublicKey, kind: str, document: Mapping, signature: str) -> bool:
    return verify(key, document_signing_string(kind, document), signature)


# --- pairing codes ---------------------------------------------------------------------------


def new_pairing_code() -> str:
    raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, PAIRING_LENGTH, 4))


def normalise_pairing_code(code: str) -> str:
    """Upper case, no spaces or hyphens, O->0 and I/L->1 (what people misread)."""
    text = "".join(code.split()).replace("-", "").upper()
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def is_well_formed_pairing_code(code: str) -> bool:
    text = normalise_pairing_code(code)
    return len(text) == PAIRING_LENGTH and all(c in PAIRING_ALPHABET for c in text)


def _hmac(code: str, message: str) -> str:
    return hmac.new(normalise_pairing_code(code).encode("ascii"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def enrol_proof(code: str, device_id: str, public_key: str) -> str:
    return _hmac(code, f"numeribus-enrol-v1\n{device_id}\n{public_key}")


def enrolled_proof(code: str, device_id: str, public_key: str, hq_public_key: str) -> str:
    return _hmac(code, f"numeribus-enrolled-v1\n{device_id}\n{public_key}\n{hq_public_key}")


def proofs_match(expected: str, received: object) -> bool:
    return isinstance(received, str) and hmac.compare_digest(expected, received)


# --- bundles ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bundle:
    """A verified bundle: its manifest and its payload files (name -> bytes)."""

    manifest: dict
    files: dict[str, bytes]


def write_bundle(path: str | os.PathLike, key: Ed25519PrivateKey, manifest: dict, files: Mapping[str, bytes]) -> Path:
    """Write a signed `.nbundle` atomically (temporary file, fsync, rename)."""
    path = Path(path)
    manifest = dict(manifest)
    manifest["format"] = BUNDLE_FORMAT
    manifest["signer_key_id"] = key_id(key)
    manifest["files"] = [{"name": name, "sha256": sha256_hex(data), "size": len(data)} for name, data in files.items()]
    members = [
        (BUNDLE_MANIFEST, canonical_json(manifest)),
        (BUNDLE_SIGNATURE, sign_document(key, "bundle", manifest).encode("ascii")),
        *files.items(),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with open(temporary, "wb") as out:
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    fsync_path(path.parent)  # the rename itself reaches the disk: a stick can be pulled out after
    return path


def read_bundle_manifest(path: str | os.PathLike) -> dict:
    """The manifest of a bundle, NOT verified: to find which key verifies it."""
    return _read_members(path)[0]


def _read_members(path: str | os.PathLike) -> tuple[dict, str, dict[str, bytes]]:
    path = Path(path)
    members: dict[str, bytes] = {}
    order: list[str] = []
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                if not info.isfile():
                    raise ProtocolError(f"{path.name}: unexpected entry {info.name!r} in the bundle")
                if info.name in members:
                    raise ProtocolError(f"{path.name}: the bundle holds {info.name!r} twice")
                handle = tar.extractfile(info)
                data = handle.read() if handle else b""
                if len(data) != info.size:
                    raise ProtocolError(f"{path.name}: the bundle is truncated")
                members[info.name] = data
                order.append(info.name)
    except (tarfile.TarError, EOFError) as exc:
        raise ProtocolError(f"{path.name}: not a complete bundle file ({exc})") from exc
    except OSError as exc:
        raise ProtocolError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if order[:2] != [BUNDLE_MANIFEST, BUNDLE_SIGNATURE]:
        raise ProtocolError(f"{path.name}: not a numéribus bundle (no manifest)")
    try:
        manifest = json.loads(members.pop(BUNDLE_MANIFEST))
        signature = members.pop(BUNDLE_SIGNATURE).decode("ascii")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{path.name}: the bundle's manifest is damaged") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise ProtocolError(f"{path.name}: not a {BUNDLE_FORMAT} bundle")
    return manifest, signature, members


def read_bundle(path: str | os.PathLike, key: Ed25519PublicKey) -> Bundle:
    """Read and verify a bundle whole: signature by `key`, then every file's size and hash."""
    path = Path(path)
    manifest, signature, members = _read_members(path)
    if manifest.get("signer_key_id") != key_id(key) or not verify_document(key, "bundle", manifest, signature):
        raise ProtocolError(f"{path.name}: the bundle's signature does not verify; it was refused whole")
    listed = manifest.get("files")
    if not isinstance(listed, list):
        raise ProtocolError(f"{path.name}: the bundle's manifest lists no files")
    files: dict[str, bytes] = {}
    for entry in listed:
        name = entry.get("name") if isinstance(entry, dict) else None
        if name not in members:
            raise ProtocolError(f"{path.name}: {name!r} is missing from the bundle (truncated?)")
        data = members[name]
        if len(data) != entry.get("size") or sha256_hex(data) != entry.get("sha256"):
            raise ProtocolError(f"{path.name}: {name!r} does not match its signed hash; the bundle was refused whole")
        files[name] = data
    if set(members) - set(files):
        raise ProtocolError(f"{path.name}: the bundle holds files its manifest does not list")
    return Bundle(manifest, files)
