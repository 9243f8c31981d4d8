pragma ComponentBehavior: Bound
// The mediator mode's home ("mediateur"), shown once the PIN is right: who is logging
// (chips of the known mediators, or a new name typed on the on-screen keyboard), the way to
// each mediator screen, and "Quitter le mode médiateur" (MediatorBridge.lock; Main.qml then
// goes back to the visitors' home).  Main.navigate refuses every "mediateur…" screen while
// the mode is locked.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator

    signal navigateRequested(string name, var properties)

    function chooseTypedName() {
        const name = nameField.text.trim()
        if (name === "")
            return
        screen.mediator.setMediator(name)
        nameField.clear()
        nameField.editor.focus = false
        screen.speech.say(current.text)
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
            title: qsTr("Mode médiateur")
        }

        BodyText {
            id: current
            objectName: "currentMediator"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: screen.mediator.mediator !== ""
                  ? qsTr("Médiatrice / médiateur : %1").arg(screen.mediator.mediator)
                  : qsTr("Médiatrice / médiateur : choisissez votre nom ci-dessous.")
        }

        Flow {
            objectName: "mediatorChoices"
            Layout.fillWidth: true
            visible: screen.mediator.mediators.length > 0
            spacing: screen.a11y.spacing * 2

            Repeater {
                model: screen.mediator.mediators
                ToggleChip {
                    required property string modelData
                    required property int index
                    objectName: "mediatorChoice_" + index
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: modelData
                    on: screen.mediator.mediator === modelData
                    onChosen: screen.mediator.setMediator(modelData)
                }
            }
        }

        FormField {
            id: nameField
            objectName: "mediatorNameField"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            label: qsTr("Un autre nom")
            maximumLength: 80
            onRevealRequested: page.ensureVisible(nameField)
        }
        BigButton {
            objectName: "mediatorNameChoose"
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Choisir ce nom")
            onClicked: screen.chooseTypedName()
        }

        GridLayout {
            objectName: "mediatorScreens"
            Layout.fillWidth: true
            columns: Math.max(1, Math.min(2, Math.floor(screen.width / (screen.a11y.minTarget * 8))))
            rowSpacing: screen.a11y.spacing * 3
            columnSpacing: screen.a11y.spacing * 3
            uniformCellWidths: true

            Repeater {
                model: [
                    { name: "mediateur-seance", key: "mediatorGoSession", text: qsTr("Noter une séance") },
                    { name: "mediateur-seances", key: "mediatorGoSessions", text: qsTr("Séances notées") },
                    { name: "mediateur-stats", key: "mediatorGoStats", text: qsTr("Statistiques") },
                    { name: "mediateur-visiteurs", key: "mediatorGoVisitors",
                      text: qsTr("Demandes et avis des visiteurs") },
                    { name: "mediateur-export", key: "mediatorGoExport", text: qsTr("Exporter") },
                    { name: "mediateur-synchro", key: "mediatorGoSync", text: qsTr("Synchronisation") }
                ]
                BigButton {
                    required property var modelData
                    objectName: modelData.key
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    text: modelData.text
                    onClicked: screen.navigateRequested(modelData.name, {})
                }
            }
        }

        BigButton {
            objectName: "mediatorQuit"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Quitter le mode médiateur")
            description: qsTr("Fermer le mode médiateur et revenir à l'accueil des visiteurs")
            onClicked: screen.mediator.lock()
        }
    }
}
