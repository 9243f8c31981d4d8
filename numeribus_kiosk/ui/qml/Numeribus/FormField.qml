// A labelled text entry for visitors' forms, typed on the on-screen keyboard (Main.qml's
// InputPanel appears when it has focus).  One line, or several with `multiline`.
// Touching it says "<label>, champ de saisie" (and what is typed) when speech is on; once the
// keyboard is up, `revealRequested` asks the screen to scroll the field into view.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

ColumnLayout {
    id: field

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property string label
    property string description: ""
    property bool multiline: false
    property int maximumLength: 100
    readonly property string text: multiline ? area.text : line.text
    readonly property Item editor: multiline ? area : line

    signal revealRequested()

    function clear() {
        line.clear()
        area.clear()
    }
    function setText(value) {
        line.text = value
        area.text = value
    }

    spacing: a11y.spacing

    function focused(editor) {
        speech.speakElement(label, "textfield", editor.text)
        reveal.restart()
    }

    Timer {
        id: reveal
        interval: 50
        onTriggered: field.revealRequested()
    }

    BodyText {
        Layout.fillWidth: true
        a11y: field.a11y
        speech: field.speech
        text: field.label
        font.bold: true
    }

    TextField {
        id: line
        objectName: field.objectName ? field.objectName + "Input" : ""
        visible: !field.multiline
        Layout.fillWidth: true
        Layout.minimumHeight: field.a11y.minTarget
        Accessible.name: field.label
        Accessible.role: Accessible.EditableText
        Accessible.description: field.description
        ContextMenu.menu: null
        maximumLength: field.maximumLength
        padding: field.a11y.spacing * 2
        font.family: field.a11y.fontFamily
        font.pixelSize: field.a11y.fontBody
        font.letterSpacing: field.a11y.letterSpacingPx
        font.wordSpacing: field.a11y.wordSpacingPx
        color: field.a11y.textColor
        selectionColor: field.a11y.accent
        selectedTextColor: field.a11y.background
        inputMethodHints: Qt.ImhNoPredictiveText
        onActiveFocusChanged: if (activeFocus) field.focused(line)
        background: Rectangle {
            color: field.a11y.surface
            radius: 6
            border.width: line.activeFocus ? 6 : 2
            border.color: line.activeFocus ? field.a11y.focusRing : field.a11y.textColor
        }
    }

    TextArea {
        id: area
        objectName: field.objectName ? field.objectName + "Area" : ""
        visible: field.multiline
        Layout.fillWidth: true
        Layout.minimumHeight: field.a11y.minTarget * 2
        Accessible.name: field.label
        Accessible.role: Accessible.EditableText
        Accessible.description: field.description
        ContextMenu.menu: null
        wrapMode: TextEdit.Wrap
        padding: field.a11y.spacing * 2
        font.family: field.a11y.fontFamily
        font.pixelSize: field.a11y.fontBody
        font.letterSpacing: field.a11y.letterSpacingPx
        font.wordSpacing: field.a11y.wordSpacingPx
        color: field.a11y.textColor
        selectionColor: field.a11y.accent
        selectedTextColor: field.a11y.background
        onActiveFocusChanged: if (activeFocus) field.focused(area)
        // No maximumLength on TextArea: the journal refuses an over-long text with "invalid".
        background: Rectangle {
            color: field.a11y.surface
            radius: 6
            border.width: area.activeFocus ? 6 : 2
            border.color: area.activeFocus ? field.a11y.focusRing : field.a11y.textColor
        }
    }
}
