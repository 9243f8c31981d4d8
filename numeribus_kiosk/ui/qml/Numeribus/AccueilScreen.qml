// Home screen: one big tile per service, and the language choice.
// Screen protocol (see docs/ui.md): objectName = navigation name, required bridges,
// signal navigateRequested(name, properties) handled by Main.qml.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: screen
    objectName: "accueil"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property LanguageBridge language

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
            title: qsTr("Bienvenue dans %1").arg(screen.branding.theName)
            logo: screen.branding.logo
        }

        GridLayout {
            id: tiles
            Layout.fillWidth: true
            // One column at 200 % on a narrow screen, up to three otherwise.
            columns: Math.max(1, Math.min(3, Math.floor(screen.width / (screen.a11y.minTarget * 6))))
            rowSpacing: screen.a11y.spacing * 3
            columnSpacing: screen.a11y.spacing * 3
            // Equal columns: with six wrapping tiles, free column widths made the layout
            // oscillate forever (a polish loop that froze the window at start-up).
            uniformCellWidths: true

            Tile {
                objectName: "tileRecherche"
                Layout.fillWidth: true
                Layout.fillHeight: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Chercher un document")
                description: qsTr("Livres, livres audio, DVD, en gros caractères…")
                onClicked: screen.navigateRequested("recherche", {})
            }
            Tile {
                objectName: "tilePassages"
                Layout.fillWidth: true
                Layout.fillHeight: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Prochains passages %1").arg(screen.branding.ofName)
                description: qsTr("Quand le bus revient près de chez vous")
                onClicked: screen.navigateRequested("passages", {})
            }
            Tile {
                objectName: "tileAteliers"
                Layout.fillWidth: true
                Layout.fillHeight: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Ateliers")
                description: qsTr("Tablettes, cafés numériques, impression 3D")
                onClicked: screen.navigateRequested("ateliers", {})
            }
            Tile {
                objectName: "tileAvis"
                Layout.fillWidth: true
                Layout.fillHeight: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Donner mon avis")
                description: qsTr("Dites-nous ce que vous pensez %1").arg(screen.branding.ofName)
                onClicked: screen.navigateRequested("avis", {})
            }
            Tile {
                objectName: "tileSavoirs"
                Layout.fillWidth: true
                Layout.fillHeight: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Partager mes savoirs")
                description: qsTr("Proposer d'animer un atelier")
                onClicked: screen.navigateRequested("savoirs", {})
            }
            Tile {
                objectName: "tileAccessibilite"
                Layout.fillWidth: true
                Layout.fillHeight: true
                a11y: screen.a11y
                speech: screen.speech
                text: qsTr("Accessibilité")
                description: qsTr("Texte plus grand, couleurs, lecture à voix haute")
                onClicked: screen.navigateRequested("accessibilite", {})
            }
        }

        BodyText {
            Layout.fillWidth: true
            a11y: screen.a11y
            speech: screen.speech
            heading: true
            text: qsTr("Langue")
        }

        Flow {
            Layout.fillWidth: true
            spacing: screen.a11y.spacing * 2
            // Language names are written in their own language: never translated.
            ToggleChip {
                objectName: "languageFr"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: "Français"
                on: screen.language.language === "fr"
                onChosen: screen.language.setLanguage("fr")
            }
            ToggleChip {
                objectName: "languageEn"
                a11y: screen.a11y
                speech: screen.speech
                exclusive: true
                text: "English"
                on: screen.language.language === "en"
                onChosen: screen.language.setLanguage("en")
            }
        }
    }
}
