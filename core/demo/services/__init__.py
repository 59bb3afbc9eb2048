"""Demo community services at the article's scale: 350 party-mass service stations offering the
57-item one-stop catalogue, 45 银发志愿服务队 with work orders, 30 政策宣讲团 of 334 cadres with
their activities, and deliberation topics in every district.

Station staff are demo people who already exist (欣虹社区's community worker runs its
community station); volunteer teams get retired party members living in their responsibility
compounds, and outreach teams the 334 cadres. Times are relative to ``now`` (city time zone),
everything else comes from ``rng``: the same seed and ``now`` give the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from core.access.models import Account
from core.demo.regions import DemoRegions
from core.demo.services.deliberation import create_deliberation_topics
from core.demo.services.outreach import create_outreach_teams
from core.demo.services.requests import create_applications, create_work_orders
from core.demo.services.stations import create_stations
from core.demo.services.town import Town
from core.demo.services.volunteers import create_volunteer_teams
from core.people.models import Person
from core.stations.catalogue import read_standard_catalogue, seed_catalogue
from core.stations.models import CatalogueItem

__all__ = ["DemoServices", "create_demo_services"]


@dataclass(frozen=True)
class DemoServices:
    """How many rows of each kind the demo made."""

    stations: int
    catalogue_items: int
    volunteer_teams: int
    outreach_teams: int
    topics: int
    applications: int
    work_orders: int


async def create_demo_services(
    regions: DemoRegions, rng: random.Random, *, now: datetime | None = None
) -> DemoServices:
    """Create the demo stations, catalogue, volunteer teams, outreach teams, deliberation topics,
    applications and work orders. Call after :func:`core.demo.people.create_demo_people`,
    inside the demo transaction."""
    await seed_catalogue(read_standard_catalogue())
    items = {row.code: row for row in await CatalogueItem.filter(active=True).order_by("id")}
    logins = dict(await Account.all().values_list("username", "person_id"))
    town = Town(regions, rng, now or datetime.now(UTC), logins)
    for person in await Person.filter(home_community_id__isnull=False).order_by("id"):
        town.residents[person.home_community_id or 0].append(person)

    # Every builder draws from the one ``rng``: calling them in another order changes the rows.
    stations = await create_stations(town, items)
    teams = await create_volunteer_teams(town)
    outreach = await create_outreach_teams(town)
    topics, decided = await create_deliberation_topics(town, teams)
    applications = await create_applications(town, stations, items)
    orders = await create_work_orders(town, teams)
    return DemoServices(stations=len(stations), catalogue_items=len(items),
                        volunteer_teams=len(teams), outreach_teams=outreach, topics=topics,
                        applications=applications, work_orders=orders + decided)  # fmt: skip
