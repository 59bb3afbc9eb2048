"""The demo 党群服务中心 (one per community) and 党群服务站 (in compounds), 350 in all, with
the catalogue items each offers and the demo people who staff it."""

from __future__ import annotations

from dataclasses import dataclass

from core.demo.services.town import Town, inserted
from core.stations.models import CatalogueItem, ServiceStation, StationService, StationStaff

STATIONS = 350  # the article's number
SECTIONS = ("东区", "西区", "南区", "北区", "中区")  # a large compound has one station per section
CENTRE_HOURS = [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:00"},
                {"weekdays": [6], "opens": "09:00", "closes": "12:00"}]  # fmt: skip
COMPOUND_HOURS = (
    [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "11:30"},
     {"weekdays": [1, 2, 3, 4, 5], "opens": "13:30", "closes": "17:00"}],
    [{"weekdays": [1, 2, 3, 4, 5, 6], "opens": "09:00", "closes": "16:30"}],
    [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "08:00", "closes": "11:30"}],
    [{"weekdays": [2, 4, 6], "opens": "09:00", "closes": "15:00"}],
)  # fmt: skip
EVERY_STATION = (
    "residence_certificate", "elderly_allowance", "senior_card", "pension_certification",
    "medical_insurance_enrolment", "medical_insurance_payment", "insurance_record_printing",
    "dispute_mediation", "volunteer_registration",
)  # fmt: skip
WITHOUT_PROPERTY_COMPANY = (
    "home_repair", "public_facility_repair", "bulky_waste_collection", "heating_service",
    "maintenance_fund", "utility_account_transfer",
)  # fmt: skip
"""The property items a compound station still offers where there is no property company."""


@dataclass
class StationPlan:
    """A station with the codes of the items it offers and its staff, the head first; ``row``
    is the stored row once :func:`create_stations` has inserted it."""

    row: ServiceStation
    items: list[str]
    staff: list[int]


async def create_stations(town: Town, items: dict[str, CatalogueItem]) -> list[StationPlan]:
    """One 党群服务中心 per community and 党群服务站 in compounds, 350 in all."""
    rng, compounds = town.rng, town.regions.compounds
    per_compound = [1] * len(compounds)
    for _ in range(STATIONS - len(town.regions.communities) - len(compounds)):
        room = [i for i, n in enumerate(per_compound) if n < len(SECTIONS)]
        per_compound[rng.choice(room)] += 1
    count_of = {c.id: n for c, n in zip(compounds, per_compound, strict=True)}
    spare = STATIONS - len(town.regions.communities)
    if spare < len(compounds):  # a city has more compounds than stations: some have none
        chosen = {c.id for c in rng.sample(compounds, spare)}
        count_of = {c.id: int(c.id in chosen) for c in compounds}
    property_items = [code for code, item in items.items() if item.category == "PROPERTY_AFFAIRS"]
    other_items = [
        code
        for code, item in items.items()
        if item.category != "PROPERTY_AFFAIRS" and code not in EVERY_STATION
    ]

    plans: list[StationPlan] = []
    for community in town.regions.communities:
        street, district = town.street[community.street_id], town.district[community.district_id]
        people = [p.id for p in town.residents[community.id] if p.id not in town.signed]
        staff = rng.sample(people, rng.randint(2, 3))
        if community.id == town.pinned.id:
            staff.insert(0, town.logins["xinhong_worker"])
        plans.append(StationPlan(ServiceStation(
            **town.place(community), code=f"{community.code}-centre",
            name=f"{community.name}党群服务中心",
            address=f"{district.name}{street.name}{community.name}居委会办公楼一楼",
            phone=f"0468-{rng.choice('3456')}{rng.randrange(10**6):06d}",
            lon=community.centre_lon, lat=community.centre_lat, hours=CENTRE_HOURS,
        ), list(items), staff[:3]))  # fmt: skip
        for compound in town.compounds[community.id]:
            if not count_of[compound.id]:
                continue
            [(west, south), _, (east, north), *_] = compound.boundary["coordinates"][0]
            offered = [*EVERY_STATION, *rng.sample(other_items, rng.randint(3, 8))]
            if compound.has_property_management:
                offered += property_items
            else:
                offered += WITHOUT_PROPERTY_COMPANY
            count = count_of[compound.id]
            for number in range(1, count + 1):
                section = SECTIONS[number - 1] if count > 1 else ""
                plans.append(StationPlan(ServiceStation(
                    **town.place(community), code=f"{compound.code}-s{number}",
                    name=f"{compound.name}{section}党群服务站", compound_id=compound.id,
                    address=f"{compound.name}{rng.randint(1, 18)}号楼{rng.randint(1, 4)}单元一楼",
                    phone=f"0468-{rng.choice('3456')}{rng.randrange(10**6):06d}",
                    lon=round(rng.uniform(west, east), 6), lat=round(rng.uniform(south, north), 6),
                    hours=rng.choice(COMPOUND_HOURS),
                ), offered, rng.sample(people, rng.randint(1, 2))))  # fmt: skip

    assert len(plans) == STATIONS, f"{len(plans)} stations for {len(compounds)} compounds"
    rows = await inserted(ServiceStation, [plan.row for plan in plans])
    services, staff_rows = [], []
    for plan, row in zip(plans, rows, strict=True):
        plan.row = row
        services += [
            StationService(station_id=row.id, item_id=items[code].id) for code in plan.items
        ]
        for index, person_id in enumerate(plan.staff):
            title = _staff_title(row, index, town)
            staff_rows.append(StationStaff(station_id=row.id, person_id=person_id, title=title))
    await StationService.bulk_create(services, batch_size=1000)
    await StationStaff.bulk_create(staff_rows, batch_size=500)
    return plans


def _staff_title(station: ServiceStation, index: int, town: Town) -> str:
    if station.compound_id is None:
        return "站长" if index == 0 else "社区工作者"
    managed = next(c for c in town.compounds[station.community_id] if c.id == station.compound_id)
    if index == 0:
        return "物业服务专员" if managed.has_property_management else "红管家"
    return "网格员"
