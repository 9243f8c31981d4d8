pragma ComponentBehavior: Bound
// The mediator's numeric pad: keys 1 to 9 and 0, "Effacer" (the last digit) and "Valider",
// with a dot for each digit typed (never the digits themselves).
//
// The PIN lives only in this item's `digits`: never in a text field, a log or speech.  The
// digit keys do not speak when touched (speakOnPress: false), so a PIN typed with the voice
// on is not read out in a bus full of people; "Effacer" and "Valider" speak as usual.  The
// screen calls clear() after each validation, and when it is left.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

ColumnLayout {
    id: pad
    objectName: "pinPad"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    property int maximumLength: 8
    // The digits typed so far; read it only in `validated`.
    property string digits: ""
    readonly property int length: digits.length

    // "Valider" was touched: `pin` is what was typed (maybe too short: the screen says so).
    signal validated(string pin)

    function clear() {
        digits = ""
    }
    function type(digit) {
        if (digits.length < maximumLength)
            digits += digit
    }
    function erase() {
        digits = digits.slice(0, -1)
    }

    spacing: a11y.spacing * 2

    // One dot per digit typed; a fixed height, so the keys do not move as dots appear.
    Item {
        objectName: "pinDots"
        Layout.fillWidth: true
        implicitHeight: pad.a11y.minTarget
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Chiffres tapés : %1").arg(pad.length)

        Row {
            anchors.centerIn: parent
            spacing: pad.a11y.spacing * 2
            Repeater {
                model: pad.length
                Rectangle {
                    width: pad.a11y.minTarget / 2
                    height: width
                    radius: width / 2
                    color: pad.a11y.textColor
                }
            }
        }
        // An empty field shows its outline, so that there is a place for the dots.
        Rectangle {
            anchors.fill: parent
            color: "transparent"
            radius: 8
            border.width: 2
            border.color: pad.a11y.textColor
        }
    }

    GridLayout {
        objectName: "pinKeys"
        Layout.fillWidth: true
        columns: 3
        rowSpacing: pad.a11y.spacing * 2
        columnSpacing: pad.a11y.spacing * 2
        // Equal keys, each as wide as the widest word ("Effacer" at 200 %).
        uniformCellWidths: true

        // 1 2 3 / 4 5 6 / 7 8 9 / Effacer 0 Valider
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "erase", "0", "validate"]
            BigButton {
                required property string modelData
                readonly property bool digit: modelData !== "erase" && modelData !== "validate"
                objectName: digit ? "pinKey_" + modelData : (modelData === "erase" ? "pinKeyErase" : "pinKeyValidate")
                Layout.fillWidth: true
                Layout.minimumWidth: implicitWidth
                Layout.preferredWidth: Math.max(implicitWidth, pad.a11y.minTarget * 2)
                Layout.preferredHeight: Math.max(implicitHeight, pad.a11y.minTarget * 1.5)
                a11y: pad.a11y
                speech: pad.speech
                primary: modelData !== "erase"
                speakOnPress: !digit  // never say a digit of the PIN
                text: digit ? modelData : (modelData === "erase" ? qsTr("Effacer") : qsTr("Valider"))
                description: modelData === "erase" ? qsTr("Effacer le dernier chiffre tapé") : ""
                font.pixelSize: digit ? pad.a11y.fontTitle : pad.a11y.fontButton
                onClicked: {
                    if (digit)
                        pad.type(modelData)
                    else if (modelData === "erase")
                        pad.erase()
                    else
                        pad.validated(pad.digits)
                }
            }
        }
    }
}
