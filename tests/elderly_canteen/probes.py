"""Probes of the canteen module's root operations (see tests/access/probes.py): each makes a
canteen in the community at the relation, the rows it needs, tries the operation and undoes it."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.access.models import RoleGrant
from core.booking.models import Booking, Offering, Slot
from core.cases.models import Case
from core.demo.people import id_number
from core.people.models import Person
from plugins.elderly_canteen.models import Canteen, CanteenStaff, Complaint, Elder, Meal, Sitting
from tests.access.probes import Probe, _drop_case, gid, ok

_unique = itertools.count()
LUNCH = {"starts": "11:00", "ends": "12:30"}


@dataclass
class Scene:
    canteen: Canteen
    elder: Elder | None = None
    sitting: Sitting | None = None
    meal: Meal | None = None


async def _canteen(p: Probe, relation: str) -> Canteen:
    compound = p.target(relation).compound
    operator = await Person.create(name="探针食堂经理")
    canteen = await Canteen.create(
        code=f"probe-canteen-{next(_unique)}", name="探针老年食堂", grid_id=compound.grid_id,
        compound_id=compound.id, operator_id=operator.id, seats=20, delivery_places=5,
        opening_days=[1, 2, 3, 4, 5, 6, 7], lunch=LUNCH, district_id=compound.district_id,
        street_id=compound.street_id, community_id=compound.community_id,
    )  # fmt: skip
    await CanteenStaff.create(canteen_id=canteen.id, person_id=operator.id)
    return canteen


async def _elder(canteen: Canteen, person_id: int, grid_id: int) -> Elder:
    return await Elder.create(
        person_id=person_id, canteen_id=canteen.id, district_id=canteen.district_id,
        street_id=canteen.street_id, community_id=canteen.community_id, grid_id=grid_id,
        birth_date=date(1948, 6, 1),
    )  # fmt: skip


async def _sitting(canteen: Canteen) -> Sitting:
    starts = datetime.now(UTC) + timedelta(days=2)
    offering = await Offering.create(
        owner="elderly_canteen", kind="lunch", title="探针老年食堂 午餐",
        district_id=canteen.district_id, street_id=canteen.street_id,
        community_id=canteen.community_id, cutoff_minutes=90, waitlist=False,
    )  # fmt: skip
    dine_in = await Slot.create(offering_id=offering.id, starts_at=starts,
                                ends_at=starts + timedelta(hours=1), capacity=20)  # fmt: skip
    return await Sitting.create(
        canteen_id=canteen.id, day=starts.date(), meal="LUNCH", starts_at=starts,
        ends_at=starts + timedelta(hours=1), price=Decimal("12.00"),
        dishes=[{"name": "米饭", "allergens": []}], offering_id=offering.id,
        dine_in_slot_id=dine_in.id, published_by_id=canteen.operator_id,
        district_id=canteen.district_id, street_id=canteen.street_id,
        community_id=canteen.community_id,
    )  # fmt: skip


async def _meal(sitting: Sitting, elder: Elder, status: str = "CONFIRMED") -> Meal:
    booking = await Booking.create(slot_id=sitting.dine_in_slot_id, person_id=elder.person_id,
                                   offering_id=sitting.offering_id, status=status)  # fmt: skip
    await Slot.filter(id=sitting.dine_in_slot_id).update(confirmed=1)
    return await Meal.create(
        sitting_id=sitting.id, elder_id=elder.id, canteen_id=sitting.canteen_id,
        person_id=elder.person_id, booking_id=booking.id, booked_by_id=elder.person_id,
        mode="DINE_IN", day=sitting.day, month=f"{sitting.day:%Y-%m}", meal="LUNCH",
        age_tier="70-79", price=Decimal("12.00"), subsidy=Decimal("3.00"), pay=Decimal("9.00"),
        district_id=sitting.district_id, street_id=sitting.street_id,
        community_id=sitting.community_id,
    )  # fmt: skip


async def _drop(canteen_ids: list[int]) -> None:
    sittings = await Sitting.filter(canteen_id__in=canteen_ids).values_list(
        "offering_id", flat=True
    )
    await Meal.filter(canteen_id__in=canteen_ids).delete()
    await Booking.filter(offering_id__in=list(sittings)).delete()
    await Sitting.filter(canteen_id__in=canteen_ids).delete()
    await Offering.filter(id__in=list(sittings)).delete()
    await Elder.filter(canteen_id__in=canteen_ids).delete()
    for complaint in await Complaint.filter(canteen_id__in=canteen_ids):
        case = await Case.get(id=complaint.case_id)
        await complaint.delete()
        await _drop_case(case)
    operators = await Canteen.filter(id__in=canteen_ids).values_list("operator_id", flat=True)
    await CanteenStaff.filter(canteen_id__in=canteen_ids).delete()
    await Canteen.filter(id__in=canteen_ids).delete()
    await Person.filter(id__in=list(operators), name="探针食堂经理").delete()


@asynccontextmanager
async def scene(p: Probe, relation: str, *, sitting: bool = False, meal: str | None = None) -> Any:
    """A canteen at the relation; the person there registered with it; optionally a sitting
    and a meal of theirs (with that booking status)."""
    target = p.target(relation)
    canteen = await _canteen(p, relation)
    try:
        made = Scene(canteen, elder=await _elder(canteen, target.person, target.grid.id))
        if sitting or meal:
            made.sitting = await _sitting(canteen)
        if meal and made.sitting and made.elder:
            made.meal = await _meal(made.sitting, made.elder, meal)
        yield made
    finally:
        await _drop([canteen.id])


async def canteens(p: Probe, relation: str) -> bool:
    return ok(await p.client.post("{ canteens(first: 1) { totalCount } }"))


async def canteen_elders(p: Probe, relation: str) -> bool:
    async with scene(p, relation) as s:
        body = await p.client.post(
            "query($c: ID!) { canteenElders(canteenId: $c) { edges { node { id } } } }",
            {"c": gid("Canteen", s.canteen.id)},
        )
        wanted = gid("CanteenElder", s.elder.id)
        return ok(body) and any(
            e["node"]["id"] == wanted for e in body["data"]["canteenElders"]["edges"]
        )


async def canteen_meals(p: Probe, relation: str) -> bool:
    async with scene(p, relation, meal="CONFIRMED") as s:
        body = await p.client.post(
            "query($c: ID!) { canteenMeals(canteenId: $c) { edges { node { id } } } }",
            {"c": gid("Canteen", s.canteen.id)},
        )
        wanted = gid("CanteenMeal", s.meal.id)
        return ok(body) and any(
            e["node"]["id"] == wanted for e in body["data"]["canteenMeals"]["edges"]
        )


async def canteen_elder_statement(p: Probe, relation: str) -> bool:
    async with scene(p, relation, meal="CHECKED_IN") as s:
        elder = None if relation == "own" else gid("CanteenElder", s.elder.id)
        body = await p.client.post(
            "query($e: ID, $m: String!) { canteenElderStatement(elderId: $e, month: $m) { mealsServed } }",
            {"e": elder, "m": s.meal.month},
        )
        return ok(body) and body["data"]["canteenElderStatement"]["mealsServed"] == 1


async def canteen_subsidy_report(p: Probe, relation: str) -> bool:
    async with scene(p, relation, meal="CHECKED_IN") as s:
        body = await p.client.post(
            "query($c: ID!, $m: String!) { canteenSubsidyReport(placeId: $c, month: $m) { totals { mealsServed } } }",
            {"c": gid("Canteen", s.canteen.id), "m": s.meal.month},
        )
        return ok(body) and body["data"]["canteenSubsidyReport"]["totals"]["mealsServed"] == 1


async def create_canteen(p: Probe, relation: str) -> bool:
    compound = p.target(relation).compound
    operator = await Person.create(name="探针食堂经理")
    await RoleGrant.create(
        person_id=operator.id, role="CANTEEN_STAFF", level="community",
        district_id=compound.district_id, street_id=compound.street_id,
        community_id=compound.community_id,
    )  # fmt: skip
    code = f"probe-new-{next(_unique)}"
    try:
        body = await p.client.post(
            "mutation($i: CreateCanteenInput!) { createCanteen(input: $i) { id } }",
            {"i": {"placeId": gid("Compound", compound.id), "code": code, "name": "探针老年食堂",
                   "operatorId": gid("Person", operator.id), "seats": 10, "lunch": LUNCH}},
        )  # fmt: skip
        return ok(body)
    finally:
        await RoleGrant.filter(person_id=operator.id).delete()
        await _drop(list(await Canteen.filter(code=code).values_list("id", flat=True)))
        await Person.filter(id=operator.id).delete()


def _on_canteen(query: str, extra: Callable[[Scene], dict[str, Any]] | None = None) -> Any:
    async def probe(p: Probe, relation: str) -> bool:
        async with scene(p, relation, sitting=True) as s:
            variables = {"c": gid("Canteen", s.canteen.id), **(extra(s) if extra else {})}
            return ok(await p.client.post(query, variables))

    return probe


async def register_canteen_elder(p: Probe, relation: str) -> bool:
    target = p.target(relation)
    person = await Person.get(id=target.person)
    saved = person.id_number
    canteen = await _canteen(p, relation)
    await Person.filter(id=person.id).update(
        id_number=id_number(saved[:6] if saved else "230403", date(1950, 5, 5), 900)
    )
    try:
        body = await p.client.post(
            "mutation($c: ID!, $p: ID!) { registerCanteenElder(input: {canteenId: $c, personId: $p}) { id } }",
            {"c": gid("Canteen", canteen.id), "p": gid("Person", person.id)},
        )
        return ok(body)
    finally:
        await _drop([canteen.id])
        await Person.filter(id=person.id).update(id_number=saved)


async def update_canteen_elder(p: Probe, relation: str) -> bool:
    async with scene(p, relation) as s:
        body = await p.client.post(
            "mutation($e: ID!) { updateCanteenElder(input: {elderId: $e, version: 1, specialDiet: true}) { id } }",
            {"e": gid("CanteenElder", s.elder.id)},
        )
        return ok(body)


async def book_canteen_meal(p: Probe, relation: str) -> bool:
    async with scene(p, relation, sitting=True) as s:
        elder = None if relation == "own" else gid("CanteenElder", s.elder.id)
        body = await p.client.post(
            "mutation($s: ID!, $e: ID) { bookCanteenMeal(sittingId: $s, elderId: $e) { id } }",
            {"s": gid("CanteenSitting", s.sitting.id), "e": elder},
        )
        return ok(body)


def _on_meal(query: str, status: str) -> Callable[[Probe, str], Awaitable[bool]]:
    async def probe(p: Probe, relation: str) -> bool:
        async with scene(p, relation, meal=status) as s:
            return ok(await p.client.post(query, {"m": gid("CanteenMeal", s.meal.id)}))

    return probe


async def report_canteen_food_safety(p: Probe, relation: str) -> bool:
    async with scene(p, relation) as s:
        body = await p.client.post(
            'mutation($c: ID!) { reportCanteenFoodSafety(canteenId: $c, description: "探针：饭菜有异味") { id } }',
            {"c": gid("Canteen", s.canteen.id)},
        )
        return ok(body)


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "canteens": canteens,
    "canteenElders": canteen_elders,
    "canteenMeals": canteen_meals,
    "canteenElderStatement": canteen_elder_statement,
    "canteenSubsidyReport": canteen_subsidy_report,
    "createCanteen": create_canteen,
    "updateCanteen": _on_canteen(
        "mutation($c: ID!) { updateCanteen(input: {canteenId: $c, version: 1, seats: 30}) { seats } }"
    ),
    "setCanteenStaff": _on_canteen(
        "mutation($c: ID!) { setCanteenStaff(canteenId: $c, version: 1, personIds: []) { id } }"
    ),
    "registerCanteenElder": register_canteen_elder,
    "updateCanteenElder": update_canteen_elder,
    "publishCanteenMenu": _on_canteen(
        'mutation($c: ID!, $d: Date!) { publishCanteenMenu(input: {canteenId: $c, day: $d, meal: LUNCH, price: "10.00", dishes: [{name: "米饭"}]}) { id } }',
        lambda s: {"d": (date.today() + timedelta(days=3)).isoformat()},
    ),
    "closeCanteenSitting": _on_canteen(
        "mutation($c: ID!, $s: ID!) { closeCanteenSitting(sittingId: $s) { noShows } }",
        lambda s: {"s": gid("CanteenSitting", s.sitting.id)},
    ),
    "bookCanteenMeal": book_canteen_meal,
    "cancelCanteenMeal": _on_meal(
        "mutation($m: ID!) { cancelCanteenMeal(mealId: $m) { status } }", "CONFIRMED"
    ),
    "checkInCanteenMeal": _on_meal(
        "mutation($m: ID!) { checkInCanteenMeal(mealId: $m) { status } }", "CONFIRMED"
    ),
    "rateCanteenMeal": _on_meal(
        "mutation($m: ID!) { rateCanteenMeal(mealId: $m, rating: 5) { rating } }", "CHECKED_IN"
    ),
    "reportCanteenFoodSafety": report_canteen_food_safety,
}
