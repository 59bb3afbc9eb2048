"""``kernel_test``: the small plugin the kernel's own tests load through an entry point.

It uses every hook and only the public plugin API (``core`` and ``schema``), like a real
module: a model with a migration, a setting, a role, a node type tied to a place, a root query,
a mutation, a subscription, a field on ``Community``, an HTTP route and demo data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core import (
    CaseCategory,
    DemoContext,
    FigureSpec,
    ModelApp,
    Place,
    PlaceScope,
    RoleSpec,
    Unit,
    find_place,
    hookimpl,
)
from schema import RouteContext, SchemaContribution
from tests.kernel_plugin.graphql import contribution
from tests.kernel_plugin.models import Notice
from tests.kernel_plugin.settings import KernelSettings

NAME = "kernel_test"
HEMEI_PLUGIN_API = ">=1.1,<2"  # register_routes came with 1.1


@hookimpl
def register_models() -> ModelApp:
    return ModelApp(
        label=NAME,
        modules=("tests.kernel_plugin.models",),
        migrations="tests.kernel_plugin.migrations",
    )


@hookimpl
def register_settings() -> type[KernelSettings]:
    return KernelSettings


@hookimpl
def register_roles() -> list[RoleSpec]:
    return [RoleSpec("KERNEL_TESTER", "Tests the kernel.", scope="community")]


@hookimpl
def register_case_categories() -> list[CaseCategory]:
    return [CaseCategory("kernel_noise", "噪声扰民", "Noise nuisance", ("chengguan",))]


RECEIVED: list[Any] = []
"""Case events this plugin was handed (tests read and clear it)."""
FAILURES: list[int] = [0]
"""How many of the next case events to fail on (tests set it)."""


@hookimpl
def on_case_event(event: Any) -> None:
    if FAILURES[0] > 0:
        FAILURES[0] -= 1
        raise RuntimeError("the kernel test plugin is down")
    RECEIVED.append(event)


async def _notices(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    q = place.q(grid=None)
    if q is None:
        return None
    return await Notice.filter(q, created_at__gte=start, created_at__lt=end).count()


@hookimpl
def register_figures() -> list[FigureSpec]:
    return [
        FigureSpec(
            "kernel_test.notices",
            "通知",
            "Notices",
            "Notices posted in the period.",
            Unit.COUNT,
            _notices,
        )
    ]


@hookimpl
def register_graphql() -> SchemaContribution:
    return contribution()


async def _hello(request: Request) -> JSONResponse:
    context = await RouteContext.of(request)
    district = await find_place("District", int(request.query_params.get("district", "0")))
    return JSONResponse(
        {
            "viewer": context.viewer.username if context.viewer else None,
            "on": await context.module_on(NAME, district),
            "greeting": (await context.settings(NAME, district, KernelSettings)).greeting,
        }
    )


@hookimpl
def register_routes() -> list[Route]:
    return [Route("/hello", _hello)]


@hookimpl
async def load_demo_data(demo: DemoContext) -> None:
    codes = {d.id: d.code for d in demo.districts}
    for community in demo.communities:
        if demo.activation.state(NAME, Place(codes[community.district_id])).enabled:
            await Notice.create(
                title=f"{community.name} notice",
                district_id=community.district_id,
                street_id=community.street_id,
                community_id=community.id,
            )
