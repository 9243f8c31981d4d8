"""Checks every admin page must pass: French, one h1, landmarks, a skip link, a label for every field."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class PageOutline:
    lang: str | None = None
    ids: list[str] = field(default_factory=list)
    labels_for: set[str] = field(default_factory=set)
    fields: list[dict] = field(default_factory=list)  # input/select/textarea needing a label
    headings: list[tuple[str, str]] = field(default_factory=list)
    landmarks: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)
    images_without_text: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline = PageOutline()
        self._heading: list[str] | None = None
        self._heading_tag = ""
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        o = self.outline
        if tag == "html":
            o.lang = a.get("lang")
        if "id" in a:
            o.ids.append(a["id"])
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                o.labels_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type", "text") not in UNLABELLED_TYPES:
            o.fields.append({**a, "_tag": tag, "_wrapped": self._label_depth > 0})
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading, self._heading_tag = [], tag
        if tag in ("main", "nav", "header", "footer"):
            o.landmarks.append(tag)
        if tag == "a" and "href" in a:
            o.links.append(a["href"])
        if tag == "form":
            o.forms.append({**a, "_names": []})
        if tag in ("input", "select", "textarea") and o.forms and not o.forms[-1].get("_closed"):
            o.forms[-1]["_names"].append(a.get("name"))
        if tag == "img" and not a.get("alt"):
            o.images_without_text.append(a.get("src", "?"))
        if tag == "svg" and not (a.get("aria-label") or a.get("aria-labelledby") or a.get("aria-hidden")):
            o.images_without_text.append("svg")

    def handle_endtag(self, tag):
        if tag == "form" and self.outline.forms:
            self.outline.forms[-1]["_closed"] = True  # later fields are not its own
        if tag == "label":
            self._label_depth -= 1
        if self._heading is not None and tag == self._heading_tag:
            self.outline.headings.append((tag, " ".join("".join(self._heading).split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def outline(html: str) -> PageOutline:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.outline


def check_page(html: str) -> PageOutline:
    """Assert the rules every admin page follows; returns the outline for more checks."""
    o = outline(html)
    assert o.lang == "fr"
    assert len(o.ids) == len(set(o.ids)), f"duplicate ids: {sorted(i for i in o.ids if o.ids.count(i) > 1)}"
    assert [tag for tag, _ in o.headings].count("h1") == 1, o.headings
    assert "main" in o.landmarks
    assert "contenu" in o.ids and "#contenu" in o.links, "no skip link to the main content"
    for f in o.fields:
        labelled = f["_wrapped"] or f.get("id") in o.labels_for or f.get("aria-label") or f.get("aria-labelledby")
        assert labelled, f"field without a label: {f}"
    for form in o.forms:
        if form.get("method", "get").lower() == "post":
            assert form.get("action", "").startswith("/admin"), form
            assert "csrf" in form["_names"] or "jeton" in form["_names"], f"POST form without its token: {form}"
    assert not o.images_without_text
    return o
