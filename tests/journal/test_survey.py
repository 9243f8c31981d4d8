from pathlib import Path

import pytest

from numeribus_kiosk.catalogue.text import fold
from numeribus_kiosk.journal import sessions, survey
from numeribus_kiosk.journal.requests import JournalError
from numeribus_kiosk.journal.survey import SurveyMappingError, categories_of, load_mapping, survey_totals
from numeribus_kiosk.mediator.lists import DEFAULT_ACTIVITIES, DEFAULT_PUBLICS

DOCS = Path(__file__).resolve().parents[2] / "docs"

BASE = {
    "started_at": "2026-11-26T14:00:00+01:00",
    "duration_min": 90,
    "place": "Salle des fêtes, Murat",
    "activity": "café tablette",
    "publics": ["tout public"],
    "participants": 10,
    "mediator": "Camille",
}


def make(session_id="s", deleted=False, **overrides) -> sessions.Session:
    data = sessions.validate({**BASE, **overrides})
    data["publics"], data["equipment"] = tuple(data["publics"]), tuple(data["equipment"])
    stamp = "2026-11-26T16:00:00+00:00"
    return sessions.Session(id=session_id, **data, created_at=stamp, updated_at=stamp, deleted=deleted)


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def default():
    return load_mapping(survey.DEFAULT_MAPPING)


# --- the default mapping ----------------------------------------------------------------------


def test_default_mapping_categories(default):
    assert default.ids == (
        "action_culturelle",
        "mediation_numerique",
        "demarches_en_ligne",
        "publics_empeches",
        "personnes_agees",
        "handicap",
        "jeunesse",
        "publics_eloignes",
        "hors_les_murs",
        "partenariats",
    )
    assert all(category.label for category in default.categories)


def test_default_mapping_names_only_what_the_kiosk_offers(default):
    """A typo in the shipped file would silently count nothing: every name must be one of the kiosk's lists."""
    activities, publics = default.names()
    assert {fold(a) for a in activities} <= {fold(a) for a in DEFAULT_ACTIVITIES}
    assert {fold(p) for p in publics} <= {fold(p) for p in DEFAULT_PUBLICS}
    # every activity of the kiosk counts somewhere beyond the "all" categories
    assert {fold(a) for a in activities} == {fold(a) for a in DEFAULT_ACTIVITIES}


def test_default_mapping_publics_empeches(default):
    for public in ("seniors / EHPAD", "personnes DYS", "malvoyants", "personnes en situation de handicap (ADAPEI...)"):
        assert "publics_empeches" in categories_of(make(publics=[public]), default)
    assert "publics_empeches" not in categories_of(make(publics=["enfants", "adultes"]), default)


def test_the_documentation_shows_every_default_category(default):
    text = (DOCS / "survey-mapping.md").read_text(encoding="utf-8")
    shown = text.split("## The default file", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    assert shown == survey.DEFAULT_MAPPING.read_text(encoding="utf-8")
    for key in survey.CATEGORY_KEYS:
        assert f"`{key}" in text


# --- matching ---------------------------------------------------------------------------------

MAPPING = """
[[category]]
id = "numerique"
label = "Médiation numérique"
activities = ["café tablette", "Atelier tablette"]

[[category]]
id = "empeches"
label = "Publics empêchés"
publics = ["seniors / EHPAD", "personnes DYS"]

[[category]]
id = "partenariats"
label = "Actions en partenariat"
with_partner = true

[[category]]
id = "tout"
label = "Toutes les séances"
all = true

[[category]]
id = "mixte"
label = "Jeux ou jeunesse"
activities = ["jeux vidéo"]
publics = ["enfants"]
"""


@pytest.fixture
def mapping(tmp_path):
    return load_mapping(write(tmp_path, MAPPING))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ["numerique", "tout"]),
        ({"activity": "CAFE  TABLETTE"}, ["numerique", "tout"]),  # case, accents and blanks ignored
        ({"activity": "atelier tablette"}, ["numerique", "tout"]),
        ({"activity": "café tablettes"}, ["tout"]),  # a different name is not a match
        ({"activity": "autre", "publics": ["Seniors / Ehpad"]}, ["empeches", "tout"]),
        ({"activity": "autre", "publics": ["adultes", "Personnes dys"]}, ["empeches", "tout"]),
        ({"activity": "autre", "partner": "ADAPEI"}, ["partenariats", "tout"]),
        ({"activity": "autre", "partner": ""}, ["tout"]),  # an empty partner is no partner
        ({"activity": "Jeux vidéo"}, ["tout", "mixte"]),
        ({"activity": "autre", "publics": ["enfants"]}, ["tout", "mixte"]),
    ],
)
def test_categories_of(mapping, overrides, expected):
    assert categories_of(make(**overrides), mapping) == expected


