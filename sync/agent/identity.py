"""The bus's identity towards headquarters, in the kiosk's data directory.

Three files, written by `numeribus-kiosk enrol` (sync.agent.enrol) once enrolment succeeded:

``device-key.pem``
    The bus's Ed25519 private key (PKCS#8 PEM), mode 0600: readable by the kiosk's user only.
``hq-key.pub``
    Headquarters' pinned public key (base64url, one line).  Every answer from headquarters must
    verify with it.
``sync.json``
    What the bus was enrolled with: ``{"hq_url", "device_id", "name", "key_id", "hq_key_id",
    "api_version", "enrolled_at"}``.  ``hq_url`` is the base URL given to ``enrol --hq``.

The bus is enrolled when all three are present and agree with each other.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .. import protocol

DEVICE_KEY_FILE = "device-key.pem"
HQ_KEY_FILE = "hq-key.pub"
SYNC_FILE = "sync.json"


class IdentityError(Exception):
    """The identity files are there but cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What `sync.json` holds."""

    hq_url: str
    device_id: str
    name: str
    key_id: str
    hq_key_id: str
    api_version: int
    enrolled_at: str


@dataclass(frozen=True)
class Identity:
    """An enrolled bus: its key, headquarters' pinned key and the enrolment's facts."""

    key: Ed25519PrivateKey
    hq_public_key: str
    enrolment: Enrolment

    @property
    def hq_url(self) -> str:
        return self.enrolment.hq_url

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    @property
    def name(self) -> str:
        return self.enrolment.name

    @property
    def key_id(self) -> str:
        return protocol.key_id(self.key)

    @property
    def hq_fingerprint(self) -> str:
        return protocol.fingerprint(self.hq_public_key)


def paths(data_dir: Path) -> tuple[Path, Path, Path]:
    data_dir = Path(data_dir)
    return data_dir / DEVICE_KEY_FILE, data_dir / HQ_KEY_FILE, data_dir / SYNC_FILE


def is_enrolled(data_dir: Path) -> bool:
    return any(path.exists() for path in paths(data_dir))


def load_identity(data_dir: Path) -> Identity | None:
    """The bus's identity; None when it was never enrolled; IdentityError when the files are damaged."""
    key_path, hq_path, sync_path = paths(data_dir)
    if not any(path.exists() for path in (key_path, hq_path, sync_path)):
        return None
    for path in (key_path, hq_path, sync_path):
        if not path.exists():
            raise IdentityError(f"{path} is missing: enrol the bus again (numeribus-kiosk enrol --force).")
    try:
        key = protocol.load_private_key(key_path)
        hq_public_key = hq_path.read_text(encoding="ascii").strip()
        protocol.load_public(hq_public_key)
        data = json.loads(sync_path.read_text(encoding="utf-8"))
        enrolment = Enrolment(**{name: data[name] for name in Enrolment.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise IdentityError(f"The bus's enrolment files in {data_dir} cannot be read ({exc}).") from exc
    if enrolment.key_id != protocol.key_id(key) or enrolment.hq_key_id != protocol.key_id(hq_public_key):
        raise IdentityError(f"The bus's enrolment files in {data_dir} do not belong together.")
    return Identity(key, hq_public_key, enrolment)


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)


def save_identity(
    data_dir: Path,
    key: Ed25519PrivateKey,
    hq_public_key: str,
    *,
    hq_url: str,
    device_id: str,
    name: str,
    enrolled_at: datetime,
) -> Identity:
    """Write the three files (each atomically; the private key readable by its owner only)."""
    key_path, hq_path, sync_path = paths(data_dir)
    enrolment = Enrolment(
        hq_url=hq_url,
        device_id=device_id,
        name=name,
        key_id=protocol.key_id(key),
        hq_key_id=protocol.key_id(hq_public_key),
        api_version=protocol.API_VERSION,
        enrolled_at=enrolled_at.isoformat(timespec="seconds"),
    )
    protocol.save_private_key(key, key_path)
    os.chmod(key_path, 0o600)  # also when an older file had looser rights
    _write_atomically(hq_path, (hq_public_key + "\n").encode("ascii"), 0o644)
    text = json.dumps(asdict(enrolment), ensure_ascii=False, indent=2) + "\n"
    _write_atomically(sync_path, text.encode("utf-8"), 0o644)
    return Identity(key, hq_public_key, enrolment)
