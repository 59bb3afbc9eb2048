"""What the canteen module adds to the GraphQL schema."""

from __future__ import annotations

from pathlib import Path

from plugins.elderly_canteen.mutations import CanteenMutation
from plugins.elderly_canteen.queries import (
    CanteenQuery,
    CommunityCanteenFigures,
    DistrictCanteenFigures,
    StreetCanteenFigures,
)
from plugins.elderly_canteen.reports import CanteenElderStatement, CanteenSubsidyReport
from plugins.elderly_canteen.types import (
    CANTEEN,
    ELDER,
    MEAL,
    SITTING,
    Canteen,
    CanteenElder,
    CanteenMeal,
    CanteenSitting,
)
from schema import PlaceOf, SchemaContribution


def contribution() -> SchemaContribution:
    return SchemaContribution(
        query=CanteenQuery,
        mutation=CanteenMutation,
        type_fields={
            "District": DistrictCanteenFigures,
            "Street": StreetCanteenFigures,
            "Community": CommunityCanteenFigures,
        },
        places={
            Canteen: PlaceOf(),
            CanteenSitting: PlaceOf(),
            CanteenElder: PlaceOf(),
            CanteenMeal: PlaceOf(),
            CanteenElderStatement: PlaceOf(),
            CanteenSubsidyReport: PlaceOf(),
        },
        nodes=[CANTEEN, SITTING, ELDER, MEAL],
        authorization=Path(__file__).with_name("authorization.toml"),
    )
