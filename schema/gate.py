"""The per-district module gate: the one place where "is this module on here?" is enforced.

Declarations are data (:class:`GateRules`): which fields and types belong to which module, and
how an object of a type finds its place (:class:`PlaceOf`). The schema builder puts
:class:`ModuleGateExtension` on every field a plugin contributes; ``node``/``nodes`` apply
:meth:`GateRules.admit`. A plugin field on an object whose place has the module off answers
``MODULE_DISABLED``; a list leaves out the objects whose place has it off. Fields of a plugin's
own types need no gate: their objects are only reachable through gated fields.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.field import StrawberryField
from tortoise.expressions import Q

if TYPE_CHECKING:
    from schema.context import Context

from pydantic import BaseModel

from core.activation import Place
from core.errors import ModuleDisabled
from core.regions.models import Community, District, Street
from core.regions.places import PlaceRow
from schema.contribution import PlaceOf
from schema.relay import Connection

S = TypeVar("S", bound=BaseModel)


@dataclass
class GateRules:
    """Which module owns which type, and where objects of a type sit. Built by the builder."""

    places: dict[type, PlaceOf] = field(default_factory=dict)
    type_module: dict[type, str] = field(default_factory=dict)

    def place_of(self, obj: Any) -> PlaceOf | None:
        return self.places.get(type(obj))

    async def enabled(self, context: Context, module: str, obj: Any) -> bool:
        place = self.place_of(obj)
        if place is None:
            return True
        ids = await context.switch_ids(module)
        return ids.enabled(
            getattr(obj, place.district),
            getattr(obj, place.street) if place.street else None,
            getattr(obj, place.community) if place.community else None,
        )

    async def check(self, context: Context, module: str, obj: Any) -> None:
        if not await self.enabled(context, module, obj):
            raise ModuleDisabled(module, _describe(obj, self.place_of(obj)))

    async def admit(self, context: Context, obj: Any) -> bool:
        """For ``node(id:)``: may an object of a plugin type be returned at all?"""
        module = self.type_module.get(type(obj))
        return module is None or await self.enabled(context, module, obj)

    async def q(self, context: Context, module: str, place: PlaceOf | None = None) -> Q:
        """Rows where ``module`` is on, as a filter for a plugin's list resolver, so pages and
        totals are right before the per-object check runs."""
        place = place or PlaceOf()
        ids = await context.switch_ids(module)
        return ids.q(place.district, place.street, place.community)


def _describe(obj: Any, place: PlaceOf | None) -> str:
    if place is None:
        return "this place"
    parts = [f"district {getattr(obj, place.district)}"]
    if place.street:
        parts.append(f"street {getattr(obj, place.street)}")
    if place.community:
        parts.append(f"community {getattr(obj, place.community)}")
    return "the place of this object (" + ", ".join(parts) + ")"


class ModuleGateExtension(FieldExtension):
    """Gates one plugin field: checks the parent's place first, then the returned objects."""

    def __init__(self, module: str) -> None:
        self.module = module

    def apply(self, field: StrawberryField) -> None:
        pass

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        context: Context = info.context
        rules = context.gate
        if source is not None:
            await rules.check(context, self.module, source)
        result = next_(source, info, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, AsyncIterator):
            # A subscription's event stream: the plugin filters its events by place itself.
            return result
        return await self._filter(rules, context, result)

    async def _filter(self, rules: GateRules, context: Context, result: Any) -> Any:
        if result is None:
            return None
        if isinstance(result, Connection):
            result.edges = [
                e for e in result.edges if await rules.enabled(context, self.module, e.node)
            ]
            return result
        if isinstance(result, list | tuple):
            return [item for item in result if await rules.enabled(context, self.module, item)]
        await rules.check(context, self.module, result)
        return result


async def module_filter(info: Info, module: str, place: PlaceOf | None = None) -> Q:
    """A Tortoise filter for the rows of ``module`` whose place has it on.

    Use it in a plugin's list resolver so pages and ``totalCount`` leave out switched-off
    places before pagination; the gate's per-object check stays as the safety net::

        rows = Canteen.filter(await module_filter(info, "elderly_canteen"))
    """
    context: Context = info.context
    return await context.gate.q(context, module, place)


async def require_module(info: Info, module: str, place: PlaceRow) -> None:
    """Answer ``MODULE_DISABLED`` unless ``module`` is on at ``place`` (a ``core.find_place``
    row). Call it in a mutation before anything is read or written: the gate checks what a
    field returns, which for a mutation is too late to spare the write::

        community = await find_place("Community", key_of(input.community_id, "Community"))
        await require_module(info, "my_module", community)
    """
    context: Context = info.context
    ids = await context.switch_ids(module)
    if not ids.enabled(place.district_id, place.street_id, place.community_id):
        parts = [f"district {place.district_id}"]
        parts += [f"street {place.street_id}"] if place.street_id is not None else []
        parts += [f"community {place.community_id}"] if place.community_id is not None else []
        raise ModuleDisabled(module, f"the place ({', '.join(parts)})")


async def module_settings(info: Info, module: str, place: PlaceRow, model: type[S]) -> S:
    """The settings of ``module`` in force at ``place``: the district's, overridden by its
    street's and community's (``model`` is the plugin's settings class; its defaults where the
    config sets nothing)::

        settings = await module_settings(info, "my_module", community, MySettings)
    """
    context: Context = info.context
    found = context.activation.settings(module, await place_codes(place))
    return found if isinstance(found, model) else model()


async def place_codes(place: PlaceRow) -> Place:
    """The codes the config file speaks in, for a place's ids."""
    district = await District.filter(id=place.district_id).first().values("code")
    street = (
        await Street.filter(id=place.street_id).first().values("code") if place.street_id else None
    )
    community = (
        await Community.filter(id=place.community_id).first().values("code")
        if place.community_id
        else None
    )
    return Place(
        district["code"] if district else "",
        street["code"] if street else None,
        community["code"] if community else None,
    )
