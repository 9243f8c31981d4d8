"""The documentation says what the code does: every command and option is documented."""

import argparse
from pathlib import Path

import pytest

from numeribus_kiosk.cli import build_parser
from numeribus_kiosk.settings import _STRING_LISTS
from sync.cli import build_parser as build_sync_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"


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
