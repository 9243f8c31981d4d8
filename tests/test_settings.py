import dataclasses
import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from numeribus_kiosk.settings import Settings, SyncSettings, load_settings
from sync.agent.enrol import EnrolError, normalise_url


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


# --------------------------------------------------------------------------- [sync]


def write_config(data_dir, text: str) -> None:
    (data_dir / "config.toml").write_text(text, encoding="utf-8")


def test_sync_defaults(data_dir):
    assert load_settings(data_dir).sync == SyncSettings()
    write_config(data_dir, "[catalogue]\nbus_locations = ['BUS42']\n")
    settings = load_settings(data_dir)
    assert settings.sync == SyncSettings() and not settings.problems
    defaults = SyncSettings()
    assert defaults.hq_url is None
    assert (defaults.period_minutes, defaults.retry_max_minutes) == (15, 60)
    assert defaults.defer_snapshots_over_4g and defaults.discovery and defaults.watch_devices


def test_sync_settings_are_frozen(data_dir):
    settings = load_settings(data_dir)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.sync.hq_url = "http://hq"  # type: ignore[misc]


def test_sync_values_are_read(data_dir):
    write_config(
        data_dir,
        "[sync]\n"
        'hq_url = "https://siege.mediatheque-loire.fr:8470/numeribus/"\n'
        "period_minutes = 7.5\n"
        "retry_max_minutes = 1\n"
        "defer_snapshots_over_4g = false\n"
        "discovery = false\n"
        "watch_devices = false\n",
    )
    settings = load_settings(data_dir)
    assert not settings.problems
    assert settings.sync == SyncSettings(
        hq_url="https://siege.mediatheque-loire.fr:8470/numeribus",
        period_minutes=7.5,
        retry_max_minutes=1.0,
        defer_snapshots_over_4g=False,
        discovery=False,
        watch_devices=False,
    )
    assert isinstance(settings.sync.retry_max_minutes, float)


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ('"http://hq.example:8470"', "http://hq.example:8470"),
        ('"  HTTP://hq.example:8470/  "', "HTTP://hq.example:8470"),
        ('"hq.example:8470"', "http://hq.example:8470"),
        ('"http://[2001:db8::1]:8470"', "http://[2001:db8::1]:8470"),
        ('""', None),
    ],
)
def test_sync_hq_url_is_normalised_as_enrol_does(data_dir, written, url):
    write_config(data_dir, f"[sync]\nhq_url = {written}\n")
    settings = load_settings(data_dir)
    assert settings.sync.hq_url == url and not settings.problems
    if url is not None:  # the same rule as the address given to `enrol` and `sync --hq`
        assert normalise_url(tomllib.loads(f"u = {written}")["u"]) == url


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("hq_url = 8470", "sync.hq_url must be a string"),
        ('hq_url = ["http://hq"]', "sync.hq_url must be a string"),
        ('hq_url = "ftp://hq.example"', "is not a headquarters address"),
        ('hq_url = "http://"', "is not a headquarters address"),
        ('hq_url = "http://hq.example:99999"', "is not a headquarters address"),
        ('hq_url = "http://hq.example/?x=1"', "is not a headquarters address"),
        ('hq_url = "http://hq.example/#top"', "is not a headquarters address"),
    ],
)
def test_a_bad_hq_url_is_logged_and_none_is_used(data_dir, caplog, line, problem):
    write_config(data_dir, f"[sync]\n{line}\nperiod_minutes = 5\n")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings.sync == SyncSettings(period_minutes=5)  # the other keys are still read
    assert len(settings.problems) == 1 and problem in settings.problems[0]
    assert problem in caplog.text and "config.toml" in caplog.text
    value = tomllib.loads(line)["hq_url"]
    if isinstance(value, str):  # what `enrol` refuses too
        with pytest.raises(EnrolError):
            normalise_url(value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("period_minutes", "0"),
        ("period_minutes", "-5"),
        ("period_minutes", '"15"'),
        ("period_minutes", "true"),
        ("period_minutes", "nan"),
        ("period_minutes", "inf"),
        ("retry_max_minutes", "0.5"),
        ("retry_max_minutes", "0"),
        ("retry_max_minutes", '"une heure"'),
        ("retry_max_minutes", "false"),
        ("retry_max_minutes", "inf"),
    ],
)
def test_bad_minutes_are_logged_and_defaulted(data_dir, caplog, key, value):
    write_config(data_dir, f"[sync]\n{key} = {value}\ndiscovery = false\n")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert getattr(settings.sync, key) == getattr(SyncSettings(), key)
    assert settings.sync.discovery is False
    assert len(settings.problems) == 1 and f"sync.{key} must be a number of minutes" in settings.problems[0]
    assert f"sync.{key}" in caplog.text


