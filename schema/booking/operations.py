"""``myBookings`` and ``cancelBooking``: a person's bookings across stations and modules."""

from __future__ import annotations

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.booking.engine import ACTIVE, BookingEngine
from core.booking.models import Offering
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated
from schema.booking.types import BOOKING, BOOKING_SCOPE, Booking
from schema.context import Context
from schema.ids import key_of
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection


@strawberry.type
class BookingQuery:
    @strawberry.field(
        description="Your bookings, newest first: with `active`, only those still CONFIRMED or "
        "WAITLISTED.",
        permission_classes=[IsAuthenticated],
    )
    async def my_bookings(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None,
        active: bool = False,
    ) -> Connection[Booking]:  # fmt: skip
        filters = [Q(status__in=ACTIVE)] if active else []
        return await scoped_connection(
            info, BOOKING, BOOKING_SCOPE, first, after, *filters, newest_first=True
        )


@strawberry.type
class BookingMutation:
    @strawberry.mutation(
        description="Cancel a booking of yours before its cut-off; a freed seat goes to the "
        "longest-waiting person, if the offering keeps a waitlist.",
        permission_classes=[IsAuthenticated],
    )
    async def cancel_booking(self, info: Info, booking_id: strawberry.ID) -> Booking:
        context: Context = info.context
        assert context.viewer is not None
        key = key_of(booking_id, "Booking", what="booking")
        booking = await BookingEngine().cancel(key, by_person=context.viewer.person_id)
        offering = await Offering.get(id=booking.offering_id)
        context.note.about(
            booking_id, offering.district_id, owner=offering.owner, kind=offering.kind
        )
        found = await by_id(context, BOOKING).load(booking.id)
        assert found is not None
        return found
