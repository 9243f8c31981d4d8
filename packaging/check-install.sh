#!/usr/bin/env bash
# Install the packages made by packaging/build-deb.sh into a clean Debian 12 root, with apt
# resolving their Depends from the Debian mirror, and check that they work there.
#
#   packaging/check-install.sh DEBDIR [ROOT]
#
# DEBDIR holds numeribus-sync_*.deb and numeribus-kiosk_*.deb.  ROOT, if given, must be missing or
# empty, and is kept afterwards for inspection; without it a temporary root is made and removed.
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian); DEBOOTSTRAP_CACHE, a folder
# keeping the downloaded .debs (debootstrap's and apt's) so that a second run downloads nothing.
# Needs root, debootstrap and chroot.  Each step prints its time; any failure says which step and
# why, and the exit status is 1 (2 for a wrong command line).  See packaging/README.md, "Checks".
set -euo pipefail

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

usage() { echo "usage: packaging/check-install.sh DEBDIR [ROOT]" >&2; exit 2; }
[ "$#" -ge 1 ] && [ "$#" -le 2 ] || usage

CHECK=check-install
# shellcheck source=packaging/check-lib.sh
. "$(dirname "$0")/check-lib.sh"

[ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap, chroot and mount need it)"
for tool in debootstrap chroot mount umount dpkg-deb; do
    command -v "$tool" >/dev/null || fail "$tool is missing (Debian package ${tool/dpkg-deb/dpkg}; scripts/setup.sh --test installs it)"
done
[ -d "$1" ] || fail "no folder $1"
DEBDIR=$(cd "$1" && pwd)

# find_deb NAME: the one NAME_*.deb of DEBDIR.
find_deb() {
    local found=("$DEBDIR/$1"_*.deb)
    [ -e "${found[0]}" ] || fail "no $1_*.deb in $DEBDIR (packaging/build-deb.sh $DEBDIR makes it)"
    [ "${#found[@]}" -eq 1 ] || fail "several $1_*.deb in $DEBDIR: ${found[*]##*/}; keep one"
    echo "${found[0]}"
}
SYNC_DEB=$(find_deb numeribus-sync)
KIOSK_DEB=$(find_deb numeribus-kiosk)
# The application's version (the Debian revision removed): what --version must print.
VERSION=$(dpkg-deb --field "$SYNC_DEB" Version) || fail "$SYNC_DEB is not a Debian package"
VERSION=${VERSION%-*}

ROOT=
LOGS=
KEEP_ROOT=1

# --- clean-up, always: processes left in the root, mounts, then the temporary root -----------

# The processes whose root directory is ROOT: only ours can be there.
processes_in_root() {
    local proc
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] && echo "${proc#/proc/}"
    done
    return 0
}
# Stop them: SIGTERM, then SIGKILL for what is left after a second.
stop_processes_in_root() {
    local pids
    pids=$(processes_in_root)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        sleep 0.2
        pids=$(processes_in_root)
        [ -n "$pids" ] || return 0
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
    sleep 0.5
    return 0
}
# The mount points at or under ROOT, deepest first.
mounts_in_root() {
    awk -v root="$ROOT" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}
