"""Dashboard figures, shown where the module is on."""

from __future__ import annotations

from datetime import datetime

from core import FigureSpec, PlaceScope, Unit
from tortoise.functions import Sum

from winter_city.models import WinterReport


async def snow_reports(place: PlaceScope, start: datetime, end: datetime) -> float | None:
    where = place.q()
    if where is None:
        return None
    return await WinterReport.filter(
        where, kind="SNOW", created_at__gte=start, created_at__lt=end
    ).count()


async def households_without_heating(
    place: PlaceScope, start: datetime, end: datetime
) -> float | None:
    where = place.q()
    if where is None:
        return None
    found = (
        await WinterReport.filter(where, kind="HEATING", created_at__gte=start, created_at__lt=end)
        .annotate(total=Sum("households"))
        .first()
        .values("total")
    )
    return float((found or {}).get("total") or 0)


FIGURES = [
    FigureSpec(
        "winter_city.snow_reports",
        "积雪未清报告",
        "Snow reports",
        "Reports of snow or ice not cleared, made in the period.",
        Unit.COUNT,
        snow_reports,
    ),
    FigureSpec(
        "winter_city.households_without_heating",
        "停暖户数",
        "Households without heating",
        "Households named by the heating-outage reports of the period.",
        Unit.COUNT,
        households_without_heating,
    ),
]
