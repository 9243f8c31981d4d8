pragma ComponentBehavior: Bound
// "Statistiques" of the mediator mode: sessions and participants today, this week, this month
// or this tour, in two big figures and three bar charts (by public, activity, place) with the
// numbers written beside each bar.  Everything comes ready from StatsModel, which reads the
// journal through MediatorBridge's gate: nothing is shown while the mode is locked.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-stats"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator
    required property StatsModel stats

    signal navigateRequested(string name, var properties)

    readonly property bool showFigures: stats.loaded && !stats.empty

    Component.onCompleted: stats.refresh()

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
            title: qsTr("Statistiques des séances")
            onBackRequested: screen.back()
        }

        Flow {
            objectName: "statsPeriods"
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2

            Repeater {
                model: [
                    { key: "today", text: qsTr("Aujourd'hui") },
                    { key: "week", text: qsTr("Cette semaine") },
                    { key: "month", text: qsTr("Ce mois-ci") },
                    { key: "tour", text: qsTr("Cette tournée") }
                ]
                ToggleChip {
                    required property var modelData
                    objectName: "statsPeriod_" + modelData.key
                    a11y: screen.a11y
                    speech: screen.speech
                    exclusive: true
                    text: modelData.text
                    on: screen.stats.period === modelData.key
                    onChosen: screen.stats.setPeriod(modelData.key)
                }
            }
        }

        BodyText {
            objectName: "statsPeriodTitle"
            Layout.fillWidth: true
            visible: screen.stats.loaded
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("%1 : %2").arg(screen.stats.periodLabel).arg(screen.stats.periodDates)
        }

        BodyText {
            objectName: "statsPeriodNote"
            Layout.fillWidth: true
            visible: text !== ""
            a11y: screen.a11y
            speech: screen.speech
            secondary: true
            text: screen.stats.periodNote
        }

        BodyText {
            objectName: "statsLocked"
            Layout.fillWidth: true
            visible: !screen.stats.loaded && !screen.stats.failed
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Les statistiques se voient seulement en mode médiateur.")
        }

        BodyText {
            objectName: "statsFailed"
            Layout.fillWidth: true
            visible: screen.stats.failed
            a11y: screen.a11y
            speech: screen.speech
            color: screen.a11y.errorColor
            text: qsTr("⚠ Le journal du bus n'a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.")
        }

        BodyText {
            objectName: "statsEmpty"
            Layout.fillWidth: true
            visible: screen.stats.loaded && screen.stats.empty
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Aucune séance sur cette période.")
        }

        Flow {
            objectName: "statsFigures"
            Layout.fillWidth: true
            visible: screen.showFigures
            spacing: screen.a11y.spacing * 3

            Repeater {
                model: [
                    { name: "statsSessions", text: screen.stats.sessionsText },
                    { name: "statsParticipants", text: screen.stats.participantsText }
                ]
                Rectangle {
                    id: figure
                    required property var modelData
                    readonly property int padding: screen.a11y.spacing * 2
                    width: Math.min(figureText.implicitWidth + 2 * padding, parent.width)
                    height: figureText.implicitHeight + 2 * padding
                    radius: 8
                    color: screen.a11y.surface
                    border.width: 2
                    border.color: screen.a11y.textColor

                    BodyText {
                        id: figureText
                        objectName: figure.modelData.name
                        x: figure.padding
                        y: figure.padding
                        width: figure.width - 2 * figure.padding
                        a11y: screen.a11y
                        speech: screen.speech
                        font.pixelSize: screen.a11y.fontHuge
                        font.bold: true
                        text: figure.modelData.text
                    }
                }
            }
        }

        BarChart {
            objectName: "statsByPublic"
            Layout.fillWidth: true
            visible: screen.showFigures
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Par public")
            note: qsTr("Une séance peut compter pour plusieurs publics.")
            rows: screen.stats.byPublic
        }

        BarChart {
            objectName: "statsByActivity"
            Layout.fillWidth: true
            visible: screen.showFigures
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Par activité")
            rows: screen.stats.byActivity
        }

        BarChart {
            objectName: "statsByPlace"
            Layout.fillWidth: true
            visible: screen.showFigures
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Par lieu")
            rows: screen.stats.byPlace
        }
    }
}
