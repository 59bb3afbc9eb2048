"""GraphQL types of the region tree. Objects are built from plain rows (see ``schema.nodes``);
relations go through request-scoped loaders, never one query per row."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.activation import Place
from core.regions import models
from schema.contribution import PlaceOf
from schema.loaders import by_id, child_counts, child_pages
from schema.nodes import NodeSource
from schema.regions.modules import ModuleStatus, module_statuses
from schema.relay import DEFAULT_FIRST, Connection, PageArgs, make_connection
from schema.scalars import GeoJSON

FIRST = strawberry.argument(description="How many items to return (at most 100).")
AFTER = strawberry.argument(description="Return items after this cursor (`endCursor`).")
FirstArg = Annotated[int, FIRST]
AfterArg = Annotated[str | None, AFTER]


async def children(
    info: Info, source: NodeSource, parent: str, parent_id: int, first: int, after: str | None
) -> Connection:
    page = PageArgs.of(first, after)
    nodes, has_next = await child_pages(info.context, source, parent).load((parent_id, page))
    counts = child_counts(info.context, source, parent)
    return make_connection(
        nodes, has_next, key=lambda n: n.id, count=lambda: counts.load(parent_id)
    )


@strawberry.type(description="区/县: a district, the unit that switches modules on or off.")
class District(relay.Node):
    """The GraphQL ``District`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Stable code used in the config file, e.g. gongnong.")
    name: str = strawberry.field(description="Name, e.g. 工农区.")

    @strawberry.field(description="Modules and whether each is on in this district.")
    def modules(self, info: Info) -> list[ModuleStatus]:
        return module_statuses(info.context, Place(self.code))

    @strawberry.field(description="Streets of the district, in creation order.")
    async def streets(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Street]:
        return await children(info, STREET, "district_id", self.id, first, after)

    @strawberry.field(description="Communities of the district, in creation order.")
    async def communities(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Community]:
        return await children(info, COMMUNITY, "district_id", self.id, first, after)

    @strawberry.field(description="Service grids of the district, in creation order.")
    async def grids(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Grid]:
        return await children(info, GRID, "district_id", self.id, first, after)


@strawberry.type(description="街道: a street (sub-district) office.")
class Street(relay.Node):
    """The GraphQL ``Street`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique within the district.")
    name: str = strawberry.field(description="Name, e.g. 六号街道.")
    district_id: strawberry.Private[int]

    @strawberry.field(description="The district the street belongs to.")
    async def district(self, info: Info) -> District:
        return await by_id(info.context, DISTRICT).load(self.district_id)

    @strawberry.field(description="Modules and whether each is on in this street.")
    async def modules(self, info: Info) -> list[ModuleStatus]:
        district = await by_id(info.context, DISTRICT).load(self.district_id)
        return module_statuses(info.context, Place(district.code, self.code))

    @strawberry.field(description="Communities of the street, in creation order.")
    async def communities(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Community]:
        return await children(info, COMMUNITY, "street_id", self.id, first, after)


@strawberry.type(description="社区: a community (neighbourhood committee).")
class Community(relay.Node):
    """The GraphQL ``Community`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique within the district.")
    name: str = strawberry.field(description="Name, e.g. 欣虹社区.")
    centre_lon: float | None = strawberry.field(description="Longitude of the centre (WGS84).")
    centre_lat: float | None = strawberry.field(description="Latitude of the centre (WGS84).")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]

    @strawberry.field(description="The street the community belongs to.")
    async def street(self, info: Info) -> Street:
        return await by_id(info.context, STREET).load(self.street_id)

    @strawberry.field(description="The district the community belongs to.")
    async def district(self, info: Info) -> District:
        return await by_id(info.context, DISTRICT).load(self.district_id)

    @strawberry.field(description="Modules and whether each is on in this community.")
    async def modules(self, info: Info) -> list[ModuleStatus]:
        district = await by_id(info.context, DISTRICT).load(self.district_id)
        street = await by_id(info.context, STREET).load(self.street_id)
        return module_statuses(info.context, Place(district.code, street.code, self.code))

    @strawberry.field(description="Service grids of the community, in creation order.")
    async def grids(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Grid]:
        return await children(info, GRID, "community_id", self.id, first, after)

    @strawberry.field(description="Residential compounds of the community, in creation order.")
    async def compounds(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Compound]:
        return await children(info, COMPOUND, "community_id", self.id, first, after)


@strawberry.type(description="服务微网格: the smallest service area, staffed by grid workers.")
class Grid(relay.Node):
    """The GraphQL ``Grid`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique within the district.")
    name: str = strawberry.field(description="Name of the grid.")
    boundary: GeoJSON | None = strawberry.field(description="Boundary as a GeoJSON Polygon.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @strawberry.field(description="The community the grid belongs to.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)

    @strawberry.field(description="Residential compounds in the grid, in creation order.")
    async def compounds(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Compound]:
        return await children(info, COMPOUND, "grid_id", self.id, first, after)


@strawberry.type(description="小区: a residential compound (estate).")
class Compound(relay.Node):
    """The GraphQL ``Compound`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique within the district.")
    name: str = strawberry.field(description="Name of the compound.")
    boundary: GeoJSON | None = strawberry.field(description="Boundary as a GeoJSON Polygon.")
    has_property_management: bool = strawberry.field(
        description="Whether a property company manages it (false: 无物业小区)."
    )
    property_company: str | None = strawberry.field(description="The property company, if any.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    grid_id: strawberry.Private[int]

    @strawberry.field(description="The grid the compound lies in.")
    async def grid(self, info: Info) -> Grid:
        return await by_id(info.context, GRID).load(self.grid_id)

    @strawberry.field(description="The community the compound belongs to.")
    async def community(self, info: Info) -> Community:
        return await by_id(info.context, COMMUNITY).load(self.community_id)


DISTRICT = NodeSource(District, models.District)
STREET = NodeSource(Street, models.Street)
COMMUNITY = NodeSource(Community, models.Community)
GRID = NodeSource(Grid, models.Grid)
COMPOUND = NodeSource(Compound, models.Compound)

REGION_NODES = (DISTRICT, STREET, COMMUNITY, GRID, COMPOUND)

REGION_PLACES: dict[type, PlaceOf] = {
    District: PlaceOf(district="id", street=None, community=None),
    Street: PlaceOf(district="district_id", street="id", community=None),
    Community: PlaceOf(district="district_id", street="street_id", community="id"),
    Grid: PlaceOf(),
    Compound: PlaceOf(),
}
