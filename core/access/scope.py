"""Which rows a viewer may see, and which values stay masked: rules declared as data.

A :class:`ScopeRule` names, for one kind of row, the columns that hold its place at each level
of the region tree (and the person it is about). A grant of one of the rule's roles sees the
rows whose column for the grant's level holds the grant's place: a district admin the rows of
its district, a grid worker the rows of its grid, a city admin all. The person a row is about
(``owner``) always sees it, whatever roles they hold, and so do the people attached to it
through a :class:`MemberLink` (the staff of a station, the members of a team). The same rule
answers "may this viewer see this row?" in Python and "which rows?" as SQL, so lists are
filtered before pagination and the planned read path can compile the very same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import reduce
from operator import or_
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.models import Model

from core.access.viewer import PLACE_LEVELS, Grant, Viewer


@dataclass(frozen=True)
class MemberLink:
    """People attached to rows through a link table: a viewer with a row in ``model`` (by its
    ``person_id``) sees the rows whose ``column`` holds that link row's ``link`` value. For
    station staff: ``MemberLink(StationStaff, link="station_id", column="station_id")``.
    In Python the rule reads the row's ``members`` value, a collection of person ids that the
    row's node source fills in."""

    model: type[Model]
    link: str
    column: str
    members: str = "member_ids"

    def q(self, person_id: int) -> Q:
        linked = Subquery(self.model.filter(person_id=person_id).values(self.link))
        return _equals_any(self.column, linked)


@dataclass(frozen=True)
class ScopeRule:
    """Rows of one kind: their place columns by level, and who may see them."""

    roles: frozenset[str]
    district: str | None = "district_id"
    street: str | None = "street_id"
    community: str | None = "community_id"
    grid: str | None = "grid_id"
    department: str | None = None
    department_sql: str | None = None
    """When a row belongs to several departments: ``department`` names the row's collection of
    department ids, ``department_sql`` the lookup that reaches them in SQL."""
    owner: str | None = None
    member_link: MemberLink | None = None

    def column(self, level: str) -> str | None:
        return getattr(self, level, None) if level in (*PLACE_LEVELS, "department") else None

    def grant_covers(self, grant: Grant, row: Mapping[str, Any]) -> bool:
        """Whether this one grant sees ``row`` (a mapping of column → value)."""
        if grant.role not in self.roles:
            return False
        if grant.level == "city":
            return True
        column = self.column(grant.level)
        wanted = grant.place_id(grant.level)
        if column is None or wanted is None:
            return False
        value = row.get(column)
        if isinstance(value, list | tuple | set | frozenset):
            return wanted in value
        return bool(value == wanted)

    def is_owner(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        return (
            viewer is not None
            and self.owner is not None
            and row.get(self.owner) == viewer.person_id
        )

    def is_member(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        """Whether the viewer is one of the people attached to ``row`` (see MemberLink)."""
        if viewer is None or self.member_link is None:
            return False
        return viewer.person_id in row.get(self.member_link.members, ())

    def admits(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        """May the viewer see ``row``?"""
        return (
            self.is_owner(viewer, row)
            or self.is_member(viewer, row)
            or self.covering_grant(viewer, row) is not None
        )

    def covering_grant(self, viewer: Viewer | None, row: Mapping[str, Any]) -> Grant | None:
        """The first of the viewer's grants that sees ``row``, if any."""
        if viewer is None:
            return None
        return next((g for g in viewer.grants if self.grant_covers(g, row)), None)

    def q(self, viewer: Viewer | None) -> Q:
        """The rows the viewer may see, as a filter (matches nothing for an anonymous viewer)."""
        if viewer is None:
            return Q(id__in=[])
        parts: list[Q] = [_equals(self.owner, viewer.person_id)] if self.owner else []
        if self.member_link is not None:
            parts.append(self.member_link.q(viewer.person_id))
        for grant in viewer.grants:
            if grant.role not in self.roles:
                continue
            if grant.level == "city":
                return Q()
            column, wanted = self.column(grant.level), grant.place_id(grant.level)
            if grant.level == "department" and self.department_sql:
                column = self.department_sql
            if column is not None and wanted is not None:
                parts.append(_equals(column, wanted))
        return reduce(or_, parts) if parts else Q(id__in=[])


@dataclass(frozen=True)
class MaskRule:
    """A value shown in full only to the row's own person and to the listed roles at the row's
    place; everyone else who may see the row gets it masked. ``scope`` locates the row."""

    style: str
    roles: frozenset[str]
    scope: ScopeRule
    person: str = "id"
    """The row's column naming the person the value is about (what an unmasked read records)."""
    member_roles: frozenset[str] = frozenset()
    """Roles that unmask only for the people attached to the row through the scope's
    ``member_link`` (and holding the role at the row's place): the staff of one canteen see its
    elders' flags, not the staff of every canteen of the community."""

    def unmasking_grant(self, viewer: Viewer | None, row: Mapping[str, Any]) -> Grant | None:
        if viewer is None:
            return None
        grant = replace(self.scope, roles=self.roles).covering_grant(viewer, row)
        if grant is None and self.member_roles and self.scope.is_member(viewer, row):
            grant = replace(self.scope, roles=self.member_roles).covering_grant(viewer, row)
        return grant

    def is_owner(self, viewer: Viewer | None, row: Mapping[str, Any]) -> bool:
        return self.scope.is_owner(viewer, row)


def _equals(column: str, value: int) -> Q:
    lookup: dict[str, Any] = {column: value}
    return Q(**lookup)


def _equals_any(column: str, values: Subquery) -> Q:
    lookup: dict[str, Any] = {f"{column}__in": values}
    return Q(**lookup)


def mask_id_number(value: str) -> str:
    """First 6 and last 1 characters shown (region code and check digit), digits 7–17 hidden."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 7) + value[-1]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def hidden(value: object) -> None:
    """A value that has no partial form (a yes/no flag, a note): null for whoever may not see it."""
    return None


MASKS: dict[str, Callable[[Any], Any]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "hidden": hidden,
}
