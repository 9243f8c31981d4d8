"""The `numeribus-sync` command line (headquarters side).

Each subcommand lives in its own module of `sync.commands` with a ``register(subparsers)``
function; every subparser sets ``func(args) -> int``.  Errors the user can fix are printed as
one plain sentence on stderr with exit status 1 (`CommandError`), never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from numeribus_kiosk import __version__
from numeribus_kiosk.cli import print_json  # noqa: F401 - one JSON printer for both command lines

COMMAND_MODULES = (
    "sync.commands.serve",
    "sync.commands.device",
    "sync.commands.catalogue",
    "sync.commands.schedule",
    "sync.commands.bundle",
    "sync.commands.export",
    "sync.commands.admin",
    "sync.commands.backup",
)


class CommandError(Exception):
    """A failure explained in plain words; printed without a traceback, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="numeribus-sync", description="Numéribus headquarters sync service.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="where the headquarters data lives (default: $NUMERIBUS_SYNC_DATA_DIR)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        # "numeribus-sync device" without its subcommand prints that group's help
        (getattr(args, "group_parser", None) or parser).print_help(sys.stderr)
        return 2
    try:
        status = func(args)
        sys.stdout.flush()  # here, so that a reader gone away is the BrokenPipeError below
        return status
    except CommandError as exc:
        print(f"numeribus-sync: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `... | head`: the reader left, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
