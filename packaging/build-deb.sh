#!/usr/bin/env bash
# Build the Debian packages numeribus-kiosk and numeribus-sync into OUTDIR.
#
#   packaging/build-deb.sh OUTDIR
#
# Each package carries the wheels of the application and of its Python dependencies (built or
# downloaded from PyPI by pip, for this machine's Python: build on Debian 12 for Debian 12), and
# its postinst makes the virtual environment /opt/PACKAGE/venv from them, offline.  The
# headquarters package has no Qt at all (the application's "kiosk" extra is only in the kiosk's).
# Debian dependencies: packaging/debian/runtime-packages.txt for the kiosk, plus cage, udisks2
# and an audio server; python3 and python3-venv for both.  Needs dpkg-deb and a Python with pip
# (the checkout's .venv, made by scripts/setup.sh, or $PYTHON).  See packaging/README.md.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: packaging/build-deb.sh OUTDIR" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
if [ ! -x "$PYTHON" ]; then
    echo "No Python with pip at $PYTHON: run scripts/setup.sh first, or set PYTHON." >&2
    exit 1
fi
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is needed (Debian package dpkg)." >&2; exit 1; }

VERSION=$("$PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import numeribus_kiosk; print(numeribus_kiosk.__version__)' "$ROOT")
DEB_VERSION="$VERSION-1"
ARCH=$(dpkg --print-architecture)
PYVER=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT

say() { printf '==> %s\n' "$*"; }

# The application's wheel is built from a clean copy of what it is made of: pip builds in the
# source folder, and a checkout's leftover build/ would otherwise slip old files into it.
SRC=$BUILD/src
mkdir -p "$SRC"
cp -a "$ROOT/pyproject.toml" "$ROOT/README.md" "$ROOT/LICENSE" "$ROOT/numeribus_kiosk" "$ROOT/sync" "$SRC/"
find "$SRC" -name __pycache__ -prune -exec rm -rf {} +

# The kiosk's Debian dependencies: the runtime list (one source with scripts/setup.sh), plus what
# only an installed bus needs.
kiosk_depends() {
    local names=()
    while read -r name; do
        [ -n "$name" ] && names+=("$name")
    done < <(grep -v '^\s*#' "$ROOT/packaging/debian/runtime-packages.txt" | sed 's/\s.*//' | grep -v '^python3')
    # xwayland: Debian 12's cage (0.1.4) is built with Xwayland support and refuses to start when
    # /usr/bin/Xwayland is missing ("Cannot create XWayland server"); its package does not depend
    # on it (found by packaging/check-boot.sh).
    names+=(cage xwayland udisks2 udiskie polkitd dbus procps "pipewire-pulse | pulseaudio" fonts-dejavu-core)
    local IFS=,
    echo "${names[*]}" | sed 's/,/, /g'
}

# build_package NAME SPEC DEPENDS DESCRIPTION
build_package() {
    local name=$1 spec=$2 depends=$3 description=$4
    local tree=$BUILD/$name
    say "$name $DEB_VERSION: wheels for Python $PYVER"
    mkdir -p "$tree/DEBIAN" "$tree/usr/share/$name/wheels" "$tree/usr/bin" "$tree/usr/share/doc/$name" \
             "$tree/lib/systemd/system" "$tree/usr/lib/sysusers.d" "$tree/usr/lib/tmpfiles.d"
    "$PYTHON" -m pip wheel --quiet --disable-pip-version-check --wheel-dir "$tree/usr/share/$name/wheels" "$SRC$spec"

    for unit in ${UNITS[$name]}; do
        install -m 0644 "$ROOT/packaging/systemd/$unit" "$tree/lib/systemd/system/$unit"
    done
    install -m 0644 "$ROOT/packaging/sysusers.d/$name.conf" "$tree/usr/lib/sysusers.d/$name.conf"
    install -m 0644 "$ROOT/packaging/tmpfiles.d/$name.conf" "$tree/usr/lib/tmpfiles.d/$name.conf"
    install -m 0644 "$ROOT/LICENSE" "$tree/usr/share/doc/$name/copyright"
    if [ "$name" = numeribus-kiosk ]; then
        install -D -m 0644 "$ROOT/packaging/polkit/50-numeribus-udisks.rules" \
            "$tree/usr/share/polkit-1/rules.d/50-numeribus-udisks.rules"
        install -D -m 0644 "$ROOT/packaging/udev/70-numeribus-power.rules" \
            "$tree/usr/lib/udev/rules.d/70-numeribus-power.rules"
        install -D -m 0644 "$ROOT/packaging/speech-dispatcher/speechd.conf" \
            "$tree/usr/share/numeribus-kiosk/speech-dispatcher/speechd.conf"
    fi
    ln -s "/opt/$name/venv/bin/$name" "$tree/usr/bin/$name"  # each package its own command: both can coexist

    local units=${UNITS[$name]}
    sed -e "s|@NAME@|$name|g" -e "s|@VERSION@|$VERSION|g" -e "s|@SPEC@|numeribus-kiosk$spec==$VERSION|g" \
        -e "s|@UNITS@|$units|g" -e "s|@ENABLE@|${ENABLE[$name]}|g" \
        "$ROOT/packaging/debian/postinst.in" > "$tree/DEBIAN/postinst"
    sed -e "s|@NAME@|$name|g" -e "s|@UNITS@|$units|g" "$ROOT/packaging/debian/prerm.in" > "$tree/DEBIAN/prerm"
    sed -e "s|@NAME@|$name|g" "$ROOT/packaging/debian/postrm.in" > "$tree/DEBIAN/postrm"
    chmod 0755 "$tree/DEBIAN/postinst" "$tree/DEBIAN/prerm" "$tree/DEBIAN/postrm"

    local size
    size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
    cat > "$tree/DEBIAN/control" <<EOF
Package: $name
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: Médiathèque départementale de la Loire <numeribus@loire.fr>
Installed-Size: $size
Depends: python3 (>= $PYVER), python3 (<< ${PYVER%.*}.$(( ${PYVER#*.} + 1 ))), python3-venv, systemd, $depends
Section: misc
Priority: optional
Homepage: https://www.loire.fr/
Description: $description
EOF
    sed -n '2,$p' "$ROOT/packaging/debian/$name.description" | sed 's/^ //; s/^/ /; s/^ $/ ./' >> "$tree/DEBIAN/control"
    say "$name: dpkg-deb"
    dpkg-deb --root-owner-group -Zgzip -z6 --build "$tree" "$OUT/${name}_${DEB_VERSION}_${ARCH}.deb" >/dev/null
    echo "$OUT/${name}_${DEB_VERSION}_${ARCH}.deb"
}

# Each package's systemd units (packaging/systemd/), and those enabled at install.
declare -A UNITS=(
    [numeribus-kiosk]="numeribus-kiosk.service numeribus-automount.service"
    [numeribus-sync]="numeribus-sync.service numeribus-sync-backup.service numeribus-sync-backup.timer"
)
declare -A ENABLE=(
    [numeribus-kiosk]="numeribus-kiosk.service numeribus-automount.service"
    [numeribus-sync]="numeribus-sync.service numeribus-sync-backup.timer"
)

build_package numeribus-sync "" "procps" \
    "$(head -1 "$ROOT/packaging/debian/numeribus-sync.description")"
build_package numeribus-kiosk "[kiosk]" "$(kiosk_depends)" \
    "$(head -1 "$ROOT/packaging/debian/numeribus-kiosk.description")"
