"""Module ``new_employment_stations`` (新就业群体服务驿站): stations for couriers, delivery riders
and ride-hailing drivers, and their snap-and-report as mobile sentinels (移动哨兵).

Stations with hours, amenities, chargers, a keeper and live occupancy; workers who register
themselves and are verified by keepers; check-in and check-out; the nearest open station (with
a free charger); seasonal care activities through the core booking engine; points for
snap-and-reports followed through case events; a monthly leaderboard; figures. See README.md.
"""

from __future__ import annotations

from core import (
    Activation,
    CaseCategory,
    DemoContext,
    DomainEvent,
    FigureSpec,
    ModelApp,
    RoleSpec,
    hookimpl,
)
from plugins.new_employment_stations.demo import load
from plugins.new_employment_stations.graphql import contribution
from plugins.new_employment_stations.places import NAME
from plugins.new_employment_stations.points import react
from plugins.new_employment_stations.rules import ROLES
from plugins.new_employment_stations.settings import StationSettings
from schema import SchemaContribution

HEMEI_PLUGIN_API = ">=1,<2"
"""The plugin API versions this module works with (``core.PLUGIN_API_VERSION``)."""

__all__ = ["NAME"]


@hookimpl
def register_models() -> ModelApp:
    return ModelApp(
        label=NAME,
        modules=("plugins.new_employment_stations.models",),
        migrations="plugins.new_employment_stations.migrations",
    )


@hookimpl
def register_settings() -> type[StationSettings]:
    return StationSettings


@hookimpl
def register_roles() -> list[RoleSpec]:
    return list(ROLES)


@hookimpl
def register_case_categories() -> list[CaseCategory]:
    # Riders meet open manholes first, and at night: the category routes them to the water
    # bureau (most covers are on its pipes) and city management.
    return [CaseCategory("manhole_cover", "井盖缺失破损", "Missing or broken manhole cover",
                         ("shuiwu", "chengguan"))]  # fmt: skip


@hookimpl
def register_figures() -> list[FigureSpec]:
    from plugins.new_employment_stations.dashboard import FIGURES

    return FIGURES


@hookimpl
def register_graphql() -> SchemaContribution:
    return contribution()


@hookimpl
async def on_case_event(event: DomainEvent, activation: Activation | None) -> None:
    await react(event, activation)


@hookimpl
async def load_demo_data(demo: DemoContext) -> None:
    await load(demo)
