"""qmllint on every QML file of the Numeribus module, with the Python bridges' types.

qmllint cannot import Python, so the bridges' types are first written as a
``Numeribus.Backend`` module with a ``.qmltypes`` file generated from their live
meta-objects (numeribus_kiosk.ui.qmltypes).  The exact command is::

    .venv/bin/python -m numeribus_kiosk.ui.qmltypes /tmp/qmltypes
    .venv/bin/pyside6-qmllint -I /tmp/qmltypes -I numeribus_kiosk/ui/qml \\
        numeribus_kiosk/ui/qml/Numeribus/*.qml
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from numeribus_kiosk.ui import QML_IMPORT_PATH, QML_MODULE_DIR
from numeribus_kiosk.ui.qmltypes import write_module

QMLLINT = Path(sys.executable).parent / "pyside6-qmllint"
QML_FILES = sorted(QML_MODULE_DIR.glob("*.qml"))


def qmllint(types_dir: Path, *files: Path, import_path: Path = QML_IMPORT_PATH):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(QMLLINT), "-I", str(types_dir), "-I", str(import_path), *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def lint_findings(output: str) -> list[str]:
    """qmllint's "Warning:"/"Error:" lines (its "Info:" notes and Qt's platform noise are not findings)."""
    return [line for line in output.splitlines() if line.startswith(("Warning:", "Error:"))]


@pytest.fixture(scope="module")
def types_dir(tmp_path_factory, qapp) -> Path:
    path = tmp_path_factory.mktemp("qmltypes")
    write_module(path)
    return path


@pytest.mark.skipif(not QMLLINT.exists(), reason="pyside6-qmllint is not installed")
def test_every_qml_file_is_clean(types_dir):
    done = qmllint(types_dir, *QML_FILES)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and not lint_findings(output), output


@pytest.mark.skipif(not QMLLINT.exists(), reason="pyside6-qmllint is not installed")
def test_qmllint_sees_the_bridge_types(types_dir, tmp_path):
    """The check is meaningful: a wrong bridge property or slot is reported."""
    module = tmp_path / "qml" / "Numeribus"
    shutil.copytree(QML_MODULE_DIR, module)
    broken = module / "BigButton.qml"
    broken.write_text(
        broken.read_text()
        .replace("a11y.fontButton", "a11y.fontButtonn")
        .replace("speech.speakElement(", "speech.speakElementt(")
    )
    done = qmllint(types_dir, broken, import_path=tmp_path / "qml")
    findings = "\n".join(lint_findings(done.stdout + done.stderr))
    assert "fontButtonn" in findings and "speakElementt" in findings, done.stdout + done.stderr
