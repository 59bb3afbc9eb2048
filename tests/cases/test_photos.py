"""Photos: uploaded with the multipart request spec, checked by their bytes, and served only to
those who may see the case."""

from __future__ import annotations

import json

from tests.cases.test_ladder_api import report
from tests.support.configs import TEST_CONFIG

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 300
ADD = "mutation($c: ID!, $p: [Upload!]!) { addCasePhotos(caseId: $c, photos: $p) { id url contentType size } }"


async def upload(client, case_id: str, files: list[tuple[str, bytes, str]]) -> dict:
    operations = {"query": ADD, "variables": {"c": case_id, "p": [None] * len(files)}}
    mapping = {str(i): [f"variables.p.{i}"] for i in range(len(files))}
    response = await client.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files={str(i): f for i, f in enumerate(files)},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    return response.json()


async def test_photos_are_stored_and_served_to_those_who_may_see_the_case(api):
    client = await api()
    resident = await client.signed_in("resident_xinhong")
    case = await report(resident, title="有照片的诉求")
    body = await upload(
        resident, case["id"], [("a.png", PNG, "image/png"), ("b.jpg", JPEG, "image/jpeg")]
    )
    assert "errors" not in body, body
    photos = body["data"]["addCasePhotos"]
    assert [(p["contentType"], p["size"]) for p in photos] == [
        ("image/png", len(PNG)),
        ("image/jpeg", len(JPEG)),
    ]

    url = photos[0]["url"]
    mine = await resident.client.get(url, headers={"Authorization": f"Bearer {resident.token}"})
    assert (
        mine.status_code == 200
        and mine.content == PNG
        and mine.headers["content-type"] == "image/png"
    )
    worker = await client.signed_in("xinhong_grid1")
    assert (
        await worker.client.get(url, headers={"Authorization": f"Bearer {worker.token}"})
    ).status_code == 200
    stranger = await client.signed_in("nanshan_admin")
    assert (
        await stranger.client.get(url, headers={"Authorization": f"Bearer {stranger.token}"})
    ).status_code == 404
    assert (await client.client.get(url)).status_code == 404
    assert (await client.client.get("/photos/999999999")).status_code == 404

    listed = await worker.data(
        "query($id: ID!) { node(id: $id) { ... on Case { photos { url } } } }", {"id": case["id"]}
    )
    assert [p["url"] for p in listed["node"]["photos"]] == [p["url"] for p in photos]


async def test_what_is_not_an_image_or_too_big_is_refused(api):
    client = await api(TEST_CONFIG + "\n[cases]\nphoto_max_bytes = 1024\n")
    resident = await client.signed_in("resident_xinhong")
    case = await report(resident, title="照片校验")
    disguised = await upload(
        resident, case["id"], [("evil.png", b"#!/bin/sh\nrm -rf /\n", "image/png")]
    )
    assert disguised["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    too_big = await upload(resident, case["id"], [("big.png", PNG + b"\x00" * 2048, "image/png")])
    assert too_big["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "photos",
        "max": 1024,
    }
    listed = await resident.data(
        "query($id: ID!) { node(id: $id) { ... on Case { photos { id } } } }", {"id": case["id"]}
    )
    assert listed["node"]["photos"] == [], "nothing half-written"


async def test_only_reporter_handlers_and_admins_add_photos(api):
    client = await api()
    case = await report(await client.signed_in("resident_xinhong"), title="谁能加照片")
    community = await client.signed_in("xinhong_worker")
    body = await upload(community, case["id"], [("a.png", PNG, "image/png")])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", "not the handler at GRID level"
