// Choosing the mediator PIN ("mediateur-nouveau-code"): offered at the kiosk's first start while
// no PIN is set (Main.offerPinSetup), and opened by the hidden corner until one is.  The PIN
// is typed twice on PinPad; MediatorBridge.setupPin checks it (4 to 8 digits, twice the same)
// and opens the mode, and this screen is replaced by the mediator's home.  "Plus tard" goes
// back to the visitors' home.  Digits are cleared after each step and when the screen is left.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-nouveau-code"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property MediatorBridge mediator

    signal navigateRequested(string name, var properties)

    // The PIN typed the first time, kept until it is typed again.
    property string first: ""
    readonly property bool confirming: first !== ""
    property string problem: ""

    function forget() {
        pad.clear()
        first = ""
    }

    function validate(pin) {
        pad.clear()
        if (!confirming) {
            if (pin.length < 4) {
                problem = qsTr("Le code doit avoir de 4 à 8 chiffres.")
                speech.say(problem)
                return
            }
            problem = ""
            first = pin
            speech.say(step.text)
            return
        }
        const answer = mediator.setupPin(first, pin)
        first = ""
        if (answer === "") {
            problem = ""
            screen.navigateRequested("mediateur", {})
        } else {
            problem = answer
            page.ensureVisible(problemLabel)
            speech.say(problem)
        }
    }

    StackView.onDeactivating: forget()
    Component.onDestruction: forget()

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
            title: qsTr("Choisir le code du mode médiateur")
        }

        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Ce code protège le mode médiateur : les séances notées et les demandes des visiteurs. "
                       + "Choisissez de 4 à 8 chiffres, et ne le donnez qu'à l'équipe %1.").arg(screen.branding.ofName)
        }

        BodyText {
            id: step
            objectName: "pinSetupStep"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: screen.confirming ? qsTr("Tapez le même code une seconde fois, puis touchez « Valider ».")
                                    : qsTr("Tapez le nouveau code, puis touchez « Valider ».")
        }

        PinPad {
            id: pad
            Layout.alignment: Qt.AlignHCenter
            Layout.fillWidth: true
            Layout.maximumWidth: Math.max(screen.a11y.minTarget * 9, implicitWidth)
            a11y: screen.a11y
            speech: screen.speech
            onValidated: (pin) => screen.validate(pin)
        }

        BodyText {
            id: problemLabel
            objectName: "pinSetupProblem"
            Layout.fillWidth: true
            visible: screen.problem !== ""
            a11y: screen.a11y
            speech: screen.speech
            font.bold: true
            color: screen.a11y.errorColor
            text: "⚠ " + screen.problem
        }

        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2

            BigButton {
                objectName: "pinSetupRestart"
                visible: screen.confirming
                a11y: screen.a11y
                speech: screen.speech
                primary: false
                text: qsTr("Recommencer")
                description: qsTr("Taper un autre code")
                onClicked: screen.forget()
            }
            BigButton {
                objectName: "pinSetupLater"
                a11y: screen.a11y
                speech: screen.speech
                primary: false
                text: qsTr("Plus tard")
                description: qsTr("Revenir à l'accueil sans choisir de code")
                onClicked: {
                    screen.forget()
                    screen.navigateRequested("accueil", {})
                }
            }
        }
    }
}
