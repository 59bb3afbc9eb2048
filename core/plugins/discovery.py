"""Find installed plugins: every entry point in the ``hemei.plugins`` group, built-in or not."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from core.plugins.errors import PluginCollision
from core.plugins.hookspecs import ENTRY_POINT_GROUP


@dataclass(frozen=True)
class InstalledPlugin:
    """An installed plugin: its entry point and the distribution that ships it."""

    name: str
    entry_point: EntryPoint
    distribution: str | None
    version: str | None


def installed_plugins(group: str = ENTRY_POINT_GROUP) -> dict[str, InstalledPlugin]:
    """Installed plugins by name. Two distributions shipping one name stop start-up."""
    found: dict[str, InstalledPlugin] = {}
    for ep in entry_points(group=group):
        dist = ep.dist
        plugin = InstalledPlugin(
            name=ep.name,
            entry_point=ep,
            distribution=dist.name if dist else None,
            version=dist.version if dist else None,
        )
        if (other := found.get(ep.name)) and other.entry_point.value != ep.value:
            raise PluginCollision(
                "plugin name", ep.name, other.distribution or "?", plugin.distribution or "?"
            )
        found[ep.name] = plugin
    return found
