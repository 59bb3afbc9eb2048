"""``hemei demo --scale city``: Hegang at the article's scale, on a fresh database of the run's
kind, in its own process (:func:`main` below). The counts are the article's; every case's
timeline replays through the state machine to where the case stands; people have realistic
names and valid numbers; the real API answers on it (an assessment of 1,352 community workers
runs); the same seed and clock give the same rows."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.conftest import database_kind

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-28T02:30:00+00:00"
NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _run(*args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_")}
    done = subprocess.run(
        [sys.executable, "-c", f"from {__name__} import main; main()", *args],
        capture_output=True, text=True, timeout=900, cwd=ROOT, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-5000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def city(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    from tests.conftest import fresh_database

    async with fresh_database(tmp_path_factory.mktemp("demo-city")) as url:
        yield _run(url, "721")


def test_the_article_scale(city: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    counts = city["counts"]
    assert (counts["districts"], counts["streets"], counts["communities"]) == (8, 38, 114)
    assert counts["grids"] == 721
    assert 1_000 <= counts["compounds"] <= 2_200
    assert 30_000 <= counts["residents"] <= 60_000, "tens of thousands"
    assert counts["grants"]["GRID_WORKER"] == 7_300 + 1  # the article's, and xinhong_grid1
    assert counts["grants"]["COMMUNITY_WORKER"] == 1_352 + 1  # and xinhong_worker
    assert counts["pioneer_posts"] >= 340
    assert counts["service_stations"] == 350 and counts["rider_stations"] == 130
    assert counts["gig_workers"] == 19_000 + 1  # and rider_xinhong
    assert counts["cases"] == 14_000 + 3_700 and counts["snapshot_cases"] == 3_700
    assert counts["worker_reports"] == 3_700
    assert counts["logins"] >= 9
    with capsys.disabled():
        print(f"\ncity demo on {database_kind()}: {city['seconds']:.0f} s, "
              f"{city['size'] / 2**20:.0f} MiB")  # fmt: skip
    assert city["seconds"] < 600


def test_every_timeline_replays_to_its_case(city: dict[str, Any]) -> None:
    ladder = city["ladder"]
    assert ladder["inconsistent"] == []
    assert set(ladder["statuses"]) >= {"REPORTED", "ACCEPTED", "IN_PROGRESS", "RESOLVED",
                                       "CLOSED", "REJECTED"}  # fmt: skip
    assert set(ladder["levels"]) == {"GRID", "COMMUNITY", "DEPARTMENT", "STREET"}
    share = ladder["statuses"]["CLOSED"] / sum(ladder["statuses"].values())
    assert 0.8 < share < 0.97, "most of a year's cases are closed; the recent ones are not"
    assert ladder["rated"] > 5_000 and 3.8 < ladder["mean_rating"] < 4.8
    assert ladder["reopened"] > 50, "low ratings reopen cases a level up"
    assert ladder["months"] == 12 and ladder["winter_heating"] > 5 * ladder["summer_heating"]
    assert ladder["disputes"] > 1_500, "2,200 disputes mediated a year"


def test_people_have_realistic_names_and_valid_numbers(city: dict[str, Any]) -> None:
    people = city["people"]
    assert people["bad_names"] == [] and people["bad_ids"] == 0 and people["bad_phones"] == 0
    assert people["distinct_names"] > 10_000
    assert people["property_companies"] > 20


def test_the_api_works_on_the_city(city: dict[str, Any]) -> None:
    api = city["api"]
    assert api["assessed"] == 1_353
    assert set(api["colours"]) >= {"GREEN", "YELLOW"}
    assert api["received"] > 500, "the city's dashboard counts a quarter's cases"
    assert api["leaderboard"] > 0, "riders earned points for their snap-and-reports"


@pytest.mark.skipif(database_kind() != "sqlite", reason="determinism is checked on SQLite")
def test_same_seed_same_city(city: dict[str, Any], tmp_path: Path) -> None:
    again = _run(f"sqlite://{tmp_path / 'again.sqlite3'}", "721")
    assert again["digest"] == city["digest"]


# ---------------------------------------------------------------- the subprocess side


def main() -> None:
    url, seed = sys.argv[1:]
    print(json.dumps(asyncio.run(_report(url, int(seed))), ensure_ascii=False, default=str))


async def _report(url: str, seed: int) -> dict[str, Any]:
    from core.db.setup import close_orm, init_orm
    from core.demo.loader import load_demo
    from core.runtime import start_runtime
    from schema.cli import DEMO_CONFIG

    os.environ["HEMEI_DATABASE_URL"] = url
    runtime = start_runtime(DEMO_CONFIG)
    started = time.perf_counter()
    assert await load_demo(runtime, seed, scale="city", now=datetime.fromisoformat(NOW))
    seconds = time.perf_counter() - started
    await init_orm(url, runtime.host.model_apps())
    try:
        return {"seconds": seconds, "size": await _size(url), **await _facts(runtime)}
    finally:
        await close_orm()


async def _size(url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite://"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    from tortoise import connections

    rows = await connections.get("default").execute_query_dict(
        "SELECT pg_database_size(current_database()) AS size"
    )
    return int(rows[0]["size"])


async def _facts(runtime: Any) -> dict[str, Any]:
    from tortoise.expressions import Q

    from core.access.models import Account, RoleGrant
    from core.cases.machine import CaseState, apply
    from core.cases.models import Case, CaseDepartment, CaseStep, Consultation
    from core.people.models import Person, PioneerPost
    from core.people.validation import id_number_is_valid
    from core.regions.models import Community, Compound, District, Grid, Street
    from core.stations.models import ServiceStation
    from plugins.new_employment_stations.models import GigWorker, Station, WorkerReport

    grants = Counter(await RoleGrant.all().values_list("role", flat=True))
    counts = {
        "districts": await District.all().count(), "streets": await Street.all().count(),
        "communities": await Community.all().count(), "grids": await Grid.all().count(),
        "compounds": await Compound.all().count(),
        "residents": await Person.filter(home_compound_id__isnull=False).count(),
        "grants": dict(grants), "pioneer_posts": await PioneerPost.all().count(),
        "service_stations": await ServiceStation.all().count(),
        "rider_stations": await Station.all().count(),
        "gig_workers": await GigWorker.all().count(), "cases": await Case.all().count(),
        "snapshot_cases": await Case.filter(source="SNAPSHOT").count(),
        "worker_reports": await WorkerReport.all().count(),
        "logins": await Account.all().count(),
    }  # fmt: skip

    cases = await Case.all().order_by("id").values(
        "id", "level", "status", "consulted", "version", "resolved_at", "closed_at", "rating",
        "category", "created_at",
    )  # fmt: skip
    steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for step in await CaseStep.all().order_by("id").values():
        steps[step["case_id"]].append(step)
    routed = set(await CaseDepartment.all().values_list("case_id", flat=True))
    consulted = Counter(await Consultation.all().values_list("case_id", flat=True))
    inconsistent, reopened, levels = [], 0, set()
    for case in cases:
        state, mine = CaseState(), steps[case["id"]]
        for step in mine[1:]:
            low = step["to_status"] == "REOPENED"  # steps keep no rating: only its effect
            state = apply(state, step["action"], 1 if low else 5)
            levels.add(step["to_level"])
            reopened += step["to_status"] == "REOPENED"
        ok = (
            (state.level.value, state.status.value) == (case["level"], case["status"])
            and case["version"] == len(mine)
            and (case["resolved_at"] is not None) == any(s["action"] == "RESOLVE" for s in mine)
            and (case["status"] == "CLOSED") == (case["closed_at"] is not None)
            and all(a["at"] <= b["at"] for a, b in itertools.pairwise(mine))
            and (case["id"] in routed) == any(s["to_level"] == "DEPARTMENT" for s in mine)
            and consulted[case["id"]] == sum(s["action"] == "CONSULT" for s in mine)
        )
        if not ok:
            inconsistent.append(case["id"])
    zone = runtime.config.city.time_zone
    from zoneinfo import ZoneInfo

    months = Counter(c["created_at"].astimezone(ZoneInfo(zone)).month for c in cases)
    heating = Counter(c["created_at"].astimezone(ZoneInfo(zone)).month for c in cases
                      if c["category"] == "heating")  # fmt: skip
    ratings = [c["rating"] for c in cases if c["rating"]]
    ladder = {
        "inconsistent": inconsistent[:20], "statuses": dict(Counter(c["status"] for c in cases)),
        "levels": sorted(levels), "rated": len(ratings),
        "mean_rating": sum(ratings) / len(ratings), "reopened": reopened, "months": len(months),
        "winter_heating": heating[1] + heating[12], "summer_heating": heating[6] + heating[7] + 1,
        "disputes": sum(c["category"] == "neighbour_dispute" for c in cases),
    }  # fmt: skip

    # Residents and cadres (modules name some of their demo people by what they are).
    people = await Person.filter(
        Q(home_compound_id__isnull=False) | Q(department_id__isnull=False)
    ).values_list("name", "id_number", "phone")
    companies = (
        await Compound.filter(property_company__isnull=False)
        .distinct()
        .values_list("property_company", flat=True)
    )
    facts_people = {
        "bad_names": [n for n, _, _ in people if not NAME.match(n)][:10],
        "bad_ids": sum(1 for _, i, _ in people if i and not id_number_is_valid(i)),
        "bad_phones": sum(1 for _, _, p in people if p and not re.fullmatch(r"1[3-9]\d{9}", p)),
        "distinct_names": len({n for n, _, _ in people}),
        "property_companies": len(set(companies)),
    }
    digest = hashlib.sha256()
    for model, columns in (
        (District, ("code", "name")), (Street, ("code", "name")),
        (Community, ("code", "name", "centre_lon")), (Grid, ("code", "boundary")),
        (Compound, ("code", "name", "property_company")),
        (Person, ("name", "phone", "id_number", "home_compound_id", "department_id")),
        (RoleGrant, ("person_id", "role", "grid_id", "community_id")),
        (Case, ("title", "status", "level", "reporter_id", "rating", "due_at", "created_at")),
        (CaseStep, ("case_id", "action", "actor_id", "at", "note")),
        (GigWorker, ("person_id", "platform", "verified")),
    ):  # fmt: skip
        for row in await model.all().order_by("id").values_list(*columns):
            digest.update(json.dumps(row, default=str, ensure_ascii=False).encode())
    return {"counts": counts, "ladder": ladder, "people": facts_people,
            "api": await _api(runtime), "digest": digest.hexdigest()}  # fmt: skip


async def _api(runtime: Any) -> dict[str, Any]:
    """The real app on the city: an assessment of every community worker, the city's
    dashboard, and a rider leaderboard."""
    import httpx

    from schema.app import create_app

    app = create_app(runtime, manage_database=False, watch_config=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://hemei.test") as client:  # fmt: skip

        async def post(query: str, token: str | None = None) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = (await client.post("/graphql", json={"query": query}, headers=headers)).json()
            assert not body.get("errors"), body["errors"]
            return dict(body["data"])

        login = await post('mutation { login(username: "city_admin", password: "hemei-demo") '
                           "{ token } }")  # fmt: skip
        token = login["login"]["token"]
        run = await post('mutation { runAssessment(quarter: "2026Q3") { workers '
                         "colours { colour count } } }", token)  # fmt: skip
        stats = await post('{ city { stats(period: "2026Q3") { key value } } }', token)
        figures = {f["key"]: f["value"] for f in stats["city"]["stats"]}
    from plugins.new_employment_stations.models import Award

    return {
        "assessed": run["runAssessment"]["workers"],
        "colours": {c["colour"]: c["count"] for c in run["runAssessment"]["colours"]},
        "received": figures.get("cases.received", 0),
        "leaderboard": await Award.all().count(),
    }
