"""The canteen module through GraphQL: staff, masked flags, delivery, the monthly cap,
cancelling, no-shows, ratings, reports with their .xlsx export, complaints and figures."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from strawberry.relay import GlobalID

from core.access.models import PersonalDataRead
from core.cases.models import CaseEvent
from core.events.broker import DomainEvent
from plugins.elderly_canteen.models import Complaint, Elder
from tests.access.probes import gid
from tests.elderly_canteen.support import (
    BOOK,
    CANCEL,
    CHECK_IN,
    GRANT,
    PUBLISH,
    REGISTER,
    REPORT,
    STATEMENT,
    local,
    new_user,
)
from tests.elderly_canteen.test_done_when import _unique, open_canteen, xinhong
from tests.support.api import Api, codes

MONDAY = date(2026, 11, 23)
ELDER_FLAGS = """query($e: ID!) { node(id: $e) { ... on CanteenElder { name livingAlone disability
  specialDiet dietNote } } }"""


@dataclass
class Setting:
    client: Api
    admin: Api
    worker: Api
    operator: Api
    canteen: dict
    compound_id: int


async def setting(api, clock, seats: int = 40) -> Setting:
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    worker = await client.signed_in("xinhong_worker")
    _, compound = await xinhong()
    clock.set(local(MONDAY, 8))
    canteen, operator = await open_canteen(client, admin, worker, seats=seats)
    return Setting(client, admin, worker, operator, canteen, compound.id)


async def elder(s: Setting, born: date, **flags) -> tuple[Api, dict]:
    n = next(_unique)
    await new_user(s.admin, f"elder_{n}", f"老人{n}", s.compound_id, born=born)
    signed = await s.client.signed_in(f"elder_{n}")
    data = await signed.data(REGISTER, {"i": {"canteenId": s.canteen["id"], **flags}})
    return signed, data["registerCanteenElder"]


async def menu(s: Setting, day: date, price: str = "12.00", **extra) -> dict:
    data = await s.operator.data(
        PUBLISH,
        {
            "i": {
                "canteenId": s.canteen["id"],
                "day": day.isoformat(),
                "meal": "LUNCH",
                "price": price,
                "dishes": [{"name": "红烧肉", "allergens": []}],
                **extra,
            }
        },
    )
    return data["publishCanteenMenu"]


async def test_only_the_canteens_staff_publish_and_check_in(api, clock):
    s = await setting(api, clock)
    day = MONDAY
    refused = await s.worker.post(
        PUBLISH,
        {
            "i": {
                "canteenId": s.canteen["id"],
                "day": day.isoformat(),
                "meal": "LUNCH",
                "price": "12.00",
                "dishes": [{"name": "饺子"}],
            }
        },
    )
    assert codes(refused) == ["FORBIDDEN"]
    for wrong, argument in (
        ({"price": "12.005"}, "price"),
        ({"meal": "DINNER"}, "meal"),
        ({"day": "2026-11-29"}, "day"),
        ({"day": "2026-11-22"}, "day"),
    ):
        body = await s.operator.post(
            PUBLISH,
            {
                "i": {
                    "canteenId": s.canteen["id"],
                    "day": day.isoformat(),
                    "meal": "LUNCH",
                    "price": "12.00",
                    "dishes": [{"name": "饺子"}],
                    **wrong,
                }
            },
        )
        assert codes(body) == ["BAD_USER_INPUT"], wrong
        assert body["errors"][0]["extensions"]["argument"] == argument
    sitting = await menu(s, day)
    someone, _ = await elder(s, date(1950, 2, 2))
    meal = (await someone.data(BOOK, {"s": sitting["id"]}))["bookCanteenMeal"]
    clock.set(local(day, 11, 10))
    assert codes(await someone.post(CHECK_IN, {"m": meal["id"]})) == ["FORBIDDEN"]
    assert codes(await s.worker.post(CHECK_IN, {"m": meal["id"]})) == ["FORBIDDEN"]
    clock.set(local(day + timedelta(days=1), 11))
    assert codes(await s.operator.post(CHECK_IN, {"m": meal["id"]})) == ["BAD_USER_INPUT"]


async def test_flags_are_shown_to_the_elder_their_canteens_staff_and_grid_worker_only(api, clock):
    s = await setting(api, clock)
    person, registered = await elder(
        s,
        date(1942, 7, 7),
        livingAlone=True,
        disability=True,
        specialDiet=True,
        dietNote="低盐软食",
    )
    full = {"livingAlone": True, "disability": True, "specialDiet": True, "dietNote": "低盐软食"}
    hidden = {"livingAlone": None, "disability": None, "specialDiet": None, "dietNote": None}
    elder_key = int(GlobalID.from_id(registered["id"]).node_id)
    person_id = (await Elder.get(id=elder_key)).person_id
    before = await PersonalDataRead.filter(person_id=person_id).count()

    for viewer, expected in (
        (person, full),
        (s.operator, full),
        (await s.client.signed_in("xinhong_grid1"), full),
        (s.worker, hidden),
        (s.admin, hidden),
    ):
        node = (await viewer.data(ELDER_FLAGS, {"e": registered["id"]}))["node"]
        assert {k: node[k] for k in full} == expected
    reads = (
        await PersonalDataRead.filter(person_id=person_id).order_by("id").values("field", "role")
    )
    assert reads[before:] == [
        {"field": f, "role": role}
        for role in ("CANTEEN_STAFF", "GRID_WORKER")
        for f in (
            "canteen_living_alone",
            "canteen_disability",
            "canteen_special_diet",
            "canteen_diet_note",
        )
    ]
    # The staff of another canteen of the same community see the elder nowhere.
    _, other_operator = await open_canteen(s.client, s.admin, s.worker)
    assert (await other_operator.data(ELDER_FLAGS, {"e": registered["id"]}))["node"] is None
    # A resident is not someone else's business.
    stranger = await s.client.signed_in("resident_xinhong")
    assert (await stranger.data(ELDER_FLAGS, {"e": registered["id"]}))["node"] is None


async def test_registration_needs_60_years_from_the_id_number(api, clock):
    s = await setting(api, clock)
    n = next(_unique)
    await new_user(s.admin, f"young_{n}", "年轻人", s.compound_id, born=date(1970, 1, 1))
    young = await s.client.signed_in(f"young_{n}")
    body = await young.post(REGISTER, {"i": {"canteenId": s.canteen["id"]}})
    assert codes(body) == ["BAD_USER_INPUT"] and body["errors"][0]["extensions"]["minAge"] == 60
    sixty, registered = await elder(s, date(1966, 11, 23))
    assert registered["ageTier"] == "60-69"
    assert codes(await sixty.post(REGISTER, {"i": {"canteenId": s.canteen["id"]}})) == ["CONFLICT"]


async def test_delivery_area_staff_bookings_cancellation_and_no_shows(api, clock):
    s = await setting(api, clock)
    sitting = await menu(s, MONDAY, deliveryPlaces=2)
    assert (sitting["deliveryPlaces"], sitting["deliveryFree"]) == (2, 2)
    homebound, registered = await elder(s, date(1938, 1, 9), disability=True)
    delivered = (
        await s.operator.data(BOOK, {"s": sitting["id"], "m": "DELIVERY", "e": registered["id"]})
    )["bookCanteenMeal"]
    # 80+ 5.00 + disability 1.00, booked by the staff for the elder
    assert (delivered["mode"], delivered["subsidy"], delivered["pay"]) == (
        "DELIVERY",
        "6.00",
        "6.00",
    )
    assert delivered["elderName"] == registered["name"]

    walker, _ = await elder(s, date(1960, 5, 5))
    meal = (await walker.data(BOOK, {"s": sitting["id"]}))["bookCanteenMeal"]
    assert (meal["subsidy"], meal["pay"]) == ("2.00", "10.00")
    cancelled = (await walker.data(CANCEL, {"m": meal["id"]}))["cancelCanteenMeal"]
    assert cancelled["status"] == "CANCELLED"
    rebooked = (await walker.data(BOOK, {"s": sitting["id"]}))["bookCanteenMeal"]
    assert rebooked["id"] == meal["id"] and rebooked["status"] == "CONFIRMED"
    clock.set(local(MONDAY, 10))
    late = await walker.post(CANCEL, {"m": meal["id"]})
    assert codes(late) == ["BAD_USER_INPUT"], "after the cut-off only the staff cancel"

    clock.set(local(MONDAY, 11, 5))
    await s.operator.data(CHECK_IN, {"m": delivered["id"]})
    early = await s.operator.post(
        "mutation($s: ID!) { closeCanteenSitting(sittingId: $s) { noShows } }", {"s": sitting["id"]}
    )
    assert codes(early) == ["BAD_USER_INPUT"]
    clock.set(local(MONDAY, 13))
    closed = await s.operator.data(
        "mutation($s: ID!) { closeCanteenSitting(sittingId: $s) { noShows sitting { closed } } }",
        {"s": sitting["id"]},
    )
    assert closed["closeCanteenSitting"] == {"noShows": 1, "sitting": {"closed": True}}
    statement = (await walker.data(STATEMENT, {"month": "2026-11"}))["canteenElderStatement"]
    assert [line["status"] for line in statement["lines"]] == ["NO_SHOW"]
    assert (statement["mealsServed"], statement["pay"], statement["subsidyLeft"]) == (
        0,
        "0.00",
        "300.00",
    )
    rated = await homebound.data(
        'mutation($m: ID!) { rateCanteenMeal(mealId: $m, rating: 4, comment: "送得及时") { rating } }',
        {"m": delivered["id"]},
    )
    assert rated["rateCanteenMeal"]["rating"] == 4
    again = await homebound.post(
        "mutation($m: ID!) { rateCanteenMeal(mealId: $m, rating: 5) { rating } }",
        {"m": delivered["id"]},
    )
    assert codes(again) == ["CONFLICT"]


async def test_the_monthly_cap_and_the_reports_with_their_xlsx(api, clock):
    s = await setting(api, clock)
    person, registered = await elder(s, date(1940, 1, 1), livingAlone=True)
    served = []
    day = MONDAY
    for offset in range(5):
        current = day + timedelta(days=offset)
        clock.set(local(current, 8))
        sitting = await menu(s, current, price="80.00")
        meal = (await person.data(BOOK, {"s": sitting["id"]}))["bookCanteenMeal"]
        clock.set(local(current, 11, 15))
        await s.operator.data(CHECK_IN, {"m": meal["id"]})
        served.append(meal)
    # 6.00 a day for 5 days = 30.00: well inside the 300.00 cap
    assert {m["subsidy"] for m in served} == {"6.00"}
    statement = (await person.data(STATEMENT, {"month": "2026-11"}))["canteenElderStatement"]
    assert (statement["price"], statement["subsidy"], statement["pay"]) == (
        "400.00",
        "30.00",
        "370.00",
    )

    report = (await s.operator.data(REPORT, {"p": s.canteen["id"], "month": "2026-11"}))[
        "canteenSubsidyReport"
    ]
    assert report["totals"] == {
        "mealsServed": 5,
        "dineIn": 5,
        "delivered": 0,
        "eldersServed": 1,
        "price": "400.00",
        "subsidy": "30.00",
        "pay": "370.00",
    }
    assert report["elders"] == [
        {
            "name": registered["name"],
            "ageTier": "80+",
            "totals": {"mealsServed": 5, "price": "400.00", "subsidy": "30.00", "pay": "370.00"},
        }
    ]
    workbook = load_workbook(io.BytesIO(base64.b64decode(report["xlsx"]["base64"])))
    assert workbook.sheetnames == ["食堂汇总", "老人明细"]
    rows = list(workbook["食堂汇总"].iter_rows(values_only=True))
    assert rows[-1] == ("合计", 5, 5, 0, 1, 400, 30, 370)
    assert report["xlsx"]["contentType"].endswith("spreadsheetml.sheet")
    assert report["xlsx"]["size"] == len(base64.b64decode(report["xlsx"]["base64"]))

    district = await s.admin.data(REPORT, {"p": gid("District", (await xinhong())[0].district_id),
                                           "month": "2026-11"})  # fmt: skip
    totals = district["canteenSubsidyReport"]["totals"]
    assert totals["mealsServed"] >= 5 and totals["subsidy"] >= "30.00"
    assert codes(await person.post(REPORT, {"p": s.canteen["id"], "month": "2026-11"})) == [
        "NOT_FOUND"
    ]

    figures = await s.admin.data(
        'query($c: ID!) { node(id: $c) { ... on Community { canteenFigures(from: "2026-11-01", to: "2026-12-01") { mealsServed dineIn delivered eldersServed subsidyPaid satisfaction } } } }',
        {"c": gid("Community", (await xinhong())[0].id)},
    )
    found = figures["node"]["canteenFigures"]
    assert found["mealsServed"] >= 5 and found["subsidyPaid"] >= "30.00"


async def test_a_small_cap_cuts_the_subsidy_exactly(api, clock):
    from tests.support.configs import TEST_CONFIG

    config = TEST_CONFIG.replace(
        'booking_cutoff = "09:30"', 'booking_cutoff = "09:30"\nmonthly_subsidy_cap = "10.50"'
    )
    client = await api(config)
    admin = await client.signed_in("gongnong_admin")
    worker = await client.signed_in("xinhong_worker")
    _, compound = await xinhong()
    clock.set(local(MONDAY, 8))
    canteen, operator = await open_canteen(client, admin, worker)
    s = Setting(client, admin, worker, operator, canteen, compound.id)
    person, _ = await elder(s, date(1944, 1, 1), livingAlone=True)
    subsidies = []
    for offset in range(3):
        current = MONDAY + timedelta(days=offset)
        clock.set(local(current, 8))
        sitting = await menu(s, current)
        meal = (await person.data(BOOK, {"s": sitting["id"]}))["bookCanteenMeal"]
        subsidies.append((meal["subsidy"], meal["pay"], meal["capped"]))
    assert subsidies == [("6.00", "6.00", False), ("4.50", "7.50", True), ("0.00", "12.00", True)]
    statement = (await person.data(STATEMENT, {"month": "2026-11"}))["canteenElderStatement"]
    assert (statement["bookedSubsidy"], statement["subsidyLeft"]) == ("10.50", "0.00")


async def test_food_safety_complaints_are_cases_routed_to_market_supervision(api, clock):
    s = await setting(api, clock)
    person, _ = await elder(s, date(1948, 4, 4))
    case = (
        await person.data(
            'mutation($c: ID!) { reportCanteenFoodSafety(canteenId: $c, description: "午饭的鱼不新鲜，吃完腹泻") { id version level status category { code name } } }',
            {"c": s.canteen["id"]},
        )
    )["reportCanteenFoodSafety"]
    assert case["category"] == {"code": "canteen_food_safety", "name": "老年食堂食品安全"}
    assert (case["level"], case["status"]) == ("GRID", "REPORTED")
    grid_worker = await s.client.signed_in("xinhong_grid1")
    act = """mutation($i: ActOnCaseInput!) { actOnCase(input: $i) { version level
      departments { lead department { code } } } }"""
    up = (
        await grid_worker.data(
            act, {"i": {"caseId": case["id"], "version": case["version"], "action": "ESCALATE"}}
        )
    )["actOnCase"]
    at_department = (
        await s.worker.data(
            act, {"i": {"caseId": case["id"], "version": up["version"], "action": "ESCALATE"}}
        )
    )["actOnCase"]
    assert at_department["level"] == "DEPARTMENT"
    assert at_department["departments"] == [{"lead": True, "department": {"code": "shichang"}}]

    key = int(GlobalID.from_id(case["id"]).node_id)
    for row in await CaseEvent.filter(case_id=key).order_by("id").values():
        event = DomainEvent(row["id"], row["case_id"], row["district_id"], row["kind"],
                            row["payload"], row["created_at"])  # fmt: skip
        for impl in s.client.runtime.host.manager.hook.on_case_event.get_hookimpls():
            if impl.plugin_name == "elderly_canteen":
                await impl.function(event=event)
    complaint = await Complaint.get(case_id=key)
    assert (complaint.case_level, complaint.case_status) == ("DEPARTMENT", "REPORTED")
    today = datetime.now(UTC).date()  # complaints are dated by the real clock
    figures = await s.admin.data(
        "query($c: ID!, $f: Date!, $t: Date!) { node(id: $c) { ... on Community { canteenFigures(from: $f, to: $t) { complaints } } } }",
        {
            "c": gid("Community", (await xinhong())[0].id),
            "f": (today - timedelta(days=2)).isoformat(),
            "t": (today + timedelta(days=2)).isoformat(),
        },
    )
    assert figures["node"]["canteenFigures"]["complaints"] >= 1


async def test_staff_must_hold_the_role_and_managers_keep_the_list(api, clock):
    s = await setting(api, clock)
    community, _ = await xinhong()
    n = next(_unique)
    helper = await new_user(s.admin, f"helper_{n}", "张帮厨", s.compound_id)
    set_staff = "mutation($c: ID!, $v: Int!, $p: [ID!]!) { setCanteenStaff(canteenId: $c, version: $v, personIds: $p) { version staff } }"
    refused = await s.worker.post(
        set_staff, {"c": s.canteen["id"], "v": s.canteen["version"], "p": [helper]}
    )
    assert codes(refused) == ["BAD_USER_INPUT"], "no CANTEEN_STAFF grant yet"
    await s.admin.data(
        GRANT, {"p": helper, "r": "CANTEEN_STAFF", "at": gid("Community", community.id)}
    )
    assert codes(
        await s.operator.post(
            set_staff, {"c": s.canteen["id"], "v": s.canteen["version"], "p": [helper]}
        )
    ) == ["FORBIDDEN"]
    done = (
        await s.worker.data(
            set_staff, {"c": s.canteen["id"], "v": s.canteen["version"], "p": [helper]}
        )
    )["setCanteenStaff"]
    assert done["staff"] == ["刘桂芝", "张帮厨"]
    stale = await s.worker.post(
        set_staff, {"c": s.canteen["id"], "v": s.canteen["version"], "p": []}
    )
    assert codes(stale) == ["CONFLICT"]
