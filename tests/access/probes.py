"""One probe per root operation: does this viewer get to do it to a target at this relation?

A probe answers True when the operation succeeds on the target (or, for a list, the target is
in it), False when it is refused or the target stays invisible. Probes undo what they create.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from strawberry.relay import GlobalID

from core.access.models import Account, AuditRecord, RoleGrant
from core.cases.models import Case, CaseEvent
from core.people.models import Person, PioneerPost
from core.regions.models import Community, Compound, District, Grid, Street
from tests.support.api import Api
from tests.support.grants import make_grid_worker


def gid(type_name: str, key: int) -> str:
    return str(GlobalID(type_name, str(key)))


@dataclass
class Target:
    """What sits at one relation to the viewer: a person, their grid and a compound there."""

    person: int
    grid: Grid
    compound: Compound


@dataclass
class Probe:
    client: Api
    viewer_person: int | None
    targets: dict[str, Target]

    def target(self, relation: str) -> Target:
        if relation == "own":
            assert self.viewer_person is not None
            own = self.targets["same_grid"]
            return Target(self.viewer_person, own.grid, own.compound)
        return self.targets[relation]


async def reference_targets() -> dict[str, Target]:
    """Targets around 工农区 红旗街道 欣虹社区 第1网格, where the demo logins work."""
    gongnong, nanshan = await District.get(code="gongnong"), await District.get(code="nanshan")
    hongqi = await Street.get(district_id=gongnong.id, code="hongqi")
    other_street = await Street.filter(district_id=gongnong.id).exclude(id=hongqi.id).first()
    grids = {
        "same_grid": await Grid.get(district_id=gongnong.id, code="xinhong-g1"),
        "same_community": await Grid.get(district_id=gongnong.id, code="xinhong-g2"),
        "other_community": await Grid.filter(street_id=other_street.id).first(),
        "other_district": await Grid.filter(district_id=nanshan.id).first(),
    }
    demo_people = await Account.all().values_list("person_id", flat=True)
    targets = {}
    for relation, grid in grids.items():
        person = await Person.filter(home_grid_id=grid.id).exclude(id__in=demo_people).first()
        compound = await Compound.filter(grid_id=grid.id).first()
        targets[relation] = Target(person.id, grid, compound)
    return targets


_unique = itertools.count()


async def grid_worker_grant(target: Target) -> RoleGrant:
    """Make the target's person a grid worker of the target's grid (the caller removes it)."""
    return await make_grid_worker(target.person, target.grid)


def ok(body: dict[str, Any]) -> bool:
    return not body.get("errors")


async def people(p: Probe, relation: str) -> bool:
    wanted = gid("Person", p.target(relation).person)
    after = None
    while True:
        body = await p.client.post(
            "query($a: String) { people(first: 100, after: $a) { pageInfo { hasNextPage endCursor } "
            "edges { node { id } } } }",
            {"a": after},
        )
        if not ok(body):
            return False
        page = body["data"]["people"]
        if any(e["node"]["id"] == wanted for e in page["edges"]):
            return True
        if not page["pageInfo"]["hasNextPage"]:
            return False
        after = page["pageInfo"]["endCursor"]


async def node(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        "query($id: ID!) { node(id: $id) { id } }", {"id": gid("Person", p.target(relation).person)}
    )
    return ok(body) and body["data"]["node"] is not None


async def nodes(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("Person", p.target(relation).person)]},
    )
    return ok(body) and body["data"]["nodes"] == [{"id": gid("Person", p.target(relation).person)}]


async def _case_at(p: Probe, relation: str) -> Case:
    """A newly reported GRID-level case at the relation's grid (own: reported by the viewer)."""
    target = p.target(relation)
    grid = target.grid
    return await Case.create(
        title="probe",
        category="sanitation",
        source="RESIDENT",
        reporter_id=target.person,
        grid_id=grid.id,
        district_id=grid.district_id,
        street_id=grid.street_id,
        community_id=grid.community_id,
    )


async def _drop_case(case: Case) -> None:
    await CaseEvent.filter(case_id=case.id).delete()
    await case.delete()


