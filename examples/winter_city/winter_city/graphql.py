"""What the plugin hands the schema builder."""

from __future__ import annotations

from pathlib import Path

from schema import PlaceOf, SchemaContribution

from winter_city.mutations import WinterMutation
from winter_city.queries import WinterQuery
from winter_city.types import REPORT, CommunityWinter, WinterReport


def contribution() -> SchemaContribution:
    return SchemaContribution(
        query=WinterQuery,
        mutation=WinterMutation,
        type_fields={"Community": CommunityWinter},
        places={WinterReport: PlaceOf()},
        nodes=[REPORT],
        authorization=Path(__file__).with_name("authorization.toml"),
    )
