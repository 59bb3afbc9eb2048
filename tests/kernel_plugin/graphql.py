from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from pathlib import Path

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core import Community as CommunityModel
from core import NotFound
from schema import (
    Community,
    Connection,
    Context,
    NodeSource,
    PageArgs,
    PlaceOf,
    SchemaContribution,
    make_connection,
    module_filter,
)
from tests.kernel_plugin.models import Notice

NAME = "kernel_test"


@strawberry.type(description="A notice of the kernel test plugin.")
class KernelNotice(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The notice's title.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]


NOTICE = NodeSource(KernelNotice, Notice)


def _by_community(context: Context) -> DataLoader[int, list[KernelNotice]]:
    async def load(ids: Sequence[int]) -> list[list[KernelNotice]]:
        rows = (
            await Notice.filter(community_id__in=list(ids)).order_by("id").values(*NOTICE.columns)
        )
        found: dict[int, list[KernelNotice]] = {i: [] for i in ids}
        for row in rows:
            found[row["community_id"]].append(NOTICE.build(row))
        return [found[i] for i in ids]

    return context.loader((NAME, "by_community"), lambda: DataLoader(load))


@strawberry.type
class KernelQuery:
    @strawberry.field(description="Notices in every place where the module is on.")
    async def kernel_notices(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[KernelNotice]:
        page = PageArgs.of(first, after)
        rows = Notice.filter(await module_filter(info, NAME))
        if page.after is not None:
            rows = rows.filter(id__gt=page.after)
        found = await rows.order_by("id").limit(page.first + 1).values(*NOTICE.columns)
        nodes = [NOTICE.build(r) for r in found[: page.first]]

        async def count() -> int:
            return await Notice.filter(await module_filter(info, NAME)).count()

        return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=count)

    @strawberry.field(description="Every notice, ignoring switches (the gate must filter).")
    async def kernel_all_notices(self) -> list[KernelNotice]:
        return [NOTICE.build(r) for r in await Notice.all().order_by("id").values(*NOTICE.columns)]

    @strawberry.field(description="A sync root field, to prove sync resolvers are gated too.")
    def kernel_version(self) -> str:
        return "1"


@strawberry.type
class KernelMutation:
    @strawberry.mutation(description="Pin a notice in a community.")
    async def kernel_post_notice(self, community_id: strawberry.ID, title: str) -> KernelNotice:
        community = await CommunityModel.filter(
            id=int(relay.GlobalID.from_id(community_id).node_id)
        ).first()
        if community is None:
            raise NotFound("No such community.")
        notice = await Notice.create(
            title=title,
            district_id=community.district_id,
            street_id=community.street_id,
            community_id=community.id,
        )
        return NOTICE.build({c: getattr(notice, c) for c in NOTICE.columns})


@strawberry.type
class KernelSubscription:
    @strawberry.subscription(description="Counts to n.")
    async def kernel_ticks(self, n: int = 3) -> AsyncGenerator[int, None]:
        for i in range(n):
            yield i


@strawberry.type
class CommunityNotices:
    @strawberry.field(description="Notices pinned in this community.")
    async def kernel_notices(self, info: Info) -> list[KernelNotice] | None:
        community: Community = self  # type: ignore[assignment]  # resolvers added to Community get a Community
        return await _by_community(info.context).load(community.id)


def contribution() -> SchemaContribution:
    return SchemaContribution(
        query=KernelQuery,
        mutation=KernelMutation,
        subscription=KernelSubscription,
        type_fields={"Community": CommunityNotices},
        places={KernelNotice: PlaceOf()},
        nodes=[NOTICE],
        authorization=Path(__file__).with_name("authorization.toml"),
    )
