// One part of the mediator's session form: a title, the French error of its field (⚠, beside
// the field, never colour alone), an optional note, then its controls (put inside).
// Children get objectName + "Title" / "Error" when the section has an objectName.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

ColumnLayout {
    id: section

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property string title
    property string error: ""
    property string note: ""
    default property alias content: body.data

    spacing: a11y.spacing

    BodyText {
        objectName: section.objectName ? section.objectName + "Title" : ""
        Layout.fillWidth: true
        a11y: section.a11y
        speech: section.speech
        heading: true
        text: section.title
    }

    BodyText {
        Layout.fillWidth: true
        visible: section.note !== ""
        a11y: section.a11y
        speech: section.speech
        secondary: true
        text: section.note
    }

    BodyText {
        objectName: section.objectName ? section.objectName + "Error" : ""
        Layout.fillWidth: true
        visible: section.error !== ""
        a11y: section.a11y
        speech: section.speech
        color: section.a11y.errorColor
        font.bold: true
        text: "⚠ " + section.error
    }

    ColumnLayout {
        id: body
        Layout.fillWidth: true
        spacing: section.a11y.spacing
    }
}
