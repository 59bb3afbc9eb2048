"""Hegang's region tree at the article's scale: 8 districts, 38 streets and towns, 114
communities, 721 service micro-grids and about 1,400 compounds.

The districts, and the streets and communities the small demo names (工农区 红旗街道 欣虹社区,
南山区 六号街道, ...), keep their codes, so the demo logins and the config file work at both
scales. Streets are Hegang's real sub-district offices and towns; community and compound names
are made up from local words; property companies come from Faker. Areas nest without
overlapping as in the small tree (:mod:`core.demo.regions`): each community is cut in two rows
of grid strips so that a grid stays a plausible block.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from faker import Faker

from core.demo.regions import (
    COMPOUND_PREFIXES,
    COMPOUND_STYLES,
    DISTRICTS,
    UNMANAGED_SHARE,
    Box,
    DemoRegions,
    _box_around,
    _inset,
    _polygon,
    _r,
    _saved,
    _strips,
)
from core.progress import SILENT, Progress
from core.regions.models import Community, Compound, District, Grid, Street

GRIDS = 721  # the article's number
COMMUNITIES_PER_STREET = 3

# Each district's streets (街道) or, in the two counties, towns (镇/乡): the small demo's two
# first, under the same codes.
STREETS: dict[str, tuple[tuple[str, str], ...]] = {
    "xingshan": (("goubei", "沟北街道"), ("lingnan", "岭南街道"), ("gounan", "沟南街道"),
                 ("lingbei", "岭北街道")),
    "xiangyang": (("hongjun", "红军街道"), ("guangming", "光明街道"), ("nanyi", "南翼街道"),
                  ("beishan", "北山街道"), ("shengli", "胜利街道")),
    "gongnong": (("hongqi", "红旗街道"), ("xinhua", "新华街道"), ("yucai", "育才街道"),
                 ("xinjian", "新建街道"), ("hubin", "湖滨街道"), ("tuanjie", "团结街道")),
    "nanshan": (("liuhao", "六号街道"), ("tiexi", "铁西街道"), ("dalu", "大陆街道"),
                ("fuli", "富力街道"), ("lulin", "麓林山街道"), ("tiedong", "铁东街道")),
    "xingan": (("junde", "峻德街道"), ("xingchang", "兴长街道"), ("xingjian", "兴建街道"),
               ("guangyu", "光宇街道")),
    "dongshan": (("gongrencun", "工人村街道"), ("shengli", "胜利街道"), ("dongshan", "东山街道"),
                 ("xinyi", "新一街道"), ("xinhuazhen", "新华镇")),
    "luobei": (("fengxiang", "凤翔镇"), ("hebei", "鹤北镇"), ("mingshan", "名山镇"),
               ("zhaoxing", "肇兴镇")),
    "suibin": (("suibin", "绥滨镇"), ("zhongren", "忠仁镇"), ("suidong", "绥东镇"),
               ("liansheng", "连生乡")),
}  # fmt: skip
PINNED = ("gongnong", "hongqi", "xinhong", "欣虹社区")
"""The community the demo logins live in: first community of 工农区 红旗街道 at both scales."""

COMMUNITY_WORDS = (
    "红星", "新华", "建设", "光明", "和平", "幸福", "友谊", "团结", "民主", "富民", "康乐",
    "安泰", "阳光", "松鹤", "鹤翔", "金山", "峻德", "新城", "龙泉", "东风", "前进", "北山",
    "南岭", "福泰", "锦华", "嘉和", "百花", "湖滨", "育才", "春晖", "兴华", "永昌", "长安",
    "文化", "胜利", "向阳", "红旗", "解放", "振兴", "繁荣", "安康", "和谐", "祥和", "丰收",
    "曙光", "朝阳", "新风", "青山", "绿水", "宝山", "矿建", "煤海", "鹤鸣", "松涛", "桦林",
    "林海", "丽园", "景苑", "华府", "利民", "惠民", "安居", "乐业", "泰和", "恒通", "宏伟",
    "昌盛", "兴旺", "吉祥", "如意", "富强", "光华", "红光", "立新", "六马", "铁路", "站前",
    "电厂", "水源", "峻岭", "南山", "北岸", "西林", "东兴", "中心", "河畔", "山水", "翠峰",
)  # fmt: skip
MORE_PREFIXES = (
    "鹤北", "鹤南", "金地", "银河", "万达", "恒大", "碧桂", "东方", "中央", "滨河", "阳光",
    "世纪", "锦绣", "紫金", "香榭", "御景", "天润", "瑞祥", "汇丰", "盛世", "润泽", "清华",
    "松花", "黑龙", "兴安", "龙江", "北国", "雪城", "煤都", "矿山",
)  # fmt: skip
MORE_STYLES = ("名苑", "公寓", "小镇", "新城", "一期", "二期")


class _Placed(NamedTuple):
    row: Community | Grid
    box: Box


async def create_city_regions(
    rng: random.Random, fake: Faker, progress: Progress = SILENT
) -> DemoRegions:
    """Insert the city tree; ``rng`` and ``fake`` alone decide every random pick."""
    progress.phase("region tree", 5)
    districts = await _saved(District, [District(code=p.code, name=p.name) for p in DISTRICTS])
    progress.advance()

    streets: list[Street] = []
    street_boxes: list[Box] = []
    for district, plan in zip(districts, DISTRICTS, strict=True):
        box = _box_around(plan.lon, plan.lat, plan.span)
        offices = STREETS[district.code]
        for (code, name), part in zip(offices, _strips(box, len(offices), rng, along_lon=True),
                                      strict=True):  # fmt: skip
            streets.append(Street(code=code, name=name, district_id=district.id))
            street_boxes.append(part)
    streets = await _saved(Street, streets)
    progress.advance()

    code_of = {d.id: d.code for d in districts}
    communities: list[Community] = []
    community_boxes: list[Box] = []
    names_in: dict[int, set[str]] = {d.id: set() for d in districts}
    for street, street_box in zip(streets, street_boxes, strict=True):
        parts = _strips(street_box, COMMUNITIES_PER_STREET, rng, along_lon=False)
        for number, part in enumerate(parts, start=1):
            pinned = (code_of[street.district_id], street.code, number) == (*PINNED[:2], 1)
            if pinned:
                code, name = PINNED[2], PINNED[3]
            else:
                code, name = f"{street.code}{number}", _community_name(rng, names_in, street)
            names_in[street.district_id].add(name)
            west, south, east, north = part
            communities.append(Community(
                code=code, name=name, district_id=street.district_id, street_id=street.id,
                centre_lon=_r((west + east) / 2), centre_lat=_r((south + north) / 2),
            ))  # fmt: skip
            community_boxes.append(part)
    communities = await _saved(Community, communities)
    progress.advance()

    per_community = [GRIDS // len(communities)] * len(communities)
    for index in rng.sample(range(len(communities)), GRIDS % len(communities)):
        per_community[index] += 1
    grids: list[Grid] = []
    grid_boxes: list[Box] = []
    for community, box, count in zip(communities, community_boxes, per_community, strict=True):
        rows = _strips(box, 2, rng, along_lon=False)
        parts = [
            *_strips(rows[0], (count + 1) // 2, rng, along_lon=True),
            *_strips(rows[1], count // 2, rng, along_lon=True),
        ]
        for number, part in enumerate(parts, start=1):
            grids.append(Grid(
                code=f"{community.code}-g{number}", name=f"{community.name}第{number}网格",
                district_id=community.district_id, street_id=community.street_id,
                community_id=community.id, boundary=_polygon(part),
            ))  # fmt: skip
            grid_boxes.append(part)
    grids = await _saved(Grid, grids)
    progress.advance()

    compounds: list[Compound] = []
    taken: set[tuple[int, str]] = set()
    for grid, grid_box in zip(grids, grid_boxes, strict=True):
        for number, part in enumerate(_strips(grid_box, rng.randint(1, 3), rng, along_lon=False),
                                      start=1):  # fmt: skip
            managed = rng.random() >= UNMANAGED_SHARE
            company = f"鹤岗市{fake.company_prefix()}物业服务有限公司" if managed else None
            compounds.append(Compound(
                code=f"{grid.code}-c{number}", name=_compound_name(rng, grid.district_id, taken),
                district_id=grid.district_id, street_id=grid.street_id,
                community_id=grid.community_id, grid_id=grid.id,
                boundary=_polygon(_inset(part, rng)), has_property_management=managed,
                property_company=company,
            ))  # fmt: skip
    compounds = await _saved(Compound, compounds)
    progress.advance()
    return DemoRegions(districts, streets, communities, grids, compounds)


def _community_name(rng: random.Random, names_in: dict[int, set[str]], street: Street) -> str:
    """A community name not yet used in the district."""
    taken = names_in[street.district_id]
    while True:
        name = f"{rng.choice(COMMUNITY_WORDS)}社区"
        if name not in taken and name != PINNED[3]:
            return name


def _compound_name(rng: random.Random, district_id: int, taken: set[tuple[int, str]]) -> str:
    """A compound name not yet used in the district (a city has many more than the town)."""
    prefixes, styles = (*COMPOUND_PREFIXES, *MORE_PREFIXES), (*COMPOUND_STYLES, *MORE_STYLES)
    while True:
        name = f"{rng.choice(prefixes)}{rng.choice(styles)}小区"
        if (district_id, name) not in taken:
            taken.add((district_id, name))
            return name
