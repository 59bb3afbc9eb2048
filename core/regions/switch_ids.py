"""Module switches turned into region ids, so rows can be filtered by their stored ids.

Config names places by code; rows store ids. One small query per level (only for the codes the
config mentions) maps one into the other, and the result answers both "is this row's place on?"
(in Python) and "which rows are on?" (as a Tortoise ``Q`` for SQL), from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from tortoise.expressions import Q

from core.activation import ModuleSwitches
from core.regions.models import Community, District, Street


@dataclass(frozen=True)
class SwitchIds:
    """Where one module is on, by region ids: community override, else street, else district."""

    districts_on: frozenset[int]
    streets_on: frozenset[int]
    streets_off: frozenset[int]
    communities_on: frozenset[int]
    communities_off: frozenset[int]

    def enabled(
        self, district_id: int | None, street_id: int | None = None, community_id: int | None = None
    ) -> bool:
        if community_id is not None:
            if community_id in self.communities_on:
                return True
            if community_id in self.communities_off:
                return False
        if street_id is not None:
            if street_id in self.streets_on:
                return True
            if street_id in self.streets_off:
                return False
        return district_id in self.districts_on

    def q(
        self,
        district: str = "district_id",
        street: str | None = "street_id",
        community: str | None = "community_id",
    ) -> Q:
        """The same rule as :meth:`enabled`, as a filter on rows with these id columns."""
        rule = _within(district, self.districts_on)
        if street is not None:
            if self.streets_off:
                rule &= ~_within(street, self.streets_off)
            if self.streets_on:
                rule |= _within(street, self.streets_on)
        if community is not None:
            if self.communities_off:
                rule &= ~_within(community, self.communities_off)
            if self.communities_on:
                rule |= _within(community, self.communities_on)
        return rule


def _within(column: str, ids: frozenset[int]) -> Q:
    lookup: dict[str, Any] = {f"{column}__in": sorted(ids)}
    return Q(**lookup)


async def switch_ids(switches: ModuleSwitches) -> SwitchIds:
    """Resolve the codes in ``switches`` to ids (codes unknown to the database match nothing)."""
    districts = {code for code in switches.districts_on}
    districts |= {d for d, _ in switches.streets_on | switches.streets_off}
    districts |= {d for d, _ in switches.communities_on | switches.communities_off}
    district_ids: dict[str, int] = {}
    if districts:
        rows = await District.filter(code__in=sorted(districts)).values_list("code", "id")
        district_ids = {code: pk for code, pk in rows}

    async def ids(
        model: type[Street] | type[Community], pairs: frozenset[tuple[str, str]]
    ) -> frozenset[int]:
        wanted = [Q(district_id=district_ids[d], code=c) for d, c in pairs if d in district_ids]
        if not wanted:
            return frozenset()
        found: list[Any] = await model.filter(reduce(or_, wanted)).values_list("id", flat=True)
        return frozenset(found)

    return SwitchIds(
        districts_on=frozenset(district_ids[c] for c in switches.districts_on if c in district_ids),
        streets_on=await ids(Street, switches.streets_on),
        streets_off=await ids(Street, switches.streets_off),
        communities_on=await ids(Community, switches.communities_on),
        communities_off=await ids(Community, switches.communities_off),
    )
