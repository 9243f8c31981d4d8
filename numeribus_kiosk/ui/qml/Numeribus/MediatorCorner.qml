// The hidden way into the mediator mode: an invisible square in the top-right corner of the
// window, above everything.  A finger (or the mouse) held there for 3 seconds opens the PIN
// screen; the time is measured by MediatorBridge on the kiosk's replaceable clock
// (cornerPressed / cornerReleased -> cornerHeld).
//
// It never takes a touch away from what lies beneath: a PointHandler only watches (a passive
// grab), so a short tap still reaches a button under the corner.  It draws nothing, says
// nothing and cannot take the focus: it is not a visitor's control (Accessible.ignored).
import QtQuick
import Numeribus.Backend

Item {
    id: corner
    objectName: "mediatorCorner"

    required property MediatorBridge mediator

    signal held()

    Accessible.ignored: true

    // The finger is down and still on the corner (moving away cancels the hold).
    readonly property bool holding: finger.active && corner.contains(finger.point.position)

    onHoldingChanged: holding ? mediator.cornerPressed() : mediator.cornerReleased()
    Component.onDestruction: if (holding) mediator.cornerReleased()

    PointHandler {
        id: finger
    }

    Connections {
        target: corner.mediator
        function onCornerHeld() { corner.held() }
    }
}
