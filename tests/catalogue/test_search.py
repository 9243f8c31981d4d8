"""Search behaviour: ranking, type-ahead, accents, typos, plurals, filters, facets, laziness."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numeribus_kiosk.catalogue import index
from numeribus_kiosk.catalogue.record import Author, Copy, Record
from numeribus_kiosk.catalogue.search import Catalogue

from .conftest import french_records, open_db


def ids(result):
    return [h.id for h in result.results]


# --- ranking


def test_title_before_authors_before_subjects_before_summary(db):
    bus = (Copy("NUMERIBUS", on_board=True),)
    # Static rank alone would put the summary-only match first (on board, recent).
    french = [
        Record(id="summary", title="Au fil de l'eau", summary="La marmotte dort.", year=2024, copies=bus * 3),
        Record(id="subject", title="Les Alpes", subjects=("Marmotte",), year=2023, copies=bus * 2),
        Record(id="author", title="Carnets", authors=(Author("Marmotte, Jean"),), year=2022, copies=bus),
        Record(id="title", title="La marmotte", year=1990),
    ]
    index.replace_all(db, french)
    with Catalogue(db) as cat:
        assert ids(cat.search("marmotte")) == ["title", "author", "subject", "summary"]
        assert ids(cat.search("marm")) == ["title", "author", "subject", "summary"]
        # Inside a tier, static rank decides (on board first).
        assert ids(cat.search("", limit=4)) == ["summary", "subject", "author", "title"]


def test_terms_spread_over_title_and_authors(catalogue):
    assert ids(catalogue.search("hugo miserables")) == ["mis"]
    assert ids(catalogue.search("victor h")) == ["mis"]


def test_pagination(db):
    index.replace_all(db, [Record(id=f"r{i:02}", title=f"Histoire {i}", year=2000 + i) for i in range(30)])
    with Catalogue(db) as cat:
        first = ids(cat.search("histoire", limit=20))
        second = ids(cat.search("histoire", limit=20, offset=20))
        assert len(first) == 20 and len(second) == 10
        assert not set(first) & set(second)
        assert first[0] == "r29"  # most recent first
        assert cat.search("histoire", limit=5).total == 30


# --- type-ahead, accents, case


def test_prefix_type_ahead(catalogue):
    assert ids(catalogue.search("mis")) == ["mis"]
    assert ids(catalogue.search("M"))[0] == "mis"
    assert "frank" in ids(catalogue.search("fran"))
    assert ids(catalogue.search("les misérables")) == ["mis"]


def test_a_space_ends_the_word(catalogue):
    assert ids(catalogue.search("mis ")) == []  # no such complete word...
    assert ids(catalogue.search("misérables ")) == ["mis"]


def test_accents_ligatures_and_case(catalogue):
    assert ids(catalogue.search("ecole")) == ["ecole"]
    assert ids(catalogue.search("l'école des femmes")) == ["ecole"]
    assert ids(catalogue.search("Élève")) == ["eleve"]
    assert ids(catalogue.search("coeur")) == ["coeur"]
    assert ids(catalogue.search("CŒUR DE PIRATE")) == ["coeur"]
    assert ids(catalogue.search("FRANKENSTEIN")) == ["frank"]
    assert ids(catalogue.search("prométhée")) == ["frank"]
    assert ids(catalogue.search("economie politique")) == ["eco"]


# --- typing errors


@pytest.mark.parametrize(
    "typed, used",
    [
        ("frankenstien", ["frankenstein"]),  # swapped letters
        ("Frankenstien ", ["frankenstein"]),
        ("frankentein", ["frankenstein"]),  # missing letter
        ("frannkenstein", ["frankenstein"]),  # doubled letter
        ("frankenstain", ["frankenstein"]),  # wrong letter
        ("leroi-beaulieu", ["leroy", "beaulieu"]),  # i/y substitution
        ("miserabels ", ["miserables"]),
    ],
)
def test_typing_errors_are_corrected(catalogue, typed, used):
    result = catalogue.search(typed)
    assert ids(result) in (["frank"], ["eco"], ["mis"])
    assert result.corrected == used
    assert result.corrected_text == " ".join(used)


def test_known_word_that_finds_nothing_is_respelled(db):
    # "leroi" exists in this catalogue, but not next to "beaulieu".
    index.replace_all(
        db,
        [
            Record(id="a", title="Le roi", authors=(Author("Leroi, Paul"),)),
            Record(id="b", title="Économie", authors=(Author("Leroy-Beaulieu, Anatole"),)),
        ],
    )
    with Catalogue(db) as cat:
        result = cat.search("leroi beaulieu ")
        assert ids(result) == ["b"]
        assert result.corrected == ["leroy", "beaulieu"]
        assert cat.search("leroi ").corrected is None


def test_correct_words_are_not_corrected(catalogue):
    assert catalogue.search("frankenstein").corrected is None
    assert catalogue.search("zzzzzzzzz").results == []


# --- singular / plural


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("cheval ", {"cheval", "camargue"}),
        ("chevaux ", {"cheval", "camargue"}),
        ("chevaux", {"cheval", "camargue"}),
        ("livre ", {"livres"}),
        ("journaux ", {"journal"}),
        ("eau ", {"eaux"}),
        ("bijoux ", {"bijou"}),
    ],
)
def test_singular_and_plural(catalogue, typed, expected):
    result = catalogue.search(typed)
    assert set(ids(result)) == expected
    assert result.corrected is None


def test_singular_before_plural_is_by_tier_then_rank(catalogue):
    assert ids(catalogue.search("cheval ")) == ["cheval", "camargue"]  # cheval is on board


# --- filters and facets


def test_filters(catalogue):
    assert set(ids(catalogue.search("", {"type": "book", "audience": "children"}))) == {
        "cheval",
        "camargue",
        "eleve",
    }
    assert ids(catalogue.search("cheval", {"dys": True})) == ["cheval"]
    assert ids(catalogue.search("cheval", {"dys": False})) == ["camargue"]
    assert ids(catalogue.search("cheval", {"on_board": True})) == ["cheval"]
    assert ids(catalogue.search("", {"large_print": True})) == ["mis"]
    assert ids(catalogue.search("", {"audio": True})) == ["ecole"]
    assert ids(catalogue.search("", {"language": "eng"})) == ["en"]
    assert set(ids(catalogue.search("", {"type": ["music", "periodical"]}))) == {"coeur", "journal"}
    assert ids(catalogue.search("les", {"type": "book", "audience": "children", "on_board": False})) == ["camargue"]


def test_unknown_filters_raise(catalogue):
    with pytest.raises(ValueError, match="Unknown filter"):
        catalogue.search("x", {"colour": "red"})
    with pytest.raises(ValueError, match="document type"):
        catalogue.search("x", {"type": "scroll"})
    with pytest.raises(ValueError, match="True or False"):
        catalogue.search("x", {"dys": "yes"})
    with pytest.raises(ValueError):
        catalogue.search("x", {"audience": "martians"})


def test_facet_counts(catalogue, french):
    all_facets = catalogue.search("").facets
    assert all_facets["type"]["book"] == sum(r.type == "book" for r in french)
    assert all_facets["on_board"] == {True: 3}
    assert all_facets["language"] == {"fre": len(french) - 1, "eng": 1}
    facets = catalogue.search("le ", {"type": "book"}).facets
    assert facets["type"] == {"book": 2}  # Frankenstein ou le..., Le cheval
    assert facets["audience"] == {"children": 1, "adults": 1}
    assert facets["dys"] == {True: 1}
    assert facets["on_board"] == {True: 1}
    assert catalogue.facets("chevaux ", {"on_board": True})["dys"] == {True: 1}


def test_total_and_facets_are_lazy(catalogue):
    statements = []
    catalogue._conn.set_trace_callback(statements.append)
    try:
        result = catalogue.search("les ")
        assert not any("count(*)" in s for s in statements)
        assert result.total == 3
        assert any("count(*)" in s for s in statements)
        assert sum(result.facets["type"].values()) == 3
    finally:
        catalogue._conn.set_trace_callback(None)


def test_empty_query_browses_by_static_rank(catalogue, french):
    result = catalogue.search("  ")
    assert result.total == len(french)
    # On board first; among them the dated one, then by title.
    assert ids(result)[:3] == ["mis", "ecole", "cheval"]
    assert ids(catalogue.search("'-", limit=2)) == ids(result)[:2]


def test_hits_carry_what_a_result_list_needs(catalogue):
    (hit,) = catalogue.search("miserables").results
    assert hit.title == "Les Misérables" and hit.authors == ["Hugo, Victor"]
    assert hit.year == 1862 and hit.type == "large_print_book" and hit.audience == "adults"
    assert hit.language == "fre" and hit.on_board and hit.large_print and not hit.dys and not hit.audio


def test_stats(catalogue, french):
    stats = catalogue.stats()
    assert stats["records"] == len(french)
    assert stats["on_board"] == 3
    assert stats["type"]["book"] == sum(r.type == "book" for r in french)
    assert stats["audience"]["children"] == 4
    assert stats["imported_at"] and stats["catalogue_version"] == 1


def test_catalogue_from_a_path_shared_by_threads(loaded_db, db_path):
    errors = []
    with Catalogue(db_path) as cat:

        def work():
            try:
                for _ in range(50):
                    assert ids(cat.search("miserables")) == ["mis"]
                    assert cat.search("chev").total == 2
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


@pytest.fixture(scope="module")
def shared_catalogue(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("hyp") / "catalogue.db")
    index.replace_all(db, french_records())
    cat = Catalogue(db)
    yield cat
    cat.close()
    db.close()


@given(text=st.text(), filt=st.sampled_from([None, {"type": "book"}, {"dys": False, "language": "fre"}]))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_text_never_raises(shared_catalogue, text, filt):
    result = shared_catalogue.search(text, filt, limit=5)
    assert result.total >= len(result.results)
    assert isinstance(result.facets, dict)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèœ'- \"*^:()", max_size=30))
@settings(max_examples=300, deadline=None)
def test_query_syntax_characters_never_raise(shared_catalogue, text):
    shared_catalogue.search(text)


def test_a_filter_that_excludes_everything_is_not_a_typo(catalogue):
    result = catalogue.search("frankenstein", {"type": "dvd"})
    assert result.results == [] and result.corrected is None and result.total == 0


def test_articles_are_not_plurals(catalogue):
    assert set(ids(catalogue.search("les "))) == {"mis", "camargue", "eaux"}
