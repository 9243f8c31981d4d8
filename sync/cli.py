"""The `numeribus-sync` command line (headquarters side).

The headquarters service itself (serve, devices, catalogue publishing, bundles)
is built in a later issue; this entry point already exists so that packaging and
scripts can rely on its name and on `--version`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from numeribus_kiosk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="numeribus-sync", description="Numéribus headquarters sync service.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="where the headquarters data lives")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
