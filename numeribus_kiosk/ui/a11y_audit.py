"""``numeribus-kiosk a11y-audit``: the kiosk checks its own accessibility, screen by screen.

Every state of :mod:`numeribus_kiosk.ui.screen_tour` is entered under every theme and profile,
at the look's own text size and at 200 %, and the visible item tree is walked:

- ``name``: an interactive item (a Qt Quick Controls button or text field, an enabled
  MouseArea, the parent of an enabled TapHandler, an item whose ``Accessible.role`` is a
  control role) has an accessible name.  The name is read from
  ``QAccessible.queryAccessibleInterface(item)``, i.e. what assistive technologies get
  (QML's ``Accessible.name``, or the default Qt derives from a control's text).
- ``target``: an interactive item is at least 12 mm wide and high (16 mm in the Senior
  profile) at the declared pixel pitch (logical px x devicePixelRatio x pitch).  Text that
  reads itself aloud when touched (role StaticText/Heading, a convenience, not a control)
  is not a target.
- ``contrast``: each visible, enabled text (Text, placeholder, text field; every colour of a
  styled text) against the colour actually behind it: the first Rectangle under its centre
  (earlier siblings, a control's background, ancestors), blended with what lies beneath when
  it is translucent, down to the window colour.  4.5:1, 7:1 in the "contraste" theme.
- ``clipped``: a Text that is ``truncated`` (elided), whose painted text is wider than its own
  box, or that is not inside the window / its clipping ancestor (inside a Flickable: inside
  the viewport's width and the scrollable content's height).

:func:`audit_window` works on any QQuickWindow (the tests feed it broken QML on purpose).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..accessibility.themes import contrast_ratio
from .screen_tour import DEFAULT_PIXEL_PITCH_MM, PROFILE_VARIANTS, THEME_VARIANTS, VARIANTS, Tour, prepare_platform

TARGET_MM = 12.0
SENIOR_TARGET_MM = 16.0
CONTRAST = 4.5
HIGH_CONTRAST = 7.0  # theme "contraste"
AUDIT_LOOKS = (*THEME_VARIANTS, *PROFILE_VARIANTS, "en")

_COLOUR_IN_MARKUP = re.compile(r"""color\s*=\s*["']?(#[0-9a-fA-F]{6})""")
_TYPE_SUFFIX = re.compile(r"_QMLTYPE_\d+|_QML_\d+")


@dataclass
class Limits:
    pixel_pitch_mm: float = DEFAULT_PIXEL_PITCH_MM
    target_mm: float = TARGET_MM
    contrast: float = CONTRAST


@dataclass
class WalkResult:
    items: int = 0
    failures: list[dict] = field(default_factory=list)


def _roles():
    from PySide6.QtGui import QAccessible

    r = QAccessible.Role
    interactive = {
        r.Button,
        r.CheckBox,
        r.RadioButton,
        r.ListItem,
        r.EditableText,
        r.ComboBox,
        r.Slider,
        r.SpinBox,
        r.Link,
        r.PageTab,
        r.MenuItem,
        r.ButtonMenu,
        r.ButtonDropDown,
        r.Dial,
        r.ScrollBar,
    }
    return interactive, {r.StaticText, r.Heading}


def _type_name(obj) -> str:
    name = _TYPE_SUFFIX.sub("", obj.metaObject().className())
    return name[6:] if name.startswith("QQuick") else name


def describe(item, root) -> str:
    """objectName, else a path of types from the nearest named ancestor (or the walk's root)."""
    if item.objectName():
        return item.objectName()
    parts = [_type_name(item)]
    node = item.parentItem()
    while node is not None and node is not root:
        if node.objectName():
            parts.append(node.objectName())
            break
        parts.append(_type_name(node))
        node = node.parentItem()
    return "/".join(reversed(parts))


def _effective_opacity(item) -> float:
    value = 1.0
    while item is not None:
        value *= item.opacity()
        item = item.parentItem()
    return value


