"""Cases, their timeline, departments, consultations and the event outbox."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.people.models import Department, Person
from core.regions.models import Compound, Grid, PlacedModel


class Case(PlacedModel):
    """诉求/事件: a problem a resident reported, on its way up the ladder.

    (No apostrophes in the first line of a model docstring: Tortoise puts it, unescaped, into
    a SQL comment.) ``version`` guards edits."""

    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    category = fields.CharField(max_length=64)
    source = fields.CharField(max_length=32)
    level = fields.CharField(max_length=16, default="GRID")
    status = fields.CharField(max_length=16, default="REPORTED")
    consulted = fields.BooleanField(default=False)
    grid: fields.ForeignKeyRelation[Grid] = fields.ForeignKeyField(
        "core.Grid", related_name=False, on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    address = fields.CharField(max_length=300, default="")
    lon = fields.FloatField(null=True)
    lat = fields.FloatField(null=True)
    reporter: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    reporter_anonymous = fields.BooleanField(default=False)
    assignee: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    due_at = fields.DatetimeField(null=True)
    rating = fields.IntField(null=True)
    rating_comment = fields.TextField(null=True)
    closed_without_rating = fields.BooleanField(default=False)
    resolved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    idempotency_key = fields.CharField(max_length=100, null=True)
    payload_hash = fields.CharField(max_length=64, null=True)
    duplicate_of: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "core.Case", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    grid_id: int
    duplicate_of_id: int | None
    compound_id: int | None
    reporter_id: int | None
    assignee_id: int | None

    class Meta:
        table = "case"
        # A client's retry with the same key finds the case it made the first time.
        unique_together = (("reporter", "idempotency_key"),)
        # A grid's newest cases (Grid.cases, the grid-worker app): without it every grid's
        # page scans the whole table (3 s a nested read at city scale on PostgreSQL).
        indexes = (("grid_id", "id"),)


class CaseDepartment(Model):
    """A department a case was routed to at DEPARTMENT level (部门联动执法), one the lead."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "core.Case", related_name="departments", on_delete=fields.CASCADE
    )
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "core.Department", related_name=False, on_delete=fields.RESTRICT
    )
    lead = fields.BooleanField(default=False)
    case_id: int
    department_id: int

    class Meta:
        table = "case_department"
        unique_together = (("case", "department"),)


class CaseStep(Model):
    """One entry in the timeline of a case: who did what, when, with a note."""

    id = fields.BigIntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "core.Case", related_name=False, on_delete=fields.CASCADE
    )
    at = fields.DatetimeField(auto_now_add=True)
    action = fields.CharField(max_length=32)
    actor_id = fields.IntField(null=True)
    actor_role = fields.CharField(max_length=64, null=True)
    from_level = fields.CharField(max_length=16, null=True)
    to_level = fields.CharField(max_length=16)
    from_status = fields.CharField(max_length=16, null=True)
    to_status = fields.CharField(max_length=16)
    note = fields.TextField(default="")
    case_id: int

    class Meta:
        table = "case_step"


class Consultation(Model):
    """街道会商: the meeting at STREET level that decides how a case is solved."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "core.Case", related_name=False, on_delete=fields.CASCADE
    )
    held_at = fields.DatetimeField()
    participants: list[str] = fields.JSONField(default=list)
    decision = fields.TextField()
    case_id: int

    class Meta:
        table = "consultation"


class CaseEvent(Model):
    """The outbox: one row per transition, written in its transaction.

    Delivered later, at least once, to plugins and subscriptions."""

    id = fields.BigIntField(primary_key=True)
    case_id = fields.IntField()
    district_id = fields.IntField()
    kind = fields.CharField(max_length=32)
    payload: dict[str, Any] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "case_event"
        indexes = (("delivered_at", "next_attempt_at"),)


class CasePhoto(Model):
    """A photo of a case, stored through a photo store under ``key``."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "core.Case", related_name=False, on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=100)
    content_type = fields.CharField(max_length=50)
    size = fields.IntField()
    uploaded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    case_id: int

    class Meta:
        table = "case_photo"
