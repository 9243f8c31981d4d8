// An on/off choice drawn as a big chip.  The state comes from a Python bridge through `on`
// (never toggled here, so bindings are not broken); a tap emits `chosen`, the handler
// changes the bridge, then the new state is spoken ("Lecture à voix haute, interrupteur, activé").
import QtQuick
import QtQuick.Controls.Basic
import Numeribus.Backend

Button {
    id: control

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    property bool on: false
    // One of a group of exclusive choices (themes, fonts, languages): spoken as a radio button.
    property bool exclusive: false
    property string accessibleName: text
    property string description: ""

    signal chosen()

    Accessible.name: accessibleName
    Accessible.role: exclusive ? Accessible.RadioButton : Accessible.CheckBox
    Accessible.checkable: true
    Accessible.checked: on
    Accessible.description: description

    focusPolicy: Qt.NoFocus
    padding: a11y.spacing * 2
    implicitWidth: Math.max(a11y.minTarget, implicitContentWidth + leftPadding + rightPadding)
    implicitHeight: Math.max(a11y.minTarget, implicitContentHeight + topPadding + bottomPadding)

    font.family: a11y.fontFamily
    font.pixelSize: a11y.fontButton
    font.bold: on
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx

    onClicked: {
        chosen()
        speech.speakElement(accessibleName, exclusive ? "radio" : "switch", on)
    }

    contentItem: Text {
        // A check mark as well as the colour: the state never relies on colour alone.
        text: (control.on ? "✔ " : "") + control.text
        font: control.font
        color: control.on ? control.a11y.chipOnText : control.a11y.chipOffText
        wrapMode: Text.WordWrap
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        lineHeight: control.a11y.lineHeight
        lineHeightMode: Text.ProportionalHeight
    }

    background: Rectangle {
        radius: height / 2 > 24 ? 24 : height / 2
        color: control.on ? control.a11y.chipOnBackground : control.a11y.chipOffBackground
        border.width: control.down ? 6 : (control.on ? 4 : 2)
        border.color: control.down ? control.a11y.focusRing : control.a11y.textColor
    }
}
