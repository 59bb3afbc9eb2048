"""``modules`` on districts, streets and communities: what a frontend should show there."""

from __future__ import annotations

import strawberry

from core.activation import Place
from schema.context import Context
from schema.scalars import JSON


@strawberry.type(description="A module (plugin) and whether it is on at this place.")
class ModuleStatus:
    name: str = strawberry.field(description="The module's name, e.g. elderly_canteen.")
    enabled: bool = strawberry.field(description="Whether the module is on at this place.")
    source: str = strawberry.field(
        description="The config entry that decided it, e.g. "
        "`districts.gongnong.modules` or `districts.gongnong.streets.liuhao.modules_off`."
    )
    settings: JSON | None = strawberry.field(
        description="The module's settings in force here (defaults filled in); null when the "
        "module declares no settings."
    )


def module_statuses(context: Context, place: Place) -> list[ModuleStatus]:
    activation = context.activation
    result = []
    for state in activation.states(place):
        settings = activation.settings(state.module, place)
        result.append(
            ModuleStatus(
                name=state.module,
                enabled=state.enabled,
                source=state.source,
                settings=JSON(settings.model_dump(mode="json")) if settings is not None else None,
            )
        )
    return result
