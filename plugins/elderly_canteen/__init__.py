"""Module ``elderly_canteen`` (老年食堂): community canteens for older residents.

Canteens with their seats, opening days, meal times and delivery area; residents aged 60 or
more registered with a canteen (age tier from the ID number, flags that matter for service,
masked as personal data); daily menus published by canteen staff; meals booked through the core
booking engine (lunch or dinner, dine-in or delivery, a per-district cut-off, capacity per
sitting); subsidies per age tier and per flag with a monthly cap; monthly statements and subsidy
reports (.xlsx); food-safety complaints as core cases; figures for the dashboards. See
``plugins/elderly_canteen/README.md``.
"""

from __future__ import annotations

from core import CaseCategory, DemoContext, DomainEvent, FigureSpec, ModelApp, RoleSpec, hookimpl
from plugins.elderly_canteen.places import NAME
from plugins.elderly_canteen.rules import STAFF_ROLE
from plugins.elderly_canteen.settings import CanteenSettings
from schema import SchemaContribution

HEMEI_PLUGIN_API = ">=1,<2"
"""The plugin API versions this module works with (``core.PLUGIN_API_VERSION``)."""


@hookimpl
def register_models() -> ModelApp:
    return ModelApp(
        label=NAME,
        modules=("plugins.elderly_canteen.models",),
        migrations="plugins.elderly_canteen.migrations",
    )


@hookimpl
def register_settings() -> type[CanteenSettings]:
    return CanteenSettings


@hookimpl
def register_roles() -> list[RoleSpec]:
    return [
        RoleSpec(
            STAFF_ROLE,
            "Works in a community's elderly canteen: publishes menus, books for and serves its "
            "elders, sees their service flags. Granted at the canteen's community; the canteen's "
            "staff list says which canteen.",
            scope="community",
        )
    ]


@hookimpl
def register_case_categories() -> list[CaseCategory]:
    from plugins.elderly_canteen.complaints import CATEGORY

    return [CATEGORY]


@hookimpl
def register_figures() -> list[FigureSpec]:
    from plugins.elderly_canteen.dashboard import FIGURES

    return FIGURES


@hookimpl
def register_graphql() -> SchemaContribution:
    from plugins.elderly_canteen.graphql import contribution

    return contribution()


@hookimpl
async def on_case_event(event: DomainEvent) -> None:
    from plugins.elderly_canteen.complaints import follow

    await follow(event)


@hookimpl
async def load_demo_data(demo: DemoContext) -> None:
    from plugins.elderly_canteen.demo import load

    await load(demo)
