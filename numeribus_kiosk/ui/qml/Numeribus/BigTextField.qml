// A large text field for the on-screen keyboard: the visitor's font and sizes, at least
// a11y.minTarget high, no context menu; touching it says "<name>, champ de texte".
import QtQuick
import QtQuick.Controls.Basic
import Numeribus.Backend

TextField {
    id: field

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    property string accessibleName: placeholderText
    // False for personal data (name, contact): not read aloud in a bus full of people.
    property bool speakText: true

    Accessible.name: accessibleName
    Accessible.role: Accessible.EditableText
    Accessible.description: placeholderText

    ContextMenu.menu: null
    inputMethodHints: Qt.ImhNoPredictiveText
    implicitHeight: Math.max(a11y.minTarget, contentHeight + topPadding + bottomPadding)
    padding: a11y.spacing * 2
    font.family: a11y.fontFamily
    font.pixelSize: a11y.fontBody
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx
    color: a11y.textColor
    placeholderTextColor: a11y.textSecondary
    selectionColor: a11y.accent
    selectedTextColor: a11y.background

    onPressed: speech.speakElement(accessibleName, "textfield", speakText ? text : "")

    background: Rectangle {
        radius: 8
        color: field.a11y.surface
        border.width: field.activeFocus ? 6 : 2
        border.color: field.activeFocus ? field.a11y.focusRing : field.a11y.textColor
    }
}
