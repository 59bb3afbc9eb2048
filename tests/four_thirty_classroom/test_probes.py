"""The matrix rows that no core role passes (check-in, check-out, alerts, the children's lists)
are only worth something if their probes can pass: here the same probes pass for the staff and
tutors of the probes' classroom, and not for them at a classroom they are not on."""

from __future__ import annotations

import pytest

from core.regions.models import Community
from plugins.four_thirty_classroom.models import ClassroomMember
from tests.access.probes import Probe, reference_targets
from tests.four_thirty_classroom import probes
from tests.four_thirty_classroom.support import grant_at, person_with_login

CARE = ("classroomChildren", "classroomAttendances", "classroomAlerts", "checkInClassroomChild",
        "checkOutClassroomChild", "closeClassroomAlert", "enrolClassroomChild",
        "cancelClassroomAttendance", "scheduleClassroomTerm", "planClassroomSession",
        "cancelClassroomSession", "closeClassroomSession")  # fmt: skip
TUTOR_ONLY = {"classroomChildren": True, "classroomAttendances": True, "classroomAlerts": True,
              "checkInClassroomChild": True, "checkOutClassroomChild": True,
              "closeClassroomAlert": False, "enrolClassroomChild": False,
              "cancelClassroomAttendance": False, "scheduleClassroomTerm": False,
              "planClassroomSession": False, "cancelClassroomSession": False,
              "closeClassroomSession": True}  # fmt: skip


@pytest.mark.parametrize("kind", ["STAFF", "TUTOR"])
async def test_the_care_probes_pass_for_the_classrooms_own_people(api, monkeypatch, kind):
    client = await api()
    targets = await reference_targets()
    member, person = await person_with_login(client, "探针课堂成员")
    home = await Community.get(id=targets["same_community"].grid.community_id)
    await grant_at(person, "CLASSROOM_STAFF" if kind == "STAFF" else "TUTOR", home)
    made = probes._classroom

    async def with_member(p: Probe, relation: str):
        classroom = await made(p, relation)
        if classroom.community_id == home.id:
            await ClassroomMember.create(classroom_id=classroom.id, person_id=person, kind=kind)
        return classroom

    monkeypatch.setattr(probes, "_classroom", with_member)
    probe = Probe(client=member, viewer_person=person, targets=targets)
    for operation in CARE:
        expected = True if kind == "STAFF" else TUTOR_ONLY[operation]
        assert await probes.PROBES[operation](probe, "same_community") is expected, operation
        assert await probes.PROBES[operation](probe, "other_community") is False, operation
