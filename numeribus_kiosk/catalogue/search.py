"""Searching the catalogue: ranked type-ahead search, filters, facets, spelling help.

How a search runs (see docs/search.md for the why):

1. `query.parse` folds the text into terms; the last one is a prefix unless the
   text ends with a space.
2. One vocabulary lookup tells which terms are known and which singular/plural
   forms exist; unknown words (no term, or for the prefix no term starting with
   it) are replaced by their most frequent Damerau-Levenshtein-1 neighbour.
3. The match expression E is an AND of OR-groups, every term quoted
   (("cheval" OR "chevaux") AND "camar"*).  Filters are hidden facet tokens
   ANDed to it ("_t_book", "_lp"...).
4. Ranking is by tiers, each a rowid-ordered FTS5 scan stopping at LIMIT:
   all terms in the title, then in title+authors, then title+authors+subjects,
   then anywhere (summary, ISBN).  Inside a tier, records come by static rank
   (rowid: on board first, more copies, most recent).  This gives
   title > authors > subjects > summary without bm25's pass over whole doclists.
5. Still nothing: each correctable term is tried with its known neighbours
   ("leroi" -> "leroy"), most frequent first, keeping what finds records.

`SearchResult.total` and `.facets` are computed lazily, on first access, by a
full count over the match set; the ranked page itself never counts.  They run
on the Catalogue's connection at access time (after a catalogue swap they
describe the new catalogue).

Threads: a Catalogue serialises its own use with a lock, and when it opens the
database itself (from a path) it does so with check_same_thread=False, so one
Catalogue may be shared by threads.  For parallel searches, use one Catalogue
per thread (each has its own connection; WAL lets them read concurrently).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .index import _meta_get, row_to_record
from .query import ParsedQuery, correctable, edit_candidates, parse, plural_variants, quote, tokens
from .record import AUDIENCES, DOC_TYPES, Record

FILTER_KEYS = ("type", "audience", "language", "large_print", "dys", "audio", "braille", "on_board")
_BOOL_TAGS = {
    "large_print": "_lp",
    "dys": "_dys",
    "audio": "_audio",
    "braille": "_braille",
    "on_board": "_board",
}
BOOLEAN_FILTERS = frozenset(_BOOL_TAGS)
FACET_KEYS = ("type", "audience", "language", "large_print", "dys", "audio", "braille", "on_board")

# Column sets of the ranking tiers, best first.  The last tier (all columns) is
# written without a column filter: facet tags start with "_", visitor terms never do.
TIERS: tuple[tuple[str, ...] | None, ...] = (
    ("title",),
    ("title", "authors"),
    ("title", "authors", "subjects"),
    None,
)

MAX_CORRECTION_TRIES = 5  # known neighbours tried per term when a query finds nothing
# Candidates fetched beyond the page in each tier and re-ranked by `_fine_score`:
# static rank decides which records are looked at, the words decide their order.
RERANK_WINDOW = 60
_ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "the", "a", "an"})


def _fine_score(title: str, authors_json: str | None, groups: list[_Group]) -> tuple:
    """Sort key (smaller is better) of one candidate within its tier.

    Main title words (plus author names in the title-or-authors tier): how many of
    the visitor's words they hold, whether in the typed order, whether the title
    starts with the first one, then shorter first (an exact title beats a long one
    containing it).
    """
    text = title or ""
    if authors_json:
        text += " " + " ".join(a.get("name", "") for a in json.loads(authors_json))
    words = tokens(text or "")
    if not words:
        return (1, 0, 0, 0, 0)
    wordset = set(words)

    def matches(group: _Group, word: str) -> bool:
        return word == group.term or word in group.alternatives or (group.prefix and word.startswith(group.term))

    positions = []
    for group in groups:
        where = next((i for i, w in enumerate(words) if matches(group, w)), None)
        if where is None and not group.prefix and group.term in wordset:
            where = words.index(group.term)
        positions.append(where)
    found = [p for p in positions if p is not None]
    in_order = len(found) == len(groups) and found == sorted(found) and (found[-1] - found[0]) < 2 * len(groups)
    content = [w for w in words if w not in _ARTICLES] or words
    starts = bool(groups) and matches(groups[0], content[0])
    return (
        -len(found),
        not in_order,
        not starts,
        len(words),
    )  # known neighbours tried per term when a query finds nothing


_HIT_COLUMNS = (
    "rank",
    "id",
    "title",
    "subtitle",
    "authors",
    "year",
    "type",
    "audience",
    "language",
    "on_board",
    "large_print",
    "dys",
    "audio",
    "braille",
)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a result list shows for one record."""

    id: str
    title: str
    subtitle: str
    authors: list[str]
    year: int | None
    type: str
    audience: str
    language: str
    on_board: bool
    large_print: bool
    dys: bool
    audio: bool
    braille: bool
    rank: int  # static rank (1 = first)


