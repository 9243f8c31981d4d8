// The inactivity warning, drawn over everything (header included) while idle.warning.
// Any touch anywhere cancels it: IdleMonitor sees the press before any item does.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Rectangle {
    id: overlay
    objectName: "idleWarning"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property IdleMonitor idle

    visible: idle.warning
    color: a11y.background
    opacity: 0.97

    // Swallow presses so that the tap which cancels the warning does nothing underneath.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.AllButtons
        Accessible.name: qsTr("Touchez l'écran pour continuer")
        Accessible.role: Accessible.Button
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.8
        spacing: overlay.a11y.spacing * 4

        BodyText {
            Layout.fillWidth: true
            a11y: overlay.a11y
            speech: overlay.speech
            heading: true
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: overlay.a11y.fontHuge
            text: qsTr("Vous êtes toujours là ?")
        }
        BodyText {
            objectName: "idleCountdown"
            Layout.fillWidth: true
            a11y: overlay.a11y
            speech: overlay.speech
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: overlay.a11y.fontTitle
            // "1 seconde" / "2 secondes": plural forms from numeribus_fr.qm (and _en.qm).
            text: qsTr("Retour à l'accueil dans %n seconde(s).", "", overlay.idle.countdown)
        }
        BigButton {
            objectName: "idleContinue"
            Layout.alignment: Qt.AlignHCenter
            a11y: overlay.a11y
            speech: overlay.speech
            text: qsTr("Continuer")
            description: qsTr("Touchez l'écran pour continuer")
        }
    }
}
