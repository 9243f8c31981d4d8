pragma ComponentBehavior: Bound
// "Ateliers": the workshop agenda in date order, filtered by kind with big chips.
// Each workshop shows its kind as a shape and a name (never colour alone), the title, the
// date and hours, the place, the public, the seats and "Sur inscription".  Texts come ready
// from AteliersModel; touching a workshop reads it aloud.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "ateliers"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property AteliersModel ateliers

    signal navigateRequested(string name, var properties)

    Component.onCompleted: ateliers.reload()

    ScrollPage {
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        a11y: screen.a11y
        speech: screen.speech

        ScreenHeader {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Les prochains ateliers")
        }

        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Choisissez un type d'atelier, ou regardez-les tous.")
        }

        Flow {
            objectName: "kindChips"
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2

            ToggleChip {
                objectName: "kindAll"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Tous les ateliers")
                on: screen.ateliers.kind === ""
                onChosen: screen.ateliers.setKind("")
            }
            Repeater {
                model: screen.ateliers.kinds
                ToggleChip {
                    required property var modelData
                    objectName: "kind_" + modelData.kind
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: modelData.label
                    on: screen.ateliers.kind === modelData.kind
                    onChosen: screen.ateliers.setKind(modelData.kind)
                }
            }
        }

        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            secondary: true
            text: qsTr("Pour vous inscrire, adressez-vous à l'équipe %1 ou à votre médiathèque.").arg(screen.branding.ofName)
        }

        BodyText {
            objectName: "ateliersEmpty"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            visible: screen.ateliers.count === 0
            text: screen.ateliers.kind === ""
                  ? qsTr("Aucun atelier n'est prévu pour le moment.")
                  : qsTr("Aucun atelier de ce type n'est prévu pour le moment. Choisissez « Tous les ateliers ».")
        }

        Repeater {
            objectName: "ateliersList"
            model: screen.ateliers

            InfoCard {
                id: entry
                required property int index
                required property string title
                required property string kindLabel
                required property string kindMarker
                required property string dayHint
                required property string dateText
                required property string hoursText
                required property string commune
                required property string place
                required property string audience
                required property string seatsText
                required property string registrationText
                required property string description
                required spokenText

                objectName: "atelier_" + index
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech

                RowLayout {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing
                    KindMarker {
                        Layout.alignment: Qt.AlignTop
                        a11y: screen.a11y
                        shape: entry.kindMarker
                    }
                    CardText {
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        strong: true
                        text: entry.kindLabel
                    }
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    big: true
                    text: entry.title
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    strong: true
                    text: (entry.dayHint ? entry.dayHint + ", " + entry.dateText : entry.dateText)
                          + ", " + entry.hoursText
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    text: [entry.commune, entry.place].filter(x => x !== "").join(", ")
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    text: qsTr("Pour qui : %1").arg(entry.audience)
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    strong: true
                    text: [entry.registrationText, entry.seatsText].filter(x => x !== "").join(", ")
                }
                CardText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    visible: entry.description !== ""
                    secondary: true
                    text: entry.description
                }
            }
        }
    }
}
