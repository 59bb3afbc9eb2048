"""The config file: every mistake is reported with the file, the key and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.activation import Activation, Place
from core.config.errors import ConfigError
from core.config.loader import config_path, load_config, parse_config
from plugins.elderly_canteen.settings import CanteenSettings
from tests.kernel_plugin.settings import KernelSettings

MODELS = {"kernel_test": KernelSettings, "elderly_canteen": CanteenSettings, "plain": None}


def problems(text: str, models=MODELS) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        Activation(parse_config(text, Path("x.toml"), env={}), models, "x.toml")
    return caught.value.problems


def test_defaults_need_no_file_content():
    config = parse_config("", Path("hemei.toml"), env={})
    assert config.database.url == "sqlite://data/hemei.sqlite3"
    assert config.city.time_zone == "Asia/Shanghai"
    assert config.plugins.load == [] and config.districts == {}


def test_error_names_file_key_and_problem(tmp_path):
    path = tmp_path / "hemei.toml"
    path.write_text(
        '[server]\nport = "eighty"\nhots = "x"\n[city]\ntime_zone = "Mars/Base"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{path}: server.port: Input should be a valid integer" in message
    assert f"{path}: server.hots: unknown key" in message
    assert f"{path}: city.time_zone: unknown time zone 'Mars/Base'" in message


def test_invalid_toml_and_missing_file(tmp_path):
    path = tmp_path / "hemei.toml"
    path.write_text("[districts\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config(tmp_path / "absent.toml")


def test_secret_key_from_environment_is_never_printed():
    config = parse_config("", Path("h.toml"), env={"HEMEI_SECRET_KEY": "s3cret-value"})
    assert config.security.secret_key is not None
    assert config.security.secret_key.get_secret_value() == "s3cret-value"
    assert "s3cret-value" not in repr(config) and "s3cret-value" not in str(config)


def test_production_refuses_to_start_without_a_secret():
    with pytest.raises(ConfigError, match=r"security\.secret_key is required in production"):
        parse_config("[server]\nproduction = true\n", Path("h.toml"), env={})
    config = parse_config(
        "[server]\nproduction = true\n", Path("h.toml"), env={"HEMEI_SECRET_KEY": STRONG}
    )
    assert config.server.production


STRONG = "pQ8vJ2xR7mK4tN9wE3yB6uH1sL5dF0gZ"


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("changeme", "well-known default"),
        ("hemei-demo", "well-known default"),
        ("a-long-production-secret", "shorter than 32"),
        ("k" * 40, "repeats too few characters"),
        ("abababababababababababababababab", "repeats too few characters"),
    ],
)
def test_production_refuses_to_start_with_a_weak_or_default_secret(key, problem):
    with pytest.raises(ConfigError, match=problem):
        parse_config("[server]\nproduction = true\n", Path("h.toml"), env={"HEMEI_SECRET_KEY": key})
    # outside production any key will do (tests, demos)
    assert parse_config("", Path("h.toml"), env={"HEMEI_SECRET_KEY": key}).security.secret_key


def test_environment_overrides_database_url_and_path():
    config = parse_config(
        '[database]\nurl = "sqlite://a.db"\n',
        Path("h.toml"),
        env={"HEMEI_DATABASE_URL": "postgres://u@h/db"},
    )
    assert config.database.url == "postgres://u@h/db"
    assert config_path(None, env={"HEMEI_CONFIG": "/etc/hemei.toml"}) == Path("/etc/hemei.toml")
    assert config_path("mine.toml", env={"HEMEI_CONFIG": "/etc/hemei.toml"}) == Path("mine.toml")
    with pytest.raises(
        ConfigError, match=r"database\.url: must start with sqlite:// or postgres://"
    ):
        parse_config('[database]\nurl = "mysql://x"\n', Path("h.toml"), env={})


def test_unknown_module_lists_the_loaded_ones():
    found = problems('[districts.a]\nname = "A"\nmodules = ["kernel_test", "canteen"]\n')
    assert found == [
        (
            "districts.a.modules[1]",
            "unknown module 'canteen' (loaded: kernel_test, elderly_canteen, plain)",
        )
    ]


def test_district_needs_a_name():
    with pytest.raises(ConfigError, match=r"districts\.a\.name: Field required"):
        parse_config("[districts.a]\nmodules = []\n", Path("x.toml"), env={})


def test_settings_are_validated_per_place_with_their_keys():
    found = problems("""
[districts.a]
name = "A"
[districts.a.settings.kernel_test]
max_notices = 0
colour = "red"
[districts.a.settings.elderly_canteen]
booking_cutoff = "25:99"
[districts.a.settings.plain]
x = 1
[districts.a.settings.nothing]
x = 1
[districts.a.streets.s1]
modules_on = ["kernel_test"]
modules_off = ["kernel_test"]
[districts.a.communities.c1.settings.kernel_test]
max_notices = 99
""")
    keys = dict(found)
    assert keys["districts.a.settings.kernel_test.colour"].startswith(
        "unknown setting (known: greeting, max_notices)"
    )
    assert "greater than or equal to 1" in keys["districts.a.settings.kernel_test.max_notices"]
    assert "districts.a.settings.elderly_canteen.booking_cutoff" in keys
    assert keys["districts.a.settings.plain"] == "module 'plain' has no settings"
    assert keys["districts.a.settings.nothing"] == "settings for unknown module 'nothing'"
    assert keys["districts.a.streets.s1"] == "modules both on and off: kernel_test"
    assert (
        "less than or equal to 50"
        in keys["districts.a.communities.c1.settings.kernel_test.max_notices"]
    )


def test_nearest_override_wins_and_settings_merge_downwards():
    config = parse_config(
        """
[districts.a]
name = "A"
modules = ["kernel_test"]
[districts.a.settings.kernel_test]
greeting = "district"
max_notices = 5
[districts.a.streets.s]
modules_off = ["kernel_test"]
[districts.a.streets.s.settings.kernel_test]
greeting = "street"
[districts.a.communities.c]
modules_on = ["kernel_test"]
[districts.a.communities.c.settings.kernel_test]
max_notices = 7
""",
        Path("x.toml"),
        env={},
    )
    activation = Activation(config, MODELS)
    assert activation.state("kernel_test", Place("a")).source == "districts.a.modules"
    off = activation.state("kernel_test", Place("a", "s", "other"))
    assert (off.enabled, off.source) == (False, "districts.a.streets.s.modules_off")
    on = activation.state("kernel_test", Place("a", "s", "c"))
    assert (on.enabled, on.source) == (True, "districts.a.communities.c.modules_on")
    assert activation.settings("kernel_test", Place("a", "s", "c")) == KernelSettings(
        greeting="street", max_notices=7
    )
    assert activation.settings("kernel_test", Place("a")) == KernelSettings(
        greeting="district", max_notices=5
    )
    assert activation.settings("kernel_test", Place("unconfigured")) == KernelSettings()
    assert activation.settings("plain", Place("a")) is None
    assert activation.state("elderly_canteen", Place("a")).enabled is False


def test_demo_config_is_valid_and_differs_per_district():
    from schema.cli import DEMO_CONFIG

    config = load_config(DEMO_CONFIG, env={})
    assert len(config.districts) == 8
    assert len({tuple(d.modules) for d in config.districts.values()}) == 8
