"""Helpers of the module's tests: fresh workers and keepers, stations, and the outbox relay."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

from shapely.geometry import shape

from core.access.models import Account, RoleGrant
from core.cases.models import CaseEvent
from core.events.broker import Broker
from core.events.relay import OutboxRelay
from core.people.models import Person
from core.regions.models import Community, District, Grid
from tests.cases.test_ladder_api import gid, xinhong_compound
from tests.support.api import Api

_unique = itertools.count()
ALWAYS = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]

CREATE = """mutation($i: CreateWorkerStationInput!) { createWorkerStation(input: $i) {
  id version code name lon lat chargers amenities openNow occupancy freeChargers keeperName
  hours { weekdays opens closes } } }"""
REGISTER = """mutation($i: RegisterGigWorkerInput!) { registerGigWorker(input: $i) {
  id kind platform verified name points } }"""
CHECK_IN = """mutation($s: ID!, $c: Boolean! = false) { checkInAtWorkerStation(stationId: $s, charging: $c) {
  id charging checkedInAt checkedOutAt station { id occupancy freeChargers } } }"""
CHECK_OUT = """mutation { checkOutOfWorkerStation { id checkedOutAt station { occupancy freeChargers } } }"""
SNAP = """mutation($i: SnapReportInput!) { snapReport(input: $i) { created
  case { id version status source } } }"""
LEADERBOARD = """query($d: ID!, $m: String) { gigWorkerLeaderboard(districtId: $d, month: $m) {
  month entries { rank name kind platform verified points confirmedReports solvedProblems isYou } } }"""
MY_REPORTS = """{ myGigWorkerReports(first: 20) { totalCount edges { node {
  id category points confirmedAt solvedAt status case { id status } } } } }"""


async def person_with_login(client: Api, name: str) -> tuple[Api, int]:
    """A new person with an account, and a client signed in as them (a token, no password)."""
    person = await Person.create(name=name)
    account = await Account.create(
        username=f"nes-{uuid.uuid4().hex[:12]}", password_hash="-", person_id=person.id
    )
    token, _ = client.runtime.tokens.issue(account.id)
    return client.as_token(token), person.id


async def district_gid(code: str) -> str:
    return gid("District", (await District.get(code=code)).id)


async def rider(client: Api, name: str = "王小明", district: str = "gongnong",
                kind: str = "RIDER", platform: str = "美团") -> tuple[Api, int, dict]:  # fmt: skip
    """A new person who registered as a worker through the API."""
    signed, person = await person_with_login(client, name)
    registered = await signed.data(
        REGISTER,
        {"i": {"kind": kind, "platform": platform, "districtId": await district_gid(district)}},
    )
    return signed, person, registered["registerGigWorker"]


async def keeper_at(client: Api, community: Community, name: str = "赵站长") -> tuple[Api, int]:
    """A new person holding STATION_KEEPER at the community."""
    signed, person = await person_with_login(client, name)
    await RoleGrant.create(
        person_id=person, role="STATION_KEEPER", level="community",
        district_id=community.district_id, street_id=community.street_id,
        community_id=community.id,
    )  # fmt: skip
    return signed, person


async def xinhong_point(dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    """A point inside 欣虹社区 grid 1 (its centroid, moved by degrees)."""
    centre = shape((await Grid.get(code="xinhong-g1")).boundary).centroid
    return centre.x + dx, centre.y + dy


async def station(worker: Api, *, dx: float = 0.0, dy: float = 0.0, chargers: int = 2,
                  hours: list | None = None, amenities: list[str] | None = None,
                  name: str = "欣虹小哥驿站") -> dict:  # fmt: skip
    """A station in 欣虹社区's first compound near its grid's centre, opened by the community
    worker ``worker``."""
    compound = await xinhong_compound()
    lon, lat = await xinhong_point(dx, dy)
    data = await worker.data(
        CREATE,
        {"i": {"placeId": gid("Compound", compound.id), "code": f"yz-{next(_unique)}",
               "name": name, "lon": lon, "lat": lat, "hours": ALWAYS if hours is None else hours,
               "chargers": chargers,
               "amenities": ["DRINKING_WATER", "REST_SEATS"] if amenities is None else amenities}},
    )  # fmt: skip
    return data["createWorkerStation"]


async def quiet_outbox() -> None:
    """Earlier tests' events count as delivered: the test owns the outbox from here."""
    await CaseEvent.filter(delivered_at=None).update(delivered_at=datetime.now(UTC))


def relay_of(client: Api) -> OutboxRelay:
    """A relay like the server's, reading the switches of this client's config."""
    return OutboxRelay(client.runtime.host, Broker(), activation=lambda: client.runtime.activation)


async def deliver(client: Api) -> int:
    """Deliver every pending case event (as the server's relay would); how many."""
    relay, total = relay_of(client), 0
    while attempted := await relay.run_once():
        total += attempted
    return total


async def snap(reporter: Api, category: str = "road_damage", *, key: str | None = None,
               dx: float = 0.0, dy: float = 0.0, description: str = "路面坑洞") -> dict:  # fmt: skip
    lon, lat = await xinhong_point(dx, dy)
    data = await reporter.data(
        SNAP,
        {"i": {"idempotencyKey": key or str(uuid.uuid4()), "category": category,
               "lon": lon, "lat": lat, "description": description}},
    )  # fmt: skip
    return data["snapReport"]


async def xingshan_point() -> tuple[float, float]:
    """A point inside a grid of 兴山区, where the test config has the module off."""
    xingshan = await District.get(code="xingshan")
    grid = await Grid.filter(district_id=xingshan.id).order_by("id").first()
    assert grid is not None
    centre = shape(grid.boundary).centroid
    return centre.x, centre.y
