"""`numeribus-kiosk sync --once [--hq URL] [--json]`: one sync round from the command line.

Exit 0 only when the upload AND the download completed; otherwise one plain sentence on stderr
and exit 1 (the round's report is still printed with ``--json``).  Without ``--once`` the command
says so and exits 2: the agent that syncs by itself runs inside the kiosk.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .round import RoundReport

ONCE_REQUIRED = (
    "sync needs --once: it runs one round (upload, then download) and exits. The kiosk syncs by itself when it runs."
)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def describe_report(report: RoundReport) -> list[str]:
    """The round in a few plain lines (no personal data: counts, numbers and headquarters' reasons)."""
    lines = [f"Headquarters: {report.hq_url} (this bus: {report.name or report.device_id})."]
    up = report.upload
    if up is not None:
        if up.sent:
            lines.append(
                f"Up: {_plural(up.sent, 'event')} sent; headquarters holds this bus's events up to number "
                f"{up.acknowledged_seq}."
            )
        else:
            lines.append("Up: nothing to send.")
        for item in up.quarantined:
            lines.append(f"  event {item['seq']} ({item['kind']}) quarantined by headquarters: {item['reason']}")
        if up.conflicts:
            numbers = ", ".join(str(seq) for seq in up.conflicts)
            lines.append(
                f"  headquarters already holds other content under number(s) {numbers}: "
                "see the alarms on its admin site."
            )
        if up.purged:
            lines.append(f"  visitors' personal data deleted from the bus for {_plural(up.purged, 'record')}.")
    down = report.download
    if down is not None:
        snapshot = down.snapshot
        if snapshot is not None and snapshot.applied:
            lines.append(
                f"Down: snapshot {snapshot.version} applied ({_plural(snapshot.entities, 'entity', 'entities')}, "
                f"{snapshot.fetched} of {_plural(snapshot.chunks, 'chunk')} downloaded)."
            )
        if down.snapshot_deferred:
            lines.append("Down: a full download (snapshot) is needed; deferred on this link.")
        elif down.version == down.version_before and not down.changes:
            lines.append(f"Down: the catalogue is up to date (version {down.version}).")
        else:
            lines.append(
                f"Down: {_plural(down.changes, 'change')} applied; the catalogue is at version {down.version}."
            )
    return lines


def cmd_sync(args) -> int:
    from numeribus_kiosk.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_json

    if not args.once:
        print(args.sync_usage.rstrip(), file=sys.stderr)
        print(f"numeribus-kiosk: {ONCE_REQUIRED}", file=sys.stderr)
        return EXIT_USAGE
    from .round import RoundError, sync_once

    try:
        report = sync_once(args.data_dir, hq_url=args.hq)
    except RoundError as exc:
        if args.json:
            data = exc.report.to_dict() if exc.report else {"ok": False, "error": str(exc), "reason": exc.reason}
            print_json(data)
        print(f"numeribus-kiosk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print_json(report.to_dict())
    else:
        print("\n".join(describe_report(report)))
    if not report.ok:
        print(f"numeribus-kiosk: {report.error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def add_commands(subparsers) -> None:
    """Add `sync` to the top-level sub-parsers of numeribus_kiosk.cli.build_parser."""
    p = subparsers.add_parser(
        "sync",
        help="exchange with headquarters now: upload the journal, download the catalogue",
        description="Run one sync round with headquarters: upload the events of the journal, then "
        "download the catalogue's changes (or its snapshot). The bus must be enrolled (enrol).",
    )
    p.add_argument("--once", action="store_true", help="run one round and exit (required for now)")
    p.add_argument("--hq", metavar="URL", help="headquarters' address for this round (default: the enrolled one)")
    p.add_argument("--json", action="store_true", help="print the round's report as JSON")
    p.set_defaults(handler=cmd_sync, sync_usage=p.format_usage())
