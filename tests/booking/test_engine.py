"""The booking engine: capacity under concurrency, waitlists, limits, cut-offs, attendance."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.booking.engine import BookingEngine
from core.booking.models import Booking, Offering, Slot
from core.errors import BadUserInput, Conflict, NotFound
from core.people.models import Person

SOON = datetime.now(UTC) + timedelta(days=2)


async def offering(**options) -> Offering:
    return await Offering.create(owner="core", kind="test", title="测试活动", **options)


async def slot(offer: Offering, capacity: int, starts: datetime = SOON) -> Slot:
    return await Slot.create(
        offering_id=offer.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=capacity,
    )


@pytest.fixture
async def people(orm):
    await Person.bulk_create([Person(name=f"订座人{i}") for i in range(200)])
    rows = (
        await Person.filter(name__startswith="订座人").order_by("id").values_list("id", flat=True)
    )
    yield list(rows)
    await Booking.filter(person_id__in=list(rows)).delete()
    await Person.filter(id__in=list(rows)).delete()


async def outcome(engine: BookingEngine, person: int, slot_id: int) -> str:
    try:
        return (await engine.book(person, slot_id)).status
    except Conflict:
        return "REFUSED"


async def test_two_hundred_simultaneous_bookings_for_fifty_seats(people):
    engine = BookingEngine()
    with_waitlist = await slot(await offering(waitlist=True), capacity=50)
    results = await asyncio.gather(*(outcome(engine, p, with_waitlist.id) for p in people))
    assert results.count("CONFIRMED") == 50 and results.count("WAITLISTED") == 150
    assert (await Slot.get(id=with_waitlist.id)).confirmed == 50
    assert await Booking.filter(slot_id=with_waitlist.id, status="CONFIRMED").count() == 50

    no_waitlist = await slot(await offering(waitlist=False), capacity=50)
    results = await asyncio.gather(*(outcome(engine, p, no_waitlist.id) for p in people))
    assert results.count("CONFIRMED") == 50 and results.count("REFUSED") == 150
    assert await Booking.filter(slot_id=no_waitlist.id).count() == 50


async def test_cancelling_promotes_the_longest_waiting(people):
    engine = BookingEngine()
    s = await slot(await offering(), capacity=1)
    first = await engine.book(people[0], s.id)
    second = await engine.book(people[1], s.id)
    third = await engine.book(people[2], s.id)
    assert (first.status, second.status, third.status) == ("CONFIRMED", "WAITLISTED", "WAITLISTED")
    await engine.cancel(first.id, by_person=people[0])
    assert (await Booking.get(id=second.id)).status == "CONFIRMED"
    assert (await Booking.get(id=third.id)).status == "WAITLISTED"
    assert (await Slot.get(id=s.id)).confirmed == 1
    rebooked = await engine.book(people[0], s.id)
    assert rebooked.id == first.id and rebooked.status == "WAITLISTED", "the same row, queued again"


async def test_one_booking_per_person_and_slot_and_a_per_person_limit(people):
    engine = BookingEngine()
    offer = await offering(per_person_limit=2)
    a, b, c = [await slot(offer, 10, SOON + timedelta(days=d)) for d in range(3)]
    await engine.book(people[0], a.id)
    with pytest.raises(Conflict, match="already have a booking"):
        await engine.book(people[0], a.id)
    await engine.book(people[0], b.id)
    with pytest.raises(BadUserInput) as limited:
        await engine.book(people[0], c.id)
    assert limited.value.details["limit"] == 2


async def test_cut_off_closes_booking_and_own_cancelling(people):
    now = datetime.now(UTC)
    offer = await offering(cutoff_minutes=90)
    s = await slot(offer, 5, starts=now + timedelta(hours=2))
    booking = await BookingEngine(now=lambda: now).book(people[0], s.id)
    late = BookingEngine(now=lambda: now + timedelta(minutes=31))
    with pytest.raises(BadUserInput, match="Booking closed at"):
        await late.book(people[1], s.id)
    with pytest.raises(BadUserInput, match="Cancelling closed at"):
        await late.cancel(booking.id, by_person=people[0])
    assert (await late.cancel(booking.id)).status == "CANCELLED", "staff may still cancel"
    with pytest.raises(NotFound):
        await late.cancel(booking.id, by_person=people[1])


async def test_check_in_and_no_shows(people):
    now = datetime.now(UTC)
    offer = await offering()
    s = await slot(offer, 5, starts=now + timedelta(hours=1))
    engine = BookingEngine(now=lambda: now)
    came, absent = await engine.book(people[0], s.id), await engine.book(people[1], s.id)
    assert (await engine.check_in(came.id)).status == "CHECKED_IN"
    with pytest.raises(BadUserInput):
        await engine.check_in(came.id)
    with pytest.raises(BadUserInput, match="not ended"):
        await engine.mark_no_shows(s.id)
    after = BookingEngine(now=lambda: now + timedelta(hours=3))
    assert await after.mark_no_shows(s.id) == 1
    assert (await Booking.get(id=absent.id)).status == "NO_SHOW"
