"""The version of the plugin API, and the range of it each plugin says it supports.

The plugin API is what ``core`` and ``schema`` export at their top level plus the hook specs in
:mod:`core.plugins.hookspecs`. Its version moves on its own, not with Hemei's: the minor number
grows when the API gains something (a hook, an argument, an export), the major number when
something a plugin may rely on changes or goes away.

A plugin declares the versions it works with as a PEP 440 range in its entry-point module::

    HEMEI_PLUGIN_API = ">=1.1,<2"

Start-up refuses a plugin that declares none, or whose range excludes this Hemei's version,
with a message naming both.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from core.plugins.errors import PluginApiIncompatible, PluginError

PLUGIN_API_VERSION = "1.1"
"""The plugin API this Hemei offers. 1.0: the hooks and exports the built-in modules were
written against; 1.1: ``register_routes`` and the ``HEMEI_PLUGIN_API`` declaration."""

API_ATTRIBUTE = "HEMEI_PLUGIN_API"
"""The module attribute (of the entry point's target) holding the plugin's supported range."""

SUGGESTED_RANGE = f">={PLUGIN_API_VERSION},<{Version(PLUGIN_API_VERSION).major + 1}"


def supported_range(plugin: str, target: object) -> SpecifierSet:
    """The range ``target`` (the loaded entry point) declares, or a :class:`PluginError`."""
    declared = getattr(target, API_ATTRIBUTE, None)
    where = getattr(target, "__name__", repr(target))
    if declared is None:
        raise PluginError(
            plugin,
            f"declares no plugin API range: set {API_ATTRIBUTE} = {SUGGESTED_RANGE!r} in "
            f"{where} (this Hemei offers plugin API {PLUGIN_API_VERSION})",
        )
    if not isinstance(declared, str):
        raise PluginError(plugin, f"{API_ATTRIBUTE} must be a string, not {declared!r}")
    try:
        return SpecifierSet(declared)
    except InvalidSpecifier:
        raise PluginError(
            plugin,
            f"{API_ATTRIBUTE} = {declared!r} is not a version range "
            f"(PEP 440, e.g. {SUGGESTED_RANGE!r})",
        ) from None


def check_api(plugin: str, target: object, offered: str = PLUGIN_API_VERSION) -> SpecifierSet:
    """Refuse ``plugin`` unless its declared range contains the ``offered`` version."""
    wanted = supported_range(plugin, target)
    if not wanted.contains(Version(offered), prereleases=True):
        raise PluginApiIncompatible(plugin, str(wanted), offered, hemei_version())
    return wanted


def hemei_version() -> str:
    """The installed Hemei distribution's version (``?`` when run from a bare checkout)."""
    try:
        return version("hemei")
    except PackageNotFoundError:
        return "?"
