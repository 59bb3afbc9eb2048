"""GraphQL types of the money and the figures: an elder's monthly statement, the monthly
subsidy report of a canteen or a place (with its .xlsx export) and the dashboard figures.

The export is a field of the report, ``xlsx { filename contentType base64 }``: the workbook
travels base64-encoded inside the GraphQL response, so it needs no route of its own and obeys
exactly the access rules of the report it comes with.
"""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal

import strawberry

from plugins.elderly_canteen import accounts, xlsx
from plugins.elderly_canteen.figures import Figures
from plugins.elderly_canteen.types import CanteenElder, MealKind, MealMode
from schema import cost


@strawberry.type(description="One meal on an elder's statement.")
class CanteenStatementLine:
    meal_id: strawberry.ID = strawberry.field(description="The CanteenMeal.")
    day: date = strawberry.field(description="The day.")
    meal: MealKind = strawberry.field(description="Lunch or dinner.")
    mode: MealMode = strawberry.field(description="Dine-in or delivery.")
    status: str = strawberry.field(
        description="CONFIRMED (booked), CHECKED_IN (served) or NO_SHOW."
    )
    canteen_name: str = strawberry.field(description="Where.")
    age_tier: str = strawberry.field(description="The age tier of the day.")
    price: Decimal = strawberry.field(description="Price, yuan.")
    subsidy: Decimal = strawberry.field(description="Subsidy, yuan.")
    pay: Decimal = strawberry.field(description="What the elder pays, yuan.")


@strawberry.type(
    description="An elder's month: every meal booked, served or missed, and the totals of the "
    "served ones (only served meals are charged and subsidised)."
)
class CanteenElderStatement:
    month: str = strawberry.field(description="YYYY-MM.")
    elder: CanteenElder = strawberry.field(description="The elder.")
    lines: list[CanteenStatementLine] = strawberry.field(
        description="The meals, by day.",
        metadata=cost(size=62),  # a lunch and a dinner on each day of a month
    )
    meals_served: int = strawberry.field(description="Meals served.")
    price: Decimal = strawberry.field(description="Price of the served meals, yuan.")
    subsidy: Decimal = strawberry.field(description="Subsidy of the served meals, yuan.")
    pay: Decimal = strawberry.field(
        description="The balance: what the elder pays for the served meals (price − subsidy)."
    )
    booked_subsidy: Decimal = strawberry.field(
        description="Subsidy held by meals booked and not yet served, yuan."
    )
    subsidy_cap: Decimal = strawberry.field(description="The district's monthly cap, yuan.")
    subsidy_left: Decimal = strawberry.field(
        description="What the cap still allows this month (cap − served − booked), yuan."
    )
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]


@strawberry.type(description="Served meals and their money, for one canteen or one elder.")
class CanteenTally:
    meals_served: int = strawberry.field(description="Meals served.")
    dine_in: int = strawberry.field(description="Of which eaten at the canteen.")
    delivered: int = strawberry.field(description="Of which delivered home.")
    elders_served: int = strawberry.field(description="Different elders served.")
    price: Decimal = strawberry.field(description="Price, yuan.")
    subsidy: Decimal = strawberry.field(description="Subsidy paid, yuan.")
    pay: Decimal = strawberry.field(description="Paid by the elders, yuan.")


def tally(t: accounts.Tally) -> CanteenTally:
    return CanteenTally(
        meals_served=t.meals,
        dine_in=t.dine_in,
        delivered=t.delivered,
        elders_served=len(t.elders),
        price=t.price,
        subsidy=t.subsidy,
        pay=t.pay,
    )


@strawberry.type(description="One canteen in a subsidy report.")
class CanteenReportLine:
    canteen_id: strawberry.ID = strawberry.field(description="The Canteen.")
    name: str = strawberry.field(description="Its name.")
    totals: CanteenTally = strawberry.field(description="Its month.")


@strawberry.type(description="One elder in a subsidy report.")
class CanteenElderReportLine:
    elder_id: strawberry.ID = strawberry.field(description="The CanteenElder.")
    name: str = strawberry.field(description="The elder's name.")
    age_tier: str = strawberry.field(description="Age tier (of the month's latest meal).")
    canteen_id: strawberry.ID = strawberry.field(description="The Canteen.")
    totals: CanteenTally = strawberry.field(description="The elder's month there.")


@strawberry.type(description="A file to save: the bytes base64-encoded.")
class CanteenXlsxFile:
    filename: str = strawberry.field(description="A file name to save it under.")
    content_type: str = strawberry.field(description="The MIME type of an .xlsx workbook.")
    base64: str = strawberry.field(description="The workbook, base64 (RFC 4648).")
    size: int = strawberry.field(description="Bytes once decoded.")


@strawberry.type(
    description="The monthly subsidy report of a canteen, community, street or district: served "
    "meals, subsidy and what elders paid, per canteen and per elder."
)
class CanteenSubsidyReport:
    month: str = strawberry.field(description="YYYY-MM.")
    place_name: str = strawberry.field(description="The canteen's or place's name.")
    canteens: list[CanteenReportLine] = strawberry.field(
        description="Per canteen.", metadata=cost(size=200)
    )
    elders: list[CanteenElderReportLine] = strawberry.field(
        description="Per elder and canteen, by canteen then name.", metadata=cost(size=2000)
    )
    totals: CanteenTally = strawberry.field(description="The whole place.")
    report: strawberry.Private[accounts.Report]
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int | None]
    community_id: strawberry.Private[int | None]

    @strawberry.field(description="The report as an .xlsx workbook (base64 in the response).")
    def xlsx(self) -> CanteenXlsxFile:
        data = xlsx.workbook(self.report, self.place_name)
        return CanteenXlsxFile(
            filename=f"canteen-subsidy-{self.month}.xlsx",
            content_type=xlsx.CONTENT_TYPE,
            base64=base64.b64encode(data).decode(),
            size=len(data),
        )


@strawberry.type(
    description="老年食堂 figures of a place over a period: meals served, elders served, "
    "subsidy paid, satisfaction."
)
class CanteenFigures:
    meals_served: int = strawberry.field(description="Meals served (checked in).")
    dine_in: int = strawberry.field(description="Of which eaten at a canteen.")
    delivered: int = strawberry.field(description="Of which delivered home.")
    elders_served: int = strawberry.field(description="Different elders served.")
    elders_registered: int = strawberry.field(description="Elders registered now.")
    subsidy_paid: Decimal = strawberry.field(description="Subsidy of the served meals, yuan.")
    paid_by_elders: Decimal = strawberry.field(description="What the elders paid, yuan.")
    ratings: int = strawberry.field(description="Served meals the elders rated.")
    satisfaction: float | None = strawberry.field(
        description="Mean rating (1–5) of the rated meals; null without ratings."
    )
    complaints: int = strawberry.field(description="Food-safety complaints made in the period.")


def figures_type(f: Figures) -> CanteenFigures:
    return CanteenFigures(**vars(f))
