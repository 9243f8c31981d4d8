// The shape that marks a workshop kind ("square", "circle", "triangle", "diamond", "hexagon",
// "star", "ring": AteliersModel.kindMarker), always drawn next to the kind's name: the
// shape helps to find a kind again, the text says it; colour alone never does.
import QtQuick
import QtQuick.Shapes
import Numeribus.Backend

Item {
    id: marker

    required property AccessibilityBridge a11y
    required property string shape
    property real size: a11y.fontBody * 1.2

    readonly property var paths: ({
        "square": "M 12 12 L 88 12 L 88 88 L 12 88 Z",
        "circle": "M 50 8 A 42 42 0 1 1 49.9 8 Z",
        "triangle": "M 50 8 L 92 90 L 8 90 Z",
        "diamond": "M 50 4 L 96 50 L 50 96 L 4 50 Z",
        "hexagon": "M 27 10 L 73 10 L 96 50 L 73 90 L 27 90 L 4 50 Z",
        "star": "M 50 4 L 61 38 L 97 38 L 68 59 L 79 94 L 50 72 L 21 94 L 32 59 L 3 38 L 39 38 Z",
        "ring": "M 50 14 A 36 36 0 1 1 49.9 14 Z"
    })

    Accessible.ignored: true
    implicitWidth: size
    implicitHeight: size

    Shape {
        width: 100
        height: 100
        scale: marker.size / 100
        transformOrigin: Item.TopLeft
        ShapePath {
            strokeColor: marker.a11y.textColor
            strokeWidth: 8
            fillColor: marker.shape === "ring" ? "transparent" : marker.a11y.accent
            PathSvg { path: marker.paths[marker.shape] || marker.paths["ring"] }
        }
    }
}
