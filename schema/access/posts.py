"""Pioneer posts (党员先锋岗): a party member's named duty in a compound, e.g. 红管家 or
民情气象员. Anyone may see that a compound has a post; who holds it follows the person's scope."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.errors import BadUserInput, Forbidden, NotFound
from core.people import models as people_models
from core.people.rules import PERSON_SCOPE, POST_MANAGERS
from core.regions.models import Compound as CompoundRow
from schema.access.permissions import IsAuthenticated
from schema.access.types import PERSON, Person
from schema.context import Context
from schema.ids import global_id, key_of
from schema.limits import cost
from schema.loaders import by_id
from schema.nodes import NodeSource


@strawberry.type(description="党员先锋岗: a party member's named duty in a compound.")
class PioneerPost(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The post, e.g. 红管家 or 民情气象员.")
    duty: str = strawberry.field(description="What the holder looks after.")
    person_id: strawberry.Private[int]
    compound_id: strawberry.Private[int]

    @strawberry.field(description="Who holds the post; null when you may not see that person.")
    async def holder(self, info: Info) -> Person | None:
        return await by_id(info.context, PERSON).load(self.person_id)


PIONEER_POST = NodeSource(PioneerPost, people_models.PioneerPost)


def posts_by_compound(context: Context) -> DataLoader[int, list[PioneerPost]]:
    async def load(ids: Sequence[int]) -> list[list[PioneerPost]]:
        rows = (
            await people_models.PioneerPost.filter(compound_id__in=list(ids))
            .order_by("id")
            .values(*PIONEER_POST.columns)
        )
        found: dict[int, list[PioneerPost]] = {i: [] for i in ids}
        for row in rows:
            found[row["compound_id"]].append(PIONEER_POST.build(row))
        return [found[i] for i in ids]

    return context.loader("posts_by_compound", lambda: DataLoader(load))


@strawberry.type
class CompoundPosts:
    """Fields of ``Compound`` that live with the people domain."""

    @strawberry.field(description="The pioneer posts in this compound.", metadata=cost(size=20))
    async def pioneer_posts(self, info: Info) -> list[PioneerPost]:
        compound_id: int = self.id  # type: ignore[attr-defined]  # resolved on a Compound
        return await posts_by_compound(info.context).load(compound_id)


@strawberry.type
class PostMutation:
    @strawberry.mutation(
        description="Give a person a pioneer post in a compound: for the compound's community "
        "workers and those above them.",
        permission_classes=[IsAuthenticated],
    )
    async def assign_pioneer_post(
        self,
        info: Info,
        compound_id: strawberry.ID,
        person_id: strawberry.ID,
        title: str,
        duty: str = "",
    ) -> PioneerPost:
        context: Context = info.context
        compound = await CompoundRow.filter(
            id=key_of(compound_id, "Compound", what="compound")
        ).first()
        if compound is None:
            raise NotFound("No such compound.")
        grant = POST_MANAGERS.covering_grant(context.viewer, vars(compound))
        if grant is None:
            raise Forbidden("Only the compound's community workers and those above assign posts.")
        context.note.used(grant)
        person = await by_id(context, PERSON).load(key_of(person_id, "Person", what="person"))
        if person is None or not PERSON_SCOPE.admits(context.viewer, vars(person)):
            raise NotFound("No such person.")
        if not title.strip():
            raise BadUserInput("A post needs a title.", argument="title")
        post = await people_models.PioneerPost.create(
            person_id=person.id, compound_id=compound.id, title=title.strip()[:50], duty=duty
        )
        context.note.about(
            global_id("PioneerPost", post.id), compound.district_id, title=post.title
        )
        return PIONEER_POST.build({c: getattr(post, c) for c in PIONEER_POST.columns})

    @strawberry.mutation(
        description="Remove a pioneer post. Answers the id of the removed post.",
        permission_classes=[IsAuthenticated],
    )
    async def remove_pioneer_post(self, info: Info, post_id: strawberry.ID) -> strawberry.ID:
        context: Context = info.context
        post = await people_models.PioneerPost.filter(
            id=key_of(post_id, "PioneerPost", what="post")
        ).first()
        compound = await CompoundRow.filter(id=post.compound_id).first() if post else None
        if post is None or compound is None:
            raise NotFound("No such post.")
        grant = POST_MANAGERS.covering_grant(context.viewer, vars(compound))
        if grant is None:
            raise Forbidden("Only the compound's community workers and those above remove posts.")
        context.note.used(grant)
        await post.delete()
        context.note.about(post_id, compound.district_id)
        return post_id
