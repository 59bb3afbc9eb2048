"""The DOCTOR cells of the module's authorization matrix: the matrix's own probes, run by a
doctor on the probe's team (allowed), a doctor of the same district on no such team, and a team
member holding DOCTOR in another district (both refused). Core roles' cells are in
tests/access; this also proves the probes can succeed, not only fail."""

from __future__ import annotations

import pytest
import pytest_asyncio

from core.access.models import RoleGrant
from core.regions.models import District
from plugins.medical_teams.models import TeamMember
from tests.access.probes import Probe, reference_targets
from tests.medical_teams import probes
from tests.medical_teams.support import person_with_login

# Operations and relations where the team's own doctors act (the probe's team is in the
# target's district; the module is on there).
DOCTOR_OPERATIONS = [
    "medicalSessionAttendees",
    "checkInMedicalAttendee",
    "recordMedicalConsultation",
    "openMedicalFollowUpCase",
    "scheduleMedicalSession",
    "cancelMedicalSession",
    "closeMedicalSession",
    "recordMedicalExpertVisit",
    "updateMedicalExpertVisit",
]
RELATIONS = ["same_grid", "same_community", "other_community"]


@pytest_asyncio.fixture(loop_scope="session")
async def doctors(api, monkeypatch):
    """Three doctors: one put on every team the probes make, one of 工农区 on none, and one
    put on every such team while holding DOCTOR only in 南山区."""
    client = await api()
    gongnong, nanshan = await District.get(code="gongnong"), await District.get(code="nanshan")
    found = {}
    for key, district in (("ours", gongnong), ("none", gongnong), ("elsewhere", nanshan)):
        signed, person = await person_with_login(client, f"矩阵医生{key}")
        await RoleGrant.create(person_id=person, role="DOCTOR", level="district",
                               district_id=district.id)  # fmt: skip
        found[key] = (signed, person)
    made = probes.new_team

    async def new_team(p, relation):
        team = await made(p, relation)
        for key in ("ours", "elsewhere"):
            await TeamMember.create(team_id=team.id, person_id=found[key][1], specialty="内科")
        return team

    monkeypatch.setattr(probes, "new_team", new_team)
    return found, await reference_targets()


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("operation", DOCTOR_OPERATIONS)
async def test_the_team_doctors_may_and_no_other_doctor_may(doctors, operation, relation):
    found, targets = doctors
    for key, expected in (("ours", True), ("none", False), ("elsewhere", False)):
        client, person = found[key]
        probe = Probe(client=client, viewer_person=person, targets=targets)
        assert await probes.PROBES[operation](probe, relation) is expected, key


async def test_the_team_doctors_read_their_patients_records_and_nobody_elses(doctors):
    found, targets = doctors
    for key, expected in (("ours", True), ("none", False), ("elsewhere", False)):
        client, person = found[key]
        probe = Probe(client=client, viewer_person=person, targets=targets)
        for relation in RELATIONS:
            assert await probes.PROBES["medicalConsultations"](probe, relation) is expected, key
