"""Which module is on where, and with which settings: the one resolver for module switches.

A district's ``modules`` apply to its whole subtree. A street or community may override them
(``modules_on`` / ``modules_off``) and may override settings; the nearest override wins.
Places below a community (grids, compounds) follow their community. Every answer names the
config entry that decided it, so district staff can see why a module is on or off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from core.config.errors import ConfigError
from core.config.loader import dotted
from core.config.model import HemeiConfig, PlaceOverride


@dataclass(frozen=True)
class Place:
    """A place in the region tree by codes, as far down as it is known."""

    district: str
    street: str | None = None
    community: str | None = None

    def describe(self) -> str:
        parts = [f"district '{self.district}'"]
        if self.street:
            parts.append(f"street '{self.street}'")
        if self.community:
            parts.append(f"community '{self.community}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class ModuleState:
    """Whether ``module`` is on at a place and the config key that decided it."""

    module: str
    enabled: bool
    source: str


@dataclass(frozen=True)
class ModuleSwitches:
    """The codes where one module is switched, for filtering rows in SQL or in Python."""

    districts_on: frozenset[str]
    streets_on: frozenset[tuple[str, str]]
    streets_off: frozenset[tuple[str, str]]
    communities_on: frozenset[tuple[str, str]]
    communities_off: frozenset[tuple[str, str]]


_LEVEL = {"streets": "street", "communities": "community"}


class Activation:
    """Module switches and settings of one validated config. Immutable: a reload builds a new
    one, so a request keeps the snapshot it started with."""

    def __init__(
        self,
        config: HemeiConfig,
        settings_models: Mapping[str, type[BaseModel] | None],
        path: Path | str = "hemei.toml",
    ) -> None:
        self.config = config
        self.modules: list[str] = list(settings_models)
        self._models = dict(settings_models)
        self._settings_cache: dict[tuple[str, Place], BaseModel | None] = {}
        problems = list(self._problems())
        if problems:
            raise ConfigError(path, problems)

    # -- answers -------------------------------------------------------------------------------

    def state(self, module: str, place: Place) -> ModuleState:
        """Is ``module`` on at ``place``, and which config entry decided it."""
        district = self.config.districts.get(place.district)
        if district is None:
            return ModuleState(module, False, f"districts (no [districts.{place.district}])")
        base = f"districts.{place.district}"
        for kind, code in (("communities", place.community), ("streets", place.street)):
            override = getattr(district, kind).get(code) if code else None
            if override is not None:
                if module in override.modules_on:
                    return ModuleState(module, True, f"{base}.{kind}.{code}.modules_on")
                if module in override.modules_off:
                    return ModuleState(module, False, f"{base}.{kind}.{code}.modules_off")
        return ModuleState(module, module in district.modules, f"{base}.modules")

    def states(self, place: Place) -> list[ModuleState]:
        return [self.state(module, place) for module in self.modules]

    def settings(self, module: str, place: Place) -> BaseModel | None:
        """The module's settings in force at ``place`` (defaults for keys not set)."""
        key = (module, place)
        if key not in self._settings_cache:
            model = self._models.get(module)
            self._settings_cache[key] = (
                model.model_validate(self._raw_settings(module, place)) if model else None
            )
        return self._settings_cache[key]

    def switches(self, module: str) -> ModuleSwitches:
        """Where ``module`` is switched, as code sets (for SQL filters over many places)."""
        return self._switches[module]

    @cached_property
    def _switches(self) -> dict[str, ModuleSwitches]:
        result = {}
        for module in self.modules:
            sets: dict[str, set[Any]] = {k: set() for k in ModuleSwitches.__dataclass_fields__}
            for code, district in self.config.districts.items():
                if module in district.modules:
                    sets["districts_on"].add(code)
                for kind in ("streets", "communities"):
                    for place_code, override in getattr(district, kind).items():
                        if module in override.modules_on:
                            sets[f"{kind}_on"].add((code, place_code))
                        if module in override.modules_off:
                            sets[f"{kind}_off"].add((code, place_code))
            result[module] = ModuleSwitches(**{k: frozenset(v) for k, v in sets.items()})
        return result

    # -- validation ----------------------------------------------------------------------------

    def _raw_settings(self, module: str, place: Place) -> dict[str, Any]:
        district = self.config.districts.get(place.district)
        if district is None:
            return {}
        merged = dict(district.settings.get(module, {}))
        for kind, code in (("streets", place.street), ("communities", place.community)):
            override = getattr(district, kind).get(code) if code else None
            if override is not None:
                merged.update(override.settings.get(module, {}))
        return merged

    def _problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        loaded = ", ".join(self.modules) or "none"
        for code, district in self.config.districts.items():
            base = f"districts.{code}"
            for i, module in enumerate(district.modules):
                if module not in self._models:
                    problems.append(
                        (f"{base}.modules[{i}]", f"unknown module '{module}' (loaded: {loaded})")
                    )
            problems += self._settings_problems(base, district.settings, Place(code))
            for kind in ("streets", "communities"):
                overrides: dict[str, PlaceOverride] = getattr(district, kind)
                for place_code, override in overrides.items():
                    key = f"{base}.{kind}.{place_code}"
                    for field in ("modules_on", "modules_off"):
                        for i, module in enumerate(getattr(override, field)):
                            if module not in self._models:
                                problems.append(
                                    (
                                        f"{key}.{field}[{i}]",
                                        f"unknown module '{module}' (loaded: {loaded})",
                                    )
                                )
                    if both := set(override.modules_on) & set(override.modules_off):
                        problems.append(
                            (key, f"modules both on and off: {', '.join(sorted(both))}")
                        )
                    place = Place(code, **{_LEVEL[kind]: place_code})
                    problems += self._settings_problems(key, override.settings, place)
        return problems

    def _settings_problems(
        self, base: str, settings: Mapping[str, Mapping[str, Any]], place: Place
    ) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        for module in settings:
            key = f"{base}.settings.{module}"
            model = self._models.get(module, None)
            if module not in self._models:
                problems.append((key, f"settings for unknown module '{module}'"))
            elif model is None:
                problems.append((key, f"module '{module}' has no settings"))
            else:
                for name in settings[module]:
                    if name not in model.model_fields:
                        known = ", ".join(model.model_fields)
                        problems.append((f"{key}.{name}", f"unknown setting (known: {known})"))
                try:
                    model.model_validate(self._raw_settings(module, place))
                except ValidationError as exc:
                    problems += [
                        (f"{key}.{dotted(e['loc'])}".rstrip("."), e["msg"])
                        for e in exc.errors()
                        if e["type"] != "extra_forbidden"  # reported above, with the known keys
                    ]
        return problems
