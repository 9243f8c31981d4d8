"""`numeribus-sync admin ...`: the administrators of the admin site.

- ``admin add-user USERNAME [--password-stdin]``: the password is asked twice on a terminal
  (never echoed), or read as one line of standard input with ``--password-stdin``;
- ``admin set-password USERNAME [--password-stdin]``: the same, for an existing user (their
  open sessions end);
- ``admin list-users [--json]``;
- ``admin remove-user USERNAME``.

The password is never printed nor logged.
"""

from __future__ import annotations

import getpass
import json
import sys

from numeribus_kiosk.store import StoreError

from ..cli import CommandError
from ..server import database
from ..server.admin import accounts
from ..server.state import utc_now


def _open_db(args):
    try:
        return database.open_hq_db(database.resolve_data_dir(args.data_dir))
    except StoreError as exc:
        raise CommandError(str(exc)) from None


def _read_password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            raise CommandError("--password-stdin: no password on standard input; nothing changed.")
        return line.rstrip("\r\n")
    if sys.stdin is None or not sys.stdin.isatty():
        raise CommandError("No terminal to ask the password on: give it with --password-stdin; nothing changed.")
    try:
        first = getpass.getpass(f"Password for {args.username} (at least {accounts.PASSWORD_MIN_LENGTH} characters): ")
        try:
            accounts.validate_password(first)
        except accounts.AccountError as exc:
            raise CommandError(f"{exc} Nothing changed.") from None
        second = getpass.getpass("The same password again: ")
    except EOFError:
        raise CommandError("No password was entered; nothing changed.") from None
    if first != second:
        raise CommandError("The two passwords differ; nothing changed.")
    return first


def cmd_add_user(args) -> int:
    try:
        username = accounts.validate_username(args.username)
    except accounts.AccountError as exc:
        raise CommandError(f"{exc} Nothing changed.") from None
    db = _open_db(args)
    try:
        if accounts.get_user(db, username) is not None:
            raise CommandError(f"An administrator named {username} already exists (admin set-password changes it).")
        password = _read_password(args)
        try:
            accounts.add_user(db, username, password, utc_now())
        except accounts.AccountError as exc:
            raise CommandError(f"{exc} Nothing changed.") from None
    finally:
        db.close()
    print(f"Administrator {username} added; they can sign in at /admin.")
    return 0


def cmd_set_password(args) -> int:
    db = _open_db(args)
    try:
        if accounts.get_user(db, args.username) is None:
            raise CommandError(f"There is no administrator named {args.username}.")
        password = _read_password(args)
        try:
            accounts.set_password(db, args.username, password, utc_now())
        except accounts.AccountError as exc:
            raise CommandError(f"{exc} Nothing changed.") from None
    finally:
        db.close()
    print(f"Password of {args.username} changed; their open sessions were ended.")
    return 0


def cmd_list_users(args) -> int:
    db = _open_db(args)
    try:
        users = accounts.list_users(db)
    finally:
        db.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "username": u.username,
                        "created_at": u.created_at,
                        "password_changed_at": u.password_changed_at,
                        "last_login_at": u.last_login_at,
                    }
                    for u in users
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not users:
        print("No administrator yet (numeribus-sync admin add-user USERNAME).")
    for u in users:
        print(f"{u.username}\tadded {u.created_at}\tlast login {u.last_login_at or 'never'}")
    return 0


def cmd_remove_user(args) -> int:
    db = _open_db(args)
    try:
        removed = accounts.remove_user(db, args.username)
    finally:
        db.close()
    if not removed:
        raise CommandError(f"There is no administrator named {args.username}.")
    print(f"Administrator {args.username} removed; their open sessions were ended.")
    return 0


def register(subparsers) -> None:
    group = subparsers.add_parser("admin", help="administrators of the admin site")
    group.set_defaults(group_parser=group)
    sub = group.add_subparsers(dest="admin_command", metavar="ACTION")

    p = sub.add_parser("add-user", help="add an administrator (password asked twice, or --password-stdin)")
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("--password-stdin", action="store_true", help="read the password as one line of standard input")
    p.set_defaults(func=cmd_add_user)

    p = sub.add_parser("set-password", help="change an administrator's password (their sessions end)")
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("--password-stdin", action="store_true", help="read the password as one line of standard input")
    p.set_defaults(func=cmd_set_password)

    p = sub.add_parser("list-users", help="list the administrators")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_list_users)

    p = sub.add_parser("remove-user", help="remove an administrator (their sessions end)")
    p.add_argument("username", metavar="USERNAME")
    p.set_defaults(func=cmd_remove_user)
