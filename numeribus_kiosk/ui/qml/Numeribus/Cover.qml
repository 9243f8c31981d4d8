// A generated cover: a coloured rectangle with the title's initials (colour and letters come from
// Python: SearchModel/NoticeBridge coverColour, coverInitials).  Decorative for assistive technologies.
import QtQuick
import Numeribus.Backend

Rectangle {
    id: cover

    required property AccessibilityBridge a11y
    property string colour: "#1F4E8C"
    property string initials: ""

    Accessible.ignored: true
    implicitWidth: Math.round(a11y.minTarget * 1.6)
    implicitHeight: Math.round(implicitWidth * 1.4)
    radius: 6
    color: colour
    // A border of the theme's text colour: the cover stands out on every background.
    border.width: 2
    border.color: a11y.textColor

    Text {
        anchors.centerIn: parent
        width: parent.width - 8
        horizontalAlignment: Text.AlignHCenter
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: 10
        text: cover.initials
        color: "#FFFFFF"
        font.family: cover.a11y.fontFamily
        font.pixelSize: cover.a11y.fontTitle
        font.bold: true
    }
}
