"""Root mutations of the canteen module. Each runs in the mutation's transaction, checks the
module switch at the place of its object first (MODULE_DISABLED) and tells the audit log what
it was about (never personal data) and which grant allowed it."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from core import BadUserInput, CaseService, Grant, NotFound
from plugins.elderly_canteen import canteens, complaints, elders, meals, sittings, timing
from plugins.elderly_canteen.inputs import (
    CanteenMealTimesInput,
    CreateCanteenInput,
    PublishCanteenMenuInput,
    RegisterCanteenElderInput,
    UpdateCanteenElderInput,
    UpdateCanteenInput,
)
from plugins.elderly_canteen.places import require_on, settings_at, zone
from plugins.elderly_canteen.types import (
    CANTEEN,
    ELDER,
    MEAL,
    SITTING,
    Canteen,
    CanteenElder,
    CanteenMeal,
    CanteenSitting,
    MealMode,
)
from schema import CASE, Case, Context, IsAuthenticated, by_id, global_id, key_of


@strawberry.type(description="A closed sitting and how many booked meals were never served.")
class CloseCanteenSittingPayload:
    sitting: CanteenSitting = strawberry.field(description="The sitting.")
    no_shows: int = strawberry.field(description="Meals marked NO_SHOW.")


def _details(i: CreateCanteenInput | UpdateCanteenInput) -> canteens.CanteenDetails:
    def times(t: CanteenMealTimesInput | None) -> canteens.MealTimes | None:
        return canteens.MealTimes(t.starts, t.ends) if t else None

    return canteens.CanteenDetails(
        name=i.name,
        address=i.address,
        phone=i.phone,
        seats=i.seats,
        delivery_places=i.delivery_places,
        opening_days=i.opening_days,
        lunch=times(i.lunch),
        dinner=times(i.dinner),
        no_lunch=getattr(i, "no_lunch", False),
        no_dinner=getattr(i, "no_dinner", False),
        delivery_grid_ids=None
        if i.delivery_grid_ids is None
        else [key_of(g, "Grid", what="grid") for g in i.delivery_grid_ids],
        delivery_note=i.delivery_note,
        active=getattr(i, "active", None),
    )


def _noted(
    context: Context, grant: Grant | None, type_name: str, key: int, district: int, **summary: Any
) -> None:
    if grant is not None:
        context.note.used(grant)
    context.note.about(global_id(type_name, key), district, **summary)


async def _canteen(context: Context, key: int) -> Canteen:
    found = await by_id(context, CANTEEN).load(key)
    assert found is not None
    return found


async def _meal(context: Context, key: int) -> CanteenMeal:
    found = await by_id(context, MEAL).load(key)
    assert found is not None
    return found


def _community_or_compound(place_id: str) -> tuple[int | None, int | None]:
    try:
        return key_of(place_id, "Community", what="place"), None
    except NotFound:
        return None, key_of(place_id, "Compound", what="place")


def _today(context: Context) -> date:
    return timing.local_day(timing.now(), zone(context))


@strawberry.type
class CanteenMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Open a canteen (the community's workers and those above).",
    )
    async def create_canteen(self, info: Info, input: CreateCanteenInput) -> Canteen:
        context: Context = info.context
        community_id, compound_id = _community_or_compound(input.place_id)
        await require_on(context, await canteens.place_for(community_id, compound_id))
        key, grant = await canteens.create_canteen(
            context.viewer,
            community_id,
            compound_id,
            input.code,
            key_of(input.operator_id, "Person", what="person"),
            _details(input),
        )
        found = await _canteen(context, key)
        _noted(
            context, grant, "Canteen", key, found.district_id, code=input.code, seats=input.seats
        )
        return found

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Change a canteen (its staff and managers; the operator: managers).",
    )
    async def update_canteen(self, info: Info, input: UpdateCanteenInput) -> Canteen:
        context: Context = info.context
        key = key_of(input.canteen_id, "Canteen", what="canteen")
        await require_on(context, await canteens.canteen_row(key))
        operator = key_of(input.operator_id, "Person", what="person") if input.operator_id else None
        row, grant = await canteens.update_canteen(
            context.viewer, key, input.version, _details(input), operator
        )
        _noted(context, grant, "Canteen", key, row["district_id"], version=row["version"])
        return await _canteen(context, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Replace a canteen's staff list (its managers). Everyone on it must hold "
        "CANTEEN_STAFF at the canteen's community; the operator always stays.",
    )
    async def set_canteen_staff(
        self, info: Info, canteen_id: strawberry.ID, version: int, person_ids: list[strawberry.ID]
    ) -> Canteen:
        context: Context = info.context
        key = key_of(canteen_id, "Canteen", what="canteen")
        await require_on(context, await canteens.canteen_row(key))
        people = [key_of(p, "Person", what="person") for p in person_ids]
        row, grant = await canteens.set_staff(context.viewer, key, version, people)
        _noted(context, grant, "Canteen", key, row["district_id"], staff=len(row["staff_ids"]))
        return await _canteen(context, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Register with a canteen of your district, aged 60 or more (from your ID "
        "number); the canteen's managers may register someone else.",
    )
    async def register_canteen_elder(
        self, info: Info, input: RegisterCanteenElderInput
    ) -> CanteenElder:
        context: Context = info.context
        canteen_key = key_of(input.canteen_id, "Canteen", what="canteen")
        await require_on(context, await canteens.canteen_row(canteen_key))
        person = key_of(input.person_id, "Person", what="person") if input.person_id else None
        flags = elders.Flags(
            input.living_alone, input.disability, input.special_diet, input.diet_note
        )
        key, grant = await elders.register(
            context.viewer, person, canteen_key, flags, _today(context)
        )
        found = await by_id(context, ELDER).load(key)
        _noted(context, grant, "CanteenElder", key, found.district_id)
        return found

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Change a registration: flags (the elder, the canteen's staff, the home "
        "grid's workers, managers), canteen or end (the elder, managers).",
    )
    async def update_canteen_elder(
        self, info: Info, input: UpdateCanteenElderInput
    ) -> CanteenElder:
        context: Context = info.context
        key = key_of(input.elder_id, "CanteenElder", what="elder")
        await require_on(context, await elders.elder_row(key))
        canteen = key_of(input.canteen_id, "Canteen", what="canteen") if input.canteen_id else None
        flags = elders.Flags(
            input.living_alone, input.disability, input.special_diet, input.diet_note
        )
        row, grant = await elders.update(
            context.viewer, key, input.version, flags, canteen, input.active
        )
        _noted(context, grant, "CanteenElder", key, row["district_id"], version=row["version"])
        return await by_id(context, ELDER).load(key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Publish the menu of a lunch or dinner (the canteen's staff): price, dishes "
        "and allergens. It opens the sitting for booking; publishing again changes the menu "
        "(the price only while nothing is booked).",
    )
    async def publish_canteen_menu(
        self, info: Info, input: PublishCanteenMenuInput
    ) -> CanteenSitting:
        context: Context = info.context
        key = key_of(input.canteen_id, "Canteen", what="canteen")
        canteen = await canteens.canteen_row(key)
        await require_on(context, canteen)
        request = sittings.MenuRequest(
            canteen_id=key,
            day=input.day,
            meal=input.meal.value,
            price=input.price,
            dishes=[sittings.Dish(d.name, list(d.allergens)) for d in input.dishes],
            note=input.note,
            seats=input.seats,
            delivery_places=input.delivery_places,
        )
        settings = await settings_at(context, canteen)
        sitting_id, grant = await sittings.publish(
            context.viewer, request, settings, zone(context), _today(context)
        )
        _noted(
            context,
            grant,
            "CanteenSitting",
            sitting_id,
            canteen["district_id"],
            day=input.day.isoformat(),
            meal=input.meal.value,
            price=str(input.price),
        )
        found = await by_id(context, SITTING).load(sitting_id)
        assert found is not None
        return found

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Book a meal of a published sitting, before the district's cut-off: for "
        "yourself as a registered elder, or (the canteen's staff) for one of its elders. A "
        "second booking for the same sitting, or a full sitting, is CONFLICT.",
    )
    async def book_canteen_meal(
        self,
        info: Info,
        sitting_id: strawberry.ID,
        mode: MealMode = MealMode.DINE_IN,
        elder_id: strawberry.ID | None = None,
    ) -> CanteenMeal:
        context: Context = info.context
        key = key_of(sitting_id, "CanteenSitting", what="sitting")
        sitting = await sittings.sitting_row(key)
        await require_on(context, sitting)
        elder = key_of(elder_id, "CanteenElder", what="elder") if elder_id else None
        settings = await settings_at(context, sitting)
        meal_id, grant = await meals.book(
            context.viewer, key, mode.value, elder, settings, zone(context), timing.now
        )
        _noted(
            context,
            grant,
            "CanteenMeal",
            meal_id,
            sitting["district_id"],
            sitting=sitting_id,
            mode=mode.value,
        )
        return await _meal(context, meal_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Cancel a meal: the elder before the cut-off, the canteen's staff until the "
        "sitting ends. Its subsidy goes back to the elder's month.",
    )
    async def cancel_canteen_meal(self, info: Info, meal_id: strawberry.ID) -> CanteenMeal:
        context: Context = info.context
        key = key_of(meal_id, "CanteenMeal", what="meal")
        meal = await meals.meal_row(key)
        await require_on(context, meal)
        settings = await settings_at(context, meal)
        row, grant = await meals.cancel(context.viewer, key, settings, zone(context), timing.now)
        _noted(context, grant, "CanteenMeal", key, row["district_id"])
        return await _meal(context, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Check a meal in when it is served, at the canteen or at the door (the "
        "canteen's staff, on the meal's day).",
    )
    async def check_in_canteen_meal(self, info: Info, meal_id: strawberry.ID) -> CanteenMeal:
        context: Context = info.context
        key = key_of(meal_id, "CanteenMeal", what="meal")
        await require_on(context, await meals.meal_row(key))
        row, grant = await meals.check_in(context.viewer, key, zone(context), timing.now)
        _noted(context, grant, "CanteenMeal", key, row["district_id"], mode=row["mode"])
        return await _meal(context, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="Rate a served meal of yours, once, 1–5."
    )
    async def rate_canteen_meal(
        self, info: Info, meal_id: strawberry.ID, rating: int, comment: str = ""
    ) -> CanteenMeal:
        context: Context = info.context
        key = key_of(meal_id, "CanteenMeal", what="meal")
        await require_on(context, await meals.meal_row(key))
        row = await meals.rate(context.viewer, key, rating, comment)
        _noted(context, None, "CanteenMeal", key, row["district_id"], rating=rating)
        return await _meal(context, key)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Close a sitting after it ended (the canteen's staff): booked meals never "
        "checked in become NO_SHOW.",
    )
    async def close_canteen_sitting(
        self, info: Info, sitting_id: strawberry.ID
    ) -> CloseCanteenSittingPayload:
        context: Context = info.context
        key = key_of(sitting_id, "CanteenSitting", what="sitting")
        sitting = await sittings.sitting_row(key)
        await require_on(context, sitting)
        _, missed, grant = await meals.close_sitting(context.viewer, key, timing.now)
        _noted(context, grant, "CanteenSitting", key, sitting["district_id"], noShows=missed)
        found = await by_id(context, SITTING).load(key)
        return CloseCanteenSittingPayload(sitting=found, no_shows=missed)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Report a food-safety problem at a canteen: it becomes a case of category "
        "canteen_food_safety in the canteen's grid, and goes to market supervision (市场监管局) "
        "when it reaches department level.",
    )
    async def report_canteen_food_safety(
        self,
        info: Info,
        canteen_id: strawberry.ID,
        description: str,
        title: str = "",
        anonymous: bool = False,
    ) -> Case:
        context: Context = info.context
        key = key_of(canteen_id, "Canteen", what="canteen")
        await require_on(context, await canteens.canteen_row(key))
        if not description.strip():
            raise BadUserInput("Say what happened.", argument="description")
        cases = CaseService(context.activation.config.cases, context.categories)
        case_id, canteen = await complaints.report(
            context.viewer, cases, key, title, description, anonymous
        )
        context.note.about(
            global_id("Case", case_id),
            canteen["district_id"],
            category=complaints.CATEGORY.code,
            canteen=canteen_id,
        )
        found = await by_id(context, CASE).load(case_id)
        assert found is not None
        return found
