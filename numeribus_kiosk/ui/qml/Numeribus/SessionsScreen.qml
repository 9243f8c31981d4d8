pragma ComponentBehavior: Bound
// "Séances notées" of the mediator mode (navigation name "mediateur-seances"): the
// sessions recorded on the bus, newest first, from SessionsModel.  Each card says when,
// where, what, how many, and in words whether headquarters has it ("✔ Envoyée au siège") or
// not yet ("◷ En attente d'envoi").  "Modifier" opens the form on it; "Supprimer" asks first,
// then leaves a tombstone (the deletion travels to headquarters like any change).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-seances"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator
    required property SessionsModel sessions

    signal navigateRequested(string name, var properties)

    // The card asking "Supprimer cette séance ?" (its session id), "" when none.
    property string confirmingId: ""

    // The message says what was just done ("✔ Séance modifiée"), until the list is left.
    Component.onCompleted: sessions.reload()
    // Back from the form: the list shows the change.
    StackView.onActivating: sessions.reload()
    StackView.onDeactivating: sessions.clearMessage()

    function back() {
        if (screen.StackView.view)
            screen.StackView.view.pop()
    }

    ScrollPage {
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        a11y: screen.a11y
        speech: screen.speech

        ScreenHeader {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            showBack: true
            title: qsTr("Séances notées")
            onBackRequested: screen.back()
        }

        BigButton {
            objectName: "sessionsNew"
            visible: screen.sessions.loaded
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Noter une séance")
            onClicked: screen.navigateRequested("mediateur-seance", {})
        }

        BodyText {
            objectName: "sessionsMessage"
            Layout.fillWidth: true
            visible: text !== ""
            a11y: screen.a11y
            speech: screen.speech
            font.bold: true
            color: text.startsWith("⚠") ? screen.a11y.errorColor : screen.a11y.textColor
            text: screen.sessions.message
        }

        BodyText {
            objectName: "sessionsLocked"
            Layout.fillWidth: true
            visible: !screen.sessions.loaded && !screen.sessions.failed
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Les séances se voient seulement en mode médiateur.")
        }

        BodyText {
            objectName: "sessionsFailed"
            Layout.fillWidth: true
            visible: screen.sessions.failed
            a11y: screen.a11y
            speech: screen.speech
            color: screen.a11y.errorColor
            text: qsTr("⚠ Le journal du bus n'a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.")
        }

        BodyText {
            objectName: "sessionsEmpty"
            Layout.fillWidth: true
            visible: screen.sessions.empty
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Aucune séance enregistrée pour l'instant.")
        }

        Repeater {
            model: screen.sessions

            Rectangle {
                id: card
                required property int index
                required property string sessionId
                required property string dateText
                required property string durationText
                required property string placeText
                required property string activity
                required property string publicsText
                required property string participantsText
                required property string mediatorName
                required property bool sent
                required property string sentText
                readonly property bool confirming: screen.confirmingId === sessionId
                readonly property int padding: screen.a11y.spacing * 2

                objectName: "sessionRow_" + index
                Layout.fillWidth: true
                implicitHeight: content.implicitHeight + 2 * padding
                radius: 8
                color: screen.a11y.surface
                border.width: card.confirming ? 6 : 2
                border.color: card.confirming ? screen.a11y.focusRing : screen.a11y.textColor

                ColumnLayout {
                    id: content
                    x: card.padding
                    y: card.padding
                    width: card.width - 2 * card.padding
                    spacing: screen.a11y.spacing

                    BodyText {
                        objectName: "sessionDate_" + card.index
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        font.bold: true
                        text: card.dateText + " · " + card.durationText
                    }
                    BodyText {
                        objectName: "sessionPlace_" + card.index
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        text: card.placeText
                    }
                    BodyText {
                        objectName: "sessionWhat_" + card.index
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        text: card.activity + " · " + card.publicsText + " · " + card.participantsText
                    }
                    BodyText {
                        objectName: "sessionBy_" + card.index
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        secondary: true
                        text: qsTr("Par %1").arg(card.mediatorName)
                    }
                    BodyText {
                        objectName: "sessionSent_" + card.index
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        font.bold: card.sent
                        text: card.sentText
                    }

                    Flow {
                        Layout.fillWidth: true
                        visible: !card.confirming
                        spacing: screen.a11y.spacing * 2
                        BigButton {
                            objectName: "sessionEdit_" + card.index
                            a11y: screen.a11y
                            speech: screen.speech
                            primary: false
                            text: qsTr("Modifier")
                            accessibleName: qsTr("Modifier la séance du %1").arg(card.dateText)
                            onClicked: {
                                screen.confirmingId = ""
                                screen.navigateRequested("mediateur-seance", { sessionId: card.sessionId })
                            }
                        }
                        BigButton {
                            objectName: "sessionDelete_" + card.index
                            a11y: screen.a11y
                            speech: screen.speech
                            primary: false
                            text: qsTr("Supprimer")
                            accessibleName: qsTr("Supprimer la séance du %1").arg(card.dateText)
                            onClicked: screen.confirmingId = card.sessionId
                        }
                    }

                    BodyText {
                        objectName: "sessionConfirm_" + card.index
                        Layout.fillWidth: true
                        visible: card.confirming
                        a11y: screen.a11y
                        speech: screen.speech
                        font.bold: true
                        text: qsTr("Supprimer cette séance ? Elle disparaît de la liste et des statistiques ; sa suppression sera envoyée au siège.")
                    }
                    Flow {
                        Layout.fillWidth: true
                        visible: card.confirming
                        spacing: screen.a11y.spacing * 2
                        BigButton {
                            objectName: "sessionDeleteYes_" + card.index
                            a11y: screen.a11y
                            speech: screen.speech
                            text: qsTr("Oui, supprimer")
                            onClicked: {
                                // After this handler: the list (and this card) is rebuilt.
                                const id = card.sessionId
                                screen.confirmingId = ""
                                Qt.callLater(() => screen.sessions.remove(id))
                            }
                        }
                        BigButton {
                            objectName: "sessionDeleteNo_" + card.index
                            a11y: screen.a11y
                            speech: screen.speech
                            primary: false
                            text: qsTr("Non, garder")
                            onClicked: screen.confirmingId = ""
                        }
                    }
                }
            }
        }

        BigButton {
            objectName: "sessionsMore"
            visible: screen.sessions.hasMore
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Afficher plus de séances")
            onClicked: screen.sessions.showMore()
        }
    }
}
