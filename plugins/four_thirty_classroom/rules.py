"""Who sees and does what in the classroom module, as data (see ``core.access.scope``).

- Classrooms, their sessions and the lectures are public; figures too (counts only).
- A classroom is managed (details, staff and tutor lists, terms) by the community workers of
  its community and the street officers, district admins and city admins above it.
- Its **staff** are the people on its staff list holding CLASSROOM_STAFF at its community; its
  **tutors** the people on its tutor list holding TUTOR there, whose background check passed
  (a tutor whose check is no longer passed leaves every tutor list). Staff run its sessions;
  staff and tutors check children in and out.
- A **child** (a minor) is seen by the guardian who registered them and by the staff and
  tutors of the child's classroom — by nobody else, managers and admins included: to anyone
  else a child's id answers like one that does not exist. The child's name, school, grade,
  notes and pick-up adults are shown to staff and tutors only while they hold their role at
  the classroom's community, and every such read is recorded (core's ``personal_data_read``).
  The same goes for a child's attendance and pick-up alerts.
- A **tutor**'s record (and background check) is seen by the tutor and the managers of the
  tutor's community and above; the check is set by the admins of the tutor's district, never
  by the tutor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core import Grant, MaskRule, MemberLink, RoleSpec, ScopeRule, Viewer
from plugins.four_thirty_classroom.models import ClassroomMember

TUTOR_ROLE = "TUTOR"
STAFF_ROLE = "CLASSROOM_STAFF"
ROLES = [
    RoleSpec(
        TUTOR_ROLE,
        "四点半课堂 volunteer tutor (teacher, party member, university student): looks after and "
        "tutors children of the classrooms whose tutor list names them, once their background "
        "check passed. Granted at the classroom's community.",
        scope="community",
    ),
    RoleSpec(
        STAFF_ROLE,
        "Runs a 四点半课堂 classroom: its sessions and tutors, check-in and check-out, pick-up "
        "alerts. Granted at the classroom's community; the classroom's staff list says which.",
        scope="community",
    ),
]
MANAGER_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"})
CHECKER_ROLES = frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"})

MANAGERS = ScopeRule(roles=MANAGER_ROLES, grid=None)
"""Who manages a classroom, plans lectures at a place, sees tutors there: the roles at its
community and above."""

CHECKERS = ScopeRule(roles=CHECKER_ROLES, street=None, community=None, grid=None)
"""Who records a tutor's background check: the admins of the tutor's district."""

MEMBERS = MemberLink(
    ClassroomMember, link="classroom_id", column="classroom_id", members="member_ids"
)
"""The staff and tutors of a classroom, through ``four_thirty_classroom_classroom_member``."""

CHILD_SCOPE = ScopeRule(roles=frozenset(), owner="guardian_id", member_link=MEMBERS)
"""A child, their attendance and pick-up alerts: the guardian and the classroom's members."""

CHILD_DATA = MaskRule(
    style="hidden",
    roles=frozenset(),
    scope=CHILD_SCOPE,
    person="person_id",
    member_roles=frozenset({TUTOR_ROLE, STAFF_ROLE}),
)
"""A child's personal data: the guardian, and the classroom's members while they hold their
role at its community (each such read recorded against the child)."""

TUTOR_SCOPE = ScopeRule(roles=MANAGER_ROLES, grid=None, owner="person_id")
"""A tutor's record: the tutor, and the managers of the community they volunteer in."""

MEMBER_GRANT = ScopeRule(roles=frozenset({TUTOR_ROLE, STAFF_ROLE}), district=None, street=None,
                         grid=None)  # fmt: skip
STAFF_GRANT = ScopeRule(roles=frozenset({STAFF_ROLE}), district=None, street=None, grid=None)
TUTOR_GRANT = ScopeRule(roles=frozenset({TUTOR_ROLE}), district=None, street=None, grid=None)


def manager_grant(viewer: Viewer | None, place: Mapping[str, Any]) -> Grant | None:
    return MANAGERS.covering_grant(viewer, place)


def staff_grant(viewer: Viewer | None, classroom: Mapping[str, Any]) -> Grant | None:
    """The viewer's CLASSROOM_STAFF grant if they are on this classroom's staff list
    (``classroom`` has its place columns and ``staff_ids``)."""
    if viewer is None or viewer.person_id not in classroom.get("staff_ids", ()):
        return None
    return STAFF_GRANT.covering_grant(viewer, classroom)


def tutor_grant(viewer: Viewer | None, classroom: Mapping[str, Any]) -> Grant | None:
    """The viewer's TUTOR grant if they are on this classroom's tutor list."""
    if viewer is None or viewer.person_id not in classroom.get("tutor_ids", ()):
        return None
    return TUTOR_GRANT.covering_grant(viewer, classroom)


def carer_grant(viewer: Viewer | None, classroom: Mapping[str, Any]) -> Grant | None:
    """Staff or tutor of the classroom: who checks children in and out."""
    return staff_grant(viewer, classroom) or tutor_grant(viewer, classroom)
