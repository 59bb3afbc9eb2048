"""The Open311 GeoReport v2 endpoint the plugin mounts at /plugins/winter_city/open311/v2/."""

from __future__ import annotations

from schema import global_id
from winter_support import ALL_YEAR, point_in

from winter_city.models import WinterReport

BASE = "/plugins/winter_city/open311/v2"


async def test_services_are_listed(hemei_client):
    response = await hemei_client.http.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert [s["service_code"] for s in response.json()] == ["winter_snow", "heating_outage"]


async def test_a_request_files_a_core_case(hemei_client, hemei_users, hemei_places):
    home = await hemei_places.on()
    resident = await hemei_users.resident(home)
    lon, lat = point_in(home)
    response = await hemei_client.http.post(
        f"{BASE}/requests.json",
        data={"service_code": "winter_snow", "lat": lat, "long": lon, "description": "人行道结冰"},
        headers={"Authorization": f"Bearer {resident.client.token}"},
    )
    assert response.status_code == 201, response.text
    [created] = response.json()
    case_id = created["service_request_id"]
    row = await WinterReport.get(case_id=int(case_id))
    assert (row.source, row.kind, row.reporter_id) == ("OPEN311", "SNOW", resident.person_id)

    state = await hemei_client.http.get(f"{BASE}/requests/{case_id}.json")
    [shown] = state.json()
    assert (shown["status"], shown["service_code"], shown["agency_responsible"]) == (
        "open",
        "winter_snow",
        "城管局",
    )
    assert "description" not in shown, "public answers carry no personal data"
    listed = await hemei_client.http.get(f"{BASE}/requests.json", params={"status": "open"})
    assert case_id in [r["service_request_id"] for r in listed.json()]

    case = await resident.client.data(
        "query($id: ID!) { node(id: $id) { ... on Case { category { code } description } } }",
        {"id": global_id("Case", int(case_id))},
    )
    assert case["node"] == {"category": {"code": "winter_snow"}, "description": "人行道结冰"}


async def test_api_key_signs_in_as_well(hemei_client, hemei_users, hemei_places):
    home = await hemei_places.on()
    resident = await hemei_users.resident(home)
    lon, lat = point_in(home)
    response = await hemei_client.http.post(
        f"{BASE}/requests.json",
        json={"service_code": "winter_snow", "lat": lat, "long": lon,
              "api_key": resident.client.token},
    )  # fmt: skip
    assert response.status_code == 201, response.text


async def test_refusals_speak_open311(
    hemei_app, hemei_config, hemei_client, hemei_users, hemei_places
):
    home, off = await hemei_places.on(), await hemei_places.off()
    lon, lat = point_in(home)
    anonymous = await hemei_client.http.post(
        f"{BASE}/requests.json", data={"service_code": "winter_snow", "lat": lat, "long": lon}
    )
    assert anonymous.status_code == 401
    assert anonymous.json()[0]["code"] == 401
    resident = await hemei_users.resident(off)
    signed = {"Authorization": f"Bearer {resident.client.token}"}
    off_lon, off_lat = point_in(off)
    elsewhere = await hemei_client.http.post(
        f"{BASE}/requests.json",
        data={"service_code": "winter_snow", "lat": off_lat, "long": off_lon},
        headers=signed,
    )
    assert elsewhere.status_code == 400
    assert elsewhere.json() == [
        {"code": 400, "description": "this service is not offered at that place"}
    ]
    unknown = await hemei_client.http.post(
        f"{BASE}/requests.json",
        data={"service_code": "potholes", "lat": lat, "long": lon},
        headers=signed,
    )
    assert unknown.status_code == 400 and "service_code" in unknown.json()[0]["description"]
    closed = await hemei_app(
        hemei_config.settings("gongnong", "winter_city", open311_enabled=False, **ALL_YEAR)
    )
    resident = await hemei_users.on(closed).resident(home)
    refused = await closed.http.post(
        f"{BASE}/requests.json",
        data={"service_code": "winter_snow", "lat": lat, "long": lon},
        headers={"Authorization": f"Bearer {resident.client.token}"},
    )
    assert refused.status_code == 400
    assert (await hemei_client.http.get(f"{BASE}/requests/999999999.json")).status_code == 404
