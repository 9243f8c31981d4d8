// "Synchronisation" of the mediator mode ("mediateur-synchro"): when the bus last exchanged with
// headquarters, how many events wait on the bus, which catalogue version it holds, the last
// failure in plain French, and "Synchroniser maintenant".  SyncBridge holds it all (the agent
// runs on its own thread); this file only lays out.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-synchro"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator
    required property SyncBridge sync

    signal navigateRequested(string name, var properties)

    Component.onCompleted: sync.refresh()

    function back() {
        if (screen.StackView.view)
            screen.StackView.view.pop()
    }

    ScrollPage {
        id: page
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        a11y: screen.a11y
        speech: screen.speech

        ScreenHeader {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            showBack: true
            title: qsTr("Synchronisation avec le siège")
            onBackRequested: screen.back()
        }

        BodyText {
            objectName: "syncLastSuccess"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: screen.sync.lastSuccessText
        }

        BodyText {
            objectName: "syncBusy"
            Layout.fillWidth: true
            visible: text !== ""
            a11y: screen.a11y
            speech: screen.speech
            text: screen.sync.busyText
        }

        BodyText {
            objectName: "syncError"
            Layout.fillWidth: true
            visible: text !== ""
            a11y: screen.a11y
            speech: screen.speech
            color: screen.a11y.errorColor
            text: screen.sync.errorText === "" ? "" : "⚠ " + screen.sync.errorText
        }

        BodyText {
            objectName: "syncPending"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            text: screen.sync.pendingText
        }

        BodyText {
            objectName: "syncCatalogue"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            text: screen.sync.catalogueText
        }

        BodyText {
            objectName: "syncNext"
            Layout.fillWidth: true
            visible: text !== ""
            a11y: screen.a11y
            speech: screen.speech
            text: screen.sync.nextText
        }

        BigButton {
            objectName: "syncNowButton"
            Layout.fillWidth: true
            visible: screen.sync.enrolled
            enabled: screen.sync.canSyncNow
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Synchroniser maintenant")
            description: qsTr("Envoyer au siège ce qui a été noté sur le bus et recevoir le catalogue à jour")
            onClicked: screen.sync.syncNow()
        }

        BodyText {
            objectName: "syncStickHint"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            secondary: true
            text: qsTr("Sans réseau : branchez la clé USB du siège. Le bus la lit et y écrit tout seul, "
                       + "puis dit quand la retirer.")
        }
    }
}
