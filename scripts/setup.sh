#!/usr/bin/env bash
# Set up this checkout on a Debian machine: system packages, then a virtual
# environment in .venv with the application (and, with --test, the test tools).
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
    esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "Need root (or sudo) to install: $*" >&2; exit 1
    fi
}

# Debian packages: one list for running, one more for testing (packaging/debian/).
packages=()
while read -r name; do
    [ -n "$name" ] && packages+=("$name")
done < <(grep -hv '^\s*#' packaging/debian/runtime-packages.txt \
         $( [ "$want_test" -eq 1 ] && echo packaging/debian/test-packages.txt ) | sed 's/\s.*//')

missing=()
for name in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" || missing+=("$name")
done
# A Python from elsewhere (pyenv, deadsnakes) may already have venv and pip.
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    missing+=(python3 python3-venv)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

"$python" - <<'PY' || { echo "Python 3.11 or newer is needed." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ ! -x .venv/bin/python ]; then
    say "Creating the virtual environment .venv"
    "$python" -m venv .venv
fi
extras="[kiosk]"
[ "$want_test" -eq 1 ] && extras="[kiosk,test]"
stamp=".venv/.installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "Installing the application$extras into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".$extras"
    touch "$stamp"
fi
