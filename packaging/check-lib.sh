# Shell helpers shared by packaging/check-install.sh and packaging/check-boot.sh (sourced, not run).
# The sourcing script sets CHECK (its name, for messages) and, for in_root, ROOT and CHROOT_PATH.

say() { printf '==> %s\n' "$*"; }
fail() {
    printf '\n%s: FAILED%s: %s\n' "$CHECK" "${STEP:+ at step \"$STEP\"}" "$*" >&2
    exit 1
}
# show_log FILE [LINES]: the end of a command's output, for a failure message.
show_log() {
    echo "--- last lines of $1 ---" >&2
    tail -n "${2:-25}" "$1" >&2
    echo "---" >&2
}

# Steps, each printed with its time: step NAME ... step_done [DETAIL].
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step() {
    STEP=$1
    STEP_START=$(date +%s.%N)
    say "$STEP"
}
step_done() { printf '    ok, %s s%s\n' "$(elapsed "$STEP_START")" "${1:+ ($1)}"; }

# in_root COMMAND...: run in the root with a clean environment, as apt run by an administrator.
in_root() {
    chroot "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" LANG=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive "$@"
}
