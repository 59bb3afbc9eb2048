"""A booking as its holder sees it: the slot, what it is for, and where it stands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from core.access.scope import ScopeRule
from core.booking import models
from core.booking.engine import BookingStatus
from schema.access.rules import scoped
from schema.nodes import NodeSource

strawberry.enum(BookingStatus, name="BookingStatus", description="Where a booking stands.")

BOOKING_SCOPE = ScopeRule(roles=frozenset(), owner="person_id")
"""A booking is its holder's: modules show their staff bookings through their own types."""


@scoped(BOOKING_SCOPE)
@strawberry.type(description="A place of yours in a slot of something bookable.")
class Booking(relay.Node):
    """A booking made through the core engine, as GraphQL shows it (``BOOKING`` loads it)."""

    id: relay.NodeID[int]
    status: BookingStatus = strawberry.field(description="Where it stands.")
    created_at: datetime = strawberry.field(description="When it was made (UTC).")
    version: int = strawberry.field(description="Changes whenever the booking does.")
    person_id: strawberry.Private[int]
    slot_id: strawberry.Private[int]
    offering_id: strawberry.Private[int]
    starts_at: datetime = strawberry.field(default=None, description="When the slot starts (UTC).")
    ends_at: datetime = strawberry.field(default=None, description="When the slot ends (UTC).")
    title: str = strawberry.field(
        default="", description="What it is for, e.g. a station's 预约办理."
    )
    owner: str = strawberry.field(
        default="", description="Which part of Hemei it belongs to: core.stations or a module."
    )
    kind: str = strawberry.field(default="", description="The kind of offering, e.g. appointment.")


async def _with_slots(bookings: Sequence[Any]) -> None:
    slots = {
        row["id"]: row
        for row in await models.Slot.filter(id__in={b.slot_id for b in bookings}).values(
            "id", "starts_at", "ends_at"
        )
    }
    offerings = {
        row["id"]: row
        for row in await models.Offering.filter(id__in={b.offering_id for b in bookings}).values(
            "id", "title", "owner", "kind"
        )
    }
    for booking in bookings:
        slot, offering = slots[booking.slot_id], offerings[booking.offering_id]
        booking.starts_at, booking.ends_at = slot["starts_at"], slot["ends_at"]
        booking.title, booking.owner, booking.kind = (
            offering["title"],
            offering["owner"],
            offering["kind"],
        )


BOOKING = NodeSource(Booking, models.Booking, enrich=_with_slots)
"""How a ``Booking`` is read: a module that books through the engine answers with
``by_id(info.context, BOOKING).load(booking.id)``, the same type ``myBookings`` lists."""
