"""Running `numeribus-sync` in this process for the command tests."""

from __future__ import annotations

from pathlib import Path

from sync.cli import main


def run(hq_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    """`numeribus-sync --data-dir HQ_DIR ARGS...` in this process: (exit status, stdout, stderr)."""
    status = main(["--data-dir", str(hq_dir), *args])
    out, err = capsys.readouterr()
    return status, out, err
