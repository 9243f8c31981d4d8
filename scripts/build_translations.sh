#!/usr/bin/env bash
# Compile the UI translations: numeribus_kiosk/assets/translations/*.ts -> *.qm (committed, loaded by LanguageBridge).
#
#   scripts/build_translations.sh            compile only
#   scripts/build_translations.sh --update   first collect new/changed strings from the QML and
#                                            Python sources into the .ts files (pyside6-lupdate),
#                                            then compile; translate the new entries with
#                                            pyside6-linguist (or a text editor) and run it again.
#
# French is the source language (the strings in the code); English is numeribus_en.ts.
# numeribus_fr.ts holds only the French plural forms of the "%n" strings ("1 seconde",
# "2 secondes"): lupdate -pluralonly; app.py installs it under the English translator.
# TS_DIR (default numeribus_kiosk/assets/translations) lets tests/ui/test_translations.py work on a copy.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
TS_DIR=${TS_DIR:-numeribus_kiosk/assets/translations}
SOURCES=(numeribus_kiosk/ui/qml/Numeribus/*.qml numeribus_kiosk/ui/*.py numeribus_kiosk/assets/keyboard/layouts/*/*.qml)

if [[ "${1:-}" == "--update" ]]; then
    for ts in "$TS_DIR"/numeribus_*.ts; do
        only=()
        [[ "$(basename "$ts")" == numeribus_fr.ts ]] && only=(-pluralonly)
        "$BIN/pyside6-lupdate" "${SOURCES[@]}" "${only[@]}" \
            -source-language fr_FR -no-obsolete -locations relative -ts "$ts"
    done
fi

for ts in "$TS_DIR"/numeribus_*.ts; do
    "$BIN/pyside6-lrelease" -removeidentical "$ts" -qm "${ts%.ts}.qm"
done
