"""Demo community services at the article's scale: 350 stations, the 57-item catalogue in 3
categories, 45 volunteer teams and 30 outreach teams, with topics, applications and work orders
in every district; the same seed gives the same rows; seeding the catalogue is idempotent.

The demo runs in a separate process on a scratch database of the run's kind (one process may
hold only one database dialect, and the shared test database must stay as other tests expect
it): :func:`main` below is that process. Catalogue seeding is tested in this process inside a
transaction that is rolled back.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from tortoise.transactions import in_transaction

from core.access.models import Account
from core.deliberation.models import DeliberationOption, DeliberationTopic, DeliberationVote
from core.outreach.models import OutreachActivity, OutreachMember, OutreachTeam
from core.people.models import Person
from core.regions.models import Community, Compound, District
from core.stations.catalogue import (
    CATEGORIES,
    CatalogueEntry,
    CatalogueError,
    read_standard_catalogue,
    seed_catalogue,
)
from core.stations.models import (
    CatalogueItem,
    ServiceApplication,
    ServiceStation,
    StationService,
    StationStaff,
)
from core.volunteers.models import (
    VolunteerMember,
    VolunteerTeam,
    VolunteerTeamArea,
    VolunteerTeamPost,
    WorkOrder,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-28T02:30:00+00:00"  # a fixed "now" for the snapshots: 10:30 in Hegang
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# ---------------------------------------------------------------- the catalogue file


def test_catalogue_file_has_57_items_in_3_categories_with_materials() -> None:
    entries = read_standard_catalogue()
    assert len(entries) == 57
    assert (
        set(Counter(e.category for e in entries))
        == set(CATEGORIES)
        == {
            "COMMUNITY_AFFAIRS",
            "GOVERNMENT_AFFAIRS",
            "PROPERTY_AFFAIRS",
        }
    )
    assert all(count >= 10 for count in Counter(e.category for e in entries).values())
    assert len({e.code for e in entries}) == len({e.name for e in entries}) == 57
    for entry in entries:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", entry.code), entry.code
        assert entry.materials and all(m.strip() for m in entry.materials), entry.code
        assert entry.description and 1 <= entry.time_limit_days <= 30, entry.code
    by_name = {e.name: e for e in entries}
    assert "居民身份证" in by_name["居住证明"].materials
    assert by_name["高龄津贴申领"].doorstep and not by_name["物业费缴纳"].doorstep
    assert any(e.doorstep for e in entries) and not all(e.doorstep for e in entries)


def test_a_bad_catalogue_names_file_key_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        """
[[items]]
code = "Residence Certificate"
category = "COMMUNITY"
name = "居住证明"
materials = []
time_limit_days = 0
doorstep = "yes"
colour = "red"

[[items]]
code = "parking"
category = "PROPERTY_AFFAIRS"
name = "居住证明"
materials = ["居民身份证"]

