"""Outreach teams, their members and the activities they hold."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.db.base import HemeiModel
from core.people.models import Person
from core.regions.models import Community, Compound, District, PlacedModel, Street


class OutreachTeam(HemeiModel):
    """A team of cadres who explain policy (宣讲队), at a district or at one of its streets."""

    name = fields.CharField(max_length=100)
    description = fields.TextField(default="")
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, on_delete=fields.RESTRICT
    )
    street: fields.ForeignKeyNullableRelation[Street] = fields.ForeignKeyField(
        "core.Street", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    community: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    active = fields.BooleanField(default=True)
    district_id: int
    street_id: int | None
    community_id: int | None

    class Meta:
        table = "outreach_team"


class OutreachMember(Model):
    """A cadre in an outreach team."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[OutreachTeam] = fields.ForeignKeyField(
        "core.OutreachTeam", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    team_id: int
    person_id: int

    class Meta:
        table = "outreach_member"
        unique_together = (("team", "person"),)


class OutreachActivity(PlacedModel):
    """An outreach activity in a community: POLICY_TALK, CORRIDOR_CLASS, COURTYARD_MEETING
    or STOOL_CLASS, PLANNED then HELD (with attendance) or CANCELLED."""

    team: fields.ForeignKeyRelation[OutreachTeam] = fields.ForeignKeyField(
        "core.OutreachTeam", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=32)
    topic = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    location = fields.CharField(max_length=300, default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    organiser: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=16, default="PLANNED")
    attendance = fields.IntField(null=True)
    cancel_reason = fields.TextField(null=True)
    team_id: int
    compound_id: int | None
    organiser_id: int

    class Meta:
        table = "outreach_activity"
        indexes = (("community_id", "starts_at"),)
