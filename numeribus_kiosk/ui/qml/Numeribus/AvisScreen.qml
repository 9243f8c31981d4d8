pragma ComponentBehavior: Bound
// "Donner mon avis": an anonymous opinion.  Five faces (a drawing and words each), an optional
// text typed on the on-screen keyboard, the workshops the visitor would like (chips of the
// workshop kinds), then "Envoyer" -> JournalBridge.submitFeedback; a thank-you replaces the
// form.  Nothing here identifies the visitor.  "Partager mes savoirs" leads to SavoirsScreen.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "avis"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property JournalBridge journal
    required property AteliersModel ateliers

    signal navigateRequested(string name, var properties)

    // The form being filled in (discarded with the screen, e.g. on the idle reset).
    property int score: 0
    property var wished: []
    property bool waiting: false
    property bool sent: false
    property string problem: ""

    function toggleWish(kind) {
        const chosen = wished.slice()
        const at = chosen.indexOf(kind)
        if (at >= 0)
            chosen.splice(at, 1)
        else
            chosen.push(kind)
        wished = chosen
    }

    function send() {
        if (waiting)
            return
        opinion.editor.focus = false
        problem = ""
        waiting = true
        journal.submitFeedback(score, opinion.text, wished)
    }

    function restart() {
        score = 0
        wished = []
        opinion.clear()
        problem = ""
        sent = false
    }

    function problemText(key) {
        switch (key) {
        case "": return ""
        case "score": return qsTr("Choisissez d'abord un visage.")
        case "invalid": return qsTr("Votre texte est trop long ou contient des caractères non acceptés. Raccourcissez-le, puis envoyez à nouveau.")
        default: return qsTr("Votre avis n'a pas pu être enregistré. Réessayez, ou parlez-en à l'équipe %1.").arg(screen.branding.ofName)
        }
    }

    Connections {
        target: screen.journal
        function onFeedbackSaved(ok, problem) {
            if (!screen.waiting)
                return  // not ours
            screen.waiting = false
            screen.problem = ok ? "" : problem
            screen.sent = ok
            if (ok) {
                page.scrollBy(-1000)
                screen.speech.say(thanks.text)
            } else {
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
            title: qsTr("Donner mon avis")
        }

        // ---------------------------------------------------------------- thank-you
        BodyText {
            id: thanks
            objectName: "avisThanks"
            Layout.fillWidth: true
            visible: screen.sent
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Merci pour votre avis ! Il aide la médiathèque à améliorer %1.").arg(screen.branding.theName)
        }
        BigButton {
            objectName: "avisAgain"
            visible: screen.sent
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Donner un autre avis")
            onClicked: screen.restart()
        }

        // ---------------------------------------------------------------- the form
        ColumnLayout {
            objectName: "avisForm"
            visible: !screen.sent
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 3

            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Votre avis est anonyme : nous ne demandons ni votre nom ni votre contact.")
            }

            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                heading: true
                text: qsTr("Êtes-vous content %1 ?").arg(screen.branding.ofName)
            }

            Flow {
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2
                Repeater {
                    model: [
                        { score: 5, label: qsTr("Très content") },
                        { score: 4, label: qsTr("Content") },
                        { score: 3, label: qsTr("Moyennement content") },
                        { score: 2, label: qsTr("Pas content") },
                        { score: 1, label: qsTr("Pas content du tout") }
                    ]
                    FaceButton {
                        required property var modelData
                        objectName: "face" + modelData.score
                        a11y: screen.a11y
                        speech: screen.speech
                        score: modelData.score
                        text: modelData.label
                        on: screen.score === modelData.score
                        onChosen: {
                            screen.score = modelData.score
                            if (screen.problem === "score")
                                screen.problem = ""
                        }
                    }
                }
            }

            FormField {
                id: opinion
                objectName: "avisText"
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                multiline: true
                label: qsTr("Votre avis en quelques mots (facultatif)")
                description: qsTr("Touchez ici pour écrire avec le clavier de l'écran")
                onRevealRequested: page.ensureVisible(opinion)
            }

            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                heading: true
                text: qsTr("Quels ateliers aimeriez-vous ?")
            }
            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                secondary: true
                text: qsTr("Touchez autant de choix que vous voulez.")
            }

            Flow {
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2
                Repeater {
                    model: screen.ateliers.kinds
                    ToggleChip {
                        required property var modelData
                        objectName: "wish_" + modelData.kind
                        a11y: screen.a11y
                        speech: screen.speech
                        text: modelData.label
                        on: screen.wished.indexOf(modelData.kind) >= 0
                        onChosen: screen.toggleWish(modelData.kind)
                    }
                }
            }

            BodyText {
                id: problemLabel
                objectName: "avisProblem"
                Layout.fillWidth: true
                visible: screen.problem !== ""
                a11y: screen.a11y
                speech: screen.speech
                color: screen.a11y.errorColor
                font.bold: true
                // A sign as well as the colour: the message never relies on colour alone.
                text: "⚠ " + screen.problemText(screen.problem)
            }

            BigButton {
                objectName: "avisSend"
                a11y: screen.a11y
                speech: screen.speech
                enabled: !screen.waiting
                text: qsTr("Envoyer mon avis")
                onClicked: screen.send()
            }
        }

        // ---------------------------------------------------------------- savoirs
        BodyText {
            Layout.fillWidth: true
            Layout.topMargin: screen.a11y.spacing * 3
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Vous aimeriez animer un atelier ?")
        }
        BigButton {
            objectName: "avisToSavoirs"
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Partager mes savoirs")
            description: qsTr("Proposer à la médiathèque d'animer un atelier")
            onClicked: screen.navigateRequested("savoirs", {})
        }
    }
}