def test_survey_totals(mapping):
    found = [
        make("a", participants=10),  # numerique, tout
        make("b", participants=4, activity="autre", publics=["seniors / EHPAD", "personnes DYS"], partner="EHPAD"),
        make("c", participants=0, activity="jeux vidéo", publics=["enfants"]),
        make("d", participants=50, deleted=True),  # a tombstone never counts
    ]
    totals = survey_totals(found, mapping)
    assert [tuple(total) for total in totals] == [
        ("numerique", "Médiation numérique", 1, 10),
        ("empeches", "Publics empêchés", 1, 4),  # two matching publics: counted once
        ("partenariats", "Actions en partenariat", 1, 4),
        ("tout", "Toutes les séances", 3, 14),
        ("mixte", "Jeux ou jeunesse", 1, 0),
    ]
    assert totals[0].participants == 10 and totals[0].label == "Médiation numérique"


def test_totals_of_nothing_are_zero(mapping):
    assert [(t.sessions, t.participants) for t in survey_totals([], mapping)] == [(0, 0)] * 5


# --- which file -------------------------------------------------------------------------------


def test_mapping_path_prefers_override_then_the_bus_file(tmp_path, data_dir):
    assert survey.mapping_path(data_dir) == survey.DEFAULT_MAPPING
    assert survey.mapping_path(None) == survey.DEFAULT_MAPPING
    own = write(data_dir, MAPPING).rename(data_dir / "survey-mapping.toml")
    assert survey.mapping_path(data_dir) == own
    assert survey.load_mapping_for(data_dir).ids == ("numerique", "empeches", "partenariats", "tout", "mixte")
    assert survey.mapping_path(data_dir, tmp_path / "x.toml") == tmp_path / "x.toml"


def test_a_broken_bus_file_is_an_error_not_the_default(data_dir):
    (data_dir / "survey-mapping.toml").write_text("[[category]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(SurveyMappingError, match="survey-mapping.toml"):
        survey.load_mapping_for(data_dir)


# --- malformed files --------------------------------------------------------------------------

GOOD = '[[category]]\nid = "a"\nlabel = "A"\nall = true\n'


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        (GOOD + '\n[[category]]\nid = "b"\nlabel = "B"\nall = true\nevery = true\n', "unknown key 'every'", 10),
        ('title = "Enquête"\n' + GOOD, "unknown key 'title'", 1),
        (GOOD + "[options]\nyear = 2026\n", "unknown key 'options'", 5),
        ('[[category]]\nlabel = "A"\nall = true\n', "category 1 has no id", 1),
        (GOOD + '[[category]]\nid = "b"\nall = true\n', "category 'b' has no label", 5),
        (GOOD + '[[category]]\nid = "b"\nlabel = "  "\nall = true\n', "label of category 'b' must be", 7),
        (GOOD + '[[category]]\nid = "b"\nlabel = "B"\n', "category 'b' has no rule", 5),
        (GOOD + '[[category]]\nid = "b"\nlabel = "B"\nactivities = []\nwith_partner = false\n', "has no rule", 5),
        (
            GOOD + '\n\n[[category]]\nid = "a"\nlabel = "A again"\nall = true\n',
            "'a' is used twice (categories 1 and 2)",
            8,
        ),
        ('[[category]]\nid = "Hors les murs"\nlabel = "A"\nall = true\n', "lower-case letters", 2),
        ('[[category]]\nid = 3\nlabel = "A"\nall = true\n', "lower-case letters", 2),
        ('[[category]]\nid = "a"\nlabel = "A"\nwith_partner = "yes"\n', "with_partner must be true or false", 4),
        ('[[category]]\nid = "a"\nlabel = "A"\nactivities = "atelier tablette"\n', "activities", 4),
        ('[[category]]\nid = "a"\nlabel = "A"\npublics = ["enfants", " "]\n', "empty text", 4),
        ('[[category]]\nid = "a"\nlabel = "A"\npublics = ["enfants", 3]\n', "must be a list of texts", 4),
        ('[[category]]\nid = "a"\nlabel = "A"\nall = true\nall = false\n', "not valid TOML", 5),
        ('[[category]]\nid = "a\nlabel = "A"\n', "not valid TOML", 2),
        ("", "no category", None),
        ("# only comments\n", "no category", None),
        ("category = 3\n", "category must be written [[category]]", 1),
        ("category = [3]\n", "category 1 must be a table", None),
    ],
)
def test_malformed_files_are_refused_with_file_line_and_problem(tmp_path, text, problem, line):
    path = write(tmp_path, text)
    with pytest.raises(SurveyMappingError) as caught:
        load_mapping(path)
    error = caught.value
    assert isinstance(error, JournalError)
    assert problem in error.problem
    assert error.path == path and error.line == line
    assert str(error).startswith(f"{path}, line {line}: " if line else f"{path}: ")


