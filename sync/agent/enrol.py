"""`numeribus-kiosk enrol --hq URL --code CODE`: the bus's side of enrolment (docs/protocol.md, "Enrolment").

1. Read the bus's device id from its journal (the id its outbox events carry).
2. Make a new Ed25519 key pair, in memory.
3. POST /api/v1/enrol with the proof of the pairing code (the code itself never travels).
4. Check the answer's proof (only whoever holds the code could compute it), then the answer's
   signature with the headquarters key it carries; only then write the key pair (mode 0600),
   pin headquarters' key and record the enrolment (sync.agent.identity).

Nothing is written before step 4 succeeds: a wrong, used or expired code, or an unreachable
headquarters, leaves the bus as it was.  A bus that is already enrolled is enrolled again only
with ``--force``: headquarters then replaces its key (the old one stops working at once) and the
new files replace the old ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

from .. import protocol
from .http import HQClient, HQUnreachable, HQUntrusted, error_of
from .identity import Identity, IdentityError, is_enrolled, load_identity, save_identity

ERROR_MESSAGES = {
    "pairing_code_invalid": "This pairing code is not valid: check it, or make a new one at headquarters "
    "(numeribus-sync device add NAME).",
    "pairing_code_used": "This pairing code was already used: make a new one at headquarters "
    "(numeribus-sync device add NAME).",
    "pairing_code_expired": "This pairing code has expired: make a new one at headquarters "
    "(numeribus-sync device add NAME).",
}


class EnrolError(Exception):
    """Enrolment failed; the message says why in one sentence; nothing was changed on the bus."""


def normalise_url(url: str) -> str:
    """`http://host:port[/prefix]` without a trailing slash; `host:port` alone gets http://."""
    text = (url or "").strip()
    if text and "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise EnrolError(f"{url!r} is not a headquarters address: expected http://HOST:PORT.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise EnrolError(f"{url!r} is not a headquarters address: its port is not valid.") from exc
    return text.rstrip("/")


def read_device_id(data_dir: Path) -> str:
    from numeribus_kiosk.journal.outbox import device_id
    from numeribus_kiosk.store import open_journal_db

    db = open_journal_db(Path(data_dir))
    try:
        return device_id(db)
    finally:
        db.conn.close()


def enrol(
    data_dir: Path,
    hq_url: str,
    code: str,
    *,
    force: bool = False,
    session: requests.Session | None = None,
    timeout: float | tuple[float, float] = (10.0, 60.0),
) -> Identity:
    """Enrol this bus at `hq_url` with the pairing `code`; the saved identity. Raises EnrolError."""
    data_dir = Path(data_dir)
    url = normalise_url(hq_url)
    if not protocol.is_well_formed_pairing_code(code):
        raise EnrolError("This is not a pairing code: it has 12 letters and digits, like ABCD-EFGH-JKMN.")
    if is_enrolled(data_dir) and not force:
        try:
            current = load_identity(data_dir)
        except IdentityError:
            current = None
        where = f" as {current.name!r} at {current.hq_url}" if current else ""
        raise EnrolError(
            f"This bus is already enrolled{where}. To enrol it again (a new key replaces the old one at "
            "headquarters), add --force."
        )
    device_id = read_device_id(data_dir)
    key = protocol.generate_key()
    public_key = protocol.public_text(key)
    body = {
        "device_id": device_id,
        "public_key": public_key,
        "proof": protocol.enrol_proof(code, device_id, public_key),
    }
    client = HQClient(url, key, None, session=session, timeout=timeout)
    try:
        try:
            answer = client.send("POST", "/api/v1/enrol", body, signed=False)
        except HQUnreachable as exc:
            raise EnrolError(f"{exc} Nothing was changed.") from exc
    finally:
        client.close()
    data = answer.parsed()
    if answer.status != 200:
        error = error_of(answer.status, data)
        if error.code in ERROR_MESSAGES:
            raise EnrolError(ERROR_MESSAGES[error.code])
        if error.code.startswith("http_"):
            raise EnrolError(f"{url} did not answer as a numéribus headquarters (HTTP {answer.status}).")
        raise EnrolError(f"Headquarters refused the enrolment: {error.message} ({error.code})")
    if not isinstance(data, dict) or not isinstance(data.get("hq_public_key"), str):
        raise EnrolError(f"{url} did not answer as a numéribus headquarters; nothing was changed.")
    hq_public_key = data["hq_public_key"]
    expected = protocol.enrolled_proof(code, device_id, public_key, hq_public_key)
    if not protocol.proofs_match(expected, data.get("proof")):
        raise EnrolError(
            f"{url} does not know this pairing code: it is not the headquarters that made it. Nothing was changed."
        )
    try:
        client.hq_key = protocol.load_public(hq_public_key)
        client.verify(answer)
    except (protocol.ProtocolError, HQUntrusted) as exc:
        raise EnrolError(f"The answer of {url} is not signed by its key; nothing was changed.") from exc
    if data.get("device_id") != device_id or data.get("key_id") != protocol.key_id(key):
        raise EnrolError(f"{url} registered another device or key than this bus's; nothing was changed.")
    return save_identity(
        data_dir,
        key,
        hq_public_key,
        hq_url=url,
        device_id=device_id,
        name=str(data.get("name", "")),
        enrolled_at=datetime.now(UTC),
    )


# --- numeribus-kiosk enrol ----------------------------------------------------------------------


def cmd_enrol(args) -> int:
    from numeribus_kiosk.cli import CommandError, print_json

    try:
        identity = enrol(args.data_dir, args.hq, args.code, force=args.force)
    except (EnrolError, OSError) as exc:
        message = str(exc) if isinstance(exc, EnrolError) else f"The bus's files could not be written: {exc}"
        raise CommandError(message) from None
    if args.json:
        print_json(
            {
                "name": identity.name,
                "device_id": identity.device_id,
                "key_id": identity.key_id,
                "hq_url": identity.hq_url,
                "hq_key_fingerprint": identity.hq_fingerprint,
            }
        )
        return 0
    print(f"Enrolled as {identity.name} at {identity.hq_url}.")
    print(f"Headquarters' key is pinned; its fingerprint: {identity.hq_fingerprint}")
    return 0


def add_commands(subparsers) -> None:
    """Add `enrol` to the top-level sub-parsers of numeribus_kiosk.cli.build_parser."""
    p = subparsers.add_parser(
        "enrol",
        help="enrol this bus at headquarters with a pairing code",
        description="Enrol this bus at headquarters with a one-time pairing code made there by "
        "`numeribus-sync device add NAME`, and pin headquarters' key.",
    )
    p.add_argument("--hq", required=True, metavar="URL", help="headquarters' address, e.g. http://hq.example:8470")
    p.add_argument("--code", required=True, metavar="CODE", help="the pairing code, e.g. ABCD-EFGH-JKMN")
    p.add_argument("--force", action="store_true", help="enrol again a bus that is already enrolled (new key)")
    p.add_argument("--json", action="store_true", help="print {name, device_id, key_id, hq_url, hq_key_fingerprint}")
    p.set_defaults(handler=cmd_enrol)
