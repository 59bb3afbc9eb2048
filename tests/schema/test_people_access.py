"""Who sees which people, masked how; creating users and granting roles within one's scope;
and the audit log."""

from __future__ import annotations

import logging

from strawberry.relay import GlobalID
from tortoise.expressions import Q

from core.access.models import Account, AuditRecord, PersonalDataRead, RoleGrant, SecurityEvent
from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid
from tests.support.configs import with_limits

PEOPLE = """query($after: String) { people(first: 100, after: $after) { totalCount
  pageInfo { hasNextPage endCursor } edges { node { id name phone idNumber } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Person { name phone idNumber } } }"


def gid(type_name: str, key: int) -> str:
    return str(GlobalID(type_name, str(key)))


async def person_of(username: str) -> int:
    return (await Account.get(username=username)).person_id


async def all_people(client) -> list[dict]:
    found, after = [], None
    while True:
        page = (await client.data(PEOPLE, {"after": after}))["people"]
        found += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            assert len(found) == page["totalCount"]
            return found
        after = page["pageInfo"]["endCursor"]


async def test_people_lists_are_scoped_before_paging(api):
    client = await api()
    gongnong = await District.get(code="gongnong")
    admin = await client.signed_in("gongnong_admin")
    seen = await all_people(admin)
    expected = await Person.filter(
        Q(home_district_id=gongnong.id) | Q(id=await person_of("gongnong_admin"))
    ).count()
    assert expected > 1 and len(seen) == expected, "the district's residents and oneself"

    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    worker = await client.signed_in("xinhong_grid1")
    in_grid = Q(home_grid_id=grid.id) | Q(id=await person_of("xinhong_grid1"))
    assert len(await all_people(worker)) == await Person.filter(in_grid).count()

    city = await client.signed_in("city_admin")
    assert (await city.data(PEOPLE))["people"]["totalCount"] == await Person.all().count()

    resident = await client.signed_in("resident_xinhong")
    mine = await all_people(resident)
    assert len(mine) == 1

    officer = await client.signed_in("zhujian_officer")
    assert len(await all_people(officer)) == 1, "a department officer sees only themself"

    error = await client.error(PEOPLE)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_out_of_scope_person_is_indistinguishable_from_a_made_up_id(api):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    nanshan = await District.get(code="nanshan")
    stranger = await Person.filter(home_district_id=nanshan.id).first()
    made_up = gid("Person", 987654321)
    real = await admin.post(NODE, {"id": gid("Person", stranger.id)})
    fake = await admin.post(NODE, {"id": made_up})
    assert real == fake == {"data": {"node": None}}
    nodes = await admin.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("Person", stranger.id), made_up]},
    )
    assert nodes == {"data": {"nodes": [None, None]}}


async def test_masks_by_role_and_unmasked_reads_are_recorded(api):
    client = await api()
    gongnong = await District.get(code="gongnong")
    grid = await Grid.get(district_id=gongnong.id, code="xinhong-g1")
    person = await Person.filter(home_grid_id=grid.id).exclude(phone=None).first()
    variables = {"id": gid("Person", person.id)}

    admin = await client.signed_in("gongnong_admin")
    masked = (await admin.data(NODE, variables))["node"]
    assert masked["idNumber"] == person.id_number[:6] + "*" * 11 + person.id_number[-1]
    assert masked["phone"] == person.phone[:3] + "****" + person.phone[-4:]

    community_worker = await client.signed_in("xinhong_worker")
    by_worker = (await community_worker.data(NODE, variables))["node"]
    assert by_worker["phone"] == person.phone and by_worker["idNumber"] != person.id_number

    before = await PersonalDataRead.filter(person_id=person.id).count()
    grid_worker = await client.signed_in("xinhong_grid1")
    full = (await grid_worker.data(NODE, variables))["node"]
    assert (full["phone"], full["idNumber"]) == (person.phone, person.id_number)
    reads = (
        await PersonalDataRead.filter(person_id=person.id).order_by("id").values("field", "role")
    )
    assert reads[before:] == [
        {"field": "phone", "role": "GRID_WORKER"},
        {"field": "id_number", "role": "GRID_WORKER"},
    ]


async def test_a_resident_sees_their_own_numbers_unmasked_without_a_record(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    person = await Person.get(id=await person_of("resident_xinhong"))
    before = await PersonalDataRead.filter(person_id=person.id).count()
    me = (await resident.data("{ me { person { id phone idNumber } } }"))["me"]["person"]
    assert me["id"] == gid("Person", person.id)
    assert (me["phone"], me["idNumber"]) == (person.phone, person.id_number)
    assert await PersonalDataRead.filter(person_id=person.id).count() == before


CREATE = """mutation($input: CreateUserInput!) { createUser(input: $input) { id name phone idNumber } }"""


async def compound_in(code: str) -> Compound:
    district = await District.get(code=code)
    return await Compound.filter(district_id=district.id).first()


async def test_district_admin_creates_users_only_in_its_district(api):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    inside = await compound_in("gongnong")
    created = await admin.data(
        CREATE,
        {
            "input": {
                "username": "new_resident_1",
                "password": "long-enough-1",
                "name": "新居民",
                "phone": "13912345678",
                "idNumber": "23040319800101123" + _check("23040319800101123"),
                "homeCompoundId": gid("Compound", inside.id),
            }
        },
    )
    person = created["createUser"]
    assert person["name"] == "新居民" and person["phone"] == "139****5678"
    record = await AuditRecord.filter(action="createUser").order_by("-id").first()
    assert (record.role, record.target) == ("DISTRICT_ADMIN", person["id"])
    assert record.summary == {"fields": ["homeCompound", "idNumber", "phone"]}
    assert "13912345678" not in str(record.summary) and "新居民" not in str(record.summary)

    outside = await compound_in("nanshan")
    before = await Person.all().count()
    refused = await admin.error(
        CREATE,
        {
            "input": {
                "username": "new_resident_2",
                "password": "long-enough-1",
                "name": "外区",
                "homeCompoundId": gid("Compound", outside.id),
            }
        },
    )
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert await Person.all().count() == before, "nothing half-written"
    event = await SecurityEvent.filter(action="createUser").order_by("-id").first()
    assert event.code == "FORBIDDEN"


def _check(body: str) -> str:
    from core.people.validation import id_check_character

    return id_check_character(body)


async def test_create_user_input_errors(api):
    client = await api()
    admin = await client.signed_in("city_admin")
    base = {"username": "x_user", "password": "long-enough-1", "name": "某人"}
    bad_id = await admin.error(CREATE, {"input": {**base, "idNumber": "230403198001011230"}})
    assert bad_id["extensions"] == {"code": "BAD_USER_INPUT", "argument": "idNumber"}
    assert "230403198001011230" not in bad_id["message"]
    short = await admin.error(CREATE, {"input": {**base, "password": "short"}})
    assert short["extensions"]["argument"] == "password"
    taken = await admin.error(CREATE, {"input": {**base, "username": "gongnong_admin"}})
    assert taken["extensions"]["code"] == "CONFLICT"
    resident = await client.signed_in("resident_xinhong")
    assert (await resident.error(CREATE, {"input": base}))["extensions"]["code"] == "FORBIDDEN"


GRANT = """mutation($p: ID!, $r: String!, $at: ID) { grantRole(personId: $p, role: $r, placeId: $at) {
  id role level placeId } }"""
REVOKE = "mutation($g: ID!) { revokeRole(grantId: $g) }"


async def test_grants_stay_inside_the_granters_scope(api):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    gongnong, nanshan = await District.get(code="gongnong"), await District.get(code="nanshan")
    person = await Person.filter(home_district_id=gongnong.id).first()
    own_grid = await Grid.filter(district_id=gongnong.id).first()
    other_grid = await Grid.filter(district_id=nanshan.id).first()
    granted = await admin.data(
        GRANT, {"p": gid("Person", person.id), "r": "GRID_WORKER", "at": gid("Grid", own_grid.id)}
    )
    grant = granted["grantRole"]
    assert (grant["role"], grant["level"], grant["placeId"]) == (
        "GRID_WORKER",
        "grid",
        gid("Grid", own_grid.id),
    )

    for role, place in (
        ("GRID_WORKER", gid("Grid", other_grid.id)),
        ("CITY_ADMIN", None),
        ("DISTRICT_ADMIN", gid("District", nanshan.id)),
    ):
        error = await admin.error(GRANT, {"p": gid("Person", person.id), "r": role, "at": place})
        assert error["extensions"]["code"] == "FORBIDDEN", role
    wrong_level = await admin.error(
        GRANT,
        {
            "p": gid("Person", person.id),
            "r": "GRID_WORKER",
            "at": gid("Community", (await Community.filter(district_id=gongnong.id).first()).id),
        },
    )
    assert wrong_level["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = await admin.error(GRANT, {"p": gid("Person", person.id), "r": "EMPEROR", "at": None})
    assert (
        unknown["extensions"]["code"] == "BAD_USER_INPUT"
        and "GRID_WORKER" in unknown["extensions"]["known"]
    )

    revoked = await admin.data(REVOKE, {"g": grant["id"]})
    assert revoked == {"revokeRole": grant["id"]}
    assert not await RoleGrant.filter(id=int(GlobalID.from_id(grant["id"]).node_id)).exists()
    nanshan_grant = await RoleGrant.filter(district_id=nanshan.id).first()
    refused = await admin.error(REVOKE, {"g": gid("RoleGrant", nanshan_grant.id)})
    assert refused["extensions"]["code"] == "FORBIDDEN"


AUDIT = "{ auditRecords(first: 100) { totalCount edges { node { action role scope target summary } } } }"


async def test_audit_log_is_scoped_to_the_admins_district(api):
    client = await api()
    gongnong = await District.get(code="gongnong")
    admin = await client.signed_in("gongnong_admin")
    person = await Person.filter(home_district_id=gongnong.id).first()
    grid = await Grid.filter(district_id=gongnong.id).first()
    await admin.data(
        GRANT, {"p": gid("Person", person.id), "r": "GRID_WORKER", "at": gid("Grid", grid.id)}
    )
    mine = (await admin.data(AUDIT))["auditRecords"]
    assert mine["totalCount"] == await AuditRecord.filter(district_id=gongnong.id).count()
    assert mine["edges"][0]["node"]["action"] == "grantRole"
    city = (await (await client.signed_in("city_admin")).data(AUDIT))["auditRecords"]
    assert city["totalCount"] == await AuditRecord.all().count() > mine["totalCount"]
    worker = await client.signed_in("xinhong_grid1")
    assert (await worker.error(AUDIT))["extensions"]["code"] == "FORBIDDEN"
    nanshan_admin = await client.signed_in("nanshan_admin")
    theirs = (await nanshan_admin.data(AUDIT))["auditRecords"]["edges"]
    assert all(e["node"]["target"] != mine["edges"][0]["node"]["target"] for e in theirs)


async def test_no_id_or_phone_number_reaches_the_logs(api, caplog):
    numbers = [v for p in await Person.all().values("phone", "id_number") for v in p.values() if v]
    with caplog.at_level(logging.INFO):
        client = await api()
        for user in ("city_admin", "gongnong_admin", "xinhong_grid1", "resident_xinhong"):
            signed = await client.signed_in(user)
            await all_people(signed)
        city = await client.signed_in("city_admin")
        taken = await city.error(
            CREATE,
            {
                "input": {
                    "username": "dup_id",
                    "password": "long-enough-1",
                    "name": "n",
                    "idNumber": numbers[1],
                }
            },
        )
        assert taken["extensions"]["code"] == "CONFLICT"
        assert numbers[1] not in str(taken)
    assert caplog.records, "the flows above log"
    assert not [n for n in numbers if n in caplog.text]


async def test_plugin_roles_are_granted_at_their_declared_level(api):
    client = await api()
    admin = await client.signed_in("gongnong_admin")
    gongnong = await District.get(code="gongnong")
    person = await Person.filter(home_district_id=gongnong.id).first()
    community = await Community.filter(district_id=gongnong.id).first()
    granted = await admin.data(
        GRANT,
        {"p": gid("Person", person.id), "r": "KERNEL_TESTER", "at": gid("Community", community.id)},
    )
    assert (granted["grantRole"]["role"], granted["grantRole"]["level"]) == (
        "KERNEL_TESTER",
        "community",
    )
    grid = await Grid.filter(community_id=community.id).first()
    wrong = await admin.error(
        GRANT, {"p": gid("Person", person.id), "r": "KERNEL_TESTER", "at": gid("Grid", grid.id)}
    )
    assert wrong["extensions"]["code"] == "BAD_USER_INPUT"
    assert "community level" in wrong["message"]
    await admin.data(REVOKE, {"g": granted["grantRole"]["id"]})


POSTS = """query($code: String!) { district(code: $code) { communities(first: 100) { edges { node {
  compounds(first: 100) { edges { node { pioneerPosts { title holder { name } } } } } } } } } }"""


def posts_of(data: dict) -> list[dict]:
    return [
        post
        for c in data["district"]["communities"]["edges"]
        for p in c["node"]["compounds"]["edges"]
        for post in p["node"]["pioneerPosts"]
    ]


async def test_pioneer_posts_are_public_but_their_holders_follow_scope(api):
    # 100 communities × 100 compounds × their posts: above the default cost limit on purpose.
    client = await api(with_limits(max_cost=1_000_000))
    anonymous = posts_of(await client.data(POSTS, {"code": "gongnong"}))
    assert anonymous and {p["title"] for p in anonymous} == {"红管家"}
    assert all(p["holder"] is None for p in anonymous)
    admin = await client.signed_in("gongnong_admin")
    assert all(p["holder"]["name"] for p in posts_of(await admin.data(POSTS, {"code": "gongnong"})))
    assert all(p["holder"] is None for p in posts_of(await admin.data(POSTS, {"code": "nanshan"})))


async def test_a_cadre_is_created_with_a_department_and_sunk_into_two_grids(api):
    from core.people.models import Department

    client = await api()
    city = await client.signed_in("city_admin")
    zhujian = await Department.get(code="zhujian")
    cadre = (
        await city.data(
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id department { name } } }",
            {
                "i": {
                    "username": "cadre_zhujian_1",
                    "password": "long-enough-1",
                    "name": "下沉干部",
                    "departmentId": gid("Department", zhujian.id),
                }
            },
        )
    )["createUser"]
    assert cadre["department"] == {"name": "住建局"}
    gongnong = await District.get(code="gongnong")
    for grid in await Grid.filter(district_id=gongnong.id).limit(2):
        await city.data(GRANT, {"p": cadre["id"], "r": "GRID_WORKER", "at": gid("Grid", grid.id)})
    me = await (await client.signed_in("cadre_zhujian_1", "long-enough-1")).data(
        "{ me { grants { role level } person { department { name } } } }"
    )
    assert me["me"]["grants"] == [{"role": "GRID_WORKER", "level": "grid"}] * 2
    assert me["me"]["person"]["department"] == {"name": "住建局"}
