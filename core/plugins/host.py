"""The plugin host: a pluggy manager built from the config, plus what the plugins declared.

There is no global manager: :func:`build_plugin_host` makes a fresh one for the names the
config loads, and each test gets its own.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from core.access.roles import CORE_ROLES
from core.cases.categories import CORE_CATEGORIES, CaseCategory
from core.db.faults import is_unavailable
from core.db.setup import CORE_MODELS, ModelApp
from core.plugins import hookspecs
from core.plugins.api import check_api
from core.plugins.barrier import contained
from core.plugins.contributions import RoleSpec
from core.plugins.discovery import InstalledPlugin, installed_plugins
from core.plugins.errors import (
    PluginCollision,
    PluginError,
    PluginHookError,
    PluginImportFailed,
    PluginNotInstalled,
    PluginSettingsInvalid,
)
from core.stats.core_figures import CORE_FIGURES
from core.stats.figures import Compute, FigureSpec
from core.stats.scope import PlaceScope

CORE = "core"
log = logging.getLogger("hemei.plugins")


@dataclass(frozen=True)
class LoadedPlugin:
    """A plugin this deployment loaded, with what it declared at start-up."""

    name: str
    module: object
    installed: InstalledPlugin | None
    settings_model: type[BaseModel] | None = None
    model_app: ModelApp | None = None
    roles: tuple[RoleSpec, ...] = ()
    api: str = ""
    """The plugin API range the plugin declares (``HEMEI_PLUGIN_API``)."""

    @property
    def version(self) -> str | None:
        return self.installed.version if self.installed else None


@dataclass
class PluginHost:
    """The loaded plugins and the pluggy manager that calls their hooks."""

    manager: pluggy.PluginManager
    plugins: dict[str, LoadedPlugin] = field(default_factory=dict)
    roles: dict[str, tuple[str, RoleSpec]] = field(default_factory=dict)
    case_categories: dict[str, tuple[str, CaseCategory]] = field(default_factory=dict)
    figures: dict[str, tuple[str, FigureSpec]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.plugins)

    def call_each(self, hook: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Call ``hook`` on each plugin in load order, yielding ``(plugin, result)``.

        Unlike a plain pluggy call this knows who returned what, so collisions and failures can
        name the plugin. A start-up hook that raises becomes a :class:`PluginHookError`.
        """
        impls = {
            impl.plugin_name: impl for impl in getattr(self.manager.hook, hook).get_hookimpls()
        }
        for name in self.plugins:
            impl = impls.get(name)
            if impl is None:
                continue
            args = {arg: kwargs[arg] for arg in impl.argnames}
            try:
                result = impl.function(**args)
            except Exception as exc:
                raise PluginHookError(
                    name, f"hook {hook} raised {type(exc).__name__}: {exc}"
                ) from exc
            if result is not None:
                yield name, result

    async def call_each_async(self, hook: str, **kwargs: Any) -> None:
        """Call ``hook`` on each plugin, awaiting implementations that are ``async def``."""
        for _name, result in self.call_each(hook, **kwargs):
            if inspect.isawaitable(result):
                await result

    def model_apps(self) -> list[ModelApp]:
        """Core's models first, then each plugin's, in load order."""
        return [CORE_MODELS] + [p.model_app for p in self.plugins.values() if p.model_app]

    def settings_models(self) -> dict[str, type[BaseModel] | None]:
        return {name: p.settings_model for name, p in self.plugins.items()}


