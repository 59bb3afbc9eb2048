"""People and departments.

One ``Person`` table holds everyone the platform knows: residents (with a home compound), cadres
of city departments and community workers (whose duties are role grants, see
``core.access.models.RoleGrant``). ID-card and phone numbers are personal data: the API masks
them unless the viewer's role needs them, and they never reach logs or error messages.
"""

from __future__ import annotations

from tortoise import fields

from core.db.base import HemeiModel
from core.regions.models import Community, Compound, District, Grid, Street


class Department(HemeiModel):
    """A city department (住建局, 城管局, 供热办, ...): data, not code."""

    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)

    class Meta:
        table = "department"


class Person(HemeiModel):
    """Someone the platform knows. Home place ids are copied from the home compound so that
    scope rules ("residents of this grid") are plain column comparisons."""

    name = fields.CharField(max_length=100)
    phone = fields.CharField(max_length=32, null=True)
    id_number = fields.CharField(max_length=18, null=True, unique=True)
    home_compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    home_grid: fields.ForeignKeyNullableRelation[Grid] = fields.ForeignKeyField(
        "core.Grid", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    home_community: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "core.Community", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    home_street: fields.ForeignKeyNullableRelation[Street] = fields.ForeignKeyField(
        "core.Street", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    home_district: fields.ForeignKeyNullableRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "core.Department", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    home_compound_id: int | None
    home_grid_id: int | None
    home_community_id: int | None
    home_street_id: int | None
    home_district_id: int | None
    department_id: int | None

    class Meta:
        table = "person"


class PioneerPost(HemeiModel):
    """党员先锋岗: the named duty of a party member in a compound (红管家, 民情气象员, ...)."""

    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=50)
    duty = fields.TextField(default="")
    person_id: int
    compound_id: int

    class Meta:
        table = "pioneer_post"
