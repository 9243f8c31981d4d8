"""Tests of the spoken-text helpers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numeribus_kiosk.accessibility.speech_text import describe, speakable


def test_describe_button():
    assert describe("Chercher un document", "bouton") == "Chercher un document, bouton"
    assert describe("Chercher un document", "button") == "Chercher un document, bouton"


def test_describe_toggle_states():
    assert describe("Gros caractères", "case à cocher", True) == "Gros caractères, case à cocher, cochée"
    assert describe("Gros caractères", "checkbox", False) == "Gros caractères, case à cocher, non cochée"
    assert describe("Lecture à voix haute", "interrupteur", True) == "Lecture à voix haute, interrupteur, activé"
    assert describe("Romans", "onglet", True) == "Romans, onglet, sélectionné"


def test_describe_free_state_and_role():
    assert describe("Taille du texte", "curseur", "150 pour cent") == "Taille du texte, curseur, 150 pour cent"
    assert describe("  Retour ", "flèche") == "Retour, flèche"
    assert describe("", "image") == "image"


def test_describe_cleans_catalogue_names():
    assert describe("\x88Le \x89petit prince / Saint-Exupéry", "lien") == "Le petit prince, Saint-Exupéry, lien"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("245 p.", "245 pages"),
        ("1 p.", "1 page"),
        ("p. 12", "page 12"),
        ("2e éd.", "deuxième édition"),
        ("1re éd.", "première édition"),
        ("Nouvelle éd. rev. et augm.", "Nouvelle édition révisée et augmentée"),
        ("Les Rougon-Macquart, t. 2", "Les Rougon-Macquart, tome 2"),
        ("t. II", "tome 2"),
        ("Vol. 3", "volume 3"),
        ("ill.", "illustrations"),
        ("ill. en coul.", "illustrations en couleur"),
        ("n° 12", "numéro 12"),
        ("24 cm", "24 centimètres"),
        ("St-Étienne", "Saint-Étienne"),
        ("Ste-Foy-lès-Lyon", "Sainte-Foy-lès-Lyon"),
        ("Ste Thérèse", "Sainte Thérèse"),
        ("St. Louis", "Saint Louis"),
        ("Mme Bovary", "Madame Bovary"),
        ("M. Dupont & fils", "Monsieur Dupont et fils"),
        ("trad. de l'anglais", "traduction de l'anglais"),
        ("Le chat, le chien, etc.", "Le chat, le chien, et cetera"),
        ("[S.l.] : [s.n.], [ca 1950]", "sans lieu, sans nom d'éditeur, vers 1950"),
        ("[Paris]", "Paris"),
    ],
)
def test_abbreviations(text, expected):
    assert speakable(text) == expected


def test_isbd_punctuation():
    assert speakable("Le petit prince / Antoine de Saint-Exupéry") == "Le petit prince, Antoine de Saint-Exupéry"
    assert speakable("Titre : sous-titre") == "Titre, sous-titre"
    assert speakable("Astérix ; 3") == "Astérix, 3"
    assert speakable("Paris : Gallimard, 1995. - 245 p. : ill. ; 24 cm") == (
        "Paris, Gallimard, 1995. 245 pages, illustrations, 24 centimètres"
    )


def test_full_isbd_description():
    text = "Les misérables / Victor Hugo ; préf. de Guy Rosa. - 2e éd. - Paris : Gallimard, 1995. - 245 p. : ill."
    assert speakable(text) == (
        "Les misérables, Victor Hugo, préface de Guy Rosa. deuxième édition. Paris, Gallimard, 1995. "
        "245 pages, illustrations"
    )


def test_marc_non_sorting_characters_are_removed():
    assert speakable("\x88Les \x89misérables") == "Les misérables"
    assert speakable("\x98Le \x9cmonde") == "Le monde"


def test_years_and_plain_words_are_left_alone():
    assert speakable("Paris, 1995") == "Paris, 1995"
    assert speakable("1914-1918 : la Grande Guerre") == "1914-1918, la Grande Guerre"
    assert speakable("Stade de France") == "Stade de France"
    assert speakable("Stéphane et Mlle Ptolémée") == "Stéphane et Mademoiselle Ptolémée"
    assert speakable("Il était une fois...") == "Il était une fois..."
    assert speakable("AC/DC") == "AC/DC"
    assert speakable("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_speakable_never_raises_and_strips_controls(text):
    result = speakable(text)
    assert isinstance(result, str)
    assert "\x88" not in result and "\x89" not in result
    assert result == result.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["bouton", "checkbox", "lien", "x"]), st.none() | st.booleans())
def test_describe_never_raises(name, role, state):
    assert isinstance(describe(name, role, state), str)
