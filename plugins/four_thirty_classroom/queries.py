"""Root queries of the classroom module, and the figures it adds to districts, streets and
communities. Lists filter by the module switch and the viewer's scope before paging."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any, cast

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from tortoise.expressions import Q

from core import BadUserInput
from plugins.four_thirty_classroom import models, rules, timing
from plugins.four_thirty_classroom.care_types import (
    ALERT,
    ATTENDANCE,
    CHILD,
    ClassroomAttendance,
    ClassroomChild,
    ClassroomPickupAlert,
)
from plugins.four_thirty_classroom.enums import CheckStatus, LectureProgram
from plugins.four_thirty_classroom.figures import figures
from plugins.four_thirty_classroom.places import NAME, REGION_COLUMNS, place_row, zone
from plugins.four_thirty_classroom.types import (
    CLASSROOM,
    LECTURE,
    TUTOR,
    Classroom,
    ClassroomFigures,
    ClassroomLecture,
    ClassroomTutor,
)
from schema import (
    Connection,
    Context,
    IsAuthenticated,
    PageArgs,
    cost,
    key_of,
    make_connection,
    module_filter,
    scoped_connection,
)

FirstArg = Annotated[int, strawberry.argument(description="How many items (at most 100).")]
AfterArg = Annotated[
    str | None, strawberry.argument(description="Return items after this cursor (`endCursor`).")
]
REGIONS = ("District", "Street", "Community")
MAX_PER_COMMUNITY = 50


async def _within(place_id: str | None) -> list[Q]:
    """The rows in a district, street or community (none: everywhere)."""
    if place_id is None:
        return []
    place = await place_row(place_id, REGIONS)
    lookup: dict[str, Any] = {REGION_COLUMNS[place.kind]: place.id}
    return [Q(**lookup)]


async def _public(
    info: Info, model: Any, source: Any, filters: list[Q], first: int, after: str | None,
    newest_first: bool = False,
) -> Connection[Any]:  # fmt: skip
    page = PageArgs.of(first, after)
    rows = model.filter(*filters)
    if page.after is not None:
        rows = rows.filter(id__lt=page.after) if newest_first else rows.filter(id__gt=page.after)
    found = (
        await rows.order_by("-id" if newest_first else "id")
        .limit(page.first + 1)
        .values(*source.columns)
    )
    nodes = [source.build(r) for r in found[: page.first]]
    if nodes and source.enrich is not None:
        await source.enrich(nodes)

    async def count() -> int:
        return cast(int, await model.filter(*filters).count())

    return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=count)


@strawberry.type
class ClassroomQuery:
    @strawberry.field(
        description="四点半课堂 classrooms where the module is on, optionally in one district, "
        "street or community (`placeId`). Public."
    )
    async def classrooms(
        self, info: Info, place_id: strawberry.ID | None = None, first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Connection[Classroom]:  # fmt: skip
        filters = [await module_filter(info, NAME), *await _within(place_id)]
        return await _public(info, models.Classroom, CLASSROOM, filters, first, after)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Volunteer tutors you may see (yourself; the tutors of the places you "
        "manage), optionally in one district, street or community, or only those whose check "
        "is `checkStatus`.",
    )
    async def classroom_tutors(
        self, info: Info, place_id: strawberry.ID | None = None,
        check_status: CheckStatus | None = None, first: FirstArg = 20, after: AfterArg = None,
    ) -> Connection[ClassroomTutor]:  # fmt: skip
        filters = [await module_filter(info, NAME), *await _within(place_id)]
        if check_status is not None:
            filters.append(Q(check_status=check_status.value))
        return await scoped_connection(info, TUTOR, rules.TUTOR_SCOPE, first, after, *filters)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Children you may see: your own as a guardian; a classroom's as its staff "
        "or tutor. Optionally of one classroom.",
    )
    async def classroom_children(
        self, info: Info, classroom_id: strawberry.ID | None = None, first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Connection[ClassroomChild]:  # fmt: skip
        filters = [await module_filter(info, NAME)]
        if classroom_id is not None:
            filters.append(Q(classroom_id=key_of(classroom_id, "Classroom", what="classroom")))
        return await scoped_connection(info, CHILD, rules.CHILD_SCOPE, first, after, *filters)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Enrolments you may see, newest first: your children's as a guardian, a "
        "classroom's as its staff or tutor. Narrow by session, child, or `inCare` (checked in, "
        "not yet picked up: the roll call of who is still there).",
    )
    async def classroom_attendances(
        self, info: Info, session_id: strawberry.ID | None = None,
        child_id: strawberry.ID | None = None, in_care: bool = False, first: FirstArg = 20,
        after: AfterArg = None,
    ) -> Connection[ClassroomAttendance]:  # fmt: skip
        filters = [await module_filter(info, NAME)]
        if session_id is not None:
            key = key_of(session_id, "ClassroomSession", what="session")
            filters.append(Q(session_id=key))
        if child_id is not None:
            filters.append(Q(child_id=key_of(child_id, "ClassroomChild", what="child")))
        if in_care:
            filters.append(Q(checked_in_at__isnull=False, checked_out_at__isnull=True))
        return await scoped_connection(
            info, ATTENDANCE, rules.CHILD_SCOPE, first, after, *filters, newest_first=True
        )

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Pick-up alerts you may see, newest first: a classroom's for its staff and "
        "tutors, your children's for a guardian. `open: true` for those not yet closed.",
    )
    async def classroom_alerts(
        self, info: Info, classroom_id: strawberry.ID | None = None, open: bool = False,
        first: FirstArg = 20, after: AfterArg = None,
    ) -> Connection[ClassroomPickupAlert]:  # fmt: skip
        filters = [await module_filter(info, NAME)]
        if classroom_id is not None:
            filters.append(Q(classroom_id=key_of(classroom_id, "Classroom", what="classroom")))
        if open:
            filters.append(Q(closed_at__isnull=True))
        return await scoped_connection(
            info, ALERT, rules.CHILD_SCOPE, first, after, *filters, newest_first=True
        )

    @strawberry.field(
        description="Lectures and activities in schools and communities where the module is "
        "on, newest first: optionally in one place, of one program, or starting in "
        "[`from`, `to`) (days, city time). Public."
    )
    async def classroom_lectures(
        self, info: Info, place_id: strawberry.ID | None = None,
        program: LectureProgram | None = None,
        start: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None, first: FirstArg = 20, after: AfterArg = None,
    ) -> Connection[ClassroomLecture]:  # fmt: skip
        filters = [await module_filter(info, NAME), *await _within(place_id)]
        if program is not None:
            filters.append(Q(program=program.value))
        city = zone(info.context)
        if start is not None:
            filters.append(Q(starts_at__gte=timing.day_start(start, city)))
        if to is not None:
            filters.append(Q(starts_at__lt=timing.day_start(to, city)))
        return await _public(
            info, models.Lecture, LECTURE, filters, first, after, newest_first=True
        )


FROM = strawberry.argument(name="from", description="First day (city time).")
TO = strawberry.argument(description="Day after the last (city time).")


async def place_figures(info: Info, where: Q, start: date, end: date) -> ClassroomFigures:
    if not start < end <= start + timedelta(days=366):
        raise BadUserInput("`to` after `from`, at most a year apart.", argument="to")
    city = zone(info.context)
    found = await figures(
        where & await module_filter(info, NAME),
        timing.day_start(start, city),
        timing.day_start(end, city),
    )
    return ClassroomFigures(**vars(found))


def _id(place: object) -> int:
    """The id of the District, Street or Community a field added to it was resolved on."""
    return int(cast(Any, place).id)


@strawberry.type
class DistrictClassroomFields:
    @strawberry.field(description="四点半课堂 figures of the district (where the module is on).")
    async def classroom_figures(
        self, info: Info, start: Annotated[date, FROM], to: Annotated[date, TO]
    ) -> ClassroomFigures | None:
        return await place_figures(info, Q(district_id=_id(self)), start, to)


@strawberry.type
class StreetClassroomFields:
    @strawberry.field(description="四点半课堂 figures of the street (where the module is on).")
    async def classroom_figures(
        self, info: Info, start: Annotated[date, FROM], to: Annotated[date, TO]
    ) -> ClassroomFigures | None:
        return await place_figures(info, Q(street_id=_id(self)), start, to)


def _by_community(context: Context) -> DataLoader[int, list[Classroom]]:
    async def load(ids: Sequence[int]) -> list[list[Classroom]]:
        rows = (
            await models.Classroom.filter(community_id__in=list(ids))
            .order_by("id")
            .values(*CLASSROOM.columns)
        )
        built = [CLASSROOM.build(r) for r in rows]
        if built:
            assert CLASSROOM.enrich is not None
            await CLASSROOM.enrich(built)
        found: dict[int, list[Classroom]] = {i: [] for i in ids}
        for classroom in built:
            found[classroom.community_id].append(classroom)
        return [found[i] for i in ids]

    return context.loader((NAME, "by_community"), lambda: DataLoader(load))


@strawberry.type
class CommunityClassroomFields:
    @strawberry.field(description="四点半课堂 figures of the community.")
    async def classroom_figures(
        self, info: Info, start: Annotated[date, FROM], to: Annotated[date, TO]
    ) -> ClassroomFigures | None:
        return await place_figures(info, Q(community_id=_id(self)), start, to)

    @strawberry.field(
        description=f"四点半课堂 classrooms of the community (the first {MAX_PER_COMMUNITY}).",
        metadata=cost(size=MAX_PER_COMMUNITY),
    )
    async def classrooms(self, info: Info) -> list[Classroom] | None:
        return (await _by_community(info.context).load(_id(self)))[:MAX_PER_COMMUNITY]
