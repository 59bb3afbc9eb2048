"""The inputs of the canteen module's mutations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from plugins.elderly_canteen.types import MealKind


@strawberry.input(description="When a meal is served, city time.")
class CanteenMealTimesInput:
    starts: str = strawberry.field(description="Start, HH:MM.")
    ends: str = strawberry.field(description="End, HH:MM, after the start.")


@strawberry.input(description="A new canteen.")
class CreateCanteenInput:
    place_id: strawberry.ID = strawberry.field(
        description="The Community it serves, or a Compound it sits in."
    )
    code: str = strawberry.field(description="Code, unique in the district (letters, digits, -).")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区老年食堂.")
    operator_id: strawberry.ID = strawberry.field(
        description="The Person who runs it: must hold CANTEEN_STAFF at the community "
        "(grantRole); first on its staff list."
    )
    seats: int = strawberry.field(description="Seats (1–1000): dine-in places per sitting.")
    delivery_places: int = strawberry.field(default=0, description="Meals delivered per sitting.")
    opening_days: list[int] = strawberry.field(
        default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], description="Weekdays open, 1–7."
    )
    lunch: CanteenMealTimesInput | None = strawberry.field(default=None, description="Lunch.")
    dinner: CanteenMealTimesInput | None = strawberry.field(default=None, description="Dinner.")
    address: str = strawberry.field(default="", description="Street address.")
    phone: str = strawberry.field(default="", description="Telephone.")
    delivery_grid_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The delivery area: Grid ids of its district."
    )
    delivery_note: str = strawberry.field(default="", description="The delivery area in words.")


@strawberry.input(description="Changes to a canteen; fields left out stay as they are.")
class UpdateCanteenInput:
    canteen_id: strawberry.ID = strawberry.field(description="The canteen.")
    version: int = strawberry.field(description="The `version` you read.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    address: str | None = strawberry.field(default=None, description="A new street address.")
    phone: str | None = strawberry.field(default=None, description="A new telephone.")
    seats: int | None = strawberry.field(
        default=None, description="Seats (1–1000): dine-in places per sitting."
    )
    delivery_places: int | None = strawberry.field(
        default=None, description="Meals delivered per sitting."
    )
    opening_days: list[int] | None = strawberry.field(
        default=None, description="Weekdays open, 1–7."
    )
    lunch: CanteenMealTimesInput | None = strawberry.field(
        default=None, description="New lunch times (noLunch stops lunch)."
    )
    dinner: CanteenMealTimesInput | None = strawberry.field(
        default=None, description="New dinner times (noDinner stops dinner)."
    )
    no_lunch: bool = strawberry.field(default=False, description="Stop serving lunch.")
    no_dinner: bool = strawberry.field(default=False, description="Stop serving dinner.")
    delivery_grid_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The delivery area: Grid ids of its district."
    )
    delivery_note: str | None = strawberry.field(
        default=None, description="The delivery area in words."
    )
    active: bool | None = strawberry.field(default=None, description="False closes it.")
    operator_id: strawberry.ID | None = strawberry.field(
        default=None, description="A new operator (managers only)."
    )


@strawberry.input(description="A registration with a canteen.")
class RegisterCanteenElderInput:
    canteen_id: strawberry.ID = strawberry.field(description="A canteen of your district.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Someone else (the canteen's managers only); default: you."
    )
    living_alone: bool = strawberry.field(default=False, description="Lives alone.")
    disability: bool = strawberry.field(default=False, description="Has a disability.")
    special_diet: bool = strawberry.field(default=False, description="Needs a special diet.")
    diet_note: str = strawberry.field(default="", description="What the diet is.")


@strawberry.input(description="Changes to a registration; fields left out stay as they are.")
class UpdateCanteenElderInput:
    elder_id: strawberry.ID = strawberry.field(description="The registration.")
    version: int = strawberry.field(description="The `version` you read.")
    living_alone: bool | None = strawberry.field(default=None, description="Lives alone.")
    disability: bool | None = strawberry.field(default=None, description="Has a disability.")
    special_diet: bool | None = strawberry.field(default=None, description="Needs a special diet.")
    diet_note: str | None = strawberry.field(default=None, description="What the diet is.")
    canteen_id: strawberry.ID | None = strawberry.field(
        default=None, description="Move to another canteen of the district (elder, managers)."
    )
    active: bool | None = strawberry.field(
        default=None, description="False ends the registration (elder, managers)."
    )


@strawberry.input(description="A dish on a menu.")
class CanteenDishInput:
    name: str = strawberry.field(description="The dish (1–100 characters).")
    allergens: list[str] = strawberry.field(default_factory=list, description="Its allergens.")


@strawberry.input(description="The menu of a sitting: publishing it opens the sitting for booking.")
class PublishCanteenMenuInput:
    canteen_id: strawberry.ID = strawberry.field(description="Your canteen.")
    day: date = strawberry.field(description="An opening day, today up to 31 days ahead.")
    meal: MealKind = strawberry.field(description="Lunch or dinner.")
    price: Decimal = strawberry.field(description='Price in yuan, exact to the fen ("12.50").')
    dishes: list[CanteenDishInput] = strawberry.field(description="1–20 dishes.")
    note: str = strawberry.field(default="", description="A note from the kitchen.")
    seats: int | None = strawberry.field(
        default=None, description="Dine-in places this time (default: the canteen's seats)."
    )
    delivery_places: int | None = strawberry.field(
        default=None, description="Delivered meals this time (default: the canteen's)."
    )