class SearchResult:
    """A ranked page of hits; `total` and `facets` are computed on first access."""

    def __init__(
        self,
        results: list[Hit],
        *,
        terms: tuple[str, ...] = (),
        corrected: list[str] | None = None,
        count: Callable[[], int] | None = None,
        facet_counts: Callable[[], dict] | None = None,
    ) -> None:
        self.results = results
        self.terms = terms  # the terms searched for (after correction)
        self.corrected = corrected  # set only when spelling correction changed the terms
        self._count = count
        self._facet_counts = facet_counts
        self._total: int | None = None if count else len(results)
        self._facets: dict | None = None if facet_counts else {}

    @property
    def corrected_text(self) -> str | None:
        """ "frankenstein": what to show in « Résultats pour … », or None."""
        return " ".join(self.corrected) if self.corrected else None

    @property
    def total(self) -> int:
        if self._total is None:
            self._total = self._count()
        return self._total

    @property
    def facets(self) -> dict[str, dict[Any, int]]:
        if self._facets is None:
            self._facets = self._facet_counts()
        return self._facets

    def __len__(self) -> int:
        return len(self.results)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (docs/cli.md): total, results, facets, corrected."""
        return {
            "total": self.total,
            "corrected": self.corrected_text,
            "results": [asdict(hit) for hit in self.results],
            "facets": {
                facet: {str(value).lower() if isinstance(value, bool) else value: n for value, n in counts.items()}
                for facet, counts in self.facets.items()
            },
        }

    def __repr__(self) -> str:
        return f"<SearchResult {len(self.results)} hits, terms={self.terms!r}, corrected={self.corrected!r}>"


@dataclass(slots=True)
class _Group:
    """One visitor word and the forms searched for it."""

    term: str
    prefix: bool
    alternatives: list[str] = field(default_factory=list)  # extra exact forms (plural variants)

    def expr(self) -> str:
        parts = [quote(self.term) + ("*" if self.prefix else "")]
        parts += [quote(a) for a in self.alternatives]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _filter_expr(filters: dict | None) -> tuple[list[str], list[str]]:
    """(positive tag expressions, negative tag expressions) for `filters`."""
    if not filters:
        return [], []
    if not isinstance(filters, dict):
        raise ValueError("filters must be a dict such as {'type': 'book', 'large_print': True}")
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ValueError(f"Unknown filter(s) {', '.join(unknown)}; known filters: {', '.join(FILTER_KEYS)}.")
    pos: list[str] = []
    neg: list[str] = []
    for key in FILTER_KEYS:
        if key not in filters or filters[key] is None:
            continue
        value = filters[key]
        if key in _BOOL_TAGS:
            if not isinstance(value, bool):
                raise ValueError(f"Filter {key!r} takes True or False, not {value!r}.")
            (pos if value else neg).append(quote(_BOOL_TAGS[key]))
            continue
        values = [value] if isinstance(value, str) else list(value)
        if not values or not all(isinstance(v, str) and v for v in values):
            raise ValueError(f"Filter {key!r} takes a non-empty string or a list of them, not {value!r}.")
        if key == "type":
            bad = [v for v in values if v not in DOC_TYPES]
            if bad:
                raise ValueError(f"Unknown document type(s) {bad}; known: {', '.join(DOC_TYPES)}.")
            toks = ["_t_" + v.replace("_", "") for v in values]
        elif key == "audience":
            bad = [v for v in values if v not in AUDIENCES]
            if bad:
                raise ValueError(f"Unknown audience(s) {bad}; known: {', '.join(AUDIENCES)}.")
            toks = ["_a_" + v.replace("_", "") for v in values]
        else:  # language
            toks = ["_l_" + "".join(ch for ch in v.lower() if ch.isascii() and ch.isalnum()) for v in values]
        quoted = [quote(t) for t in toks]
        pos.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return pos, neg


def _combine(core: str | None, pos: list[str], neg: list[str]) -> str | None:
    """AND the positive filters to `core`, then NOT the negative ones (None: no FTS needed)."""
    parts = ([core] if core else []) + pos
    if not parts and not neg:
        return None
    expr = " AND ".join(parts) if parts else quote("_all")
    for n in neg:
        expr = f"({expr}) NOT {n}"
    return expr


class Catalogue:
    """Read access to catalogue.db: search, get, stats, facets."""

    def __init__(self, db: Any, *, cache_mb: int = 32, close_db: bool = False) -> None:
        """`db`: a path (own read-only connection), a sqlite_utils.Database or a sqlite3.Connection.

        `close_db=True` hands a given Database/Connection over: close() closes it.
        """
        self._lock = threading.RLock()
        if isinstance(db, (str, Path)):
            self._conn = sqlite3.connect(str(db), check_same_thread=False)
            self._owned = True
            self._conn.execute("PRAGMA query_only = 1")
            self._conn.execute("PRAGMA busy_timeout = 5000")
        else:
            self._conn = db if isinstance(db, sqlite3.Connection) else db.conn
            self._owned = close_db
        self._conn.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1000}")

    # -- lifecycle
    def interrupt(self) -> None:
        """Abort the statement running on this catalogue's connection, from any thread.

        The running call raises ``sqlite3.OperationalError("interrupted")``; with nothing
        running it is a no-op.  The kiosk uses it when a visitor's newer keystroke makes the
        counts of the previous query useless.
        """
        self._conn.interrupt()

    def close(self) -> None:
        if self._owned:
            self._conn.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- low level
    def _all(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def _ranks(self, match: str, limit: int) -> list[int]:
        return [
            r[0]
            for r in self._all(
                f"SELECT rowid FROM [{schema.FTS}] WHERE [{schema.FTS}] MATCH ? ORDER BY rowid LIMIT ?",
                (match, limit),
            )
        ]

    def _count(self, match: str | None) -> int:
        if match is None:
            return self._all(f"SELECT count(*) FROM [{schema.RECORDS}]")[0][0]
        return self._all(f"SELECT count(*) FROM [{schema.FTS}] WHERE [{schema.FTS}] MATCH ?", (match,))[0][0]

    def _facet_counts(self, match: str | None) -> dict[str, dict[Any, int]]:
        where = f"WHERE rank IN (SELECT rowid FROM [{schema.FTS}] WHERE [{schema.FTS}] MATCH ?)" if match else ""
        rows = self._all(
            f"SELECT {', '.join(FACET_KEYS)}, count(*) FROM [{schema.RECORDS}] {where} "
            f"GROUP BY {', '.join(FACET_KEYS)}",
            (match,) if match else (),
        )
        out: dict[str, dict[Any, int]] = {k: {} for k in FACET_KEYS}
        for row in rows:
            n = row[-1]
            for key, value in zip(FACET_KEYS, row[:-1], strict=False):
                if key in _BOOL_TAGS:
                    if value:
                        out[key][True] = out[key].get(True, 0) + n
                elif value:
                    out[key][value] = out[key].get(value, 0) + n
        return out

    def _vocab(self, terms: Iterable[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        out: dict[str, int] = {}
        # SQLite allows 32766 variables; candidates of one long word stay well below.
        for i in range(0, len(terms), 30000):
            chunk = terms[i : i + 30000]
            rows = self._all(
                f"SELECT term, docs FROM [{schema.VOCAB}] WHERE term IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            out.update(rows)
        return out

    def _has_prefix(self, prefix: str) -> bool:
        rows = self._all(
            f"SELECT 1 FROM [{schema.VOCAB}] WHERE term >= ? AND term < ? LIMIT 1",
            (prefix, prefix + "\U0010ffff"),
        )
        return bool(rows)

    def _best_neighbours(self, term: str, limit: int) -> list[str]:
        if not correctable(term):
            return []
        found = self._vocab(edit_candidates(term))
        return [t for t, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]

    # -- search
    def _groups(self, parsed: ParsedQuery) -> tuple[list[_Group], bool]:
        """Term groups with plural variants; unknown terms replaced by a close known word."""
        terms = parsed.terms
        last = len(terms) - 1
        wanted: set[str] = set()
        variants: dict[int, set[str]] = {}
        for i, t in enumerate(terms):
            variants[i] = plural_variants(t)
            wanted |= variants[i]
            if not (parsed.prefix and i == last):
                wanted.add(t)
        known = self._vocab(wanted)
        groups: list[_Group] = []
        corrected = False
        for i, t in enumerate(terms):
            is_prefix = parsed.prefix and i == last
            exists = self._has_prefix(t) if is_prefix else t in known
            alts = sorted(v for v in variants[i] if v in known and not (is_prefix and v.startswith(t)))
            if not exists and not alts:
                best = self._best_neighbours(t, 1)
                if best:
                    groups.append(_Group(best[0], False, sorted(v for v in plural_variants(best[0]) if v != best[0])))
                    corrected = True
                    continue
            groups.append(_Group(t, is_prefix, alts))
        if corrected:
            # Plural forms of corrections are kept only if known.
            extra = {a for g in groups for a in g.alternatives}
            known_extra = self._vocab(extra) if extra else {}
            for g in groups:
                g.alternatives = [a for a in g.alternatives if a in known_extra]
        return groups, corrected

    def _tiered(self, groups: list[_Group], pos: list[str], neg: list[str], need: int) -> list[int]:
        """Ranks of the best `need` records: tier by tier, each tier re-ranked by `_fine_score`."""
        core = " AND ".join(g.expr() for g in groups)
        ranks: list[int] = []
        seen: set[int] = set()
        for tier, cols in enumerate(TIERS):
            scoped = f"{{{' '.join(cols)}}} : ({core})" if cols else f"({core})"
            match = _combine(scoped, pos, neg)
            fresh = [r for r in self._ranks(match, need + len(ranks) + RERANK_WINDOW) if r not in seen]
            seen.update(fresh)
            ranks.extend(self._rerank(fresh, groups, tier))
            if len(ranks) >= need:
                break
        return ranks

    def _rerank(self, ranks: list[int], groups: list[_Group], tier: int) -> list[int]:
        """Order one tier's candidates by how well their title (or authors) matches, then static rank."""
        if len(ranks) < 2:
            return ranks
        rows = self._all(
            f"SELECT rank, title, authors FROM [{schema.RECORDS}] WHERE rank IN ({', '.join('?' * len(ranks))})",
            ranks,
        )
        scores = {r: _fine_score(title, authors if tier == 1 else None, groups) for r, title, authors in rows}
        return sorted(ranks, key=lambda r: (scores.get(r, (0,)), r))

    def _exists(self, groups: list[_Group], pos: list[str], neg: list[str]) -> bool:
        core = " AND ".join(g.expr() for g in groups)
        return bool(self._ranks(_combine(f"({core})", pos, neg), 1))

    def _respell(self, groups: list[_Group], pos: list[str], neg: list[str]) -> bool:
        """Nothing found: try known neighbours of each word, keeping the first that finds records."""
        changed = False
        for i, g in enumerate(groups):
            for cand in self._best_neighbours(g.term, MAX_CORRECTION_TRIES):
                trial = list(groups)
                trial[i] = _Group(cand, False, [])
                if self._exists(trial, pos, neg):
                    groups[i] = trial[i]
                    changed = True
                    break
            if changed and self._exists(groups, pos, neg):
                return True
        return changed and self._exists(groups, pos, neg)

    def search(self, text: str, filters: dict | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        """Ranked records for `text`; see the module docstring.

        An empty text (or one without any word) browses the catalogue, filtered,
        in static-rank order.  `filters` keys: type, audience, language (strings
        or lists of strings), large_print, dys, audio, braille, on_board (bools);
        unknown keys raise ValueError.
        """
        if not isinstance(text, str):
            raise TypeError("search() text must be a string")
        limit = max(0, int(limit))
        offset = max(0, int(offset))
        pos, neg = _filter_expr(filters)
        parsed = parse(text)
        need = offset + limit
        with self._lock:
            if parsed.empty:
                match = _combine(None, pos, neg)
                if match is None:
                    ranks = [
                        r[0]
                        for r in self._all(
                            f"SELECT rank FROM [{schema.RECORDS}] ORDER BY rank LIMIT ? OFFSET ?",
                            (limit, offset),
                        )
                    ]
                else:
                    ranks = self._ranks(match, need)[offset:]
                return self._result(ranks, (), None, match)
            groups, corrected = self._groups(parsed)
            ranks = self._tiered(groups, pos, neg, need)
            # Respell only when the words themselves find nothing (not when a filter excludes all).
            if (
                not ranks
                and offset == 0
                and not ((pos or neg) and self._exists(groups, [], []))
                and self._respell(groups, pos, neg)
            ):
                corrected = True
                ranks = self._tiered(groups, pos, neg, need)
            terms = tuple(g.term for g in groups)
            core = " AND ".join(g.expr() for g in groups)
            match = _combine(f"({core})", pos, neg)
            return self._result(ranks[offset:need], terms, list(terms) if corrected else None, match)

    def _result(self, ranks: list[int], terms: tuple[str, ...], corrected, match: str | None) -> SearchResult:
        hits = self._hits(ranks)
        return SearchResult(
            hits,
            terms=terms,
            corrected=corrected,
            count=lambda: self._count(match),
            facet_counts=lambda: self._facet_counts(match),
        )

    def _hits(self, ranks: list[int]) -> list[Hit]:
        if not ranks:
            return []
        rows = self._all(
            f"SELECT {', '.join(_HIT_COLUMNS)} FROM [{schema.RECORDS}] WHERE rank IN ({', '.join('?' * len(ranks))})",
            ranks,
        )
        by_rank = {}
        for r in rows:
            by_rank[r[0]] = Hit(
                id=r[1],
                title=r[2],
                subtitle=r[3],
                authors=[a["name"] for a in json.loads(r[4])],
                year=r[5],
                type=r[6],
                audience=r[7],
                language=r[8],
                on_board=bool(r[9]),
                large_print=bool(r[10]),
                dys=bool(r[11]),
                audio=bool(r[12]),
                braille=bool(r[13]),
                rank=r[0],
            )
        return [by_rank[r] for r in ranks if r in by_rank]

    # -- other reads
    def facets(self, text: str = "", filters: dict | None = None) -> dict[str, dict[Any, int]]:
        """Facet counts ({facet: {value: count}}) of what `search(text, filters)` matches."""
        return self.search(text, filters, limit=0).facets

    def get(self, record_id: str) -> Record | None:
        cols = ", ".join(schema.RECORD_COLUMNS)
        rows = self._all(f"SELECT {cols} FROM [{schema.RECORDS}] WHERE id = ?", (record_id,))
        return row_to_record(rows[0]) if rows else None

    def stats(self) -> dict[str, Any]:
        """Counts for the staff screen: records, per facet, on board, last import."""
        with self._lock:
            facets = self._facet_counts(None)
            records = self._count(None)
            meta = {k: _meta_get(self._conn, k) for k in ("imported_at", "updated_at", "catalogue_version")}
        return {
            "records": records,
            "on_board": facets["on_board"].get(True, 0),
            "large_print": facets["large_print"].get(True, 0),
            "dys": facets["dys"].get(True, 0),
            "audio": facets["audio"].get(True, 0),
            "braille": facets["braille"].get(True, 0),
            "type": facets["type"],
            "audience": facets["audience"],
            "language": facets["language"],
            "imported_at": meta["imported_at"],
            "updated_at": meta["updated_at"],
            "catalogue_version": int(meta["catalogue_version"] or 0),
        }
