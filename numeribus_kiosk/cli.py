"""The `numeribus-kiosk` command line.

Sub-commands and their options are a contract (docs/cli.md documents them and a
test checks that every one is documented).  Exit codes: 0 done, 1 the operation
failed for a reason given in plain words (nothing could be read, a database is
not usable, a record does not exist), 2 the command line itself is wrong.
Errors caused by the environment print one line, never a traceback; anything
else is a bug: its traceback goes to the log file and a short line to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .store import StoreError, resolve_data_dir

log = logging.getLogger("numeribus_kiosk")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report in plain words (exit 1)."""


def print_json(data) -> None:
    """`data` as indented JSON on stdout (UTF-8 kept): every `--json` of both command lines."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- catalogue


def _open_catalogue(args):
    from .catalogue import open_catalogue

    return open_catalogue(args.data_dir)


def cmd_catalogue_import(args) -> int:
    from .catalogue.importer import CatalogueImportError, import_files
    from .settings import load_settings
    from .store import open_catalogue_db

    settings = load_settings(args.data_dir)
    for problem in settings.problems:
        print(f"warning: {problem}", file=sys.stderr)
    db = open_catalogue_db(args.data_dir)
    try:
        report = import_files(db, args.files, format=args.format, options=settings.reader_options())
    except CatalogueImportError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()
    data = report.to_dict()
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"Read {data['read']} records from {len(data['files'])} file(s).")
    print(f"Imported {data['imported']} records.")
    if data["duplicates"]:
        print(f"{len(data['duplicates'])} records share their id with an earlier one; the later one is kept:")
        for d in data["duplicates"]:
            print(
                f"  {d['file']} record {d['position']} (id {d['id']}) replaces "
                f"{d['replaces_file']} record {d['replaces_position']}"
            )
    if data["changed"]:
        print(
            f"Catalogue updated: {data['added']} added, {data['updated']} updated, "
            f"{data['removed']} removed, {data['unchanged']} unchanged."
        )
    else:
        print("Catalogue unchanged: the same records were already in place.")
    if data["skipped"]:
        print(f"Skipped {len(data['skipped'])} records:")
        for item in data["skipped"]:
            print(f"  {item['file']} record {item['position']}: {item['reason']}")
    for path in data["ignored"]:
        print(f"Ignored {path} (not a catalogue file).")
    return EXIT_OK


def _parse_filters(pairs: Sequence[str]) -> dict:
    from .catalogue.search import BOOLEAN_FILTERS, FILTER_KEYS

    filters: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise CommandError(f"--filter needs KEY=VALUE, got {pair!r}.")
        if key not in FILTER_KEYS:
            raise CommandError(f"Unknown filter {key!r}; known filters: {', '.join(FILTER_KEYS)}.")
        if key in BOOLEAN_FILTERS:
            lowered = value.strip().lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no", "oui", "non"}:
                raise CommandError(f"Filter {key} takes true or false, got {value!r}.")
            filters[key] = lowered in {"1", "true", "yes", "oui"}
        else:
            filters.setdefault(key, []).append(value.strip())
    return filters


def cmd_catalogue_search(args) -> int:
    filters = _parse_filters(args.filter)
    catalogue = _open_catalogue(args)
    try:
        result = catalogue.search(args.query, filters=filters or None, limit=args.limit)
        data = result.to_dict()
    except ValueError as exc:  # a filter value the catalogue does not know
        raise CommandError(str(exc)) from exc
    finally:
        catalogue.close()
    if args.json:
        print_json(data)
        return EXIT_OK
    if data.get("corrected"):
        print(f"Results for: {data['corrected']}")
    print(f"{data['total']} result(s).")
    for hit in data["results"]:
        authors = ", ".join(hit["authors"][:2])
        year = f" ({hit['year']})" if hit.get("year") else ""
        board = "  [on board]" if hit.get("on_board") else ""
        print(f"- {hit['title']}{' / ' + authors if authors else ''}{year}  [{hit['type']}] id={hit['id']}{board}")
    return EXIT_OK


def cmd_catalogue_show(args) -> int:
    catalogue = _open_catalogue(args)
    try:
        record = catalogue.get(args.id)
    finally:
        catalogue.close()
    if record is None:
        raise CommandError(f"No record with id {args.id!r} in the catalogue.")
    data = record.to_dict()
    data["on_board"] = record.on_board
    if args.json:
        print_json(data)
        return EXIT_OK
    for key, value in data.items():
        if value in ("", (), [], None, False) and key not in {"large_print", "on_board"}:
            continue
        if key == "authors":
            value = "; ".join(f"{a['name']} ({a['role']})" for a in value)
        elif key == "copies":
            value = "; ".join(
                f"{c['location']} {c['call_number']} {c['barcode']}".strip() + (" [on board]" if c["on_board"] else "")
                for c in value
            )
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        print(f"{key}: {value}")
    return EXIT_OK


def cmd_catalogue_stats(args) -> int:
    catalogue = _open_catalogue(args)
    try:
        stats = catalogue.stats()
    finally:
        catalogue.close()
    if args.json:
        print_json(stats)
        return EXIT_OK
    for key, value in stats.items():
        print(f"{key}: {value}")
    return EXIT_OK


# ---------------------------------------------------------------- demo, schedule, agenda


def cmd_demo_load(args) -> int:
    from .catalogue import demo

    try:
        summary = demo.load_demo_data(args.data_dir, force=args.force, today=args.today)
    except demo.DemoError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print_json(summary)
    else:
        if summary["catalogue_loaded"]:
            print(f"Demo catalogue loaded: {summary['records']} records.")
        else:
            print(f"The catalogue already holds {summary['records']} records; left as it is (--force to replace).")
        print(f"Demo schedule: {summary['passages']} stops; demo agenda: {summary['workshops']} workshops.")
    return EXIT_OK


def _today(args) -> date:
    return args.today or date.today()


def cmd_schedule_import(args) -> int:
    from .catalogue import schedule
    from .store import open_catalogue_db

    reader = schedule.read_workshops if args.what == "agenda" else schedule.read_passages
    replace = schedule.replace_workshops if args.what == "agenda" else schedule.replace_passages
    try:
        items, skipped = reader(args.file)
    except schedule.ScheduleError as exc:
        raise CommandError(str(exc)) from exc
    db = open_catalogue_db(args.data_dir)
    try:
        try:
            changed = replace(db, items)
        except schedule.ScheduleError as exc:
            raise CommandError(str(exc)) from exc
    finally:
        db.close()
    data = {
        "read": len(items) + len(skipped),
        "imported": len(items),
        "changed": bool(changed),
        "skipped": [{"line": s.line, "reason": s.reason} for s in skipped],
    }
    if args.json:
        print_json(data)
    else:
        print(f"Imported {data['imported']} of {data['read']} rows" + ("." if changed else " (unchanged)."))
        for s in data["skipped"]:
            print(f"  line {s['line']}: {s['reason']}")
    return EXIT_OK


def cmd_schedule_list(args) -> int:
    from .catalogue import schedule
    from .store import open_catalogue_db

    db = open_catalogue_db(args.data_dir)
    try:
        if args.what == "agenda":
            items = schedule.upcoming_workshops(db, _today(args), kind=args.kind, limit=args.limit)
        else:
            items = schedule.upcoming_passages(db, _today(args), limit=args.limit)
    finally:
        db.close()
    if args.json:
        print_json([item.to_dict() for item in items])
        return EXIT_OK
    if not items:
        print("Nothing scheduled.")
    for item in items:
        print(item.describe())
    return EXIT_OK


# ---------------------------------------------------------------- the kiosk


def require_qt() -> None:
    """The touchscreen's commands need Qt (the ``kiosk`` extra); say so in one sentence without it."""
    import importlib.util

    if importlib.util.find_spec("PySide6") is None:
        raise CommandError(
            "Qt for Python (PySide6) is not installed here: the kiosk's screens need the kiosk extra "
            "(pip install 'numeribus-kiosk[kiosk]', or the numeribus-kiosk Debian package)."
        )


