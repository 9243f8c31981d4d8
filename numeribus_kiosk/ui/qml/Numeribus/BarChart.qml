pragma ComponentBehavior: Bound
// A horizontal bar chart drawn with Rectangles (no QtCharts).  One line per entry: its label,
// then a bar `fraction` (0..1) of the longest one and the numbers written beside it ("12
// participants · 3 séances"), so that no figure relies on a bar's length or colour alone.
// Text wraps (200 %); touching a line reads it aloud.  `rows` comes ready from StatsModel:
// [{label, sessions, participants, fraction, text, spoken}].  Line i is called objectName_i.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

ColumnLayout {
    id: chart

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property string title
    property string note: ""
    property var rows: []

    spacing: a11y.spacing

    BodyText {
        objectName: chart.objectName + "Title"
        Layout.fillWidth: true
        a11y: chart.a11y
        speech: chart.speech
        heading: true
        text: chart.title
    }

    BodyText {
        Layout.fillWidth: true
        visible: chart.note !== ""
        a11y: chart.a11y
        speech: chart.speech
        secondary: true
        text: chart.note
    }

    Repeater {
        model: chart.rows

        Rectangle {
            id: line
            required property var modelData
            required property int index
            readonly property int padding: chart.a11y.spacing
            // The longest bar takes half the line: the numbers always have the other half.
            readonly property real barSpace: (width - 2 * padding) * 0.5

            objectName: chart.objectName + "_" + index
            Accessible.role: Accessible.ListItem
            Accessible.name: modelData.spoken
            Layout.fillWidth: true
            implicitHeight: Math.max(chart.a11y.minTarget, column.implicitHeight + 2 * padding)
            radius: 8
            color: "transparent"
            border.width: tap.pressed ? 4 : 0
            border.color: chart.a11y.focusRing

            ColumnLayout {
                id: column
                x: line.padding
                y: line.padding
                width: line.width - 2 * line.padding
                spacing: chart.a11y.spacing / 2

                CardText {
                    objectName: line.objectName + "Label"
                    Layout.fillWidth: true
                    a11y: chart.a11y
                    strong: true
                    text: line.modelData.label
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: chart.a11y.spacing * 2

                    Rectangle {
                        objectName: line.objectName + "Bar"
                        readonly property real length: Math.max(2 * border.width, Math.round(line.barSpace * line.modelData.fraction))
                        visible: line.modelData.fraction > 0
                        Layout.minimumWidth: length
                        Layout.preferredWidth: length
                        Layout.maximumWidth: length
                        Layout.preferredHeight: chart.a11y.fontBody
                        Layout.alignment: Qt.AlignVCenter
                        color: chart.a11y.accent
                        border.width: 2
                        border.color: chart.a11y.textColor
                    }

                    CardText {
                        objectName: line.objectName + "Numbers"
                        Layout.fillWidth: true
                        a11y: chart.a11y
                        text: line.modelData.text
                    }
                }
            }

            TapHandler {
                id: tap
                onTapped: chart.speech.speakElement(line.modelData.spoken, "listitem", "")
            }
        }
    }
}
