"""Helpers of the volunteer tests: places, volunteer logins, teams and work-order queries."""

from __future__ import annotations

import itertools
from typing import Any

from strawberry.relay import GlobalID

from core.access.models import Account
from core.access.passwords import hash_password
from core.demo.people import DEMO_PASSWORD
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid
from tests.support.api import Api
from tests.volunteers.probes import multipart

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 120
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 150

ORDER_FIELDS = """id version kind title source status address allowedActions
  completionNote cancelReason satisfied feedback topicId
  compound { id } community { name } team { id name } requester { id } completedBy { id }
  case { id } photos { id stage url contentType size }"""
TEAM_FIELDS = """id version name kind skills active leaderName leader { id }
  community { id } members { name skills person { id } } compounds { id }
  pioneerPosts { id title }"""
REQUEST = (
    f"""mutation($i: RequestRepairInput!) {{ requestRepair(input: $i) {{ {ORDER_FIELDS} }} }}"""
)
CREATE_ORDER = (
    f"""mutation($i: CreateWorkOrderInput!) {{ createWorkOrder(input: $i) {{ {ORDER_FIELDS} }} }}"""
)
ASSIGN = f"""mutation($o: ID!, $v: Int!, $t: ID!) {{ assignWorkOrder(workOrderId: $o,
  version: $v, teamId: $t) {{ {ORDER_FIELDS} }} }}"""
ADD_PHOTOS = f"""mutation($o: ID!, $s: WorkOrderPhotoStage!, $p: [Upload!]!) {{
  addWorkOrderPhotos(workOrderId: $o, stage: $s, photos: $p) {{ {ORDER_FIELDS} }} }}"""
COMPLETE = f"""mutation($o: ID!, $v: Int!, $n: String!, $b: [Upload!], $a: [Upload!]) {{
  completeWorkOrder(workOrderId: $o, version: $v, note: $n, beforePhotos: $b,
  afterPhotos: $a) {{ {ORDER_FIELDS} }} }}"""
CONFIRM = f"""mutation($o: ID!, $v: Int!, $s: Boolean!, $f: String!) {{ confirmWorkOrder(
  workOrderId: $o, version: $v, satisfied: $s, feedback: $f) {{ {ORDER_FIELDS} }} }}"""
CANCEL = f"""mutation($o: ID!, $v: Int!, $r: String!) {{ cancelWorkOrder(workOrderId: $o,
  version: $v, reason: $r) {{ {ORDER_FIELDS} }} }}"""
ORDER = f"""query($id: ID!) {{ node(id: $id) {{ ... on WorkOrder {{ {ORDER_FIELDS} }} }} }}"""
ORDERS = """query($s: WorkOrderStatus, $t: ID) { workOrders(status: $s, teamId: $t, first: 100) {
  totalCount edges { node { id } } } }"""
CREATE_TEAM = f"""mutation($i: CreateVolunteerTeamInput!) {{ createVolunteerTeam(input: $i) {{
  {TEAM_FIELDS} }} }}"""

_unique = itertools.count()


def gid(type_name: str, key: int) -> str:
    return str(GlobalID(type_name, str(key)))


async def grid(code: str, district: str = "gongnong") -> Grid:
    found = await District.get(code=district)
    return await Grid.get(district_id=found.id, code=code)


async def compound_in(code: str, district: str = "gongnong") -> Compound:
    return await Compound.filter(grid_id=(await grid(code, district)).id).order_by("id").first()


async def xinhong() -> Community:
    return await Community.get(id=(await grid("xinhong-g1")).community_id)


async def volunteer_login(client: Api, grid_code: str = "xinhong-g2") -> tuple[Api, str]:
    """A new resident of the grid with a login (a volunteer to be), and their Person id."""
    home = await compound_in(grid_code)
    person = await Person.create(
        name="志愿者老王",
        home_compound_id=home.id,
        home_grid_id=home.grid_id,
        home_community_id=home.community_id,
        home_street_id=home.street_id,
        home_district_id=home.district_id,
    )
    username = f"volunteer_{next(_unique)}_{person.id}"
    await Account.create(
        username=username, password_hash=hash_password(DEMO_PASSWORD), person_id=person.id
    )
    return await client.signed_in(username), gid("Person", person.id)


async def create_team(manager: Api, leader: str | None = None, **extra: Any) -> dict[str, Any]:
    data = await manager.data(
        CREATE_TEAM,
        {
            "i": {
                "communityId": gid("Community", (await xinhong()).id),
                "name": f"欣虹银发志愿服务队{next(_unique)}",
                "skills": ["水电维修", "助老陪护"],
                "leaderId": leader,
                **extra,
            }
        },
    )
    return data["createVolunteerTeam"]


async def request_repair(resident: Api, **extra: Any) -> dict[str, Any]:
    data = await resident.data(
        REQUEST, {"i": {"kind": "WATER_REPAIR", "title": "厨房水管漏水", **extra}}
    )
    return data["requestRepair"]


async def assign(staff: Api, order: dict[str, Any], team: dict[str, Any]) -> dict[str, Any]:
    data = await staff.data(ASSIGN, {"o": order["id"], "v": order["version"], "t": team["id"]})
    return data["assignWorkOrder"]


async def complete(
    member: Api,
    order: dict[str, Any],
    before: list[bytes] | None = None,
    after: list[bytes] | None = None,
    version: int | None = None,
    note: str = "更换了阀门",
) -> dict[str, Any]:
    """The full response of completeWorkOrder with these uploads."""
    files = {f"variables.b.{i}": data for i, data in enumerate(before or [])}
    files |= {f"variables.a.{i}": data for i, data in enumerate(after or [])}
    variables = {
        "o": order["id"],
        "v": order["version"] if version is None else version,
        "n": note,
        "b": [None] * len(before or []),
        "a": [None] * len(after or []),
    }
    return await multipart(member, COMPLETE, variables, files)


async def add_photos(member: Api, order: dict[str, Any], stage: str, *photos: bytes) -> dict:
    files = {f"variables.p.{i}": data for i, data in enumerate(photos)}
    variables = {"o": order["id"], "s": stage, "p": [None] * len(photos)}
    return await multipart(member, ADD_PHOTOS, variables, files)


async def listed(client: Api, **variables: Any) -> list[str]:
    data = await client.data(ORDERS, variables)
    return [e["node"]["id"] for e in data["workOrders"]["edges"]]


def code(body: dict[str, Any]) -> str:
    assert body.get("errors"), body
    return str(body["errors"][0]["extensions"]["code"])
