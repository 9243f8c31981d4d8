// A large push button: at least a11y.minTarget square, text wraps (never clips at 200 %),
// speaks "<name>, bouton" on press when speech is on.
import QtQuick
import QtQuick.Controls.Basic
import Numeribus.Backend

Button {
    id: control

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    // Name spoken and given to assistive technologies (defaults to the visible text).
    property string accessibleName: text
    property string description: ""
    // Primary buttons are filled with the accent colour; others are outlined.
    property bool primary: true
    // False for the speech controls themselves ("Répéter" must not overwrite what it repeats).
    property bool speakOnPress: true

    Accessible.name: accessibleName
    Accessible.role: Accessible.Button
    Accessible.description: description

    focusPolicy: Qt.NoFocus
    padding: a11y.spacing * 2
    implicitWidth: Math.max(a11y.minTarget, implicitContentWidth + leftPadding + rightPadding)
    implicitHeight: Math.max(a11y.minTarget, implicitContentHeight + topPadding + bottomPadding)

    font.family: a11y.fontFamily
    font.pixelSize: a11y.fontButton
    font.bold: true
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx

    onPressed: if (speakOnPress) speech.speakElement(accessibleName, "button", "")

    contentItem: Text {
        text: control.text
        font: control.font
        color: control.primary ? control.a11y.buttonText : control.a11y.textColor
        wrapMode: Text.WordWrap
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        lineHeight: control.a11y.lineHeight
        lineHeightMode: Text.ProportionalHeight
    }

    background: Rectangle {
        radius: 8
        color: control.primary ? control.a11y.buttonBackground : control.a11y.surface
        border.width: control.down ? 6 : 2
        border.color: control.down ? control.a11y.focusRing : control.a11y.textColor
        opacity: control.enabled ? 1 : 0.5
    }
}
