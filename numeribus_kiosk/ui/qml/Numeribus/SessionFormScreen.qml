pragma ComponentBehavior: Bound
// "Noter une séance" / "Modifier la séance" of the mediator mode (navigation name
// "mediateur-seance"; `sessionId` given: the recorded session is edited).  Everything comes
// from SessionForm: the form opens valid but for the activity and the publics; "Répéter la
// dernière séance" or a favourite (top row) fills those in one tap, the number of participants
// (what changes most from one session to the next) comes next, and "Enregistrer" stays on
// screen below the page: a session in three or four touches from the mediator's home, none
// of them a scroll.  Once a new session is saved, a confirmation replaces the form ("Noter
// une autre séance", "Voir les séances", "Terminé"); a saved edit goes back to the list,
// which says "Séance modifiée".  Errors are shown in French under each part's title, and
// the page scrolls to the first one.  The text fields have no length limit of their own: a
// text too long is kept on screen and said ("Ce texte est trop long…"), never cut.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "mediateur-seance"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property MediatorBridge mediator
    required property SessionForm sessionForm
    // The session to edit ("" for a new one).
    property string sessionId: ""

    signal navigateRequested(string name, var properties)

    readonly property SessionForm form: sessionForm
    readonly property bool confirming: form.savedText !== "" && !form.editing
    property Item revealTarget: null

    Component.onCompleted: {
        if (sessionId !== "")
            form.edit(sessionId)
        else
            form.startNew()
    }

    function back() {
        if (screen.StackView.view)
            screen.StackView.view.pop()
    }

    // Leave the form for another mediator screen (the list): the form goes, so that "Retour"
    // there leads to where the form was opened from.
    function leaveFor(name) {
        const view = screen.StackView.view
        const go = screen.navigateRequested
        if (view)
            view.pop()
        go(name, {})
    }

    function sectionFor(key) {
        return {
            "startedAt": whenSection, "place": placeSection, "activity": activitySection,
            "publics": publicsSection, "participants": participantsSection, "byAge": participantsSection,
            "duration": durationSection, "partner": partnerSection, "equipment": equipmentSection,
            "mediator": mediatorSection, "notes": notesField
        }[key] || null
    }

    // The keyboard goes once the form is done with.
    function dropKeyboard() {
        for (const field of [notesField.editor, placeField, partnerField, otherEquipmentField, mediatorField,
                             favouriteName])
            field.focus = false
    }

    function save() {
        if (form.save()) {
            dropKeyboard()
            speech.say(form.savedText)
            if (form.editing)
                back()
        } else if (form.firstError !== "") {
            const section = sectionFor(form.firstError)
            if (section)
                page.ensureVisible(section)
        }
    }

    // A text field got the keyboard: once the page has shrunk above it, show the field.
    function reveal(item) {
        revealTarget = item
        revealTimer.restart()
    }

    Timer {
        id: revealTimer
        interval: 100
        onTriggered: if (screen.revealTarget) page.ensureVisible(screen.revealTarget)
    }

    // The notes' TextArea does not bind: it takes the form's notes when they are replaced.
    Connections {
        target: screen.form
        function onLoaded() {
            if (notesField.text !== screen.form.notes)
                notesField.setText(screen.form.notes)
        }
    }
    Connections {
        target: notesField.editor
        function onTextChanged() { screen.form.setNotes(notesField.text) }
    }

    ColumnLayout {
        objectName: "sessionFormPage"
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        spacing: screen.a11y.spacing
        visible: !screen.confirming

        ScrollPage {
            id: page
            Layout.fillWidth: true
            Layout.fillHeight: true
            a11y: screen.a11y
            speech: screen.speech

            ScreenHeader {
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                showBack: true
                title: screen.form.editing ? qsTr("Modifier la séance") : qsTr("Noter une séance")
                onBackRequested: screen.back()
            }

            BodyText {
                objectName: "sessionFormUnavailable"
                Layout.fillWidth: true
                visible: !screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                color: screen.form.problem !== "" ? screen.a11y.errorColor : screen.a11y.textColor
                text: screen.form.problem !== "" ? screen.form.problem
                                                 : qsTr("Les séances se notent seulement en mode médiateur.")
            }

            // ---------------------------------------------------------- one tap
            SessionSection {
                id: quickSection
                objectName: "sessionQuick"
                Layout.fillWidth: true
                visible: screen.form.ready && !screen.form.editing
                         && (screen.form.canRepeat || screen.form.favourites.length > 0)
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("En un geste")

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2

                    BigButton {
                        objectName: "sessionRepeat"
                        visible: screen.form.canRepeat
                        width: Math.min(implicitWidth, parent.width)
                        a11y: screen.a11y
                        speech: screen.speech
                        text: qsTr("Répéter la dernière séance") + "\n" + screen.form.repeatText
                        accessibleName: qsTr("Répéter la dernière séance") + " : " + screen.form.repeatText
                        description: qsTr("Tout comme la dernière fois, sauf la date, le lieu et les notes")
                        onClicked: screen.form.repeatLast()
                    }

                    Repeater {
                        model: screen.form.favourites
                        ToggleChip {
                            required property var modelData
                            required property int index
                            objectName: "favourite_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            exclusive: true
                            text: "★ " + modelData.label
                            accessibleName: qsTr("Favori %1").arg(modelData.label)
                            description: modelData.text
                            on: screen.form.appliedFavourite === modelData.id
                            onChosen: screen.form.applyFavourite(modelData.id)
                        }
                    }
                }
            }

            // ---------------------------------------------------------- how many
            SessionSection {
                id: participantsSection
                objectName: "sessionParticipants"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Participants")
                error: screen.form.errors.participants || screen.form.errors.byAge || ""

                CountStepper {
                    objectName: "participantsStepper"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    label: qsTr("Participants")
                    showLabel: false
                    valueText: String(screen.form.participants)
                    onDecrement: screen.form.stepParticipants(-1)
                    onIncrement: screen.form.stepParticipants(1)
                }

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.participantPicks
                        ToggleChip {
                            required property int modelData
                            objectName: "participants_" + modelData
                            a11y: screen.a11y
                            speech: screen.speech
                            exclusive: true
                            text: String(modelData)
                            accessibleName: qsTr("%1 participants").arg(modelData)
                            on: screen.form.participants === modelData
                            onChosen: screen.form.setParticipants(modelData)
                        }
                    }
                    ToggleChip {
                        objectName: "byAgeChip"
                        a11y: screen.a11y
                        speech: screen.speech
                        text: qsTr("Par âge")
                        accessibleName: qsTr("Participants par âge")
                        on: screen.form.byAgeOn
                        onChosen: screen.form.setByAge(!screen.form.byAgeOn)
                    }
                }

                ColumnLayout {
                    objectName: "byAgeGroups"
                    Layout.fillWidth: true
                    visible: screen.form.byAgeOn
                    spacing: screen.a11y.spacing

                    Repeater {
                        model: screen.form.ageGroups
                        CountStepper {
                            required property string modelData
                            required property int index
                            objectName: "age_" + index
                            Layout.fillWidth: true
                            a11y: screen.a11y
                            speech: screen.speech
                            label: modelData
                            valueText: String(screen.form.byAge[modelData] || 0)
                            onDecrement: screen.form.stepAge(modelData, -1)
                            onIncrement: screen.form.stepAge(modelData, 1)
                        }
                    }
                    BodyText {
                        objectName: "byAgeTotal"
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        secondary: true
                        text: qsTr("Total par âge : %1 sur %2 participants")
                                .arg(screen.form.byAgeTotal).arg(screen.form.participants)
                    }
                }
            }

            // ---------------------------------------------------------- when
            SessionSection {
                id: whenSection
                objectName: "sessionWhen"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Date et heure")
                error: screen.form.errors.startedAt || ""

                BodyText {
                    objectName: "sessionDateText"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    font.bold: true
                    text: screen.form.dateText
                }

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2

                    Repeater {
                        model: [
                            { name: "timeMinusHour", text: qsTr("−1 h"), spoken: qsTr("1 heure plus tôt"), minutes: -60 },
                            { name: "timeMinus15", text: qsTr("−15 min"), spoken: qsTr("15 minutes plus tôt"), minutes: -15 },
                            { name: "timePlus15", text: qsTr("+15 min"), spoken: qsTr("15 minutes plus tard"), minutes: 15 },
                            { name: "timePlusHour", text: qsTr("+1 h"), spoken: qsTr("1 heure plus tard"), minutes: 60 }
                        ]
                        BigButton {
                            required property var modelData
                            objectName: modelData.name
                            a11y: screen.a11y
                            speech: screen.speech
                            primary: false
                            text: modelData.text
                            accessibleName: modelData.spoken
                            onClicked: screen.form.shiftMinutes(modelData.minutes)
                        }
                    }
                    BigButton {
                        objectName: "timeYesterday"
                        a11y: screen.a11y
                        speech: screen.speech
                        primary: false
                        text: qsTr("Hier")
                        description: qsTr("La même heure, hier")
                        onClicked: screen.form.setYesterday()
                    }
                    BigButton {
                        objectName: "timeNow"
                        a11y: screen.a11y
                        speech: screen.speech
                        primary: false
                        text: qsTr("Maintenant")
                        onClicked: screen.form.setNow()
                    }
                }
            }

            // ---------------------------------------------------------- where
            SessionSection {
                id: placeSection
                objectName: "sessionPlace"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Lieu")
                error: screen.form.errors.place || ""

                Flow {
                    Layout.fillWidth: true
                    visible: screen.form.placeChoices.length > 0
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.placeChoices
                        ToggleChip {
                            required property string modelData
                            required property int index
                            objectName: "place_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            exclusive: true
                            text: modelData
                            on: screen.form.place === modelData
                            onChosen: screen.form.setPlace(modelData)
                        }
                    }
                }

                BigTextField {
                    id: placeField
                    objectName: "sessionPlaceField"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    placeholderText: qsTr("Autre lieu")
                    accessibleName: qsTr("Lieu de la séance")
                    text: screen.form.place
                    onTextChanged: if (text !== screen.form.place) screen.form.setPlace(text)
                    onActiveFocusChanged: if (activeFocus) screen.reveal(placeField)
                }
            }

            // ---------------------------------------------------------- what
            SessionSection {
                id: activitySection
                objectName: "sessionActivity"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Activité")
                error: screen.form.errors.activity || ""

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.activities
                        ToggleChip {
                            required property string modelData
                            required property int index
                            objectName: "activity_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            exclusive: true
                            text: modelData
                            on: screen.form.activity === modelData
                            onChosen: screen.form.setActivity(modelData)
                        }
                    }
                }
            }

            SessionSection {
                id: publicsSection
                objectName: "sessionPublics"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Publics")
                note: qsTr("Plusieurs choix possibles.")
                error: screen.form.errors.publics || ""

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.publicChoices
                        ToggleChip {
                            required property string modelData
                            required property int index
                            objectName: "public_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            text: modelData
                            on: screen.form.publics.indexOf(modelData) >= 0
                            onChosen: screen.form.togglePublic(modelData)
                        }
                    }
                }
            }

            // ---------------------------------------------------------- how long
            SessionSection {
                id: durationSection
                objectName: "sessionDuration"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Durée")
                error: screen.form.errors.duration || ""

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.durations
                        ToggleChip {
                            required property var modelData
                            objectName: "duration_" + modelData.minutes
                            a11y: screen.a11y
                            speech: screen.speech
                            exclusive: true
                            text: modelData.text
                            on: screen.form.durationMin === modelData.minutes
                            onChosen: screen.form.setDuration(modelData.minutes)
                        }
                    }
                }

                CountStepper {
                    objectName: "durationStepper"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    label: qsTr("Durée")
                    showLabel: false
                    valueText: screen.form.durationText
                    decrementText: qsTr("−15 min")
                    incrementText: qsTr("+15 min")
                    decrementName: qsTr("Durée : 15 minutes de moins")
                    incrementName: qsTr("Durée : 15 minutes de plus")
                    onDecrement: screen.form.stepDuration(-15)
                    onIncrement: screen.form.stepDuration(15)
                }
            }

            // ---------------------------------------------------------- with whom
            SessionSection {
                id: partnerSection
                objectName: "sessionPartner"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Structure partenaire")
                note: qsTr("Facultatif. Touchez à nouveau pour enlever.")
                error: screen.form.errors.partner || ""

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.partners
                        ToggleChip {
                            required property string modelData
                            required property int index
                            objectName: "partner_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            text: modelData
                            on: screen.form.partner === modelData
                            onChosen: screen.form.togglePartner(modelData)
                        }
                    }
                }

                BigTextField {
                    id: partnerField
                    objectName: "sessionPartnerField"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    placeholderText: qsTr("Autre structure")
                    accessibleName: qsTr("Structure partenaire")
                    text: screen.form.partner
                    onTextChanged: if (text !== screen.form.partner) screen.form.setPartner(text)
                    onActiveFocusChanged: if (activeFocus) screen.reveal(partnerField)
                }
            }

            // ---------------------------------------------------------- with what
            SessionSection {
                id: equipmentSection
                objectName: "sessionEquipment"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Matériel utilisé")
                error: screen.form.errors.equipment || ""

                Flow {
                    Layout.fillWidth: true
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.equipmentChoices
                        ToggleChip {
                            required property var modelData
                            required property int index
                            objectName: "equipment_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            text: modelData.name
                            on: screen.form.equipmentOn.indexOf(modelData.name) >= 0
                            onChosen: screen.form.toggleEquipment(modelData.name)
                        }
                    }
                }

                Repeater {
                    model: screen.form.equipmentChoices
                    CountStepper {
                        required property var modelData
                        required property int index
                        objectName: "equipmentCount_" + index
                        Layout.fillWidth: true
                        visible: modelData.counted && screen.form.equipmentOn.indexOf(modelData.name) >= 0
                        a11y: screen.a11y
                        speech: screen.speech
                        label: qsTr("Nombre de %1").arg(modelData.name)
                        valueText: String(screen.form.equipmentCounts[modelData.name] || 0)
                        onDecrement: screen.form.stepEquipment(modelData.name, -1)
                        onIncrement: screen.form.stepEquipment(modelData.name, 1)
                    }
                }

                BigTextField {
                    id: otherEquipmentField
                    objectName: "sessionOtherEquipmentField"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    placeholderText: qsTr("Autre matériel (séparez par des virgules)")
                    accessibleName: qsTr("Autre matériel")
                    text: screen.form.otherEquipment
                    onTextChanged: if (text !== screen.form.otherEquipment) screen.form.setOtherEquipment(text)
                    onActiveFocusChanged: if (activeFocus) screen.reveal(otherEquipmentField)
                }
            }

            // ---------------------------------------------------------- who
            SessionSection {
                id: mediatorSection
                objectName: "sessionMediator"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Médiatrice / médiateur")
                error: screen.form.errors.mediator || ""

                Flow {
                    Layout.fillWidth: true
                    visible: screen.form.mediatorChoices.length > 0
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.mediatorChoices
                        ToggleChip {
                            required property string modelData
                            required property int index
                            objectName: "mediatorChip_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            exclusive: true
                            text: modelData
                            on: screen.form.mediatorName === modelData
                            onChosen: screen.form.chooseMediator(modelData)
                        }
                    }
                }

                BigTextField {
                    id: mediatorField
                    objectName: "sessionMediatorField"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    placeholderText: qsTr("Votre nom")
                    accessibleName: qsTr("Nom du médiateur ou de la médiatrice")
                    text: screen.form.mediatorName
                    onTextChanged: if (text !== screen.form.mediatorName) screen.form.setMediatorName(text)
                    onActiveFocusChanged: if (activeFocus) screen.reveal(mediatorField)
                }
            }

            // ---------------------------------------------------------- notes
            FormField {
                id: notesField
                objectName: "sessionNotes"
                Layout.fillWidth: true
                visible: screen.form.ready
                a11y: screen.a11y
                speech: screen.speech
                multiline: true
                label: qsTr("Notes")
                description: qsTr("Ce qui est utile à retenir ; pas de nom ni de coordonnées des participants.")
                onRevealRequested: page.ensureVisible(notesField)
            }

            BodyText {
                objectName: "sessionNotesError"
                Layout.fillWidth: true
                visible: (screen.form.errors.notes || "") !== ""
                a11y: screen.a11y
                speech: screen.speech
                color: screen.a11y.errorColor
                font.bold: true
                text: "⚠ " + (screen.form.errors.notes || "")
            }

            // ---------------------------------------------------------- favourites
            SessionSection {
                id: favouriteSection
                objectName: "sessionFavourites"
                Layout.fillWidth: true
                visible: screen.form.ready && !screen.form.editing
                a11y: screen.a11y
                speech: screen.speech
                title: qsTr("Mes favoris")
                note: qsTr("Un favori garde l'activité, les publics, les participants, la durée, la structure et le matériel, pour les retrouver en un geste.")

                BigTextField {
                    id: favouriteName
                    objectName: "favouriteName"
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    placeholderText: screen.form.favouriteSuggestion !== "" ? screen.form.favouriteSuggestion
                                                                            : qsTr("Nom du favori")
                    accessibleName: qsTr("Nom du favori")
                    maximumLength: 60
                    onActiveFocusChanged: if (activeFocus) screen.reveal(favouriteName)
                }

                BigButton {
                    objectName: "favouriteSave"
                    a11y: screen.a11y
                    speech: screen.speech
                    primary: false
                    text: qsTr("Enregistrer comme favori")
                    onClicked: if (screen.form.saveFavourite(favouriteName.text)) favouriteName.clear()
                }

                BodyText {
                    objectName: "favouriteMessage"
                    Layout.fillWidth: true
                    visible: text !== ""
                    a11y: screen.a11y
                    speech: screen.speech
                    color: text.startsWith("⚠") ? screen.a11y.errorColor : screen.a11y.textColor
                    text: screen.form.favouriteMessage
                }

                Flow {
                    Layout.fillWidth: true
                    visible: screen.form.favourites.length > 0
                    spacing: screen.a11y.spacing * 2
                    Repeater {
                        model: screen.form.favourites
                        BigButton {
                            required property var modelData
                            required property int index
                            objectName: "favouriteDelete_" + index
                            width: Math.min(implicitWidth, parent.width)
                            a11y: screen.a11y
                            speech: screen.speech
                            primary: false
                            text: "✖ " + modelData.label
                            accessibleName: qsTr("Supprimer le favori %1").arg(modelData.label)
                            onClicked: {
                                // After this handler: the list (and this button) is rebuilt.
                                const id = modelData.id
                                Qt.callLater(() => screen.form.deleteFavourite(id))
                            }
                        }
                    }
                }
            }
        }

        // Always on screen, above the keyboard: the save button and what stops it.
        RowLayout {
            objectName: "sessionSaveBar"
            Layout.fillWidth: true
            visible: screen.form.ready
            spacing: screen.a11y.spacing * 2

            BodyText {
                id: problemText
                objectName: "sessionProblem"
                Layout.fillWidth: true
                visible: text !== ""
                a11y: screen.a11y
                speech: screen.speech
                color: screen.a11y.errorColor
                font.bold: true
                text: screen.form.problem
            }
            Item {
                Layout.fillWidth: true
                visible: !problemText.visible
            }
            BigButton {
                objectName: "sessionCancel"
                visible: screen.form.editing
                a11y: screen.a11y
                speech: screen.speech
                primary: false
                text: qsTr("Annuler")
                description: qsTr("Revenir à la liste sans rien changer")
                onClicked: screen.back()
            }
            BigButton {
                objectName: "sessionSave"
                a11y: screen.a11y
                speech: screen.speech
                text: screen.form.editing ? qsTr("Enregistrer les changements") : qsTr("Enregistrer")
                onClicked: screen.save()
            }
        }
    }

    // ------------------------------------------------------------------ saved
    ScrollPage {
        objectName: "sessionSavedPage"
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        visible: screen.confirming
        a11y: screen.a11y
        speech: screen.speech

        BodyText {
            objectName: "sessionSaved"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            font.pixelSize: screen.a11y.fontHuge
            text: "✔ " + screen.form.savedText
        }
        BodyText {
            objectName: "sessionSavedSummary"
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            text: screen.form.savedSummary
        }
        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2
            BigButton {
                objectName: "sessionAnother"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Noter une autre séance")
                onClicked: screen.form.startNew()
            }
            BigButton {
                objectName: "sessionToList"
                a11y: screen.a11y
                speech: screen.speech
                primary: false
                text: qsTr("Voir les séances")
                onClicked: screen.leaveFor("mediateur-seances")
            }
            BigButton {
                objectName: "sessionDone"
                a11y: screen.a11y
                speech: screen.speech
                primary: false
                text: qsTr("Terminé")
                onClicked: screen.back()
            }
        }
    }
}
