"""`numeribus-sync admin add-user|set-password|list-users|remove-user`."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import signal
import sys
from pathlib import Path

import pytest

from sync.cli import main
from sync.server.admin import accounts
from sync.server.state import HQ

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "bibliobus-Loire-2026"


def run(hq_dir: Path, capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))  # not a terminal
    status = main(["--data-dir", str(hq_dir), *args])
    out, err = capsys.readouterr()
    return status, out, err


def users(hq_dir: Path) -> list[accounts.AdminUser]:
    hq = HQ(hq_dir)
    try:
        return accounts.list_users(hq.db())
    finally:
        hq.close()


def authenticate(hq_dir: Path, username: str, password: str) -> bool:
    hq = HQ(hq_dir)
    try:
        return accounts.authenticate(hq.db(), username, password, hq.now()).ok
    finally:
        hq.close()


def test_add_user_from_stdin_list_and_remove(hq_dir, capsys, monkeypatch):
    status, out, err = run(
        hq_dir, capsys, monkeypatch, "admin", "add-user", "marie", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert (status, err) == (0, "")
    assert "Administrator marie added" in out and PASSWORD not in out
    assert authenticate(hq_dir, "marie", PASSWORD)

    status, out, _ = run(hq_dir, capsys, monkeypatch, "admin", "list-users")
    assert status == 0 and out.startswith("marie\tadded ") and "last login 20" in out
    status, out, _ = run(hq_dir, capsys, monkeypatch, "admin", "list-users", "--json")
    (entry,) = json.loads(out)
    assert set(entry) == {"username", "created_at", "password_changed_at", "last_login_at"}
    assert entry["username"] == "marie" and entry["last_login_at"] is not None

    status, out, _ = run(hq_dir, capsys, monkeypatch, "admin", "remove-user", "MARIE")
    assert status == 0 and "removed" in out
    assert users(hq_dir) == []
    status, out, _ = run(hq_dir, capsys, monkeypatch, "admin", "list-users")
    assert "No administrator yet" in out
    status, _, err = run(hq_dir, capsys, monkeypatch, "admin", "remove-user", "marie")
    assert status == 1 and err == "numeribus-sync: There is no administrator named marie.\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("admin", "add-user", "marie", "--password-stdin"), "Zq9#x\n", "too short"),
        (("admin", "add-user", "marie", "--password-stdin"), "", "no password on standard input"),
        (("admin", "add-user", "marie"), PASSWORD + "\n", "No terminal to ask the password on"),
        (("admin", "add-user", "ma rie", "--password-stdin"), PASSWORD + "\n", "may contain only"),
        (("admin", "set-password", "nobody", "--password-stdin"), PASSWORD + "\n", "no administrator named nobody"),
    ],
)
def test_refusals_change_nothing(hq_dir, capsys, monkeypatch, args, stdin, message):
    status, out, err = run(hq_dir, capsys, monkeypatch, *args, stdin=stdin)
    assert status == 1 and out == ""
    assert err.startswith("numeribus-sync: ") and message in err and err.count("\n") == 1
    assert "Zq9#x" not in err
    assert users(hq_dir) == []


def test_an_existing_name_is_refused_before_asking(hq_dir, capsys, monkeypatch):
    run(hq_dir, capsys, monkeypatch, "admin", "add-user", "marie", "--password-stdin", stdin=PASSWORD + "\n")
    status, _, err = run(
        hq_dir, capsys, monkeypatch, "admin", "add-user", "Marie", "--password-stdin", stdin="another password\n"
    )
    assert status == 1 and "already exists" in err
    assert authenticate(hq_dir, "marie", PASSWORD)


def test_set_password_ends_the_sessions(hq_dir, capsys, monkeypatch):
    run(hq_dir, capsys, monkeypatch, "admin", "add-user", "marie", "--password-stdin", stdin=PASSWORD + "\n")
    hq = HQ(hq_dir)
    try:
        token = accounts.open_session(hq.db(), "marie", hq.now(), 8)
    finally:
        hq.close()
    status, out, _ = run(
        hq_dir,
        capsys,
        monkeypatch,
        "admin",
        "set-password",
        "marie",
        "--password-stdin",
        stdin="un nouveau mot de passe\n",
    )
    assert status == 0 and "sessions were ended" in out
    assert authenticate(hq_dir, "marie", "un nouveau mot de passe")
    assert not authenticate(hq_dir, "marie", PASSWORD)
    hq = HQ(hq_dir)
    try:
        assert accounts.session_for(hq.db(), token, hq.now()) is None
    finally:
        hq.close()


def _terminal_session(hq_dir: Path, answers: list[str]) -> tuple[int, str]:
    """Run `admin add-user marie` on a real pseudo-terminal, typing `answers` at each prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, its terminal being the pty
        os.chdir(ROOT)
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-c",
                "import sys; from sync.cli import main; sys.exit(main())",
                "--data-dir",
                str(hq_dir),
                "admin",
                "add-user",
                "marie",
            ],
        )
    seen = b""
    answered_up_to = 0  # each prompt is answered once: only text after the last answer counts
    pending = list(answers)
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 60)
            if not ready:
                raise AssertionError(f"the command stopped answering; it printed {seen!r}")
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if pending and seen[answered_up_to:].rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
                answered_up_to = len(seen)
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # the exchange failed: do not wait for a command stuck at a prompt
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


def test_on_a_terminal_the_password_is_asked_twice_and_not_echoed(hq_dir):
    status, screen = _terminal_session(hq_dir, [PASSWORD, PASSWORD])
    assert status == 0, screen
    assert "Password for marie (at least 10 characters):" in screen and "The same password again:" in screen
    assert PASSWORD not in screen  # getpass does not echo
    assert authenticate(hq_dir, "marie", PASSWORD)


def test_on_a_terminal_two_different_passwords_change_nothing(hq_dir):
    status, screen = _terminal_session(hq_dir, [PASSWORD, PASSWORD + "!"])
    assert status == 1 and "The two passwords differ; nothing changed." in screen
    assert users(hq_dir) == []
