#!/usr/bin/env bash
# Boot an installed bus PC in QEMU and check its kiosk session, for real: systemd as PID 1, the
# account numeribus logged in on tty1, cage showing the kiosk, French speech settings, no screen
# blanking, the kiosk an X11 client of cage's Xwayland, its on-screen keyboard opened and typed on
# (taps of a USB tablet), a crash restarted, a USB stick mounted for the kiosk, and a clean
# power-off.
#
#   packaging/check-boot.sh DEBDIR [WORKDIR]
#
# DEBDIR holds numeribus-kiosk_*.deb (packaging/build-deb.sh makes it).  WORKDIR, if given, must
# be missing or empty; the screenshots and logs are left there (the Debian root and the disk
# image are removed).  Without it a temporary folder is made, and kept only for the screenshots
# and logs.  Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian); DEBOOTSTRAP_CACHE,
# a folder keeping the downloaded .debs (debootstrap's and apt's) so that a second run downloads
# nothing; CHECK_BOOT_ACCEL=kvm|tcg (default: kvm when /dev/kvm works, else tcg, much slower);
# CHECK_BOOT_KEEP_IMAGE=1 keeps the disk image, its kernel and initrd in WORKDIR.
#
# The image: debootstrap --variant=minbase bookworm plus what a bus PC has (systemd-sysv, udev,
# dbus, libpam-systemd, the kernel), then `apt-get install ./numeribus-kiosk_*.deb` (with its
# Recommends, as in docs/guide-depot.md) and `systemctl set-default graphical.target`.  QEMU
# boots its kernel directly (no boot loader), with a virtio disk, a virtio GPU, a USB tablet (an
# absolute pointer, driven through QMP), no network.
# Test-only additions to the image: numeribus-bootcheck.service, a root shell on the second
# serial port through which this script runs its checks, and a persistent journal.
# Needs root, debootstrap, qemu-system-x86_64, mkfs.ext4, debugfs (e2fsprogs), mkfs.vfat
# (dosfstools), mcopy and mmd (mtools).  Each step prints its time; any failure says which step
# and why, and the exit status is 1 (2 for a wrong command line).  See packaging/README.md,
# "Booting an installed bus PC in QEMU".
set -euo pipefail

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# What a bus PC's Debian has besides minbase (a netinst "no desktop" install), for booting.
BASE_PACKAGES=systemd-sysv,udev,dbus,libpam-systemd,linux-image-amd64,kmod,procps
# Time limits, in seconds (generous: with TCG, software emulation, everything is ~10x slower).
BOOT_TIMEOUT=${CHECK_BOOT_TIMEOUT:-600}
# The virtio GPU's screen; the tap coordinates below are for the kiosk's layout at this size.
SCREEN_W=1280
SCREEN_H=800

usage() { echo "usage: packaging/check-boot.sh DEBDIR [WORKDIR]" >&2; exit 2; }
[ "$#" -ge 1 ] && [ "$#" -le 2 ] || usage

CHECK=check-boot
# shellcheck source=packaging/check-lib.sh
. "$(dirname "$0")/check-lib.sh"

[ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap, chroot, mount and mkfs need it)"
for tool in debootstrap chroot mount umount dpkg-deb qemu-system-x86_64 mkfs.ext4 debugfs mkfs.vfat mcopy mmd; do
    command -v "$tool" >/dev/null || fail "$tool is missing (Debian packages: debootstrap qemu-system-x86 e2fsprogs dosfstools mtools)"
done
[ -d "$1" ] || fail "no folder $1"
DEBDIR=$(cd "$1" && pwd)
found=("$DEBDIR"/numeribus-kiosk_*.deb)
[ -e "${found[0]}" ] || fail "no numeribus-kiosk_*.deb in $DEBDIR (packaging/build-deb.sh $DEBDIR makes it)"
[ "${#found[@]}" -eq 1 ] || fail "several numeribus-kiosk_*.deb in $DEBDIR: ${found[*]##*/}; keep one"
KIOSK_DEB=${found[0]}
dpkg-deb --field "$KIOSK_DEB" Version >/dev/null 2>&1 || fail "$KIOSK_DEB is not a Debian package"

if [ "$#" -eq 2 ]; then
    mkdir -p "$2"
    WORK=$(cd "$2" && pwd)
    if [ -n "${CHECK_BOOT_REUSE:-}" ]; then
        for file in disk.img vmlinuz initrd.img; do
            [ -f "$WORK/$file" ] || fail "CHECK_BOOT_REUSE: no $file in $WORK (a run with CHECK_BOOT_KEEP_IMAGE=1 leaves it)"
        done
    else
        [ -z "$(ls -A "$WORK")" ] || fail "$WORK is not empty: give a new or empty folder"
    fi
