pragma ComponentBehavior: Bound
// "Notice": one document in full (NoticeBridge), read aloud on demand, with the request form
// ("Je voudrais ce document", DemandeForm).  Opened with navigate("notice", { recordId: id }).
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "notice"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property NoticeBridge notice
    required property JournalBridge journal
    property string recordId: ""
    // The request form is open.
    property bool requesting: false

    signal navigateRequested(string name, var properties)


    Component.onCompleted: screen.notice.load(screen.recordId)

    function back() {
        if (screen.StackView.view)
            screen.StackView.view.pop()
    }

    ScrollPage {
        id: page
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        anchors.bottomMargin: screen.a11y.spacing * 2
        a11y: screen.a11y
        speech: screen.speech

        ScreenHeader {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            showBack: true
            title: qsTr("Notice du document")
            onBackRequested: screen.back()
        }

        BodyText {
            objectName: "noticeMissing"
            Layout.fillWidth: true
            visible: !screen.notice.loaded
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Ce document n'est plus dans le catalogue du bus.")
        }

        RowLayout {
            Layout.fillWidth: true
            visible: screen.notice.loaded
            spacing: screen.a11y.spacing * 3

            Cover {
                Layout.alignment: Qt.AlignTop
                a11y: screen.a11y
                colour: screen.notice.coverColour
                initials: screen.notice.coverInitials
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: screen.a11y.spacing

                // Rich text: syllables coloured in DYS mode (NoticeBridge.titleSyllables).
                Text {
                    objectName: "noticeTitle"
                    Layout.fillWidth: true
                    Accessible.name: screen.notice.title
                    Accessible.role: Accessible.Heading
                    textFormat: Text.StyledText
                    text: screen.notice.titleSyllables
                    color: screen.a11y.textColor
                    font.family: screen.a11y.fontFamily
                    font.pixelSize: screen.a11y.fontTitle
                    font.bold: true
                    font.letterSpacing: screen.a11y.letterSpacingPx
                    font.wordSpacing: screen.a11y.wordSpacingPx
                    wrapMode: Text.WordWrap
                    lineHeight: screen.a11y.lineHeight
                    lineHeightMode: Text.ProportionalHeight
                    TapHandler {
                        onTapped: screen.speech.speakElement(screen.notice.title, "heading", "")
                    }
                }
                BodyText {
                    Layout.fillWidth: true
                    visible: screen.notice.subtitle !== ""
                    a11y: screen.a11y
                    speech: screen.speech
                    text: screen.notice.subtitle
                }
                Repeater {
                    model: screen.notice.authors
                    delegate: BodyText {
                        required property string modelData
                        Layout.fillWidth: true
                        a11y: screen.a11y
                        speech: screen.speech
                        text: modelData
                    }
                }
                BodyText {
                    Layout.fillWidth: true
                    a11y: screen.a11y
                    speech: screen.speech
                    secondary: true
                    text: [screen.notice.publisher, screen.notice.year, screen.notice.typeLabel,
                           screen.notice.audienceLabel].filter(part => part !== "").join(" · ")
                }
            }
        }

        BodyText {
            objectName: "availability"
            Layout.fillWidth: true
            visible: screen.notice.loaded
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: (screen.notice.onBoard ? "✔ " : "") + screen.notice.availabilityText
        }
        BodyText {
            objectName: "callNumbers"
            Layout.fillWidth: true
            visible: screen.notice.callNumbersText !== ""
            a11y: screen.a11y
            speech: screen.speech
            text: qsTr("Cote : %1").arg(screen.notice.callNumbersText)
        }

        Flow {
            Layout.fillWidth: true
            visible: screen.notice.loaded
            spacing: screen.a11y.spacing * 2
            BigButton {
                objectName: "readAloudButton"
                a11y: screen.a11y
                speech: screen.speech
                speakOnPress: false
                text: qsTr("Lire la notice à voix haute")
                onClicked: {
                    // The visitor asked for the voice: switch it on if needed ("Arrêter la voix" appears).
                    if (!screen.speech.enabled)
                        screen.a11y.setSpeech(true)
                    screen.speech.say(screen.notice.speakableText)
                }
            }
            BigButton {
                objectName: "requestButton"
                visible: !screen.requesting
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Je voudrais ce document")
                description: qsTr("Demander que le bus vous apporte ce document")
                onClicked: {
                    screen.notice.loadStops()
                    screen.requesting = true
                    Qt.callLater(page.ensureVisible, form)
                }
            }
        }

        BodyText {
            Layout.fillWidth: true
            visible: screen.notice.summary !== ""
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Résumé")
        }
        Text {
            objectName: "noticeSummary"
            Layout.fillWidth: true
            visible: screen.notice.summary !== ""
            Accessible.name: screen.notice.summary
            Accessible.role: Accessible.StaticText
            textFormat: Text.StyledText
            text: screen.notice.summarySyllables
            color: screen.a11y.textColor
            font.family: screen.a11y.fontFamily
            font.pixelSize: screen.a11y.fontBody
            font.letterSpacing: screen.a11y.letterSpacingPx
            font.wordSpacing: screen.a11y.wordSpacingPx
            wrapMode: Text.WordWrap
            lineHeight: screen.a11y.lineHeight
            lineHeightMode: Text.ProportionalHeight
            TapHandler {
                onTapped: screen.speech.speakElement(screen.notice.summary, "text", "")
            }
        }

        BodyText {
            Layout.fillWidth: true
            visible: screen.notice.subjects.length > 0
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Sujets")
        }
        Repeater {
            model: screen.notice.subjects
            delegate: BodyText {
                required property string modelData
                Layout.fillWidth: true
                a11y: screen.a11y
                speech: screen.speech
                text: "• " + modelData
            }
        }

        DemandeForm {
            id: form
            objectName: "demandeForm"
            Layout.fillWidth: true
            visible: screen.requesting
            a11y: screen.a11y
            speech: screen.speech
            notice: screen.notice
            journal: screen.journal
            onFieldFocused: (item) => Qt.callLater(page.ensureVisible, item)
            onCancelled: screen.requesting = false
        }
    }
}
