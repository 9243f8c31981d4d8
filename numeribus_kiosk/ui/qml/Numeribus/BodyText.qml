// Text drawn with the visitor's settings; touching it reads it aloud when speech is on.
import QtQuick
import Numeribus.Backend

Text {
    id: label

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    property bool heading: false
    property bool secondary: false

    Accessible.name: text
    Accessible.role: heading ? Accessible.Heading : Accessible.StaticText

    font.family: a11y.fontFamily
    font.pixelSize: heading ? a11y.fontTitle : a11y.fontBody
    font.bold: heading
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx
    color: secondary ? a11y.textSecondary : a11y.textColor
    wrapMode: Text.WordWrap
    lineHeight: a11y.lineHeight
    lineHeightMode: Text.ProportionalHeight

    TapHandler {
        onTapped: label.speech.speakElement(label.text, label.heading ? "heading" : "text", "")
    }
}
