"""Who sees assessment results and who runs and reviews them, as data.

A result is seen by the worker it is about and by the officers above the worker's community:
the street's officers, the district's admins and the city admins. District admins run their
district's assessment and review its appeals; city admins run and review anywhere.
"""

from __future__ import annotations

from core.access.scope import ScopeRule

RESULT_SCOPE = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER"}),
    community=None,
    grid=None,
    owner="person_id",
)

ASSESSORS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN"}), street=None, community=None, grid=None
)
"""Who runs an assessment and reviews appeals (city admins, and district admins in theirs)."""