async def cases(p: Probe, relation: str) -> bool:
    case = await _case_at(p, relation)
    try:
        body = await p.client.post("{ cases(first: 100) { edges { node { id } } } }")
        return ok(body) and any(
            e["node"]["id"] == gid("Case", case.id) for e in body["data"]["cases"]["edges"]
        )
    finally:
        await _drop_case(case)


async def report_case(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        "mutation($i: ReportCaseInput!) { reportCase(input: $i) { id } }",
        {
            "i": {
                "title": "probe report",
                "category": "sanitation",
                "compoundId": gid("Compound", p.target(relation).compound.id),
            }
        },
    )
    for case in await Case.filter(title="probe report"):
        await _drop_case(case)
    return ok(body)


async def snap_report(p: Probe, relation: str) -> bool:
    from shapely.geometry import shape

    centre = shape(p.target(relation).grid.boundary).centroid
    body = await p.client.post(
        "mutation($i: SnapReportInput!) { snapReport(input: $i) { created } }",
        {
            "i": {
                "idempotencyKey": f"probe-{next(_unique)}",
                "category": "sanitation",
                "lon": centre.x,
                "lat": centre.y,
                "title": "probe snap",
            }
        },
    )
    for case in await Case.filter(title="probe snap"):
        await _drop_case(case)
    return ok(body)


async def case_metrics(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        'query($g: ID!) { caseMetrics(placeId: $g, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { received } }',
        {"g": gid("Grid", p.target(relation).grid.id)},
    )
    return ok(body)


async def add_case_photos(p: Probe, relation: str) -> bool:
    import json

    case = await _case_at(p, relation)
    operations = {
        "query": "mutation($c: ID!, $p: [Upload!]!) { addCasePhotos(caseId: $c, photos: $p) { id } }",
        "variables": {"c": gid("Case", case.id), "p": [None]},
    }
    try:
        response = await p.client.client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.p.0"]}),
            },
            files={"0": ("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png")},
            headers={"Authorization": f"Bearer {p.client.token}"} if p.client.token else {},
        )
        return ok(response.json())
    finally:
        await _drop_case(case)


async def reassign_case(p: Probe, relation: str) -> bool:
    case = await _case_at(p, relation)
    target = p.target(relation)
    worker = await grid_worker_grant(target)
    try:
        body = await p.client.post(
            "mutation($c: ID!, $w: ID!) { reassignCase(caseId: $c, version: 1, workerId: $w) { version } }",
            {"c": gid("Case", case.id), "w": gid("Person", target.person)},
        )
        return ok(body)
    finally:
        await worker.delete()
        await _drop_case(case)


async def act_on_case(p: Probe, relation: str) -> bool:
    case = await _case_at(p, relation)
    try:
        body = await p.client.post(
            "mutation($i: ActOnCaseInput!) { actOnCase(input: $i) { status } }",
            {"i": {"caseId": gid("Case", case.id), "version": case.version, "action": "ACCEPT"}},
        )
        return ok(body)
    finally:
        await _drop_case(case)


def answers(query: str, key: str) -> Callable[[Probe, str], Awaitable[bool]]:
    """A probe for an operation without a target: it succeeds with a non-null answer."""

    async def probe(p: Probe, relation: str) -> bool:
        body = await p.client.post(query)
        return ok(body) and body["data"][key] is not None

    return probe


async def login(p: Probe, relation: str) -> bool:
    body = await p.client.post(
        'mutation { login(username: "resident_nanshan", password: "hemei-demo") { token } }'
    )
    return ok(body)


async def audit_records(p: Probe, relation: str) -> bool:
    target = p.target(relation)
    grant = await grid_worker_grant(target)
    marker = f"probe-{next(_unique)}"
    record = await AuditRecord.create(
        action="grantRole",
        role="CITY_ADMIN",
        scope="CITY_ADMIN@city",
        district_id=target.grid.district_id,
        target=marker,
        request_id=marker,
    )
    try:
        body = await p.client.post("{ auditRecords(first: 100) { edges { node { target } } } }")
        return ok(body) and any(
            e["node"]["target"] == marker for e in body["data"]["auditRecords"]["edges"]
        )
    finally:
        await record.delete()
        await grant.delete()