@pytest.mark.parametrize("key", ["defer_snapshots_over_4g", "discovery", "watch_devices"])
@pytest.mark.parametrize("value", ['"no"', "0", "1", '"false"', "[]"])
def test_bad_flags_are_logged_and_defaulted(data_dir, caplog, key, value):
    write_config(data_dir, f"[sync]\n{key} = {value}\nperiod_minutes = 30\n")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert getattr(settings.sync, key) is True
    assert settings.sync.period_minutes == 30
    assert settings.problems == [f"config.toml: sync.{key} must be true or false; the default (true) is used"]
    assert f"sync.{key}" in caplog.text


def test_sync_that_is_not_a_table(data_dir):
    write_config(data_dir, 'sync = "http://hq.example:8470"\n')
    settings = load_settings(data_dir)
    assert settings.sync == SyncSettings()
    assert settings.problems == ["config.toml: sync must be a table ([sync]); the defaults are used"]


def test_an_unknown_sync_key_is_reported(data_dir):
    write_config(data_dir, '[sync]\nhq-url = "http://hq.example:8470"\n')
    settings = load_settings(data_dir)
    assert settings.sync == SyncSettings()
    assert settings.problems == ["config.toml: sync.hq-url is not a known setting; it is ignored"]


def test_several_problems_are_all_reported(data_dir):
    write_config(data_dir, "[catalogue]\nbus_locations = 3\n[sync]\nperiod_minutes = -1\ndiscovery = 'yes'\n")
    settings = load_settings(data_dir)
    assert settings.sync == SyncSettings()
    assert len(settings.problems) == 3


def test_every_sync_setting_is_in_configuration_md():
    text = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(SyncSettings):
        assert f"`sync.{field.name}`" in text, field.name


def test_settings_import_no_http_library():
    """The kiosk's core reads its settings without the sync agent's HTTP stack."""
    code = "import sys, numeribus_kiosk.settings; print(sorted({'requests', 'sync', 'urllib3'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_discovery_interfaces(data_dir):
    write_config(data_dir, '[sync]\ndiscovery_interfaces = ["127.0.0.1", " 192.168.10.20 "]\n')
    settings = load_settings(data_dir)
    assert not settings.problems
    assert settings.sync.discovery_interfaces == ("127.0.0.1", "192.168.10.20")
    write_config(data_dir, '[sync]\ndiscovery_interfaces = "127.0.0.1"\n')  # one address alone
    assert load_settings(data_dir).sync.discovery_interfaces == ("127.0.0.1",)
    assert SyncSettings().discovery_interfaces == ()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('["wlan0"]', "sync.discovery_interfaces must be a list of IPv4 addresses"),
        ('["::1"]', "sync.discovery_interfaces must be a list of IPv4 addresses"),
        ('["127.0.0.1", "256.1.1.1"]', "sync.discovery_interfaces must be a list of IPv4 addresses"),
        ("[1, 2]", "sync.discovery_interfaces must be a list of strings"),
        ("true", "sync.discovery_interfaces must be a list of strings"),
    ],
)
def test_bad_discovery_interfaces_mean_every_interface(data_dir, caplog, value, problem):
    write_config(data_dir, f"[sync]\ndiscovery_interfaces = {value}\nperiod_minutes = 30\n")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings.sync.discovery_interfaces == () and settings.sync.period_minutes == 30
    assert len(settings.problems) == 1 and problem in settings.problems[0]
    assert "sync.discovery_interfaces" in caplog.text


def test_bus_code(data_dir):
    assert load_settings(data_dir).bus_code == ""
    write_config(data_dir, '[bus]\ncode = " NB42 "\n')
    settings = load_settings(data_dir)
    assert settings.bus_code == "NB42" and not settings.problems


@pytest.mark.parametrize("value", ['"NB 42"', '"bus/42"', '"NÉ42"', '""', '"ABCDEFGHIJKLMNOPQ"', "42", "true"])
def test_a_bad_bus_code_is_reported_and_none_is_used(data_dir, caplog, value):
    write_config(data_dir, f"[bus]\ncode = {value}\n[sync]\nperiod_minutes = 30\n")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(data_dir)
    assert settings.bus_code == "" and settings.sync.period_minutes == 30
    assert settings.problems == [
        "config.toml: bus.code must be 1 to 16 letters, digits, - or _ (like NB42); no bus code is used"
    ]
    assert "bus.code" in caplog.text
