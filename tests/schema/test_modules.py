"""Module switches through GraphQL: what ``modules`` says, and the gate on plugin fields."""

from __future__ import annotations

from core.db.statements import count_statements
from tests.kernel_plugin.models import Notice
from tests.support.api import codes

MODULES = """query($code: String!) { district(code: $code) { modules { name enabled source settings }
  streets(first: 10) { edges { node { code modules { name enabled source settings }
  communities(first: 10) { edges { node { code modules { name enabled source } } } } } } } } }"""


def by_name(modules):
    return {m["name"]: m for m in modules}


async def test_district_modules_name_their_deciding_config_entry(api):
    client = await api()
    gongnong = (await client.data(MODULES, {"code": "gongnong"}))["district"]
    mods = by_name(gongnong["modules"])
    assert list(mods)[:2] == ["kernel_test", "elderly_canteen"]  # then the other modules loaded
    assert mods["kernel_test"] == {
        "name": "kernel_test",
        "enabled": True,
        "source": "districts.gongnong.modules",
        "settings": {"greeting": "你好", "max_notices": 10},
    }
    assert mods["elderly_canteen"]["settings"]["booking_cutoff"] == "09:30:00"

    xiangyang = (await client.data(MODULES, {"code": "xiangyang"}))["district"]
    assert {m["enabled"] for m in xiangyang["modules"]} == {False}
    assert {m["source"] for m in xiangyang["modules"]} == {"districts (no [districts.xiangyang])"}


async def test_street_override_switches_its_subtree_and_merges_settings(api):
    client = await api()
    nanshan = (await client.data(MODULES, {"code": "nanshan"}))["district"]
    assert by_name(nanshan["modules"])["kernel_test"]["enabled"] is True
    streets = {e["node"]["code"]: e["node"] for e in nanshan["streets"]["edges"]}
    liuhao = by_name(streets["liuhao"]["modules"])["kernel_test"]
    assert liuhao["enabled"] is False
    assert liuhao["source"] == "districts.nanshan.streets.liuhao.modules_off"
    assert liuhao["settings"] == {"greeting": "南山好", "max_notices": 3}
    for edge in streets["liuhao"]["communities"]["edges"]:
        state = by_name(edge["node"]["modules"])["kernel_test"]
        assert (state["enabled"], state["source"]) == (
            False,
            "districts.nanshan.streets.liuhao.modules_off",
        )
    other = next(s for code, s in streets.items() if code != "liuhao")
    assert by_name(other["modules"])["kernel_test"]["source"] == "districts.nanshan.modules"


async def test_community_override_beats_its_street(api):
    config = (await api()).runtime.path.read_text(encoding="utf-8")
    client = await api(
        config
        + """
[districts.nanshan.communities.{code}]
modules_on = ["kernel_test"]
""".replace("{code}", await _first_community(api, "nanshan", "liuhao"))
    )
    nanshan = (await client.data(MODULES, {"code": "nanshan"}))["district"]
    liuhao = next(e["node"] for e in nanshan["streets"]["edges"] if e["node"]["code"] == "liuhao")
    states = [by_name(e["node"]["modules"])["kernel_test"] for e in liuhao["communities"]["edges"]]
    assert states[0]["enabled"] is True and states[0]["source"].endswith(".modules_on")
    assert all(s["enabled"] is False for s in states[1:])


async def _first_community(api, district, street):
    client = await api()
    data = await client.data(MODULES, {"code": district})
    node = next(
        e["node"] for e in data["district"]["streets"]["edges"] if e["node"]["code"] == street
    )
    return node["communities"]["edges"][0]["node"]["code"]


COMMUNITY_NOTICES = """query($code: String!) { district(code: $code) { communities(first: 100) {
  edges { node { code kernelNotices { title } } } } } }"""


async def _pin_notices():
    """One notice in every community of the test database."""
    from core import Community

    await Notice.all().delete()
    for c in await Community.all():
        await Notice.create(
            title=f"n{c.id}", district_id=c.district_id, street_id=c.street_id, community_id=c.id
        )