def _blend(fg, alpha: float, bg: tuple[float, float, float]) -> tuple[float, float, float]:
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True))


def _rgb(colour) -> tuple[float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF()


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in rgb)


class _Walker:
    def __init__(self, window, limits: Limits, context: dict) -> None:
        from PySide6.QtGui import QColor

        self.window = window
        self.limits = limits
        self.context = context
        self.result = WalkResult()
        self.dpr = window.devicePixelRatio() or 1.0
        self.interactive_roles, self.text_roles = _roles()
        colour = window.color() if hasattr(window, "color") else QColor("white")
        self.window_rgb = _rgb(colour)

    def fail(self, item, root, check: str, detail: str) -> None:
        self.result.failures.append({**self.context, "item": describe(item, root), "check": check, "detail": detail})

    # ------------------------------------------------------------ walk
    def walk(self, root) -> None:
        stack = [root]
        while stack:
            item = stack.pop()
            if not item.isVisible() or item.opacity() <= 0.0:
                continue
            self.result.items += 1
            self.check_item(item, root)
            stack.extend(reversed(item.childItems()))

    def check_item(self, item, root) -> None:
        from PySide6.QtGui import QAccessible

        iface = QAccessible.queryAccessibleInterface(item)
        role = iface.role() if iface is not None and iface.isValid() else None
        kind = self.interaction(item, role)
        if kind:
            name = iface.text(QAccessible.Text.Name).strip() if iface is not None and iface.isValid() else ""
            if not name and kind in ("mousearea", "handler") and item.parentItem() is not None:
                parent_iface = QAccessible.queryAccessibleInterface(item.parentItem())
                if parent_iface is not None and parent_iface.isValid():
                    name = parent_iface.text(QAccessible.Text.Name).strip()
            if not name:
                self.fail(item, root, "name", f"{_type_name(item)} ({kind}) has no accessible name")
            if not (kind == "handler" and role in self.text_roles):
                self.check_target(item, root)
        if item.inherits("QQuickText") or item.inherits("QQuickTextInput") or item.inherits("QQuickTextEdit"):
            text = item.property("text") or ""
            if text.strip():
                if item.isEnabled():
                    self.check_contrast(item, root, text)
                if item.inherits("QQuickText"):
                    self.check_clipping(item, root, text)

    def interaction(self, item, role) -> str:
        if item.inherits("QQuickScrollBar") and not item.property("interactive"):
            return ""  # a position indicator only
        if item.inherits("QQuickAbstractButton") or item.inherits("QQuickComboBox") or item.inherits("QQuickSlider"):
            return "control"
        text_input = item.inherits("QQuickTextInput") or item.inherits("QQuickTextEdit")
        editable = text_input and not item.property("readOnly")
        if editable and (item.parentItem() is None or not item.parentItem().inherits("QQuickAbstractButton")):
            return "text field"
        if item.inherits("QQuickMouseArea") and item.isEnabled():
            # Qt Virtual Keyboard takes touches through MouseAreas spanning the whole keyboard;
            # what a visitor aims at are its keys (Accessible role Button), checked as such.
            return "" if _descends_from(item, "inputPanel") else "mousearea"
        for child in item.children():
            if child.inherits("QQuickTapHandler") and child.property("enabled"):
                return "handler"
        if role in self.interactive_roles:
            return "role"
        if item.inherits("QQuickControl") and item.activeFocusOnTab():
            return "control"
        return ""

    # ------------------------------------------------------------ checks
    def check_target(self, item, root) -> None:
        mm_w = item.width() * self.dpr * self.limits.pixel_pitch_mm
        mm_h = item.height() * self.dpr * self.limits.pixel_pitch_mm
        if min(mm_w, mm_h) + 1e-6 < self.limits.target_mm:
            self.fail(
                item,
                root,
                "target",
                f"{mm_w:.1f} x {mm_h:.1f} mm ({item.width():.0f} x {item.height():.0f} px), "
                f"under {self.limits.target_mm:g} mm",
            )

    def backdrop(self, item, point) -> tuple[float, float, float]:
        """The colour drawn behind ``item`` at scene ``point`` (opaque)."""
        child, node = item, item.parentItem()
        while node is not None:
            siblings = sorted(enumerate(node.childItems()), key=lambda pair: (pair[1].z(), pair[0]))
            order = [s for _, s in siblings]
            index = next((i for i, s in enumerate(order) if s is child or s == child), len(order))
            for below in reversed(order[:index]):
                rgb = self._painted(below, point)
                if rgb is not None:
                    return rgb
            rgb = self._painted(node, point)
            if rgb is not None:
                return rgb
            child, node = node, node.parentItem()
        return self.window_rgb

    def _painted(self, candidate, point):
        if not candidate.inherits("QQuickRectangle") or not candidate.isVisible():
            return None
        colour = candidate.property("color")
        alpha = colour.alphaF() * _effective_opacity(candidate)
        if alpha <= 0.0:
            return None
        local = candidate.mapFromScene(point)
        if not candidate.contains(local):
            return None
        if alpha >= 0.999:
            return _rgb(colour)
        return _blend(_rgb(colour), alpha, self.backdrop(candidate, point))

    def check_contrast(self, item, root, text: str) -> None:
        from PySide6.QtGui import QColor

        rect = item.boundingRect()
        point = item.mapToScene(rect.center())
        bg = self.backdrop(item, point)
        alpha_scale = _effective_opacity(item)
        colours = [item.property("color")]
        if item.inherits("QQuickText") and "<" in text:  # styled text: its own colours too
            colours += [QColor(c) for c in _COLOUR_IN_MARKUP.findall(text)]
        limit = HIGH_CONTRAST if self.context.get("theme") == "contraste" else self.limits.contrast
        for colour in colours:
            fg = _blend(_rgb(colour), colour.alphaF() * alpha_scale, bg)
            ratio = contrast_ratio(_hex(fg), _hex(bg))
            if ratio + 1e-9 < limit:
                snippet = text if len(text) <= 40 else text[:37] + "..."
                self.fail(
                    item, root, "contrast", f"{_hex(fg)} on {_hex(bg)}: {ratio:.2f}:1 < {limit:g}:1 ({snippet!r})"
                )
                return

    def check_clipping(self, item, root, text: str) -> None:
        from PySide6.QtCore import QRectF

        snippet = text if len(text) <= 40 else text[:37] + "..."
        if item.property("truncated"):
            self.fail(item, root, "clipped", f"text elided/truncated ({snippet!r})")
            return
        painted = item.boundingRect()
        if painted.width() > item.width() + 2 and item.width() > 0:
            self.fail(
                item,
                root,
                "clipped",
                f"text {painted.width():.0f} px wide in a {item.width():.0f} px box ({snippet!r})",
            )
            return
        scene = item.mapRectToScene(painted)
        node = item.parentItem()
        while node is not None:
            if node.inherits("QQuickFlickable"):
                view = node.mapRectToScene(QRectF(0, 0, node.width(), node.height()))
                content = node.property("contentItem")
                top = content.mapToScene(content.boundingRect().topLeft()).y() if content is not None else view.top()
                height = max(float(node.property("contentHeight") or 0), node.height())
                area = QRectF(view.left(), top, view.width(), height)
                if not _inside(scene, area):
                    self.fail(item, root, "clipped", f"text outside its scrollable area ({snippet!r})")
                    return
                scene = scene.intersected(view) if scene.intersects(view) else QRectF(view.topLeft(), view.topLeft())
            elif node.clip():
                box = node.mapRectToScene(QRectF(0, 0, node.width(), node.height()))
                if not _inside(scene, box):
                    self.fail(item, root, "clipped", f"text cut by {describe(node, root)} ({snippet!r})")
                    return
            node = node.parentItem()
        window = QRectF(0, 0, self.window.width(), self.window.height())
        if not _inside(scene, window):
            self.fail(item, root, "clipped", f"text outside the window ({snippet!r})")


