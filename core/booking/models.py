"""Offerings, their slots and the bookings people make."""

from __future__ import annotations

from tortoise import fields

from core.db.base import HemeiModel
from core.people.models import Person


class Offering(HemeiModel):
    """Something bookable at a place, such as a canteen sitting, a class or a clinic.

    It is owned by a module. ``cutoff_minutes`` before a slot starts, booking and cancelling
    close; ``per_person_limit`` caps the upcoming bookings of one person; with ``waitlist`` a
    full slot queues further bookings and promotes them in order when a seat frees up. (The
    first line of a model docstring becomes a SQL comment that Tortoise does not escape: no
    apostrophes or semicolons there.)"""

    owner = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=64)
    title = fields.CharField(max_length=200)
    district_id = fields.IntField(null=True)
    street_id = fields.IntField(null=True)
    community_id = fields.IntField(null=True)
    cutoff_minutes = fields.IntField(default=0)
    per_person_limit = fields.IntField(default=1)
    waitlist = fields.BooleanField(default=True)

    class Meta:
        table = "booking_offering"


class Slot(HemeiModel):
    """One occurrence of an offering, with a capacity.

    ``confirmed`` counts confirmed bookings. It only ever changes in a conditional UPDATE, which
    is what keeps capacity under concurrency."""

    offering: fields.ForeignKeyRelation[Offering] = fields.ForeignKeyField(
        "core.Offering", related_name=False, on_delete=fields.CASCADE
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    capacity = fields.IntField()
    confirmed = fields.IntField(default=0)
    offering_id: int

    class Meta:
        table = "booking_slot"


class Booking(HemeiModel):
    """A place of a person in a slot: CONFIRMED, WAITLISTED, CANCELLED, CHECKED_IN or NO_SHOW."""

    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "core.Slot", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=16)
    offering_id = fields.IntField()
    slot_id: int
    person_id: int

    class Meta:
        table = "booking"
        # One booking per person and slot: a second attempt finds the first (database-enforced).
        unique_together = (("slot", "person"),)
