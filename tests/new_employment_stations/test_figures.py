"""The stations' figures of a place, and the module's demo data."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from core.access.models import Account, RoleGrant
from core.activation import Activation
from core.booking.models import Offering, Slot
from core.config.model import HemeiConfig
from core.people.models import Person
from core.plugins.contributions import DemoContext
from core.plugins.host import build_plugin_host
from core.regions.models import Community, District, Grid, Street
from plugins.new_employment_stations import NAME, load_demo_data
from plugins.new_employment_stations.models import Activity, GigWorker, Station
from tests.cases.test_ladder_api import act, gid
from tests.new_employment_stations.support import (
    CHECK_IN,
    CHECK_OUT,
    deliver,
    keeper_at,
    quiet_outbox,
    rider,
    snap,
    station,
)
from tests.support.api import codes

FIGURES = """query($p: ID!, $a: DateTime!, $b: DateTime!) { workerStationFigures(placeId: $p, from: $a, to: $b) {
  workersServed checkIns reportsMade reportsConfirmed problemsSolved } }"""


async def test_figures_count_workers_check_ins_reports_and_solutions(api):
    client = await api()
    await quiet_outbox()
    start = datetime.now(UTC) - timedelta(minutes=1)
    worker = await client.signed_in("xinhong_worker")
    grid_worker = await client.signed_in("xinhong_grid1")
    xinhong = await Community.get(code="xinhong")
    period = {"p": gid("Community", xinhong.id), "a": start.isoformat()}
    before = (
        await worker.data(FIGURES, {**period, "b": (start + timedelta(hours=1)).isoformat()})
    )["workerStationFigures"]
    made = await station(worker)
    a, _, _ = await rider(client, "统计甲")
    b, _, _ = await rider(client, "统计乙")
    await a.data(CHECK_IN, {"s": made["id"]})
    await a.data(CHECK_OUT)
    await a.data(CHECK_IN, {"s": made["id"]})
    await b.data(CHECK_IN, {"s": made["id"]})
    solved = await snap(a)
    rejected = await snap(b, category="sanitation")
    await snap(b, category="heating")
    case = await act(grid_worker, solved["case"], "ACCEPT")
    case = await act(grid_worker, case, "START")
    await act(grid_worker, case, "RESOLVE")
    await act(grid_worker, rejected["case"], "REJECT")
    await deliver(client)
    after = (
        await worker.data(
            FIGURES, {**period, "b": (datetime.now(UTC) + timedelta(minutes=1)).isoformat()}
        )
    )["workerStationFigures"]
    change = {k: after[k] - before[k] for k in after}
    assert change == {"workersServed": 2, "checkIns": 3, "reportsMade": 3, "reportsConfirmed": 1,
                      "problemsSolved": 1}  # fmt: skip

    keeper, _ = await keeper_at(client, xinhong)
    assert (await keeper.data(FIGURES, {**period, "b": datetime.now(UTC).isoformat()}))[
        "workerStationFigures"
    ]["checkIns"] >= 3
    district = {
        **period,
        "p": gid("District", xinhong.district_id),
        "b": datetime.now(UTC).isoformat(),
    }
    assert codes(await keeper.post(FIGURES, district)) == ["FORBIDDEN"], (
        "a keeper sees their community"
    )
    assert codes(await grid_worker.post(FIGURES, district)) == ["FORBIDDEN"]
    backwards = {**period, "b": (start - timedelta(days=1)).isoformat()}
    assert codes(await worker.post(FIGURES, backwards)) == ["BAD_USER_INPUT"]


async def test_hook_load_demo_data_adds_stations_where_the_module_is_on(orm, kernel_plugin):
    host = build_plugin_host([NAME])
    config = HemeiConfig.model_validate(
        {"districts": {"gongnong": {"name": "工农区", "communities": {"xinhong": {"modules_on": [NAME]}}},
                       "xingshan": {"name": "兴山区", "modules": []}}}
    )  # fmt: skip
    activation = Activation(config, host.settings_models())
    demo = DemoContext(
        activation=activation,
        districts=list(await District.all()),
        streets=list(await Street.all()),
        communities=list(await Community.all()),
        grids=list(await Grid.all()),
        random=random.Random(721),
    )
    before = await Station.all().count()
    await load_demo_data(demo)
    made = (
        await Station.filter(id__gt=0).order_by("-id").limit(await Station.all().count() - before)
    )
    try:
        assert [s.code for s in made] == ["xinhong-yizhan"], "only where the module is on"
        assert await Activity.filter(station_id=made[0].id).count() == 1
        keeper = await Account.get(username="xinhong_keeper")
        assert made[0].keeper_id == keeper.person_id
        assert await RoleGrant.exists(person_id=keeper.person_id, role="STATION_KEEPER")
        rider = await Account.get(username="rider_xinhong")
        assert await GigWorker.exists(person_id=rider.person_id, kind="RIDER")
    finally:
        for activity in await Activity.filter(station_id__in=[s.id for s in made]):
            await activity.delete()
            await Slot.filter(id=activity.slot_id).delete()
            await Offering.filter(id=activity.offering_id).delete()
        for username in ("xinhong_keeper", "rider_xinhong"):
            account = await Account.filter(username=username).first()
            if account is not None:
                await GigWorker.filter(person_id=account.person_id).delete()
                await RoleGrant.filter(person_id=account.person_id).delete()
                await Station.filter(keeper_id=account.person_id).update(keeper_id=None)
                await account.delete()
                await Person.filter(id=account.person_id).delete()
        await Station.filter(id__in=[s.id for s in made]).delete()
