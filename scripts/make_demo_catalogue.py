#!/usr/bin/env python3
"""Build the kiosk's demo catalogue from real Library of Congress records.

Source: ``BooksAll.2016.part01.utf8`` (250,000 MARC21 records, UTF-8, ISO 2709), shipped in
the source distribution of pymarc 5.4.0::

    pip download --no-deps --no-binary :all: pymarc==5.4.0

Usage (from the repository root)::

    .venv/bin/python scripts/make_demo_catalogue.py /path/to/BooksAll.2016.part01.utf8 \
        [-o numeribus_kiosk/assets/demo/catalogue-demo.mrc] [--count 3000]

What it does, deterministically (no randomness: the same input gives the same bytes):

1. keeps the French-language records (008/35-37 == "fre") that have a 245 title, an author
   (1XX or 7XX), a four-digit publication year (008/07-10) and at least one subject (6XX);
2. sorts each record into one theme (regional: Loire/Forez/Lyon/Auvergne..., children,
   cooking, nature, literature, history, arts, society, sciences, geography, religion and
   philosophy, other) and takes a fixed quota per theme, best-scored first (recent, with an
   ISBN, with a Dewey number, with several subjects), ties broken by the 001 control number;
   rare themes (regional, children, cooking) are taken whole;
3. writes the chosen records in 001 order, each with leader/09 = 'a' (UTF-8) and one invented
   Koha-style 952 holdings field: $a home branch and $b holding branch ("NUMERIBUS" for every
   third record, on board the bus, "MDL" otherwise), $o call number (Dewey from 082 cut to three decimals
   plus three letters of the main entry, else the LC class from 050, else "DIV"),
   $p barcode ("DEMO" + six digits), $y item type ("LIVRE"). Any 952 already present is dropped.

The records' text is otherwise left exactly as the Library of Congress distributes it
(including decomposed Unicode accents, NFD), so the demo also exercises the readers.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pymarc

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_ROOT / "numeribus_kiosk" / "assets" / "demo" / "catalogue-demo.mrc"
DEFAULT_COUNT = 3000
BUS_BRANCH = "NUMERIBUS"
RESERVE_BRANCH = "MDL"

# Themes in priority order: a record belongs to the first one that matches.
# Quotas are fractions of --count; `None` means "take them all" (rare themes).
THEME_QUOTAS: dict[str, float | None] = {
    "regional": None,
    "children": None,
    "cooking": None,
    "nature": 0.09,
    "literature": 0.27,
    "history": 0.18,
    "arts": 0.12,
    "society": 0.09,
    "sciences": 0.06,
    "geography": 0.05,
    "religion_philosophy": 0.04,
    "other": 0.02,
}

REGIONAL_WORDS = (
    "loire",
    "forez",
    "saint-etienne",
    "st-etienne",
    "lyon",
    "rhone",
    "auvergne",
    "massif central",
    "beaujolais",
    "velay",
    "vivarais",
    "roanne",
    "montbrison",
    "pilat",
    "le puy",
)
COOKING_WORDS = (
    "cooking",
    "cookery",
    "cuisine",
    "recettes",
    "gastronomy",
    "food habits",
    "wine and wine making",
)
NATURE_WORDS = (
    "natural history",
    "birds",
    "plants",
    "flowers",
    "trees",
    "animals",
    "insects",
    "mammals",
    "mountains",
    "forests",
    "ecology",
    "gardening",
    "gardens",
    "nature",
    "landscape",
)
CHILDREN_WORDS = ("juvenile",)


@dataclass
class Candidate:
    control: str
    record: pymarc.Record
    theme: str
    score: int


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def french_raw_records(data: bytes):
    """Yield the raw ISO 2709 records whose 008/35-37 is "fre", without a full parse.

    Records are split on the record terminator (0x1D) rather than trusting the leader's length.
    """
    for raw in data.split(b"\x1d"):
        if len(raw) < 24:
            continue
        try:
            base = int(raw[12:17])
            directory = raw[24 : base - 1]
            for i in range(0, len(directory) - 11, 12):
                if directory[i : i + 3] == b"008":
                    length = int(directory[i + 3 : i + 7])
                    start = int(directory[i + 7 : i + 12])
                    field = raw[base + start : base + start + length]
                    if field[35:38] == b"fre":
                        yield raw + b"\x1d"
                    break
        except ValueError:
            continue


def _year(record: pymarc.Record) -> int | None:
    f008 = record.get("008")
    if f008 is None:
        return None
    date1 = f008.data[7:11]
    if not date1.isdigit():
        return None
    year = int(date1)
    return year if 1500 <= year <= 2016 else None


def _has_author(record: pymarc.Record) -> bool:
    return bool(record.get_fields("100", "110", "111", "700", "710", "711"))


def _subjects(record: pymarc.Record) -> list[str]:
    return [f.format_field() for f in record.get_fields("600", "610", "611", "630", "650", "651")]


def _lcc(record: pymarc.Record) -> str:
    f050 = record.get("050")
    return ((f050.get("a") if f050 else "") or "").strip()


def eligible(record: pymarc.Record) -> bool:
    f245 = record.get("245")
    return (
        f245 is not None
        and bool((f245.get("a") or "").strip())
        and _year(record) is not None
        and _has_author(record)
        and bool(_subjects(record))
        and record.leader[6] == "a"
    )


def theme_of(record: pymarc.Record) -> str:
    subjects = _fold(" | ".join(_subjects(record)))
    title = _fold(record.get("245").format_field())
    place = _fold(" ".join(f.format_field() for f in record.get_fields("260", "264")))
    lcc = _lcc(record).upper()
    audience = record.get("008").data[22:23]

    def words(haystack: str, needles) -> bool:
        return any(re.search(r"\b" + re.escape(n) + r"\b", haystack) for n in needles)

    if words(subjects + " " + title, REGIONAL_WORDS) or ("saint-etienne" in place):
        return "regional"
    if audience in ("a", "b", "c", "j") or words(subjects, CHILDREN_WORDS) or lcc.startswith("PZ"):
        return "children"
    if words(subjects, COOKING_WORDS) or lcc.startswith("TX"):
        return "cooking"
    if words(subjects, NATURE_WORDS) or lcc[:2] in ("QH", "QK", "QL", "QE", "SB", "SD", "SF", "SK"):
        return "nature"
    if lcc[:2] in ("PN", "PQ", "PR", "PS", "PT", "PG") or words(subjects, ("fiction", "poetry", "drama")):
        return "literature"
    if lcc[:1] in ("C", "D", "E", "F"):
        return "history"
    if lcc[:1] in ("N", "M") or lcc[:2] in ("GV", "TR"):
        return "arts"
    if lcc[:1] in ("H", "J", "L"):
        return "society"
    if lcc[:1] in ("Q", "R", "S", "T", "U", "V"):
        return "sciences"
    if lcc[:1] == "G":
        return "geography"
    if lcc[:1] == "B":
        return "religion_philosophy"
    return "other"


def score_of(record: pymarc.Record) -> int:
    year = _year(record) or 0
    score = 0
    score += 4 if year >= 1990 else 2 if year >= 1970 else 1 if year >= 1945 else 0
    score += 1 if record.get_fields("020") else 0
    score += 1 if record.get_fields("082") else 0
    score += 1 if len(_subjects(record)) >= 2 else 0
    score += 1 if record.get_fields("520") else 0
    return score


def select(candidates: list[Candidate], count: int) -> list[Candidate]:
    by_theme: dict[str, list[Candidate]] = {t: [] for t in THEME_QUOTAS}
    for c in candidates:
        by_theme[c.theme].append(c)
    for items in by_theme.values():
        items.sort(key=lambda c: (-c.score, c.control))
    chosen: list[Candidate] = []
    for theme, quota in THEME_QUOTAS.items():
        items = by_theme[theme]
        take = len(items) if quota is None else round(quota * count)
        chosen.extend(items[:take])
    chosen = chosen[:count]
    if len(chosen) < count:  # a theme fell short: fill with the best of what is left
        taken = {c.control for c in chosen}
        rest = sorted((c for c in candidates if c.control not in taken), key=lambda c: (-c.score, c.control))
        chosen.extend(rest[: count - len(chosen)])
    return sorted(chosen, key=lambda c: c.control)


def call_number(record: pymarc.Record) -> str:
    """A public-library style call number: Dewey + 3 letters of the main entry, else the LCC."""
    f082 = record.get("082")
    dewey = (f082.get("a") if f082 else "") or ""
    dewey = re.sub(r"[^0-9.]", "", dewey.split()[0] if dewey.split() else "")
    if "." in dewey:  # a public-library shelf keeps at most three decimals: 346.440135 -> 346.440
        whole, decimals = dewey.split(".", 1)
        dewey = f"{whole}.{decimals.replace('.', '')[:3]}".rstrip(".")
    main = record.get("100") or record.get("110") or record.get("111") or record.get("245")
    letters = re.sub(r"[^a-z]", "", _fold((main.get("a") or "") if main else ""))[:3].upper()
    if dewey:
        return f"{dewey} {letters}".strip()
    f050 = record.get("050")
    # "MLCM 2003/00982 (H)" and the like are LC shelving numbers, not a classification.
    if f050 and not (f050.get("a") or "").startswith("MLC"):
        parts = [p.strip() for p in (f050.get_subfields("a")[:1] + f050.get_subfields("b")[:1]) if p.strip()]
        if parts:
            return " ".join(parts)
    return f"DIV {letters}".strip()


def holdings(index: int, record: pymarc.Record) -> pymarc.Field:
    branch = BUS_BRANCH if index % 3 == 0 else RESERVE_BRANCH
    return pymarc.Field(
        tag="952",
        indicators=pymarc.Indicators(" ", " "),
        subfields=[
            pymarc.Subfield("a", branch),
            pymarc.Subfield("b", branch),
            pymarc.Subfield("o", call_number(record)),
            pymarc.Subfield("p", f"DEMO{index + 1:06d}"),
            pymarc.Subfield("y", "LIVRE"),
        ],
    )


def build(source: Path, output: Path, count: int) -> Counter:
    data = source.read_bytes()
    candidates: list[Candidate] = []
    for raw in french_raw_records(data):
        try:
            record = pymarc.Record(data=raw, to_unicode=True, force_utf8=True)
        except Exception as exc:  # noqa: BLE001 - a broken source record is skipped, not fatal
            print(f"skipped an unreadable record: {exc}", file=sys.stderr)
            continue
        if not eligible(record):
            continue
        control = (record.get("001").data if record.get("001") else "").strip()
        if not control:
            continue
        candidates.append(Candidate(control, record, theme_of(record), score_of(record)))
    chosen = select(candidates, count)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".tmp")
    themes: Counter = Counter()
    with tmp.open("wb") as out:
        for index, cand in enumerate(chosen):
            record = cand.record
            record.remove_fields("952")
            record.add_ordered_field(holdings(index, record))
            record.leader = record.leader[:9] + "a" + record.leader[10:]
            out.write(record.as_marc())
            themes[cand.theme] += 1
            themes["on_board" if index % 3 == 0 else "reserve"] += 1
    tmp.replace(output)
    themes["eligible_french"] = len(candidates)
    return themes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="BooksAll.2016.part01.utf8 from the pymarc 5.4.0 sdist")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    args = parser.parse_args(argv)
    if not args.source.is_file():
        parser.error(f"{args.source}: no such file")
    stats = build(args.source, args.output, args.count)
    size = args.output.stat().st_size
    written = stats["on_board"] + stats["reserve"]
    print(f"{written} records written to {args.output} ({size / 1_000_000:.2f} MB)")
    print(f"on board ({BUS_BRANCH}): {stats['on_board']}, reserve ({RESERVE_BRANCH}): {stats['reserve']}")
    print(f"eligible French records in the source: {stats['eligible_french']}")
    print("themes: " + ", ".join(f"{t}={stats[t]}" for t in THEME_QUOTAS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
