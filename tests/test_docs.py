"""The documentation says what the code does: every command, option and setting is documented,
and every link between the documents leads somewhere."""

import argparse
import re
from dataclasses import fields
from pathlib import Path

import pytest

from numeribus_kiosk.branding import Branding
from numeribus_kiosk.cli import build_parser
from numeribus_kiosk.settings import _STRING_LISTS, SyncSettings
from sync.cli import build_parser as build_sync_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _walk(parser: argparse.ArgumentParser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, path + (name,))
        else:
            yield path, action


@pytest.mark.parametrize("parser", [build_parser, build_sync_parser], ids=["numeribus-kiosk", "numeribus-sync"])
def test_every_command_and_option_is_in_cli_md(parser):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = []
    for path, action in _walk(parser()):
        if path and f"{path[-1]}" not in text:
            missing.append(" ".join(path))
        for option in action.option_strings:
            if option.startswith("--") and option != "--help" and option not in text:
                missing.append(f"{' '.join(path)} {option}")
        if not action.option_strings and action.metavar and action.metavar not in text:
            missing.append(f"{' '.join(path)} {action.metavar}")
    assert not missing, f"not documented in docs/cli.md: {sorted(set(missing))}"


def test_every_setting_is_in_configuration_md():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for key_path in _STRING_LISTS:
        assert ".".join(key_path) in text
    for table, keys in (("sync", fields(SyncSettings)), ("branding", fields(Branding))):
        for key in keys:
            assert f"`{table}.{key.name}`" in text, f"{table}.{key.name} is not in configuration.md"
    assert "`bus.code`" in text


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


MARKDOWN = sorted([*DOCS.rglob("*.md"), ROOT / "README.md", ROOT / "ARCHITECTURE.md", *ROOT.glob("packaging/*.md")])


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # examples are not links
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} leads nowhere"
        if anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), flags=re.M)
            assert anchor in {_anchor(h) for h in headings}, f"{page.name}: no heading #{anchor} in {linked.name}"
