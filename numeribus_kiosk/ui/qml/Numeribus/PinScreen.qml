// The mediator mode's PIN screen ("mediateur-code"), opened by the hidden corner
// (MediatorCorner.qml) once a PIN is set.  The PIN is typed on PinPad (dots only, the digit
// keys stay silent), checked by MediatorBridge.enter on its worker thread ("Vérification…"),
// and its answer (wrong PIN, attempts left, locked until…) is shown from mediator.message.
// The digits are cleared as soon as they are sent, and when the screen is left.  The right
// PIN replaces this screen with the mediator's home ("mediateur").
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-code"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator

    signal navigateRequested(string name, var properties)

    // A problem found here before asking the bridge (a PIN too short).
    property string problem: ""
    // True between our enter() and its answer.
    property bool waiting: false

    readonly property string shownMessage: problem !== "" ? problem : mediator.message

    function back() {
        pad.clear()
        if (screen.StackView.view)
            screen.StackView.view.pop()
    }

    function validate(pin) {
        pad.clear()
        if (pin.length < 4) {
            problem = qsTr("Le code a de 4 à 8 chiffres.")
            speech.say(problem)
            return
        }
        problem = ""
        waiting = true
        mediator.enter(pin)
    }

    StackView.onDeactivating: pad.clear()
    Component.onDestruction: pad.clear()

    Connections {
        target: screen.mediator
        function onEntered(ok) {
            if (!screen.waiting)
                return  // not ours
            screen.waiting = false
            if (ok) {
                screen.navigateRequested("mediateur", {})
            } else {
                page.ensureVisible(message)
                screen.speech.say(message.text)
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
            showBack: true
            title: qsTr("Mode médiateur")
            onBackRequested: screen.back()
        }

        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Tapez votre code, puis touchez « Valider ».")
        }

        PinPad {
            id: pad
            Layout.alignment: Qt.AlignHCenter
            Layout.fillWidth: true
            Layout.maximumWidth: Math.max(screen.a11y.minTarget * 9, implicitWidth)
            a11y: screen.a11y
            speech: screen.speech
            enabled: !screen.mediator.busy
            onValidated: (pin) => screen.validate(pin)
        }

        BodyText {
            id: message
            objectName: "pinMessage"
            Layout.fillWidth: true
            visible: screen.shownMessage !== ""
            a11y: screen.a11y
            speech: screen.speech
            font.bold: true
            color: screen.mediator.busy ? screen.a11y.textColor : screen.a11y.errorColor
            text: screen.mediator.busy ? screen.shownMessage : "⚠ " + screen.shownMessage
        }
    }
}
