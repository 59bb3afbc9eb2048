"""Signing in, creating users, granting and revoking roles."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError

from core.access import models as access_models
from core.access.grants import as_grant, grant_at, require_admin, save_grant
from core.access.login import authenticate
from core.access.passwords import hash_password
from core.access.viewer import Grant
from core.errors import BadUserInput, Conflict, NotFound
from core.people import models as people_models
from core.people.validation import checked_id_number, checked_phone
from core.regions.models import Compound as CompoundRow
from schema.access.permissions import has_role
from schema.access.types import PERSON, ROLE_GRANT, LoginPayload, Person, RoleGrant
from schema.context import Context
from schema.ids import global_id, key_of, type_name_of

ADMIN = has_role("CITY_ADMIN", "DISTRICT_ADMIN")
PLACE_TYPES = {
    "District": "district",
    "Street": "street",
    "Community": "community",
    "Grid": "grid",
    "Department": "department",
}


@strawberry.input(description="A new person with a login.")
class CreateUserInput:
    username: str = strawberry.field(description="Login name, unique.")
    password: str = strawberry.field(description="At least 8 characters.")
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(default=None, description="11-digit mobile number.")
    id_number: str | None = strawberry.field(default=None, description="18-character resident ID.")
    department_id: strawberry.ID | None = strawberry.field(
        default=None, description="For a cadre: the city department the person works for."
    )
    home_compound_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Where the person lives; a district admin must give one in its district.",
    )


@strawberry.type
class AccessMutation:
    @strawberry.mutation(
        description="Sign in. Repeated failures lock the username, and the client address, "
        "for a while (UNAUTHENTICATED with `reason: LOCKED` and `retryAfterSeconds`)."
    )
    async def login(self, info: Info, username: str, password: str) -> LoginPayload:
        context: Context = info.context
        context.note.username = username[:64]
        security = context.activation.config.security
        account = await authenticate(username, password, context.client, security)
        context.note.account_id = account.id
        token, expires = context.tokens.issue(account.id)
        return LoginPayload(token=token, expires_at=expires)

    @strawberry.mutation(description="Create a person with a login.", permission_classes=[ADMIN])
    async def create_user(self, info: Info, input: CreateUserInput) -> Person:
        context: Context = info.context
        home: dict[str, Any] = {}
        target = Grant("RESIDENT", "city")
        if input.home_compound_id is not None:
            compound_id = key_of(input.home_compound_id, "Compound", what="compound")
            compound = await CompoundRow.filter(id=compound_id).first()
            if compound is None:
                raise NotFound("No such compound.")
            home = {
                "home_compound_id": compound.id,
                "home_grid_id": compound.grid_id,
                "home_community_id": compound.community_id,
                "home_street_id": compound.street_id,
                "home_district_id": compound.district_id,
            }
            target = Grant("RESIDENT", "self", district_id=compound.district_id)
        context.note.used(require_admin(context.viewer, target))
        if not input.name.strip():
            raise BadUserInput("A name is needed.", argument="name")
        phone, id_number = checked_phone(input.phone), checked_id_number(input.id_number)
        department_id = None
        if input.department_id is not None:
            department_id = key_of(input.department_id, "Department", what="department")
            if not await people_models.Department.exists(id=department_id):
                raise NotFound("No such department.")
        password_hash = hash_password(input.password)
        if await access_models.Account.exists(username=input.username):
            raise Conflict("That username is taken.", argument="username")
        if id_number is not None and await people_models.Person.exists(id_number=id_number):
            raise Conflict("A person with that ID number exists already.", argument="idNumber")
        try:
            person = await people_models.Person.create(
                name=input.name.strip(),
                phone=phone,
                id_number=id_number,
                department_id=department_id,
                **home,
            )
            await access_models.Account.create(
                username=input.username, password_hash=password_hash, person_id=person.id
            )
        except IntegrityError:
            raise Conflict("That username or ID number was taken meanwhile.") from None
        given = {"phone": input.phone, "idNumber": input.id_number, "homeCompound": home,
                 "department": department_id}  # fmt: skip
        context.note.about(
            global_id("Person", person.id),
            home.get("home_district_id"),
            fields=sorted(k for k, v in given.items() if v),
        )
        row = await people_models.Person.filter(id=person.id).first().values(*PERSON.columns)
        assert row is not None
        return PERSON.build(row)

    @strawberry.mutation(
        description="Give a person a role at a place (a district, street, community or grid "
        "global id; a department for DEPARTMENT_OFFICER; none for city-wide and resident roles). "
        "You may grant only inside your own scope.",
        permission_classes=[ADMIN],
    )
    async def grant_role(
        self, info: Info, person_id: strawberry.ID, role: str, place_id: strawberry.ID | None = None
    ) -> RoleGrant:
        context: Context = info.context
        spec = context.roles.get(role)
        if spec is None:
            raise BadUserInput(
                f"Unknown role {role}.", argument="role", known=sorted(context.roles)
            )
        person = await people_models.Person.filter(
            id=key_of(person_id, "Person", what="person")
        ).first()
        if person is None:
            raise NotFound("No such person.")
        level, key = spec.scope, None
        if place_id is not None:
            parsed_type = type_name_of(place_id, what="place")
            level = PLACE_TYPES.get(parsed_type, "")
            key = key_of(place_id, parsed_type, what="place")
        grant = await grant_at(spec, level, key, person)
        context.note.used(require_admin(context.viewer, grant))
        viewer = context.viewer
        assert viewer is not None
        row = await save_grant(person.id, grant, viewer)
        context.note.about(
            global_id("RoleGrant", row.id), grant.district_id, role=grant.role, level=grant.level
        )
        found = await access_models.RoleGrant.filter(id=row.id).first().values(*ROLE_GRANT.columns)
        assert found is not None
        return ROLE_GRANT.build(found)

    @strawberry.mutation(
        description="Take a role back. Answers the id of the removed grant.",
        permission_classes=[ADMIN],
    )
    async def revoke_role(self, info: Info, grant_id: strawberry.ID) -> strawberry.ID:
        context: Context = info.context
        row = await access_models.RoleGrant.filter(
            id=key_of(grant_id, "RoleGrant", what="grant")
        ).first()
        if row is None:
            raise NotFound("No such grant.")
        grant = as_grant(row)
        context.note.used(require_admin(context.viewer, grant))
        await row.delete()
        context.note.about(grant_id, grant.district_id, role=grant.role, level=grant.level)
        return grant_id
