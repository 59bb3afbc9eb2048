"""Applications for one-stop services: SUBMITTED → ACCEPTED → DONE, or REJECTED (with a
reason) from either, or WITHDRAWN by the applicant before it is accepted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from core.access.viewer import Grant, Viewer
from core.booking.models import Booking
from core.errors import BadUserInput, Conflict, Forbidden, NotFound, Unauthenticated
from core.stations.models import (
    CatalogueItem,
    ServiceApplication,
    ServiceStation,
    StationService,
    StationStaff,
)
from core.stations.rules import APPLICATION_HANDLERS, APPLICATION_SCOPE


class ApplicationStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    DONE = "DONE"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class ApplicationAction(StrEnum):
    """What station staff do with an application."""

    ACCEPT = "ACCEPT"
    COMPLETE = "COMPLETE"
    REJECT = "REJECT"


MOVES: dict[tuple[ApplicationStatus, ApplicationAction], ApplicationStatus] = {
    (ApplicationStatus.SUBMITTED, ApplicationAction.ACCEPT): ApplicationStatus.ACCEPTED,
    (ApplicationStatus.SUBMITTED, ApplicationAction.REJECT): ApplicationStatus.REJECTED,
    (ApplicationStatus.ACCEPTED, ApplicationAction.COMPLETE): ApplicationStatus.DONE,
    (ApplicationStatus.ACCEPTED, ApplicationAction.REJECT): ApplicationStatus.REJECTED,
}


def allowed_actions(status: str) -> list[ApplicationAction]:
    return [action for (start, action) in MOVES if start == status]


@dataclass
class Application:
    station_id: int
    item_code: str
    note: str = ""
    materials: list[str] = field(default_factory=list)
    at_doorstep: bool = False
    booking_id: int | None = None


async def application_row(application: ServiceApplication) -> dict[str, Any]:
    """The application as a scope-rule row, with its station's staff."""
    row = dict(vars(application))
    row["staff_ids"] = frozenset(
        await StationStaff.filter(station_id=application.station_id).values_list(
            "person_id", flat=True
        )
    )
    return row


async def apply(viewer: Viewer | None, request: Application) -> ServiceApplication:
    """A person applies at a station for an item it offers (and, if they booked an appointment
    at that station, may link the booking)."""
    if viewer is None:
        raise Unauthenticated("Sign in to apply.")
    station = await ServiceStation.filter(id=request.station_id).first()
    if station is None:
        raise NotFound("No such station.", argument="stationId")
    item = await CatalogueItem.filter(code=request.item_code).first()
    if item is None or not item.active:
        raise BadUserInput("No such service in the catalogue.", argument="itemCode")
    if not await StationService.exists(station_id=station.id, item_id=item.id):
        raise BadUserInput(
            f"{station.name} does not offer {item.name}: see its services.", argument="itemCode"
        )
    if request.at_doorstep and not item.doorstep:
        raise BadUserInput(f"{item.name} is not handled at the doorstep.", argument="atDoorstep")
    materials = [m.strip() for m in request.materials if m.strip()]
    if unknown := [m for m in materials if m not in item.materials]:
        raise BadUserInput(
            f"Not a material of {item.name}: {', '.join(unknown[:3])}.", argument="materials",
            required=item.materials,
        )  # fmt: skip
    if len(request.note) > 2000:
        raise BadUserInput("A note has at most 2000 characters.", argument="note")
    if request.booking_id is not None:
        booking = await Booking.filter(id=request.booking_id, person_id=viewer.person_id).first()
        if booking is None or station.offering_id is None:
            raise NotFound("No such booking of yours.", argument="bookingId")
        if booking.offering_id != station.offering_id:
            raise BadUserInput("The booking is for another station.", argument="bookingId")
    return await ServiceApplication.create(
        district_id=station.district_id,
        street_id=station.street_id,
        community_id=station.community_id,
        station_id=station.id,
        item_id=item.id,
        applicant_id=viewer.person_id,
        note=request.note,
        materials=list(dict.fromkeys(materials)),
        at_doorstep=request.at_doorstep,
        booking_id=request.booking_id,
    )


async def handle(
    viewer: Viewer | None,
    application_id: int,
    version: int,
    action: ApplicationAction,
    reason: str = "",
) -> tuple[ServiceApplication, Grant | None]:
    """Station staff or managers move an application along."""
    application = await ServiceApplication.filter(id=application_id).first()
    if application is None:
        raise NotFound("No such application.")
    row = await application_row(application)
    if not APPLICATION_SCOPE.admits(viewer, row):
        raise NotFound("No such application.")
    grant = APPLICATION_HANDLERS.covering_grant(viewer, row)
    if grant is None and not APPLICATION_HANDLERS.is_member(viewer, row):
        raise Forbidden("Applications are handled by the station's staff and managers.")
    target = MOVES.get((ApplicationStatus(application.status), action))
    if target is None:
        raise BadUserInput(
            f"An application that is {application.status} cannot {action.value}.",
            argument="action", allowed=[a.value for a in allowed_actions(application.status)],
        )  # fmt: skip
    if action == ApplicationAction.REJECT and not reason.strip():
        raise BadUserInput("Say why it is rejected.", argument="reason")
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "status": target.value,
        "handled_by_id": viewer.person_id if viewer else None,
    }
    if target == ApplicationStatus.ACCEPTED:
        values["accepted_at"] = now
    else:
        values["finished_at"] = now
    if target == ApplicationStatus.REJECTED:
        values["reject_reason"] = reason.strip()
    await _move(application, version, values)
    return await ServiceApplication.get(id=application.id), grant


async def withdraw(viewer: Viewer | None, application_id: int, version: int) -> ServiceApplication:
    """The applicant takes back an application nobody has accepted yet."""
    application = await ServiceApplication.filter(id=application_id).first()
    if application is None or viewer is None or application.applicant_id != viewer.person_id:
        raise NotFound("No such application of yours.")
    if application.status != ApplicationStatus.SUBMITTED:
        raise BadUserInput(
            f"An application that is {application.status} cannot be withdrawn.",
            argument="applicationId",
        )
    await _move(
        application, version,
        {"status": ApplicationStatus.WITHDRAWN.value, "finished_at": datetime.now(UTC)},
    )  # fmt: skip
    return await ServiceApplication.get(id=application.id)


async def _move(application: ServiceApplication, version: int, values: dict[str, Any]) -> None:
    moved = await ServiceApplication.filter(
        id=application.id, version=version, status=application.status
    ).update(**values, version=version + 1, updated_at=datetime.now(UTC))
    if not moved:
        raise Conflict("The application changed meanwhile; reload it.", argument="version")