def test_unreadable_files(tmp_path):
    with pytest.raises(SurveyMappingError, match="no such file"):
        load_mapping(tmp_path / "absent.toml")
    (tmp_path / "latin1.toml").write_bytes('[[category]]\nlabel = "Activités"\n'.encode("latin-1"))
    with pytest.raises(SurveyMappingError, match="not UTF-8"):
        load_mapping(tmp_path / "latin1.toml")
    with pytest.raises(SurveyMappingError, match="cannot be read"):
        load_mapping(tmp_path)  # a folder


def test_a_byte_order_mark_and_inline_tables_are_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'category = [{id = "a", label = "A", publics = ["enfants"]}]\n')
    assert load_mapping(path).ids == ("a",)


# --- config.toml's [[survey.category]] --------------------------------------------------------

# The territory's one settings file: the kiosk's and headquarters' tables around the survey's.
CONFIG = """
[bus]
code = "NB42"

[lists]
activities = ["café tablette", "atelier tablette"]

[[survey.category]]
id = "numerique"
label = "Médiation numérique"
activities = ["café tablette", "Atelier tablette"]

[branding]
name = "navette numérique"
article = "la"

[[survey.category]]
id = "tout"
label = "Toutes les séances"
all = true

[server]
port = 8470
"""


def test_config_toml_categories_are_read_like_a_mapping_file(data_dir, tmp_path):
    (data_dir / "config.toml").write_text(CONFIG, encoding="utf-8")
    configured = survey.load_config_mapping(data_dir)
    assert configured.ids == ("numerique", "tout") and configured.source == data_dir / "config.toml"
    assert configured.shadowed is None and not configured.is_default
    as_file = load_mapping(write(tmp_path, MAPPING))
    # the same keys give the same categories
    assert configured.categories[0] == as_file.categories[0] and configured.categories[1] == as_file.categories[3]
    assert categories_of(make(activity="ATELIER TABLETTE"), configured) == ["numerique", "tout"]
    assert survey.source_text(configured) == str(data_dir / "config.toml")


def test_which_mapping_config_toml_between_the_option_and_the_bus_file(data_dir, tmp_path):
    config, own = data_dir / "config.toml", data_dir / "survey-mapping.toml"
    config.write_text("[bus]\ncode = 'NB42'\n", encoding="utf-8")  # no survey table: not a source
    assert survey.load_config_mapping(data_dir) is None
    assert survey.load_mapping_for(data_dir).is_default and survey.mapping_path(data_dir) == survey.DEFAULT_MAPPING
    own.write_text(MAPPING, encoding="utf-8")
    assert survey.load_mapping_for(data_dir).source == own and survey.mapping_path(data_dir) == own

    config.write_text(CONFIG, encoding="utf-8")
    used = survey.load_mapping_for(data_dir)
    assert used.ids == ("numerique", "tout") and used.source == config and used.shadowed == own
    assert survey.mapping_path(data_dir) == config
    assert survey.source_text(used) == f"{config} ([[survey.category]]; {own} is not used)"
    own.unlink()
    assert survey.load_mapping_for(data_dir).shadowed is None

    other = write(tmp_path, '[[category]]\nid = "autre"\nlabel = "Autre"\nall = true\n')
    assert survey.load_mapping_for(data_dir, other).ids == ("autre",)  # the option beats config.toml
    assert survey.mapping_path(data_dir, other) == other


def test_a_config_toml_can_be_given_as_the_mapping_option(data_dir, tmp_path):
    elsewhere = tmp_path / "territoire" / "config.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(CONFIG, encoding="utf-8")
    assert survey.load_mapping_for(data_dir, elsewhere).ids == ("numerique", "tout")
    renamed = write(tmp_path, CONFIG)  # mapping.toml: read as a config.toml by its survey table
    assert load_mapping(renamed).ids == ("numerique", "tout")
    (elsewhere.parent / "config.toml").write_text("[bus]\ncode = 'NB42'\n", encoding="utf-8")
    with pytest.raises(SurveyMappingError, match=r"config.toml: no survey category: add .*\[\[survey.category\]\]"):
        load_mapping(elsewhere)


