// One face of the five-face opinion scale: a drawn face and its words ("Très content"...).
// Exclusive choice: spoken as a radio button; the chosen face gets a ✔ and a thick frame,
// never colour alone.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.Shapes
import Numeribus.Backend

Button {
    id: control

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property int score          // 1 (pas content du tout) .. 5 (très content)
    property bool on: false

    signal chosen()

    // Mouth of each score, in a 100 x 100 face: from a deep frown to a broad smile.
    readonly property var mouths: ({
        1: "M 28 78 Q 50 52 72 78",
        2: "M 32 74 Q 50 64 68 74",
        3: "M 32 70 L 68 70",
        4: "M 32 64 Q 50 76 68 64",
        5: "M 26 60 Q 50 90 74 60"
    })

    Accessible.name: text
    Accessible.role: Accessible.RadioButton
    Accessible.checkable: true
    Accessible.checked: on

    focusPolicy: Qt.NoFocus
    padding: a11y.spacing * 2
    implicitWidth: Math.max(a11y.minTarget * 2, implicitContentWidth + leftPadding + rightPadding)
    implicitHeight: Math.max(a11y.minTarget, implicitContentHeight + topPadding + bottomPadding)

    font.family: a11y.fontFamily
    font.pixelSize: a11y.fontButton
    font.bold: on
    font.letterSpacing: a11y.letterSpacingPx
    font.wordSpacing: a11y.wordSpacingPx

    onClicked: {
        chosen()
        speech.speakElement(text, "radio", true)
    }

    contentItem: ColumnLayout {
        spacing: control.a11y.spacing
        Item {
            id: face
            readonly property real size: control.a11y.minTarget * 1.5
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: size
            implicitHeight: size
            readonly property color ink: control.on ? control.a11y.chipOnText : control.a11y.chipOffText

            Shape {
                width: 100
                height: 100
                scale: face.size / 100
                transformOrigin: Item.TopLeft
                ShapePath {  // head
                    strokeColor: face.ink
                    strokeWidth: 5
                    fillColor: "transparent"
                    PathSvg { path: "M 50 4 A 46 46 0 1 1 49.9 4 Z" }
                }
                ShapePath {  // eyes
                    strokeColor: face.ink
                    strokeWidth: 2
                    fillColor: face.ink
                    PathSvg { path: "M 36 32 A 6 6 0 1 1 35.9 32 Z M 64 32 A 6 6 0 1 1 63.9 32 Z" }
                }
                ShapePath {  // mouth
                    strokeColor: face.ink
                    strokeWidth: 6
                    capStyle: ShapePath.RoundCap
                    fillColor: "transparent"
                    PathSvg { path: control.mouths[control.score] || control.mouths[3] }
                }
            }
        }
        Text {
            Layout.fillWidth: true
            text: (control.on ? "✔ " : "") + control.text
            font: control.font
            color: control.on ? control.a11y.chipOnText : control.a11y.chipOffText
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            lineHeight: control.a11y.lineHeight
            lineHeightMode: Text.ProportionalHeight
        }
    }

    background: Rectangle {
        radius: 12
        color: control.on ? control.a11y.chipOnBackground : control.a11y.chipOffBackground
        border.width: control.down ? 6 : (control.on ? 6 : 2)
        border.color: control.down ? control.a11y.focusRing : control.a11y.textColor
    }
}
