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
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.planner.declare import Children, Parent
from schema.regions.modules import ModuleStatus, module_statuses
from schema.relay import DEFAULT_FIRST, Connection
from schema.scalars import GeoJSON

FIRST = strawberry.argument(description="How many items to return (at most 100).")
AFTER = strawberry.argument(description="Return items after this cursor (`endCursor`).")
FirstArg = Annotated[int, FIRST]
AfterArg = Annotated[str | None, AFTER]


# The region tree's relations, declared once for the resolvers and the planner.
STREETS_OF_DISTRICT = Children(lambda: STREET, "district_id")
COMMUNITIES_OF_DISTRICT = Children(lambda: COMMUNITY, "district_id")
GRIDS_OF_DISTRICT = Children(lambda: GRID, "district_id")
COMMUNITIES_OF_STREET = Children(lambda: COMMUNITY, "street_id")
GRIDS_OF_COMMUNITY = Children(lambda: GRID, "community_id")
COMPOUNDS_OF_COMMUNITY = Children(lambda: COMPOUND, "community_id")
COMPOUNDS_OF_GRID = Children(lambda: COMPOUND, "grid_id")
DISTRICT_OF = Parent(lambda: DISTRICT, "district_id")
STREET_OF = Parent(lambda: STREET, "street_id")
COMMUNITY_OF = Parent(lambda: COMMUNITY, "community_id")
GRID_OF = Parent(lambda: GRID, "grid_id")


@strawberry.type(description="区/县: a district, the unit that switches modules on or off.")
class District(relay.Node):
    """The GraphQL ``District`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Stable code used in the config file, e.g. gongnong.")
    name: str = strawberry.field(description="Name, e.g. 工农区.")

    @strawberry.field(description="Modules and whether each is on in this district.")
    def modules(self, info: Info) -> list[ModuleStatus]:
        return module_statuses(info.context, Place(self.code))

    @strawberry.field(
        description="Streets of the district, in creation order.",
        metadata=STREETS_OF_DISTRICT.metadata,
    )
    async def streets(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Street]:
        return await STREETS_OF_DISTRICT.connection(info, self.id, first, after)

    @strawberry.field(
        description="Communities of the district, in creation order.",
        metadata=COMMUNITIES_OF_DISTRICT.metadata,
    )
    async def communities(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Community]:
        return await COMMUNITIES_OF_DISTRICT.connection(info, self.id, first, after)

    @strawberry.field(
        description="Service grids of the district, in creation order.",
        metadata=GRIDS_OF_DISTRICT.metadata,
    )
    async def grids(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Grid]:
        return await GRIDS_OF_DISTRICT.connection(info, self.id, first, after)


@strawberry.type(description="街道: a street (sub-district) office.")
class Street(relay.Node):
    """The GraphQL ``Street`` type; name it in ``type_fields`` to add fields to it."""

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Code, unique within the district.")
    name: str = strawberry.field(description="Name, e.g. 六号街道.")
    district_id: strawberry.Private[int]

    @strawberry.field(
        description="The district the street belongs to.", metadata=DISTRICT_OF.metadata
    )
    async def district(self, info: Info) -> District:
        return await DISTRICT_OF.load(info, self)

    @strawberry.field(description="Modules and whether each is on in this street.")
    async def modules(self, info: Info) -> list[ModuleStatus]:
        district = await by_id(info.context, DISTRICT).load(self.district_id)
        return module_statuses(info.context, Place(district.code, self.code))

    @strawberry.field(
        description="Communities of the street, in creation order.",
        metadata=COMMUNITIES_OF_STREET.metadata,
    )
    async def communities(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Community]:
        return await COMMUNITIES_OF_STREET.connection(info, self.id, first, after)


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

    @strawberry.field(
        description="The street the community belongs to.", metadata=STREET_OF.metadata
    )
    async def street(self, info: Info) -> Street:
        return await STREET_OF.load(info, self)

    @strawberry.field(
        description="The district the community belongs to.", metadata=DISTRICT_OF.metadata
    )
    async def district(self, info: Info) -> District:
        return await DISTRICT_OF.load(info, self)

    @strawberry.field(description="Modules and whether each is on in this community.")
    async def modules(self, info: Info) -> list[ModuleStatus]:
        district = await by_id(info.context, DISTRICT).load(self.district_id)
        street = await by_id(info.context, STREET).load(self.street_id)
        return module_statuses(info.context, Place(district.code, street.code, self.code))

    @strawberry.field(
        description="Service grids of the community, in creation order.",
        metadata=GRIDS_OF_COMMUNITY.metadata,
    )
    async def grids(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Grid]:
        return await GRIDS_OF_COMMUNITY.connection(info, self.id, first, after)

    @strawberry.field(
        description="Residential compounds of the community, in creation order.",
        metadata=COMPOUNDS_OF_COMMUNITY.metadata,
    )
    async def compounds(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Compound]:
        return await COMPOUNDS_OF_COMMUNITY.connection(info, self.id, first, after)


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

    @strawberry.field(
        description="The community the grid belongs to.", metadata=COMMUNITY_OF.metadata
    )
    async def community(self, info: Info) -> Community:
        return await COMMUNITY_OF.load(info, self)

    @strawberry.field(
        description="Residential compounds in the grid, in creation order.",
        metadata=COMPOUNDS_OF_GRID.metadata,
    )
    async def compounds(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[Compound]:
        return await COMPOUNDS_OF_GRID.connection(info, self.id, first, after)


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

    @strawberry.field(description="The grid the compound lies in.", metadata=GRID_OF.metadata)
    async def grid(self, info: Info) -> Grid:
        return await GRID_OF.load(info, self)

    @strawberry.field(
        description="The community the compound belongs to.", metadata=COMMUNITY_OF.metadata
    )
    async def community(self, info: Info) -> Community:
        return await COMMUNITY_OF.load(info, self)


DISTRICT: NodeSource = NodeSource(District, models.District)
STREET: NodeSource = NodeSource(Street, models.Street)
COMMUNITY: NodeSource = NodeSource(Community, models.Community)
GRID: NodeSource = NodeSource(Grid, models.Grid)
COMPOUND: NodeSource = NodeSource(Compound, models.Compound)

REGION_NODES = (DISTRICT, STREET, COMMUNITY, GRID, COMPOUND)

REGION_PLACES: dict[type, PlaceOf] = {
    District: PlaceOf(district="id", street=None, community=None),
    Street: PlaceOf(district="district_id", street="id", community=None),
    Community: PlaceOf(district="district_id", street="street_id", community="id"),
    Grid: PlaceOf(),
    Compound: PlaceOf(),
}