def test_a_broken_config_survey_is_an_error_not_the_bus_file_nor_the_default(data_dir):
    (data_dir / "survey-mapping.toml").write_text(MAPPING, encoding="utf-8")
    config = data_dir / "config.toml"
    config.write_text(CONFIG.replace('id = "tout"', 'id = "Tout"'), encoding="utf-8")
    with pytest.raises(SurveyMappingError) as caught:
        survey.load_mapping_for(data_dir)
    assert caught.value.path == config and caught.value.line == 18 and "lower-case letters" in caught.value.problem
    assert survey.mapping_path(data_dir) == config


def test_a_config_toml_that_cannot_be_parsed_stops_the_mapping(data_dir):
    """The categories may be in it: neither survey-mapping.toml nor the default is used instead."""
    (data_dir / "survey-mapping.toml").write_text(MAPPING, encoding="utf-8")
    config = data_dir / "config.toml"
    config.write_text('[bus]\ncode = "NB42"\n[sync]\nhq_url = "http://siege\n', encoding="utf-8")
    with pytest.raises(SurveyMappingError, match=r"config.toml, line 4: not valid TOML") as caught:
        survey.load_mapping_for(data_dir)
    assert caught.value.path == config
    assert survey.mapping_path(data_dir) == config
    config.write_bytes(b"[bus]\ncode = '\xe9'\n")
    with pytest.raises(SurveyMappingError, match="config.toml: not UTF-8 text"):
        survey.load_mapping_for(data_dir)


SURVEY_GOOD = '[[survey.category]]\nid = "a"\nlabel = "A"\nall = true\n'


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        (
            '[bus]\ncode = "NB42"\n\n'
            + SURVEY_GOOD
            + '\n[[survey.category]]\nid = "b"\nlabel = "B"\nactivites = ["x"]\n',
            "unknown key 'activites' in category 2; known keys: id, label, activities, publics, with_partner, all",
            12,
        ),
        # a table of the settings between two categories does not hide where the second one is
        (
            SURVEY_GOOD + '[lists]\npublics = ["enfants"]\n[[survey.category]]\nid = "b"\npublics = ["enfants"]\n',
            "category 'b' has no label",
            7,
        ),
        (SURVEY_GOOD + '[[survey.category]]\nid = "a"\nlabel = "A"\nall = true\n', "'a' is used twice", 6),
        ('[survey]\ntitle = "Enquête"\n' + SURVEY_GOOD, "unknown key 'title' in [survey]", 2),
        (SURVEY_GOOD + "[survey.options]\nyear = 2026\n", "unknown key 'options' in [survey]", 5),
        ("[lists]\nmediators = []\n[[survey.categories]]\nid = 'a'\n", "unknown key 'categories' in [survey]", 3),
        ("[survey]\n\n[lists]\nmediators = []\n", "no category: add at least one [[survey.category]] table", 1),
        ('[lists]\nmediators = []\n[survey]\ncategory = "all"\n', "survey.category must be written", 4),
        ('survey = "annual"\n[lists]\nmediators = []\n', "survey must be a table", 1),
        ('[[survey.category]]\nid = "a"\nlabel = "A"\npublics = "enfants"\n', "must be a list of texts", 4),
        ('[survey]\ncategory = [{id = "a", label = "A"}]\n', "category 'a' has no rule", None),
        ('[[survey.category]]\nid = "a"\nlabel = "A"\nall = true\n[branding]\nname = "x"\nname = "y"\n', "TOML", 7),
    ],
)
def test_malformed_config_survey_is_refused_with_file_line_and_problem(data_dir, text, problem, line):
    path = data_dir / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SurveyMappingError) as caught:
        survey.load_mapping_for(data_dir)
    error = caught.value
    assert problem in error.problem
    assert error.path == path and error.line == line
    assert str(error).startswith(f"{path}, line {line}: " if line else f"{path}: ")


def test_the_documented_config_example_is_a_valid_mapping(tmp_path):
    text = (DOCS / "survey-mapping.md").read_text(encoding="utf-8")
    example = text.split("## In config.toml", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "config.toml"
    path.write_text(example, encoding="utf-8")
    assert load_mapping(path).ids[:2] == ("action_culturelle", "publics_empeches")
