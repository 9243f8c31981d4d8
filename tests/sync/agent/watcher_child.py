"""Run a real `DeviceWatcher` in its own process and print what it reports (for test_watchers.py).

    python -m tests.sync.agent.watcher_child '<json>'

JSON: ``{"watcher": {DeviceWatcher keyword arguments}, "commands": [[argv], ...],
"on": {line: [[argv], ...]}, "until": [lines], "timeout": seconds}``.

The child starts the watcher, prints ``ready <sources as JSON>``, runs the commands in order (in
its own namespaces, when started under ``unshare``), then prints one line per callback
(``link NAME``, ``stick PATH``, ``removed PATH``) until it has printed every line of ``until`` (as
many times as it is listed there) or ``timeout`` passed, and ends with ``done``.  The commands of
``on`` run (on the watcher's thread) right after their line is first printed.  A separate
process because the tests run it under umockdev's LD_PRELOAD, or in namespaces of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter

from sync.agent.watchers import DeviceWatcher


def main() -> int:
    config = json.loads(sys.argv[1])
    wanted = Counter(config.get("until", []))
    seen: Counter[str] = Counter()
    lock = threading.Lock()
    finished = threading.Event()

    reactions = {line: list(commands) for line, commands in config.get("on", {}).items()}

    def say(line: str) -> None:
        with lock:
            print(line, flush=True)
            seen[line] += 1
            for command in reactions.pop(line, []):
                subprocess.run(command, check=True)
            if all(seen[wanted_line] >= count for wanted_line, count in wanted.items()):
                finished.set()

    watcher = DeviceWatcher(
        on_link_up=lambda name: say(f"link {name}"),
        on_stick=lambda path: say(f"stick {path}"),
        on_stick_removed=lambda path: say(f"removed {path}"),
        **config.get("watcher", {}),
    )
    watcher.start()
    try:
        print("ready " + json.dumps(watcher.sources), flush=True)
        for command in config.get("commands", []):
            subprocess.run(command, check=True)
        finished.wait(config.get("timeout", 30))
    finally:
        stopped = watcher.stop()
    print("done" if stopped else "not stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
