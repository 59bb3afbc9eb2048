"""Consultation records and the follow-ups they lead to.

A doctor of the team records what a resident seen at a session needs to know afterwards: the
specialty, notes for the resident, a referral and a follow-up date. The record is health data
(see ``rules``): nothing of it goes into error messages, the audit log or the case a referral
becomes. A referral becomes a core case in the module's own category, reported at the resident's
home by the doctor, with a title from a fixed list of needs and no health text; at DEPARTMENT
level it goes to the health commission (卫健委, code ``weijian``). The record follows the case's
status through case events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import (
    BadUserInput,
    BookingStatus,
    CaseCategory,
    CaseReport,
    CaseService,
    Conflict,
    DomainEvent,
    Grant,
    NotFound,
    Person,
    Viewer,
)
from plugins.medical_teams.models import Consultation
from plugins.medical_teams.rules import doctor_grant
from plugins.medical_teams.sessions import SessionStatus, desk_grant, registration
from plugins.medical_teams.settings import MedicalSettings
from plugins.medical_teams.teams import team_row

HEALTH_DEPARTMENT = "weijian"
"""卫健委, the city's health commission (a department of core's demo and of every deployment)."""

CATEGORY = CaseCategory(
    "medical_follow_up", "医疗服务队转介随访", "Medical team follow-up", (HEALTH_DEPARTMENT,)
)

MAX_NOTES = 2000
MAX_REFERRAL = 500


class FollowUpNeed(StrEnum):
    """What a referral asks the case ladder for. The case says only this, never why."""

    HOME_VISIT = "HOME_VISIT"
    FAMILY_DOCTOR = "FAMILY_DOCTOR"
    TRANSPORT = "TRANSPORT"


NEED_TITLES = {
    FollowUpNeed.HOME_VISIT: "居家上门随访",
    FollowUpNeed.FAMILY_DOCTOR: "家庭医生签约随访",
    FollowUpNeed.TRANSPORT: "就医出行协助",
}


@dataclass(frozen=True)
class Details:
    specialty: str
    notes: str = ""
    referral: str = ""
    follow_up_on: date | None = None


def _checked(details: Details, seen_on: date, settings: MedicalSettings) -> dict[str, Any]:
    """The stored values. Messages name the argument and the limit, never the text given."""
    specialty = details.specialty.strip()
    if not 1 <= len(specialty) <= 32:
        raise BadUserInput("A specialty has 1–32 characters.", argument="specialty")
    notes, referral = details.notes.strip(), details.referral.strip()
    if len(notes) > MAX_NOTES:
        raise BadUserInput(f"Notes have at most {MAX_NOTES} characters.", argument="notes")
    if len(referral) > MAX_REFERRAL:
        raise BadUserInput(
            f"A referral has at most {MAX_REFERRAL} characters.", argument="referral"
        )
    follow_up = details.follow_up_on
    if follow_up is None and referral:
        follow_up = seen_on + timedelta(days=settings.follow_up_days)
    if follow_up is not None and not seen_on <= follow_up <= seen_on + timedelta(days=730):
        raise BadUserInput(
            "A follow-up date is within two years of the consultation.", argument="followUpOn"
        )
    return {"specialty": specialty, "notes": notes or None, "referral": referral or None,
            "follow_up_on": follow_up}  # fmt: skip


async def record(
    viewer: Viewer | None, booking_id: int, details: Details, settings: MedicalSettings,
    today: date,
) -> tuple[Consultation, Grant]:  # fmt: skip
    """A doctor of the session's team records a consultation of a resident checked in there.
    To anyone else the registration is NOT_FOUND."""
    booking, session = await registration(booking_id)
    grant = await desk_grant(viewer, session, "registration")
    assert viewer is not None
    if session.status == SessionStatus.CANCELLED:
        raise BadUserInput("The session was cancelled.", argument="bookingId")
    if booking.status != BookingStatus.CHECKED_IN:
        raise BadUserInput("Check the resident in first.", argument="bookingId")
    values = _checked(details, today, settings)
    try:
        async with in_transaction():
            consultation = await Consultation.create(
                team_id=session.team_id, session_id=session.id, booking_id=booking.id,
                person_id=booking.person_id, doctor_id=viewer.person_id,
                district_id=session.district_id, street_id=session.street_id,
                community_id=session.community_id, **values,
            )  # fmt: skip
    except IntegrityError:
        # The database's own message may quote the row, health text included: never pass it on
        # (an unexpected error would be logged with it).
        raise Conflict("The registration changed meanwhile: reload it.") from None
    return consultation, grant


async def consultation_row(consultation_id: int) -> dict[str, Any]:
    row = await Consultation.filter(id=consultation_id).first().values()
    if row is None:
        raise NotFound("No such consultation.", argument="consultationId")
    return row


async def open_case(
    viewer: Viewer | None, cases: CaseService, consultation_id: int, need: FollowUpNeed
) -> tuple[dict[str, Any], int, Grant]:
    """A doctor of the treating team turns the record's referral into a core case at the
    resident's home (answers the record, the case id and the grant). To anyone else the
    record is NOT_FOUND."""
    row = await consultation_row(consultation_id)
    grant = doctor_grant(viewer, await team_row(row["team_id"]))
    if grant is None:
        raise NotFound("No such consultation.", argument="consultationId")
    if row["case_id"] is not None:
        raise Conflict("This referral already became a case.", argument="consultationId")
    if not row["referral"]:
        raise BadUserInput(
            "Only a consultation with a referral becomes a case.", argument="consultationId"
        )
    home = (
        await Person.filter(id=row["person_id"]).first().values("home_compound_id", "home_grid_id")
    )
    if home is None or (home["home_compound_id"] is None and home["home_grid_id"] is None):
        raise BadUserInput(
            "The resident has no home on record, and a follow-up case needs one.",
            argument="consultationId",
        )
    case, _ = await cases.report(
        viewer,
        CaseReport(
            title=f"医疗服务队转介：{NEED_TITLES[need]}",
            category=CATEGORY.code,
            description="党员医疗服务队转介的随访需求。健康信息只在服务队的诊疗记录中，"
            "不在本案；需要时请联系转介医生（本案上报人）。",
            source="RESIDENT",
            compound_id=home["home_compound_id"],
            grid_id=None if home["home_compound_id"] else home["home_grid_id"],
        ),
    )
    moved = await Consultation.filter(id=row["id"], case_id=None).update(
        case_id=case.id, case_status=case.status, follow_up_need=need.value,
        version=row["version"] + 1,
    )  # fmt: skip
    if not moved:
        raise Conflict("This referral already became a case.", argument="consultationId")
    return await consultation_row(row["id"]), case.id, grant


async def follow(event: DomainEvent) -> None:
    """Keep a record's follow-up status in step with its case (idempotent: the payload is the
    state after the change)."""
    status = event.payload.get("status")
    if status:
        await Consultation.filter(case_id=event.case_id).update(case_status=status)
