"""`numeribus-kiosk mediator ...`: set the mediator PIN, see whether the mode is locked, read the audit log.

`add_commands(subparsers)` adds the ``mediator`` command to the top-level sub-parsers of
`numeribus_kiosk.cli.build_parser`. Handlers follow cli.py's pattern: they return an exit code
and raise `numeribus_kiosk.cli.CommandError` (imported lazily, cli.py imports this module) for
a failure to print in one line.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime


def _command_error(message: str) -> Exception:
    from ..cli import CommandError

    return CommandError(message)


def _open_db(args):
    """journal.db of the data directory (the store applies the mediator's migrations too)."""
    from ..store import open_journal_db

    return open_journal_db(args.data_dir)


def _read_new_pin_twice() -> tuple[str, str]:
    """The new PIN twice: from getpass on a terminal, else two lines of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            first = getpass.getpass("New mediator PIN (4 to 8 digits): ")
            second = getpass.getpass("The same PIN again: ")
        except EOFError as exc:
            raise _command_error("No PIN was entered; nothing changed.") from exc
        return first, second
    lines = []
    for _ in range(2):
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            raise _command_error("set-pin needs the new PIN twice, on two lines of standard input; nothing changed.")
        lines.append(line.rstrip("\r\n"))
    return lines[0], lines[1]


def cmd_mediator_set_pin(args) -> int:
    from .pin import PinError, set_pin, validate_pin

    first, second = _read_new_pin_twice()
    try:
        validate_pin(first)
    except PinError as exc:
        raise _command_error(f"{exc} Nothing changed.") from None
    if first != second:
        raise _command_error("The two PINs differ; nothing changed.")
    from . import audit

    db = _open_db(args)
    try:
        set_pin(db, first)
        audit.record(db, "pin.set", detail="command-line")
    finally:
        db.close()
    print("PIN set.")
    return 0


def _local_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")


def cmd_mediator_status(args) -> int:
    from .pin import MAX_FAILURES, status

    db = _open_db(args)
    try:
        st = status(db)
    finally:
        db.close()
    locked_until = _local_time(st.locked_until) if st.locked_until is not None else None
    if args.json:
        data = {
            "pin_set": st.pin_set,
            "pin_set_at": st.set_at,
            "locked": st.locked,
            "locked_until": locked_until,
            "remaining_attempts": st.remaining_attempts,
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if st.pin_set:
        print(f"Mediator PIN: set ({st.set_at}).")
    else:
        print("Mediator PIN: not set (numeribus-kiosk mediator set-pin).")
    if st.locked:
        print(f"Mediator mode: locked until {locked_until}.")
    else:
        print(f"Mediator mode: not locked ({st.remaining_attempts} of {MAX_FAILURES} attempts left before a lock).")
    return 0


def cmd_mediator_audit(args) -> int:
    from . import audit

    if args.limit is not None and args.limit < 1:
        raise _command_error("--limit must be at least 1.")
    db = _open_db(args)
    try:
        entries = audit.list_audit(db, limit=args.limit)
    finally:
        db.close()
    if args.json:
        json.dump([entry.to_dict() for entry in entries], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for entry in entries:
        print("  ".join(x for x in (entry.at, entry.mediator or "-", entry.action, entry.target, entry.detail) if x))
    if not entries:
        print("The audit log is empty.", file=sys.stderr)
    return 0


def add_commands(subparsers) -> None:
    """Add the ``mediator`` command and its sub-commands to the top-level `subparsers`."""
    mediator = subparsers.add_parser("mediator", help="the mediator mode's PIN and lock")
    commands = mediator.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)

    p = commands.add_parser(
        "set-pin",
        help="set the mediator PIN (4 to 8 digits, asked twice; two lines of stdin when not a terminal)",
    )
    p.set_defaults(handler=cmd_mediator_set_pin)

    p = commands.add_parser("status", help="whether a PIN is set and whether the mode is locked")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_mediator_status)

    p = commands.add_parser("audit", help="the audit log of the mediator mode (who, when, what), oldest first")
    p.add_argument(
        "--json", action="store_true", help="a JSON list of objects seq, at, mediator, action, target, detail"
    )
    p.add_argument("--limit", type=int, metavar="N", help="only the last N entries")
    p.set_defaults(handler=cmd_mediator_audit)
