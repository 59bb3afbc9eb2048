"""Stations, the workers who use them, their visits, care activities and snap-and-report points.

Tables are prefixed with the plugin name (``new_employment_stations_station`` ...). Rows that
belong to a place copy their community, street and district ids (``PlacedModel``) so that the
module gate and the scope rules are plain column comparisons.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from core import Compound, District, HemeiModel, Offering, Person, PlacedModel, Slot


class Station(PlacedModel):
    """新就业群体服务驿站: a rest station for couriers, delivery riders and ride-hailing drivers.

    ``hours`` holds weekly periods in city time (a period may run past midnight).
    ``chargers_in_use`` only changes in conditional UPDATEs, which keep it within
    ``chargers`` under concurrent check-ins."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    address = fields.CharField(max_length=300, default="")
    phone = fields.CharField(max_length=32, default="")
    lon = fields.FloatField()
    lat = fields.FloatField()
    hours: Any = fields.JSONField(default=list)
    has_water = fields.BooleanField(default=False)
    has_microwave = fields.BooleanField(default=False)
    has_rest_seats = fields.BooleanField(default=False)
    has_toilet = fields.BooleanField(default=False)
    has_first_aid = fields.BooleanField(default=False)
    chargers = fields.IntField(default=0)
    chargers_in_use = fields.IntField(default=0)
    keeper: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    compound_id: int | None
    keeper_id: int | None

    class Meta:
        unique_together = (("district", "code"),)
        indexes = (("lat", "lon"),)


class GigWorker(HemeiModel):
    """A courier, delivery rider or ride-hailing driver who registered themself.

    ``kind`` is COURIER, RIDER or DRIVER, ``platform`` the company they work for. A station
    keeper sets ``verified`` after seeing their badge."""

    person: fields.OneToOneRelation[Person] = fields.OneToOneField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=16)
    platform = fields.CharField(max_length=50)
    verified = fields.BooleanField(default=False)
    verified_by: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    verified_at = fields.DatetimeField(null=True)
    verified_station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "new_employment_stations.Station", related_name=False, null=True,
        on_delete=fields.SET_NULL,
    )  # fmt: skip
    person_id: int
    district_id: int
    verified_by_id: int | None
    verified_station_id: int | None


class Visit(PlacedModel):
    """A check-in of a worker at a station, closed by a check-out (or expired when forgotten).

    ``open_worker_id`` holds the worker while the visit is open and is unique, so a worker has
    at most one open visit whatever arrives at the same time."""

    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "new_employment_stations.Station", related_name=False, on_delete=fields.CASCADE
    )
    worker: fields.ForeignKeyRelation[GigWorker] = fields.ForeignKeyField(
        "new_employment_stations.GigWorker", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    checked_in_at = fields.DatetimeField()
    checked_out_at = fields.DatetimeField(null=True)
    charging = fields.BooleanField(default=False)
    expired = fields.BooleanField(default=False)
    open_worker_id = fields.IntField(null=True, unique=True)
    station_id: int
    worker_id: int
    person_id: int

    class Meta:
        indexes = (("station_id", "checked_out_at"), ("district_id", "checked_in_at"))


class Activity(PlacedModel):
    """四季有爱 凝新聚新: a seasonal care activity at a station, booked through the engine.

    ``offering`` and ``slot`` are its entries in the core booking engine (one slot each)."""

    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "new_employment_stations.Station", related_name=False, on_delete=fields.RESTRICT
    )
    season = fields.CharField(max_length=8)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    offering: fields.ForeignKeyRelation[Offering] = fields.ForeignKeyField(
        "core.Offering", related_name=False, on_delete=fields.RESTRICT
    )
    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "core.Slot", related_name=False, on_delete=fields.RESTRICT
    )
    station_id: int
    offering_id: int
    slot_id: int

    class Meta:
        indexes = (("district_id", "starts_at"),)


class WorkerReport(PlacedModel):
    """A snap-and-report case made by a registered worker (移动哨兵), followed through its events.

    The place is the case place. ``points`` sums what the report earned so far."""

    case_id = fields.IntField(unique=True)
    worker: fields.ForeignKeyRelation[GigWorker] = fields.ForeignKeyField(
        "new_employment_stations.GigWorker", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    category = fields.CharField(max_length=64)
    reported_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    solved_at = fields.DatetimeField(null=True)
    points = fields.IntField(default=0)
    worker_id: int
    person_id: int

    class Meta:
        indexes = (("person_id", "id"), ("district_id", "reported_at"))


class Award(PlacedModel):
    """Points a worker earned for one report, once per case and reason.

    ``reason`` is CONFIRMED or RESOLVED; the unique key makes a replayed event award nothing.
    ``month`` (YYYY-MM, city time) is when it was earned, for the monthly leaderboard."""

    case_id = fields.IntField()
    reason = fields.CharField(max_length=16)
    worker: fields.ForeignKeyRelation[GigWorker] = fields.ForeignKeyField(
        "new_employment_stations.GigWorker", related_name=False, on_delete=fields.CASCADE
    )
    points = fields.IntField()
    month = fields.CharField(max_length=7)
    awarded_at = fields.DatetimeField()
    event_id = fields.BigIntField()
    worker_id: int

    class Meta:
        unique_together = (("case_id", "reason"),)
        indexes = (("district_id", "month"),)
