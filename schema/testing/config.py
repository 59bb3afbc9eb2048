"""Config files for tests, shaped in code: which plugins load, where each is on, settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from core.demo.regions import DISTRICTS

ON_DISTRICTS = ("gongnong", "nanshan")
"""Districts where the test config switches the tested plugins on."""
OFF_DISTRICTS = ("xingshan",)
"""Districts where it leaves them off."""
NAMES = {plan.code: plan.name for plan in DISTRICTS}
"""The demo districts' names by code."""


@dataclass
class Config:
    """A ``hemei.toml`` for a test. ``Config(["my_plugin"])`` loads the plugin and switches it
    on in :data:`ON_DISTRICTS`; change that with :meth:`on`, :meth:`off` and :meth:`settings`,
    then serve :meth:`text` (the ``hemei_app`` fixture takes a Config or a string)."""

    plugins: list[str]
    modules: dict[str, list[str]] = field(default_factory=dict)
    district_settings: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    performance: dict[str, Any] = field(default_factory=lambda: {"viewer_cache_seconds": 0})
    """``[performance]`` keys. By default every request reads its viewer: a test that writes
    grants straight into the database sees them at once, and a request's statements do not
    depend on what ran before it (:meth:`Statements.assert_flat` compares two)."""
    extra: str = ""
    """Raw TOML appended at the end (other sections, street or community overrides; set
    ``[performance]`` keys through :attr:`performance`)."""

    def __post_init__(self) -> None:
        if not self.modules:
            self.modules = {d: list(self.plugins) for d in ON_DISTRICTS}
            self.modules.update({d: [] for d in OFF_DISTRICTS})

    def on(self, district: str, *plugins: str) -> Config:
        """Switch ``plugins`` (default: all tested ones) on in ``district``."""
        wanted = self.modules.setdefault(district, [])
        wanted += [p for p in plugins or self.plugins if p not in wanted]
        return self

    def off(self, district: str, *plugins: str) -> Config:
        """Switch ``plugins`` (default: all tested ones) off in ``district``."""
        gone = set(plugins or self.plugins)
        self.modules[district] = [p for p in self.modules.get(district, []) if p not in gone]
        return self

    def settings(self, district: str, plugin: str, **values: Any) -> Config:
        """Per-district settings of ``plugin`` (validated against its settings model)."""
        self.district_settings.setdefault(district, {}).setdefault(plugin, {}).update(values)
        return self

    def text(self) -> str:
        lines = ["[plugins]", f"load = {json.dumps(self.plugins, ensure_ascii=False)}"]
        for district, modules in self.modules.items():
            lines += [
                "",
                f"[districts.{district}]",
                f"name = {json.dumps(NAMES.get(district, district), ensure_ascii=False)}",
                f"modules = {json.dumps(modules, ensure_ascii=False)}",
            ]
            for plugin, values in self.district_settings.get(district, {}).items():
                lines.append(f"[districts.{district}.settings.{plugin}]")
                lines += [f"{k} = {_toml(v)}" for k, v in values.items()]
        if self.performance:
            lines += ["", "[performance]"]
            lines += [f"{k} = {_toml(v)}" for k, v in self.performance.items()]
        return "\n".join(lines) + "\n" + self.extra


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML here: use Config.extra")
