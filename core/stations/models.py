"""Service stations, the one-stop catalogue, what each station offers, and applications."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.booking.models import Offering
from core.people.models import Person
from core.regions.models import Compound, PlacedModel


class ServiceStation(PlacedModel):
    """党群服务站点: a party-mass service station in a community or in one of its compounds.

    ``hours`` is a list of ``{"weekdays": [1..7], "opens": "08:30", "closes": "17:00"}`` in
    city time. ``offering`` is the station's appointment offering in the booking engine, made
    when its staff first open appointment slots."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    address = fields.CharField(max_length=300, default="")
    phone = fields.CharField(max_length=32, default="")
    lon = fields.FloatField(null=True)
    lat = fields.FloatField(null=True)
    hours: Any = fields.JSONField(default=list)
    offering: fields.ForeignKeyNullableRelation[Offering] = fields.ForeignKeyField(
        "core.Offering", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    compound_id: int | None
    offering_id: int | None

    class Meta:
        table = "service_station"
        unique_together = (("district", "code"),)


class StationStaff(Model):
    """A person on the staff of a station: they work its application queue."""

    id = fields.IntField(primary_key=True)
    station: fields.ForeignKeyRelation[ServiceStation] = fields.ForeignKeyField(
        "core.ServiceStation", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=50, default="")
    station_id: int
    person_id: int

    class Meta:
        table = "station_staff"
        unique_together = (("station", "person"),)


class CatalogueItem(Model):
    """One item of the city-wide one-stop service catalogue (一站式服务事项).

    ``category`` is COMMUNITY_AFFAIRS, GOVERNMENT_AFFAIRS or PROPERTY_AFFAIRS; ``materials``
    lists what an applicant brings; ``time_limit_days`` is the promised handling time. Items
    are retired (``active`` false), never deleted, so old applications keep their item."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    category = fields.CharField(max_length=32)
    description = fields.TextField(default="")
    materials: list[str] = fields.JSONField(default=list)
    time_limit_days = fields.IntField(default=1)
    doorstep = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)

    class Meta:
        table = "catalogue_item"


class StationService(Model):
    """A catalogue item that a station offers."""

    id = fields.IntField(primary_key=True)
    station: fields.ForeignKeyRelation[ServiceStation] = fields.ForeignKeyField(
        "core.ServiceStation", related_name=False, on_delete=fields.CASCADE
    )
    item: fields.ForeignKeyRelation[CatalogueItem] = fields.ForeignKeyField(
        "core.CatalogueItem", related_name=False, on_delete=fields.RESTRICT
    )
    station_id: int
    item_id: int

    class Meta:
        table = "station_service"
        unique_together = (("station", "item"),)


class ServiceApplication(PlacedModel):
    """An application for a catalogue item at a station.

    SUBMITTED, then ACCEPTED, then DONE or REJECTED with a reason. ``at_doorstep`` marks one
    handled at the applicant home (上门办理); ``booking`` is the appointment it came with."""

    station: fields.ForeignKeyRelation[ServiceStation] = fields.ForeignKeyField(
        "core.ServiceStation", related_name=False, on_delete=fields.RESTRICT
    )
    item: fields.ForeignKeyRelation[CatalogueItem] = fields.ForeignKeyField(
        "core.CatalogueItem", related_name=False, on_delete=fields.RESTRICT
    )
    applicant: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=16, default="SUBMITTED")
    note = fields.TextField(default="")
    materials: list[str] = fields.JSONField(default=list)
    at_doorstep = fields.BooleanField(default=False)
    reject_reason = fields.TextField(null=True)
    handled_by_id = fields.IntField(null=True)
    booking_id = fields.IntField(null=True)
    accepted_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    station_id: int
    item_id: int
    applicant_id: int

    class Meta:
        table = "service_application"
        indexes = (("station_id", "status"),)
