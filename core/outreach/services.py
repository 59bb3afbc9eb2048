"""Outreach teams and their activities: creating and managing teams, scheduling activities,
recording attendance and cancelling, with the rules of ``core.outreach.rules``.

Every change of an existing row carries the version the client read and is one conditional
UPDATE, so a concurrent edit answers CONFLICT instead of being lost; every check runs before
the first write, and the mutation's transaction undoes the rest if anything fails later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.access.models import RoleGrant
from core.access.viewer import Grant, Viewer
from core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from core.outreach.kinds import ActivityKind, ActivityStatus
from core.outreach.models import OutreachActivity, OutreachMember, OutreachTeam
from core.outreach.rules import manager_grant, staff_grant_reaches
from core.people.models import Person
from core.people.rules import PERSON_SCOPE
from core.regions.models import Community, Compound, District, Street

MAX_MEMBERS = 100
MAX_ATTENDANCE = 10_000
MAX_LENGTH = timedelta(days=1)
TEAM_PLACES = ("District", "Street")
"""The kinds of place a team belongs to."""


@dataclass(frozen=True)
class TeamChanges:
    """What ``updateOutreachTeam`` changes; ``None`` leaves a value as it is."""

    name: str | None = None
    description: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class ActivityPlan:
    """An activity to schedule: ``community_id`` or ``compound_id`` (or both, if they agree)."""

    team_id: int
    kind: str
    topic: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    community_id: int | None = None
    compound_id: int | None = None
    location: str = ""


@dataclass
class OutreachService:
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    # Teams

    async def create_team(
        self, viewer: Viewer | None, name: str, description: str, place_kind: str, place_key: int
    ) -> tuple[OutreachTeam, Grant]:
        """A team at a district or a street, by a manager of that place."""
        signed_in(viewer)
        place = await _team_place(place_kind, place_key)
        grant = manager_grant(viewer, place)
        if grant is None:
            raise Forbidden(
                "Teams are created by city admins, the district's admins, or for a street by "
                "its officers."
            )
        team = await OutreachTeam.create(
            name=_name(name), description=_text(description, "description", 2000), **place
        )
        return team, grant

    async def update_team(
        self, viewer: Viewer | None, team_id: int, version: int, changes: TeamChanges
    ) -> tuple[OutreachTeam, Grant]:
        _, grant = await self._managed(viewer, team_id, version)
        values: dict[str, Any] = {}
        if changes.name is not None:
            values["name"] = _name(changes.name)
        if changes.description is not None:
            values["description"] = _text(changes.description, "description", 2000)
        if changes.active is not None:
            values["active"] = changes.active
        await self._bump(OutreachTeam, team_id, version, "team", **values)
        return await OutreachTeam.get(id=team_id), grant

    async def set_members(
        self, viewer: Viewer | None, team_id: int, version: int, person_ids: Sequence[int]
    ) -> tuple[OutreachTeam, Grant]:
        """Replace the team's members. Each must be someone the manager may see (they live in
        the manager's area) or staff who serve in the team's district (see
        ``staff_grant_reaches``); anyone else is NOT_FOUND, as for a person who does not
        exist."""
        team, grant = await self._managed(viewer, team_id, version)
        wanted = list(dict.fromkeys(person_ids))
        if len(wanted) > MAX_MEMBERS:
            raise BadUserInput(
                f"A team has at most {MAX_MEMBERS} members.", argument="personIds", max=MAX_MEMBERS
            )
        await self._check_members(viewer, team, wanted)
        await self._bump(OutreachTeam, team_id, version, "team")
        await OutreachMember.filter(team_id=team_id).delete()
        await OutreachMember.bulk_create(
            [OutreachMember(team_id=team_id, person_id=p) for p in wanted]
        )
        return await OutreachTeam.get(id=team_id), grant

    async def _managed(
        self, viewer: Viewer | None, team_id: int, version: int
    ) -> tuple[OutreachTeam, Grant]:
        signed_in(viewer)
        team = await _team(team_id)
        grant = manager_grant(viewer, vars(team))
        if grant is None:
            raise Forbidden("Only the team's managers change it.")
        if team.version != version:
            raise _stale("team")
        return team, grant

    async def _check_members(
        self, viewer: Viewer | None, team: OutreachTeam, person_ids: list[int]
    ) -> None:
        people = {
            row["id"]: row
            for row in await Person.filter(id__in=person_ids).values(
                "id", "home_district_id", "home_street_id", "home_community_id", "home_grid_id"
            )
        }
        grants = await RoleGrant.filter(person_id__in=person_ids).values(
            "person_id", "role", "level", "district_id"
        )
        staff = {g["person_id"] for g in grants if staff_grant_reaches(g, team.district_id)}
        for person_id in person_ids:
            person = people.get(person_id)
            visible = person is not None and PERSON_SCOPE.admits(viewer, person)
            if not (visible or (person is not None and person_id in staff)):
                raise NotFound("No such person.", argument="personIds")

    # Activities

    async def schedule(
        self, viewer: Viewer | None, plan: ActivityPlan
    ) -> tuple[OutreachActivity, Grant | None]:
        """An activity of the team at a place inside the team's district (and street), with
        the viewer as organiser; by the team's members (no grant needed) or managers."""
        viewer = signed_in(viewer)
        team = await _team(plan.team_id, argument="teamId")
        grant = await self._runner(viewer, team)
        if not team.active:
            raise BadUserInput("The team is no longer active.", argument="teamId")
        place, argument = await self._activity_place(plan)
        if place["district_id"] != team.district_id or (
            team.street_id is not None and place["street_id"] != team.street_id
        ):
            where = "street" if team.street_id is not None else "district"
            raise BadUserInput(f"The place is outside the team's {where}.", argument=argument)
        kind = _kind(plan.kind)
        starts_at, ends_at = self._times(plan.starts_at, plan.ends_at)
        activity = await OutreachActivity.create(
            team_id=team.id,
            kind=kind.value,
            topic=_required(plan.topic, "topic", 200),
            description=_text(plan.description, "description", 5000),
            location=_text(plan.location, "location", 300),
            starts_at=starts_at,
            ends_at=ends_at,
            organiser_id=viewer.person_id,
            status=ActivityStatus.PLANNED.value,
            **place,
        )
        return activity, grant

    async def record_attendance(
        self, viewer: Viewer | None, activity_id: int, version: int, attendance: int
    ) -> tuple[OutreachActivity, Grant | None]:
        """Mark a started activity HELD with its attendance; a later call corrects it."""
        activity, grant = await self._run(viewer, activity_id, version)
        if activity.status == ActivityStatus.CANCELLED.value:
            raise BadUserInput("The activity was cancelled.", argument="activityId")
        if self.now() < activity.starts_at:
            raise BadUserInput(
                "Attendance is recorded once the activity has started.", argument="activityId"
            )
        if not 0 <= attendance <= MAX_ATTENDANCE:
            raise BadUserInput(
                f"Attendance is between 0 and {MAX_ATTENDANCE}.",
                argument="attendance",
                max=MAX_ATTENDANCE,
            )
        await self._bump(
            OutreachActivity,
            activity_id,
            version,
            "activity",
            status=ActivityStatus.HELD.value,
            attendance=attendance,
        )
        return await OutreachActivity.get(id=activity_id), grant

    async def cancel(
        self, viewer: Viewer | None, activity_id: int, version: int, reason: str
    ) -> tuple[OutreachActivity, Grant | None]:
        """Cancel a PLANNED activity, saying why (shown with the activity)."""
        activity, grant = await self._run(viewer, activity_id, version)
        if activity.status != ActivityStatus.PLANNED.value:
            raise BadUserInput(
                f"Only a planned activity is cancelled; this one is {activity.status}.",
                argument="activityId",
            )
        why = _required(reason, "reason", 300)
        await self._bump(
            OutreachActivity, activity_id, version, "activity",
            status=ActivityStatus.CANCELLED.value, cancel_reason=why,
        )  # fmt: skip
        return await OutreachActivity.get(id=activity_id), grant

    async def _run(
        self, viewer: Viewer | None, activity_id: int, version: int
    ) -> tuple[OutreachActivity, Grant | None]:
        """The activity, if the viewer organised it or runs its team; a stale version is
        CONFLICT."""
        viewer = signed_in(viewer)
        activity = await OutreachActivity.filter(id=activity_id).first()
        if activity is None:
            raise NotFound("No such activity.", argument="activityId")
        team = await OutreachTeam.get(id=activity.team_id)
        if activity.organiser_id == viewer.person_id:
            grant = None
        else:
            grant = await self._runner(viewer, team)
        if activity.version != version:
            raise _stale("activity")
        return activity, grant

    async def _runner(self, viewer: Viewer, team: OutreachTeam) -> Grant | None:
        """None for a member of the team; the managing grant for a manager; else FORBIDDEN."""
        if await OutreachMember.exists(team_id=team.id, person_id=viewer.person_id):
            return None
        grant = manager_grant(viewer, vars(team))
        if grant is None:
            raise Forbidden("Only the team's members and managers run its activities.")
        return grant

    async def _activity_place(self, plan: ActivityPlan) -> tuple[dict[str, Any], str]:
        """The activity's place columns, and the argument that named it."""
        if plan.compound_id is not None:
            compound = await Compound.filter(id=plan.compound_id).first()
            if compound is None:
                raise NotFound("No such compound.", argument="compoundId")
            if plan.community_id is not None and plan.community_id != compound.community_id:
                raise BadUserInput("The compound is not in that community.", argument="compoundId")
            return {
                "district_id": compound.district_id,
                "street_id": compound.street_id,
                "community_id": compound.community_id,
                "compound_id": compound.id,
            }, "compoundId"
        if plan.community_id is None:
            raise BadUserInput("Name a community or a compound.", argument="communityId")
        community = await Community.filter(id=plan.community_id).first()
        if community is None:
            raise NotFound("No such community.", argument="communityId")
        return {
            "district_id": community.district_id,
            "street_id": community.street_id,
            "community_id": community.id,
            "compound_id": None,
        }, "communityId"

    def _times(self, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
        aware(starts_at, "startsAt")
        aware(ends_at, "endsAt")
        if starts_at <= self.now():
            raise BadUserInput("An activity is scheduled in the future.", argument="startsAt")
        if ends_at <= starts_at:
            raise BadUserInput("An activity ends after it starts.", argument="endsAt")
        if ends_at - starts_at > MAX_LENGTH:
            raise BadUserInput("An activity lasts at most one day.", argument="endsAt")
        return starts_at.astimezone(UTC), ends_at.astimezone(UTC)

    async def _bump(self, model: Any, key: int, version: int, what: str, **values: Any) -> None:
        updated = await model.filter(id=key, version=version).update(
            version=version + 1, updated_at=self.now(), **values
        )
        if not updated:
            raise _stale(what)


def signed_in(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise Unauthenticated("Sign in first.")
    return viewer


def aware(value: datetime, argument: str) -> datetime:
    """``value`` if it names its time zone (BAD_USER_INPUT otherwise: a time without a zone
    is ambiguous)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadUserInput(
            f"{argument} needs a time zone offset, e.g. 2026-05-01T09:00:00+08:00.",
            argument=argument,
        )
    return value


async def _team(team_id: int, argument: str = "teamId") -> OutreachTeam:
    team = await OutreachTeam.filter(id=team_id).first()
    if team is None:
        raise NotFound("No such team.", argument=argument)
    return team


async def _team_place(kind: str, key: int) -> dict[str, Any]:
    """The district and street columns of a new team at a District or a Street."""
    if kind == "District":
        district = await District.filter(id=key).first()
        if district is not None:
            return {"district_id": district.id, "street_id": None}
    elif kind == "Street":
        street = await Street.filter(id=key).first()
        if street is not None:
            return {"district_id": street.district_id, "street_id": street.id}
    elif kind in ("Community", "Grid", "Compound"):
        raise BadUserInput("A team belongs to a district or a street.", argument="placeId")
    raise NotFound("No such place.", argument="placeId")


def _kind(value: str) -> ActivityKind:
    try:
        return ActivityKind(value)
    except ValueError:
        raise BadUserInput(
            f"Unknown kind {value}.", argument="kind", known=[k.value for k in ActivityKind]
        ) from None


def _name(value: str) -> str:
    return _required(value, "name", 100)


def _required(value: str, argument: str, limit: int) -> str:
    cleaned = _text(value, argument, limit)
    if not cleaned:
        raise BadUserInput(f"{argument} may not be empty.", argument=argument)
    return cleaned


def _text(value: str, argument: str, limit: int) -> str:
    cleaned = value.strip()
    if len(cleaned) > limit:
        raise BadUserInput(
            f"{argument} has at most {limit} characters.", argument=argument, max=limit
        )
    return cleaned


def _stale(what: str) -> Conflict:
    return Conflict(f"The {what} changed meanwhile; reload it.", argument="version")
