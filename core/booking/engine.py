"""Booking, cancelling, waitlists and attendance, safe under concurrency on both databases.

Capacity is kept by one conditional UPDATE (``confirmed < capacity``): whatever the number of
simultaneous requests, a slot never confirms more than its capacity. A person holds at most one
booking per slot (a unique key in the database). Cancelling a confirmed booking frees its seat
and promotes the longest-waiting booking, if any. Every method runs in a transaction (a
savepoint inside a mutation's own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.booking.models import Booking, Offering, Slot
from core.errors import BadUserInput, Conflict, NotFound


class BookingStatus(StrEnum):
    """Where a booking stands: CONFIRMED or WAITLISTED while active, then CANCELLED,
    CHECKED_IN (attended) or NO_SHOW."""

    CONFIRMED = "CONFIRMED"
    WAITLISTED = "WAITLISTED"
    CANCELLED = "CANCELLED"
    CHECKED_IN = "CHECKED_IN"
    NO_SHOW = "NO_SHOW"


ACTIVE = (BookingStatus.CONFIRMED.value, BookingStatus.WAITLISTED.value)


@dataclass
class BookingEngine:
    """Books people into slots of limited capacity (meals, sessions, clinics): confirms or
    waitlists, cancels and promotes from the waitlist, checks in and marks no-shows. Capacity
    holds under concurrency (one conditional UPDATE); errors are ``BadUserInput`` or
    ``Conflict`` with the reason."""

    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    async def book(self, person_id: int, slot_id: int) -> Booking:
        """Confirm a seat, or put the person on the waitlist when the slot is full (or refuse
        with CONFLICT if the offering keeps no waitlist)."""
        async with in_transaction():
            slot, offering = await self._slot(slot_id)
            self._before_cutoff(slot, offering, "Booking")
            existing = await Booking.filter(slot_id=slot.id, person_id=person_id).first()
            if existing is not None and existing.status in ACTIVE:
                raise Conflict("You already have a booking for this slot.", argument="slotId")
            upcoming = (
                await Booking.filter(
                    person_id=person_id, offering_id=offering.id, status__in=ACTIVE
                )
                .filter(slot__starts_at__gte=self.now())
                .count()
            )
            if upcoming >= offering.per_person_limit:
                raise BadUserInput(
                    f"At most {offering.per_person_limit} upcoming booking(s) of this offering "
                    "per person.", argument="slotId", limit=offering.per_person_limit,
                )  # fmt: skip
            if await _take_seat(slot.id):
                status = BookingStatus.CONFIRMED
            elif offering.waitlist:
                status = BookingStatus.WAITLISTED
            else:
                raise Conflict("The slot is full.", argument="slotId")
            if existing is not None:
                await Booking.filter(id=existing.id).update(
                    status=status.value, version=existing.version + 1, updated_at=self.now()
                )
                return await Booking.get(id=existing.id)
            try:
                async with in_transaction():
                    return await Booking.create(
                        slot_id=slot.id, person_id=person_id, offering_id=offering.id,
                        status=status.value,
                    )  # fmt: skip
            except IntegrityError:
                raise Conflict(
                    "You already have a booking for this slot.", argument="slotId"
                ) from None

    async def cancel(self, booking_id: int, *, by_person: int | None = None) -> Booking:
        """Cancel (a person only their own, and only before the cut-off); a freed seat goes to
        the longest-waiting booking of the slot."""
        async with in_transaction():
            booking = await Booking.filter(id=booking_id).first()
            if booking is None or (by_person is not None and booking.person_id != by_person):
                raise NotFound("No such booking.")
            if booking.status not in ACTIVE:
                raise BadUserInput(f"The booking is {booking.status}.", argument="bookingId")
            slot, offering = await self._slot(booking.slot_id)
            if by_person is not None:
                self._before_cutoff(slot, offering, "Cancelling")
            moved = await Booking.filter(id=booking.id, status=booking.status).update(
                status=BookingStatus.CANCELLED.value, version=booking.version + 1,
                updated_at=self.now(),
            )  # fmt: skip
            if not moved:
                raise Conflict("The booking changed meanwhile; reload it.", argument="bookingId")
            if booking.status == BookingStatus.CONFIRMED:
                await Slot.filter(id=slot.id, confirmed__gt=0).update(confirmed=F("confirmed") - 1)
                await self._promote(slot.id)
            return await Booking.get(id=booking.id)

    async def check_in(self, booking_id: int) -> Booking:
        """Record that the person came."""
        async with in_transaction():
            moved = await Booking.filter(
                id=booking_id, status=BookingStatus.CONFIRMED.value
            ).update(status=BookingStatus.CHECKED_IN.value, updated_at=self.now())
            if not moved:
                raise BadUserInput("Only a confirmed booking checks in.", argument="bookingId")
            return await Booking.get(id=booking_id)

    async def mark_no_shows(self, slot_id: int) -> int:
        """After a slot ended, confirmed bookings that never checked in become NO_SHOW."""
        slot, _ = await self._slot(slot_id)
        if slot.ends_at > self.now():
            raise BadUserInput("The slot has not ended yet.", argument="slotId")
        return await Booking.filter(slot_id=slot.id, status=BookingStatus.CONFIRMED.value).update(
            status=BookingStatus.NO_SHOW.value, updated_at=self.now()
        )

    async def _promote(self, slot_id: int) -> None:
        waiting = (
            await Booking.filter(slot_id=slot_id, status=BookingStatus.WAITLISTED.value)
            .order_by("id")
            .values_list("id", flat=True)
        )
        for booking_id in waiting:
            if not await _take_seat(slot_id):
                return
            promoted = await Booking.filter(
                id=booking_id, status=BookingStatus.WAITLISTED.value
            ).update(status=BookingStatus.CONFIRMED.value, updated_at=self.now())
            if promoted:
                return
            await Slot.filter(id=slot_id).update(confirmed=F("confirmed") - 1)  # it left meanwhile

    async def _slot(self, slot_id: int) -> tuple[Slot, Offering]:
        slot = await Slot.filter(id=slot_id).first()
        if slot is None:
            raise NotFound("No such slot.")
        return slot, await Offering.get(id=slot.offering_id)

    def _before_cutoff(self, slot: Slot, offering: Offering, what: str) -> None:
        closes = slot.starts_at - timedelta(minutes=offering.cutoff_minutes)
        if self.now() >= closes:
            raise BadUserInput(
                f"{what} closed at {closes.isoformat()} (UTC).", argument="slotId",
                closedAt=closes.isoformat(),
            )  # fmt: skip


async def _take_seat(slot_id: int) -> bool:
    """One seat, if one is free: the conditional UPDATE is the whole capacity rule."""
    return bool(
        await Slot.filter(id=slot_id, confirmed__lt=F("capacity")).update(
            confirmed=F("confirmed") + 1
        )
    )
