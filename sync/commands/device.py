"""`numeribus-sync device add|list|revoke|locations`: the buses known to headquarters.

- ``device add NAME [--json]`` makes a one-time pairing code for NAME (valid
  ``[pairing] code_hours``, 24 by default) and prints it with its expiry and headquarters' key
  fingerprint; a NAME's earlier code not used yet stops working.  Adding a NAME that is already
  enrolled prepares its re-enrolment (a replaced disk): the new key replaces the old one.
- ``device list [--json]``: the devices (status, last seen, acknowledged sequence, catalogue
  version) and the codes not used yet.
- ``device revoke NAME``: the device's key stops working at once; a code not used yet is cancelled.
- ``device locations NAME CODE... [--json]``: the copy locations on board NAME (a new bus gets
  ``[catalogue] bus_locations`` of config.toml); the bus takes them at its next sync.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from ..cli import CommandError, print_json
from ..server import devices, publish
from ..server.database import resolve_data_dir, write_transaction
from ..server.state import HQ


def _open_hq(args) -> HQ:
    from numeribus_kiosk.store import StoreError

    try:
        return HQ(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def _local(moment: str | datetime | None) -> str:
    """A stored UTC time in the machine's local time, to the minute, for people."""
    if moment is None:
        return "never"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def cmd_add(args) -> int:
    hq = _open_hq(args)
    try:
        try:
            name = devices.validate_name(args.name)
            code, expires_at = devices.add_device_code(hq.db(), name, hq.now(), hq.config.pairing_code_hours)
        except devices.DeviceError as exc:
            raise CommandError(str(exc)) from exc
        existing = devices.device_by_name(hq.db(), name)
        if args.json:
            print_json(
                {
                    "name": name,
                    "code": code,
                    "expires_at": expires_at.isoformat(timespec="seconds"),
                    "key_fingerprint": hq.fingerprint,
                }
            )
            return 0
        print(f"Pairing code for {name}: {code}")
        print(f"It works once, until {_local(expires_at)}.")
        print(f"Headquarters' key fingerprint: {hq.fingerprint}")
        if existing is not None:
            print(f"{name} is already enrolled: enrolling with this code replaces its key.")
        print(f"On the bus: numeribus-kiosk enrol --hq URL --code {code}")
        return 0
    finally:
        hq.close()


def _device_dict(device: devices.Device) -> dict:
    data = asdict(device)
    data["bus_locations"] = list(device.bus_locations)
    return data


def cmd_list(args) -> int:
    hq = _open_hq(args)
    try:
        db = hq.db()
        known = devices.list_devices(db)
        pending = devices.pending_codes(db, hq.now())
    finally:
        hq.close()
    if args.json:
        print_json(
            {
                "devices": [_device_dict(device) for device in known],
                "pending_codes": [asdict(code) for code in pending],
            }
        )
        return 0
    if not known and not pending:
        print("No device yet. Make a pairing code with: numeribus-sync device add NAME")
        return 0
    for device in known:
        print(f"{device.name}  [{device.status}]")
        print(f"  device id: {device.device_id}   key id: {device.key_id}")
        print(f"  enrolled: {_local(device.enrolled_at)}   last seen: {_local(device.last_seen_at)}")
        print(f"  acknowledged up to: {device.acknowledged}   catalogue version: {device.catalogue_version}")
        print(f"  copies on board: {', '.join(device.bus_locations)}")
        if device.revoked_at:
            print(f"  revoked: {_local(device.revoked_at)}")
    for code in pending:
        print(f"{code.name}  [pairing code waiting, until {_local(code.expires_at)}]")
    return 0


def cmd_revoke(args) -> int:
    hq = _open_hq(args)
    try:
        try:
            device = devices.revoke(hq.db(), args.name, hq.now())
        except devices.DeviceError as exc:
            raise CommandError(str(exc)) from exc
    finally:
        hq.close()
    if device is None:
        print(f"The pairing code for {args.name.strip()} was cancelled.")
    else:
        print(f"{device.name} is revoked: its key is refused from now on.")
    return 0


def cmd_locations(args) -> int:
    hq = _open_hq(args)
    try:
        db = hq.db()
        try:
            with write_transaction(db):
                device = devices.set_bus_locations(db, args.name, args.codes)
                version = publish.publish_device_config(db, device, hq.now())
        except devices.DeviceError as exc:
            raise CommandError(str(exc)) from exc
    finally:
        hq.close()
    if args.json:
        print_json({"name": device.name, "bus_locations": list(device.bus_locations), "changed": version is not None})
        return 0
    codes = ", ".join(device.bus_locations)
    if version is None:
        print(f"{device.name} already has the copies of {codes} on board: nothing changed.")
    else:
        print(f"{device.name}: copies of {codes} on board, from its next sync.")
    return 0


def register(subparsers) -> None:
    group = subparsers.add_parser("device", help="enrol, list and revoke buses, set their copies on board")
    group.set_defaults(group_parser=group)
    commands = group.add_subparsers(dest="device_command", metavar="SUBCOMMAND")

    p = commands.add_parser(
        "add",
        help="make a one-time pairing code for a bus",
        description="Make a one-time pairing code for the bus NAME, to give to `numeribus-kiosk enrol`.",
    )
    p.add_argument("name", metavar="NAME", help="the bus's name (at most 64 characters)")
    p.add_argument("--json", action="store_true", help="print {name, code, expires_at, key_fingerprint} as JSON")
    p.set_defaults(func=cmd_add)

    p = commands.add_parser("list", help="the devices and the pairing codes not used yet")
    p.add_argument("--json", action="store_true", help="print {devices: [...], pending_codes: [...]} as JSON")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("revoke", help="refuse a bus's key from now on")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_revoke)

    p = commands.add_parser(
        "locations",
        help="set which copy locations are on board a bus",
        description="Set the copy location codes (UNIMARC 995, MARC21 952, CSV copies) on board the bus NAME; "
        "the bus takes them at its next sync.",
    )
    p.add_argument("name", metavar="NAME", help="the bus's name")
    p.add_argument("codes", nargs="+", metavar="CODE", help="a location code, like NUMERIBUS (1 to 20)")
    p.add_argument("--json", action="store_true", help="print {name, bus_locations, changed} as JSON")
    p.set_defaults(func=cmd_locations)
