// A page whose content may grow (200 % text): a Flickable plus big "Monter"/"Descendre"
// buttons, shown only when the content does not fit, so scrolling never needs a swipe.
// Put the content inside; it is laid out in a ColumnLayout as wide as the page.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Numeribus.Backend

Item {
    id: page
    objectName: "scrollPage"

    required property AccessibilityBridge a11y
    required property SpeechBridge speech
    default property alias content: column.data
    readonly property bool overflowing: flick.contentHeight > flick.height + 1

    function scrollBy(fraction) {
        const target = flick.contentY + fraction * flick.height
        flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, target))
    }

    // Scroll just enough for `item` (a descendant) to be fully visible.
    function ensureVisible(item) {
        const top = item.mapToItem(flick.contentItem, 0, 0).y
        const bottom = top + item.height
        if (top < flick.contentY)
            flick.contentY = Math.max(0, top - page.a11y.spacing)
        else if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(flick.contentHeight - flick.height, bottom - flick.height + page.a11y.spacing)
    }

    RowLayout {
        anchors.fill: parent
        spacing: page.a11y.spacing

        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: width
            // Below the last item, room for the half line that text with a line height above
            // 1 draws under its box (the DYS profile's 1.5 lines: a PIN key's digit at 200 %).
            contentHeight: column.implicitHeight + 2 * page.a11y.spacing
                           + page.a11y.fontHuge * Math.max(0, page.a11y.lineHeight - 1) / 2
            boundsBehavior: Flickable.StopAtBounds
            flickableDirection: Flickable.VerticalFlick

            ColumnLayout {
                id: column
                x: page.a11y.spacing
                y: page.a11y.spacing
                width: flick.width - 2 * page.a11y.spacing
                spacing: page.a11y.spacing * 3
            }

            ScrollBar.vertical: ScrollBar {
                policy: page.overflowing ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
                width: page.a11y.spacing * 2
                // Only shows where the page is: too thin to touch; the ▲/▼ buttons scroll.
                interactive: false
                Accessible.name: qsTr("Monter") + " / " + qsTr("Descendre")
            }
        }

        ColumnLayout {
            visible: page.overflowing
            Layout.fillHeight: true
            spacing: page.a11y.spacing
            BigButton {
                objectName: "scrollUpButton"
                a11y: page.a11y
                speech: page.speech
                primary: false
                text: "▲"
                accessibleName: qsTr("Monter")
                enabled: flick.contentY > 0
                onClicked: page.scrollBy(-0.8)
            }
            Item { Layout.fillHeight: true }
            BigButton {
                objectName: "scrollDownButton"
                a11y: page.a11y
                speech: page.speech
                primary: false
                text: "▼"
                accessibleName: qsTr("Descendre")
                enabled: flick.contentY < flick.contentHeight - flick.height
                onClicked: page.scrollBy(0.8)
            }
        }
    }
}