cleanup() {
    local status=$? mount_point
    trap - EXIT INT TERM
    set +e
    [ -n "$ROOT" ] || exit "$status"
    stop_processes_in_root
    for mount_point in $(mounts_in_root); do
        umount "$mount_point" 2>/dev/null || umount --lazy "$mount_point" \
            || echo "check-install: could not unmount $mount_point" >&2
    done
    if [ -n "$(mounts_in_root)" ]; then
        echo "check-install: something is still mounted under $ROOT: left in place" >&2
        status=1
    elif [ "$KEEP_ROOT" -eq 0 ]; then
        rm -rf --one-file-system "$ROOT"
    else
        echo "The Debian root is kept in $ROOT"
    fi
    if [ "$status" -eq 0 ]; then
        rm -rf "$LOGS"
    elif [ -n "$LOGS" ]; then
        echo "check-install: the full logs are in $LOGS" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'echo "check-install: interrupted" >&2; exit 130' INT TERM

# ROOT is set only once it is known to be ours: the clean-up stops what runs in it.
if [ "$#" -eq 2 ]; then
    mkdir -p "$2" || fail "cannot make the folder $2"
    given=$(cd "$2" && pwd -P)  # no symbolic link: compared with /proc/*/root and the mount table
    [ "$given" != / ] && [ -z "$(ls -A "$given")" ] || fail "$given is not empty: give a new or empty folder"
    KEEP_ROOT=1
else
    given=$(mktemp -d "${TMPDIR:-/tmp}/numeribus-debian-root.XXXXXX") || fail "cannot make a temporary folder"
    given=$(cd "$given" && pwd -P)
    KEEP_ROOT=0
fi
ROOT=$given
chmod 0755 "$ROOT"  # (mktemp makes it 0700: the packages' accounts could not reach /)
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/numeribus-check-install-logs.XXXXXX")
CACHE=
if [ -n "${DEBOOTSTRAP_CACHE:-}" ]; then
    mkdir -p "$DEBOOTSTRAP_CACHE/debootstrap" "$DEBOOTSTRAP_CACHE/apt/partial"
    CACHE=$(cd "$DEBOOTSTRAP_CACHE" && pwd)
fi

# --- steps and their times ----------------------------------------------------------------------

STEP=
STEP_START=0
TOTAL_START=$(date +%s.%N)
# The root's size, without apt's downloaded .debs (kept in $DEBOOTSTRAP_CACHE when it is set).
size_of() { du -sh --one-file-system --exclude="$ROOT/var/cache/apt/archives" "$ROOT" 2>/dev/null | cut -f1; }

# as_user USER COMMAND...: in_root, as USER (runuser, util-linux).
as_user() {
    local user=$1
    shift
    in_root runuser -u "$user" -- "$@"
}
# expect_output WHAT OUTPUT EXPECTED
expect_output() {
    [ "$2" = "$3" ] || fail "$1 printed \"$2\", expected \"$3\""
}

# --- 1. a clean Debian 12 -----------------------------------------------------------------------

step "debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap_args=(--variant=minbase)
[ -n "$CACHE" ] && debootstrap_args+=("--cache-dir=$CACHE/debootstrap")
if ! debootstrap "${debootstrap_args[@]}" "$SUITE" "$ROOT" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1; then
    show_log "$LOGS/debootstrap.log"
    fail "debootstrap could not make a Debian $SUITE root (is $MIRROR reachable?)"
fi
step_done "$(size_of)"

step "prepare the root: /proc, no service starts, the packages"
mount -t proc proc "$ROOT/proc" || fail "cannot mount /proc in $ROOT"
# policy-rc.d: Debian's maintainer scripts start no service inside this root (invoke-rc.d,
# deb-systemd-invoke).  Our postinst starts nothing anyway without a running systemd.
cat >"$ROOT/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
exit 101
EOF
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
if [ -n "$CACHE" ]; then
    mount --bind "$CACHE/apt" "$ROOT/var/cache/apt/archives" || fail "cannot bind-mount $CACHE/apt"
fi
mkdir -p "$ROOT/tmp/debs"
cp "$SYNC_DEB" "$KIOSK_DEB" "$ROOT/tmp/debs/"
in_root true || fail "cannot run a program in the root (chroot)"
step_done

# apt_install NAME DEB: apt-get install of a local .deb, its Depends from the mirror; Recommends
# are not installed, so that the Depends alone are shown to be enough.
apt_install() {
    local name=$1 deb=/tmp/debs/${2##*/} log=$LOGS/install-$1.log
    if ! in_root apt-get install -y --no-install-recommends "$deb" >"$log" 2>&1; then
        show_log "$log" 30
        echo "apt and dpkg said:" >&2
        grep -E '^(E:|dpkg: error| [a-z0-9.+-]+ : Depends:| .* returned error exit status)' "$log" \
            | grep -v 'Can not write log' >&2 || true
        fail "apt-get could not install $name (unmet Depends, a download failing, or its postinst failing: see above)"
    fi
    local status
    status=$(in_root dpkg-query -W -f='${Status}' "$name" 2>/dev/null) || true
    [ "$status" = "install ok installed" ] || fail "$name is \"$status\" after apt-get install, not installed"
    # What apt did: "N packages set up, M MB downloaded" (nothing downloaded when cached).
    local count download
    count=$(grep -c '^Setting up ' "$log" || true)
    download=$(sed -n 's/^Need to get \([^ ]* [kMG]*B\).*/\1/p' "$log" | head -n 1)
    echo "$count packages set up, ${download:-0 B} downloaded"
}

# check_venv NAME: the postinst made /opt/NAME/venv with Debian's python3, and /usr/bin/NAME runs it.
check_venv() {
    local name=$1 cfg
    [ -x "$ROOT/opt/$name/venv/bin/python" ] || fail "no virtual environment /opt/$name/venv (postinst)"
    [ -x "$ROOT/opt/$name/venv/bin/$name" ] || fail "/opt/$name/venv/bin/$name is missing"
    cfg=$ROOT/opt/$name/venv/pyvenv.cfg
    grep -q '^home = /usr/bin$' "$cfg" || fail "/opt/$name/venv was not made by Debian's /usr/bin/python3: $(cat "$cfg")"
    [ "$(readlink "$ROOT/usr/bin/$name")" = "/opt/$name/venv/bin/$name" ] || fail "/usr/bin/$name does not lead to the venv"
}
# check_account USER: a system account made by systemd-sysusers.
check_account() {
    local entry uid
    entry=$(in_root getent passwd "$1") || fail "no account $1 (systemd-sysusers in the postinst)"
    uid=$(echo "$entry" | cut -d: -f3)
    [ "$uid" -lt 1000 ] || fail "the account $1 has uid $uid: not a system account"
}
# check_folder PATH OWNER MODE
check_folder() {
    [ -d "$ROOT$1" ] || fail "no folder $1 (systemd-tmpfiles in the postinst)"
    local found
    found=$(in_root stat -c '%U %a' "$1")  # the root's own account names
    [ "$found" = "$2 $3" ] || fail "$1 is owned by/mode \"$found\", expected \"$2 $3\""
}
# check_enabled TARGET UNIT: the postinst enabled UNIT for its first boot.
check_enabled() {
    local link=/etc/systemd/system/$1.wants/$2 target
    [ -L "$ROOT$link" ] || fail "$2 is not enabled: no link $link"
    target=$(readlink "$ROOT$link")
    [ -f "$ROOT$target" ] || fail "$link leads to $target, which is not in the package"
}
# check_units UNIT...: systemd-analyze verify, inside the root, where the programs they run exist.
check_units() {
    local units=() unit
    for unit in "$@"; do units+=("/lib/systemd/system/$unit"); done
    if ! in_root systemd-analyze verify "${units[@]}" >"$LOGS/verify.log" 2>&1 || [ -s "$LOGS/verify.log" ]; then
        show_log "$LOGS/verify.log"
        fail "systemd-analyze verify is not clean for $*"
    fi
}
# run_checked WHAT COMMAND...: run it, its output in $OUTPUT; fail with its stderr if it fails.
run_checked() {
    local what=$1
    shift
    if ! OUTPUT=$("$@" 2>"$LOGS/stderr.log"); then
        show_log "$LOGS/stderr.log"
        fail "$what failed"
    fi
    if grep -q Traceback "$LOGS/stderr.log"; then
        show_log "$LOGS/stderr.log"
        fail "$what printed a traceback"
    fi
}
# json_field FIELD: a top-level field of the JSON object in $OUTPUT (Debian's python3).
json_field() {
    printf '%s' "$OUTPUT" | in_root python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" \
        || fail "not the JSON expected (no \"$1\"): $OUTPUT"
}

# --- 2. headquarters ----------------------------------------------------------------------------

step "apt-get install numeribus-sync (${SYNC_DEB##*/})"
did=$(apt_install numeribus-sync "$SYNC_DEB")
step_done "$did, root now $(size_of)"

step "numeribus-sync: --version, the venv, account, folders and units"
run_checked "numeribus-sync --version" in_root numeribus-sync --version
expect_output "numeribus-sync --version" "$OUTPUT" "numeribus-sync $VERSION"
check_venv numeribus-sync
check_account numeribus-sync
check_folder /var/lib/numeribus-sync numeribus-sync 700
check_folder /var/backups/numeribus-sync numeribus-sync 700
check_enabled multi-user.target numeribus-sync.service
check_enabled timers.target numeribus-sync-backup.timer
check_units numeribus-sync.service numeribus-sync-backup.service numeribus-sync-backup.timer
step_done

step "numeribus-sync at work, as its account: device add, serve and /health, export survey, backup"
HQ=(env NUMERIBUS_SYNC_DATA_DIR=/var/lib/numeribus-sync numeribus-sync)
run_checked "numeribus-sync device add" as_user numeribus-sync "${HQ[@]}" device add NB-CHECK --json
[ "$(json_field name)" = NB-CHECK ] || fail "device add did not make a pairing code for NB-CHECK: $OUTPUT"
[ -s "$ROOT/var/lib/numeribus-sync/hq.db" ] || fail "no /var/lib/numeribus-sync/hq.db after device add"
run_checked "numeribus-sync export survey" as_user numeribus-sync "${HQ[@]}" export survey --json
# The service itself, on loopback, without its mDNS announcement, for as long as /health takes.
port=$(in_root python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_user numeribus-sync "${HQ[@]}" serve --host 127.0.0.1 --port "$port" --no-announce >"$LOGS/serve.log" 2>&1 &
serve_pid=$!
health=$(in_root python3 - "$port" <<'EOF'
import json, sys, time, urllib.request
for _ in range(120):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2) as answer:
            print(answer.status, json.load(answer).get("status"))
            break
    except OSError:
        time.sleep(0.25)
else:
    print("no answer within 30 s")
EOF
) || true
stop_processes_in_root  # the service is the only program left running in the root
wait "$serve_pid" 2>/dev/null || true
case "$health" in
200*) ;;
*) show_log "$LOGS/serve.log"; fail "numeribus-sync serve did not answer /health: $health" ;;
esac
run_checked "numeribus-sync backup" as_user numeribus-sync "${HQ[@]}" backup /var/backups/numeribus-sync --json
backup=$(json_field folder)
[ -s "$ROOT$backup/hq.db" ] || fail "the backup $backup holds no hq.db"
step_done "/health: $health"

# --- 3. the kiosk -------------------------------------------------------------------------------

step "apt-get install numeribus-kiosk (${KIOSK_DEB##*/})"
did=$(apt_install numeribus-kiosk "$KIOSK_DEB")
step_done "$did, root now $(size_of)"

step "numeribus-kiosk: --version, the venv, account, folders and units"
run_checked "numeribus-kiosk --version" in_root numeribus-kiosk --version
expect_output "numeribus-kiosk --version" "$OUTPUT" "numeribus-kiosk $VERSION"
check_venv numeribus-kiosk
check_account numeribus
check_folder /var/lib/numeribus-kiosk numeribus 750
speechd=/var/lib/numeribus/.config/speech-dispatcher/speechd.conf
[ "$(readlink "$ROOT$speechd")" = /usr/share/numeribus-kiosk/speech-dispatcher/speechd.conf ] \
    || fail "$speechd does not lead to the package's speechd.conf"
check_enabled graphical.target numeribus-kiosk.service
check_enabled multi-user.target numeribus-automount.service
check_units numeribus-kiosk.service numeribus-automount.service
step_done

step "numeribus-kiosk at work, as its account: demo load, search, two screens drawn by Qt offscreen"
KIOSK=(env NUMERIBUS_DATA_DIR=/var/lib/numeribus-kiosk numeribus-kiosk)
run_checked "numeribus-kiosk demo load" as_user numeribus "${KIOSK[@]}" demo load --json
records=$(json_field records)
[ "$records" -gt 0 ] || fail "demo load loaded no record: $OUTPUT"
run_checked "numeribus-kiosk catalogue search" as_user numeribus "${KIOSK[@]}" catalogue search histoire --json
[ "$(json_field total)" -gt 0 ] || fail "catalogue search found nothing for \"histoire\" in the demo catalogue"
# Qt with only what the Depends brought: the home screen and search results, drawn offscreen
# (the screenshots command's own machinery, two screens instead of all of them).
in_root install -d -o numeribus -m 0700 /tmp/numeribus-xdg /tmp/numeribus-shots || fail "cannot make folders for numeribus"
cat >"$ROOT/tmp/numeribus-shots.py" <<'EOF'
import sys
from pathlib import Path

import PySide6.QtTextToSpeech  # noqa: F401  (the speech engine's module loads)
from numeribus_kiosk.ui.screen_tour import STATES, VARIANTS, Tour, prepare_platform

size = (800, 480)
prepare_platform(size)
states = {state.name: state for state in STATES}
with Tour(Path(sys.argv[1]), size=size) as tour:
    for name in ("accueil", "recherche-resultats"):
        state = states[name]
        if state.screen in tour.missing or not tour.enter(state, VARIANTS["standard"]):
            sys.exit(f"the screen {name} could not be shown")
        image = tour.grab()
        colours = {image.pixel(x, y) for x in range(0, size[0], 7) for y in range(0, size[1], 7)}
        if (image.width(), image.height()) != size or len(colours) < 3:
            sys.exit(f"{name}: a blank or wrong-sized picture ({image.width()}x{image.height()}, {len(colours)} colours)")
        path = Path(sys.argv[2]) / f"{name}.png"
        if not image.save(str(path), "PNG"):
            sys.exit(f"cannot write {path}")
        print(f"{name}: {len(colours)} colours")
EOF
run_checked "drawing two screens with Qt offscreen" as_user numeribus env QT_QPA_PLATFORM=offscreen \
    XDG_RUNTIME_DIR=/tmp/numeribus-xdg /opt/numeribus-kiosk/venv/bin/python /tmp/numeribus-shots.py \
    /var/lib/numeribus-kiosk /tmp/numeribus-shots
step_done "$records demo records; $(echo "$OUTPUT" | paste -sd ' ')"

# --- 4. purge: the programs go, the data stays --------------------------------------------------

step "apt-get purge numeribus-kiosk numeribus-sync"
if ! in_root apt-get purge -y numeribus-kiosk numeribus-sync >"$LOGS/purge.log" 2>&1; then
    show_log "$LOGS/purge.log"
    fail "apt-get purge failed"
fi
for name in numeribus-kiosk numeribus-sync; do
    in_root dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed' && fail "$name is still installed"
    [ ! -e "$ROOT/opt/$name" ] || fail "/opt/$name is left after the purge (postrm)"
    [ ! -L "$ROOT/usr/bin/$name" ] || fail "/usr/bin/$name is left after the purge"
done
links=$(find "$ROOT/etc/systemd/system" -name 'numeribus*' -path '*.wants/*' -printf '%P ')
[ -z "$links" ] || fail "units still enabled after the purge (prerm): $links"
for kept in /var/lib/numeribus-sync/hq.db "$backup/hq.db" /var/lib/numeribus-kiosk/catalogue.db; do
    [ -s "$ROOT$kept" ] || fail "the purge removed $kept: the data must stay"
done
step_done "units disabled; data kept: hq.db, its backup, the kiosk's catalogue.db"

STEP=
say "numeribus-sync and numeribus-kiosk $VERSION install and run in a clean Debian 12 root: $(elapsed "$TOTAL_START") s in all"
