"""End-to-end tests of the real `numeribus-kiosk` command, in a subprocess with a temporary data directory."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]

CATALOGUE_FIXTURES = FIXTURES / "catalogue"


def _ok(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def _failed(result, *words):
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr
    return result


@pytest.fixture
def catalogue_files(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("marcxml-slim.xml", "unimarc-utf8-declares-5426.mrc", "marc21-marc8.mrc", "marcxml-malformed.xml"):
        shutil.copy(CATALOGUE_FIXTURES / name, folder / name)
    (folder / "LISEZMOI.txt").write_text("pas un catalogue")
    return folder


def test_import_search_show_stats(kiosk, data_dir, catalogue_files):
    report = json.loads(_ok(kiosk("catalogue", "import", str(catalogue_files), "--json", data_dir=data_dir)).stdout)
    assert report["imported"] >= 3 and report["changed"] is True
    assert report["read"] == report["imported"] + len(report["skipped"]) + len(report["duplicates"])
    assert any(s["file"].endswith("marcxml-malformed.xml") for s in report["skipped"])
    assert all({"file", "position", "reason"} <= set(s) for s in report["skipped"])
    assert report["ignored"] == [str(catalogue_files / "LISEZMOI.txt")]

    stats = json.loads(_ok(kiosk("catalogue", "stats", "--json", data_dir=data_dir)).stdout)
    assert stats["records"] == report["imported"]

    empty = json.loads(_ok(kiosk("catalogue", "search", "", "--json", data_dir=data_dir)).stdout)
    first = empty["results"][0]
    word = first["title"].split()[0]
    found = json.loads(_ok(kiosk("catalogue", "search", word, "--json", data_dir=data_dir)).stdout)
    assert first["id"] in [hit["id"] for hit in found["results"]]
    assert {"id", "title", "authors", "year", "type", "on_board"} <= set(found["results"][0])
    assert found["total"] >= 1 and "type" in found["facets"]

    shown = json.loads(_ok(kiosk("catalogue", "show", first["id"], "--json", data_dir=data_dir)).stdout)
    for key in (
        "title",
        "authors",
        "publisher",
        "year",
        "isbn",
        "language",
        "summary",
        "subjects",
        "type",
        "audience",
        "large_print",
        "copies",
    ):
        assert key in shown
    assert shown["title"] == first["title"]
    human = _ok(kiosk("catalogue", "show", first["id"], data_dir=data_dir)).stdout
    assert f"title: {first['title']}" in human


def test_reimport_changes_nothing(kiosk, data_dir, catalogue_files):
    _ok(kiosk("catalogue", "import", str(catalogue_files), data_dir=data_dir))
    again = json.loads(_ok(kiosk("catalogue", "import", str(catalogue_files), "--json", data_dir=data_dir)).stdout)
    assert again["changed"] is False and again["added"] == again["updated"] == again["removed"] == 0
    assert "unchanged" in _ok(kiosk("catalogue", "import", str(catalogue_files), data_dir=data_dir)).stdout


def test_unreadable_file_keeps_the_previous_catalogue(kiosk, data_dir, catalogue_files, tmp_path):
    _ok(kiosk("catalogue", "import", str(catalogue_files), data_dir=data_dir))
    before = json.loads(_ok(kiosk("catalogue", "stats", "--json", data_dir=data_dir)).stdout)["records"]

    missing = tmp_path / "absent.mrc"
    _failed(kiosk("catalogue", "import", str(missing), data_dir=data_dir), "absent.mrc", "previous catalogue is kept")
    junk = tmp_path / "junk.mrc"
    junk.write_bytes(b"\x00\x01\x02 this is not a catalogue \xff\xfe" * 50)
    _failed(kiosk("catalogue", "import", str(catalogue_files), str(junk), data_dir=data_dir), "junk.mrc")
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?><collection xmlns="http://www.loc.gov/MARC21/slim"></collection>')
    _failed(kiosk("catalogue", "import", str(empty), data_dir=data_dir), "previous catalogue is kept")

    after = json.loads(_ok(kiosk("catalogue", "stats", "--json", data_dir=data_dir)).stdout)["records"]
    assert after == before


def test_truncated_file_imports_what_it_can(kiosk, data_dir, tmp_path):
    whole = (CATALOGUE_FIXTURES / "unimarc-utf8-declares-5426.mrc").read_bytes()
    truncated = tmp_path / "truncated.mrc"
    truncated.write_bytes(whole + whole[: len(whole) // 2])
    report = json.loads(_ok(kiosk("catalogue", "import", str(truncated), "--json", data_dir=data_dir)).stdout)
    assert report["imported"] >= 1
    assert report["skipped"] and report["skipped"][-1]["position"] >= 2


def test_search_errors(kiosk, data_dir, catalogue_files):
    _ok(kiosk("catalogue", "import", str(catalogue_files), data_dir=data_dir))
    _failed(kiosk("catalogue", "search", "x", "--filter", "colour=red", data_dir=data_dir), "colour")
    _failed(kiosk("catalogue", "search", "x", "--filter", "on_board=maybe", data_dir=data_dir), "on_board")
    _failed(kiosk("catalogue", "search", "x", "--filter", "type=spaceship", data_dir=data_dir), "spaceship")
    _failed(kiosk("catalogue", "show", "no-such-id", data_dir=data_dir), "no-such-id")
    usage = kiosk("catalogue", "search", "x", "--limit", "0", data_dir=data_dir)
    assert usage.returncode == 2


def test_search_filters_and_correction(kiosk, data_dir):
    _ok(kiosk("demo", "load", "--today", "2026-11-26", data_dir=data_dir))
    board = json.loads(
        _ok(kiosk("catalogue", "search", "histoire", "--filter", "on_board=true", "--json", data_dir=data_dir)).stdout
    )
    assert board["results"] and all(hit["on_board"] for hit in board["results"])
    assert board["facets"]["on_board"] == {"true": board["total"]}
    typo = json.loads(_ok(kiosk("catalogue", "search", "hsitoire", "--json", data_dir=data_dir)).stdout)
    assert typo["corrected"] == "histoire" and typo["total"] > 0


def test_data_dir_that_cannot_be_used(kiosk, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    _failed(kiosk("catalogue", "stats", data_dir=blocker / "data"), str(blocker))
    _failed(kiosk("catalogue", "stats", data_dir=tmp_path / "x" / ".." / "blocker"), "blocker")


def test_database_that_is_not_one(kiosk, data_dir):
    (data_dir / "catalogue.db").write_text("hello" * 1000)
    _failed(kiosk("catalogue", "search", "x", data_dir=data_dir), "catalogue.db", "not an SQLite database")


def test_environment_variable_is_the_default_data_dir(kiosk, tmp_path):
    target = tmp_path / "from-env"
    _ok(kiosk("demo", "load", env={"NUMERIBUS_DATA_DIR": str(target)}))
    assert (target / "catalogue.db").is_file() and (target / "journal.db").exists() is False


def test_demo_schedule_and_agenda(kiosk, data_dir):
    loaded = json.loads(_ok(kiosk("demo", "load", "--today", "2026-11-26", "--json", data_dir=data_dir)).stdout)
    assert loaded["catalogue_loaded"] and loaded["records"] >= 2500 and loaded["passages"] > 0
    again = json.loads(_ok(kiosk("demo", "load", "--json", data_dir=data_dir)).stdout)
    assert again["catalogue_loaded"] is False
    stops = json.loads(_ok(kiosk("schedule", "list", "--today", "2026-11-26", "--json", data_dir=data_dir)).stdout)
    assert stops and stops[0]["date"] >= "2026-11-26" and stops[0]["demo"] is True
    fablab = json.loads(
        _ok(kiosk("agenda", "list", "--kind", "fablab_3d", "--today", "2026-11-26", "--json", data_dir=data_dir)).stdout
    )
    assert fablab and {w["kind"] for w in fablab} == {"fablab_3d"}


def test_schedule_import_reports_bad_rows(kiosk, data_dir):
    bad = FIXTURES / "schedule" / "passages_bad_rows.csv"
    report = json.loads(_ok(kiosk("schedule", "import", str(bad), "--json", data_dir=data_dir)).stdout)
    assert report["skipped"] and all(s["line"] > 1 for s in report["skipped"])
    _failed(kiosk("schedule", "import", str(FIXTURES / "schedule" / "passages_missing_column.csv"), data_dir=data_dir))


def test_version_and_help(kiosk):
    from numeribus_kiosk import __version__

    assert __version__ in _ok(kiosk("--version")).stdout
    assert "catalogue" in _ok(kiosk("--help")).stdout


def test_no_command_starts_the_kiosk_and_stops_on_sigterm(data_dir, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {k: v for k, v in os.environ.items() if k != "NUMERIBUS_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:  # a file, not a pipe: a full pipe would block the kiosk
        process = subprocess.Popen(
            [sys.executable, "-m", "numeribus_kiosk", "--data-dir", str(data_dir), "-v", "--speech-engine", "mock"],
            stderr=stderr,
            env=env,
        )
        try:
            deadline = time.monotonic() + 120  # a bound for a loaded CI machine, not a performance check
            while "kiosk ready" not in log.read_text() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            assert "kiosk ready (fullscreen, fr)" in log.read_text(), log.read_text()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=120) == 0, log.read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert "Traceback" not in log.read_text()
    # The empty catalogue was filled with the demo data on the way.
    assert (data_dir / "catalogue.db").is_file()


def test_every_shared_file_imports_and_answers_the_issue_searches(kiosk, data_dir, shared_data):
    report = json.loads(_ok(kiosk("catalogue", "import", str(shared_data), "--json", data_dir=data_dir)).stdout)
    # 3,064 + 205 + 5 + 49 + 442 + 100 records in the 12 files; 12 share an id with an earlier one.
    assert report["read"] == 3865 and not report["skipped"]
    assert report["imported"] == 3865 - len(report["duplicates"])
    assert len(report["files"]) == 12

    def search(text):
        return json.loads(_ok(kiosk("catalogue", "search", text, "--json", data_dir=data_dir)).stdout)

    frankenstein = search("frankenstien")
    assert frankenstein["corrected"] == "frankenstein"
    assert any("Frankenstein" in hit["title"] for hit in frankenstein["results"])
    leroy = search("leroi-beaulieu")
    assert leroy["results"] and all(any("Leroy-Beaulieu" in a for a in hit["authors"]) for hit in leroy["results"][:3])
    # Accents and case folded, the last word unfinished: "ECONOMIQUES de l'oc" finds the OECD surveys.
    oecd = search("ETUDES economiques de l'oc")
    assert any(hit["title"].startswith("Etudes économiques de l'OCDE") for hit in oecd["results"])
    # A plural finds the singular and the other way round.
    assert any("journal " in hit["title"].lower() for hit in search("journaux ")["results"])
    assert any("oiseau-" in hit["title"].lower() for hit in search("oiseaux ")["results"])
    assert any("livres " in hit["title"].lower() for hit in search("livre ")["results"])


SYNC_MAIN = "import sys; from sync.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "numeribus_kiosk", "--data-dir", "{data}", "demo", "load", "--json"],
        ["-c", SYNC_MAIN, "--data-dir", "{data}", "device", "list", "--json"],
    ],
    ids=["numeribus-kiosk", "numeribus-sync"],
)
def test_a_reader_that_went_away_is_no_traceback(tmp_path, command):
    """`numeribus-sync ... --json | head -0`: the pipe closed before the command writes."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    argv = [sys.executable, *[part.replace("{data}", str(tmp_path / "data")) for part in command]]
    try:
        done = subprocess.run(argv, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
