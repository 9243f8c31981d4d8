// The title of a screen, with an optional "Retour" button and an optional logo (the home
// screen: [branding] logo of config.toml).  Touching the title reads it.
import QtQuick
import QtQuick.Layouts
import Numeribus.Backend

RowLayout {
    id: header

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property string title
    property bool showBack: false
    property string logo: ""  // file URL; decorative (the title beside it names the service)

    signal backRequested()

    spacing: a11y.spacing * 2

    BigButton {
        objectName: "backButton"
        visible: header.showBack
        a11y: header.a11y
        speech: header.speech
        primary: false
        text: qsTr("Retour")
        description: qsTr("Revenir à l'écran précédent")
        onClicked: header.backRequested()
    }

    Image {
        objectName: "logo"
        visible: header.logo !== "" && status === Image.Ready
        source: header.logo
        fillMode: Image.PreserveAspectFit
        // Two lines of the title at 100 %, whatever the text size (at 200 % the text needs the
        // room); at most four times as wide as tall.
        readonly property real aspect: implicitHeight > 0 ? implicitWidth / implicitHeight : 0
        Layout.preferredHeight: header.a11y.fontHuge * 2 / header.a11y.textScale
        Layout.preferredWidth: Layout.preferredHeight * Math.min(4, aspect)
        sourceSize.height: Layout.preferredHeight * 2  // an SVG drawn sharp, a large PNG scaled down once
        Accessible.ignored: true
    }

    BodyText {
        objectName: "screenTitle"
        Layout.fillWidth: true
        a11y: header.a11y
        speech: header.speech
        heading: true
        text: header.title
        font.pixelSize: header.a11y.fontHuge
    }
}