async def test_plugin_field_on_core_type_answers_module_disabled_where_off(api):
    await _pin_notices()
    client = await api()
    on = await client.data(COMMUNITY_NOTICES, {"code": "gongnong"})
    assert all(len(e["node"]["kernelNotices"]) == 1 for e in on["district"]["communities"]["edges"])

    body = await client.post(COMMUNITY_NOTICES, {"code": "xingshan"})
    assert body["errors"] and set(codes(body)) == {"MODULE_DISABLED"}
    assert all(e["extensions"]["module"] == "kernel_test" for e in body["errors"])
    assert len(body["errors"]) == len(body["data"]["district"]["communities"]["edges"])
    assert all(
        e["node"]["kernelNotices"] is None for e in body["data"]["district"]["communities"]["edges"]
    )


async def test_root_list_leaves_out_switched_off_places_before_paging(api):
    from core import Community, District, Street

    await _pin_notices()
    client = await api()
    gongnong = await District.get(code="gongnong")
    nanshan = await District.get(code="nanshan")
    liuhao = await Street.get(district_id=nanshan.id, code="liuhao")
    expected = (
        await Community.filter(district_id=gongnong.id).count()
        + await Community.filter(district_id=nanshan.id).exclude(street_id=liuhao.id).count()
    )
    data = await client.data(
        "{ kernelNotices(first: 100) { totalCount edges { node { title } } } }"
    )
    assert data["kernelNotices"]["totalCount"] == expected
    assert len(data["kernelNotices"]["edges"]) == expected
    unfiltered = await client.data("{ kernelAllNotices { title } }")
    assert len(unfiltered["kernelAllNotices"]) == expected, (
        "the gate filters lists the plugin did not"
    )


async def test_node_of_plugin_object_in_switched_off_place(api):
    from strawberry.relay import GlobalID

    from core import District

    await _pin_notices()
    client = await api()
    xingshan = await District.get(code="xingshan")
    off = await Notice.filter(district_id=xingshan.id).first()
    gongnong = await District.get(code="gongnong")
    on = await Notice.filter(district_id=gongnong.id).first()
    off_id, on_id = (
        str(GlobalID("KernelNotice", str(off.id))),
        str(GlobalID("KernelNotice", str(on.id))),
    )
    error = await client.error("query($id: ID!) { node(id: $id) { id } }", {"id": off_id})
    assert error["extensions"]["code"] == "MODULE_DISABLED"
    data = await client.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [off_id, on_id]}
    )
    assert data["nodes"] == [None, {"id": on_id}]


async def test_mutation_refused_by_the_gate_writes_nothing(api):
    from strawberry.relay import GlobalID

    from core import Community, District

    client = await api()
    xingshan = await District.get(code="xingshan")
    community = await Community.filter(district_id=xingshan.id).first()
    before = await Notice.all().count()
    error = await client.error(
        'mutation($c: ID!) { kernelPostNotice(communityId: $c, title: "x") { id } }',
        {"c": str(GlobalID("Community", str(community.id)))},
    )
    assert error["extensions"]["code"] == "MODULE_DISABLED"
    assert await Notice.all().count() == before

    gongnong = await District.get(code="gongnong")
    community = await Community.filter(district_id=gongnong.id).first()
    data = await client.data(
        'mutation($c: ID!) { kernelPostNotice(communityId: $c, title: "ok") { title } }',
        {"c": str(GlobalID("Community", str(community.id)))},
    )
    assert data == {"kernelPostNotice": {"title": "ok"}}
    assert await Notice.all().count() == before + 1


async def test_sync_plugin_root_field_without_place_is_served(api):
    client = await api()
    assert await client.data("{ kernelVersion }") == {"kernelVersion": "1"}


async def test_gate_costs_a_constant_number_of_statements(api):
    await _pin_notices()
    client = await api()
    with count_statements() as log:
        await client.data(COMMUNITY_NOTICES, {"code": "gongnong"})
    # district, communities page, switch ids (districts), notices by community
    assert log.count <= 5, log.statements
