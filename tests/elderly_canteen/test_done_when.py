"""The issue's Done-when, through GraphQL: an 82-year-old living alone books lunch before the
cut-off, a second booking is refused, the meal is served and checked in, and the month's
statement shows price, subsidy and balance exactly; where the module is off every canteen field
answers MODULE_DISABLED while the core keeps working; 200 simultaneous bookings for 50 seats
give 50."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date

from strawberry.relay import GlobalID

from core.access.models import Account
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid
from plugins.elderly_canteen.models import Canteen, CanteenStaff, Elder
from tests.access.probes import gid
from tests.elderly_canteen.support import (
    BOOK,
    CHECK_IN,
    CREATE_CANTEEN,
    GRANT,
    PUBLISH,
    REGISTER,
    STATEMENT,
    born_id,
    local,
    new_user,
)
from tests.support.api import codes

_unique = itertools.count()
MEAL_DAY = date(2026, 11, 17)  # a Tuesday
LUNCH = {"starts": "11:30", "ends": "12:30"}


async def xinhong() -> tuple[Community, Compound]:
    gongnong = await District.get(code="gongnong")
    community = await Community.get(district_id=gongnong.id, code="xinhong")
    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    return community, await Compound.filter(grid_id=grid.id).first()


async def open_canteen(client, admin, worker, seats: int = 40) -> tuple[dict, object]:
    """A canteen in 欣虹社区, its operator signed in (granted CANTEEN_STAFF by the district admin)."""
    community, compound = await xinhong()
    n = next(_unique)
    operator_id = await new_user(admin, f"canteen_op_{n}", "刘桂芝", compound.id)
    await admin.data(
        GRANT, {"p": operator_id, "r": "CANTEEN_STAFF", "at": gid("Community", community.id)}
    )
    canteen = (
        await worker.data(
            CREATE_CANTEEN,
            {
                "i": {
                    "placeId": gid("Community", community.id),
                    "code": f"xinhong-{n}",
                    "name": "欣虹社区老年食堂",
                    "operatorId": operator_id,
                    "seats": seats,
                    "deliveryPlaces": 10,
                    "openingDays": [1, 2, 3, 4, 5],
                    "lunch": LUNCH,
                    "deliveryGridIds": [gid("Grid", compound.grid_id)],
                }
            },
        )
    )["createCanteen"]
    return canteen, await client.signed_in(f"canteen_op_{n}")


async def test_an_82_year_old_living_alone_books_eats_and_pays_exactly(api, clock):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    worker = await client.signed_in("xinhong_worker")
    _, compound = await xinhong()
    clock.set(local(date(2026, 11, 16), 15))
    canteen, operator = await open_canteen(client, admin, worker)
    assert canteen["staff"] == ["刘桂芝"] and canteen["lunch"] == LUNCH

    n = next(_unique)
    await new_user(admin, f"elder82_{n}", "王淑珍", compound.id, born=date(1944, 3, 8))
    elder = await client.signed_in(f"elder82_{n}")
    registered = (
        await elder.data(REGISTER, {"i": {"canteenId": canteen["id"], "livingAlone": True}})
    )["registerCanteenElder"]
    assert registered["ageTier"] == "80+" and registered["livingAlone"] is True

    sitting = (
        await operator.data(
            PUBLISH,
            {
                "i": {
                    "canteenId": canteen["id"],
                    "day": MEAL_DAY.isoformat(),
                    "meal": "LUNCH",
                    "price": "15.50",
                    "dishes": [{"name": "清蒸鲈鱼", "allergens": ["鱼"]}, {"name": "小米粥"}],
                }
            },
        )
    )["publishCanteenMenu"]
    assert sitting["price"] == "15.50" and sitting["seatsFree"] == 40
    assert sitting["bookingClosesAt"].startswith("2026-11-17T01:30:00")  # 09:30 in Hegang

    clock.set(local(MEAL_DAY, 9, 10))  # before the district's 09:30 cut-off
    meal = (await elder.data(BOOK, {"s": sitting["id"]}))["bookCanteenMeal"]
    assert meal["status"] == "CONFIRMED" and meal["ageTier"] == "80+"
    # 80+ tier 5.00 + living alone 1.00 (the test config's district defaults)
    assert (meal["price"], meal["subsidy"], meal["pay"]) == ("15.50", "6.00", "9.50")
    assert sorted(meal["subsidyBreakdown"]) == ["flag:living_alone=1.00", "tier:80+=5.00"]

    again = await elder.post(BOOK, {"s": sitting["id"], "m": "DELIVERY"})
    assert codes(again) == ["CONFLICT"]
    assert again["errors"][0]["extensions"]["mealId"] == meal["id"]

    clock.set(local(MEAL_DAY, 9, 40))  # after the cut-off
    n = next(_unique)
    await new_user(admin, f"elder70_{n}", "李建国", compound.id, born=date(1955, 1, 2))
    late = await client.signed_in(f"elder70_{n}")
    await late.data(REGISTER, {"i": {"canteenId": canteen["id"]}})
    refused = await late.post(BOOK, {"s": sitting["id"]})
    assert codes(refused) == ["BAD_USER_INPUT"] and "closedAt" in refused["errors"][0]["extensions"]

    clock.set(local(MEAL_DAY, 11, 45))
    served = (await operator.data(CHECK_IN, {"m": meal["id"]}))["checkInCanteenMeal"]
    assert served["status"] == "CHECKED_IN" and served["servedAt"]
    assert codes(await operator.post(CHECK_IN, {"m": meal["id"]})) == ["BAD_USER_INPUT"]

    statement = (await elder.data(STATEMENT, {"month": "2026-11"}))["canteenElderStatement"]
    assert statement["elder"] == {"name": "王淑珍", "ageTier": "80+", "livingAlone": True}
    assert statement["mealsServed"] == 1
    assert (statement["price"], statement["subsidy"], statement["pay"]) == ("15.50", "6.00", "9.50")
    assert (statement["subsidyCap"], statement["subsidyLeft"]) == ("300.00", "294.00")
    assert statement["lines"] == [
        {
            "day": "2026-11-17",
            "meal": "LUNCH",
            "mode": "DINE_IN",
            "status": "CHECKED_IN",
            "canteenName": "欣虹社区老年食堂",
            "ageTier": "80+",
            "price": "15.50",
            "subsidy": "6.00",
            "pay": "9.50",
        }
    ]


MODULE_FIELDS = """query($d: String!, $c: ID!) {
  district(code: $d) { name canteenFigures(from: "2026-11-01", to: "2026-12-01") { mealsServed } }
  node(id: $c) { id }
  canteenSubsidyReport(placeId: $c, month: "2026-11") { month }
  canteens(placeId: $c) { totalCount }
}"""


async def test_where_the_module_is_off_every_canteen_field_is_disabled_and_core_works(api, clock):
    client = await api()
    city = await client.signed_in("city_admin")
    xingshan = await District.get(code="xingshan")
    community = await Community.filter(district_id=xingshan.id).first()
    grid = await Grid.filter(community_id=community.id).first()
    operator = await Person.create(name="兴山食堂")
    canteen = await Canteen.create(
        code=f"xingshan-{next(_unique)}",
        name="兴山老年食堂",
        grid_id=grid.id,
        operator_id=operator.id,
        seats=20,
        lunch=LUNCH,
        opening_days=[1, 2, 3, 4, 5],
        district_id=xingshan.id,
        street_id=community.street_id,
        community_id=community.id,
    )
    await CanteenStaff.create(canteen_id=canteen.id, person_id=operator.id)

    body = await city.post(MODULE_FIELDS, {"d": "xingshan", "c": gid("Canteen", canteen.id)})
    assert body["data"]["district"] == {"name": "兴山区", "canteenFigures": None}
    assert body["data"]["node"] is None
    assert body["data"]["canteenSubsidyReport"] is None
    assert body["data"]["canteens"] == {"totalCount": 0}
    assert codes(body) == ["MODULE_DISABLED"] * 3
    # Errors come in the order fields finish, which the spec leaves open (it differs by database).
    assert sorted(e["path"] for e in body["errors"]) == [
        ["canteenSubsidyReport"],
        ["district", "canteenFigures"],
        ["node"],
    ]
    assert {e["extensions"]["module"] for e in body["errors"]} == {"elderly_canteen"}

    mutation = await city.post(
        "mutation($c: ID!) { updateCanteen(input: {canteenId: $c, version: 1, seats: 30}) { seats } }",
        {"c": gid("Canteen", canteen.id)},
    )
    assert codes(mutation) == ["MODULE_DISABLED"]
    assert (await Canteen.get(id=canteen.id)).seats == 20, "refused, nothing changed"
    complaint = await city.post(
        'mutation($c: ID!) { reportCanteenFoodSafety(canteenId: $c, description: "饭菜变质") { id } }',
        {"c": gid("Canteen", canteen.id)},
    )
    assert codes(complaint) == ["MODULE_DISABLED"]

    # The core keeps working in that district, and the canteen's data stays for later.
    core = await city.data(
        '{ district(code: "xingshan") { name modules { name enabled } communities(first: 1) { totalCount } } }'
    )
    assert {"name": "elderly_canteen", "enabled": False} in core["district"]["modules"]
    assert core["district"]["communities"]["totalCount"] > 0
    assert await Canteen.exists(id=canteen.id)

    # Switched on by a config change, the same canteen answers again.
    from tests.support.configs import TEST_CONFIG

    on = await api(
        TEST_CONFIG.replace(
            'name = "兴山区"\nmodules = []', 'name = "兴山区"\nmodules = ["elderly_canteen"]'
        )
    )
    city_on = await on.signed_in("city_admin")
    again = await city_on.data(MODULE_FIELDS, {"d": "xingshan", "c": gid("Canteen", canteen.id)})
    assert again["node"] == {"id": gid("Canteen", canteen.id)}
    assert again["canteens"] == {"totalCount": 1}


async def test_two_hundred_simultaneous_bookings_for_fifty_seats_give_fifty(api, clock):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    worker = await client.signed_in("xinhong_worker")
    clock.set(local(date(2026, 11, 16), 15))
    canteen, operator = await open_canteen(client, admin, worker, seats=50)
    sitting = (
        await operator.data(
            PUBLISH,
            {
                "i": {
                    "canteenId": canteen["id"],
                    "day": MEAL_DAY.isoformat(),
                    "meal": "LUNCH",
                    "price": "12.00",
                    "dishes": [{"name": "猪肉酸菜饺子", "allergens": ["麸质"]}],
                }
            },
        )
    )["publishCanteenMenu"]
    community, compound = await xinhong()
    canteen_key = int(GlobalID.from_id(canteen["id"]).node_id)
    n = next(_unique)
    await Person.bulk_create(
        [
            Person(
                name=f"订餐老人{n}-{i}",
                id_number=born_id(date(1950, 1, 1 + i % 28)),
                home_compound_id=compound.id,
                home_grid_id=compound.grid_id,
                home_community_id=community.id,
                home_street_id=community.street_id,
                home_district_id=community.district_id,
            )
            for i in range(200)
        ]
    )
    people = (
        await Person.filter(name__startswith=f"订餐老人{n}-")
        .order_by("id")
        .values_list("id", flat=True)
    )
    await Account.bulk_create(
        [Account(username=f"diner{n}_{p}", password_hash="-", person_id=p) for p in people]
    )
    await Elder.bulk_create(
        [
            Elder(
                person_id=p,
                canteen_id=canteen_key,
                district_id=community.district_id,
                street_id=community.street_id,
                community_id=community.id,
                grid_id=compound.grid_id,
                birth_date=date(1950, 1, 1),
            )
            for p in people
        ]
    )
    accounts = await Account.filter(person_id__in=list(people)).values_list("id", flat=True)
    diners = [client.as_token(client.runtime.tokens.issue(a)[0]) for a in accounts]

    clock.set(local(MEAL_DAY, 8))
    bodies = await asyncio.gather(*(d.post(BOOK, {"s": sitting["id"]}) for d in diners))
    confirmed = [b for b in bodies if not b.get("errors")]
    assert len(confirmed) == 50
    assert all(b["data"]["bookCanteenMeal"]["status"] == "CONFIRMED" for b in confirmed)
    assert sorted(set(c for b in bodies for c in codes(b))) == ["CONFLICT"]
    full = await operator.data(
        'query($c: ID!) { canteens(placeId: $c) { edges { node { sittings(from: "2026-11-17", days: 1) { seatsFree } } } } }',
        {"c": canteen["id"]},
    )
    assert full["canteens"]["edges"][0]["node"]["sittings"] == [{"seatsFree": 0}]
