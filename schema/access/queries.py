"""Root fields about the viewer, people and the audit log."""

from __future__ import annotations

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from core.access import models as access_models
from core.access.rules import AUDIT_SCOPE
from core.people import models as people_models
from core.people.rules import PERSON_SCOPE
from schema.access.lists import scoped_connection
from schema.access.permissions import IsAuthenticated, has_role
from schema.access.types import (
    AUDIT_RECORD,
    DEPARTMENT,
    PERSON,
    ROLE_GRANT,
    AuditRecord,
    Department,
    Me,
    Person,
)
from schema.loaders import by_id
from schema.regions.types import AfterArg, FirstArg
from schema.relay import DEFAULT_FIRST, Connection


@strawberry.type
class AccessQuery:
    @strawberry.field(description="The signed-in account; null when nobody is signed in.")
    async def me(self, info: Info) -> Me | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        person = await by_id(info.context, PERSON).load(viewer.person_id)
        rows = (
            await access_models.RoleGrant.filter(person_id=viewer.person_id)
            .order_by("id")
            .values(*ROLE_GRANT.columns)
        )
        return Me(
            username=viewer.username, person=person, grants=[ROLE_GRANT.build(r) for r in rows]
        )

    @strawberry.field(
        description="People you may see: those living in the places where you hold a role, "
        "and yourself. Optionally only names containing `name`.",
        permission_classes=[IsAuthenticated],
    )
    async def people(
        self,
        info: Info,
        first: FirstArg = DEFAULT_FIRST,
        after: AfterArg = None,
        name: str | None = None,
    ) -> Connection[Person]:
        extra = [Q(name__icontains=name)] if name else []
        return await scoped_connection(info, PERSON, PERSON_SCOPE, first, after, *extra)

    @strawberry.field(description="Every city department.", permission_classes=[IsAuthenticated])
    async def departments(self) -> list[Department]:
        rows = await people_models.Department.all().order_by("id").values(*DEPARTMENT.columns)
        return [DEPARTMENT.build(r) for r in rows]

    @strawberry.field(
        description="The audit log, newest first: the whole city for a city admin, its own "
        "district for a district admin.",
        permission_classes=[has_role("CITY_ADMIN", "DISTRICT_ADMIN")],
    )
    async def audit_records(
        self, info: Info, first: FirstArg = DEFAULT_FIRST, after: AfterArg = None
    ) -> Connection[AuditRecord]:
        return await scoped_connection(
            info, AUDIT_RECORD, AUDIT_SCOPE, first, after, newest_first=True
        )