[[items]]
code = "parking"
category = "PROPERTY_AFFAIRS"
name = "停车位申请"
materials = ["居民身份证", "居民身份证"]
time_limit_days = 3
doorstep = false
""",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        read_standard_catalogue(path)
    keys = [key for key, _ in caught.value.problems]
    assert keys == [
        "items[0]",
        "items[0].code",
        "items[0].category",
        "items[0].materials",
        "items[0].time_limit_days",
        "items[0].doorstep",
        "items[1]",
        "items[2].materials",
    ]
    text = str(caught.value)
    assert f"{path}: items[0]: unknown key(s): colour" in text
    assert f"{path}: items[1]: missing key(s): time_limit_days, doorstep" in text
    assert "expected one of COMMUNITY_AFFAIRS, GOVERNMENT_AFFAIRS, PROPERTY_AFFAIRS" in text

    path.write_text(
        '[[items]]\ncode = "a"\ncategory = "PROPERTY_AFFAIRS"\nname = "甲"\n'
        'materials = ["x"]\ntime_limit_days = 1\ndoorstep = false\n'
        '[[items]]\ncode = "a"\ncategory = "PROPERTY_AFFAIRS"\nname = "甲"\n'
        'materials = ["x"]\ntime_limit_days = 1\ndoorstep = false\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        read_standard_catalogue(path)
    assert caught.value.problems == [
        ("items[1].code", "'a' repeats items[0]"),
        ("items[1].name", "'甲' repeats items[0]"),
    ]
    path.write_text("items = [", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        read_standard_catalogue(path)
    with pytest.raises(CatalogueError, match="cannot read the file"):
        read_standard_catalogue(tmp_path / "missing.toml")


# ---------------------------------------------------------------- seeding (rolled back)


class _Rollback(Exception):
    """Raised to roll the seeding test back: the shared test database stays as it was."""


def _renamed(entries: list[CatalogueEntry], tag: str) -> list[CatalogueEntry]:
    """The entries under codes and names no other test uses."""
    return [replace(e, code=f"{tag}_{e.code}"[:64], name=f"{e.name}（{tag}）") for e in entries]


async def _stored(codes: list[str]) -> dict[str, dict[str, Any]]:
    rows = await CatalogueItem.filter(code__in=codes).values()
    return {row["code"]: row for row in rows}


async def test_seeding_creates_then_changes_nothing_then_follows_edits(orm: str) -> None:
    entries = _renamed(read_standard_catalogue(), f"t{uuid.uuid4().hex[:6]}")
    codes = [e.code for e in entries]
    with pytest.raises(_Rollback):
        async with in_transaction():
            assert await seed_catalogue(entries) == 57
            first = await _stored(codes)
            assert len(first) == 57
            row = first[entries[0].code]
            assert (row["name"], row["category"], row["materials"]) == (
                entries[0].name,
                entries[0].category,
                list(entries[0].materials),
            )
            assert (row["version"], row["active"]) == (1, True)

            assert await seed_catalogue(entries) == 0
            assert await _stored(codes) == first, "a second seeding changes nothing"

            # An edited file brings the row back to it; a retired item stays retired.
            await CatalogueItem.filter(code=entries[1].code).update(active=False)
            edited = [
                replace(entries[0], materials=(*entries[0].materials, "委托书")),
                replace(entries[1], time_limit_days=9, doorstep=not entries[1].doorstep),
                *entries[2:],
            ]
            assert await seed_catalogue(edited) == 0
            now = await _stored(codes)
            assert now[codes[0]]["materials"][-1] == "委托书"
            assert now[codes[0]]["version"] == 2
            assert (now[codes[1]]["time_limit_days"], now[codes[1]]["active"]) == (9, False)
            assert all(now[c] == first[c] for c in codes[2:])
            raise _Rollback
    assert await _stored(codes) == {}


async def test_seeding_refuses_repeated_codes(orm: str) -> None:
    entry = read_standard_catalogue()[0]
    with pytest.raises(ValueError, match="repeat a code"):
        await seed_catalogue([entry, entry])


# ---------------------------------------------------------------- the demo, in its own process


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    """What `hemei demo` made on a fresh database of the run's kind (see :func:`_report`)."""
    from tests.conftest import fresh_database

    async with fresh_database(tmp_path_factory.mktemp("demo-services")) as url:
        yield _run("report", url)


