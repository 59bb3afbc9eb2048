"""Start-up refuses a broken plugin with a message that names it (and the other party)."""

from __future__ import annotations

import pytest

from core.plugins.discovery import installed_plugins
from core.plugins.errors import (
    PluginCollision,
    PluginError,
    PluginHookError,
    PluginImportFailed,
    PluginNotInstalled,
    PluginSettingsInvalid,
)
from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from tests.support.distributions import installed


def start(tmp_path, plugins: dict[str, str], load: list[str] | None = None):
    with installed(tmp_path / "site", "hemei-bad", plugins):
        host = build_plugin_host(load if load is not None else list(plugins))
        return build_schema(host)


def test_named_but_not_installed_lists_installed(tmp_path):
    with pytest.raises(PluginNotInstalled) as caught:
        start(tmp_path, {}, load=["elderly_kitchen"])
    message = str(caught.value)
    assert message.startswith("plugin 'elderly_kitchen': named in the config but not installed")
    assert "elderly_canteen" in message and "medical_teams" in message


def test_import_failure_names_plugin_and_cause(tmp_path):
    with pytest.raises(
        PluginImportFailed, match=r"plugin 'broken': failed to import: ModuleNotFoundError"
    ):
        start(tmp_path, {"broken": "tests.broken_plugin"})


def test_unknown_hook_is_refused_by_check_pending(tmp_path):
    with pytest.raises(PluginHookError, match=r"plugin 'widgets': .*register_widgets"):
        start(tmp_path, {"widgets": "tests.bad_plugins:UnknownHook"})


def test_hook_argument_missing_from_spec_is_refused(tmp_path):
    with pytest.raises(PluginHookError, match=r"plugin 'colourful': .*colour"):
        start(tmp_path, {"colourful": "tests.bad_plugins:ExtraHookArgument"})


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("SettingsNotAModel", "register_settings must return a pydantic model class"),
        ("SettingsWithoutDefault", "settings api_key have no default"),
    ],
)
def test_invalid_settings_model(tmp_path, target, message):
    with pytest.raises(PluginSettingsInvalid, match=rf"plugin 'bad': {message}"):
        start(tmp_path, {"bad": f"tests.bad_plugins:{target}"})


def test_hook_raising_at_start_names_plugin_and_hook(tmp_path):
    with pytest.raises(
        PluginHookError,
        match=r"plugin 'fragile': hook register_settings raised RuntimeError: cannot read",
    ):
        start(tmp_path, {"fragile": "tests.bad_plugins:RaisesAtStart"})


def test_case_category_collision_with_core(tmp_path):
    with pytest.raises(
        PluginCollision,
        match=r"plugin 'warm': case category 'heating' is already declared by 'core'",
    ):
        start(tmp_path, {"warm": "tests.bad_plugins:CategoryClash"})


def test_role_collision_with_core_and_between_plugins(tmp_path):
    with pytest.raises(
        PluginCollision, match=r"plugin 'grabby': role 'GRID_WORKER' is already declared by 'core'"
    ):
        start(tmp_path, {"grabby": "tests.bad_plugins:CoreRoleClash"})
    with pytest.raises(
        PluginCollision,
        match=r"plugin 'kitchen_b': role 'CANTEEN_STAFF' is already declared by 'kitchen_a'",
    ):
        start(
            tmp_path / "2",
            {
                "kitchen_a": "tests.bad_plugins:StaffRoleA",
                "kitchen_b": "tests.bad_plugins:StaffRoleB",
            },
        )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("TypeNameClash", "GraphQL type 'KernelNotice' is already declared by 'kernel_test'"),
        (
            "TypeFieldClash",
            "GraphQL field 'Community.kernelNotices' is already declared by 'kernel_test'",
        ),
    ],
)
def test_graphql_collision_with_another_plugin_names_both(tmp_path, kernel_plugin, target, message):
    with pytest.raises(PluginCollision) as caught:
        start(tmp_path, {"clash": f"tests.bad_plugins:{target}"}, load=["kernel_test", "clash"])
    assert str(caught.value) == f"plugin 'clash': {message}"


@pytest.mark.parametrize(
    ("target", "field"),
    [("RootFieldClash", "Query.districts"), ("CoreFieldClash", "Community.name")],
)
def test_field_collision_with_core(tmp_path, target, field):
    with pytest.raises(PluginCollision) as caught:
        start(tmp_path, {"again": f"tests.bad_plugins:{target}"})
    assert (
        str(caught.value)
        == f"plugin 'again': GraphQL field '{field}' is already declared by 'core'"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("NonNullableTypeField", "field Community.headcount must be nullable"),
        ("NotAContribution", "register_graphql must return a SchemaContribution"),
        ("WrongModelLabel", "its ModelApp label must be the plugin name, not 'someone_else'"),
    ],
)
def test_malformed_contributions(tmp_path, target, message):
    with pytest.raises(PluginError, match=rf"plugin 'odd': {message}"):
        start(tmp_path, {"odd": f"tests.bad_plugins:{target}"})


def test_uninstalled_after_the_block(tmp_path):
    with installed(tmp_path / "site", "hemei-bad", {"widgets": "tests.bad_plugins:UnknownHook"}):
        assert "widgets" in installed_plugins()
    assert "widgets" not in installed_plugins()


def test_two_distributions_with_one_plugin_name(tmp_path):
    with (
        installed(tmp_path / "a", "hemei-a", {"twin": "tests.bad_plugins:StaffRoleA"}),
        installed(tmp_path / "b", "hemei-b", {"twin": "tests.bad_plugins:StaffRoleB"}),
        pytest.raises(PluginCollision, match="plugin name 'twin' is already declared by"),
    ):
        installed_plugins()


def test_hook_register_figures_keys_start_with_the_plugin_name(tmp_path, kernel_plugin):
    host = build_plugin_host([kernel_plugin])
    owner, figure = host.figures["kernel_test.notices"]
    assert (owner, figure.module) == ("kernel_test", "kernel_test")
    assert host.figures["cases.completion_rate"][0] == "core"
    with pytest.raises(PluginError, match=r"figure key 'meals' must start with 'canteen\.'"):
        start(tmp_path, {"canteen": "tests.bad_plugins:FigureWithoutPrefix"})
