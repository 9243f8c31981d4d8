// A line of text inside an InfoCard: the visitor's font, spacing and colours, wrapped.
// It does not speak by itself: touching the card reads the whole card.
import QtQuick
import Numeribus.Backend

Text {
    required property AccessibilityBridge a11y
    property bool strong: false
    property bool big: false
    property bool secondary: false

    Accessible.ignored: true
    font.family: a11y.fontFamily
    font.pixelSize: big ? a11y.fontTitle : a11y.fontBody
    font.bold: strong || big
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx
    color: secondary ? a11y.textSecondary : a11y.textColor
    wrapMode: Text.WordWrap
    lineHeight: a11y.lineHeight
    lineHeightMode: Text.ProportionalHeight
}
