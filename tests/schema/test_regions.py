"""The region tree through GraphQL: lists, lookups, connections and global ids."""

from __future__ import annotations

from tests.support.api import codes

DISTRICTS = "{ districts { code name } }"


async def test_districts_lists_the_eight_hegang_districts(api):
    client = await api()
    data = await client.data(DISTRICTS)
    assert [d["code"] for d in data["districts"]] == [
        "xingshan",
        "xiangyang",
        "gongnong",
        "nanshan",
        "xingan",
        "dongshan",
        "luobei",
        "suibin",
    ]
    assert {"code": "gongnong", "name": "工农区"} in data["districts"]


async def test_district_by_code_and_unknown_code(api):
    client = await api()
    data = await client.data(
        '{ a: district(code: "nanshan") { name } b: district(code: "nowhere") { name } }'
    )
    assert data == {"a": {"name": "南山区"}, "b": None}


async def test_children_connection_pages_with_cursors_and_total(api):
    client = await api()
    query = """query($after: String) { district(code: "gongnong") { grids(first: 5, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code } } } } }"""
    first = (await client.data(query))["district"]["grids"]
    assert len(first["edges"]) == 5 and first["pageInfo"]["hasNextPage"]
    total = first["totalCount"]
    seen = [e["node"]["code"] for e in first["edges"]]
    after = first["pageInfo"]["endCursor"]
    while after:
        page = (await client.data(query, {"after": after}))["district"]["grids"]
        seen += [e["node"]["code"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert len(seen) == len(set(seen)) == total


async def test_first_above_the_cap_is_bad_user_input(api):
    client = await api()
    body = await client.post('{ district(code: "gongnong") { grids(first: 101) { totalCount } } }')
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["path"] == ["district", "grids"]
    assert body["data"] == {"district": None}


async def test_forged_cursor_is_bad_user_input(api):
    client = await api()
    body = await client.post(
        '{ district(code: "gongnong") { grids(after: "bm90LWEtY3Vyc29y") { totalCount } } }'
    )
    assert codes(body) == ["BAD_USER_INPUT"]


async def test_node_round_trips_every_region_type(api):
    client = await api()
    data = await client.data("""{ district(code: "gongnong") { id
        streets(first: 1) { edges { node { id communities(first: 1) { edges { node { id
        grids(first: 1) { edges { node { id compounds(first: 1) { edges { node { id } } } } } } } } } } } } } }""")
    district = data["district"]
    street = district["streets"]["edges"][0]["node"]
    community = street["communities"]["edges"][0]["node"]
    grid = community["grids"]["edges"][0]["node"]
    compound = grid["compounds"]["edges"][0]["node"]
    ids = [district["id"], street["id"], community["id"], grid["id"], compound["id"]]
    nodes = await client.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids}
    )
    assert [n["__typename"] for n in nodes["nodes"]] == [
        "District",
        "Street",
        "Community",
        "Grid",
        "Compound",
    ]
    assert [n["id"] for n in nodes["nodes"]] == ids


async def test_node_with_unknown_forged_or_malformed_id_is_null(api):
    import base64

    client = await api()
    district_id = (await client.data('{ district(code: "gongnong") { id } }'))["district"]["id"]
    raw = base64.b64decode(district_id).decode()
    forged = base64.b64encode(raw.replace("District", "ModuleStatus").encode()).decode()
    missing = base64.b64encode(b"District:999999").decode()
    for bad in (forged, missing, "not-base64!", base64.b64encode(b"District:abc").decode()):
        assert await client.data("query($id: ID!) { node(id: $id) { id } }", {"id": bad}) == {
            "node": None
        }


async def test_compound_has_property_management_and_boundary(api):
    client = await api()
    data = await client.data("""{ district(code: "gongnong") { communities(first: 1) { edges { node {
        centreLon centreLat compounds(first: 10) { edges { node { hasPropertyManagement propertyCompany
        boundary grid { boundary } } } } } } } } }""")
    community = data["district"]["communities"]["edges"][0]["node"]
    assert 129 < community["centreLon"] < 132 and 47 < community["centreLat"] < 48
    for edge in community["compounds"]["edges"]:
        compound = edge["node"]
        assert compound["boundary"]["type"] == "Polygon"
        assert compound["grid"]["boundary"]["type"] == "Polygon"
        if not compound["hasPropertyManagement"]:
            assert compound["propertyCompany"] is None
