// The USB stick banner, above every screen while a stick with a "numeribus" folder is plugged
// in: "échange en cours, ne retirez pas la clé", then what was done and "Vous pouvez retirer la
// clé."  It goes away when the stick is pulled out.  Read aloud when speech is on.
import QtQuick
import Numeribus.Backend

Rectangle {
    id: banner
    objectName: "stickBanner"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    required property SyncBridge sync

    visible: sync.stickState !== ""
    implicitHeight: Math.max(a11y.minTarget, label.implicitHeight + 2 * padding)
    readonly property int padding: a11y.spacing * 2
    color: a11y.surface
    border.width: 4
    border.color: sync.stickState === "failed" ? a11y.errorColor
                  : sync.stickState === "done" ? a11y.successColor : a11y.focusRing
    radius: 8

    Accessible.role: Accessible.AlertMessage
    Accessible.name: sync.stickText

    Connections {
        target: banner.sync
        function onStickChanged() {
            if (banner.sync.stickText !== "")
                banner.speech.say(banner.sync.stickText)
        }
    }

    BodyText {
        id: label
        objectName: "stickText"
        x: banner.padding
        y: banner.padding
        width: banner.width - 2 * banner.padding
        a11y: banner.a11y
        speech: banner.speech
        heading: true
        color: banner.sync.stickState === "failed" ? banner.a11y.errorColor : banner.a11y.textColor
        text: (banner.sync.stickState === "done" ? "✔ " : banner.sync.stickState === "failed" ? "⚠ " : "")
              + banner.sync.stickText
    }
}