async def create_user(p: Probe, relation: str) -> bool:
    username = f"probe_user_{next(_unique)}"
    body = await p.client.post(
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
        {
            "i": {
                "username": username,
                "password": "probe-password",
                "name": "探针",
                "homeCompoundId": gid("Compound", p.target(relation).compound.id),
            }
        },
    )
    account = await Account.filter(username=username).first()
    if account is not None:
        await account.delete()
        await Person.filter(id=account.person_id).delete()
    return ok(body)


async def grant_role(p: Probe, relation: str) -> bool:
    target = p.target(relation)
    body = await p.client.post(
        'mutation($p: ID!, $at: ID) { grantRole(personId: $p, role: "GRID_WORKER", placeId: $at) { id } }',
        {"p": gid("Person", target.person), "at": gid("Grid", target.grid.id)},
    )
    await RoleGrant.filter(
        person_id=target.person, role="GRID_WORKER", grid_id=target.grid.id
    ).delete()
    return ok(body)


async def revoke_role(p: Probe, relation: str) -> bool:
    target = p.target(relation)
    grant = await grid_worker_grant(target)
    body = await p.client.post(
        "mutation($g: ID!) { revokeRole(grantId: $g) }", {"g": gid("RoleGrant", grant.id)}
    )
    await RoleGrant.filter(id=grant.id).delete()
    return ok(body)


async def assign_pioneer_post(p: Probe, relation: str) -> bool:
    target = p.target(relation)
    body = await p.client.post(
        'mutation($c: ID!, $p: ID!) { assignPioneerPost(compoundId: $c, personId: $p, title: "红管家") { id } }',
        {"c": gid("Compound", target.compound.id), "p": gid("Person", target.person)},
    )
    await PioneerPost.filter(
        compound_id=target.compound.id, person_id=target.person, title="红管家"
    ).delete()
    return ok(body)


async def remove_pioneer_post(p: Probe, relation: str) -> bool:
    target = p.target(relation)
    post = await PioneerPost.create(
        person_id=target.person, compound_id=target.compound.id, title="民情气象员"
    )
    body = await p.client.post(
        "mutation($id: ID!) { removePioneerPost(postId: $id) }", {"id": gid("PioneerPost", post.id)}
    )
    await PioneerPost.filter(id=post.id).delete()
    return ok(body)


async def kernel_post_notice(p: Probe, relation: str) -> bool:
    from tests.kernel_plugin.models import Notice

    gongnong = await District.get(code="gongnong")
    community = await Community.filter(district_id=gongnong.id).first()
    body = await p.client.post(
        'mutation($c: ID!) { kernelPostNotice(communityId: $c, title: "probe") { id } }',
        {"c": gid("Community", community.id)},
    )
    await Notice.filter(title="probe").delete()
    return ok(body)


PROBES: dict[str, Callable[[Probe, str], Awaitable[bool]]] = {
    "cases": cases,
    "caseCategories": answers("{ caseCategories { code } }", "caseCategories"),
    "reportCase": report_case,
    "actOnCase": act_on_case,
    "snapReport": snap_report,
    "caseMetrics": case_metrics,
    "addCasePhotos": add_case_photos,
    "reassignCase": reassign_case,
    "assignPioneerPost": assign_pioneer_post,
    "removePioneerPost": remove_pioneer_post,
    "districts": answers("{ districts { code } }", "districts"),
    "district": answers('{ district(code: "gongnong") { code } }', "district"),
    "me": answers("{ me { username } }", "me"),
    "departments": answers("{ departments { code } }", "departments"),
    "login": login,
    "people": people,
    "node": node,
    "nodes": nodes,
    "auditRecords": audit_records,
    "createUser": create_user,
    "grantRole": grant_role,
    "revokeRole": revoke_role,
    "kernelNotices": answers("{ kernelNotices(first: 1) { totalCount } }", "kernelNotices"),
    "kernelAllNotices": answers("{ kernelAllNotices { title } }", "kernelAllNotices"),
    "kernelVersion": answers("{ kernelVersion }", "kernelVersion"),
    "kernelPostNotice": kernel_post_notice,
}