def build_plugin_host(
    names: Sequence[str], installed: Mapping[str, InstalledPlugin] | None = None
) -> PluginHost:
    """Load the named plugins and collect their declarations, or fail naming the plugin."""
    installed = installed_plugins() if installed is None else installed
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    modules: dict[str, object] = {}
    apis: dict[str, str] = {}
    for name in names:
        plugin = installed.get(name)
        if plugin is None:
            raise PluginNotInstalled(name, installed)
        try:
            module = plugin.entry_point.load()
        except Exception as exc:
            raise PluginImportFailed(name, exc) from exc
        apis[name] = str(check_api(name, module))
        try:
            manager.register(module, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginHookError(name, str(exc)) from None
        modules[name] = module
    _check_pending(manager)

    host = PluginHost(manager=manager)
    for role in CORE_ROLES:
        _claim(host.roles, "role", role.name, CORE, role)
    for category in CORE_CATEGORIES:
        _claim(host.case_categories, "case category", category.code, CORE, category)
    host.plugins = {
        n: LoadedPlugin(name=n, module=m, installed=installed[n]) for n, m in modules.items()
    }
    settings = dict(host.call_each("register_settings"))
    models = dict(host.call_each("register_models"))
    roles = dict(host.call_each("register_roles"))
    for name in host.plugins:
        host.plugins[name] = LoadedPlugin(
            name=name,
            module=modules[name],
            installed=installed[name],
            settings_model=_checked_settings(name, settings.get(name)),
            model_app=_checked_models(name, models.get(name)),
            roles=tuple(roles.get(name, ())),
            api=apis[name],
        )
        for role in host.plugins[name].roles:
            _claim(host.roles, "role", role.name, name, role)
    for name, categories in host.call_each("register_case_categories"):
        for category in categories:
            if not isinstance(category, CaseCategory):
                raise PluginError(
                    name,
                    f"register_case_categories must return CaseCategory objects, got {category!r}",
                )
            _claim(host.case_categories, "case category", category.code, name, category)
    for figure in CORE_FIGURES:
        _claim(host.figures, "dashboard figure", figure.key, CORE, figure)
    for name, figures in host.call_each("register_figures"):
        for figure in figures or ():
            if not isinstance(figure, FigureSpec):
                raise PluginError(
                    name, f"register_figures must return FigureSpec objects, got {figure!r}"
                )
            if not figure.key.startswith(f"{name}."):
                raise PluginError(name, f"figure key {figure.key!r} must start with '{name}.'")
            contained_figure = replace(figure, module=name, compute=_contained(name, figure))
            _claim(host.figures, "dashboard figure", figure.key, name, contained_figure)
    return host


def _contained(plugin: str, figure: FigureSpec) -> Compute:
    """The figure's computation, failing alone: a plugin figure that raises (``SystemExit``
    included) shows no value and is logged, and the rest of the dashboard is served. A database
    outage still fails the request (``DATABASE_UNAVAILABLE``), as it does for core's figures."""
    compute = figure.compute

    async def contained_compute(scope: PlaceScope, start: datetime, end: datetime) -> float | None:
        try:
            with contained(plugin, f"figure {figure.key}"):
                return await compute(scope, start, end)
        except Exception as error:
            if is_unavailable(error):
                raise
            log.exception("plugin %s failed to compute figure %s", plugin, figure.key)
            return None

    return contained_compute


def _check_pending(manager: pluggy.PluginManager) -> None:
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginHookError(
            manager.get_name(exc.plugin) or "?", f"{exc} (see core.plugins.hookspecs for the hooks)"
        ) from None


def _claim(
    registry: dict[str, tuple[str, Any]], kind: str, key: str, owner: str, value: Any
) -> None:
    if key in registry:
        raise PluginCollision(kind, key, registry[key][0], owner)
    registry[key] = (owner, value)


def _checked_settings(name: str, model: Any) -> type[BaseModel] | None:
    if model is None:
        return None
    if not (inspect.isclass(model) and issubclass(model, BaseModel)):
        raise PluginSettingsInvalid(
            name, f"register_settings must return a pydantic model class, got {model!r}"
        )
    missing = [f for f, info in model.model_fields.items() if info.is_required()]
    if missing:
        raise PluginSettingsInvalid(name, f"settings {', '.join(missing)} have no default")
    try:
        model()
    except ValidationError as exc:
        raise PluginSettingsInvalid(name, f"default settings are invalid: {exc}") from None
    return model


def _checked_models(name: str, app: Any) -> ModelApp | None:
    if app is None:
        return None
    if not isinstance(app, ModelApp):
        raise PluginError(name, f"register_models must return a ModelApp, got {app!r}")
    if app.label != name:
        raise PluginError(name, f"its ModelApp label must be the plugin name, not '{app.label}'")
    return app
