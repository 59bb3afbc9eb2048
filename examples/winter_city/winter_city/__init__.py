"""Winter in a northern city (``winter_city``): residents report snow and ice that nobody
cleared and homes without heating; each report is a core case on the ladder (城管局 for snow,
供热办 for heating), followed until it is resolved. City apps and hotlines that speak Open311
GeoReport v2 file the same reports over HTTP. An example of a plugin that lives outside Hemei's
tree: its own package, found through its entry point."""

from __future__ import annotations

from collections.abc import Sequence

from core import (
    CaseCategory,
    DemoContext,
    DomainEvent,
    FigureSpec,
    ModelApp,
    hookimpl,
)
from schema import SchemaContribution
from starlette.routing import BaseRoute

from winter_city.names import NAME, SNOW_CATEGORY
from winter_city.settings import WinterSettings

HEMEI_PLUGIN_API = ">=1.1,<2"
"""register_routes arrived with plugin API 1.1."""


@hookimpl
def register_models() -> ModelApp:
    return ModelApp(
        label=NAME, modules=("winter_city.models",), migrations="winter_city.migrations"
    )


@hookimpl
def register_settings() -> type[WinterSettings]:
    return WinterSettings


@hookimpl
def register_case_categories() -> list[CaseCategory]:
    return [SNOW_CATEGORY]


@hookimpl
def register_figures() -> list[FigureSpec]:
    from winter_city.figures import FIGURES

    return FIGURES


@hookimpl
def register_graphql() -> SchemaContribution:
    from winter_city.graphql import contribution

    return contribution()


# guide:start routes
@hookimpl
def register_routes() -> Sequence[BaseRoute]:
    """Open311 GeoReport v2, served at /plugins/winter_city/open311/v2/."""
    from winter_city.open311 import ROUTES

    return ROUTES


# guide:end routes


@hookimpl
async def on_case_event(event: DomainEvent) -> None:
    from winter_city.follow import follow

    await follow(event)


@hookimpl
async def load_demo_data(demo: DemoContext) -> None:
    from winter_city.demo import load

    await load(demo)
