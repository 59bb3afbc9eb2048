"""The module's demo data: teams, sessions and expert visits only where the module is on, and
in 南山区 a doctor who can sign in, at a clinic running now where ``resident_nanshan`` waits."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from core import Activation, DemoContext
from core.access.models import Account, RoleGrant
from core.config.model import HemeiConfig
from core.plugins.host import build_plugin_host
from core.regions.models import Community, District, Grid, Street
from plugins.medical_teams import load_demo_data
from plugins.medical_teams.models import ExpertVisit, Session, Team, TeamMember
from tests.access.probes import gid
from tests.medical_teams.probes import drop_team
from tests.medical_teams.support import ATTENDEES, CHECK_IN, CONSULTATIONS
from tests.support.configs import TEST_CONFIG

NAME = "medical_teams"


async def test_hook_load_demo_data_fills_the_districts_where_the_module_is_on(api):
    host = build_plugin_host([NAME])
    config = HemeiConfig.model_validate(
        {"districts": {"nanshan": {"name": "南山区", "modules": [NAME]},
                       "xingshan": {"name": "兴山区", "modules": []}}}
    )  # fmt: skip
    demo = DemoContext(
        activation=Activation(config, host.settings_models()),
        districts=list(await District.all()), streets=list(await Street.all()),
        communities=list(await Community.all()), grids=list(await Grid.all()),
        random=random.Random(721),
    )  # fmt: skip
    nanshan = await District.get(code="nanshan")
    before = set(await Team.all().values_list("id", flat=True))
    await load_demo_data(demo)
    made = await Team.exclude(id__in=before).order_by("id")
    doctor = await Account.get_or_none(username="nanshan_doctor")
    try:
        assert {t.district_id for t in made} == {nanshan.id}, "only where the module is on"
        assert len(made) == 2
        sessions = await Session.filter(team_id__in=[t.id for t in made])
        assert len(sessions) == 2 * 10 + 2
        assert {s.place_type for s in sessions} == {"SCHOOL", "COMMUNITY", "FACTORY"}
        assert {s.kind for s in sessions} == {"FREE_CLINIC", "HEALTH_TRAINING"}
        visits = await ExpertVisit.filter(team_id__in=[t.id for t in made])
        assert len(visits) == 6 and all(v.surgeries > 0 for v in visits)

        # The demo logins: the doctor checks resident_nanshan in at the clinic running now.
        assert doctor is not None
        client = await api(TEST_CONFIG)
        signed = client.as_token(client.runtime.tokens.issue(doctor.id)[0])
        resident = await client.signed_in("resident_nanshan")
        running = next(
            s for s in sessions if s.status == "PLANNED" and s.starts_at < datetime.now(UTC)
        )
        desk = await signed.data(ATTENDEES, {"s": gid("MedicalSession", running.id)})
        attendee = desk["medicalSessionAttendees"][0]
        await signed.data(CHECK_IN, {"b": attendee["bookingId"]})
        own = (await resident.data(CONSULTATIONS))["medicalConsultations"]
        assert own["totalCount"] == 1 and own["edges"][0]["node"]["referral"]
    finally:
        for team in made:
            await drop_team(team.id)
        if doctor is not None:
            await RoleGrant.filter(person_id=doctor.person_id).delete()
            await TeamMember.filter(person_id=doctor.person_id).delete()
            await doctor.delete()
