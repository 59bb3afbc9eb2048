"""The city-scale demo's core part, in the order the rows depend on each other: the region
tree, the people, the community services (the small demo's builders, which take the article's
numbers either way) and a year of cases. Modules then add theirs through ``load_demo_data``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from faker import Faker

from core.cases.categories import CaseCategory
from core.config.model import HemeiConfig
from core.demo.city.cases import create_city_cases
from core.demo.city.ladder import LadderWriter
from core.demo.city.people import create_city_people
from core.demo.city.regions import create_city_regions
from core.demo.regions import DemoRegions
from core.demo.services import create_demo_services
from core.progress import SILENT, Progress

FAKER_LOCALE = "zh_CN"


@dataclass
class City:
    """What the modules' demo data builds on."""

    regions: DemoRegions
    fake: Faker
    ladder: LadderWriter


def seeded_faker(seed: int) -> Faker:
    """A Faker for Chinese names, phone numbers and addresses that gives the same values for
    the same seed (and the same calls in the same order)."""
    fake = Faker(FAKER_LOCALE)
    fake.seed_instance(seed)
    return fake


async def create_city(
    config: HemeiConfig,
    categories: Mapping[str, CaseCategory],
    rng: random.Random,
    seed: int,
    now: datetime,
    progress: Progress = SILENT,
) -> City:
    """Create core's part of the city demo inside the caller's transaction."""
    fake = seeded_faker(seed)
    regions = await create_city_regions(rng, fake, progress)
    people = await create_city_people(regions, rng, fake, progress)
    progress.phase("community services", 1)
    await create_demo_services(regions, rng, now=now)
    progress.advance()
    ladder = LadderWriter(config.cases, categories, rng, now)
    zone = ZoneInfo(config.city.time_zone)
    await create_city_cases(ladder, regions, people, rng, fake, zone, progress)
    return City(regions, fake, ladder)
