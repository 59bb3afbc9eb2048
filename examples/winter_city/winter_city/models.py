"""The plugin's table: one row per winter report, beside the core case it filed."""

from __future__ import annotations

from core import PlacedModel
from tortoise import fields


class WinterReport(PlacedModel):
    """A snow-clearing or heating-outage report, filed as a core case."""

    kind = fields.CharField(max_length=16)
    grid_id = fields.IntField()
    compound_id = fields.IntField(null=True)
    lon = fields.FloatField(null=True)
    lat = fields.FloatField(null=True)
    description = fields.TextField(default="")
    households = fields.IntField(default=0)
    case_id = fields.IntField(unique=True)
    status = fields.CharField(max_length=16, default="OPEN")
    source = fields.CharField(max_length=16, default="GRAPHQL")
    reporter_id = fields.IntField(null=True)
    resolved_at = fields.DatetimeField(null=True)
