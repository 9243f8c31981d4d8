pragma ComponentBehavior: Bound
// "Chercher un document": a big search field (on-screen keyboard), facet chips, result cards.
// The search itself (debounce, worker thread, facets, usage counting) is SearchModel's job;
// this screen only lays it out.  A card opens the notice: navigateRequested("notice", {recordId}).
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "recherche"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property SearchModel search

    signal navigateRequested(string name, var properties)

    // While the visitor types, the keyboard takes the bottom of the window: the title and the
    // filters step aside so that the first results stay visible above the keyboard.
    readonly property bool typing: searchField.activeFocus


    Component.onCompleted: {
        searchField.text = screen.search.query
        // Shows the facets and the first documents at once (and again when coming back).
        screen.search.refresh()
    }

    Connections {
        target: screen.search
        // "Effacer" or the idle reset emptied the query: the field follows.
        function onQueryChanged() {
            if (searchField.text !== screen.search.query)
                searchField.text = screen.search.query
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        anchors.bottomMargin: screen.a11y.spacing * 2
        spacing: screen.a11y.spacing * 2

        ScreenHeader {
            Layout.fillWidth: true
            visible: !screen.typing
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Chercher un document")
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2

            BigTextField {
                id: searchField
                objectName: "searchField"
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                accessibleName: qsTr("Recherche")
                placeholderText: qsTr("Titre, auteur, sujet…")
                inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
                onTextEdited: screen.search.query = text
                // "Entrée" on the keyboard: hide it, the results take the whole screen.
                onAccepted: {
                    focus = false  // the keyboard hides with the focus
                }
            }
            BigButton {
                objectName: "clearButton"
                a11y: screen.a11y
                speech: screen.speech
                primary: false
                text: qsTr("Effacer")
                description: qsTr("Effacer la recherche et les filtres")
                enabled: screen.search.query !== "" || screen.search.hasFilters
                onClicked: screen.search.clear()
            }
        }

        ScrollPage {
            id: page
            Layout.fillWidth: true
            Layout.fillHeight: true
            a11y: screen.a11y
            speech: screen.speech

            Flow {
                objectName: "facetChips"
                Layout.fillWidth: true
                visible: !screen.typing
                spacing: screen.a11y.spacing * 2

                Repeater {
                    model: screen.search.flagChips
                    delegate: ToggleChip {
                        required property var modelData
                        objectName: "flag_" + modelData.key
                        a11y: screen.a11y
                        speech: screen.speech
                        text: modelData.text
                        accessibleName: modelData.label
                        description: qsTr("Filtre")
                        on: modelData.on
                        onChosen: screen.search.toggleFlag(modelData.key)
                    }
                }
                Repeater {
                    model: screen.search.typeChips
                    delegate: ToggleChip {
                        required property var modelData
                        objectName: "type_" + modelData.key
                        a11y: screen.a11y
                        speech: screen.speech
                        text: modelData.text
                        accessibleName: modelData.label
                        description: qsTr("Type de document")
                        on: modelData.on
                        onChosen: screen.search.toggleType(modelData.key)
                    }
                }
                Repeater {
                    model: screen.search.audienceChips
                    delegate: ToggleChip {
                        required property var modelData
                        objectName: "audience_" + modelData.key
                        a11y: screen.a11y
                        speech: screen.speech
                        text: modelData.text
                        accessibleName: modelData.label
                        description: qsTr("Public")
                        on: modelData.on
                        onChosen: screen.search.toggleAudience(modelData.key)
                    }
                }
            }

            BodyText {
                objectName: "correctedText"
                Layout.fillWidth: true
                visible: screen.search.correctedLabel !== ""
                a11y: screen.a11y
                speech: screen.speech
                heading: true
                text: screen.search.correctedLabel
            }

            BodyText {
                objectName: "resultCount"
                Layout.fillWidth: true
                visible: screen.search.searched && screen.search.hasResults
                a11y: screen.a11y
                speech: screen.speech
                text: screen.search.countText
            }

            BodyText {
                objectName: "searchFailed"
                Layout.fillWidth: true
                visible: screen.search.failed
                a11y: screen.a11y
                speech: screen.speech
                color: screen.a11y.errorColor
                text: qsTr("La recherche n'a pas pu se faire. Demandez de l'aide à un médiateur du bus.")
            }

            ColumnLayout {
                objectName: "emptyState"
                Layout.fillWidth: true
                visible: screen.search.searched && !screen.search.hasResults && !screen.search.failed
                spacing: screen.a11y.spacing
                BodyText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    heading: true
                    text: qsTr("Aucun résultat")
                }
                BodyText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    text: qsTr("Vérifiez l'orthographe, essayez un seul mot (un titre ou un nom d'auteur) ou enlevez des filtres. Un médiateur du bus peut aussi vous aider.")
                }
            }

            Repeater {
                objectName: "results"
                model: screen.search
                delegate: ResultCard {
                    id: resultCard
                    required property int index
                    objectName: "resultCard_" + index
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    onClicked: {
                        screen.search.commit()
                        screen.navigateRequested("notice", { recordId: resultCard.recordId })
                    }
                }
            }
        }
    }
}
