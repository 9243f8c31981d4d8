pragma ComponentBehavior: Bound
// "Je voudrais ce document": name, contact, the stop where the visitor wants it, explicit
// consent, "Envoyer" -> JournalBridge.submitRequest; the answer (requestSaved) is shown in French
// (NoticeBridge.requestProblem).  Its state lives only as long as the notice screen (idle reset
// pops the screen: a half-filled form is discarded).
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

ColumnLayout {
    id: form

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property NoticeBridge notice
    required property JournalBridge journal

    property string stop: ""
    property bool consent: false
    property bool sending: false
    property bool sent: false
    property string problem: ""

    signal fieldFocused(Item item)
    signal cancelled()

    function send() {
        form.problem = ""
        form.sending = true
        form.journal.submitRequest(form.notice.recordId, form.notice.title, nameField.text,
                                   contactField.text, form.stop, form.consent)
    }

    spacing: a11y.spacing * 2

    Connections {
        target: form.journal
        function onRequestSaved(ok, problem) {
            if (!form.sending)
                return
            form.sending = false
            form.sent = ok
            form.problem = form.notice.requestProblem(problem)
            form.speech.say(ok ? confirmation.text : form.problem)
        }
    }

    BodyText {
        Layout.fillWidth: true
        a11y: form.a11y
        speech: form.speech
        heading: true
        text: qsTr("Demander ce document")
    }

    ColumnLayout {
        Layout.fillWidth: true
        visible: !form.sent
        spacing: form.a11y.spacing * 2

        BodyText {
            Layout.fillWidth: true
            a11y: form.a11y
            speech: form.speech
            text: qsTr("Votre nom")
        }
        BigTextField {
            id: nameField
            objectName: "nameField"
            Layout.fillWidth: true
            a11y: form.a11y
            speech: form.speech
            speakText: false
            accessibleName: qsTr("Votre nom")
            placeholderText: qsTr("Prénom et nom")
            onActiveFocusChanged: if (activeFocus) form.fieldFocused(nameField)
            onAccepted: contactField.forceActiveFocus()
        }
        BodyText {
            Layout.fillWidth: true
            a11y: form.a11y
            speech: form.speech
            text: qsTr("Votre contact : téléphone, e-mail ou numéro de carte de lecteur")
        }
        BigTextField {
            id: contactField
            objectName: "contactField"
            Layout.fillWidth: true
            a11y: form.a11y
            speech: form.speech
            speakText: false
            accessibleName: qsTr("Votre contact")
            placeholderText: qsTr("téléphone, e-mail ou numéro de carte de lecteur")
            inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
            onActiveFocusChanged: if (activeFocus) form.fieldFocused(contactField)
            onAccepted: {
                focus = false  // the keyboard hides with the focus
            }
        }

        BodyText {
            Layout.fillWidth: true
            a11y: form.a11y
            speech: form.speech
            text: qsTr("Où voulez-vous le recevoir ?")
        }
        Flow {
            Layout.fillWidth: true
            spacing: form.a11y.spacing * 2
            Repeater {
                model: form.notice.stops
                delegate: ToggleChip {
                    required property string modelData
                    required property int index
                    objectName: "stop_" + index
                    a11y: form.a11y
                    speech: form.speech
                    exclusive: true
                    text: modelData
                    on: form.stop === modelData
                    onChosen: form.stop = modelData
                }
            }
            ToggleChip {
                objectName: "stopAutre"
                a11y: form.a11y
                speech: form.speech
                exclusive: true
                text: qsTr("Autre")
                on: form.stop === text
                onChosen: form.stop = text
            }
        }

        BodyText {
            objectName: "consentText"
            Layout.fillWidth: true
            a11y: form.a11y
            speech: form.speech
            text: qsTr("J'accepte que mon nom et mon contact soient enregistrés pour préparer ma demande. Ils sont effacés du bus dès que la médiathèque les a reçus.")
        }
        ToggleChip {
            objectName: "consentChip"
            a11y: form.a11y
            speech: form.speech
            text: qsTr("J'accepte")
            description: qsTr("Accord pour enregistrer votre nom et votre contact")
            on: form.consent
            onChosen: form.consent = !form.consent
        }

        BodyText {
            objectName: "requestProblem"
            Layout.fillWidth: true
            visible: form.problem !== ""
            a11y: form.a11y
            speech: form.speech
            color: form.a11y.errorColor
            font.bold: true
            text: form.problem
        }

        Flow {
            Layout.fillWidth: true
            spacing: form.a11y.spacing * 2
            BigButton {
                objectName: "sendButton"
                a11y: form.a11y
                speech: form.speech
                enabled: !form.sending
                text: qsTr("Envoyer")
                description: qsTr("Envoyer ma demande à la médiathèque")
                onClicked: form.send()
            }
            BigButton {
                objectName: "cancelRequestButton"
                a11y: form.a11y
                speech: form.speech
                primary: false
                text: qsTr("Annuler")
                onClicked: form.cancelled()
            }
        }
    }

    BodyText {
        id: confirmation
        objectName: "requestConfirmation"
        Layout.fillWidth: true
        visible: form.sent
        a11y: form.a11y
        speech: form.speech
        heading: true
        color: form.a11y.successColor
        text: qsTr("✔ Merci ! Votre demande est enregistrée. La médiathèque vous contactera quand le document sera prêt.")
    }
}
