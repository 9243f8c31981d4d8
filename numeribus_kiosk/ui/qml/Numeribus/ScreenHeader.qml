// The title of a screen, with an optional "Retour" button.  Touching the title reads it.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

RowLayout {
    id: header

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property string title
    property bool showBack: false

    signal backRequested()

    spacing: a11y.spacing * 2

    BigButton {
        objectName: "backButton"
        visible: header.showBack
        a11y: header.a11y
        speech: header.speech
        primary: false
        text: qsTr("Retour")
        description: qsTr("Revenir à l'écran précédent")
        onClicked: header.backRequested()
    }

    BodyText {
        objectName: "screenTitle"
        Layout.fillWidth: true
        a11y: header.a11y
        speech: header.speech
        heading: true
        text: header.title
        font.pixelSize: header.a11y.fontHuge
    }
}
