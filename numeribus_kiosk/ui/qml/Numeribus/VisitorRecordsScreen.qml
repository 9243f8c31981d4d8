pragma ComponentBehavior: Bound
// "Demandes et avis des visiteurs" of the mediator mode: the document requests (with a
// "Marquer comme traitée" button), the opinions and the volunteer offers the visitor screens
// recorded, one section at a time (three exclusive chips).  Everything comes ready from
// VisitorRecordsModel, which reads the journal through MediatorBridge's gate: nothing is shown
// while the mode is locked.  The visitors' names and contacts appear only here, never in what a
// card reads aloud or in its accessible name.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-visiteurs"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator
    required property VisitorRecordsModel visitorRecords

    signal navigateRequested(string name, var properties)

    readonly property bool showRecords: visitorRecords.loaded
    readonly property string section: visitorRecords.section

    Component.onCompleted: visitorRecords.refresh()

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
            title: qsTr("Demandes et avis des visiteurs")
            onBackRequested: screen.back()
        }

        Flow {
            objectName: "recordsSections"
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2

            Repeater {
                model: [
                    { key: "requests", text: qsTr("Demandes de documents") },
                    { key: "feedback", text: qsTr("Avis") },
                    { key: "volunteers", text: qsTr("Propositions de savoirs") }
                ]
                ToggleChip {
                    required property var modelData
                    objectName: "recordsSection_" + modelData.key
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: modelData.text
                    on: screen.section === modelData.key
                    onChosen: screen.visitorRecords.setSection(modelData.key)
                }
            }
        }

        BodyText {
            objectName: "recordsLocked"
            Layout.fillWidth: true
            visible: !screen.visitorRecords.loaded && !screen.visitorRecords.failed
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Les demandes des visiteurs se voient seulement en mode médiateur.")
        }

        BodyText {
            objectName: "recordsFailed"
            Layout.fillWidth: true
            visible: screen.visitorRecords.failed
            a11y: screen.a11y
            speech: screen.speech
            color: screen.a11y.errorColor
            text: qsTr("⚠ Le journal du bus n'a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.")
        }

        BodyText {
            objectName: "recordsMessage"
            Layout.fillWidth: true
            visible: text !== ""
            a11y: screen.a11y
            speech: screen.speech
            color: screen.visitorRecords.messageOk ? screen.a11y.textColor : screen.a11y.errorColor
            text: screen.visitorRecords.message === "" ? ""
                  : (screen.visitorRecords.messageOk ? "✔ " : "⚠ ") + screen.visitorRecords.message
        }

        // ---------------------------------------------------------------- document requests
        BodyText {
            objectName: "requestsSummary"
            Layout.fillWidth: true
            visible: screen.showRecords && screen.section === "requests"
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: screen.visitorRecords.requestsSummary
        }

        BodyText {
            objectName: "requestsNote"
            Layout.fillWidth: true
            visible: screen.showRecords && screen.section === "requests" && screen.visitorRecords.requests.length > 0
            a11y: screen.a11y
            speech: screen.speech
            secondary: true
            text: qsTr("Les noms et contacts sont pour la médiathèque seulement ; ils sont effacés du bus dès que le siège les a reçus.")
        }

        Repeater {
            model: screen.showRecords && screen.section === "requests" ? screen.visitorRecords.requests : []

            InfoCard {
                id: requestCard
                required property var modelData
                required property int index
                objectName: "request_" + index
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                spokenText: modelData.spoken

                CardText {
                    objectName: requestCard.objectName + "Title"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    big: true
                    text: requestCard.modelData.title
                }
                CardText {
                    objectName: requestCard.objectName + "Status"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    strong: !requestCard.modelData.handled
                    text: (requestCard.modelData.handled ? "✔ " : "") + requestCard.modelData.statusText
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    text: requestCard.modelData.stopText
                }
                CardText {
                    objectName: requestCard.objectName + "Name"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    text: requestCard.modelData.nameText
                }
                CardText {
                    objectName: requestCard.objectName + "Contact"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    text: requestCard.modelData.contactText
                }
                CardText {
                    objectName: requestCard.objectName + "Deleted"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    secondary: true
                    text: requestCard.modelData.personalText
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    secondary: true
                    text: requestCard.modelData.dateText
                }
                BigButton {
                    objectName: requestCard.objectName + "Handle"
                    visible: !requestCard.modelData.handled
                    Layout.maximumWidth: parent.width
                    a11y: screen.a11y
                    speech: screen.speech
                    text: qsTr("Marquer comme traitée")
                    accessibleName: qsTr("Marquer comme traitée : %1").arg(requestCard.modelData.title)
                    onClicked: screen.visitorRecords.markHandled(requestCard.modelData.id)
                }
            }
        }

        // ---------------------------------------------------------------- opinions
        BodyText {
            objectName: "feedbackSummary"
            Layout.fillWidth: true
            visible: screen.showRecords && screen.section === "feedback"
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: screen.visitorRecords.feedbackSummary
        }

        Repeater {
            model: screen.showRecords && screen.section === "feedback" ? screen.visitorRecords.feedback : []

            InfoCard {
                id: feedbackCard
                required property var modelData
                required property int index
                objectName: "feedback_" + index
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                spokenText: modelData.spoken

                CardText {
                    objectName: feedbackCard.objectName + "Score"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    big: true
                    text: feedbackCard.modelData.scoreText
                }
                CardText {
                    objectName: feedbackCard.objectName + "Text"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    text: feedbackCard.modelData.text
                }
                CardText {
                    objectName: feedbackCard.objectName + "Wishes"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    text: feedbackCard.modelData.wishesText
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    secondary: true
                    text: feedbackCard.modelData.dateText
                }
            }
        }

        // ---------------------------------------------------------------- volunteer offers
        BodyText {
            objectName: "volunteersSummary"
            Layout.fillWidth: true
            visible: screen.showRecords && screen.section === "volunteers"
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: screen.visitorRecords.volunteersSummary
        }

        Repeater {
            model: screen.showRecords && screen.section === "volunteers" ? screen.visitorRecords.volunteers : []

            InfoCard {
                id: volunteerCard
                required property var modelData
                required property int index
                objectName: "volunteer_" + index
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                spokenText: modelData.spoken

                CardText {
                    objectName: volunteerCard.objectName + "Topic"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    strong: true
                    text: volunteerCard.modelData.topic
                }
                CardText {
                    objectName: volunteerCard.objectName + "Name"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    text: volunteerCard.modelData.nameText
                }
                CardText {
                    objectName: volunteerCard.objectName + "Contact"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    text: volunteerCard.modelData.contactText
                }
                CardText {
                    objectName: volunteerCard.objectName + "Deleted"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    secondary: true
                    text: volunteerCard.modelData.personalText
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    secondary: true
                    text: volunteerCard.modelData.dateText
                }
            }
        }
    }
}
