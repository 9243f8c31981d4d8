"""Bar charts drawn on the server as SVG, readable without colour, without JavaScript, by a screen reader.

`bar_chart(rows, title=..., chart_id=...)` draws one line per row with two bars side by side,
each in its own column with its heading: "Séances" and "Participants" (each column has its own
scale, so a small count of sessions is not crushed by a large count of participants).  Every
figure is written as text at the end of its bar, so nothing depends on reading a bar's length
or telling colours apart.  For assistive technology the ``<svg>`` is ``role="img"`` with an
``aria-label`` (the title) and an ``aria-describedby`` pointing to its ``<desc>``, which lists
every line in words; the page also offers the same figures as a data table.

Colours are attributes (no ``style=``), so the admin site's Content-Security-Policy can forbid
inline styles; both bar colours reach at least 7:1 against white.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup, escape

WIDTH = 960
LABEL_WIDTH = 300
GAP = 20
HEADER_HEIGHT = 40
ROW_HEIGHT = 40
BAR_HEIGHT = 24
VALUE_ROOM = 80  # room kept after the longest bar for its figure
FONT_SIZE = 18
LABEL_MAX_CHARS = 30
SESSIONS_COLOUR = "#1d4e89"  # dark blue, 8.6:1 on white
PARTICIPANTS_COLOUR = "#6b3a00"  # dark brown, 8.9:1 on white
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#595959"


class ChartRow(Protocol):
    label: str
    sessions: int
    participants: int


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count and its word: "1 séance", "0 séance", "12 séances" (French: 0 and 1 take the singular)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def number(count: int) -> str:
    """12345 -> "12 345" (French thousands separator: a narrow no-break space)."""
    return f"{count:,}".replace(",", "\u202f")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def describe(rows: Sequence[ChartRow]) -> str:
    """Every line in words, for the chart's <desc>: "Tablette : 12 séances, 85 participants ; ..."."""
    return " ; ".join(
        f"{row.label} : {plural(row.sessions, 'séance')}, {plural(row.participants, 'participant')}" for row in rows
    )


def _column(x: float, width: float, heading: str, values: list[int], colour: str, unit: str) -> list[str]:
    parts = [
        f'<text x="{x:.0f}" y="{HEADER_HEIGHT - 14}" font-size="{FONT_SIZE}" font-weight="bold" '
        f'fill="{TEXT_COLOUR}">{escape(heading)}</text>'
    ]
    top = HEADER_HEIGHT
    bottom = HEADER_HEIGHT + ROW_HEIGHT * len(values)
    parts.append(f'<line x1="{x:.0f}" y1="{top}" x2="{x:.0f}" y2="{bottom}" stroke="{AXIS_COLOUR}" stroke-width="2"/>')
    largest = max(values) if values else 0
    room = width - VALUE_ROOM
    for index, value in enumerate(values):
        y = top + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        length = room * value / largest if largest else 0
        if value and length < 2:
            length = 2  # a non-zero figure always shows a bar
        if length:
            parts.append(
                f'<rect x="{x:.0f}" y="{y:.0f}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{colour}">'
                f"<title>{escape(plural(value, unit))}</title></rect>"
            )
        parts.append(
            f'<text x="{x + length + 8:.1f}" y="{y + BAR_HEIGHT - 6:.0f}" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOUR}">{escape(number(value))}</text>'
        )
    return parts


def bar_chart(rows: Sequence[ChartRow], *, title: str, chart_id: str) -> Markup:
    """The SVG of `rows` (label, sessions, participants); `chart_id` makes the ids unique in the page."""
    height = HEADER_HEIGHT + ROW_HEIGHT * len(rows) + 8
    column_width = (WIDTH - LABEL_WIDTH - 2 * GAP) / 2
    desc_id = f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="{escape(title)}" aria-describedby="{escape(desc_id)}" '
        f'font-family="inherit">',
        f"<title>{escape(title)}</title>",
        f'<desc id="{escape(desc_id)}">{escape(describe(rows) or "Aucune séance.")}</desc>',
    ]
    for index, row in enumerate(rows):
        y = HEADER_HEIGHT + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2 + BAR_HEIGHT - 6
        short = _short(row.label)
        tooltip = f"<title>{escape(row.label)}</title>" if short != row.label else ""
        parts.append(
            f'<text x="{LABEL_WIDTH - 12}" y="{y:.0f}" font-size="{FONT_SIZE}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{tooltip}{escape(short)}</text>'
        )
    first = LABEL_WIDTH
    second = LABEL_WIDTH + column_width + 2 * GAP
    parts += _column(first, column_width, "Séances", [r.sessions for r in rows], SESSIONS_COLOUR, "séance")
    parts += _column(
        second, column_width, "Participants", [r.participants for r in rows], PARTICIPANTS_COLOUR, "participant"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
