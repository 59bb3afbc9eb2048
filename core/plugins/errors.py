"""Start-up failures caused by a plugin. Each names the plugin at fault (and the other one, for
collisions) so that an operator knows which package to fix or remove."""

from __future__ import annotations

from collections.abc import Iterable


class PluginError(Exception):
    """A plugin stops start-up. ``plugin`` is its entry-point name."""

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin '{plugin}': {message}")


class PluginNotInstalled(PluginError):
    def __init__(self, plugin: str, installed: Iterable[str]) -> None:
        names = ", ".join(sorted(installed)) or "none"
        super().__init__(plugin, f"named in the config but not installed (installed: {names})")


class PluginImportFailed(PluginError):
    def __init__(self, plugin: str, cause: BaseException) -> None:
        super().__init__(plugin, f"failed to import: {type(cause).__name__}: {cause}")


class PluginHookError(PluginError):
    """An unknown hook, a hook with arguments its spec lacks, or a hook that raised at start."""


class PluginSettingsInvalid(PluginError):
    pass


class PluginApiIncompatible(PluginError):
    """The plugin supports a range of the plugin API that excludes this Hemei's version."""

    def __init__(self, plugin: str, wanted: str, offered: str, hemei: str = "?") -> None:
        self.wanted, self.offered = wanted, offered
        super().__init__(
            plugin,
            f"supports plugin API {wanted}, but this Hemei ({hemei}) offers plugin API "
            f"{offered}: install a version of the plugin made for it",
        )


class PluginCollision(PluginError):
    """Two plugins claim one name (a GraphQL type or field, a role, a setting, a plugin name)."""

    def __init__(self, kind: str, name: str, first: str, second: str) -> None:
        self.kind, self.name, self.other = kind, name, first
        super().__init__(second, f"{kind} '{name}' is already declared by '{first}'")
