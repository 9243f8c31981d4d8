// One entry of a list (a passage, a workshop): a framed block of CardText lines.  Touching it
// reads `spokenText` aloud when speech is on.  Its content is laid out in a ColumnLayout.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Rectangle {
    id: card

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    property string spokenText: ""
    default property alias content: column.data

    Accessible.role: Accessible.ListItem
    Accessible.name: spokenText

    implicitHeight: Math.max(a11y.minTarget, column.implicitHeight + 2 * padding)
    readonly property int padding: a11y.spacing * 2
    radius: 8
    color: a11y.surface
    border.width: tap.pressed ? 6 : 2
    border.color: tap.pressed ? a11y.focusRing : a11y.textColor

    ColumnLayout {
        id: column
        x: card.padding
        y: card.padding
        width: card.width - 2 * card.padding
        spacing: card.a11y.spacing
    }

    TapHandler {
        id: tap
        onTapped: card.speech.speakElement(card.spokenText, "listitem", "")
    }
}
