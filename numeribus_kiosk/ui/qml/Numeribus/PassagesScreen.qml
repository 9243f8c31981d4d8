pragma ComponentBehavior: Bound
// "Prochains passages du numéribus" ([branding] name of config.toml): where and when the bus
// stops, grouped by commune.
// A chip per commune filters the list (PassagesModel.setCommune); every entry is read aloud
// when touched.  Dates and texts come ready from PassagesModel.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "passages"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property PassagesModel passages

    signal navigateRequested(string name, var properties)

    Component.onCompleted: passages.reload()

    ScrollPage {
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        a11y: screen.a11y
        speech: screen.speech

        ScreenHeader {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Prochains passages %1").arg(screen.branding.ofName)
        }

        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            visible: screen.passages.communes.length > 1
            text: qsTr("Choisissez votre commune, ou regardez toutes les communes.")
        }

        Flow {
            objectName: "communeChips"
            Layout.fillWidth: true
            visible: screen.passages.communes.length > 1
            spacing: screen.a11y.spacing * 2

            ToggleChip {
                objectName: "communeAll"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Toutes les communes")
                on: screen.passages.commune === ""
                onChosen: screen.passages.setCommune("")
            }
            Repeater {
                model: screen.passages.communes
                ToggleChip {
                    required property string modelData
                    required property int index
                    objectName: "commune_" + index
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: modelData
                    description: qsTr("Voir seulement les passages à %1").arg(modelData)
                    on: screen.passages.commune === modelData
                    onChosen: screen.passages.setCommune(modelData)
                }
            }
        }

        BodyText {
            objectName: "passagesEmpty"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            visible: screen.passages.count === 0
            text: qsTr("Aucun passage %1 n'est prévu pour le moment. Demandez à l'équipe du bus.").arg(screen.branding.ofName)
        }

        Repeater {
            objectName: "passagesList"
            model: screen.passages

            ColumnLayout {
                id: entry
                required property int index
                required property string commune
                required property bool firstOfGroup
                required property string dayHint
                required property string dateText
                required property string hoursText
                required property string place
                required property string address
                required property string notes
                required property string audience
                required property string spokenText

                Layout.fillWidth: true
                spacing: screen.a11y.spacing

                BodyText {
                    Layout.fillWidth: true
                    Layout.topMargin: entry.index > 0 ? screen.a11y.spacing * 2 : 0
                    visible: entry.firstOfGroup
                    a11y: screen.a11y
                    speech: screen.speech
                    heading: true
                    text: entry.commune
                }

                InfoCard {
                    objectName: "passage_" + entry.index
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    spokenText: entry.spokenText

                    CardText {
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        big: true
                        text: entry.dayHint ? entry.dayHint + ", " + entry.dateText : entry.dateText
                    }
                    CardText {
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        strong: true
                        text: entry.hoursText
                    }
                    CardText {
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        visible: text !== ""
                        text: [entry.place, entry.address].filter(x => x !== "").join(", ")
                    }
                    CardText {
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        text: qsTr("Pour qui : %1").arg(entry.audience)
                    }
                    CardText {
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        visible: entry.notes !== ""
                        secondary: true
                        text: entry.notes
                    }
                }
            }
        }
    }
}
