pragma ComponentBehavior: Bound
// "Exporter les séances" of the mediator mode: a month (this month by default, last month, or
// step by step), a format (ODS by default, CSV), a USB stick among those plugged in, then
// "Exporter sur la clé".  ExportBridge holds the choices, finds the sticks, reads the sessions
// through MediatorBridge's gate and writes the file on a worker thread; this file only lays out.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-export"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator
    required property ExportBridge exporter

    signal navigateRequested(string name, var properties)

    Component.onCompleted: exporter.refresh()

    function back() {
        if (screen.StackView.view)
            screen.StackView.view.pop()
    }

    Connections {
        target: screen.exporter
        function onExported(ok, text) {
            page.ensureVisible(resultLabel)
            screen.speech.say(resultLabel.text)
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
            title: qsTr("Exporter les séances sur une clé USB")
            onBackRequested: screen.back()
        }

        BodyText {
            objectName: "exportLocked"
            Layout.fillWidth: true
            visible: !screen.exporter.loaded
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("L'export des séances se fait seulement en mode médiateur.")
        }

        ColumnLayout {
            objectName: "exportForm"
            Layout.fillWidth: true
            visible: screen.exporter.loaded
            spacing: screen.a11y.spacing * 2

            // ------------------------------------------------------------ the month
            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                heading: true
                text: qsTr("Quel mois ?")
            }

            Flow {
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2

                ToggleChip {
                    objectName: "exportThisMonth"
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: qsTr("Ce mois-ci")
                    on: screen.exporter.isThisMonth
                    onChosen: screen.exporter.setThisMonth()
                }
                ToggleChip {
                    objectName: "exportLastMonth"
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: qsTr("Le mois dernier")
                    on: screen.exporter.isLastMonth
                    onChosen: screen.exporter.setLastMonth()
                }
            }

            Flow {
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2

                BigButton {
                    objectName: "exportPreviousMonth"
                    a11y: screen.a11y
                    speech: screen.speech
                    primary: false
                    text: qsTr("◀ Mois précédent")
                    accessibleName: qsTr("Mois précédent")
                    onClicked: screen.exporter.stepMonth(-1)
                }
                BodyText {
                    objectName: "exportMonth"
                    height: Math.max(implicitHeight, screen.a11y.minTarget)
                    width: Math.min(implicitWidth, parent.width)
                    verticalAlignment: Text.AlignVCenter
                    a11y: screen.a11y
                    speech: screen.speech
                    font.bold: true
                    text: screen.exporter.monthText
                }
                BigButton {
                    objectName: "exportNextMonth"
                    visible: screen.exporter.canGoNext
                    a11y: screen.a11y
                    speech: screen.speech
                    primary: false
                    text: qsTr("Mois suivant ▶")
                    accessibleName: qsTr("Mois suivant")
                    onClicked: screen.exporter.stepMonth(1)
                }
            }

            BodyText {
                objectName: "exportSessions"
                Layout.fillWidth: true
                visible: text !== ""
                a11y: screen.a11y
                speech: screen.speech
                text: screen.exporter.sessionsText
            }

            // ------------------------------------------------------------ the format
            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                heading: true
                text: qsTr("Quel format ?")
            }

            Flow {
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2

                Repeater {
                    model: [
                        { key: "ods", text: qsTr("ODS (LibreOffice)") },
                        { key: "csv", text: qsTr("CSV (tableur, texte)") }
                    ]
                    ToggleChip {
                        required property var modelData
                        objectName: "exportFormat_" + modelData.key
                        a11y: screen.a11y
                        speech: screen.speech
                        exclusive: true
                        text: modelData.text
                        on: screen.exporter.format === modelData.key
                        onChosen: screen.exporter.setFormat(modelData.key)
                    }
                }
            }

            // ------------------------------------------------------------ the stick
            BodyText {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                heading: true
                text: qsTr("Sur quelle clé ?")
            }

            Flow {
                objectName: "exportSticks"
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2

                Repeater {
                    model: screen.exporter.sticks
                    ToggleChip {
                        required property var modelData
                        objectName: "exportStick_" + modelData.index
                        width: Math.min(implicitWidth, parent.width)
                        visible: !modelData.readOnly
                        a11y: screen.a11y
                        speech: screen.speech
                        exclusive: true
                        text: modelData.text
                        on: screen.exporter.chosenStick === modelData.index
                        onChosen: screen.exporter.chooseStick(modelData.index)
                    }
                }
            }

            Repeater {
                model: screen.exporter.sticks
                BodyText {
                    required property var modelData
                    objectName: "exportReadOnly_" + modelData.index
                    Layout.fillWidth: true
                    visible: modelData.readOnly
                    a11y: screen.a11y
                    speech: screen.speech
                    secondary: true
                    text: modelData.text
                }
            }

            BodyText {
                objectName: "exportStickMessage"
                Layout.fillWidth: true
                visible: text !== ""
                a11y: screen.a11y
                speech: screen.speech
                color: screen.a11y.errorColor
                text: screen.exporter.stickMessage === "" ? "" : "⚠ " + screen.exporter.stickMessage
            }

            Flow {
                Layout.fillWidth: true
                spacing: screen.a11y.spacing * 2

                BigButton {
                    objectName: "exportRescan"
                    a11y: screen.a11y
                    speech: screen.speech
                    primary: false
                    text: qsTr("Rechercher à nouveau")
                    description: qsTr("Chercher les clés USB branchées")
                    enabled: !screen.exporter.busy
                    onClicked: screen.exporter.rescan()
                }
                BigButton {
                    objectName: "exportWrite"
                    a11y: screen.a11y
                    speech: screen.speech
                    text: qsTr("Exporter sur la clé")
                    enabled: screen.exporter.canExport && !screen.exporter.busy
                    onClicked: screen.exporter.exportNow()
                }
            }

            BodyText {
                objectName: "exportBusy"
                Layout.fillWidth: true
                visible: screen.exporter.busy
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Écriture sur la clé… Ne la retirez pas.")
            }

            BodyText {
                id: resultLabel
                objectName: "exportResult"
                Layout.fillWidth: true
                visible: screen.exporter.result !== ""
                a11y: screen.a11y
                speech: screen.speech
                color: screen.exporter.resultOk ? screen.a11y.textColor : screen.a11y.errorColor
                text: screen.exporter.result === "" ? ""
                      : (screen.exporter.resultOk ? "✔ " : "⚠ ") + screen.exporter.result
            }
        }
    }
}
