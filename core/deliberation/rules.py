"""Who sees a deliberation topic, who organises it, and who votes, as data.

A topic belongs to a community, or to a whole street when its community is null. Staff see it
when their place and the topic's lie on one branch of the region tree: the city admins, the
admins of its district, the officers of its street, the community workers and grid workers of
its community (and, for a street topic, those of every community of the street). Residents see
it when they live in its place. Topics are organised (opened, decided, cancelled) by the
community workers of their community, the officers of their street, and the admins above.

"Lives in" is read from the viewer's home (``Viewer.home``, loaded with the viewer), so the
same rule answers in Python for one topic (``node``) and as SQL for a list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from tortoise.expressions import Q

from core.access.scope import ScopeRule
from core.access.viewer import PLACE_LEVELS, Grant, Viewer

STAFF = frozenset(
    {"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER", "GRID_WORKER"}
)


@dataclass(frozen=True)
class BranchScope(ScopeRule):
    """Rows placed at a street, or at one of its communities (the row's community null: the
    whole street). A grant of one of ``roles`` sees a row when the grant's place and the row's
    lie on one branch of the region tree (one contains the other); with ``residents``, people
    whose home lies in the row's place see it too. Columns named in ``nullable`` may be null
    in a row (the row then covers every place below the level above)."""

    grid: str | None = None
    residents: bool = True
    nullable: frozenset[str] = frozenset({"community"})

    def grant_covers(self, grant: Grant, row: Mapping[str, Any]) -> bool:
        if grant.role not in self.roles:
            return False
        if grant.level == "city":
            return True
        if grant.level not in PLACE_LEVELS or grant.place_id(grant.level) is None:
            return False
        return self._on_branch(grant.place_id, row)

    def lives_in(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        """Whether the viewer's home lies in the row's place."""
        if viewer is None or not self.residents or viewer.home.street_id is None:
            return False
        return self._on_branch(viewer.home.place_id, row)

    def admits(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        return self.lives_in(viewer, row) or super().admits(viewer, row)

    def q(self, viewer: Viewer | None) -> Q:
        if viewer is None:
            return Q(id__in=[])
        parts: list[Q] = []
        if self.owner:
            parts.append(_lookup(self.owner, viewer.person_id))
        if self.residents and viewer.home.street_id is not None:
            parts.append(self._branch_q(viewer.home.place_id))
        for grant in viewer.grants:
            if grant.role not in self.roles:
                continue
            if grant.level == "city":
                return Q()
            if grant.level in PLACE_LEVELS and grant.place_id(grant.level) is not None:
                parts.append(self._branch_q(grant.place_id))
        return reduce(or_, parts) if parts else Q(id__in=[])

    def _on_branch(self, ids: Callable[[str], int | None], row: Mapping[str, Any]) -> bool:
        for level in PLACE_LEVELS:
            column, wanted = self.column(level), ids(level)
            if column is None or wanted is None:
                continue
            value = row.get(column)
            if value is None and level in self.nullable:
                continue
            if value != wanted:
                return False
        return True

    def _branch_q(self, ids: Callable[[str], int | None]) -> Q:
        parts: list[Q] = []
        for level in PLACE_LEVELS:
            column, wanted = self.column(level), ids(level)
            if column is None or wanted is None:
                continue
            same = _lookup(column, wanted)
            parts.append(
                same | _lookup(f"{column}__isnull", True) if level in self.nullable else same
            )
        return reduce(and_, parts) if parts else Q(id__in=[])


def _lookup(column: str, value: object) -> Q:
    lookup: dict[str, Any] = {column: value}
    return Q(**lookup)


TOPIC_SCOPE = BranchScope(roles=STAFF)
"""Who sees a topic, its options and its results: staff on its branch, residents of its place."""

ORGANISERS = ScopeRule(
    roles=frozenset({"CITY_ADMIN", "DISTRICT_ADMIN", "STREET_OFFICER", "COMMUNITY_WORKER"}),
    grid=None,
)
"""Who opens, decides and cancels a topic: the community workers of its community (not of a
street topic), the officers of its street, the admins of its district, the city admins."""


def staff_grant(viewer: Viewer | None, topic: Mapping[str, Any]) -> Grant | None:
    """The grant that makes the viewer staff of the topic's place (they enter the proposals of
    the property company and of Party members), if any."""
    return TOPIC_SCOPE.covering_grant(viewer, topic)


def lives_in(viewer: Viewer | None, topic: Mapping[str, Any]) -> bool:
    """Whether the viewer lives in the topic's place (and so may propose and vote)."""
    return TOPIC_SCOPE.lives_in(viewer, topic)
