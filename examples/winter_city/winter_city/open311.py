"""An Open311 GeoReport v2 endpoint (https://wiki.open311.org/GeoReport_v2), JSON format,
mounted by Hemei at ``/plugins/winter_city/open311/v2/``: city apps and 12345 hotlines that
speak Open311 file snow and heating reports as core cases.

- ``GET services.json``: the two services (``winter_snow``, ``heating_outage``).
- ``POST requests.json``: file a request (``service_code``, ``lat``, ``long``, ``description``;
  ``households`` for a heating outage). The caller signs in with a Hemei token, as
  ``Authorization: Bearer`` or the ``api_key`` parameter; the request becomes a core case in
  the grid that holds the point, where the module is on and Open311 is enabled.
- ``GET requests/{id}.json`` and ``GET requests.json?status=open|closed&service_code=``: the
  state of requests, public as Open311 has it, without descriptions or reporters (personal
  data stays in Hemei).

Errors follow the spec: a list of ``{"code", "description"}`` with the HTTP status.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import HemeiError, ModuleDisabled, PlaceRow, Unauthenticated, find_place
from schema import RouteContext, global_id
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from winter_city.filing import Problem, file_problem
from winter_city.models import WinterReport
from winter_city.names import NAME
from winter_city.settings import WinterSettings

SERVICES = {
    "winter_snow": (
        "SNOW",
        "积雪结冰未清理 Snow or ice not cleared",
        "Snow or ice left on a road, a path or a yard.",
    ),
    "heating_outage": (
        "HEATING",
        "停暖 Heating outage",
        "Homes without heating in the heating season (give households).",
    ),
}
CODES = {kind: code for code, (kind, _, _) in SERVICES.items()}
AGENCY = {"SNOW": "城管局", "HEATING": "供热办"}
LIST_LIMIT = 100


def problems(status: int, description: str) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status)


async def services(request: Request) -> JSONResponse:
    return JSONResponse(
        [
            {
                "service_code": code,
                "service_name": name,
                "description": text,
                "metadata": False,
                "type": "realtime",
                "keywords": "winter",
                "group": "winter",
            }
            for code, (_, name, text) in SERVICES.items()
        ]
    )


# guide:start create
async def create_request(request: Request) -> JSONResponse:
    fields = await _fields(request)
    context = await RouteContext.of(request, token=fields.get("api_key") or None)
    try:
        if context.viewer is None:
            raise Unauthenticated("Sign in: send a Hemei token as api_key or a bearer token.")
        kind = SERVICES.get(fields.get("service_code", ""), (None,))[0]
        if kind is None:
            return problems(400, f"service_code must be one of {', '.join(SERVICES)}")
        try:
            lat, lon = float(fields["lat"]), float(fields["long"])
            households = int(fields.get("households") or 0)
        except (KeyError, ValueError):
            return problems(400, "lat and long are required numbers (WGS84)")

        async def on(place: PlaceRow) -> bool:
            settings = await context.settings(NAME, place, WinterSettings)
            return await context.module_on(NAME, place) and settings.open311_enabled

        async def settings_at(place: PlaceRow) -> WinterSettings:
            return await context.settings(NAME, place, WinterSettings)

        zone = ZoneInfo(context.activation.config.city.time_zone)
        async with context.change("winter_city.open311.createRequest") as note:
            row = await file_problem(
                context.viewer,
                context.cases(),
                Problem(
                    kind=kind,
                    description=fields.get("description", ""),
                    lon=lon,
                    lat=lat,
                    households=households,
                    source="OPEN311",
                ),
                module_on=on,
                settings_at=settings_at,
                today=datetime.now(zone).date(),
            )
            note.about(global_id("WinterReport", row.id), row.district_id, kind=kind)
    except ModuleDisabled:
        return problems(400, "this service is not offered at that place")
    except HemeiError as error:
        return problems(context.http_status(error), error.message)
    return JSONResponse(
        [
            {
                "service_request_id": str(row.case_id),
                "service_notice": f"Filed as case {row.case_id}; {AGENCY[kind]} answers for it.",
                "account_id": None,
            }
        ],
        status_code=201,
    )


# guide:end create
async def one_request(request: Request) -> JSONResponse:
    context = await RouteContext.of(request)
    key = request.path_params["request_id"]
    row = await WinterReport.filter(case_id=int(key)).first() if key.isdigit() else None
    if row is None or not await context.module_on(NAME, await _place(row)):
        return problems(404, f"no request {key}")
    return JSONResponse([_public(row)])


async def list_requests(request: Request) -> JSONResponse:
    context = await RouteContext.of(request)
    rows = WinterReport.all()
    status = request.query_params.get("status")
    if status == "open":
        rows = rows.filter(status="OPEN")
    elif status == "closed":
        rows = rows.exclude(status="OPEN")
    code = request.query_params.get("service_code")
    if code is not None:
        rows = rows.filter(kind=SERVICES.get(code, ("?",))[0])
    found: list[dict[str, Any]] = []
    for row in await rows.order_by("-id").limit(LIST_LIMIT * 2):
        if len(found) < LIST_LIMIT and await context.module_on(NAME, await _place(row)):
            found.append(_public(row))
    return JSONResponse(found)


def _public(row: WinterReport) -> dict[str, Any]:
    return {
        "service_request_id": str(row.case_id),
        "status": "open" if row.status == "OPEN" else "closed",
        "service_code": CODES[row.kind],
        "service_name": SERVICES[CODES[row.kind]][1],
        "agency_responsible": AGENCY[row.kind],
        "requested_datetime": row.created_at.isoformat(),
        "updated_datetime": row.updated_at.isoformat(),
        # The point, rounded to about 100 m: enough to find the snow, not the door.
        "lat": round(row.lat, 3) if row.lat is not None else None,
        "long": round(row.lon, 3) if row.lon is not None else None,
    }


async def _place(row: WinterReport) -> PlaceRow:
    return await find_place("Community", row.community_id)


async def _fields(request: Request) -> dict[str, str]:
    query = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            return query
        return {**query, **{k: str(v) for k, v in body.items()}}
    form = await request.form()
    return {**query, **{k: str(v) for k, v in form.items()}}


ROUTES = [
    Route("/open311/v2/services.json", services, methods=["GET"]),
    Route("/open311/v2/requests.json", create_request, methods=["POST"]),
    Route("/open311/v2/requests.json", list_requests, methods=["GET"]),
    Route("/open311/v2/requests/{request_id}.json", one_request, methods=["GET"]),
]
