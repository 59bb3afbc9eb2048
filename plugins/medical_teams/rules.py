"""Who sees and does what with medical teams, as data (see ``core.access.scope``).

- Teams, sessions and expert visits are public.
- A team is created and changed, and its members set, by the city admins and the admins of its
  district (``TEAM_MANAGERS``). Its members are people holding ``DOCTOR`` in that district
  (granted with core's ``grantRole``); the member list says which team.
- A team's doctors schedule its sessions and record its expert visits (managers may too), check
  residents in and see who registered, and record consultations.
- A consultation record is health data: it is seen by the resident it is about and by the
  members of the team that treated them, and nobody else — no admin, no grid worker, no doctor
  of another team (``RECORD_SCOPE``). Its health fields are shown to a team member only while
  they hold DOCTOR in the district (``HEALTH``), and every such read is recorded like core's
  ID-number reads.
- Figures (counts only) are for the managing roles of a place and those above.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q

from core import Grant, MaskRule, MemberLink, RoleSpec, ScopeRule, Viewer
from plugins.medical_teams.models import TeamMember

DOCTOR = "DOCTOR"
ROLES = [
    RoleSpec(
        DOCTOR,
        "医生: a doctor of a party-member medical team (党员医疗服务队). Granted at a district; "
        "the team's member list says which team. Runs the team's sessions and reads the "
        "consultation records of the team's patients.",
        scope="district",
    )
]

ADMIN_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"})
MANAGER_ROLES = ADMIN_ROLES | {"STREET_OFFICER", "COMMUNITY_WORKER"}

TEAM_MANAGERS = ScopeRule(roles=ADMIN_ROLES, street=None, community=None, grid=None)
"""Create and change a team, set its members: the city admins and the admins of its district."""

TEAM_LINK = MemberLink(TeamMember, link="team_id", column="team_id", members="doctor_ids")
"""A team's member list, through ``medical_teams_teammember``."""

TEAM_DOCTORS = ScopeRule(
    roles=frozenset({DOCTOR}), street=None, community=None, grid=None, member_link=TEAM_LINK
)
"""DOCTOR in the team's district, for the people on its member list (see :func:`doctor_grant`)."""


@dataclass(frozen=True)
class TreatingDoctors(ScopeRule):
    """A scope rule whose member link admits only the members who also hold DOCTOR in the
    row's district: a doctor whose DOCTOR grant was revoked (or who holds it elsewhere) no
    longer sees the team's records, though still on its list. Core's ``MemberLink`` counts
    every listed person; this narrows it the same way in Python (``is_member``) and in SQL
    (``q``), from the viewer's own grants, without another statement."""

    def doctor_districts(self, viewer: Viewer) -> list[int]:
        return [
            g.district_id
            for g in viewer.grants
            if g.role == DOCTOR and g.level == "district" and g.district_id is not None
        ]

    def is_member(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        return (
            viewer is not None
            and super().is_member(viewer, row)
            and row.get("district_id") in self.doctor_districts(viewer)
        )

    def q(self, viewer: Viewer | None) -> Q:
        if viewer is None:
            return Q(id__in=[])
        owner: dict[str, Any] = {self.owner: viewer.person_id} if self.owner else {}
        found = Q(**owner) if owner else Q(id__in=[])
        districts = self.doctor_districts(viewer)
        if self.member_link is not None and districts:
            found |= self.member_link.q(viewer.person_id) & Q(district_id__in=districts)
        return found


RECORD_SCOPE = TreatingDoctors(roles=frozenset(), owner="person_id", member_link=TEAM_LINK)
"""A consultation record: the resident, and the members of the treating team holding DOCTOR in
its district. No role sees it through its place: not an admin, not a grid worker."""

HEALTH = MaskRule(
    style="hidden",
    roles=frozenset(),
    scope=RECORD_SCOPE,
    person="person_id",
    member_roles=frozenset({DOCTOR}),
)
"""The health fields of a record: the resident, and the treating team's members holding DOCTOR
in its district (each such read recorded); null for anyone else."""

FIGURES = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""The figures of a place: its managing roles and those above."""


def doctor_grant(viewer: Viewer | None, team: Mapping[str, Any]) -> Grant | None:
    """The viewer's DOCTOR grant if they are on this team (``team`` has ``district_id`` and
    ``doctor_ids``)."""
    if not TEAM_DOCTORS.is_member(viewer, team):
        return None
    return TEAM_DOCTORS.covering_grant(viewer, team)


def manager_grant(viewer: Viewer | None, team: Mapping[str, Any]) -> Grant | None:
    return TEAM_MANAGERS.covering_grant(viewer, team)