def _run(*args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMEI_")}
    done = subprocess.run(
        [sys.executable, "-c", f"from {__name__} import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_article_scale(demo: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    counts = demo["counts"]
    assert counts["stations"] == 350
    assert counts["community_centres"] == 32, "one 党群服务中心 per community"
    assert counts["catalogue_items"] == 57
    assert counts["categories"] == {
        "COMMUNITY_AFFAIRS": 20,
        "GOVERNMENT_AFFAIRS": 24,
        "PROPERTY_AFFAIRS": 13,
    }
    assert counts["volunteer_teams"] == 45
    assert counts["outreach_teams"] == 30
    assert counts["outreach_levels"] == {"district": 14, "street": 16}
    assert counts["cadres"] == 334
    with capsys.disabled():
        print(f"\nload_demo on a fresh database took {demo['seconds']:.2f} s")
    assert demo["seconds"] < 30


def test_every_district_has_stations_teams_topics_and_activities(demo: dict[str, Any]) -> None:
    districts = demo["districts"]
    assert len(districts) == 8
    for code, found in districts.items():
        assert found["stations"] >= 20, code
        assert found["volunteer_teams"] >= 4, code
        assert found["outreach_teams"] >= 3, code
        assert found["topic_phases"] == ["DECIDED", "PROPOSING", "VOTING"], code
        assert found["upcoming_activities"] >= 1, code
        assert found["work_orders"] >= 2, code
        assert found["applications"] >= 10, code


def test_stations_have_hours_services_and_staff(demo: dict[str, Any]) -> None:
    stations = demo["stations"]
    assert stations["without_services"] == stations["without_staff"] == 0
    assert stations["centre_services"] == [57]
    assert 15 <= stations["fewest_compound_services"] <= stations["most_compound_services"] < 57
    assert stations["names_ok"] and stations["codes_unique"]
    for hours in stations["hours"]:
        assert hours, "every station has opening hours"
        for period in hours:
            assert set(period) == {"weekdays", "opens", "closes"}
            assert period["weekdays"] and set(period["weekdays"]) <= set(range(1, 8))
            assert CLOCK.match(period["opens"]) and CLOCK.match(period["closes"])
            assert period["opens"] < period["closes"]
    assert stations["outside_their_place"] == 0


def test_the_demo_logins_find_their_part(demo: dict[str, Any]) -> None:
    xinhong = demo["xinhong"]
    assert xinhong["worker_staffs"] == ["欣虹社区党群服务中心"]
    assert xinhong["logins_on_staff"] == ["xinhong_worker"], "resident logins stay residents"
    voting, decided = xinhong["voting"], xinhong["decided"]
    assert voting["open_now"]
    assert voting["options"] == 3 and voting["votes"] > 0
    assert not voting["resident_voted"], "resident_xinhong can still cast the first vote"
    assert decided["chosen_is_an_option"] and decided["decision"]
    assert decided["work_orders"] == ["ASSIGNED"]
    assert set(xinhong["work_order_statuses"]) >= {
        "REQUESTED",
        "ASSIGNED",
        "DONE",
        "CONFIRMED",
        "CANCELLED",
    }
    assert {"DONE", "REQUESTED"} <= set(xinhong["resident_orders"]), "to confirm, to follow"
    assert {"DONE", "SUBMITTED"} <= set(xinhong["resident_applications"])
    assert xinhong["upcoming_activities"] >= 1
    assert xinhong["outreach_logins"] == ["gongnong_admin", "hongqi_officer", "zhujian_officer"]


def test_rows_move_through_every_status_consistently(demo: dict[str, Any]) -> None:
    flows = demo["flows"]
    assert set(flows["application_statuses"]) == {"SUBMITTED", "ACCEPTED", "DONE", "REJECTED"}
    assert set(flows["work_order_statuses"]) == {
        "REQUESTED",
        "ASSIGNED",
        "DONE",
        "CONFIRMED",
        "CANCELLED",
    }
    assert set(flows["activity_statuses"]) == {"PLANNED", "HELD", "CANCELLED"}
    assert flows["work_order_sources"] == ["DELIBERATION", "RESIDENT"]
    assert flows["inconsistent"] == [], "status, times and handlers agree"


def test_teams_have_members_skills_and_areas(demo: dict[str, Any]) -> None:
    teams = demo["teams"]
    assert teams["volunteer_problems"] == []
    assert teams["fewest_volunteers"] >= 4
    assert teams["outreach_problems"] == []
    assert teams["fewest_cadres"] >= 11
    assert teams["pioneer_posts"] >= 45


def test_the_catalogue_seeded_by_the_demo_seeds_to_nothing_new(demo: dict[str, Any]) -> None:
    assert demo["reseed"] == {"created": 0, "unchanged": True}


def test_same_seed_same_services() -> None:
    first = _run("snapshot", "721", NOW)
    assert first["rows"] > 10_000
    assert _run("snapshot", "721", NOW) == first
    assert _run("snapshot", "722", NOW)["digest"] != first["digest"]


# ---------------------------------------------------------------- the subprocess side


def main() -> None:
    """``report URL`` or ``snapshot SEED NOW``: print one line of JSON."""
    mode, *args = sys.argv[1:]
    result = asyncio.run(_report(*args) if mode == "report" else _snapshot(*args))
    print(json.dumps(result, ensure_ascii=False, default=str))


async def _report(url: str) -> dict[str, Any]:
    from core.db.setup import close_orm, init_orm
    from core.demo.loader import load_demo
    from core.runtime import start_runtime
    from schema.cli import DEMO_CONFIG

    os.environ["HEMEI_DATABASE_URL"] = url
    runtime = start_runtime(DEMO_CONFIG)
    started = time.perf_counter()
    assert await load_demo(runtime)
    seconds = time.perf_counter() - started
    await init_orm(url, runtime.host.model_apps())
    try:
        return {"seconds": seconds, **await _facts()}
    finally:
        await close_orm()


async def _facts() -> dict[str, Any]:
    now = datetime.now(UTC)
    districts = {d.id: d.code for d in await District.all()}
    communities = {c.id: c for c in await Community.all()}
    compounds = {c.id: c for c in await Compound.all()}
    logins = dict(await Account.all().values_list("person_id", "username"))
    stations = await ServiceStation.all().order_by("id").values()
    services = Counter(await StationService.all().values_list("station_id", flat=True))
    staff = await StationStaff.all().values("station_id", "person_id")
    offered = set(await StationService.all().values_list("station_id", "item_id"))
    items = await CatalogueItem.all().values("id", "category")
    vteams = await VolunteerTeam.all().values()
    members = await VolunteerMember.all().values("team_id", "person_id", "skills")
    areas = await VolunteerTeamArea.all().values_list("team_id", "compound_id")
    oteams = await OutreachTeam.all().values()
    omembers = await OutreachMember.all().values_list("team_id", "person_id")
    activities = await OutreachActivity.all().values()
    topics = await DeliberationTopic.all().values()
    options = await DeliberationOption.all().values("id", "topic_id")
    votes = await DeliberationVote.all().values("topic_id", "person_id")
    applications = await ServiceApplication.all().values()
    orders = await WorkOrder.all().values()
    cadres = await Person.filter(department_id__isnull=False, home_community_id__isnull=True)

    def per_district(rows: list[dict[str, Any]], where: Any = lambda r: True) -> Counter[str]:
        return Counter(districts[r["district_id"]] for r in rows if where(r))

    centres = [s for s in stations if s["compound_id"] is None]
    compound_services = [services[s["id"]] for s in stations if s["compound_id"] is not None]
    station_of = {s["id"]: s for s in stations}
    staff_of: dict[int, list[int]] = {}
    for row in staff:
        staff_of.setdefault(row["station_id"], []).append(row["person_id"])
    xinhong = next(c for c in communities.values() if c.code == "xinhong")
    resident = next(p for p, u in logins.items() if u == "resident_xinhong")

    inconsistent = []
    for a in applications:
        status, handled = a["status"], a["handled_by_id"]
        ok = (a["station_id"], a["item_id"]) in offered and a["created_at"] <= now
        ok &= (handled is None) == (status == "SUBMITTED")
        ok &= handled is None or handled in staff_of[a["station_id"]]
        ok &= (a["accepted_at"] is not None) == (status in ("ACCEPTED", "DONE"))
        ok &= (a["finished_at"] is not None) == (status in ("DONE", "REJECTED"))
        ok &= (a["reject_reason"] is not None) == (status == "REJECTED")
        ok &= all(
            t is None or a["created_at"] <= t <= now for t in (a["accepted_at"], a["finished_at"])
        )
        if not ok:
            inconsistent.append(("application", a["id"]))
    for o in orders:
        status = o["status"]
        ok = (o["team_id"] is None) == (status == "REQUESTED")
        ok &= (o["completed_at"] is not None) == (status in ("DONE", "CONFIRMED"))
        ok &= (o["confirmed_at"] is not None) == (status == "CONFIRMED")
        ok &= (o["topic_id"] is not None) == (o["source"] == "DELIBERATION")
        ok &= o["requester_id"] is not None
        ok &= bool(o["completion_note"]) == (status in ("DONE", "CONFIRMED"))
        ok &= bool(o["cancel_reason"]) == (status == "CANCELLED")
        ok &= (
            o["compound_id"] is None
            or compounds[o["compound_id"]].community_id == o["community_id"]
        )
        ok &= o["created_at"] <= (o["completed_at"] or now) <= (o["confirmed_at"] or now) <= now
        if not ok:
            inconsistent.append(("work order", o["id"]))
    for t in topics:
        # Only OPEN and DECIDED are stored; an OPEN topic's phase follows from its window.
        t["phase"] = (
            t["status"]
            if t["status"] != "OPEN"
            else "PROPOSING"
            if now < t["voting_opens_at"]
            else "VOTING"
            if now < t["voting_closes_at"]
            else "COUNTING"
        )
        ok = t["voting_opens_at"] < t["voting_closes_at"] and t["status"] in ("OPEN", "DECIDED")
        ok &= t["status"] == "OPEN" or t["voting_closes_at"] < t["decided_at"] < now
        ok &= (t["chosen_option_id"] is not None) == (t["status"] == "DECIDED")
        if not ok:
            inconsistent.append(("topic", t["id"]))
    for a in activities:
        ok = (a["starts_at"] > now) == (a["status"] == "PLANNED") and a["starts_at"] < a["ends_at"]
        ok &= (a["attendance"] is not None) == (a["status"] == "HELD")
        if not ok:
            inconsistent.append(("activity", a["id"]))

    volunteer_problems, team_sizes = [], []
    for team in vteams:
        mine = [m for m in members if m["team_id"] == team["id"]]
        team_sizes.append(len(mine))
        places = [compounds[c] for t, c in areas if t == team["id"]]
        if (
            not team["skills"]
            or team["leader_id"] not in {m["person_id"] for m in mine}
            or not places
            or any(c.community_id != team["community_id"] for c in places)
            or any(not set(m["skills"]) <= set(team["skills"]) for m in mine)
        ):
            volunteer_problems.append(team["name"])
    outreach_problems, cadre_counts = [], []
    for team in oteams:
        mine = {p for t, p in omembers if t == team["id"]}
        cadre_counts.append(len(mine))
        held = [a for a in activities if a["team_id"] == team["id"]]
        if (
            sum(a["starts_at"] > now for a in held) < 2
            or sum(a["starts_at"] < now for a in held) < 2
            or any(a["organiser_id"] not in mine for a in held)
            or any(a["district_id"] != team["district_id"] for a in held)
        ):
            outreach_problems.append(team["name"])

    xinhong_topics = [t for t in topics if t["community_id"] == xinhong.id]
    voting = next(t for t in xinhong_topics if t["phase"] == "VOTING")
    decided = next(t for t in xinhong_topics if t["status"] == "DECIDED")
    xinhong_orders = [o for o in orders if o["community_id"] == xinhong.id]
    outreach_people = {p for _, p in omembers}
    staff_ids = {row["person_id"] for row in staff}
    return {
        "counts": {
            "stations": len(stations),
            "community_centres": len(centres),
            "catalogue_items": len(items),
            "categories": dict(Counter(i["category"] for i in items)),
            "volunteer_teams": len(vteams),
            "outreach_teams": len(oteams),
            "outreach_levels": dict(
                Counter("street" if t["street_id"] else "district" for t in oteams)
            ),
            "cadres": len(cadres),
        },
        "districts": {
            code: {
                "stations": per_district(stations)[code],
                "volunteer_teams": per_district(vteams)[code],
                "outreach_teams": per_district(oteams)[code],
                "topic_phases": sorted(
                    {t["phase"] for t in topics if districts[t["district_id"]] == code}
                ),
                "upcoming_activities": per_district(activities, lambda a: a["starts_at"] > now)[
                    code
                ],
                "work_orders": per_district(orders)[code],
                "applications": per_district(applications)[code],
            }
            for code in districts.values()
        },
        "stations": {
            "without_services": sum(services[s["id"]] == 0 for s in stations),
            "without_staff": sum(s["id"] not in staff_of for s in stations),
            "centre_services": sorted({services[s["id"]] for s in centres}),
            "fewest_compound_services": min(compound_services),
            "most_compound_services": max(compound_services),
            "names_ok": all(
                s["name"].endswith("党群服务中心" if s["compound_id"] is None else "党群服务站")
                for s in stations
            ),
            "codes_unique": len({(s["district_id"], s["code"]) for s in stations}) == 350,
            "hours": [s["hours"] for s in stations],
            "outside_their_place": sum(
                (
                    s["compound_id"] is not None
                    and compounds[s["compound_id"]].community_id != s["community_id"]
                )
                or communities[s["community_id"]].district_id != s["district_id"]
                for s in stations
            ),
        },
        "xinhong": {
            "worker_staffs": [
                station_of[row["station_id"]]["name"]
                for row in staff
                if logins.get(row["person_id"]) == "xinhong_worker"
            ],
            "logins_on_staff": sorted({logins[p] for p in staff_ids if p in logins}),
            "voting": {
                "open_now": voting["voting_opens_at"] < now < voting["voting_closes_at"],
                "options": sum(o["topic_id"] == voting["id"] for o in options),
                "votes": sum(v["topic_id"] == voting["id"] for v in votes),
                "resident_voted": {"topic_id": voting["id"], "person_id": resident} in votes,
            },
            "decided": {
                "decision": decided["decision"],
                "chosen_is_an_option": {
                    "id": decided["chosen_option_id"],
                    "topic_id": decided["id"],
                }
                in options,
                "work_orders": [o["status"] for o in orders if o["topic_id"] == decided["id"]],
            },
            "work_order_statuses": sorted({o["status"] for o in xinhong_orders}),
            "resident_orders": [
                o["status"] for o in xinhong_orders if o["requester_id"] == resident
            ],
            "resident_applications": [
                a["status"] for a in applications if a["applicant_id"] == resident
            ],
            "upcoming_activities": sum(
                a["community_id"] == xinhong.id and a["starts_at"] > now for a in activities
            ),
            "outreach_logins": sorted(logins[p] for p in outreach_people if p in logins),
        },
        "flows": {
            "application_statuses": sorted({a["status"] for a in applications}),
            "work_order_statuses": sorted({o["status"] for o in orders}),
            "work_order_sources": sorted({o["source"] for o in orders}),
            "activity_statuses": sorted({a["status"] for a in activities}),
            "inconsistent": inconsistent,
        },
        "teams": {
            "volunteer_problems": volunteer_problems,
            "fewest_volunteers": min(team_sizes),
            "outreach_problems": outreach_problems,
            "fewest_cadres": min(cadre_counts),
            "pioneer_posts": await VolunteerTeamPost.all().count(),
        },
        "reseed": await _reseed(),
    }


async def _reseed() -> dict[str, Any]:
    before = await CatalogueItem.all().order_by("id").values()
    created = await seed_catalogue(read_standard_catalogue())
    return {
        "created": created,
        "unchanged": await CatalogueItem.all().order_by("id").values() == before,
    }


async def _snapshot(seed: str, now: str) -> dict[str, Any]:
    """The service rows a seed makes on a throwaway in-memory SQLite database, without the
    columns the database fills in itself."""
    import hashlib
    import random

    from tortoise import Tortoise

    from core.db.setup import CORE_MODELS, close_orm, init_orm
    from core.demo.people import create_demo_people
    from core.demo.regions import create_demo_regions
    from core.demo.services import create_demo_services

    await init_orm("sqlite://:memory:", [CORE_MODELS])
    await Tortoise.generate_schemas()
    rng = random.Random(int(seed))
    regions = await create_demo_regions(rng)
    await create_demo_people(regions, rng)
    await create_demo_services(regions, rng, now=datetime.fromisoformat(now))
    automatic = {"created_at", "updated_at", "joined_at", "cast_at"}
    kept = {"ServiceApplication", "WorkOrder", "DeliberationTopic"}  # set on purpose: compare
    tables: dict[str, Any] = {}
    for model in (
        Person, CatalogueItem, ServiceStation, StationService, StationStaff, VolunteerTeam,
        VolunteerMember, VolunteerTeamArea, VolunteerTeamPost, WorkOrder, OutreachTeam,
        OutreachMember, OutreachActivity, DeliberationTopic, DeliberationOption,
        DeliberationVote, ServiceApplication,
    ):  # fmt: skip
        rows = await model.all().order_by("id").values()
        drop = automatic - ({"created_at"} if model.__name__ in kept else set())
        tables[model.__name__] = [{k: v for k, v in r.items() if k not in drop} for r in rows]
    await close_orm()
    text = json.dumps(tables, ensure_ascii=False, sort_keys=True, default=str)
    return {
        "rows": sum(len(rows) for rows in tables.values()),
        "digest": hashlib.sha256(text.encode()).hexdigest(),
        "tables": tables,
    }
