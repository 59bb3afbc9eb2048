"""Plugins that break the conformance rules on purpose, one class each, installed per test
through an entry point (``tests.conformance.plugins:ClassName``)."""

from __future__ import annotations

from typing import Any

import strawberry
from pydantic import BaseModel
from strawberry import relay
from strawberry.types import Info

from core import Community as CommunityRow
from core import hookimpl
from schema import NodeSource, PlaceOf, SchemaContribution, module_filter
from tests.kernel_plugin.models import Notice

API = ">=1,<2"


@strawberry.type
class SloppyItem:
    label: str


@strawberry.type
class SloppyQuery:
    @strawberry.field
    def sloppy_items(self) -> list[SloppyItem]:
        return []


class SloppySettings(BaseModel):
    colour: str = "red"


class Sloppy:
    """No descriptions, an uncapped list, no authorization matrix, an undocumented setting."""

    HEMEI_PLUGIN_API = API

    @hookimpl
    def register_graphql() -> SchemaContribution:  # type: ignore[misc]  # hooks are plain functions
        return SchemaContribution(query=SloppyQuery)

    @hookimpl
    def register_settings() -> type[BaseModel]:  # type: ignore[misc]
        return SloppySettings


@strawberry.type(description="A notice read the slow way.")
class SlowNotice(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="Its title.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="Its community's name, one query per notice.")
    async def community_name(self) -> str:
        community = await CommunityRow.get(id=self.community_id)
        return community.name


SLOW_NOTICE = NodeSource(SlowNotice, Notice)


@strawberry.type
class SlowQuery:
    @strawberry.field(description="Notices, each asking for its community on its own.")
    async def slow_notices(self, info: Info, first: int = 20) -> list[SlowNotice]:
        rows = Notice.filter(await module_filter(info, "slow"))
        found: list[dict[str, Any]] = (
            await rows.order_by("id").limit(min(first, 100)).values(*SLOW_NOTICE.columns)
        )
        return [SLOW_NOTICE.build(r) for r in found]


class Slow:
    """A list field with an N+1: a statement per item."""

    HEMEI_PLUGIN_API = API

    @hookimpl
    def register_graphql() -> SchemaContribution:  # type: ignore[misc]
        return SchemaContribution(
            query=SlowQuery, nodes=[SLOW_NOTICE], places={SlowNotice: PlaceOf()}
        )
