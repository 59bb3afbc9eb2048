"""A small, plausible Hegang region tree: 8 districts, 16 streets, 32 communities, 96 grids.

Areas are nested rectangles around each district's real-world centre, cut with jitter from the
caller's ``rng``: grids tile their community without overlapping and every compound lies inside
its grid, so "which grid holds this point?" has one answer. The same seed gives the same tree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NamedTuple, TypeVar

from tortoise.transactions import in_transaction

from core.regions.models import Community, Compound, District, Grid, Street

Box = tuple[float, float, float, float]
"""west, south, east, north (WGS84 degrees)."""


class _DistrictPlan(NamedTuple):
    code: str
    name: str
    lon: float
    lat: float
    streets: tuple[tuple[str, str], ...]
    span: tuple[float, float] = (0.05, 0.03)  # degrees of longitude, latitude


# The codes are a contract with the config file, which switches modules per district by code.
# Urban boxes sit within ~0.1° of the city centre (130.30, 47.35) and do not touch each other.
DISTRICTS: tuple[_DistrictPlan, ...] = (
    _DistrictPlan("xingshan", "兴山区", 130.300, 47.390,
        (("goubei", "沟北街道"), ("lingnan", "岭南街道"))),
    _DistrictPlan("xiangyang", "向阳区", 130.290, 47.350,
        (("hongjun", "红军街道"), ("guangming", "光明街道"))),
    _DistrictPlan("gongnong", "工农区", 130.250, 47.310,
        (("hongqi", "红旗街道"), ("xinhua", "新华街道"))),
    _DistrictPlan("nanshan", "南山区", 130.310, 47.300,
        (("liuhao", "六号街道"), ("tiexi", "铁西街道"))),
    _DistrictPlan("xingan", "兴安区", 130.220, 47.260,
        (("junde", "峻德街道"), ("xingchang", "兴长街道"))),
    _DistrictPlan("dongshan", "东山区", 130.350, 47.350,
        (("gongrencun", "工人村街道"), ("shengli", "胜利街道"))),
    # Counties have towns (镇) where cities have streets; their seats are larger and further out.
    _DistrictPlan("luobei", "萝北县", 130.830, 47.580,
        (("fengxiang", "凤翔镇"), ("hebei", "鹤北镇")), (0.08, 0.05)),
    _DistrictPlan("suibin", "绥滨县", 131.850, 47.290,
        (("suibin", "绥滨镇"), ("zhongren", "忠仁镇")), (0.08, 0.05)),
)  # fmt: skip

# 欣虹社区 (named in the article) goes to 工农区; the rest are shuffled over the other streets.
PINNED_COMMUNITY = ("gongnong", "xinhong", "欣虹社区")
COMMUNITIES: tuple[tuple[str, str], ...] = (
    ("hongxing", "红星社区"), ("xinhua", "新华社区"), ("jianshe", "建设社区"),
    ("guangming", "光明社区"), ("heping", "和平社区"), ("xingfu", "幸福社区"),
    ("youyi", "友谊社区"), ("tuanjie", "团结社区"), ("minzhu", "民主社区"),
    ("fumin", "富民社区"), ("kangle", "康乐社区"), ("antai", "安泰社区"),
    ("yangguang", "阳光社区"), ("songhe", "松鹤社区"), ("hexiang", "鹤翔社区"),
    ("jinshan", "金山社区"), ("junde", "峻德社区"), ("xincheng", "新城社区"),
    ("longquan", "龙泉社区"), ("dongfeng", "东风社区"), ("qianjin", "前进社区"),
    ("beishan", "北山社区"), ("nanling", "南岭社区"), ("futai", "福泰社区"),
    ("jinhua", "锦华社区"), ("jiahe", "嘉和社区"), ("baihua", "百花社区"),
    ("hubin", "湖滨社区"), ("yucai", "育才社区"), ("chunhui", "春晖社区"),
    ("xinghua", "兴华社区"), ("yongchang", "永昌社区"),
)  # fmt: skip
COMPOUND_PREFIXES = (
    "鹤城", "煤城", "矿工", "龙腾", "富力", "金色", "康馨", "翠苑",
    "和谐", "怡景", "松江", "北岸", "丽水", "书香", "兴业", "长青",
)  # fmt: skip
COMPOUND_STYLES = ("家园", "花园", "新村", "嘉园", "佳苑", "雅居", "华庭", "")
PROPERTY_COMPANIES = ("龙煤", "安居", "鑫源", "宏达", "恒泰", "佳宁", "金盾", "祥和", "鹤鸣")
UNMANAGED_SHARE = 1 / 7
"""Share of compounds without property management (无物业小区); the article reports 86% cover."""

GRIDS_PER_COMMUNITY = 3


@dataclass(frozen=True)
class DemoRegions:
    """The created rows, each level in creation order, with database ids."""

    districts: list[District]
    streets: list[Street]
    communities: list[Community]
    grids: list[Grid]
    compounds: list[Compound]


def _r(value: float) -> float:
    return round(value, 6)


def _box_around(lon: float, lat: float, span: tuple[float, float]) -> Box:
    half_lon, half_lat = span[0] / 2, span[1] / 2
    return _r(lon - half_lon), _r(lat - half_lat), _r(lon + half_lon), _r(lat + half_lat)


def _strips(box: Box, n: int, rng: random.Random, *, along_lon: bool) -> list[Box]:
    """Cut ``box`` into ``n`` strips; cuts are rounded once so neighbours share the exact edge."""
    west, south, east, north = box
    lo, hi = (west, east) if along_lon else (south, north)
    jitter = 0.2 / n
    inner = (_r(lo + (hi - lo) * (i / n + rng.uniform(-jitter, jitter))) for i in range(1, n))
    pairs = list(pairwise([lo, *inner, hi]))
    if along_lon:
        return [(a, south, b, north) for a, b in pairs]
    return [(west, a, east, b) for a, b in pairs]


def _inset(box: Box, rng: random.Random) -> Box:
    west, south, east, north = box
    dx, dy = east - west, north - south
    return (
        _r(west + dx * rng.uniform(0.08, 0.25)),
        _r(south + dy * rng.uniform(0.08, 0.25)),
        _r(east - dx * rng.uniform(0.08, 0.25)),
        _r(north - dy * rng.uniform(0.08, 0.25)),
    )


def _polygon(box: Box) -> dict[str, Any]:
    """A GeoJSON Polygon for ``box``: one closed, counter-clockwise ring of [lon, lat]."""
    west, south, east, north = box
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


R = TypeVar("R", District, Street, Community, Grid, Compound)


async def _saved(model: type[R], rows: list[R]) -> list[R]:
    """Insert ``rows`` and read them back: ``bulk_create`` does not set ids on every backend."""
    await model.bulk_create(rows)
    stored = await model.filter(code__in=[row.code for row in rows])
    by_key = {(getattr(row, "district_id", None), row.code): row for row in stored}
    return [by_key[getattr(row, "district_id", None), row.code] for row in rows]


async def create_demo_regions(rng: random.Random) -> DemoRegions:
    """Insert the demo region tree in one transaction; ``rng`` alone decides every random pick."""
    async with in_transaction():
        districts = await _saved(District, [District(code=p.code, name=p.name) for p in DISTRICTS])
        code_of = {d.id: d.code for d in districts}

        streets: list[Street] = []
        street_boxes: list[Box] = []
        for district, plan in zip(districts, DISTRICTS, strict=True):
            box = _box_around(plan.lon, plan.lat, plan.span)
            parts = _strips(box, len(plan.streets), rng, along_lon=True)
            for (code, name), part in zip(plan.streets, parts, strict=True):
                streets.append(Street(code=code, name=name, district_id=district.id))
                street_boxes.append(part)
        streets = await _saved(Street, streets)

        pool = list(COMMUNITIES)
        rng.shuffle(pool)
        pinned_left = True
        communities: list[Community] = []
        community_boxes: list[Box] = []
        for street, street_box in zip(streets, street_boxes, strict=True):
            for part in _strips(street_box, 2, rng, along_lon=False):
                if pinned_left and code_of[street.district_id] == PINNED_COMMUNITY[0]:
                    _, code, name = PINNED_COMMUNITY
                    pinned_left = False
                else:
                    code, name = pool.pop()
                west, south, east, north = part
                communities.append(
                    Community(
                        code=code,
                        name=name,
                        district_id=street.district_id,
                        street_id=street.id,
                        centre_lon=_r((west + east) / 2),
                        centre_lat=_r((south + north) / 2),
                    )
                )
                community_boxes.append(part)
        communities = await _saved(Community, communities)

        grids: list[Grid] = []
        grid_boxes: list[Box] = []
        for community, community_box in zip(communities, community_boxes, strict=True):
            parts = _strips(community_box, GRIDS_PER_COMMUNITY, rng, along_lon=True)
            for number, part in enumerate(parts, start=1):
                grids.append(
                    Grid(
                        code=f"{community.code}-g{number}",
                        name=f"{community.name}第{number}网格",
                        district_id=community.district_id,
                        street_id=community.street_id,
                        community_id=community.id,
                        boundary=_polygon(part),
                    )
                )
                grid_boxes.append(part)
        grids = await _saved(Grid, grids)

        compounds: list[Compound] = []
        names_taken: set[tuple[int, str]] = set()
        for grid, grid_box in zip(grids, grid_boxes, strict=True):
            parts = _strips(grid_box, rng.randint(1, 2), rng, along_lon=False)
            for number, part in enumerate(parts, start=1):
                name = _compound_name(rng, grid.district_id, names_taken)
                managed = rng.random() >= UNMANAGED_SHARE
                company = _company_name(rng) if managed else None
                compounds.append(
                    Compound(
                        code=f"{grid.code}-c{number}",
                        name=name,
                        district_id=grid.district_id,
                        street_id=grid.street_id,
                        community_id=grid.community_id,
                        grid_id=grid.id,
                        boundary=_polygon(_inset(part, rng)),
                        has_property_management=managed,
                        property_company=company,
                    )
                )
        compounds = await _saved(Compound, compounds)

    return DemoRegions(districts, streets, communities, grids, compounds)


def _compound_name(rng: random.Random, district_id: int, taken: set[tuple[int, str]]) -> str:
    """A compound name not yet used in the district, so residents can tell them apart."""
    while True:
        name = f"{rng.choice(COMPOUND_PREFIXES)}{rng.choice(COMPOUND_STYLES)}小区"
        if (district_id, name) not in taken:
            taken.add((district_id, name))
            return name


def _company_name(rng: random.Random) -> str:
    return f"鹤岗市{rng.choice(PROPERTY_COMPANIES)}物业服务有限公司"
