"""Query parsing: folding, splitting, prefix, quoting, spelling and plural candidates."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from numeribus_kiosk.catalogue import schema
from numeribus_kiosk.catalogue.query import (
    correctable,
    edit_candidates,
    fold_fast,
    parse,
    plural_variants,
    quote,
    tokens,
)
from numeribus_kiosk.catalogue.text import fold


def test_apostrophes_hyphens_and_accents():
    assert parse("L'école des femmes ").terms == ("l", "ecole", "des", "femmes")
    assert parse("Leroy-Beaulieu").terms == ("leroy", "beaulieu")
    assert parse("CŒUR de Pirate").terms == ("coeur", "de", "pirate")
    assert parse("Élève").terms == ("eleve",)


def test_last_word_is_a_prefix_unless_the_text_ends_with_a_space():
    assert parse("victor h") == parse("victor h")
    assert parse("victor h").prefix is True
    assert parse("victor h ").prefix is False
    assert parse("victor hugo.").prefix is False
    assert parse("mis").terms == ("mis",)


def test_empty_and_punctuation_only():
    for text in ("", "   ", "'-,;!?", "\x00"):
        assert parse(text).empty
        assert parse(text).prefix is False


def test_duplicates_removed_and_repeated_last_word_is_complete():
    q = parse("le cheval le")
    assert q.terms == ("le", "cheval")
    assert q.prefix is False


def test_operators_are_just_words():
    assert parse('NEAR AND OR NOT "x" * ^ {title}:').terms == ("near", "and", "or", "not", "x", "title")


def test_quote_escapes_double_quotes():
    assert quote('a"b') == '"a""b"'


def test_underscore_is_a_separator_so_visitors_never_reach_facet_tags():
    assert tokens("_t_book foo_bar") == ["t", "book", "foo", "bar"]


def test_non_ascii_tokens_follow_the_fts5_tokenizer():
    assert tokens("日本語 ﬁn Ⅷ") == ["日本語", "fin", "viii"]


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_fold_fast_is_fold(text):
    assert fold_fast(text) == fold(text)


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_parse_never_raises_and_every_quoted_term_is_valid_fts5(text):
    q = parse(text)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(schema.fts_ddl("f"))
        conn.execute("INSERT INTO f(rowid, title) VALUES (1, 'x')")
        for i, term in enumerate(q.terms):
            assert term
            expr = quote(term) + ("*" if q.prefix and i == len(q.terms) - 1 else "")
            conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (expr,)).fetchall()
    finally:
        conn.close()


def test_edit_candidates_cover_damerau_levenshtein_1():
    cands = edit_candidates("frankenstien")
    assert "frankenstein" in cands  # swapped letters
    assert "leroy" in edit_candidates("leroi")  # substitution
    assert "frankenstein" in edit_candidates("frankentein")  # missing letter
    assert "frankenstein" in edit_candidates("frannkenstein")  # doubled letter
    assert "frankenstien" not in cands


def test_correctable():
    assert correctable("leroi")
    assert not correctable("lex")
    assert not correctable("97820701")
    assert not correctable("日本語日本")


def test_plural_variants():
    assert "chevaux" in plural_variants("cheval")
    assert "cheval" in plural_variants("chevaux")
    assert "livres" in plural_variants("livre")
    assert "livre" in plural_variants("livres")
    assert "journaux" in plural_variants("journal")
    assert "journal" in plural_variants("journaux")
    assert "eaux" in plural_variants("eau")
    assert "eau" in plural_variants("eaux")
    assert "bijoux" in plural_variants("bijou")
    assert "bijou" in plural_variants("bijoux")
    assert "travaux" in plural_variants("travail")
    assert "stories" in plural_variants("story")
    assert plural_variants("a") == set()
