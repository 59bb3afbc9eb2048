"""Deliberation topics, their options and votes."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.db.base import HemeiModel
from core.people.models import Person
from core.regions.models import Community, District, Street


class DeliberationTopic(HemeiModel):
    """红色议事厅: a question put to the residents of a community or of a whole street.

    Stored status is OPEN, DECIDED (``decision``, ``chosen_option``) or CANCELLED; whether an
    open topic takes options, votes or awaits its decision follows from the voting window
    (``core.deliberation.phases``). ``community`` is null for a street topic."""

    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    subject = fields.CharField(max_length=32)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, on_delete=fields.RESTRICT
    )
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField(
        "core.Street", related_name=False, on_delete=fields.RESTRICT
    )
    community: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=16, default="OPEN")
    voting_opens_at = fields.DatetimeField()
    voting_closes_at = fields.DatetimeField()
    created_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    decision = fields.TextField(null=True)
    chosen_option_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    spawned_case_id = fields.IntField(null=True)
    cancel_reason = fields.TextField(null=True)
    district_id: int
    street_id: int
    community_id: int | None
    created_by_id: int

    class Meta:
        table = "deliberation_topic"


class DeliberationOption(Model):
    """A proposed answer to a topic, by a RESIDENT, the PROPERTY_COMPANY or a PARTY_MEMBER."""

    id = fields.IntField(primary_key=True)
    topic: fields.ForeignKeyRelation[DeliberationTopic] = fields.ForeignKeyField(
        "core.DeliberationTopic", related_name=False, on_delete=fields.CASCADE
    )
    text = fields.CharField(max_length=300)
    proposer_kind = fields.CharField(max_length=32)
    proposed_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    topic_id: int
    proposed_by_id: int

    class Meta:
        table = "deliberation_option"


class DeliberationVote(Model):
    """One resident vote on a topic. The unique key is the one-vote rule."""

    id = fields.IntField(primary_key=True)
    topic: fields.ForeignKeyRelation[DeliberationTopic] = fields.ForeignKeyField(
        "core.DeliberationTopic", related_name=False, on_delete=fields.CASCADE
    )
    option: fields.ForeignKeyRelation[DeliberationOption] = fields.ForeignKeyField(
        "core.DeliberationOption", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    cast_at = fields.DatetimeField(auto_now_add=True)
    topic_id: int
    option_id: int
    person_id: int

    class Meta:
        table = "deliberation_vote"
        # One vote per resident per topic, enforced by the database, not only by code.
        unique_together = (("topic", "person"),)
