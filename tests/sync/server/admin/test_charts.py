"""sync.server.admin.charts: SVG bar charts that carry their figures as text and describe themselves."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sync.server.admin import charts
from sync.server.admin.stats import Row

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def test_the_chart_is_an_accessible_image_with_every_figure_as_text():
    rows = [Row("Tout public", 12, 340), Row("Scolaires", 3, 75), Row("Seniors", 0, 0)]
    svg = parse(charts.bar_chart(rows, title="Par public, novembre 2026", chart_id="publics"))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Par public, novembre 2026"
    desc_id = svg.get("aria-describedby")
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == desc_id == "publics-desc"
    assert svg.find(f"{SVG}title").text == "Par public, novembre 2026"
    assert desc.text == (
        "Tout public : 12 séances, 340 participants ; Scolaires : 3 séances, 75 participants ; "
        "Seniors : 0 séance, 0 participant"
    )
    words = texts(svg)
    for expected in ("Séances", "Participants", "Tout public", "Scolaires", "Seniors", "12", "340", "3", "75"):
        assert expected in words
    assert words.count("0") == 2  # the zeros are written too
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 4  # no bar for a zero
    widths = {bar.find(f"{SVG}title").text: float(bar.get("width")) for bar in bars}
    assert widths["12 séances"] == widths["340 participants"]  # each column has its own scale
    assert widths["3 séances"] == widths["12 séances"] / 4
    # The two columns do not share a colour, but each has its heading: colour is never the only cue.
    assert len({bar.get("fill") for bar in bars}) == 2
    assert "style" not in str(charts.bar_chart(rows, title="t", chart_id="x"))


def test_labels_are_escaped_and_long_ones_shortened_with_the_full_text_kept():
    long_label = "Atelier <numérique> & démarches administratives en ligne"
    svg = parse(charts.bar_chart([Row(long_label, 1, 1)], title="A & B", chart_id="c"))
    assert svg.get("aria-label") == "A & B"
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end")
    assert label.find(f"{SVG}title").text == long_label
    shown = "".join(label.itertext()).replace(long_label, "")
    assert shown.endswith("…") and len(shown) <= charts.LABEL_MAX_CHARS
    assert long_label in svg.find(f"{SVG}desc").text


def test_small_values_still_show_a_bar_and_big_numbers_are_grouped():
    svg = parse(charts.bar_chart([Row("a", 1, 1), Row("b", 10000, 12345)], title="t", chart_id="c"))
    widths = sorted(float(bar.get("width")) for bar in svg.findall(f"{SVG}rect"))
    assert widths[0] >= 2
    assert "12\u202f345" in texts(svg)


def test_plural_and_number_in_french():
    assert charts.plural(0, "séance") == "0 séance"
    assert charts.plural(1, "séance") == "1 séance"
    assert charts.plural(2, "séance") == "2 séances"
    assert charts.number(1234567) == "1\u202f234\u202f567"


def test_an_empty_chart_says_so():
    svg = parse(charts.bar_chart([], title="Rien", chart_id="vide"))
    assert svg.find(f"{SVG}desc").text == "Aucune séance."
