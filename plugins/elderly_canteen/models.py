"""Canteens, their staff, registered elders, sittings with their menus, meals and complaints.

Money is stored as DECIMAL(10, 2): yuan, exact to the fen. Tables are prefixed with the
plugin's name (``elderly_canteen_canteen``...) by core's table-name rule.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from core import PlacedModel


class Canteen(PlacedModel):
    """老年食堂: a community canteen for older residents.

    ``opening_days`` lists weekdays 1 (Monday) to 7; ``lunch`` and ``dinner`` are
    ``{"starts": "11:00", "ends": "12:30"}`` in city time, or null when that meal is not
    served. ``delivery_grid_ids`` is the delivery area: the grids whose elders may have meals
    delivered, up to ``delivery_places`` per sitting. ``grid`` is where its complaints go."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    address = fields.CharField(max_length=300, default="")
    phone = fields.CharField(max_length=32, default="")
    compound_id = fields.IntField(null=True)
    grid_id = fields.IntField()
    operator: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    seats = fields.IntField()
    delivery_places = fields.IntField(default=0)
    opening_days: Any = fields.JSONField(default=list)
    lunch: Any = fields.JSONField(null=True)
    dinner: Any = fields.JSONField(null=True)
    delivery_grid_ids: Any = fields.JSONField(default=list)
    delivery_note = fields.CharField(max_length=300, default="")
    active = fields.BooleanField(default=True)
    operator_id: int

    class Meta:
        unique_together = (("district", "code"),)


class CanteenStaff(Model):
    """A person on the staff of one canteen (with the CANTEEN_STAFF role at its community)."""

    id = fields.IntField(primary_key=True)
    canteen: fields.ForeignKeyRelation[Canteen] = fields.ForeignKeyField(
        "elderly_canteen.Canteen", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    canteen_id: int
    person_id: int

    class Meta:
        unique_together = (("canteen", "person"),)


class Elder(PlacedModel):
    """A resident aged 60 or more registered with a canteen.

    The place columns are the canteen ones (where the module is switched); ``grid_id`` is the
    home grid of the person, whose grid workers see the flags. The birth date comes from the
    ID number and gives the age tier of each meal."""

    person: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    canteen: fields.ForeignKeyRelation[Canteen] = fields.ForeignKeyField(
        "elderly_canteen.Canteen", related_name=False, on_delete=fields.RESTRICT
    )
    grid_id = fields.IntField(null=True)
    compound_id = fields.IntField(null=True)
    birth_date = fields.DateField()
    living_alone = fields.BooleanField(default=False)
    disability = fields.BooleanField(default=False)
    special_diet = fields.BooleanField(default=False)
    diet_note = fields.CharField(max_length=200, default="")
    active = fields.BooleanField(default=True)
    person_id: int
    canteen_id: int


class Sitting(PlacedModel):
    """One meal of a canteen on one day, with its menu: price, dishes and their allergens.

    Bookings go through the core booking engine: an offering per sitting with a dine-in slot
    (capacity: seats) and, where delivery is on, a delivery slot. It is bookable once
    published."""

    canteen: fields.ForeignKeyRelation[Canteen] = fields.ForeignKeyField(
        "elderly_canteen.Canteen", related_name=False, on_delete=fields.RESTRICT
    )
    day = fields.DateField()
    meal = fields.CharField(max_length=8)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    price = fields.DecimalField(max_digits=10, decimal_places=2)
    dishes: Any = fields.JSONField(default=list)
    note = fields.CharField(max_length=300, default="")
    offering_id = fields.IntField()
    dine_in_slot_id = fields.IntField()
    delivery_slot_id = fields.IntField(null=True)
    published_by_id = fields.IntField()
    closed = fields.BooleanField(default=False)
    canteen_id: int

    class Meta:
        unique_together = (("canteen", "day", "meal"),)


class Meal(PlacedModel):
    """A meal an elder booked: the booking, how it is served, and the money.

    ``price``, ``subsidy`` and ``pay`` (what the elder pays) are fixed when it is booked. Its
    status is the booking status in the engine (CONFIRMED, CANCELLED, CHECKED_IN...)."""

    sitting: fields.ForeignKeyRelation[Sitting] = fields.ForeignKeyField(
        "elderly_canteen.Sitting", related_name=False, on_delete=fields.RESTRICT
    )
    elder: fields.ForeignKeyRelation[Elder] = fields.ForeignKeyField(
        "elderly_canteen.Elder", related_name=False, on_delete=fields.RESTRICT
    )
    canteen_id = fields.IntField()
    person_id = fields.IntField()
    booking: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "core.Booking", related_name=False, on_delete=fields.RESTRICT
    )
    booked_by_id = fields.IntField()
    mode = fields.CharField(max_length=16)
    day = fields.DateField()
    month = fields.CharField(max_length=7)
    meal = fields.CharField(max_length=8)
    age_tier = fields.CharField(max_length=8)
    price = fields.DecimalField(max_digits=10, decimal_places=2)
    subsidy = fields.DecimalField(max_digits=10, decimal_places=2)
    pay = fields.DecimalField(max_digits=10, decimal_places=2)
    subsidy_parts: Any = fields.JSONField(default=dict)
    served_at = fields.DatetimeField(null=True)
    rating = fields.IntField(null=True)
    rating_comment = fields.CharField(max_length=300, null=True)
    sitting_id: int
    elder_id: int
    booking_id: int

    class Meta:
        unique_together = (("sitting", "elder"),)
        indexes = (("canteen_id", "month"), ("elder_id", "month"))


class Complaint(PlacedModel):
    """A food-safety complaint about a canteen: a core case in the canteen category.

    ``case_status`` and ``case_level`` follow the case through its events."""

    canteen: fields.ForeignKeyRelation[Canteen] = fields.ForeignKeyField(
        "elderly_canteen.Canteen", related_name=False, on_delete=fields.RESTRICT
    )
    case: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "core.Case", related_name=False, on_delete=fields.RESTRICT
    )
    reporter_id = fields.IntField()
    case_status = fields.CharField(max_length=16, default="REPORTED")
    case_level = fields.CharField(max_length=16, default="GRID")
    canteen_id: int
    case_id: int
