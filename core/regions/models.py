"""Region tree models.

Every node stores the ids of all its ancestors (not only its parent): scope filters ("rows in
this district") and module gates then need no joins, and the planned read path can compile them
into a plain ``WHERE``. Services keep the copies consistent when they create or move a node.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from core.db.base import HemeiModel


class District(HemeiModel):
    """区/县: the tenant that switches modules on or off in the config file."""

    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)

    class Meta:
        table = "district"


class Street(HemeiModel):
    """街道: a sub-district office."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name="streets", on_delete=fields.RESTRICT
    )
    district_id: int

    class Meta:
        table = "street"
        unique_together = (("district", "code"),)


class Community(HemeiModel):
    """社区: a neighbourhood committee, with a centre point (WGS84 longitude/latitude)."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name="communities", on_delete=fields.RESTRICT
    )
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField(
        "core.Street", related_name="communities", on_delete=fields.RESTRICT
    )
    district_id: int
    street_id: int
    centre_lon = fields.FloatField(null=True)
    centre_lat = fields.FloatField(null=True)

    class Meta:
        table = "community"
        unique_together = (("district", "code"),)


class PlacedModel(HemeiModel):
    """A row that belongs to a place at community level or below (a grid, a compound, a
    plugin's canteen or classroom): it stores its community and that community's street and
    district. The module gate's default :class:`schema.PlaceOf` reads exactly these columns.
    Services copy the ids from the community when they create the row."""

    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, on_delete=fields.RESTRICT
    )
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField(
        "core.Street", related_name=False, on_delete=fields.RESTRICT
    )
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name=False, on_delete=fields.RESTRICT
    )
    district_id: int
    street_id: int
    community_id: int

    class Meta:
        abstract = True


class Grid(PlacedModel):
    """服务微网格: the smallest service area, staffed by grid workers. Boundary is GeoJSON."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    boundary: Any = fields.JSONField(null=True)

    class Meta:
        table = "grid"
        unique_together = (("district", "code"),)


class Compound(PlacedModel):
    """小区: a residential estate, possibly without property management (无物业小区)."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    grid: fields.ForeignKeyRelation[Grid] = fields.ForeignKeyField(
        "core.Grid", related_name=False, on_delete=fields.RESTRICT
    )
    grid_id: int
    boundary: Any = fields.JSONField(null=True)
    has_property_management = fields.BooleanField(default=False)
    property_company = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "compound"
        unique_together = (("district", "code"),)
