import logging

from numeribus_kiosk.settings import Settings, load_settings


def test_missing_file_gives_defaults(data_dir):
    settings = load_settings(data_dir)
    assert settings == Settings()
    assert settings.reader_options().is_on_board("numeribus")


def test_values_are_read(data_dir):
    (data_dir / "config.toml").write_text(
        '[catalogue]\nbus_locations = ["BUS42", "NUMERIBUS"]\n'
        '[catalogue.dys]\npublishers = ["Tom Pousse"]\nsubjects = "dyslexie"\n',
        encoding="utf-8",
    )
    settings = load_settings(data_dir)
    assert settings.bus_locations == ("BUS42", "NUMERIBUS")
    assert settings.dys_subjects == ("dyslexie",)
    options = settings.reader_options()
    assert options.is_on_board("bus42") and not options.is_on_board("MDL")
    assert not settings.problems


def test_corrupt_file_is_logged_and_defaulted(data_dir, caplog):
    (data_dir / "config.toml").write_text("[catalogue\nbus_locations = ", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings.bus_locations == Settings().bus_locations
    assert "not valid TOML" in caplog.text and "config.toml" in caplog.text


def test_wrong_type_is_logged_and_defaulted(data_dir, caplog):
    (data_dir / "config.toml").write_text("[catalogue]\nbus_locations = 12\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings.bus_locations == Settings().bus_locations
    assert "bus_locations must be a list of strings" in settings.problems[0]


def test_undecodable_file(data_dir):
    (data_dir / "config.toml").write_bytes(b"\xff\xfe\x00garbage")
    settings = load_settings(data_dir)
    assert settings.problems and settings == Settings(problems=settings.problems)
