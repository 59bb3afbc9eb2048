"""Food-safety complaints about a canteen: core cases in the module's own category.

A complaint is reported like any case (at GRID level, in the canteen's grid, to its grid worker
on duty) and climbs the core ladder; when it reaches DEPARTMENT level it goes to the
market-supervision department (市场监管局, code ``shichang``), the category's lead department.
The module keeps a link from the canteen to the case and follows the case's level and status
through the case events it receives.
"""

from __future__ import annotations

from typing import Any

from core import CaseCategory, CaseReport, CaseService, DomainEvent, Forbidden, Viewer
from plugins.elderly_canteen.canteens import canteen_row
from plugins.elderly_canteen.models import Complaint

CATEGORY = CaseCategory(
    "canteen_food_safety", "老年食堂食品安全", "Elderly canteen food safety", ("shichang",)
)


async def report(
    viewer: Viewer | None,
    cases: CaseService,
    canteen_id: int,
    title: str,
    description: str,
    anonymous: bool,
) -> tuple[int, dict[str, Any]]:
    """Report a food-safety problem at a canteen: answers the case id and the canteen row."""
    if viewer is None:
        raise Forbidden("Sign in first.")
    canteen = await canteen_row(canteen_id)
    case, _ = await cases.report(
        viewer,
        CaseReport(
            title=title.strip() or f"{canteen['name']}食品安全问题",
            category=CATEGORY.code,
            description=description,
            source="RESIDENT",
            compound_id=canteen["compound_id"],
            grid_id=None if canteen["compound_id"] else canteen["grid_id"],
            address=f"{canteen['name']} {canteen['address']}".strip(),
            anonymous=anonymous,
        ),
    )
    await Complaint.create(
        canteen_id=canteen_id,
        case_id=case.id,
        reporter_id=viewer.person_id,
        district_id=canteen["district_id"],
        street_id=canteen["street_id"],
        community_id=canteen["community_id"],
    )
    return case.id, canteen


async def follow(event: DomainEvent) -> None:
    """Keep a complaint's level and status in step with its case (idempotent: the event's
    payload is the state after the change)."""
    status, level = event.payload.get("status"), event.payload.get("level")
    if status and level:
        await Complaint.filter(case_id=event.case_id).update(case_status=status, case_level=level)
