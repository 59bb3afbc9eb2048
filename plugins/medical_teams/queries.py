"""Root queries of the module: teams, sessions and expert visits (public), consultation records
(the resident's own, and the treating team's), a session's attendees (the team's desk) and the
figures (counts only, for the managing roles of a place)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core import BadUserInput, Booking, Forbidden, names_of
from plugins.medical_teams import figures as figuring
from plugins.medical_teams import places
from plugins.medical_teams.places import (
    NAME,
    ensure_on,
    local_midnight,
    place_row,
    within,
    zone,
)
from plugins.medical_teams.rules import FIGURES, RECORD_SCOPE
from plugins.medical_teams.sessions import (
    MAX_CAPACITY,
    PlaceType,
    SessionKind,
    desk_grant,
    session_row,
)
from plugins.medical_teams.types import (
    CONSULTATION,
    SESSION,
    TEAM,
    VISIT,
    MedicalAttendee,
    MedicalConsultation,
    MedicalExpertFigures,
    MedicalExpertVisit,
    MedicalFigures,
    MedicalSession,
    MedicalSessionCount,
    MedicalSurgeryCount,
    MedicalTeam,
)
from schema import (
    Connection,
    Context,
    IsAuthenticated,
    NodeSource,
    PageArgs,
    PlaceOf,
    cost,
    global_id,
    key_of,
    make_connection,
    module_filter,
    scoped_connection,
)

DISTRICT_LEVEL = PlaceOf(street=None, community=None)
MAX_PERIOD = timedelta(days=3660)
FROM = strawberry.argument(name="from", description="First day (city time).")
TO = strawberry.argument(name="to", description="Day after the last (city time).")


async def _page(
    info: Info, source: NodeSource, first: int, after: str | None, *filters: Q,
    place: PlaceOf | None = None,
) -> Connection[Any]:  # fmt: skip
    page = PageArgs.of(first, after)
    rows = source.model.filter(await module_filter(info, NAME, place), *filters)
    counted = rows
    if page.after is not None:
        rows = rows.filter(id__gt=page.after)
    found = await rows.order_by("id").limit(page.first + 1).values(*source.columns)
    nodes = [source.build(row) for row in found[: page.first]]
    return make_connection(nodes, len(found) > page.first, key=lambda n: n.id, count=counted.count)


def _team_key(team_id: str) -> int:
    return key_of(team_id, "MedicalTeam", what="team")


@strawberry.type
class MedicalQuery:
    @strawberry.field(
        description="党员医疗服务队 where the module is on, optionally of one district, only "
        "those still serving (`active`). Public."
    )
    async def medical_teams(
        self, info: Info, first: int = 20, after: str | None = None,
        district_id: strawberry.ID | None = None, active: bool | None = None,
    ) -> Connection[MedicalTeam]:  # fmt: skip
        filters = []
        if district_id is not None:
            filters.append(within(await place_row(district_id, ("District",), "districtId")))
        if active is not None:
            filters.append(Q(active=active))
        return await _page(info, TEAM, first, after, *filters, place=DISTRICT_LEVEL)

    @strawberry.field(
        description="Free clinics and health-training sessions where the module is on, in the "
        "order they were scheduled: by default those that have not ended (`upcoming: false` "
        "for all), optionally in a place (district, street or community id), of a team, a kind "
        "or a type of place. Public."
    )
    async def medical_sessions(
        self, info: Info, first: int = 20, after: str | None = None,
        place_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None,
        kind: SessionKind | None = None, place_type: PlaceType | None = None,
        upcoming: bool = True,
    ) -> Connection[MedicalSession]:  # fmt: skip
        filters = []
        if upcoming:
            filters.append(Q(ends_at__gt=places.now()))
        if place_id is not None:
            filters.append(within(await place_row(place_id, ("District", "Street", "Community"))))
        if team_id is not None:
            filters.append(Q(team_id=_team_key(team_id)))
        if kind is not None:
            filters.append(Q(kind=kind.value))
        if place_type is not None:
            filters.append(Q(place_type=place_type.value))
        return await _page(info, SESSION, first, after, *filters)

    @strawberry.field(
        description="Visiting experts where the module is on, optionally of one district or "
        "hosting team: who came, when, and what they did (counts and categories only). Public."
    )
    async def medical_expert_visits(
        self, info: Info, first: int = 20, after: str | None = None,
        district_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None,
    ) -> Connection[MedicalExpertVisit]:  # fmt: skip
        filters = []
        if district_id is not None:
            filters.append(within(await place_row(district_id, ("District",), "districtId")))
        if team_id is not None:
            filters.append(Q(team_id=_team_key(team_id)))
        return await _page(info, VISIT, first, after, *filters, place=DISTRICT_LEVEL)

    @strawberry.field(
        description="Consultation records you may see, newest first: your own, and, as a "
        "doctor, those of your teams' patients (every read of their health fields is "
        "recorded). Nobody else sees a record. `sessionId` narrows to one session, `mine` to "
        "your own.",
        permission_classes=[IsAuthenticated],
    )
    async def medical_consultations(
        self, info: Info, first: int = 20, after: str | None = None,
        session_id: strawberry.ID | None = None, mine: bool = False,
    ) -> Connection[MedicalConsultation]:  # fmt: skip
        context: Context = info.context
        filters = [await module_filter(info, NAME)]
        if session_id is not None:
            filters.append(Q(session_id=key_of(session_id, "MedicalSession", what="session")))
        if mine and context.viewer is not None:
            filters.append(Q(person_id=context.viewer.person_id))
        return await scoped_connection(
            info, CONSULTATION, RECORD_SCOPE, first, after, *filters, newest_first=True
        )

    @strawberry.field(
        description="Who registered for a session, in order, with where each registration "
        "stands: for the desk, that is the doctors of the session's team (to anyone else the "
        "session's registrations are NOT_FOUND).",
        permission_classes=[IsAuthenticated],
        # Confirmed seats are at most MAX_CAPACITY; the waitlist and cancellations come on top.
        metadata=cost(size=MAX_CAPACITY),
    )
    async def medical_session_attendees(
        self, info: Info, session_id: strawberry.ID
    ) -> list[MedicalAttendee] | None:
        context: Context = info.context
        session = await session_row(key_of(session_id, "MedicalSession", what="session"))
        await ensure_on(context, session.district_id, session.street_id, session.community_id)
        await desk_grant(context.viewer, session, "session")
        rows = (
            await Booking.filter(slot_id=session.slot_id)
            .order_by("id")
            .values("id", "person_id", "status")
        )
        people = await names_of(r["person_id"] for r in rows)
        return [
            MedicalAttendee(
                booking_id=strawberry.ID(global_id("Booking", r["id"])),
                name=people.get(r["person_id"], ""),
                status=r["status"],
                session_id=session.id,
                district_id=session.district_id,
                street_id=session.street_id,
                community_id=session.community_id,
            )
            for r in rows
        ]

    @strawberry.field(
        description="The medical teams' figures for [from, to) at a place (district, street or "
        "community id), counts only: for its managing roles and those above.",
        permission_classes=[IsAuthenticated],
    )
    async def medical_figures(
        self, info: Info, place_id: strawberry.ID,
        start: Annotated[date, FROM], end: Annotated[date, TO],
    ) -> MedicalFigures | None:  # fmt: skip
        context: Context = info.context
        if not start < end or end - start > MAX_PERIOD:
            raise BadUserInput("`to` after `from`, at most ten years apart.", argument="to")
        place = await place_row(place_id, ("District", "Street", "Community"))
        if FIGURES.covering_grant(context.viewer, place.row()) is None:
            raise Forbidden("These figures are for the managers of that place.")
        await ensure_on(context, place.district_id, place.street_id, place.community_id)
        city = zone(context)
        experts = None
        if place.kind == "District":
            found = await figuring.expert_figures(
                await module_filter(info, NAME, DISTRICT_LEVEL) & within(place), start, end
            )
            experts = MedicalExpertFigures(
                visits=found.visits, experts=found.experts, consultations=found.consultations,
                surgeries=found.surgeries,
                surgeries_by_category=[
                    MedicalSurgeryCount(category=c, count=n) for c, n in found.surgeries_by_category
                ],
            )  # fmt: skip
        result = await figuring.figures(
            await module_filter(info, NAME) & within(place),
            local_midnight(start, city), local_midnight(end, city),
        )  # fmt: skip
        return MedicalFigures(
            sessions=result.sessions,
            sessions_by_kind=[
                MedicalSessionCount(
                    kind=SessionKind(c.kind),
                    place_type=PlaceType(c.place_type),
                    sessions=c.sessions,
                    people_served=c.people_served,
                )
                for c in result.by_kind
            ],
            people_served=result.people_served,
            teams_active=result.teams_active,
            consultations=result.consultations,
            referrals=result.referrals,
            follow_up_cases=result.follow_up_cases,
            follow_ups_resolved=result.follow_ups_resolved,
            experts=experts,
            district_id=place.district_id,
            street_id=place.street_id,
            community_id=place.community_id,
        )
