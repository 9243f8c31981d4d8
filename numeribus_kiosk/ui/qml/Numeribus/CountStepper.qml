// A number changed with big − / + buttons (no typing, no swipe): its label, "−", the value,
// "+".  The buttons say what they do ("Participants : un de moins"); the value is plain text.
// Children get objectName + "Minus" / "Value" / "Plus" when the stepper has an objectName.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

RowLayout {
    id: stepper

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property string label
    property string valueText: ""
    property string decrementText: "−"
    property string incrementText: "+"
    property string decrementName: qsTr("%1 : un de moins").arg(label)
    property string incrementName: qsTr("%1 : un de plus").arg(label)
    property bool showLabel: true

    signal decrement()
    signal increment()

    spacing: a11y.spacing * 2

    BodyText {
        Layout.fillWidth: true
        visible: stepper.showLabel
        a11y: stepper.a11y
        speech: stepper.speech
        text: stepper.label
    }

    BigButton {
        objectName: stepper.objectName ? stepper.objectName + "Minus" : ""
        a11y: stepper.a11y
        speech: stepper.speech
        primary: false
        text: stepper.decrementText
        accessibleName: stepper.decrementName
        onClicked: stepper.decrement()
    }

    BodyText {
        objectName: stepper.objectName ? stepper.objectName + "Value" : ""
        Layout.minimumWidth: stepper.a11y.minTarget
        horizontalAlignment: Text.AlignHCenter
        a11y: stepper.a11y
        speech: stepper.speech
        font.pixelSize: stepper.a11y.fontTitle
        font.bold: true
        text: stepper.valueText
        Accessible.name: stepper.label + " : " + stepper.valueText
    }

    BigButton {
        objectName: stepper.objectName ? stepper.objectName + "Plus" : ""
        a11y: stepper.a11y
        speech: stepper.speech
        primary: false
        text: stepper.incrementText
        accessibleName: stepper.incrementName
        onClicked: stepper.increment()
    }

    Item {
        visible: !stepper.showLabel
        Layout.fillWidth: true
    }
}
