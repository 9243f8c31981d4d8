// Accessibility settings: text size, font, spacing, colours, one-tap profiles, speech.
// Every control calls an AccessibilityBridge slot; the bridge's properties redraw everything.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "accessibilite"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech

    signal navigateRequested(string name, var properties)

    ScrollPage {
        anchors.fill: parent
        anchors.margins: screen.a11y.spacing * 2
        a11y: screen.a11y
        speech: screen.speech

        ScreenHeader {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            title: qsTr("Accessibilité")
        }

        // ---- one-tap profiles
        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Réglages tout prêts")
        }
        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2
            BigButton {
                objectName: "profileMalvoyant"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Malvoyant")
                description: qsTr("Très gros texte, fort contraste, lecture à voix haute")
                onClicked: screen.a11y.applyProfile("malvoyant")
            }
            BigButton {
                objectName: "profileDys"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("DYS")
                description: qsTr("Police adaptée, texte espacé, fond crème, syllabes en couleur")
                onClicked: screen.a11y.applyProfile("dys")
            }
            BigButton {
                objectName: "profileSenior"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Senior")
                description: qsTr("Texte et boutons plus grands, plus de temps")
                onClicked: screen.a11y.applyProfile("senior")
            }
        }

        // ---- text size
        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Taille du texte")
        }
        RowLayout {
            spacing: screen.a11y.spacing * 2
            BigButton {
                objectName: "textSmaller"
                a11y: screen.a11y
                speech: screen.speech
                text: "A−"
                accessibleName: qsTr("Texte plus petit")
                enabled: screen.a11y.canShrinkText
                onClicked: {
                    screen.a11y.stepTextScale(-1)
                    screen.speech.say(qsTr("Taille du texte %1 %").arg(screen.a11y.textPercent))
                }
            }
            BodyText {
                objectName: "textPercent"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("%1 %").arg(screen.a11y.textPercent)
                font.bold: true
            }
            BigButton {
                objectName: "textBigger"
                a11y: screen.a11y
                speech: screen.speech
                text: "A+"
                accessibleName: qsTr("Texte plus grand")
                enabled: screen.a11y.canGrowText
                onClicked: {
                    screen.a11y.stepTextScale(1)
                    screen.speech.say(qsTr("Taille du texte %1 %").arg(screen.a11y.textPercent))
                }
            }
        }

        // ---- font and spacing
        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Police et espacement")
        }
        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2
            ToggleChip {
                objectName: "fontStandard"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Police standard")
                on: screen.a11y.fontName === screen.a11y.standardFont
                onChosen: screen.a11y.setFont(screen.a11y.standardFont)
            }
            ToggleChip {
                objectName: "fontDys"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Police OpenDyslexic")
                font.family: "OpenDyslexic"
                on: screen.a11y.fontName === screen.a11y.dysFont
                onChosen: screen.a11y.setFont(screen.a11y.dysFont)
            }
            ToggleChip {
                objectName: "wideSpacing"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Texte espacé")
                on: screen.a11y.wideSpacing
                onChosen: screen.a11y.toggleWideSpacing()
            }
            ToggleChip {
                objectName: "syllableColouring"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Syllabes en couleur")
                on: screen.a11y.syllableColouring
                onChosen: screen.a11y.toggleSyllableColouring()
            }
        }

        // ---- colours
        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Couleurs")
        }
        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2
            ToggleChip {
                objectName: "themeStandard"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Standard")
                on: screen.a11y.theme === "standard"
                onChosen: screen.a11y.setTheme("standard")
            }
            ToggleChip {
                objectName: "themeContraste"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Contraste élevé")
                on: screen.a11y.theme === "contraste"
                onChosen: screen.a11y.setTheme("contraste")
            }
            ToggleChip {
                objectName: "themeSombre"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Sombre")
                on: screen.a11y.theme === "sombre"
                onChosen: screen.a11y.setTheme("sombre")
            }
            ToggleChip {
                objectName: "themeCreme"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: qsTr("Crème")
                on: screen.a11y.theme === "creme"
                onChosen: screen.a11y.setTheme("creme")
            }
        }

        // ---- speech and motion
        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Voix et animations")
        }
        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2
            ToggleChip {
                objectName: "speechToggle"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Lecture à voix haute")
                on: screen.a11y.speech
                onChosen: screen.a11y.toggleSpeech()
            }
            ToggleChip {
                objectName: "reducedMotion"
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Réduire les animations")
                on: screen.a11y.reducedMotion
                onChosen: screen.a11y.toggleReducedMotion()
            }
        }

        BigButton {
            objectName: "resetDefaults"
            a11y: screen.a11y
            speech: screen.speech
            primary: false
            text: qsTr("Réglages par défaut")
            description: qsTr("Remettre tous les réglages d'accessibilité comme au départ")
            onClicked: screen.a11y.resetToDefaults()
        }
    }
}