def _inside(inner, outer, tolerance: float = 1.5) -> bool:
    return (
        inner.left() >= outer.left() - tolerance
        and inner.top() >= outer.top() - tolerance
        and inner.right() <= outer.right() + tolerance
        and inner.bottom() <= outer.bottom() + tolerance
    )


def audit_window(window, *, roots: Iterable | None = None, limits: Limits | None = None, context: dict | None = None):
    """Walk ``roots`` (default: the window's content item) of a QQuickWindow; a WalkResult."""
    from PySide6.QtGui import QAccessible

    QAccessible.setActive(True)
    walker = _Walker(window, limits or Limits(), dict(context or {}))
    for root in roots if roots is not None else [window.contentItem()]:
        walker.walk(root)
    return walker.result


def _descends_from(item, object_name: str) -> bool:
    """True when an ancestor of ``item`` is called ``object_name``."""
    node = item.parentItem()
    while node is not None:
        if node.objectName() == object_name:
            return True
        node = node.parentItem()
    return False


def _kiosk_roots(tour: Tour) -> list:
    warning = tour.find("idleWarning")
    if warning.isVisible():
        return [warning]  # it covers everything
    roots = [tour.find("topBar"), tour.find("stack").property("currentItem")]
    panel = tour.find("inputPanel")
    if panel.isVisible():
        roots.append(panel)
    return roots


