// "Partager mes savoirs": an inhabitant offers to lead a workshop.  Name, contact, what they
// would share, and an explicit consent (the name and contact are personal data: sent to the
// médiathèque, then deleted from the bus).  "Envoyer" -> JournalBridge.submitVolunteer; the
// answer's problem key ("consent", "name", "contact", "topic", "invalid", "storage") is shown
// in plain French, with a sign as well as a colour.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "savoirs"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property JournalBridge journal

    signal navigateRequested(string name, var properties)

    property bool consent: false
    property bool waiting: false
    property bool sent: false
    property string problem: ""

    function send() {
        if (waiting)
            return
        for (const f of [nameField, contactField, topicField])
            f.editor.focus = false
        problem = ""
        waiting = true
        journal.submitVolunteer(nameField.text, contactField.text, topicField.text, consent)
    }

    function restart() {
        nameField.clear()
        contactField.clear()
        topicField.clear()
        consent = false
        problem = ""
        sent = false
    }

    function problemText(key) {
        switch (key) {
        case "": return ""
        case "consent": return qsTr("Pour envoyer votre proposition, touchez d'abord « J'accepte… » : sans votre accord, rien n'est transmis.")
        case "name": return qsTr("Indiquez votre nom.")
        case "contact": return qsTr("Indiquez un téléphone ou une adresse électronique, pour que la médiathèque puisse vous joindre.")
        case "topic": return qsTr("Dites en quelques mots ce que vous aimeriez partager.")
        case "invalid": return qsTr("Un des champs est trop long ou contient des caractères non acceptés. Corrigez-le, puis envoyez à nouveau.")
        default: return qsTr("Votre proposition n'a pas pu être enregistrée. Réessayez, ou parlez-en à l'équipe %1.").arg(screen.branding.ofName)
        }
    }

    Connections {
        target: screen.journal
        function onVolunteerSaved(ok, problem) {
            if (!screen.waiting)
                return  // not ours
            screen.waiting = false
            screen.problem = ok ? "" : problem
            screen.sent = ok
            if (ok) {
                nameField.clear()
                contactField.clear()
                topicField.clear()
                screen.consent = false
                page.scrollBy(-1000)
                screen.speech.say(thanks.text)
            } else {
                page.ensureVisible(problemLabel)
                screen.speech.say(problemLabel.text)
            }
        }
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
            title: qsTr("Partager mes savoirs")
        }

        BodyText {
            id: thanks
            objectName: "savoirsThanks"
            Layout.fillWidth: true
            visible: screen.sent
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Merci ! La médiathèque vous contactera pour organiser votre atelier.")
        }
        BigButton {
            objectName: "savoirsAgain"
            visible: screen.sent
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Faire une autre proposition")
            onClicked: screen.restart()
        }

        ColumnLayout {
            objectName: "savoirsForm"
            visible: !screen.sent
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 3

            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Vous savez faire quelque chose et aimeriez le montrer aux autres : tricot, photo, "
                           + "cuisine, jeux, informatique… Proposez un atelier, la médiathèque vous recontactera.")
            }

            FormField {
                id: nameField
                objectName: "savoirsName"
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                label: qsTr("Votre nom")
                onRevealRequested: page.ensureVisible(nameField)
            }
            FormField {
                id: contactField
                objectName: "savoirsContact"
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                label: qsTr("Votre téléphone ou votre adresse électronique")
                onRevealRequested: page.ensureVisible(contactField)
            }
            FormField {
                id: topicField
                objectName: "savoirsTopic"
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                multiline: true
                label: qsTr("Ce que vous aimeriez partager")
                onRevealRequested: page.ensureVisible(topicField)
            }

            ToggleChip {
                id: consentChip
                objectName: "savoirsConsent"
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("J'accepte que mon nom et mon contact soient transmis à la médiathèque pour organiser "
                           + "un atelier. Ils sont effacés du bus dès qu'elle les a reçus.")
                accessibleName: text
                on: screen.consent
                onChosen: {
                    screen.consent = !screen.consent
                    if (screen.problem === "consent")
                        screen.problem = ""
                }
            }

            BodyText {
                id: problemLabel
                objectName: "savoirsProblem"
                Layout.fillWidth: true
                visible: screen.problem !== ""
                a11y: screen.a11y
                speech: screen.speech
                color: screen.a11y.errorColor
                font.bold: true
                text: "⚠ " + screen.problemText(screen.problem)
            }

            BigButton {
                objectName: "savoirsSend"
                a11y: screen.a11y
                speech: screen.speech
                enabled: !screen.waiting
                text: qsTr("Envoyer ma proposition")
                onClicked: screen.send()
            }
        }
    }
}
