"""GraphQL types of winter reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum

import strawberry
from schema import CASE, Case, Context, NodeSource, by_id, scoped
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from tortoise.functions import Count, Sum

from winter_city import models
from winter_city.names import NAME, READERS


@strawberry.enum(name="WinterProblemKind", description="What a winter report is about.")
class ProblemKind(Enum):
    SNOW = "SNOW"
    """Snow or ice not cleared from a road, a path or a yard."""
    HEATING = "HEATING"
    """Homes without heating in the heating season."""


@strawberry.enum(name="WinterReportStatus", description="Where a winter report stands.")
class ReportStatus(Enum):
    OPEN = "OPEN"
    """Its case is on the ladder."""
    RESOLVED = "RESOLVED"
    """Its case was resolved (the reporter may still rate it)."""
    CLOSED = "CLOSED"
    """Its case was closed or rejected."""


@scoped(READERS)
@strawberry.type(
    description="A snow-clearing or heating-outage report, with the core case it filed: seen "
    "by the reporter and the staff of its place."
)
class WinterReport(relay.Node):
    id: relay.NodeID[int]
    kind: ProblemKind = strawberry.field(description="Snow or heating.")
    status: ReportStatus = strawberry.field(description="Follows its case.")
    description: str = strawberry.field(description="What the reporter said.")
    households: int = strawberry.field(description="Households without heating (HEATING).")
    source: str = strawberry.field(description="GRAPHQL or OPEN311: how it came in.")
    lon: float | None = strawberry.field(description="Longitude of the point reported.")
    lat: float | None = strawberry.field(description="Latitude of the point reported.")
    created_at: datetime = strawberry.field(description="When it was reported (UTC).")
    resolved_at: datetime | None = strawberry.field(description="When its case was resolved.")
    district_id: strawberry.Private[int]
    street_id: strawberry.Private[int]
    community_id: strawberry.Private[int]
    reporter_id: strawberry.Private[int | None]
    case_id: strawberry.Private[int]

    @strawberry.field(description="The core case it filed (null if you may not see it).")
    async def case(self, info: Info) -> Case | None:
        found: Case | None = await by_id(info.context, CASE).load(self.case_id)
        return found


REPORT = NodeSource(WinterReport, models.WinterReport)


@strawberry.type(description="A community's open winter problems now.")
class WinterSummary:
    open_snow_reports: int = strawberry.field(description="Snow reports still open.")
    heating_outages: int = strawberry.field(description="Heating outages still open.")
    households_without_heating: int = strawberry.field(description="Households those outages name.")


def summaries(context: Context) -> DataLoader[int, WinterSummary]:
    """Each community's open reports, for a whole page of communities in one statement."""

    async def load(ids: Sequence[int]) -> list[WinterSummary]:
        rows = (
            await models.WinterReport.filter(community_id__in=list(ids), status="OPEN")
            .annotate(n=Count("id"), households_total=Sum("households"))
            .group_by("community_id", "kind")
            .values("community_id", "kind", "n", "households_total")
        )
        found = {
            i: WinterSummary(open_snow_reports=0, heating_outages=0, households_without_heating=0)
            for i in ids
        }
        for row in rows:
            summary = found[row["community_id"]]
            if row["kind"] == "SNOW":
                summary.open_snow_reports = row["n"]
            else:
                summary.heating_outages = row["n"]
                summary.households_without_heating = int(row["households_total"] or 0)
        return [found[i] for i in ids]

    return context.loader((NAME, "summaries"), lambda: DataLoader(load))


@strawberry.type
class CommunityWinter:
    @strawberry.field(description="Open snow reports and heating outages in this community.")
    async def winter_summary(self, info: Info) -> WinterSummary | None:
        community_id: int = self.id  # type: ignore[attr-defined]  # added to Community
        return await summaries(info.context).load(community_id)
