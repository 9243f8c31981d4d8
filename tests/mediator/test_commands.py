"""`numeribus-kiosk mediator set-pin | status`: through a parser of our own, and the real command."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from numeribus_kiosk.cli import CommandError, build_parser
from numeribus_kiosk.mediator import commands
from numeribus_kiosk.mediator.pin import BASE_LOCK_SECONDS, verify
from numeribus_kiosk.store import open_journal_db
from tests.conftest import run_kiosk

PIN = "246810"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="test")
    parser.add_argument("--data-dir")
    sub = parser.add_subparsers(dest="command")
    commands.add_commands(sub)
    return parser


def _run(monkeypatch, data_dir, argv, stdin=""):
    args = _parser().parse_args(["--data-dir", str(data_dir), *argv])
    from pathlib import Path

    args.data_dir = Path(args.data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return args.handler(args)


def test_parser_shape():
    parser = _parser()
    args = parser.parse_args(["mediator", "status", "--json"])
    assert args.handler is commands.cmd_mediator_status and args.json
    args = parser.parse_args(["mediator", "set-pin"])
    assert args.handler is commands.cmd_mediator_set_pin
    with pytest.raises(SystemExit):
        parser.parse_args(["mediator"])


def test_set_pin_and_status(monkeypatch, data_dir, capsys):
    assert _run(monkeypatch, data_dir, ["mediator", "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "pin_set": False,
        "pin_set_at": None,
        "locked": False,
        "locked_until": None,
        "remaining_attempts": 5,
    }
    assert _run(monkeypatch, data_dir, ["mediator", "set-pin"], f"{PIN}\n{PIN}\n") == 0
    out = capsys.readouterr().out
    assert out == "PIN set.\n" and PIN not in out
    db = open_journal_db(data_dir)
    try:
        assert verify(db, PIN).ok
        for _ in range(5):
            verify(db, "0000")
    finally:
        db.close()
    assert _run(monkeypatch, data_dir, ["mediator", "status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pin_set"] and data["locked"] and data["locked_until"] and data["remaining_attempts"] == 0
    assert _run(monkeypatch, data_dir, ["mediator", "status"]) == 0
    out = capsys.readouterr().out
    assert "Mediator PIN: set" in out and "locked until" in out and PIN not in out


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        (f"{PIN}\n13579\n", "differ"),
        ("12a4\n12a4\n", "digits"),
        ("123\n123\n", "4 to 8"),
        ("123456789\n123456789\n", "4 to 8"),
        (f"{PIN}\n", "twice"),
        ("", "twice"),
    ],
)
def test_set_pin_refusals(monkeypatch, data_dir, capsys, stdin, words):
    with pytest.raises(CommandError) as info:
        _run(monkeypatch, data_dir, ["mediator", "set-pin"], stdin)
    message = str(info.value)
    assert words in message and "\n" not in message
    for line in stdin.splitlines():
        assert line not in message
    assert capsys.readouterr().out == ""
    _run(monkeypatch, data_dir, ["mediator", "status", "--json"])
    assert json.loads(capsys.readouterr().out)["pin_set"] is False


def _wired() -> bool:
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return "mediator" in action.choices
    return False


@pytest.mark.skipif(not _wired(), reason="not wired into cli.py yet")
def test_real_command(data_dir):
    result = run_kiosk("mediator", "set-pin", data_dir=data_dir, input=f"{PIN}\n{PIN}\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "PIN set.\n" and PIN not in result.stdout + result.stderr
    result = run_kiosk("mediator", "set-pin", data_dir=data_dir, input="1234\n4321\n")
    assert result.returncode == 1 and "differ" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "1234" not in result.stderr
    result = run_kiosk("mediator", "status", "--json", data_dir=data_dir)
    assert result.returncode == 0
    assert json.loads(result.stdout)["pin_set"] is True
    db = open_journal_db(data_dir)
    try:
        assert verify(db, PIN).ok
    finally:
        db.close()
    assert BASE_LOCK_SECONDS == 300


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_set_pin_on_a_terminal_uses_getpass(monkeypatch, data_dir, capsys):
    prompts = []

    def fake_getpass(prompt=""):
        prompts.append(prompt)
        return PIN

    monkeypatch.setattr(commands.getpass, "getpass", fake_getpass)
    args = _parser().parse_args(["--data-dir", str(data_dir), "mediator", "set-pin"])
    monkeypatch.setattr("sys.stdin", _Tty(""))
    assert args.handler(args) == 0
    assert len(prompts) == 2 and all(PIN not in p for p in prompts)
    assert capsys.readouterr().out == "PIN set.\n"


def test_audit_lists_the_pin_change_without_the_pin(data_dir):
    done = run_kiosk("--data-dir", str(data_dir), "mediator", "set-pin", input=f"{PIN}\n{PIN}\n")
    assert done.returncode == 0, done.stderr
    done = run_kiosk("--data-dir", str(data_dir), "mediator", "audit", "--json")
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)
    assert entry["action"] == "pin.set" and entry["detail"] == "command-line" and entry["seq"] == 1
    assert PIN not in done.stdout
    text = run_kiosk("--data-dir", str(data_dir), "mediator", "audit", "--limit", "1")
    assert text.returncode == 0 and "pin.set  command-line" in text.stdout
    bad = run_kiosk("--data-dir", str(data_dir), "mediator", "audit", "--limit", "0")
    assert bad.returncode == 1 and "--limit must be at least 1" in bad.stderr
