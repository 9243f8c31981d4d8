"""Tests of the French written-syllable splitter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeribus_kiosk.accessibility import is_syllable, syllables

WORDS_FILE = Path(__file__).with_name("syllabes.tsv")


def _load_words() -> list[tuple[str, list[str]]]:
    pairs = []
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, expected = line.split("\t")
        pairs.append((word, expected.split("-")))
    return pairs


WORDS = _load_words()


def test_word_list_is_big_enough_and_unique():
    assert len(WORDS) >= 150
    assert len({word for word, _ in WORDS}) == len(WORDS)
    for word, expected in WORDS:
        assert "".join(expected) == word, f"bad line in syllabes.tsv for {word!r}"


@pytest.mark.parametrize(("word", "expected"), WORDS, ids=[w for w, _ in WORDS])
def test_word_list(word, expected):
    assert syllables(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # the examples of the specification ("extraordinaire": see test below)
        ("école", ["é", "co", "le"]),
        ("papillon", ["pa", "pi", "llon"]),
        ("bibliothèque", ["bi", "blio", "thè", "que"]),
        ("chocolat", ["cho", "co", "lat"]),
        ("table", ["ta", "ble"]),
        ("arbre", ["ar", "bre"]),
        ("maison", ["mai", "son"]),
        ("oiseau", ["oi", "seau"]),
        ("fille", ["fi", "lle"]),
        ("montagne", ["mon", "ta", "gne"]),
        ("pharmacie", ["phar", "ma", "cie"]),
        ("enfant", ["en", "fant"]),
        ("parapluie", ["pa", "ra", "pluie"]),
        ("lecture", ["lec", "tu", "re"]),
        ("numérique", ["nu", "mé", "ri", "que"]),
        ("abricot", ["a", "bri", "cot"]),
        ("poème", ["po", "è", "me"]),
        ("aéroport", ["a", "é", "ro", "port"]),
        ("crayon", ["cra", "yon"]),
    ],
)
def test_specification_examples(word, expected):
    assert syllables(word) == expected


def test_final_mute_e_is_a_written_syllable_everywhere():
    # The brief listed "ex-tra-or-di-naire"; that contradicts its own é-co-le /
    # ta-ble / lec-tu-re rule, so the consistent written form is kept.
    assert syllables("extraordinaire") == ["ex", "tra", "or", "di", "nai", "re"]
    assert syllables("tables") == ["ta", "bles"]
    assert syllables("parlent") == ["par", "lent"]


def test_mute_e_after_a_vowel_is_not_a_syllable():
    assert syllables("pluie") == ["pluie"]
    assert syllables("journées") == ["jour", "nées"]
    assert syllables("réellement") == ["ré", "el", "le", "ment"]


def test_case_and_accents_are_preserved():
    assert syllables("ÉCOLE") == ["É", "CO", "LE"]
    assert syllables("Bibliothèque") == ["Bi", "blio", "thè", "que"]


def test_decomposed_accents_stay_on_their_letter():
    word = "e\u0301cole"  # NFD "école"
    assert syllables(word) == ["e\u0301", "co", "le"]


def test_apostrophes_join_the_next_syllable():
    assert syllables("l'école") == ["l'é", "co", "le"]
    assert syllables("l’école") == ["l’é", "co", "le"]
    assert syllables("aujourd'hui") == ["au", "jour", "d'hui"]
    assert syllables("jusqu'à") == ["jus", "qu'à"]


def test_hyphens_split_compounds():
    assert syllables("arc-en-ciel") == ["arc", "-", "en", "-", "ciel"]
    assert syllables("grand-mère") == ["grand", "-", "mè", "re"]
    assert syllables("Saint-Étienne") == ["Saint", "-", "É", "tien", "ne"]


def test_x_between_vowels_starts_the_next_syllable():
    assert syllables("taxi") == ["ta", "xi"]
    assert syllables("examen") == ["e", "xa", "men"]
    assert syllables("extra") == ["ex", "tra"]


def test_non_letters_are_single_chunks():
    assert syllables("") == []
    assert syllables("2024") == ["2024"]
    assert syllables("1984, Orwell") == ["1984, ", "Or", "well"]
    assert syllables("Mlle") == ["Mlle"]
    assert [is_syllable(c) for c in syllables("le chat")] == [True, False, True]


def test_rejects_non_strings():
    with pytest.raises(TypeError):
        syllables(None)  # type: ignore[arg-type]


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_round_trips_without_empty_chunks(text):
    chunks = syllables(text)
    assert "".join(chunks) == text
    assert all(chunks)


_FRENCHISH = st.text(alphabet="aeiouyéèêëïîôûùàâçœbcdfghjklmnpqrstvwxz'-ÉÈA", max_size=25)


@settings(max_examples=500, deadline=None)
@given(_FRENCHISH)
def test_frenchish_text_round_trips(text):
    chunks = syllables(text)
    assert "".join(chunks) == text
    assert all(chunks)
