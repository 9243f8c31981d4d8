"""The kiosk with a large catalogue: cold start, results on screen after the last keystroke, RSS.

    .venv/bin/python benchmarks/kiosk_latency.py --data-dir DIR     # a data dir with its catalogue
    .venv/bin/python benchmarks/kiosk_latency.py MARC_FILE [--records N]   # imports first

Each measurement runs the real kiosk (`app.build_kiosk`, offscreen, mock speech) in a new
process:
- cold start: from the process's start to the first frame of the home screen, against a
  bare Qt Quick window (one Text) started the same way in the same run;
- results on screen: a visitor types real title words on the "Recherche" screen, one key
  every 150 ms; the time from the last key to the first frame showing its results
  (SearchModel.hitsReady, then a frame swapped), against `Catalogue.search()` alone for
  the same final queries in the same process;
- peak RSS of the kiosk process.
The file cache is warm (a new process, not a rebooted machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import LOC_FILE_HINT, import_sample, machine, percentiles  # noqa: E402

BARE_QML = b"""import QtQuick
Window { visible: true; width: 1920; height: 1080; Text { text: "Bienvenue" } }
"""


def child_bare(started: float) -> dict:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.loadData(QByteArray(BARE_QML))
    window = engine.rootObjects()[0]
    first = {}
    window.frameSwapped.connect(lambda: first.setdefault("t", time.time()) and app.quit())
    app.exec()
    return {"start_s": first["t"] - started}


def child_kiosk(started: float, data_dir: str, queries: int, seed: int) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from numeribus_kiosk import app as kiosk_app

    kiosk_app.configure_environment()
    app = QGuiApplication([])
    kiosk = kiosk_app.build_kiosk(app, Path(data_dir), windowed=True, speech_engine="mock", pixel_pitch_mm=0.248)
    window = kiosk.window
    frames = {"n": 0}

    def on_frame():
        frames["n"] += 1
        frames["t"] = time.time()

    window.frameSwapped.connect(on_frame)
    while frames["n"] == 0:
        app.processEvents()
    start_s = frames["t"] - started

    # The visitor's queries: real words of real titles, typed key by key.
    rng = random.Random(seed)
    titles = [hit.title for hit in kiosk.catalogue.search("", limit=5000).results]
    words = [w for t in titles for w in t.split() if len(w) >= 4 and w.isalpha()]
    typed = [" ".join(rng.sample(words, rng.choice((1, 1, 2)))).lower()[: rng.randint(3, 12)] for _ in range(queries)]
    window.navigate("recherche", {})
    model = kiosk.search
    latencies: list[float] = []
    core: list[float] = []
    for text in typed:
        for i in range(1, len(text) + 1):
            model.setQuery(text[:i])
            if i < len(text):
                end = time.perf_counter() + 0.150  # the next key, 150 ms later
                while time.perf_counter() < end:
                    app.processEvents()
        last_key = time.perf_counter()
        ready = {}
        model.hitsReady.connect(lambda ready=ready: ready.setdefault("hits", True))
        while not ready:
            app.processEvents()
        seen = frames["n"]
        while frames["n"] == seen:
            window.requestUpdate()
            app.processEvents()
        latencies.append((time.perf_counter() - last_key) * 1000)
        model.hitsReady.disconnect()
        t0 = time.perf_counter()
        kiosk.catalogue.search(text, limit=30)
        core.append((time.perf_counter() - t0) * 1000)
    QTimer.singleShot(0, app.quit)
    app.exec()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kiosk.close()
    return {"start_s": start_s, "latencies_ms": latencies, "core_ms": core, "rss_mb": rss}


def run_child(*args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", repr(started), *args], check=True, capture_output=True, text=True, env=env
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("marc", nargs="?", help=LOC_FILE_HINT)
    ap.add_argument("--records", type=int, default=250_000)
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--starts", type=int, default=5, help="cold starts measured (median reported)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        started, kind, *rest = args.child
        if kind == "bare":
            print(json.dumps(child_bare(float(started))))
        else:
            print(json.dumps(child_kiosk(float(started), rest[0], int(rest[1]), int(rest[2]))))
        return
    if not args.marc and not args.data_dir:
        ap.error(f"give a MARC file or --data-dir: {LOC_FILE_HINT}")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = import_sample(Path(args.marc), args.records, Path(tmp))
        bare = sorted(run_child("bare")["start_s"] for _ in range(args.starts))
        kiosks = [run_child("kiosk", str(data_dir), "0", str(args.seed)) for _ in range(args.starts - 1)]
        typed = run_child("kiosk", str(data_dir), str(args.queries), str(args.seed))
    starts = sorted([k["start_s"] for k in kiosks] + [typed["start_s"]])
    median = starts[len(starts) // 2]
    bare_median = bare[len(bare) // 2]
    print(
        f"cold start to the home screen's first frame: median {median:.2f} s over {len(starts)} starts "
        f"(bare Qt Quick window {bare_median:.2f} s, ratio {median / bare_median:.1f}; target <= 2 s)"
    )
    p50, p95 = percentiles(typed["latencies_ms"])
    c50, c95 = percentiles(typed["core_ms"])
    print(
        f"results on screen after the last key: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(typed['latencies_ms'])} "
        f"typed queries (Catalogue.search alone: p50 {c50:.1f} ms, p95 {c95:.1f} ms; target p95 <= 100 ms)"
    )
    print(f"kiosk peak RSS: {typed['rss_mb']:.0f} MB (target <= 350 MB)")


if __name__ == "__main__":
    main()