else
    [ -z "${CHECK_BOOT_REUSE:-}" ] || fail "CHECK_BOOT_REUSE needs the WORKDIR of an earlier run"
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/numeribus-check-boot.XXXXXX")
fi
[ "$WORK" != / ] || fail "WORKDIR must not be /"
chmod 0755 "$WORK"
ROOT=$WORK/root
IMAGE=$WORK/disk.img
CACHE=
if [ -n "${DEBOOTSTRAP_CACHE:-}" ]; then
    mkdir -p "$DEBOOTSTRAP_CACHE/debootstrap" "$DEBOOTSTRAP_CACHE/apt/partial"
    CACHE=$(cd "$DEBOOTSTRAP_CACHE" && pwd)
fi

# --- clean-up, always: QEMU, mounts in the root, the root and the image -------------------------

QEMU_PID=
DRAIN_PID=
QMP_DRAIN_PID=
cleanup() {
    local status=$? mount_point
    trap - EXIT INT TERM
    set +e
    if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
        kill "$QEMU_PID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$QEMU_PID" 2>/dev/null || break
            sleep 0.3
        done
        kill -KILL "$QEMU_PID" 2>/dev/null
        wait "$QEMU_PID" 2>/dev/null
    fi
    [ -n "$DRAIN_PID" ] && kill "$DRAIN_PID" 2>/dev/null && wait "$DRAIN_PID" 2>/dev/null
    [ -n "$QMP_DRAIN_PID" ] && kill "$QMP_DRAIN_PID" 2>/dev/null && wait "$QMP_DRAIN_PID" 2>/dev/null
    exec 6>&- 7>&- 8<&- 9>&- 2>/dev/null
    if [ -d "$ROOT" ]; then
        for mount_point in $(awk -v root="$ROOT" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts | sort -r); do
            umount "$mount_point" 2>/dev/null || umount --lazy "$mount_point" \
                || echo "check-boot: could not unmount $mount_point" >&2
        done
        if awk -v root="$ROOT" 'index($2, root) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
            echo "check-boot: something is still mounted under $ROOT: left in place" >&2
            status=1
        else
            rm -rf --one-file-system "$ROOT"
        fi
    fi
    rm -f "$WORK"/*.in "$WORK"/*.out
    if [ -n "${CHECK_BOOT_KEEP_IMAGE:-}" ]; then
        echo "The disk image is kept: $IMAGE (kernel and initrd beside it)"
    else
        rm -f "$IMAGE" "$WORK/stick.img" "$WORK/vmlinuz" "$WORK/initrd.img"
    fi
    echo "Screenshots and logs: $WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- steps and their times ----------------------------------------------------------------------

STEP=
STEP_START=0
TOTAL_START=$(date +%s.%N)

# --- 1. the bus PC's disk -----------------------------------------------------------------------

build_image() {
    step "debootstrap --variant=minbase $SUITE (with systemd, udev, dbus, the kernel) from $MIRROR"
    debootstrap_args=(--variant=minbase "--include=$BASE_PACKAGES")
    [ -n "$CACHE" ] && debootstrap_args+=("--cache-dir=$CACHE/debootstrap")
    if ! debootstrap "${debootstrap_args[@]}" "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
        show_log "$WORK/debootstrap.log"
        fail "debootstrap could not make a Debian $SUITE root (is $MIRROR reachable?)"
    fi
    step_done

    step "apt-get install ./${KIOSK_DEB##*/} in the root"
    mount -t proc proc "$ROOT/proc" || fail "cannot mount /proc in $ROOT"
    # policy-rc.d: Debian's maintainer scripts start no service inside this root.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
    if [ -n "$CACHE" ]; then
        mount --bind "$CACHE/apt" "$ROOT/var/cache/apt/archives" || fail "cannot bind-mount $CACHE/apt"
    fi
    mkdir -p "$ROOT/tmp/debs"
    cp "$KIOSK_DEB" "$ROOT/tmp/debs/"
    if ! in_root apt-get install -y "/tmp/debs/${KIOSK_DEB##*/}" >"$WORK/install.log" 2>&1; then
        show_log "$WORK/install.log" 30
        fail "apt-get could not install numeribus-kiosk"
    fi
    [ "$(in_root dpkg-query -W -f='${Status}' numeribus-kiosk 2>/dev/null)" = "install ok installed" ] \
        || fail "numeribus-kiosk is not installed after apt-get install"
    step_done "$(grep -Eo '[0-9]+ newly installed' "$WORK/install.log" | head -n 1)"

    step "set the bus PC up: graphical.target, fstab, hostname; the test's check channel"
    in_root systemctl set-default graphical.target >/dev/null 2>&1 || fail "systemctl set-default graphical.target failed"
    for unit in numeribus-kiosk.service numeribus-automount.service; do
        [ "$(in_root systemctl is-enabled "$unit" 2>/dev/null)" = enabled ] || fail "$unit is not enabled by the package"
    done
    echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$ROOT/etc/fstab"
    echo numeribus-bus >"$ROOT/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\tnumeribus-bus\n' >"$ROOT/etc/hosts"
    # A persistent journal (Storage=auto keeps it when the folder exists): read after the power-off.
    mkdir -p "$ROOT/var/log/journal"
    # Test only: a root shell on the second serial port, fed by this script (see guest below).
    cat >"$ROOT/etc/systemd/system/numeribus-bootcheck.service" <<'EOF'
