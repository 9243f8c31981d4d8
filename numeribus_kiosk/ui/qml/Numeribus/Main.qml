// The kiosk window: a persistent top bar, a StackView of screens, the idle warning and the
// on-screen keyboard.  The bridges arrive as required properties (set by numeribus_kiosk/app.py
// with setInitialProperties) and are passed down to every screen explicitly.
//
// Navigation: navigate(name, properties) pushes the screen registered under `name` in
// `screenFiles`.  A screen not written yet (its file is absent) is not faked: navigate() returns
// false and nothing happens.  How to add a screen: docs/ui.md.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import Numeribus.Backend

ApplicationWindow {
    id: root
    objectName: "mainWindow"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property BrandingBridge branding
    required property IdleMonitor idle
    required property LanguageBridge language
    required property JournalBridge journal
    required property SearchModel search
    required property NoticeBridge notice
    required property PassagesModel passages
    required property AteliersModel ateliers
    required property MediatorBridge mediator
    required property StatsModel stats
    required property VisitorRecordsModel visitorRecords
    required property ExportBridge exporter
    required property SessionForm sessionForm
    required property SessionsModel sessions
    required property SyncBridge sync
    // true at the kiosk's first start while no mediator PIN is set: the PIN set-up screen is offered.
    property bool offerPinSetup: false
    // true on the bus: fullscreen, frameless, Escape and Alt+F4 do nothing.
    required property bool kiosk
    // Set by quit() only (tests, later the mediator mode): a visitor can never close the window.
    property bool quitAllowed: !kiosk

    // Navigation name -> QML file of this module.  Screens receive a11y and speech, plus the
    // bridges listed for them in propertiesFor(), plus the `properties` given to navigate().
    readonly property var screenFiles: ({
        "accueil": "AccueilScreen.qml",
        "accessibilite": "AccessibilityPanel.qml",
        "recherche": "RechercheScreen.qml",
        "notice": "NoticeScreen.qml",
        "passages": "PassagesScreen.qml",
        "ateliers": "AteliersScreen.qml",
        "avis": "AvisScreen.qml",
        "savoirs": "SavoirsScreen.qml",
        "mediateur-stats": "MediatorStatsScreen.qml",
        "mediateur-visiteurs": "VisitorRecordsScreen.qml",
        "mediateur-export": "ExportScreen.qml",
        "mediateur-seance": "SessionFormScreen.qml",
        "mediateur-seances": "SessionsScreen.qml",
        "mediateur-synchro": "SyncScreen.qml",
        "mediateur": "MediatorHome.qml",
        "mediateur-code": "PinScreen.qml",
        "mediateur-nouveau-code": "PinSetupScreen.qml"
    })
    readonly property string currentScreen: stack.currentItem ? stack.currentItem.objectName : ""

    function propertiesFor(name) {
        // Add here the bridges a new screen needs, e.g. "recherche": { search: root.search }.
        const extra = {
            "accueil": { language: root.language, branding: root.branding },
            "recherche": { search: root.search },
            "notice": { notice: root.notice, journal: root.journal },
            "passages": { passages: root.passages, branding: root.branding },
            "ateliers": { ateliers: root.ateliers, branding: root.branding },
            "avis": { journal: root.journal, ateliers: root.ateliers, branding: root.branding },
            "savoirs": { journal: root.journal, branding: root.branding },
            "mediateur-stats": { mediator: root.mediator, stats: root.stats },
            "mediateur-visiteurs": { mediator: root.mediator, visitorRecords: root.visitorRecords },
            "mediateur-export": { mediator: root.mediator, exporter: root.exporter },
            "mediateur-seance": { mediator: root.mediator, sessionForm: root.sessionForm },
            "mediateur-seances": { mediator: root.mediator, sessions: root.sessions },
            "mediateur-synchro": { mediator: root.mediator, sync: root.sync },
            "mediateur": { mediator: root.mediator },
            "mediateur-code": { mediator: root.mediator },
            "mediateur-nouveau-code": { mediator: root.mediator, branding: root.branding },
        }
        return extra[name] || {}
    }

    // The mediator mode's way in: the only "mediateur…" screens shown while it is locked.
    readonly property var mediatorPinScreens: ["mediateur-code", "mediateur-nouveau-code"]

    function navigate(name, properties) {
        if (name === "accueil") {
            goHome()
            return true
        }
        // The gate: no mediator screen while the mode is locked (the PIN screens excepted).
        if (name.startsWith("mediateur") && !root.mediator.unlocked && mediatorPinScreens.indexOf(name) < 0)
            return false
        if (name === currentScreen)
            return true
        // Back to the mediator's home when it is already in the stack (the top bar's banner).
        if (name === "mediateur") {
            const home = stack.find(item => item.objectName === name)
            if (home) {
                stack.pop(home)
                return true
            }
        }
        const file = screenFiles[name]
        if (file === undefined)
            return false
        const component = Qt.createComponent(file, Component.PreferSynchronous)
        if (component.status !== Component.Ready)
            return false  // not written yet
        const initial = Object.assign({ a11y: root.a11y, speech: root.speech },
                                      propertiesFor(name), properties || {})
        // What follows a PIN screen replaces it: "Retour" never leads back to the PIN pad.
        const item = mediatorPinScreens.indexOf(currentScreen) >= 0 ? stack.replace(component, initial)
                                                                    : stack.push(component, initial)
        item.navigateRequested.connect(root.navigate)
        return true
    }

    function goHome() {
        stack.pop(null)
    }

    // The hidden corner was held: the PIN screen (or the PIN set-up while none is set).
    function openMediatorMode() {
        if (root.mediator.unlocked)
            return navigate("mediateur", {})
        return navigate(root.mediator.pinSet ? "mediateur-code" : "mediateur-nouveau-code", {})
    }

    function quit() {
        quitAllowed = true
        close()
    }

    width: 1280
    height: 800
    visible: true
    visibility: kiosk ? Window.FullScreen : Window.Windowed
    flags: kiosk ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    color: a11y.background
    title: root.branding.title

    onClosing: (close) => { close.accepted = root.quitAllowed }

    // Escape (and the Back key) must not leave anything in kiosk mode.
    Shortcut {
        sequences: ["Escape", "Back"]
        context: Qt.ApplicationShortcut
        enabled: root.kiosk
        onActivated: {}
    }

    // Our keyboard layouts (numeribus_kiosk/assets/keyboard/layouts/: AZERTY, every accented letter one tap),
    // given by app.py; "" keeps Qt's choice (QT_VIRTUALKEYBOARD_LAYOUT_PATH or its built-in ones).
    property url keyboardLayoutPath: ""

    Component.onCompleted: {
        if (keyboardLayoutPath.toString() !== "")
            VirtualKeyboardSettings.layoutPath = keyboardLayoutPath
        VirtualKeyboardSettings.locale = "fr_FR"
        // One keyboard whatever the UI language: French AZERTY, no language key to get lost in.
        VirtualKeyboardSettings.activeLocales = ["fr_FR"]
        if (offerPinSetup)
            navigate("mediateur-nouveau-code", {})
    }

    // Nothing to reset on the untouched home screen: the idle warning is armed elsewhere.
    Binding {
        target: root.idle
        property: "armed"
        value: stack.depth > 1 || !root.a11y.atDefaults || root.language.language !== "fr"
    }

    Connections {
        target: root.idle
        function onResetRequested() { root.goHome() }
    }

    // The mediator mode closed (by hand, after 2 minutes without a touch, or the idle reset):
    // nothing of it stays on screen.
    Connections {
        target: root.mediator
        function onLocked(reason) { root.goHome() }
    }

    header: Rectangle {
        objectName: "topBar"
        color: root.a11y.surface
        readonly property real barHeight: Math.max(bar.implicitHeight,
                                                   mediatorBanner.visible ? mediatorBanner.implicitHeight : 0)
        implicitHeight: barHeight + 2 * root.a11y.spacing
                        + (stickBanner.visible ? stickBanner.implicitHeight + root.a11y.spacing : 0)

        Flow {
            id: bar
            x: root.a11y.spacing
            y: root.a11y.spacing
            // The right end is kept free: the hidden mediator corner (a short tap there reaches
            // nothing but the banner below), and the banner while the mode is open.
            width: parent.width - 2 * root.a11y.spacing
                   - (mediatorBanner.visible ? mediatorBanner.width + 2 * root.a11y.spacing : mediatorCorner.width)
            spacing: root.a11y.spacing * 2

            BigButton {
                objectName: "homeButton"
                a11y: root.a11y
                speech: root.speech
                text: qsTr("Accueil")
                description: qsTr("Revenir à l'écran d'accueil")
                onClicked: root.navigate("accueil", {})
            }
            BigButton {
                objectName: "accessibilityButton"
                a11y: root.a11y
                speech: root.speech
                text: qsTr("Accessibilité")
                description: qsTr("Texte plus grand, couleurs, lecture à voix haute")
                onClicked: root.navigate("accessibilite", {})
            }
            BigButton {
                objectName: "repeatButton"
                visible: root.speech.enabled
                a11y: root.a11y
                speech: root.speech
                primary: false
                speakOnPress: false
                text: qsTr("Répéter")
                onClicked: root.speech.repeat()
            }
            BigButton {
                objectName: "stopSpeechButton"
                visible: root.speech.enabled
                a11y: root.a11y
                speech: root.speech
                primary: false
                speakOnPress: false
                text: qsTr("Arrêter la voix")
                onClicked: root.speech.stop()
            }
        }

        // While the mediator mode is open: staff see it, and one touch leads back to its home.
        BigButton {
            id: mediatorBanner
            objectName: "mediatorBanner"
            visible: root.mediator.unlocked
            anchors.right: parent.right
            anchors.rightMargin: root.a11y.spacing
            y: root.a11y.spacing
            a11y: root.a11y
            speech: root.speech
            primary: false
            text: qsTr("Mode médiateur")
            description: qsTr("Le mode médiateur est ouvert : revenir à son accueil")
            onClicked: root.navigate("mediateur", {})
        }

        // A USB stick with a "numeribus" folder: what the bus does with it, then "Vous pouvez
        // retirer la clé."  Under the top bar's buttons, on every screen; gone with the stick.
        StickBanner {
            id: stickBanner
            x: root.a11y.spacing
            y: parent.barHeight + 2 * root.a11y.spacing
            width: parent.width - 2 * root.a11y.spacing
            a11y: root.a11y
            speech: root.speech
            sync: root.sync
        }
    }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        // The screens end above the on-screen keyboard, so a form field can scroll into view.
        anchors.bottomMargin: inputPanel.active ? inputPanel.height : 0

        pushEnter: Transition {
            NumberAnimation { property: "opacity"; from: 0; to: 1; duration: root.a11y.animationMs }
        }
        pushExit: Transition {
            NumberAnimation { property: "opacity"; from: 1; to: 0; duration: root.a11y.animationMs }
        }
        popEnter: Transition {
            NumberAnimation { property: "opacity"; from: 0; to: 1; duration: root.a11y.animationMs }
        }
        popExit: Transition {
            NumberAnimation { property: "opacity"; from: 1; to: 0; duration: root.a11y.animationMs }
        }

        initialItem: AccueilScreen {
            a11y: root.a11y
            speech: root.speech
            branding: root.branding
            language: root.language
            onNavigateRequested: (name, properties) => root.navigate(name, properties)
        }
    }

    IdleWarning {
        parent: Overlay.overlay
        anchors.fill: parent
        z: 1000
        a11y: root.a11y
        speech: root.speech
        idle: root.idle
    }

    // The hidden way into the mediator mode: a 3-second hold on the top-right corner, above
    // everything but the idle warning, within the top bar's free right end.
    MediatorCorner {
        id: mediatorCorner
        parent: Overlay.overlay
        z: 950
        width: root.a11y.spacing * 7
        height: Math.min(width, root.header.height)
        x: parent.width - width
        y: 0
        mediator: root.mediator
        onHeld: root.openMediatorMode()
    }

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        parent: Overlay.overlay
        z: 900
        // Not wider than 1.6 x the window's height: the keyboard's height follows its width,
        // and the results must stay visible above it.
        width: Math.min(parent.width, parent.height * 1.6)
        x: (parent.width - width) / 2
        y: active ? parent.height - height : parent.height
        visible: active
    }
}