def run_audit(
    data_dir: Path, *, pixel_pitch_mm: float = DEFAULT_PIXEL_PITCH_MM, looks=AUDIT_LOOKS, progress=None
) -> dict:
    """Audit every state under every look, at its text size and at 200 %; the JSON-ready report."""
    prepare_platform(pixel_pitch_mm=pixel_pitch_mm)
    failures: list[dict] = []
    items = 0
    screens: set[str] = set()
    walks = 0
    with Tour(Path(data_dir), pixel_pitch_mm=pixel_pitch_mm) as tour:
        for state in tour.states:
            for look in looks:
                variant = VARIANTS[look]
                if state.screen in tour.missing or not tour.enter(state, variant):
                    break
                screens.add(state.name)
                for scale in ("own", "200"):
                    a11y = tour.kiosk.a11y
                    if scale == "200":
                        if a11y.property("textScale") >= 2.0:
                            break  # already at 200 %
                        a11y.stepTextScale(8)
                        tour.settle()
                    limits = Limits(
                        pixel_pitch_mm=pixel_pitch_mm,
                        target_mm=SENIOR_TARGET_MM if variant.profile == "senior" else TARGET_MM,
                    )
                    context = {
                        "screen": state.screen,
                        "state": state.name,
                        "theme": a11y.property("theme"),
                        "profile": variant.profile,
                        "language": variant.language,
                        "text_scale": round(a11y.property("textScale") * 100),
                    }
                    result = audit_window(tour.quick_window, roots=_kiosk_roots(tour), limits=limits, context=context)
                    items += result.items
                    walks += 1
                    failures += result.failures
                    if progress is not None:
                        progress(context, result)
        missing = list(tour.missing)
    return {
        "ok": not failures,
        "checked": {"screens": len(screens), "walks": walks, "items": items},
        "missing_screens": missing,
        "failures": failures,
    }


def format_report(result: dict) -> str:
    lines = []
    for f in result["failures"]:
        who = f"{f['state']} [{f['theme']}{'/' + f['profile'] if f['profile'] else ''}, {f['text_scale']} %" + (
            f", {f['language']}]" if f.get("language", "fr") != "fr" else "]"
        )
        lines.append(f"{f['check']:8} {who} {f['item']}: {f['detail']}")
    for name in result.get("missing_screens", []):
        lines.append(f"missing screen: {name} (its QML file is not written yet)")
    checked = result["checked"]
    lines.append(
        f"Checked {checked['screens']} screen states ({checked['walks']} walks, {checked['items']} items): "
        + ("no problem found." if result["ok"] else f"{len(result['failures'])} problem(s).")
    )
    return "\n".join(lines)