[Unit]
Description=check-boot.sh: the host's checks, through the second serial port
DefaultDependencies=no
After=systemd-udevd.service sysinit.target
Before=shutdown.target
Conflicts=shutdown.target

[Service]
Type=simple
TTYPath=/dev/ttyS1
StandardInput=tty
StandardOutput=tty
# (stderr not on the terminal: a non-interactive shell, no prompts)
StandardError=journal
ExecStart=/bin/sh -c 'stty raw -echo 115200 && echo "@@READY $(cut -d" " -f1 /proc/uptime)" && exec /bin/bash --noprofile --norc -s'

[Install]
WantedBy=sysinit.target
EOF
    in_root systemctl enable numeribus-bootcheck.service >/dev/null 2>&1 || fail "cannot enable the check channel"
    # Test only: QEMU's virtio GPU has no 3D acceleration, and there Debian 12's cage (wlroots
    # 0.15) crashes with SIGSEGV on Mesa's software GLES2 (kms_swrast) a few seconds after it
    # starts; its pixman renderer works.  A bus PC's Intel or AMD GPU has its own Mesa driver and
    # keeps the unit as packaged.
    mkdir -p "$ROOT/etc/systemd/system/numeribus-kiosk.service.d"
    printf '[Service]\nEnvironment=WLR_RENDERER=pixman\n' >"$ROOT/etc/systemd/system/numeribus-kiosk.service.d/qemu.conf"
    # A machine id, as an installed system has (without it, systemd's first-boot questions could wait).
    in_root systemd-machine-id-setup >/dev/null 2>&1 || fail "systemd-machine-id-setup failed"
    rm -f "$ROOT/usr/sbin/policy-rc.d"
    umount "$ROOT/proc"
    [ -n "$CACHE" ] && umount "$ROOT/var/cache/apt/archives"
    rm -rf "$ROOT/tmp/debs" "$ROOT"/var/cache/apt/archives/*.deb
    KERNEL=$(ls "$ROOT"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
    INITRD=$(ls "$ROOT"/boot/initrd.img-* 2>/dev/null | sort -V | tail -n 1)
    [ -n "$KERNEL" ] && [ -n "$INITRD" ] || fail "no kernel or initrd in $ROOT/boot"
    cp "$KERNEL" "$WORK/vmlinuz"
    cp "$INITRD" "$WORK/initrd.img"
    step_done

    step "make the disk image (ext4, mkfs.ext4 -d)"
    used_mb=$(du -sm --one-file-system "$ROOT" | cut -f1)
    size_mb=$((used_mb + used_mb / 4 + 512))
    if ! mkfs.ext4 -q -F -L numeribus-root -d "$ROOT" "$IMAGE" "${size_mb}M" >"$WORK/mkfs.log" 2>&1; then
        show_log "$WORK/mkfs.log"
        fail "mkfs.ext4 could not make the image"
    fi
    rm -rf --one-file-system "$ROOT"
    step_done "$used_mb MB of files, a $size_mb MB image"
}
if [ -z "${CHECK_BOOT_REUSE:-}" ]; then
    build_image
else
    say "the disk image of an earlier run: $IMAGE (CHECK_BOOT_REUSE)"
fi

# A USB stick for later: FAT, label NUMERIBUS, with a numeribus/ folder.
rm -f "$WORK/stick.img"
mkfs.vfat -C -n NUMERIBUS "$WORK/stick.img" 65536 >"$WORK/stick.log" 2>&1 || fail "mkfs.vfat failed"
mmd -i "$WORK/stick.img" ::numeribus || fail "mmd failed"
echo "check-boot.sh" >"$WORK/stick-readme.txt"
mcopy -i "$WORK/stick.img" "$WORK/stick-readme.txt" ::numeribus/LISEZMOI.txt || fail "mcopy failed"
rm -f "$WORK/stick-readme.txt"

# --- 2. boot it ---------------------------------------------------------------------------------

ACCEL=${CHECK_BOOT_ACCEL:-}
if [ -z "$ACCEL" ]; then
    ACCEL=tcg
    # KVM works when the kernel starts under it within 20 s (some nested set-ups hang).
    if [ -w /dev/kvm ]; then
        rm -f "$WORK/kvm-probe.log"
        # (in sh -c: the shell that reports QEMU aborting is silenced)
        sh -c 'timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults -display none -no-reboot \
            -kernel "$1" -append "console=ttyS0 panic=-1" -serial "file:$2"; exit 0' sh "$WORK/vmlinuz" \
            "$WORK/kvm-probe.log" >/dev/null 2>&1 &
        probe=$!
        for _ in $(seq 40); do
            grep -q 'Linux version' "$WORK/kvm-probe.log" 2>/dev/null && { ACCEL=kvm; break; }
            kill -0 "$probe" 2>/dev/null || break
            sleep 0.5
        done
        pkill --parent "$probe" timeout 2>/dev/null || true
        wait "$probe" 2>/dev/null || true
        [ "$ACCEL" = kvm ] || echo "    (KVM does not work here: software emulation, TCG)"
    fi
fi
case $ACCEL in
kvm) accel_args=(-accel kvm -cpu host) ;;
tcg) accel_args=(-accel tcg -cpu max) ;;
*) fail "CHECK_BOOT_ACCEL must be kvm or tcg, not $ACCEL" ;;
esac

step "boot with QEMU ($ACCEL): systemd up, the check channel open"
for channel in ctl mon qmp; do
    rm -f "$WORK/$channel.in" "$WORK/$channel.out"
    mkfifo "$WORK/$channel.in" "$WORK/$channel.out"
done
BOOT_START=$(date +%s.%N)
qemu-system-x86_64 "${accel_args[@]}" -m 3G -smp 2 -nodefaults -no-reboot \
    -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 systemd.show_status=1" \
    -drive "file=$IMAGE,format=raw,if=virtio" \
    -device virtio-gpu-pci,xres=$SCREEN_W,yres=$SCREEN_H -display none \
    -device qemu-xhci,id=xhci -device usb-tablet,bus=xhci.0 -nic none \
    -serial "file:$WORK/console.log" -serial "pipe:$WORK/ctl" -monitor "pipe:$WORK/mon" -qmp "pipe:$WORK/qmp" \
    >"$WORK/qemu.log" 2>&1 &
QEMU_PID=$!
# Read-write opens: a FIFO opened so never blocks, even if QEMU did not start.
exec 6<>"$WORK/qmp.in" 7<>"$WORK/ctl.in" 8<>"$WORK/ctl.out" 9<>"$WORK/mon.in"
cat 0<>"$WORK/mon.out" >"$WORK/monitor.log" &
DRAIN_PID=$!
# QMP (for the tablet's absolute pointer events, which the human monitor cannot send).
cat 0<>"$WORK/qmp.out" >"$WORK/qmp.log" &
QMP_DRAIN_PID=$!
printf '{"execute": "qmp_capabilities"}\n' >&6

# wait_line PATTERN TIMEOUT: read the check channel up to a line matching PATTERN (glob).
wait_line() {
    local deadline line
    deadline=$(($(date +%s) + $2))
    while :; do
        kill -0 "$QEMU_PID" 2>/dev/null || { show_log "$WORK/qemu.log"; show_log "$WORK/console.log"; fail "QEMU has stopped"; }
        if IFS= read -r -t 5 line <&8; then
            # shellcheck disable=SC2254
            case $line in $1) LINE=$line; return 0 ;; esac
        fi
        [ "$(date +%s)" -lt "$deadline" ] || return 1
    done
}
wait_line '@@READY *' "$BOOT_TIMEOUT" || { show_log "$WORK/console.log"; fail "the system did not boot within $BOOT_TIMEOUT s"; }
step_done "userspace at $(elapsed "$BOOT_START") s after QEMU started"

# guest TIMEOUT COMMAND: run COMMAND (a shell command line) as root in the guest; its output on
# stdout, its status returned.
guest() {
    local deadline line id
    id=$(date +%s%N)  # unique, also when guest runs in a subshell: $(guest ...)
    printf '( %s\n) </dev/null 2>&1; echo "@@END-%s $?"\n' "$2" "$id" >&7
    deadline=$(($(date +%s) + $1))
    while :; do
        kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU has stopped"
        if IFS= read -r -t 5 line <&8; then
            case $line in
            "@@END-$id "*) return "${line##* }" ;;
            *) printf '%s\n' "$line" ;;
            esac
        fi
        [ "$(date +%s)" -lt "$deadline" ] || fail "no answer from the guest within $1 s to: $2"
    done
}
# monitor COMMAND: a QEMU monitor command.
monitor() { printf '%s\n' "$1" >&9; }
# screenshot NAME: the screen, as WORK/NAME.ppm; prints the number of colours in it.
screenshot() {
    local file=$WORK/$1.ppm size=-1
    rm -f "$file"
    monitor "screendump $file"
    for _ in $(seq 50); do
        sleep 0.2
        [ -s "$file" ] || continue
        [ "$(stat -c %s "$file")" = "$size" ] && break
        size=$(stat -c %s "$file")
    done
    [ -s "$file" ] || fail "QEMU made no screenshot $file"
    colours "$file"
}
# colours PPM: how many colours a P6 image has (the console's text has a few; the kiosk hundreds).
colours() {
    local magic dims w h
    { read -r magic; read -r dims; } <"$1"
    [ "$magic" = P6 ] || fail "$1 is not a PPM image"
    w=${dims% *}
    h=${dims#* }
    tail -c $((w * h * 3)) "$1" | od -An -v -tx1 -w3 | sort -u | wc -l
}
# png PPM: a PNG copy for people, when netpbm is there.
png() {
    command -v pnmtopng >/dev/null && pnmtopng "$1" >"${1%.ppm}.png" 2>/dev/null && echo "${1%.ppm}.png" || echo "$1"
}
# The kiosk's process, in the guest: cage's child (cage's own command line names the kiosk too).
KIOSK_PGREP='pgrep -u numeribus --parent "$(systemctl show -p MainPID --value numeribus-kiosk.service)" -f "venv/bin/numeribus-kiosk"'
# qmp JSON: a QMP command (its answers go to WORK/qmp.log).
qmp() { printf '%s\n' "$1" >&6; }
# tap X Y: a finger's tap at pixel X,Y of the screen, through QEMU's USB tablet (an absolute
# pointer: 0..32767 on each axis).  Press and release a little apart, as a finger does.
tap() {
    local x=$(($1 * 32767 / (SCREEN_W - 1))) y=$(($2 * 32767 / (SCREEN_H - 1))) button
    qmp "{\"execute\": \"input-send-event\", \"arguments\": {\"events\": [{\"type\": \"abs\", \"data\": {\"axis\": \"x\", \"value\": $x}}, {\"type\": \"abs\", \"data\": {\"axis\": \"y\", \"value\": $y}}]}}"
    for button in true false; do
        sleep 0.25
        qmp "{\"execute\": \"input-send-event\", \"arguments\": {\"events\": [{\"type\": \"btn\", \"data\": {\"down\": $button, \"button\": \"left\"}}]}}"
    done
}
# changed A B FROM TO: the share (per cent) of the bytes of pixel rows FROM to TO-1 that differ
# between the screenshots A and B (both SCREEN_W x SCREEN_H).
changed() {
    local row=$((SCREEN_W * 3)) start count
    start=$(($(stat -c %s "$1") - SCREEN_W * SCREEN_H * 3 + $3 * row + 1))
    count=$((($4 - $3) * row))
    cmp -l <(tail -c "+$start" "$1" | head -c "$count") <(tail -c "+$start" "$2" | head -c "$count") 2>/dev/null \
        | wc -l | awk -v n="$count" '{ printf "%d", $1 * 100 / n }'
}
# wait_change NAME REFERENCE FROM TO PERCENT: screenshots NAME until rows FROM..TO-1 differ from
# the screenshot REFERENCE by at least PERCENT per cent (60 s at most); prints the share.
wait_change() {
    local share=0
    for _ in $(seq 30); do
        sleep 2
        screenshot "$1" >/dev/null
        share=$(changed "$WORK/$2.ppm" "$WORK/$1.ppm" "$3" "$4")
        [ "$share" -ge "$5" ] && break
    done
    echo "$share"
}
# wait_still NAME: screenshots NAME until two in a row are the same (the screen has settled;
# 60 s at most).
wait_still() {
    local previous=
    for _ in $(seq 30); do
        sleep 2
        screenshot "$1" >/dev/null
        [ -n "$previous" ] && cmp -s "$WORK/$1.ppm" "$previous" && break
        previous=$WORK/$1.previous.ppm
        cp "$WORK/$1.ppm" "$previous"
    done
    rm -f "$WORK/$1.previous.ppm"
}

# --- 3. the kiosk session -----------------------------------------------------------------------

step "the kiosk on the screen (numeribus-kiosk.service active, the screen showing it)"
kiosk_on_screen=
for _ in $(seq "$BOOT_TIMEOUT"); do
    if guest 60 "systemctl is-active --quiet numeribus-kiosk.service && $KIOSK_PGREP >/dev/null" >/dev/null; then
        n=$(screenshot kiosk)
        if [ "$n" -ge 64 ]; then
            kiosk_on_screen=$(elapsed "$BOOT_START")
            break
        fi
    fi
    [ "$(elapsed "$BOOT_START" | cut -d. -f1)" -lt "$BOOT_TIMEOUT" ] || break
    sleep 1
done
if [ -z "$kiosk_on_screen" ]; then
    guest 60 'systemctl status --no-pager numeribus-kiosk.service; journalctl -b --no-pager -u numeribus-kiosk.service | tail -n 40' >&2 || true
    fail "the kiosk was not on the screen within $BOOT_TIMEOUT s (last screenshot: $WORK/kiosk.ppm)"
fi
step_done "on the screen at $kiosk_on_screen s after QEMU started, $n colours: $(png "$WORK/kiosk.ppm")"
guest 30 'systemd-analyze time' | sed 's/^/    /' || true

step "the account numeribus logged in on tty1 (logind session on seat0)"
session=$(guest 30 'loginctl list-sessions --no-legend | awk "\$3 == \"numeribus\" { print \$1 }"') || true
[ -n "$session" ] || { guest 30 'loginctl list-sessions' >&2 || true; fail "no logind session for numeribus"; }
props=$(guest 30 "loginctl show-session $session -p Seat -p TTY -p Type -p Class -p Active -p State") || fail "loginctl show-session $session failed"
for expected in Seat=seat0 TTY=tty1 Type=wayland Class=user Active=yes State=active; do
    grep -qx "$expected" <<<"$props" || { echo "$props" >&2; fail "session $session: $expected expected"; }
done
guest 30 'pstree -p -A "$(systemctl show -p MainPID --value numeribus-kiosk.service)" 2>/dev/null || ps -o pid,user,args --ppid "$(systemctl show -p MainPID --value numeribus-kiosk.service)"' | sed 's/^/    /' || true
step_done "session $session: $(tr '\n' ' ' <<<"$props")"

step "French speech settings for the account, no screen blanking"
guest 30 'set -e; f=/var/lib/numeribus/.config/speech-dispatcher/speechd.conf; test -L $f; grep -qx "DefaultLanguage \"fr\"" "$f"; grep -qx "DefaultModule espeak-ng" "$f"; test -x /usr/lib/speech-dispatcher-modules/sd_espeak-ng; readlink "$f"' \
    | sed 's/^/    speechd.conf -> /' || fail "the account's speechd.conf is missing, not French or espeak-ng is missing"
blank=$(guest 30 'cat /sys/module/kernel/parameters/consoleblank; busctl get-property org.freedesktop.login1 /org/freedesktop/login1 org.freedesktop.login1.Manager IdleAction') || fail "cannot read the blanking settings"
[ "$(sed -n 1p <<<"$blank")" = 0 ] || fail "console blanking is on: consoleblank=$(sed -n 1p <<<"$blank")"
[ "$(sed -n 2p <<<"$blank")" = 's "ignore"' ] || fail "logind's IdleAction is $(sed -n 2p <<<"$blank"), not ignore"
step_done "consoleblank=0, IdleAction=ignore"

step "the kiosk is an X11 client of cage's Xwayland (QT_QPA_PLATFORM=xcb), not a Wayland one"
kiosk_pid=$(guest 30 "$KIOSK_PGREP") || fail "no kiosk process"
[ -n "$kiosk_pid" ] || fail "no kiosk process"
kiosk_env=$(guest 30 "tr '\\0' '\\n' </proc/$kiosk_pid/environ | grep -E '^(QT_QPA_PLATFORM|DISPLAY|WAYLAND_DISPLAY)=' | sort") \
    || fail "cannot read the environment of the kiosk ($kiosk_pid)"
grep -qx 'QT_QPA_PLATFORM=xcb' <<<"$kiosk_env" || fail "the kiosk does not run with QT_QPA_PLATFORM=xcb: $(tr '\n' ' ' <<<"$kiosk_env")"
grep -q '^DISPLAY=:' <<<"$kiosk_env" || fail "cage gave the kiosk no DISPLAY (no Xwayland?): $(tr '\n' ' ' <<<"$kiosk_env")"
guest 30 'pgrep -x Xwayland >/dev/null' >/dev/null || fail "no Xwayland process"
plugins=$(guest 30 "grep -oE 'libq(xcb|wayland)[a-z-]*[.]so' /proc/$kiosk_pid/maps | sort -u" || true)
grep -qx 'libqxcb.so' <<<"$plugins" || fail "the kiosk has not loaded Qt's xcb platform plugin: $(tr '\n' ' ' <<<"$plugins")"
grep -q 'libqwayland' <<<"$plugins" && fail "the kiosk has loaded Qt's Wayland platform plugin: $(tr '\n' ' ' <<<"$plugins")"
refused=$(guest 30 'journalctl -b --no-pager -u numeribus-kiosk.service | grep -c "not supported at client-side"' || true)
[ "$refused" = 0 ] || fail "the journal says the on-screen keyboard is not supported ($refused times)"
step_done "$(tr '\n' ' ' <<<"$kiosk_env")Qt plugin $plugins, Xwayland running, no \"not supported at client-side\""

# Where to tap, for the kiosk's layout at 1280x800 (the top bar's "Accueil" button, the home
# screen's "Chercher un document" tile, the search field, and the keys of our AZERTY keyboard, which fills the screen's lower
# half at this size).
[ "$SCREEN_W" = 1280 ] && [ "$SCREEN_H" = 800 ] || fail "the tap coordinates are for a 1280x800 screen"
KEYS="l:1086:633 o:1086:567 i:959:567 r:449:567 e:322:567"

step "the on-screen keyboard: the search tile and the search field tapped (USB tablet)"
# Home first: at its first start, with no mediator PIN set yet, the kiosk offers to choose one.
# Twice, in case the first tap only dismisses the idle warning.
for _ in 1 2; do
    tap 71 53
    wait_still home
done
tap 211 453
share=$(wait_change search home 100 400 20)
[ "$share" -ge 20 ] || fail "tapping the search tile changed nothing on the screen ($share %, $WORK/search.ppm)"
search_share=$share
tap 560 285
share=$(wait_change keyboard search $((SCREEN_H * 2 / 3)) "$SCREEN_H" 30)
[ "$share" -ge 30 ] || fail "no on-screen keyboard after tapping the search field: the bottom third changed by $share % only ($WORK/keyboard.ppm)"
step_done "search screen ($search_share % of the upper screen changed): $(png "$WORK/search.ppm"); keyboard ($share % of the bottom third changed): $(png "$WORK/keyboard.ppm")"

step "typing on the on-screen keyboard: l, o, i, r, e"
for key in $KEYS; do
    IFS=: read -r letter x y <<<"$key"
    tap "$x" "$y"
    sleep 2  # past the kiosk's tap guard (a second tap on one spot within 0.5 s is ignored)
done
share=$(wait_change typed keyboard 0 $((SCREEN_H / 2)) 2)
[ "$share" -ge 2 ] || fail "typing on the keyboard changed nothing above it ($share %, $WORK/typed.ppm)"
grep -q '"error"' "$WORK/qmp.log" && fail "QEMU refused an input event: $(grep -m 1 '"error"' "$WORK/qmp.log")"
step_done "$share % of the upper half changed: $(png "$WORK/typed.ppm")"

step "a crash of the kiosk: systemd starts it again"
old=$(guest 30 "$KIOSK_PGREP") || fail "no kiosk process"
guest 30 "kill -KILL $old" || fail "cannot kill the kiosk ($old)"
KILLED=$(date +%s.%N)
restarted=
for _ in $(seq 120); do
    new=$(guest 30 "$KIOSK_PGREP" || true)
    if [ -n "$new" ] && [ "$new" != "$old" ] && [ -z "$restarted" ]; then
        restarted=$(elapsed "$KILLED")
    fi
    if [ -n "$restarted" ] && [ "$(screenshot restarted)" -ge 64 ]; then
        break
    fi
    sleep 0.5
done
[ -n "$restarted" ] || fail "the kiosk was not started again after a kill -KILL"
[ "$(colours "$WORK/restarted.ppm")" -ge 64 ] || fail "the kiosk was started again but is not on the screen"
step_done "a new kiosk process after $restarted s, on the screen after $(elapsed "$KILLED") s: $(png "$WORK/restarted.ppm")"

step "a USB stick plugged in: mounted under /media/numeribus, seen by the kiosk's code"
monitor "drive_add 0 if=none,id=stick,format=raw,file=$WORK/stick.img"
monitor "device_add usb-storage,bus=xhci.0,drive=stick,id=stickdev,removable=on"
PLUGGED=$(date +%s.%N)
mounted=
for _ in $(seq 60); do
    if guest 30 'grep -q " /media/numeribus/NUMERIBUS " /proc/mounts' >/dev/null; then
        mounted=$(elapsed "$PLUGGED")
        break
    fi
    sleep 1
done
if [ -z "$mounted" ]; then
    guest 60 'lsblk; systemctl status --no-pager numeribus-automount.service; journalctl -b --no-pager -u numeribus-automount.service -u udisks2.service | tail -n 30' >&2 || true
    fail "the stick was not mounted under /media/numeribus/NUMERIBUS"
fi
guest 30 'grep " /media/numeribus/NUMERIBUS " /proc/mounts' | sed 's/^/    /'
seen=$(guest 60 'runuser -u numeribus -- /opt/numeribus-kiosk/venv/bin/python -c "from numeribus_kiosk.journal.usb import removable_mounts; print(*removable_mounts())"') \
    || fail "removable_mounts() failed in the guest: $seen"
grep -q /media/numeribus/NUMERIBUS <<<"$seen" || fail "the kiosk's removable_mounts() does not list the stick: $seen"
guest 30 'runuser -u numeribus -- sh -c "echo ok >/media/numeribus/NUMERIBUS/numeribus/ecrit-par-le-kiosque.txt && sync"' \
    || fail "the account numeribus cannot write on the stick"
step_done "mounted after $mounted s, writable by numeribus; removable_mounts(): $seen"

# --- 4. the power button ------------------------------------------------------------------------

step "the power button (ACPI): the kiosk stopped first, then a clean power-off"
guest 30 'journalctl --flush' >/dev/null || true
monitor system_powerdown
PRESSED=$(date +%s.%N)
for _ in $(seq 240); do
    kill -0 "$QEMU_PID" 2>/dev/null || break
    sleep 0.5
done
kill -0 "$QEMU_PID" 2>/dev/null && fail "the PC did not power off within 120 s of the power button"
wait "$QEMU_PID" 2>/dev/null || true
QEMU_PID=
off=$(elapsed "$PRESSED")
grep -q 'reboot: Power down' "$WORK/console.log" || { show_log "$WORK/console.log"; fail "the kernel did not say 'reboot: Power down'"; }
# The journal of that boot, from the image.
mkdir -p "$WORK/journal"
debugfs -R "rdump /var/log/journal $WORK/journal" "$IMAGE" >/dev/null 2>&1 || fail "cannot copy the journal out of the image"
journalctl -D "$WORK/journal/journal" -b -o short-monotonic --no-pager >"$WORK/journal.txt" 2>/dev/null || fail "cannot read the guest's journal"
grep -E 'numeribus-kiosk|Power key|Powering off|cage' "$WORK/journal.txt" | tail -n 15 | sed 's/^/    /'
grep -q 'numeribus-kiosk.service: Deactivated successfully' "$WORK/journal.txt" \
    || fail "numeribus-kiosk.service did not stop cleanly at the power-off (see $WORK/journal.txt)"
grep -q 'numeribus-kiosk.service: State .stop-sigterm. timed out' "$WORK/journal.txt" \
    && fail "numeribus-kiosk.service had to be killed at the power-off (see $WORK/journal.txt)"
step_done "powered off $off s after the button"

printf '\ncheck-boot: all checks passed in %s s (%s)\n' "$(elapsed "$TOTAL_START")" "$ACCEL"
