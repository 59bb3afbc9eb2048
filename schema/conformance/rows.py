"""Rows of any model, made up from its fields, for the checks that need data (N+1, the gate
on lists and on ``node``).

The values are plausible, not meaningful: a name column holds ``name-7``, an enum its first
member, a time tomorrow (an end an hour after its start). Foreign keys to the region tree point
at one compound and its grid, community, street and district, so that every row of one batch
sits in one place; a foreign key to a person gets a new resident of that compound; one to any
other model gets a row of its own, made the same way. What a model checks beyond its fields
(a validator, a constraint between columns) may refuse these rows: the check then says so and
skips the rule, and the plugin's own tests cover it.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from tortoise import fields as tf
from tortoise.fields import relational
from tortoise.fields.data import CharEnumFieldInstance, IntEnumFieldInstance
from tortoise.models import Model

from core.people.models import Person
from core.regions.models import Community, Compound, District, Grid, Street

MAX_DEPTH = 4
_PLACE_COLUMNS = ("district_id", "street_id", "community_id", "grid_id", "compound_id")


@dataclass(frozen=True)
class Spot:
    """One compound and the places above it: where a batch of rows sits."""

    district: District
    street: Street
    community: Community
    grid: Grid
    compound: Compound

    @classmethod
    async def in_district(cls, district: District) -> Spot:
        compound = await Compound.filter(district_id=district.id).order_by("id").first()
        if compound is None:
            raise LookupError(f"district {district.code} has no compound")
        return cls(
            district,
            await Street.get(id=compound.street_id),
            await Community.get(id=compound.community_id),
            await Grid.get(id=compound.grid_id),
            compound,
        )

    def ids(self) -> dict[str, int]:
        return {
            "district_id": self.district.id,
            "street_id": self.street.id,
            "community_id": self.community.id,
            "grid_id": self.grid.id,
            "compound_id": self.compound.id,
        }

    def lon_lat(self) -> tuple[float, float]:
        """The compound's centre (of its boundary's corners), or Hegang's."""
        points: list[Any] = []
        boundary = self.compound.boundary or self.grid.boundary or {}
        for ring in boundary.get("coordinates", [])[:1]:
            points = ring
        if not points:
            return 130.28, 47.33
        return (
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
        )


def core_hints() -> dict[type[Model], dict[str, Any]]:
    """Values for core's text columns that hold codes (a booking's status, a case's source)."""
    from core.booking.models import Booking
    from core.cases.models import Case

    return {
        Booking: {"status": "CONFIRMED"},
        Case: {"source": "RESIDENT", "category": "heating"},
    }


@dataclass
class RowMaker:
    """Makes rows and remembers them, so :meth:`remove` can take them all away again.
    ``hints`` give some columns of some models a value (see :meth:`make`)."""

    hints: dict[type[Model], dict[str, Any]] = field(default_factory=core_hints)
    made: list[Model] = field(default_factory=list)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _run: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    async def make(
        self,
        model: type[Model],
        spot: Spot,
        fixed: dict[str, Model] | None = None,
        hints: dict[str, Any] | None = None,
        depth: int = 0,
    ) -> Model:
        """One row of ``model`` at ``spot``; ``fixed`` foreign keys point at given rows, and
        ``hints`` give columns a value (an enum's, when the GraphQL type says a text column
        holds one)."""
        if depth > MAX_DEPTH:
            raise RecursionError(f"{model.__name__}: foreign keys nest deeper than {MAX_DEPTH}")
        fixed, hints = fixed or {}, {**self.hints.get(model, {}), **(hints or {})}
        n = next(self._serial)
        values: dict[str, Any] = {}
        sources = {
            f.source_field
            for f in model._meta.fields_map.values()
            if isinstance(f, relational.ForeignKeyFieldInstance) and f.source_field
        }
        for name, f in model._meta.fields_map.items():
            if name in fixed:
                values[name] = fixed[name]
            elif isinstance(f, relational.ForeignKeyFieldInstance):
                if f.null and not _is_place(f.related_model):
                    continue
                values[name] = await self._parent(f.related_model, spot, depth)
            elif isinstance(f, relational.RelationalField) or name in sources or f.pk:
                continue
            elif name in _PLACE_COLUMNS:
                values[name] = spot.ids()[name]
            elif name in hints and not (f.null or f.default is not None):
                values[name] = hints[name]
            elif f.null or f.default is not None or _automatic(f):
                continue
            else:
                values[name] = self._value(name, f, n, spot)
        row = await model.create(**values)
        self.made.append(row)
        return row

    async def _parent(self, model: type[Model], spot: Spot, depth: int) -> Model:
        for place in (spot.district, spot.street, spot.community, spot.grid, spot.compound):
            if isinstance(place, model):
                return place
        if model is Person:
            person = await Person.create(
                name=f"人{next(self._serial)}",
                home_compound_id=spot.compound.id,
                home_grid_id=spot.grid.id,
                home_community_id=spot.community.id,
                home_street_id=spot.street.id,
                home_district_id=spot.district.id,
            )
            self.made.append(person)
            return person
        return await self.make(model, spot, depth=depth + 1)

    def _value(self, name: str, f: tf.Field[Any], n: int, spot: Spot) -> Any:
        soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1, minutes=n)
        if isinstance(f, CharEnumFieldInstance | IntEnumFieldInstance):
            return next(iter(f.enum_type))
        if isinstance(f, tf.BooleanField):
            return True
        if isinstance(f, tf.DatetimeField):
            return soon + timedelta(hours=1) if "end" in name else soon
        if isinstance(f, tf.DateField):
            return soon.date() + timedelta(days=1 if "end" in name else 0)
        if isinstance(f, tf.TimeField):
            return time(13) if "end" in name else time(12)
        if isinstance(f, tf.DecimalField):
            return Decimal("1.00")
        if isinstance(f, tf.FloatField):
            lon, lat = spot.lon_lat()
            return {"lon": lon, "lat": lat, "longitude": lon, "latitude": lat}.get(name, 1.0)
        if isinstance(f, tf.IntField | tf.BigIntField | tf.SmallIntField):
            return n
        if isinstance(f, tf.JSONField):
            return []
        if isinstance(f, tf.UUIDField):
            return uuid.uuid4()
        if isinstance(f, tf.BinaryField):
            return b""
        if isinstance(f, tf.TimeDeltaField):
            return timedelta(0)
        text = f"{name}-{self._run}-{n}"
        max_length = getattr(f, "max_length", None)
        return text[-max_length:] if isinstance(max_length, int) else text

    async def remove(self) -> None:
        """Delete every row made, newest first (children before their parents)."""
        for row in reversed(self.made):
            await type(row).filter(pk=row.pk).delete()
        self.made.clear()


def _is_place(model: type[Model]) -> bool:
    return model in (District, Street, Community, Grid, Compound)


def _automatic(f: tf.Field[Any]) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
