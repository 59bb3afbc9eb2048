"""People with roles at places, signed in; and the demo region tree to find places in."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from core.access.grants import grant_columns
from core.access.models import Account, RoleGrant
from core.access.passwords import hash_password
from core.access.viewer import Grant
from core.people.models import Department, Person
from core.regions.models import Community, Compound, District, Grid, Street
from schema.testing.client import Client
from schema.testing.config import OFF_DISTRICTS, ON_DISTRICTS

Place = District | Street | Community | Grid | Compound | Department | None
"""Where a role is held: a region row, a department, or None for the city."""
PASSWORD = "hemei-test"


@dataclass(frozen=True)
class User:
    """A person with a login, and a client signed in as them."""

    person: Person
    username: str
    client: Client

    @property
    def person_id(self) -> int:
        return self.person.id


@dataclass
class Users:
    """Makes people with roles. ``await users.make("COMMUNITY_WORKER", community)`` gives a
    signed-in :class:`User`; ``await users.demo("city_admin")`` signs in a demo login."""

    client: Client
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def make(
        self, *roles: tuple[str, Place] | str, home: Compound | None = None, name: str = ""
    ) -> User:
        """A new person holding each role at its place (``("GRID_WORKER", grid)``; a bare
        role name is held at the city, or for RESIDENT oneself), living in ``home``."""
        run = uuid.uuid4().hex[:8]
        person = await Person.create(name=name or f"测试{next(self._serial)}", **_home(home))
        for role in roles:
            role_name, place = (role, None) if isinstance(role, str) else role
            grant = grant_at(role_name, place)
            await RoleGrant.create(person_id=person.id, **grant_columns(grant))
        username = f"test_{run}"
        await Account.create(
            username=username, password_hash=hash_password(PASSWORD), person_id=person.id
        )
        return User(person, username, await self.client.signed_in(username, PASSWORD))

    def on(self, client: Client) -> Users:
        """People signed in to another app (one from ``hemei_app(config)``: tokens of one app
        are not valid in another)."""
        return Users(client)

    async def resident(self, home: Compound) -> User:
        """A resident living in ``home``."""
        return await self.make("RESIDENT", home=home)

    async def demo(self, username: str) -> Client:
        """A client signed in as one of the demo logins (``city_admin``, ``gongnong_admin``,
        ``xinhong_worker``... see the README)."""
        return await self.client.signed_in(username)


def grant_at(role: str, place: Place) -> Grant:
    """The grant of ``role`` at ``place`` (its level follows from the place's kind)."""
    if place is None:
        return Grant(role, "self" if role == "RESIDENT" else "city")
    if isinstance(place, Department):
        return Grant(role, "department", department_id=place.id)
    if isinstance(place, District):
        return Grant(role, "district", district_id=place.id)
    if isinstance(place, Street):
        return Grant(role, "street", district_id=place.district_id, street_id=place.id)
    if isinstance(place, Community):
        return Grant(role, "community", district_id=place.district_id,
                     street_id=place.street_id, community_id=place.id)  # fmt: skip
    if isinstance(place, Grid | Compound):
        grid_id = place.id if isinstance(place, Grid) else place.grid_id
        return Grant(role, "grid", district_id=place.district_id, street_id=place.street_id,
                     community_id=place.community_id, grid_id=grid_id)  # fmt: skip
    raise TypeError(f"a role is held at a region row or a department, not {place!r}")


def _home(compound: Compound | None) -> dict[str, Any]:
    if compound is None:
        return {}
    return {
        "home_compound_id": compound.id,
        "home_grid_id": compound.grid_id,
        "home_community_id": compound.community_id,
        "home_street_id": compound.street_id,
        "home_district_id": compound.district_id,
    }


@dataclass(frozen=True)
class Places:
    """The demo region tree, and the districts where the test config has the plugins on."""

    async def district(self, code: str) -> District:
        return await District.get(code=code)

    async def compound(self, district: str) -> Compound:
        """The first compound of a district (with its grid, community and street ids)."""
        found = await Compound.filter(district__code=district).order_by("id").first()
        if found is None:
            raise LookupError(f"no compound in {district}")
        return found

    async def community(self, district: str) -> Community:
        compound = await self.compound(district)
        return await Community.get(id=compound.community_id)

    async def grid(self, district: str) -> Grid:
        compound = await self.compound(district)
        return await Grid.get(id=compound.grid_id)

    async def street(self, district: str) -> Street:
        compound = await self.compound(district)
        return await Street.get(id=compound.street_id)

    async def department(self, code: str) -> Department:
        return await Department.get(code=code)

    async def on(self) -> Compound:
        """A compound where the plugins are on (in the first of :data:`ON_DISTRICTS`)."""
        return await self.compound(ON_DISTRICTS[0])

    async def off(self) -> Compound:
        """A compound where they are off (in the first of :data:`OFF_DISTRICTS`)."""
        return await self.compound(OFF_DISTRICTS[0])