def cmd_kiosk(args) -> int:
    require_qt()
    if not args.windowed and not args.no_supervisor:
        # Kiosk mode: the application runs in a child process, restarted after a crash.
        from .supervisor import supervise

        child = ["--data-dir", str(args.data_dir), "--lang", args.lang, "--speech-engine", args.speech_engine]
        if args.verbose:
            child.append("--verbose")
        return supervise([*child, "--no-supervisor"], args.data_dir)
    from .app import run

    return run(args.data_dir, windowed=args.windowed, language=args.lang, speech_engine=args.speech_engine)


def cmd_screenshots(args) -> int:
    require_qt()
    from .ui.screen_tour import TourError
    from .ui.screenshots import take_screenshots

    try:
        report = take_screenshots(
            args.data_dir, Path(args.outdir), size=args.size, progress=lambda path: print(path, flush=True)
        )
    except TourError as exc:
        raise CommandError(str(exc)) from exc
    for name in report.missing:
        print(f"missing screen: {name} (its QML file is not written yet)")
    print(
        f"{len(report.written)} screenshot(s) written to {args.outdir}"
        + (f"; {len(report.skipped)} skipped (missing: {', '.join(report.missing)})." if report.skipped else ".")
    )
    if not report.written:
        raise CommandError("no screen could be rendered.")
    return EXIT_OK


def cmd_a11y_audit(args) -> int:
    require_qt()
    from .ui.a11y_audit import format_report, run_audit
    from .ui.screen_tour import TourError

    try:
        result = run_audit(args.data_dir, pixel_pitch_mm=args.pixel_pitch)
    except TourError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print_json(result)
    else:
        print(format_report(result))
    return EXIT_OK if result["ok"] else EXIT_FAILED


