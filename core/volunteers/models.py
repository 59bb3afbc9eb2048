"""Volunteer teams, their members and areas, and work orders with before/after photos."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.cases.models import Case
from core.people.models import Person, PioneerPost
from core.regions.models import Compound, PlacedModel


class VolunteerTeam(PlacedModel):
    """A volunteer team of a community (银发志愿服务队 and the like), with its skills."""

    name = fields.CharField(max_length=100)
    kind = fields.CharField(max_length=50, default="银发志愿服务队")
    description = fields.TextField(default="")
    skills: list[str] = fields.JSONField(default=list)
    leader: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    active = fields.BooleanField(default=True)
    leader_id: int | None

    class Meta:
        table = "volunteer_team"


class VolunteerMember(Model):
    """A person in a volunteer team, with the skills they bring (plumbing, wiring, ...)."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[VolunteerTeam] = fields.ForeignKeyField(
        "core.VolunteerTeam", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    skills: list[str] = fields.JSONField(default=list)
    joined_at = fields.DatetimeField(auto_now_add=True)
    team_id: int
    person_id: int

    class Meta:
        table = "volunteer_member"
        unique_together = (("team", "person"),)


class VolunteerTeamArea(Model):
    """A compound a team is responsible for (责任区)."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[VolunteerTeam] = fields.ForeignKeyField(
        "core.VolunteerTeam", related_name=False, on_delete=fields.CASCADE
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, on_delete=fields.CASCADE
    )
    team_id: int
    compound_id: int

    class Meta:
        table = "volunteer_team_area"
        unique_together = (("team", "compound"),)


class VolunteerTeamPost(Model):
    """A pioneer post (党员先锋岗) attached to a team."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[VolunteerTeam] = fields.ForeignKeyField(
        "core.VolunteerTeam", related_name=False, on_delete=fields.CASCADE
    )
    post: fields.ForeignKeyRelation[PioneerPost] = fields.ForeignKeyField(
        "core.PioneerPost", related_name=False, on_delete=fields.CASCADE
    )
    team_id: int
    post_id: int

    class Meta:
        table = "volunteer_team_post"
        unique_together = (("team", "post"),)


class WorkOrder(PlacedModel):
    """A job for a volunteer team: a repair or a hazard check.

    REQUESTED, ASSIGNED to a team, DONE with photos, then CONFIRMED by the requester (or
    CANCELLED). ``source`` is RESIDENT, CASE or DELIBERATION; ``case`` links it to the case
    it came from, ``topic_id`` to the deliberation topic that decided it."""

    kind = fields.CharField(max_length=32)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    source = fields.CharField(max_length=16)
    status = fields.CharField(max_length=16, default="REQUESTED")
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    address = fields.CharField(max_length=300, default="")
    requester: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    case: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "core.Case", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    topic_id = fields.IntField(null=True)
    team: fields.ForeignKeyNullableRelation[VolunteerTeam] = fields.ForeignKeyField(
        "core.VolunteerTeam", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    completed_by_id = fields.IntField(null=True)
    completion_note = fields.TextField(default="")
    completed_at = fields.DatetimeField(null=True)
    confirmed_at = fields.DatetimeField(null=True)
    satisfied = fields.BooleanField(null=True)
    feedback = fields.TextField(null=True)
    cancel_reason = fields.TextField(null=True)
    compound_id: int | None
    requester_id: int | None
    case_id: int | None
    team_id: int | None

    class Meta:
        table = "work_order"
        indexes = (("team_id", "status"),)


class WorkOrderPhoto(Model):
    """A photo of a work order, BEFORE or AFTER the job, stored under ``key``."""

    id = fields.IntField(primary_key=True)
    work_order: fields.ForeignKeyRelation[WorkOrder] = fields.ForeignKeyField(
        "core.WorkOrder", related_name=False, on_delete=fields.CASCADE
    )
    stage = fields.CharField(max_length=8)
    key = fields.CharField(max_length=100)
    content_type = fields.CharField(max_length=50)
    size = fields.IntField()
    uploaded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    work_order_id: int

    class Meta:
        table = "work_order_photo"
