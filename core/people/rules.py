"""Who may see a person, and who sees their ID-card and phone numbers in full.

Residents are visible to the core roles at their home place (a district admin in its district,
a grid worker in its grid, ...) and to themselves (whatever their roles); department officers
see residents only through the cases they handle (cases issue). ID numbers are shown in full
to the grid workers of the resident's grid, phone numbers also to the community workers of
the resident's community; everyone else who may see the person gets masked values.
"""

from __future__ import annotations

from core.access.scope import MaskRule, ScopeRule

PERSON_SCOPE = ScopeRule(
    roles=frozenset(
        {"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER", "GRID_WORKER"}
    ),
    district="home_district_id",
    street="home_street_id",
    community="home_community_id",
    grid="home_grid_id",
    owner="id",
)

ID_NUMBER_MASK = MaskRule(style="id_number", roles=frozenset({"GRID_WORKER"}), scope=PERSON_SCOPE)
PHONE_MASK = MaskRule(
    style="phone", roles=frozenset({"GRID_WORKER", "COMMUNITY_WORKER"}), scope=PERSON_SCOPE
)

POST_MANAGERS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"}),
    grid=None,
)
"""Who assigns and removes pioneer posts: the compound's community workers and those above."""
