"""A plugin declares the plugin API versions it works with; start-up refuses one that does not
fit this Hemei, saying what it needs and what is offered."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet

from core import PLUGIN_API_VERSION
from core.plugins.api import API_ATTRIBUTE, check_api, hemei_version
from core.plugins.discovery import installed_plugins
from core.plugins.errors import PluginApiIncompatible, PluginError
from core.plugins.host import build_plugin_host
from schema.cli import builtin_plugin_names
from tests.support.distributions import installed


def test_an_incompatible_plugin_is_refused_naming_both_versions(tmp_path):
    with (
        installed(tmp_path, "hemei-future", {"future": "tests.bad_plugins:ApiTooNew"}),
        pytest.raises(PluginApiIncompatible) as caught,
    ):
        build_plugin_host(["future"])
    assert str(caught.value) == (
        f"plugin 'future': supports plugin API <3,>=2, but this Hemei ({hemei_version()}) "
        f"offers plugin API {PLUGIN_API_VERSION}: install a version of the plugin made for it"
    )
    assert (caught.value.wanted, caught.value.offered) == ("<3,>=2", PLUGIN_API_VERSION)


def test_a_plugin_without_a_declaration_is_told_what_to_write(tmp_path):
    with (
        installed(tmp_path, "hemei-silent", {"silent": "tests.bad_plugins:ApiUndeclared"}),
        pytest.raises(PluginError, match=r"plugin 'silent': declares no plugin API range: set "
                                         rf"HEMEI_PLUGIN_API = '>={PLUGIN_API_VERSION},<2'"),
    ):  # fmt: skip
        build_plugin_host(["silent"])


def test_a_malformed_range_is_refused(tmp_path):
    with (
        installed(tmp_path, "hemei-odd", {"odd": "tests.bad_plugins:ApiMalformed"}),
        pytest.raises(PluginError, match=r"'version two please' is not a version range"),
    ):
        build_plugin_host(["odd"])


def test_the_range_is_checked_against_the_offered_version():
    class Plugin:
        HEMEI_PLUGIN_API = ">=1,<2"

    assert check_api("p", Plugin, "1.7") == SpecifierSet(">=1,<2")
    with pytest.raises(PluginApiIncompatible, match=r"offers plugin API 2\.0"):
        check_api("p", Plugin, "2.0")


def test_builtin_modules_and_the_kernel_plugin_declare_a_fitting_range(kernel_plugin):
    names = [*builtin_plugin_names(), kernel_plugin]
    host = build_plugin_host(names)
    for name in names:
        module = installed_plugins()[name].entry_point.load()
        declared = getattr(module, API_ATTRIBUTE)
        assert host.plugins[name].api == str(SpecifierSet(declared))
        assert SpecifierSet(declared).contains(PLUGIN_API_VERSION)
