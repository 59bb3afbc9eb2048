"""Probe of ``importRegisters`` (see tests/access/probes.py): import one resident living in the
compound at the relation, and remove them again."""

from __future__ import annotations

import itertools
import json
from collections.abc import Awaitable, Callable

from core.people.models import Person
from core.regions.models import District
from tests.access.probes import Probe, ok
from tests.imports.samples import id_number

_unique = itertools.count()
MUTATION = (
    'mutation($f: Upload!) { importRegisters(file: $f, kind: "residents") '
    "{ ok written problems { message } } }"
)


async def upload(p: Probe, name: str, data: bytes, query: str = MUTATION) -> dict:
    """Post ``data`` as the file ``$f`` of ``query`` by the multipart request spec."""
    response = await p.client.client.post(
        "/graphql",
        data={"operations": json.dumps({"query": query, "variables": {"f": None}}),
              "map": json.dumps({"0": ["variables.f"]})},
        files={"0": (name, data, "text/csv")},
        headers={"Authorization": f"Bearer {p.client.token}"} if p.client.token else {},
    )  # fmt: skip
    return dict(response.json())


async def import_registers(p: Probe, relation: str) -> bool:
    compound = p.target(relation).compound
    district = await District.get(id=compound.district_id)
    number = id_number(500 + next(_unique), "230499")
    rows = (
        f"姓名,身份证号,区县代码,小区代码\r\n探针居民,{number},{district.code},{compound.code}\r\n"
    )
    try:
        body = await upload(p, "probe.csv", rows.encode())
        result = body.get("data", {}) and body["data"]["importRegisters"]
        return ok(body) and bool(result) and result["written"] and result["ok"]
    finally:
        await Person.filter(id_number=number).delete()


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "importRegisters": import_registers,
}
