"""Appeals against a result, by the worker, and their review by a district admin."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access.viewer import Grant, Viewer
from core.assessment.models import AssessmentAppeal, AssessmentResult
from core.assessment.rules import ASSESSORS, RESULT_SCOPE
from core.assessment.scoring import Colour
from core.errors import BadUserInput, Conflict, Forbidden, NotFound


class AppealOutcome(StrEnum):
    UPHELD = "UPHELD"
    """The colour stands."""
    CHANGED = "CHANGED"
    """The colour is changed to the reviewer's."""


async def _visible_result(viewer: Viewer | None, result_id: int) -> AssessmentResult:
    result = await AssessmentResult.filter(id=result_id).first()
    if result is None or not RESULT_SCOPE.admits(viewer, vars(result)):
        raise NotFound("No such assessment result.", argument="resultId")
    return result


async def appeal(viewer: Viewer | None, result_id: int, reason: str) -> AssessmentAppeal:
    """The worker appeals their own result, once, giving a reason. It freezes the result."""
    result = await _visible_result(viewer, result_id)
    if viewer is None or result.person_id != viewer.person_id:
        raise Forbidden("Only the worker appeals their own result.")
    reason = reason.strip()
    if not 5 <= len(reason) <= 2000:
        raise BadUserInput("Give a reason of 5–2000 characters.", argument="reason")
    if result.colour == Colour.GREEN:
        raise BadUserInput("A GREEN result carries no warning to appeal.", argument="resultId")
    try:
        async with in_transaction():
            return await AssessmentAppeal.create(
                result_id=result.id, reason=reason, colour_before=result.colour
            )
    except IntegrityError:
        raise Conflict("This result was appealed already.", argument="resultId") from None


async def review(
    viewer: Viewer | None,
    appeal_id: int,
    outcome: AppealOutcome,
    note: str,
    colour: Colour | None = None,
) -> tuple[AssessmentAppeal, Grant]:
    """A district admin (or city admin) decides a pending appeal, saying why."""
    found = await AssessmentAppeal.filter(id=appeal_id).first()
    result = await AssessmentResult.filter(id=found.result_id).first() if found else None
    if found is None or result is None or not RESULT_SCOPE.admits(viewer, vars(result)):
        raise NotFound("No such appeal.", argument="appealId")
    grant = ASSESSORS.covering_grant(viewer, vars(result))
    if grant is None:
        raise Forbidden("Appeals are reviewed by the admins of the worker's district.")
    if viewer is not None and viewer.person_id == result.person_id:
        raise Forbidden("Nobody reviews their own appeal.")
    if found.status != "PENDING":
        raise Conflict(f"The appeal was reviewed already ({found.status}).", argument="appealId")
    note = note.strip()
    if not 1 <= len(note) <= 2000:
        raise BadUserInput("Record why, in 1–2000 characters.", argument="note")
    after = found.colour_before
    if outcome == AppealOutcome.CHANGED:
        if colour is None or colour.value == found.colour_before:
            raise BadUserInput(
                "CHANGED needs a colour other than the appealed one.", argument="colour"
            )
        after = colour.value
    elif colour is not None:
        raise BadUserInput("UPHELD keeps the colour: send none.", argument="colour")
    now = datetime.now(UTC)
    moved = await AssessmentAppeal.filter(id=found.id, status="PENDING").update(
        status=outcome.value, colour_after=after, review_note=note,
        reviewed_by_id=viewer.person_id if viewer else None, reviewed_at=now,
    )  # fmt: skip
    if not moved:
        raise Conflict("The appeal was reviewed meanwhile; reload it.", argument="appealId")
    if after != result.colour:
        await AssessmentResult.filter(id=result.id).update(colour=after, version=result.version + 1)
    return await AssessmentAppeal.get(id=found.id), grant
