// Numéribus AZERTY keyboard (French, France): every accented letter of French is a key of its
// own, reached with ONE tap (the stock fr_FR layout hides them behind a long press, which
// elderly, DYS and trembling visitors cannot do).  Uppercase through Shift (É, Ç, Œ...).
//
// Loaded by Qt Virtual Keyboard from numeribus_kiosk/assets/keyboard/layouts/, which Main.qml sets as
// VirtualKeyboardSettings.layoutPath (the URL comes from numeribus_kiosk/app.py; an explicit
// QT_VIRTUALKEYBOARD_LAYOUT_PATH wins).  The symbols, digits, numbers and dial pad layouts are
// Qt's built-in fallback ones (the empty *.fallback marker files next to this one).
//
// Rows: digits / accented letters / a z e r t y u i o p / q s d f g h j k l m / Shift w x c v b n ' -
// Backspace / @, comma, space, full stop, hide, enter (no symbols page: digits and @ are keys).  No alternative keys, no long press,
// no language switch key (the keyboard is the same whatever the UI language).
// Key names (Accessible.name) are translated in the context "Clavier" (scripts/build_translations.sh).
import QtQuick
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components

KeyboardLayout {
    objectName: "numeribusAzerty"
    inputMode: InputEngine.InputMode.Latin
    keyWeight: 160
    readonly property real normalKeyWidth: normalKey.width
    readonly property real functionKeyWidth: mapFromItem(normalKey, normalKey.width / 2, 0).x

    // Digits, one tap each: telephone and library card numbers without a symbols page.
    KeyboardRow {
        objectName: "digitRow"
        Key {
            key: Qt.Key_1
            text: "1"
        }
        Key {
            key: Qt.Key_2
            text: "2"
        }
        Key {
            key: Qt.Key_3
            text: "3"
        }
        Key {
            key: Qt.Key_4
            text: "4"
        }
        Key {
            key: Qt.Key_5
            text: "5"
        }
        Key {
            key: Qt.Key_6
            text: "6"
        }
        Key {
            key: Qt.Key_7
            text: "7"
        }
        Key {
            key: Qt.Key_8
            text: "8"
        }
        Key {
            key: Qt.Key_9
            text: "9"
        }
        Key {
            key: Qt.Key_0
            text: "0"
        }
    }

    // Accented letters, one tap each.
    KeyboardRow {
        objectName: "accentRow"
        Key {
            key: Qt.Key_Eacute
            text: "é"
            Accessible.name: qsTranslate("Clavier", "e accent aigu")
        }
        Key {
            key: Qt.Key_Egrave
            text: "è"
            Accessible.name: qsTranslate("Clavier", "e accent grave")
        }
        Key {
            key: Qt.Key_Ecircumflex
            text: "ê"
            Accessible.name: qsTranslate("Clavier", "e accent circonflexe")
        }
        Key {
            key: Qt.Key_Ediaeresis
            text: "ë"
            Accessible.name: qsTranslate("Clavier", "e tréma")
        }
        Key {
            key: Qt.Key_Agrave
            text: "à"
            Accessible.name: qsTranslate("Clavier", "a accent grave")
        }
        Key {
            key: Qt.Key_Acircumflex
            text: "â"
            Accessible.name: qsTranslate("Clavier", "a accent circonflexe")
        }
        Key {
            key: Qt.Key_Ugrave
            text: "ù"
            Accessible.name: qsTranslate("Clavier", "u accent grave")
        }
        Key {
            key: Qt.Key_Ucircumflex
            text: "û"
            Accessible.name: qsTranslate("Clavier", "u accent circonflexe")
        }
        Key {
            key: Qt.Key_Ccedilla
            text: "ç"
            Accessible.name: qsTranslate("Clavier", "c cédille")
        }
        Key {
            key: Qt.Key_Icircumflex
            text: "î"
            Accessible.name: qsTranslate("Clavier", "i accent circonflexe")
        }
        Key {
            key: Qt.Key_Idiaeresis
            text: "ï"
            Accessible.name: qsTranslate("Clavier", "i tréma")
        }
        Key {
            key: Qt.Key_Ocircumflex
            text: "ô"
            Accessible.name: qsTranslate("Clavier", "o accent circonflexe")
        }
        Key {
            key: 0
            text: "œ"
            Accessible.name: qsTranslate("Clavier", "e dans l'o")
        }
    }
    KeyboardRow {
        Key {
            key: Qt.Key_A
            text: "a"
        }
        Key {
            id: normalKey
            key: Qt.Key_Z
            text: "z"
        }
        Key {
            key: Qt.Key_E
            text: "e"
        }
        Key {
            key: Qt.Key_R
            text: "r"
        }
        Key {
            key: Qt.Key_T
            text: "t"
        }
        Key {
            key: Qt.Key_Y
            text: "y"
        }
        Key {
            key: Qt.Key_U
            text: "u"
        }
        Key {
            key: Qt.Key_I
            text: "i"
        }
        Key {
            key: Qt.Key_O
            text: "o"
        }
        Key {
            key: Qt.Key_P
            text: "p"
        }
    }
    KeyboardRow {
        Key {
            key: Qt.Key_Q
            text: "q"
        }
        Key {
            key: Qt.Key_S
            text: "s"
        }
        Key {
            key: Qt.Key_D
            text: "d"
        }
        Key {
            key: Qt.Key_F
            text: "f"
        }
        Key {
            key: Qt.Key_G
            text: "g"
        }
        Key {
            key: Qt.Key_H
            text: "h"
        }
        Key {
            key: Qt.Key_J
            text: "j"
        }
        Key {
            key: Qt.Key_K
            text: "k"
        }
        Key {
            key: Qt.Key_L
            text: "l"
        }
        Key {
            key: Qt.Key_M
            text: "m"
        }
    }
    KeyboardRow {
        ShiftKey {
            weight: functionKeyWidth
            Layout.fillWidth: false
            Accessible.name: qsTranslate("Clavier", "Majuscule")
        }
        Key {
            key: Qt.Key_W
            text: "w"
        }
        Key {
            key: Qt.Key_X
            text: "x"
        }
        Key {
            key: Qt.Key_C
            text: "c"
        }
        Key {
            key: Qt.Key_V
            text: "v"
        }
        Key {
            key: Qt.Key_B
            text: "b"
        }
        Key {
            key: Qt.Key_N
            text: "n"
        }
        Key {
            key: Qt.Key_Apostrophe
            text: "'"
            Accessible.name: qsTranslate("Clavier", "apostrophe")
        }
        Key {
            key: Qt.Key_Minus
            text: "-"
            Accessible.name: qsTranslate("Clavier", "trait d'union")
        }
        BackspaceKey {
            weight: functionKeyWidth
            Layout.fillWidth: false
            Accessible.name: qsTranslate("Clavier", "Effacer")
        }
    }
    KeyboardRow {
        Key {
            key: Qt.Key_At
            text: "@"
            weight: functionKeyWidth
            Layout.fillWidth: false
            Accessible.name: qsTranslate("Clavier", "arobase")
        }
        Key {
            key: Qt.Key_Comma
            weight: normalKeyWidth
            Layout.fillWidth: false
            text: ","
            Accessible.name: qsTranslate("Clavier", "virgule")
        }
        // A plain key rather than SpaceKey: the stock space bar prints the language name in
        // grey on grey (3:1), which nobody needs on a French-only keyboard.
        Key {
            key: Qt.Key_Space
            text: " "
            displayText: qsTranslate("Clavier", "espace")
            repeat: true
            showPreview: false
            Accessible.name: qsTranslate("Clavier", "Espace")
        }
        Key {
            key: Qt.Key_Period
            weight: normalKeyWidth
            Layout.fillWidth: false
            text: "."
            Accessible.name: qsTranslate("Clavier", "point")
        }
        HideKeyboardKey {
            weight: normalKeyWidth
            Layout.fillWidth: false
            Accessible.name: qsTranslate("Clavier", "Cacher le clavier")
        }
        EnterKey {
            weight: functionKeyWidth
            Layout.fillWidth: false
            Accessible.name: qsTranslate("Clavier", "Valider")
        }
    }
}
