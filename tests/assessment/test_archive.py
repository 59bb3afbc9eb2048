"""Grid visits on patrol and the performance archive built from the records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.access.models import Account
from core.assessment.models import GridVisit
from core.regions.models import Compound, Grid
from tests.cases.test_ladder_api import gid
from tests.support.api import codes

VISIT = (
    """mutation($c: ID, $g: ID) { recordGridVisit(compoundId: $c, gridId: $g) { id visitedAt } }"""
)
ARCHIVE = """query($p: ID!, $a: DateTime!, $b: DateTime!) { performanceArchive(personId: $p, from: $a, to: $b) {
  gridVisits casesHandled casesResolved casesByLevel { level cases } colours { quarter colour } } }"""


async def test_a_grid_worker_patrols_and_the_archive_counts_it(api):
    client = await api()
    patroller = await client.signed_in("xinhong_grid1")
    worker = await client.signed_in("xinhong_worker")
    resident = await client.signed_in("resident_xinhong")
    own_grid = await Grid.get(code="xinhong-g1")
    other_grid = await Grid.get(code="xinhong-g2")
    compound = await Compound.filter(grid_id=own_grid.id).first()
    person = (await Account.get(username="xinhong_grid1")).person_id
    before = await GridVisit.filter(person_id=person).count()

    await patroller.data(VISIT, {"c": gid("Compound", compound.id)})
    await patroller.data(VISIT, {"g": gid("Grid", own_grid.id)})
    elsewhere = await patroller.post(VISIT, {"g": gid("Grid", other_grid.id)})
    assert codes(elsewhere) == ["FORBIDDEN"], "visits are recorded in your own grid"
    assert codes(await worker.post(VISIT, {"g": gid("Grid", own_grid.id)})) == ["FORBIDDEN"]
    assert codes(await patroller.post(VISIT, {})) == ["BAD_USER_INPUT"]
    assert await GridVisit.filter(person_id=person).count() == before + 2

    now = datetime.now(UTC)
    span = {"p": gid("Person", person), "a": (now - timedelta(days=1)).isoformat(),
            "b": (now + timedelta(days=1)).isoformat()}  # fmt: skip
    own = (await patroller.data(ARCHIVE, span))["performanceArchive"]
    above = (await worker.data(ARCHIVE, span))["performanceArchive"]
    assert own == above and own["gridVisits"] == before + 2
    assert codes(await resident.post(ARCHIVE, span)) == ["FORBIDDEN"]
    await GridVisit.filter(person_id=person).delete()
