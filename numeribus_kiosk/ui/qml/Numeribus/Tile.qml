// A big home-screen tile: a title and a short description, the whole tile is one button.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Button {
    id: control

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    property string description: ""

    Accessible.name: text
    Accessible.role: Accessible.Button
    Accessible.description: description

    focusPolicy: Qt.NoFocus
    padding: a11y.spacing * 3
    implicitWidth: Math.max(a11y.minTarget * 4, implicitContentWidth + leftPadding + rightPadding)
    implicitHeight: Math.max(a11y.minTarget * 2, implicitContentHeight + topPadding + bottomPadding)

    font.family: a11y.fontFamily
    font.pixelSize: a11y.fontTitle
    font.bold: true
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx

    onPressed: speech.speakElement(description ? text + ". " + description : text, "button", "")

    contentItem: ColumnLayout {
        spacing: control.a11y.spacing
        Text {
            Layout.fillWidth: true
            text: control.text
            font: control.font
            color: control.a11y.buttonText
            wrapMode: Text.WordWrap
            // A single word longer than the tile ("Accessibilité" in OpenDyslexic at 200 %)
            // cannot wrap: it gets just small enough to fit instead of spilling out.
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: control.a11y.fontBody
            lineHeight: control.a11y.lineHeight
            lineHeightMode: Text.ProportionalHeight
        }
        Text {
            Layout.fillWidth: true
            visible: control.description !== ""
            text: control.description
            font.family: control.a11y.fontFamily
            font.pixelSize: control.a11y.fontBody
            font.letterSpacing: control.a11y.letterSpacingPx
            font.wordSpacing: control.a11y.wordSpacingPx
            color: control.a11y.buttonText
            wrapMode: Text.WordWrap
            lineHeight: control.a11y.lineHeight
            lineHeightMode: Text.ProportionalHeight
        }
    }

    background: Rectangle {
        radius: 12
        color: control.a11y.buttonBackground
        border.width: control.down ? 8 : 2
        border.color: control.down ? control.a11y.focusRing : control.a11y.textColor
    }
}
