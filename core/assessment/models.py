"""Rubrics, assessment runs, results and appeals; grid visits of workers on patrol."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.people.models import Person
from core.regions.models import Grid


class AssessmentRubric(Model):
    """A rubric as it was used: its settings, stored once per distinct content (digest)."""

    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    content: dict[str, Any] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "assessment_rubric"


class AssessmentRun(Model):
    """One run of the assessment of a quarter, city-wide or for one district."""

    id = fields.IntField(primary_key=True)
    quarter = fields.CharField(max_length=8)
    district_id = fields.IntField(null=True)
    run_by_id = fields.IntField(null=True)
    started_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)
    workers = fields.IntField(default=0)
    colours: dict[str, int] = fields.JSONField(default=dict)

    class Meta:
        table = "assessment_run"


class AssessmentResult(Model):
    """A community worker in a quarter: colour, score, the figures and the rubric behind them.

    One row per worker and quarter (a unique key): re-running the quarter updates it in place,
    unless the worker appealed, which freezes it for the review."""

    id = fields.IntField(primary_key=True)
    quarter = fields.CharField(max_length=8)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    district_id = fields.IntField()
    street_id = fields.IntField()
    community_id = fields.IntField()
    colour = fields.CharField(max_length=8)
    score = fields.FloatField(null=True)
    figures: dict[str, Any] = fields.JSONField(default=dict)
    rubric: fields.ForeignKeyRelation[AssessmentRubric] = fields.ForeignKeyField(
        "core.AssessmentRubric", related_name=False, on_delete=fields.RESTRICT
    )
    run_id = fields.IntField()
    computed_at = fields.DatetimeField()
    version = fields.IntField(default=1)
    person_id: int
    rubric_id: int

    class Meta:
        table = "assessment_result"
        unique_together = (("quarter", "person"),)
        indexes = (("quarter", "district_id"),)


class AssessmentAppeal(Model):
    """A worker appeal against a result and the district review of it (UPHELD or CHANGED)."""

    id = fields.IntField(primary_key=True)
    result: fields.ForeignKeyRelation[AssessmentResult] = fields.ForeignKeyField(
        "core.AssessmentResult", related_name=False, on_delete=fields.CASCADE
    )
    reason = fields.TextField()
    filed_at = fields.DatetimeField(auto_now_add=True)
    status = fields.CharField(max_length=8, default="PENDING")
    colour_before = fields.CharField(max_length=8)
    colour_after = fields.CharField(max_length=8, null=True)
    review_note = fields.TextField(null=True)
    reviewed_by_id = fields.IntField(null=True)
    reviewed_at = fields.DatetimeField(null=True)
    result_id: int

    class Meta:
        table = "assessment_appeal"
        # One appeal per result, enforced by the database.
        unique_together = (("result",),)


class GridVisit(Model):
    """A grid worker checking in on patrol (走访) in a grid, optionally at a compound."""

    id = fields.BigIntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    grid: fields.ForeignKeyRelation[Grid] = fields.ForeignKeyField(
        "core.Grid", related_name=False, on_delete=fields.RESTRICT
    )
    district_id = fields.IntField()
    street_id = fields.IntField()
    community_id = fields.IntField()
    compound_id = fields.IntField(null=True)
    lon = fields.FloatField(null=True)
    lat = fields.FloatField(null=True)
    note = fields.TextField(default="")
    visited_at = fields.DatetimeField(auto_now_add=True)
    person_id: int
    grid_id: int

    class Meta:
        table = "grid_visit"
        indexes = (("person_id", "visited_at"), ("grid_id", "visited_at"))
