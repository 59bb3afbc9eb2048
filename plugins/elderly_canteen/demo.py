"""Demo data: a canteen in every community where the module is on, elders registered with it,
a week of lunch menus ahead and two weeks of lunches served, so statements, reports and figures
have something to show. 欣虹社区's canteen has a login, ``xinhong_canteen`` (CANTEEN_STAFF)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise.expressions import F

from core import Booking, DemoContext, Grant, Grid, Offering, Person, Place, Slot
from plugins.elderly_canteen.models import Canteen, CanteenStaff, Elder, Meal, Sitting
from plugins.elderly_canteen.money import age_tier, subsidy_for, total
from plugins.elderly_canteen.places import NAME
from plugins.elderly_canteen.rules import STAFF_ROLE
from plugins.elderly_canteen.settings import CanteenSettings
from plugins.elderly_canteen.sittings import MEAL_NAMES, OWNER
from plugins.elderly_canteen.timing import at, cutoff_minutes, local_day, month_of

ELDERS_PER_CANTEEN = 8
DISHES = (
    (
        {"name": "红烧肉炖土豆", "allergens": []},
        {"name": "清炒油菜", "allergens": []},
        {"name": "小米粥", "allergens": []},
    ),
    (
        {"name": "清蒸鲈鱼", "allergens": ["鱼"]},
        {"name": "西红柿炒鸡蛋", "allergens": ["蛋"]},
        {"name": "二米饭", "allergens": []},
    ),
    (
        {"name": "猪肉酸菜饺子", "allergens": ["麸质"]},
        {"name": "凉拌黄瓜", "allergens": []},
        {"name": "豆浆", "allergens": ["大豆"]},
    ),
)
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("桂兰", "淑珍", "玉兰", "建国", "秀英", "德福", "凤芝", "振华")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
REGION = {
    "xiangyang": "230402",
    "gongnong": "230403",
    "nanshan": "230404",
    "xingan": "230405",
    "dongshan": "230406",
    "xingshan": "230407",
    "luobei": "230421",
    "suibin": "230422",
}


def _id_number(region: str, born: date, serial: int) -> str:
    body = f"{region}{born:%Y%m%d}{serial:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


async def load(demo: DemoContext) -> None:
    zone = demo.activation.config.city.time_zone
    today = local_day(datetime.now(UTC), zone)
    rng = demo.random
    codes = {d.id: d.code for d in demo.districts}
    street_codes = {s.id: s.code for s in demo.streets}
    for community in demo.communities:
        place = Place(
            codes[community.district_id], street_codes.get(community.street_id), community.code
        )
        if not demo.activation.state(NAME, place).enabled:
            continue
        found = demo.activation.settings(NAME, place)
        settings = found if isinstance(found, CanteenSettings) else CanteenSettings()
        grids = [g for g in demo.grids if g.community_id == community.id]
        if not grids:
            continue
        operator = await Person.create(name=rng.choice(SURNAMES) + rng.choice(GIVEN))
        await demo.grant_role(
            operator.id,
            Grant(
                STAFF_ROLE,
                "community",
                district_id=community.district_id,
                street_id=community.street_id,
                community_id=community.id,
            ),
        )
        if community.code == "xinhong":
            await demo.add_login("xinhong_canteen", operator.id)
        places: dict[str, Any] = {
            "district_id": community.district_id,
            "street_id": community.street_id,
            "community_id": community.id,
        }
        canteen = await Canteen.create(
            code=f"{community.code}-canteen",
            name=f"{community.name}老年食堂",
            address=f"{community.name}活动中心一楼",
            phone="0468-3" + f"{rng.randrange(10**6):06d}",
            grid_id=grids[0].id,
            operator_id=operator.id,
            seats=40,
            delivery_places=10,
            opening_days=[1, 2, 3, 4, 5, 6],
            lunch={"starts": "11:00", "ends": "12:30"},
            dinner={"starts": "17:00", "ends": "18:00"},
            delivery_grid_ids=[g.id for g in grids],
            delivery_note=f"{community.name}全域",
            **places,
        )
        await CanteenStaff.create(canteen_id=canteen.id, person_id=operator.id)
        elders = await _elders(demo, canteen, grids, codes[community.district_id], today)
        used: dict[tuple[int, str], list[Decimal]] = {}
        for offset in range(-14, 8):
            day = today + timedelta(days=offset)
            if day.isoweekday() not in canteen.opening_days:
                continue
            sitting = await _sitting(canteen, day, zone, settings, offset, operator.id)
            if offset < 0:
                await _served(sitting, elders, settings, rng, used)


async def _elders(
    demo: DemoContext, canteen: Canteen, grids: list[Grid], district: str, today: date
) -> list[Elder]:
    rng = demo.random
    made = []
    for i in range(ELDERS_PER_CANTEEN):
        grid = grids[i % len(grids)]
        born = date(1936 + rng.randrange(0, 29), rng.randrange(1, 13), rng.randrange(1, 29))
        serial = 500 + canteen.id * 10 + i
        number = _id_number(REGION.get(district, "230400"), born, serial % 1000)
        while await Person.exists(id_number=number):  # a city demo has many more people
            serial += 1
            number = _id_number(REGION.get(district, "230400"), born, serial % 1000)
        person = await Person.create(
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            id_number=number,
            home_grid_id=grid.id,
            home_community_id=grid.community_id,
            home_street_id=grid.street_id,
            home_district_id=grid.district_id,
        )
        made.append(
            await Elder.create(
                person_id=person.id,
                canteen_id=canteen.id,
                district_id=canteen.district_id,
                street_id=canteen.street_id,
                community_id=canteen.community_id,
                grid_id=grid.id,
                birth_date=born,
                living_alone=rng.random() < 0.3,
                disability=rng.random() < 0.15,
                special_diet=rng.random() < 0.2,
            )
        )
    return [e for e in made if age_tier_ok(e.birth_date, today)]


def age_tier_ok(birth: date, today: date) -> bool:
    try:
        age_tier(birth, today)
        return True
    except ValueError:
        return False


async def _sitting(
    canteen: Canteen, day: date, zone: str, settings: CanteenSettings, offset: int, by: int
) -> Sitting:
    starts, ends = at(day, "11:00", zone), at(day, "12:30", zone)
    offering = await Offering.create(
        owner=OWNER,
        kind="lunch",
        title=f"{canteen.name} {day.isoformat()} {MEAL_NAMES['LUNCH']}",
        district_id=canteen.district_id,
        street_id=canteen.street_id,
        community_id=canteen.community_id,
        waitlist=False,
        per_person_limit=1,
        cutoff_minutes=cutoff_minutes(starts, day, settings.booking_cutoff, zone),
    )
    dine_in = await Slot.create(
        offering_id=offering.id, starts_at=starts, ends_at=ends, capacity=canteen.seats
    )
    delivery = await Slot.create(
        offering_id=offering.id, starts_at=starts, ends_at=ends, capacity=canteen.delivery_places
    )
    return await Sitting.create(
        canteen_id=canteen.id,
        day=day,
        meal="LUNCH",
        starts_at=starts,
        ends_at=ends,
        price=Decimal("12.00"),
        dishes=list(DISHES[offset % len(DISHES)]),
        offering_id=offering.id,
        dine_in_slot_id=dine_in.id,
        delivery_slot_id=delivery.id,
        published_by_id=by,
        closed=offset < 0,
        district_id=canteen.district_id,
        street_id=canteen.street_id,
        community_id=canteen.community_id,
    )


async def _served(
    sitting: Sitting,
    elders: list[Elder],
    settings: CanteenSettings,
    rng: Any,
    used: dict[tuple[int, str], list[Decimal]],
) -> None:
    """Lunches served to about two elders in three (subsidies within each month's cap)."""
    month = month_of(sitting.day)
    for elder in elders:
        if rng.random() < 0.35:
            continue
        mode = "DELIVERY" if elder.living_alone and rng.random() < 0.5 else "DINE_IN"
        slot_id = sitting.delivery_slot_id if mode == "DELIVERY" else sitting.dine_in_slot_id
        assert slot_id is not None
        booking = await Booking.create(
            slot_id=slot_id,
            person_id=elder.person_id,
            offering_id=sitting.offering_id,
            status="CHECKED_IN",
        )
        await Slot.filter(id=slot_id).update(confirmed=F("confirmed") + 1)
        tier = age_tier(elder.birth_date, sitting.day)
        flags = {
            "living_alone": elder.living_alone,
            "disability": elder.disability,
            "special_diet": elder.special_diet,
        }
        spent = used.setdefault((elder.id, month), [])
        money = subsidy_for(settings, sitting.price, tier, flags, total(spent))
        spent.append(money.subsidy)
        await Meal.create(
            sitting_id=sitting.id,
            elder_id=elder.id,
            canteen_id=sitting.canteen_id,
            person_id=elder.person_id,
            booking_id=booking.id,
            booked_by_id=elder.person_id,
            mode=mode,
            day=sitting.day,
            month=month,
            meal="LUNCH",
            age_tier=tier,
            price=money.price,
            subsidy=money.subsidy,
            pay=money.pay,
            subsidy_parts={**money.parts, "capped": money.capped},
            served_at=sitting.starts_at + timedelta(minutes=15),
            rating=rng.choice((None, 4, 5, 5, 3)),
            district_id=sitting.district_id,
            street_id=sitting.street_id,
            community_id=sitting.community_id,
        )
