"""A database failure at any write step of a multi-write mutation leaves nothing half-written.

For each mutation: run it once counting its write statements (its rows, steps, outbox events
and audit record), then for N = 1..count run it again on a fresh target with the Nth write
failing as a dropped connection would. Every time the response is ``DATABASE_UNAVAILABLE``
(masked, with a request id), no row of any table changed, and the same request sent again
succeeds: the service needs no restart and the client may simply retry. One run with a
non-transient failure answers ``INTERNAL_SERVER_ERROR`` the same clean way.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from core.access.models import Account
from core.errors import ErrorCode
from core.people.models import Person
from core.regions.models import District
from tests.access.probes import Probe, gid, reference_targets
from tests.cases.test_ladder_api import REPORT, act, report, xinhong_compound
from tests.deliberation.probes import drop_topics, topic_at
from tests.elderly_canteen.probes import scene
from tests.faults.injector import FaultInjector, broken_write, inject
from tests.faults.snapshot import changed, snapshot
from tests.imports.probes import upload
from tests.imports.samples import id_number
from tests.stations.probes import PROBE_ITEM, _slot_at, drop_station, station_at
from tests.support.api import Api, codes

Setup = Callable[[Probe], AbstractAsyncContextManager[dict[str, Any]]]
_unique = itertools.count()


@dataclass(frozen=True)
class Mutation:
    field: str
    login: str
    document: str
    setup: Setup
    upload: bool = False
    """The setup yields ``{"file": (name, bytes)}``, sent as ``$f`` by the multipart spec."""

    async def send(self, p: Probe, variables: dict[str, Any]) -> dict[str, Any]:
        if not self.upload:
            return await p.client.post(self.document, variables)
        name, data = variables["file"]
        return await upload(p, name, data, self.document)


@asynccontextmanager
async def _report(p: Probe) -> AsyncIterator[dict[str, Any]]:
    compound = await xinhong_compound()
    yield {"i": {"title": "楼道灯坏了", "category": "property_management",
                 "compoundId": gid("Compound", compound.id)}}  # fmt: skip


IMPORT = (
    'mutation($f: Upload!) { importRegisters(file: $f, kind: "residents") { ok written '
    "problems { message } } }"
)
ACT = "mutation($i: ActOnCaseInput!) { actOnCase(input: $i) { id version level status } }"


async def _login(p: Probe, username: str) -> Api:
    return await p.client.signed_in(username)


@asynccontextmanager
async def _escalate(p: Probe) -> AsyncIterator[dict[str, Any]]:
    """A case accepted at its community, escalated to two departments (a row each)."""
    case = await report(await _login(p, "resident_xinhong"))
    grid = await _login(p, "xinhong_grid1")
    case = await act(grid, await act(grid, case, "ACCEPT"), "ESCALATE")
    case = await act(await _login(p, "xinhong_worker"), case, "ACCEPT")
    yield {"i": {"caseId": case["id"], "version": case["version"], "action": "ESCALATE",
                 "note": "需要住建和城管", "departments": ["zhujian", "chengguan"]}}  # fmt: skip


@asynccontextmanager
async def _rate(p: Probe) -> AsyncIterator[dict[str, Any]]:
    """A resolved case that its reporter rates 2, which reopens it."""
    case = await report(await _login(p, "resident_xinhong"))
    grid = await _login(p, "xinhong_grid1")
    for action in ("ACCEPT", "START", "RESOLVE"):
        case = await act(grid, case, action)
    yield {"i": {"caseId": case["id"], "version": case["version"], "action": "RATE",
                 "note": "没修好", "rating": 2}}  # fmt: skip


@asynccontextmanager
async def _apply(p: Probe) -> AsyncIterator[dict[str, Any]]:
    station = await station_at(p, "same_grid")
    try:
        yield {"i": {"stationId": gid("ServiceStation", station.id), "itemCode": PROBE_ITEM}}
    finally:
        await drop_station(station)


@asynccontextmanager
async def _book_appointment(p: Probe) -> AsyncIterator[dict[str, Any]]:
    station, slot = await _slot_at(p, "same_grid")
    try:
        yield {"s": gid("AppointmentSlot", slot.id)}
    finally:
        await drop_station(station)


@asynccontextmanager
async def _book_meal(p: Probe) -> AsyncIterator[dict[str, Any]]:
    async with scene(p, "own", sitting=True) as s:
        yield {"s": gid("CanteenSitting", s.sitting.id)}


@asynccontextmanager
async def _repair(p: Probe) -> AsyncIterator[dict[str, Any]]:
    yield {"i": {"kind": "WATER_REPAIR", "title": f"厨房水管漏水{next(_unique)}"}}


@asynccontextmanager
async def _decide(p: Probe) -> AsyncIterator[dict[str, Any]]:
    """A topic whose voting closed, decided with a follow-up work order and case."""
    topic, option = await topic_at(p, "same_grid", "COUNTING")
    compound = p.target("same_grid").compound
    try:
        yield {"i": {
            "topicId": gid("DeliberationTopic", topic.id), "version": topic.version,
            "optionId": gid("DeliberationOption", option), "decision": "建健身角",
            "workOrder": {"kind": "OTHER", "title": "安装健身器材",
                          "compoundId": gid("Compound", compound.id)},
            "case": {"category": "property_management", "title": "东侧空地改建健身角"},
        }}  # fmt: skip
    finally:
        await drop_topics(topic.id)


@asynccontextmanager
async def _import(p: Probe) -> AsyncIterator[dict[str, Any]]:
    """Two residents of a compound in a CSV file."""
    compound = p.target("same_grid").compound
    district = await District.get(id=compound.district_id)
    numbers = [id_number(700 + next(_unique), "230499") for _ in range(2)]
    rows = "".join(
        f"故障{i},{n},{district.code},{compound.code}\r\n" for i, n in enumerate(numbers)
    )
    try:
        yield {"file": ("residents.csv", ("姓名,身份证号,区县代码,小区代码\r\n" + rows).encode())}
    finally:
        await Person.filter(id_number__in=numbers).delete()


MUTATIONS = [
    Mutation("reportCase", "resident_xinhong", REPORT, _report),
    Mutation("actOnCase", "xinhong_worker", ACT, _escalate),
    Mutation("actOnCase", "resident_xinhong", ACT, _rate),
    Mutation(
        "applyForService",
        "resident_xinhong",
        "mutation($i: ApplyForServiceInput!) { applyForService(input: $i) { id status } }",
        _apply,
    ),
    Mutation(
        "bookStationAppointment",
        "resident_xinhong",
        "mutation($s: ID!) { bookStationAppointment(slotId: $s) { id status } }",
        _book_appointment,
    ),
    Mutation(
        "bookCanteenMeal",
        "resident_xinhong",
        "mutation($s: ID!) { bookCanteenMeal(sittingId: $s) { id status } }",
        _book_meal,
    ),
    Mutation(
        "requestRepair",
        "resident_xinhong",
        "mutation($i: RequestRepairInput!) { requestRepair(input: $i) { id status } }",
        _repair,
    ),
    Mutation(
        "decideTopic",
        "xinhong_worker",
        "mutation($i: DecideTopicInput!) { decideTopic(input: $i) { id phase workOrderIds "
        "spawnedCase { id } } }",
        _decide,
    ),
    Mutation("importRegisters", "city_admin", IMPORT, _import, upload=True),
]
IDS = ["report", "escalate", "rate", "apply", "appointment", "meal", "repair", "decide", "import"]


async def probe_as(api: Any, login: str) -> Probe:
    client = await (await api()).signed_in(login)
    account = await Account.get(username=login)
    return Probe(client, account.person_id, await reference_targets())


async def count_writes(p: Probe, mutation: Mutation) -> list[str]:
    async with mutation.setup(p) as variables:
        with inject(FaultInjector()) as counted:
            body = await mutation.send(p, variables)
    assert not body.get("errors"), body
    return counted.writes


async def fails_cleanly(
    p: Probe, mutation: Mutation, variables: dict[str, Any], injector: FaultInjector, code: str
) -> None:
    before = await snapshot()
    with inject(injector):
        body = await mutation.send(p, variables)
    assert injector.raised, f"write {injector.fail_at} never came: {injector.writes}"
    assert codes(body) == [code], body
    error = body["errors"][0]
    assert error["path"] == [mutation.field] and error["extensions"]["requestId"]
    assert "injected" not in error["message"] and "closed" not in error["message"]
    assert (body.get("data") or {}).get(mutation.field) is None
    assert not changed(before, await snapshot()), f"write {injector.fail_at} left rows behind"


@pytest.mark.parametrize("mutation", MUTATIONS, ids=IDS)
async def test_a_failed_write_leaves_nothing_and_the_retry_succeeds(api, mutation, capsys):
    p = await probe_as(api, mutation.login)
    writes = await count_writes(p, mutation)
    assert len(writes) >= 2, f"{mutation.field} is not a multi-write mutation: {writes}"
    async with mutation.setup(p) as variables:
        before = await snapshot()
        for n in range(1, len(writes) + 1):
            injector = FaultInjector(fail_at=n)
            await fails_cleanly(p, mutation, variables, injector, "DATABASE_UNAVAILABLE")
        body = await mutation.send(p, variables)
        assert not body.get("errors"), body
        assert changed(before, await snapshot()), "the snapshot sees the retry's rows"
    with capsys.disabled():
        print(f"\n{mutation.field}: {len(writes)} writes, each failed cleanly", end="")


async def test_a_write_refused_for_good_is_masked_and_leaves_nothing(api):
    mutation = MUTATIONS[1]
    p = await probe_as(api, mutation.login)
    async with mutation.setup(p) as variables:
        injector = FaultInjector(fail_at=2, error=broken_write)
        await fails_cleanly(p, mutation, variables, injector, ErrorCode.INTERNAL_SERVER_ERROR)
        assert not (await p.client.post(mutation.document, variables)).get("errors")
