"""GraphQL types of people, accounts, grants and the audit log."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.access import models as access_models
from core.access.rules import AUDIT_SCOPE, GRANT_SCOPE
from core.people import models as people_models
from core.people.rules import ID_NUMBER_MASK, PERSON_SCOPE, PHONE_MASK
from schema.access.rules import Masked, scoped
from schema.loaders import by_id
from schema.nodes import NodeSource
from schema.regions.types import COMPOUND, Compound
from schema.scalars import JSON


@strawberry.type(description="A city department (住建局, 城管局, 供热办, ...).")
class Department(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Stable code, e.g. zhujian.")
    name: str = strawberry.field(description="Name, e.g. 住建局.")


@scoped(PERSON_SCOPE)
@strawberry.type(description="Someone the platform knows: a resident, a cadre, a community worker.")
class Person(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(
        description="Phone number; masked (138****5678) unless you are this person or a grid "
        "or community worker at their home.",
        extensions=[Masked(PHONE_MASK, "phone")],
    )
    id_number: str | None = strawberry.field(
        description="ID-card number; masked to the first 6 and last 1 characters unless you "
        "are this person or a grid worker of their home grid.",
        extensions=[Masked(ID_NUMBER_MASK, "id_number")],
    )
    home_compound_id: strawberry.Private[int | None]
    home_grid_id: strawberry.Private[int | None]
    home_community_id: strawberry.Private[int | None]
    home_street_id: strawberry.Private[int | None]
    home_district_id: strawberry.Private[int | None]
    department_id: strawberry.Private[int | None]

    @strawberry.field(description="For a cadre: the city department the person works for.")
    async def department(self, info: Info) -> Department | None:
        if self.department_id is None:
            return None
        return await by_id(info.context, DEPARTMENT).load(self.department_id)

    @strawberry.field(description="The compound the person lives in, if known.")
    async def home_compound(self, info: Info) -> Compound | None:
        if self.home_compound_id is None:
            return None
        return await by_id(info.context, COMPOUND).load(self.home_compound_id)


@scoped(GRANT_SCOPE)
@strawberry.type(description="A role a person holds at a place.")
class RoleGrant(relay.Node):
    id: relay.NodeID[int]
    role: str = strawberry.field(description="The role, e.g. GRID_WORKER.")
    level: str = strawberry.field(
        description="Where the role applies: city, district, street, community, grid, "
        "department or self."
    )
    person_id: strawberry.Private[int]
    district_id: strawberry.Private[int | None]
    street_id: strawberry.Private[int | None]
    community_id: strawberry.Private[int | None]
    grid_id: strawberry.Private[int | None]
    department_id: strawberry.Private[int | None]

    @strawberry.field(description="The global id of the place (or department) of the role.")
    def place_id(self) -> strawberry.ID | None:
        kind = {
            "district": "District",
            "street": "Street",
            "community": "Community",
            "grid": "Grid",
            "department": "Department",
        }.get(self.level)
        key = getattr(self, f"{self.level}_id", None) if kind else None
        return strawberry.ID(str(relay.GlobalID(kind, str(key)))) if kind and key else None


@strawberry.type(description="The signed-in account.")
class Me:
    username: str = strawberry.field(description="The login name.")
    person: Person = strawberry.field(description="The person behind the account.")
    grants: list[RoleGrant] = strawberry.field(description="Every role the person holds.")


@strawberry.type(description="A successful login.")
class LoginPayload:
    token: str = strawberry.field(
        description="Access token: send it as `Authorization: Bearer <token>` (on a "
        "WebSocket, as `Authorization` in the connection_init payload)."
    )
    expires_at: datetime = strawberry.field(description="When the token stops working (UTC).")


@scoped(AUDIT_SCOPE)
@strawberry.type(description="One successful mutation: who did what, when, in which role.")
class AuditRecord(relay.Node):
    id: relay.NodeID[int]
    at: datetime = strawberry.field(description="When (UTC).")
    action: str = strawberry.field(description="The mutation, e.g. grantRole.")
    account_id: strawberry.Private[int | None]
    role: str | None = strawberry.field(description="The role that allowed it.")
    scope: str | None = strawberry.field(
        description="Where that role applies, e.g. DISTRICT_ADMIN@district:3."
    )
    target: str | None = strawberry.field(description="Global id of what it changed.")
    summary: JSON = strawberry.field(description="What changed, without personal data.")
    request_id: str = strawberry.field(description="The request id, as in the server log.")
    district_id: strawberry.Private[int | None]


DEPARTMENT = NodeSource(Department, people_models.Department)
PERSON = NodeSource(Person, people_models.Person)
ROLE_GRANT = NodeSource(RoleGrant, access_models.RoleGrant)
AUDIT_RECORD = NodeSource(AuditRecord, access_models.AuditRecord)