# ---------------------------------------------------------------- parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="numeribus-kiosk",
        description="The numéribus kiosk and its local catalogue.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where catalogue.db and journal.db live (default: $NUMERIBUS_DATA_DIR, else the user data directory)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens on stderr")
    kiosk = parser.add_argument_group("the kiosk (no COMMAND)")
    kiosk.add_argument("--windowed", action="store_true", help="an ordinary window instead of fullscreen kiosk mode")
    kiosk.add_argument("--lang", choices=("fr", "en"), default="fr", help="language at start (default: fr)")
    kiosk.add_argument(
        "--no-supervisor",
        action="store_true",
        help="in kiosk mode, run the application in this process (no restart after a crash)",
    )
    kiosk.add_argument(
        "--speech-engine",
        choices=("speechd", "mock"),
        default="speechd",
        help="QtTextToSpeech engine: speechd (speech-dispatcher, the default) "
        "or mock (silent, for machines without audio)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    catalogue = commands.add_parser("catalogue", help="import, search and show catalogue records")
    cat_commands = catalogue.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)

    p = cat_commands.add_parser("import", help="replace the catalogue with the records of FILE... (atomic)")
    p.add_argument("files", nargs="+", metavar="FILE", help="ISO 2709, MARCXML or CSV files, or folders")
    p.add_argument("--format", choices=("auto", "marc21", "unimarc", "csv"), default="auto")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=cmd_catalogue_import)

    p = cat_commands.add_parser("search", help="search the catalogue as the kiosk does")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE", help="repeatable")
    p.add_argument("--limit", type=_positive, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_catalogue_search)

    p = cat_commands.add_parser("show", help="every mapped field of one record")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_catalogue_show)

    p = cat_commands.add_parser("stats", help="what the catalogue holds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_catalogue_stats)

    demo = commands.add_parser("demo", help="the embedded demo data")
    demo_commands = demo.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = demo_commands.add_parser("load", help="load the demo catalogue, schedule and agenda")
    p.add_argument("--force", action="store_true", help="replace a catalogue that is not empty")
    p.add_argument("--today", type=_iso_date, help="date the demo schedule starts from (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_demo_load)

    for what, help_text in (("schedule", "the bus's stops"), ("agenda", "the workshop agenda")):
        sub = commands.add_parser(what, help=help_text)
        sub_commands = sub.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        p = sub_commands.add_parser("import", help=f"replace {help_text} with a CSV file")
        p.add_argument("file", metavar="FILE")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=cmd_schedule_import, what=what)
        p = sub_commands.add_parser("list", help=f"upcoming items of {help_text}")
        p.add_argument("--today", type=_iso_date, help="list from this date (default: today)")
        p.add_argument("--limit", type=_positive)
        if what == "agenda":
            p.add_argument("--kind", help="only this kind of workshop (tablette, cafe_tablette, fablab_3d...)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=cmd_schedule_list, what=what, kind=None)

    p = commands.add_parser("screenshots", help="a PNG of every screen in every theme and profile (offscreen)")
    p.add_argument("outdir", metavar="OUTDIR", help="folder the PNG files are written to")
    p.add_argument("--size", type=_screen_size, default=(1920, 1080), metavar="WxH", help="default: 1920x1080")
    p.set_defaults(handler=cmd_screenshots)

    p = commands.add_parser("a11y-audit", help="check every screen's names, touch targets, contrast, clipping")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--pixel-pitch", type=_pixel_pitch, default=0.248, metavar="MM", help="screen pixel pitch (default: 0.248)"
    )
    p.set_defaults(handler=cmd_a11y_audit)

    from .journal.commands import add_commands as add_journal_commands
    from .mediator.commands import add_commands as add_mediator_commands

    add_journal_commands(commands)
    add_mediator_commands(commands)

    from sync.agent.enrol import add_commands as add_enrol_commands

    add_enrol_commands(commands)

    from sync.agent.commands import add_commands as add_sync_commands

    add_sync_commands(commands)

    from sync.agent.bundles import add_commands as add_bundle_commands

    add_bundle_commands(commands)
    return parser


def _screen_size(text: str) -> tuple[int, int]:
    from .ui.screen_tour import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _pixel_pitch(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not 0.05 <= value <= 2.0:
        raise argparse.ArgumentTypeError("must be between 0.05 and 2.0 (mm)")
    return value


def _log_file(data_dir: Path) -> Path | None:
    try:
        directory = data_dir / "logs"
        directory.mkdir(parents=True, exist_ok=True)
        return directory / "numeribus-kiosk.log"
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.data_dir = resolve_data_dir(args.data_dir)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.command:
        args.handler = cmd_kiosk
    elif not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        status = args.handler(args)
        sys.stdout.flush()  # here, so that a reader gone away is the BrokenPipeError below
        return status
    except (CommandError, StoreError) as exc:
        print(f"numeribus-kiosk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("numeribus-kiosk: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `... | head`: the reader left, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:  # a bug: keep the traceback for the developers, not on the screen
        log_file = _log_file(args.data_dir)
        if log_file is not None:
            import traceback

            with open(log_file, "a", encoding="utf-8") as handle:
                handle.write(f"--- numeribus-kiosk {__version__} command={args.command}\n")
                traceback.print_exc(file=handle)
        where = f" (details in {log_file})" if log_file else ""
        print(f"numeribus-kiosk: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
