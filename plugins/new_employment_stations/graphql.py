"""The module's part of the schema: root fields, a field on ``Community``, node types, where
each type's objects sit (for the module gate) and the authorization matrix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from plugins.new_employment_stations import models
from plugins.new_employment_stations.mutations import StationsMutation
from plugins.new_employment_stations.places import NAME
from plugins.new_employment_stations.queries import StationsQuery
from plugins.new_employment_stations.types import (
    ACTIVITY,
    REPORT,
    STATION,
    VISIT,
    WORKER,
    GigWorker,
    GigWorkerLeaderboard,
    GigWorkerReport,
    NearbyWorkerStation,
    WorkerActivity,
    WorkerStation,
    WorkerStationFigures,
    WorkerStationVisit,
)
from schema import Community, Context, PlaceOf, SchemaContribution, cost


def _by_community(context: Context) -> DataLoader[int, list[WorkerStation]]:
    async def load(ids: Sequence[int]) -> list[list[WorkerStation]]:
        rows = (
            await models.Station.filter(community_id__in=list(ids))
            .order_by("id")
            .values(*STATION.columns)
        )
        found: dict[int, list[WorkerStation]] = {i: [] for i in ids}
        for row in rows:
            found[row["community_id"]].append(STATION.build(row))
        return [found[i] for i in ids]

    return context.loader((NAME, "by_community"), lambda: DataLoader(load))


@strawberry.type
class CommunityStations:
    @strawberry.field(
        description="Stations for couriers, riders and drivers in this community.",
        metadata=cost(size=20),
    )
    async def worker_stations(self, info: Info) -> list[WorkerStation] | None:
        community: Community = self  # type: ignore[assignment]  # fields added to Community get a Community
        return await _by_community(info.context).load(community.id)


DISTRICT_ONLY = PlaceOf(street=None, community=None)


def contribution() -> SchemaContribution:
    return SchemaContribution(
        query=StationsQuery,
        mutation=StationsMutation,
        type_fields={"Community": CommunityStations},
        places={
            WorkerStation: PlaceOf(),
            NearbyWorkerStation: PlaceOf(),
            WorkerStationVisit: PlaceOf(),
            WorkerActivity: PlaceOf(),
            GigWorkerReport: PlaceOf(),
            GigWorker: DISTRICT_ONLY,
            GigWorkerLeaderboard: DISTRICT_ONLY,
            WorkerStationFigures: PlaceOf(),
        },
        nodes=[STATION, WORKER, VISIT, ACTIVITY, REPORT],
        authorization=Path(__file__).with_name("authorization.toml"),
    )
