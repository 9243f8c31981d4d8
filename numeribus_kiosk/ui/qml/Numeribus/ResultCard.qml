pragma ComponentBehavior: Bound
// One search result as a large card: generated cover, title, authors, year and type, badges.
// The whole card is one button; touching it says the title, authors, year, type and "À bord".
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Button {
    id: card

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    // From SearchModel's roles.
    required property string recordId
    required property string title
    required property string authors
    required property string year
    required property string typeLabel
    required property bool onBoard
    required property bool largePrint
    required property bool dys
    required property bool audio
    required property string coverColour
    required property string coverInitials
    required property string spoken

    text: title
    Accessible.name: spoken
    Accessible.role: Accessible.Button
    Accessible.description: qsTr("Ouvrir la notice")

    focusPolicy: Qt.NoFocus
    padding: a11y.spacing * 2
    implicitWidth: Math.max(a11y.minTarget * 4, implicitContentWidth + leftPadding + rightPadding)
    implicitHeight: Math.max(a11y.minTarget, implicitContentHeight + topPadding + bottomPadding)

    onPressed: speech.speakElement(spoken, "button", "")

    contentItem: RowLayout {
        spacing: card.a11y.spacing * 2

        Cover {
            Layout.alignment: Qt.AlignTop
            a11y: card.a11y
            colour: card.coverColour
            initials: card.coverInitials
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: card.a11y.spacing

            Text {
                objectName: "cardTitle"
                Layout.fillWidth: true
                text: card.title
                color: card.a11y.textColor
                font.family: card.a11y.fontFamily
                font.pixelSize: card.a11y.fontTitle
                font.bold: true
                font.letterSpacing: card.a11y.letterSpacingPx
                font.wordSpacing: card.a11y.wordSpacingPx
                wrapMode: Text.WordWrap
                lineHeight: card.a11y.lineHeight
                lineHeightMode: Text.ProportionalHeight
            }
            Text {
                Layout.fillWidth: true
                visible: card.authors !== ""
                text: card.authors
                color: card.a11y.textColor
                font.family: card.a11y.fontFamily
                font.pixelSize: card.a11y.fontBody
                font.letterSpacing: card.a11y.letterSpacingPx
                font.wordSpacing: card.a11y.wordSpacingPx
                wrapMode: Text.WordWrap
                lineHeight: card.a11y.lineHeight
                lineHeightMode: Text.ProportionalHeight
            }
            Text {
                Layout.fillWidth: true
                text: card.year !== "" ? card.year + " · " + card.typeLabel : card.typeLabel
                color: card.a11y.textSecondary
                font.family: card.a11y.fontFamily
                font.pixelSize: card.a11y.fontBody
                font.letterSpacing: card.a11y.letterSpacingPx
                font.wordSpacing: card.a11y.wordSpacingPx
                wrapMode: Text.WordWrap
                lineHeight: card.a11y.lineHeight
                lineHeightMode: Text.ProportionalHeight
            }
            Flow {
                Layout.fillWidth: true
                spacing: card.a11y.spacing
                visible: card.onBoard || card.largePrint || card.dys || card.audio
                Repeater {
                    model: [
                        { shown: card.onBoard, label: qsTr("À bord") },
                        { shown: card.largePrint, label: qsTr("Gros caractères") },
                        { shown: card.dys, label: qsTr("Adapté DYS") },
                        { shown: card.audio, label: qsTr("Livre audio") }
                    ]
                    delegate: Rectangle {
                        id: badge
                        required property var modelData
                        visible: badge.modelData.shown
                        objectName: "badge"
                        implicitWidth: badgeText.implicitWidth + 2 * card.a11y.spacing
                        implicitHeight: badgeText.implicitHeight + card.a11y.spacing
                        radius: 6
                        color: card.a11y.chipOnBackground
                        border.width: 2
                        border.color: card.a11y.textColor
                        Text {
                            id: badgeText
                            anchors.centerIn: parent
                            // A check mark as well as the colour: never colour alone.
                            text: "✔ " + badge.modelData.label
                            color: card.a11y.chipOnText
                            font.family: card.a11y.fontFamily
                            font.pixelSize: card.a11y.fontSmall
                            font.bold: true
                        }
                    }
                }
            }
        }
    }

    background: Rectangle {
        radius: 12
        color: card.a11y.surface
        border.width: card.down ? 6 : 2
        border.color: card.down ? card.a11y.focusRing : card.a11y.textColor
    }
}
