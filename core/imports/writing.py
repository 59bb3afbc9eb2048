"""Writing checked rows: parents before children, new rows in bulk, changed rows with their
version bumped (as every edit does), unchanged rows left alone. Places copy their ancestors'
ids; a resident copies those of their home compound. Runs inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F
from tortoise.models import Model

from core.access.models import RoleGrant
from core.imports.checking import Planned
from core.people.models import Department, Person
from core.progress import SILENT, Progress
from core.regions.models import Community, Compound, District, Grid, Street

__all__ = ["write"]

BATCH = 1000
PLACE_MODELS: dict[str, type[Model]] = {
    "districts": District, "streets": Street, "communities": Community, "grids": Grid,
    "compounds": Compound,
}  # fmt: skip


async def _ids(model: type[Model]) -> dict[tuple[str, ...], dict[str, Any]]:
    """Every row of a place model by natural key, with its ancestors' ids."""
    code_of = dict(await District.all().values_list("id", "code"))
    if model is District:
        return {(r["code"],): r for r in await District.all().values("id", "code")}
    columns = ["id", "code", "district_id"]
    columns += {
        Street: [],
        Community: ["street_id"],
        Grid: ["street_id", "community_id"],
        Compound: ["street_id", "community_id", "grid_id"],
    }[model]  # type: ignore[index]
    rows = await model.all().values(*columns)
    return {(code_of[r["district_id"]], r["code"]): r for r in rows}


async def _bulk(model: type[Model], rows: Sequence[Model], progress: Progress) -> None:
    for start in range(0, len(rows), BATCH):
        await model.bulk_create(list(rows[start : start + BATCH]))
        progress.advance(len(rows[start : start + BATCH]))


async def write(rows: list[Planned], progress: Progress = SILENT) -> None:
    """Write ``rows`` (already checked, in sheet order)."""
    progress.phase("writing rows", sum(1 for r in rows if r.change != "same"))
    by_kind: dict[str, list[Planned]] = {}
    for row in rows:
        if row.change != "same":
            by_kind.setdefault(row.kind, []).append(row)
    if "departments" in by_kind:
        await _departments(by_kind["departments"], progress)
    for kind, model in PLACE_MODELS.items():
        if kind in by_kind:
            await _places(kind, model, by_kind[kind], progress)
    if "residents" in by_kind or "cadres" in by_kind:
        await _people(by_kind.get("residents", []), by_kind.get("cadres", []), progress)


async def _departments(rows: list[Planned], progress: Progress) -> None:
    new = [Department(code=r.values["code"], name=r.values["name"]) for r in rows
           if r.change == "create"]  # fmt: skip
    await _bulk(Department, new, progress)
    for row in rows:
        if row.change == "update":
            await Department.filter(id=row.existing).update(
                name=row.values["name"], version=F("version") + 1
            )
            progress.advance()


def _place_columns(kind: str, values: dict[str, Any], parents: dict[str, Any]) -> dict[str, Any]:
    district = values.get("district")
    if kind == "districts":
        return {"code": values["code"], "name": values["name"]}
    columns: dict[str, Any] = {"code": values["code"], "name": values["name"]}
    if kind == "streets":
        columns["district_id"] = parents["districts"][(district,)]["id"]
    elif kind == "communities":
        street = parents["streets"][(district, values["street"])]
        columns |= {"district_id": street["district_id"], "street_id": street["id"],
                    "centre_lon": values["lon"], "centre_lat": values["lat"]}  # fmt: skip
    elif kind == "grids":
        community = parents["communities"][(district, values["community"])]
        columns |= {"district_id": community["district_id"], "street_id": community["street_id"],
                    "community_id": community["id"], "boundary": values["boundary"]}  # fmt: skip
    else:
        grid = parents["grids"][(district, values["grid"])]
        columns |= {"district_id": grid["district_id"], "street_id": grid["street_id"],
                    "community_id": grid["community_id"], "grid_id": grid["id"],
                    "boundary": values["boundary"], "has_property_management": values["managed"],
                    "property_company": values["company"]}  # fmt: skip
    return columns


async def _places(kind: str, model: type[Model], rows: list[Planned], progress: Progress) -> None:
    kinds = list(PLACE_MODELS)
    parent_kind = kinds[kinds.index(kind) - 1] if kind != "districts" else None
    parents = {parent_kind: await _ids(PLACE_MODELS[parent_kind])} if parent_kind else {}
    new = [model(**_place_columns(kind, r.values, parents)) for r in rows if r.change == "create"]
    await _bulk(model, new, progress)
    for row in rows:
        if row.change == "update":
            columns = _place_columns(kind, row.values, parents)
            for moved in ("district_id", "street_id", "community_id", "grid_id"):
                columns.pop(moved, None)  # checked: an import does not move places
            await model.filter(id=row.existing).update(**columns, version=F("version") + 1)
            progress.advance()


async def _people(residents: list[Planned], cadres: list[Planned], progress: Progress) -> None:
    compounds = await _ids(Compound)
    departments = dict(await Department.all().values_list("code", "id"))
    fresh: dict[str, Person] = {}
    changed: dict[int, dict[str, Any]] = {}
    for row in [*residents, *cadres]:
        columns: dict[str, Any] = {"name": row.values["name"], "phone": row.values["phone"]}
        if row.kind == "residents":
            home = compounds[row.values["compound"]]
            columns |= {"home_compound_id": home["id"], "home_grid_id": home["grid_id"],
                        "home_community_id": home["community_id"],
                        "home_street_id": home["street_id"],
                        "home_district_id": home["district_id"]}  # fmt: skip
        elif row.values["department"] is not None:
            columns["department_id"] = departments[row.values["department"]]
        number = row.values["id_number"]
        if row.existing is None:
            person = fresh.get(number) or Person(id_number=number)
            for name, value in columns.items():
                setattr(person, name, value)
            fresh[number] = person
        else:
            changed.setdefault(row.existing, {}).update(columns)
    await _bulk(Person, list(fresh.values()), progress)
    await _update_people(changed, progress)
    if cadres:
        await _grants(cadres, departments)


async def _update_people(changed: dict[int, dict[str, Any]], progress: Progress) -> None:
    """One prepared UPDATE per set of changed columns, run for many rows at once
    (``executemany``): ORM bulk updates build a CASE per column, slow past a few hundred rows."""
    client = Person._choose_db(True)  # the transaction's connection
    mark = (lambda n: f"${n}") if client.capabilities.dialect == "postgres" else (lambda n: "?")
    groups: dict[tuple[str, ...], list[int]] = {}
    for person_id, values in changed.items():
        groups.setdefault(tuple(sorted(values)), []).append(person_id)
    now = datetime.now(UTC)
    for columns, ids in groups.items():
        names = [*columns, "updated_at"]
        sets = ", ".join(f'"{name}" = {mark(i)}' for i, name in enumerate(names, start=1))
        n = len(names) + 1
        sql = f'UPDATE "person" SET {sets}, "version" = "version" + 1 WHERE "id" = {mark(n)}'
        fields = [Person._meta.fields_map[name] for name in names]
        rows = [
            [f.to_db_value(v, Person) for f, v in zip(fields, [*(changed[i][c] for c in columns),
                                                                now], strict=True)] + [i]
            for i in ids
        ]  # fmt: skip
        for start in range(0, len(rows), BATCH):
            await client.execute_many(sql, rows[start : start + BATCH])
            progress.advance(len(rows[start : start + BATCH]))


async def _grants(cadres: list[Planned], departments: dict[str, int]) -> None:
    numbers = [row.values["id_number"] for row in cadres]
    person_of = dict(await Person.filter(id_number__in=numbers).values_list("id_number", "id"))
    places = {
        "grid": await _ids(Grid),
        "community": await _ids(Community),
        "street": await _ids(Street),
    }
    wanted: list[RoleGrant] = []
    for row in cadres:
        values, person = row.values, person_of[row.values["id_number"]]
        if values["level"] == "department":
            department = departments[values["place"][0]]
            where: dict[str, Any] = {"department_id": department}
        else:
            place = places[values["level"]][values["place"]]
            where = {column: place.get(column) for column in
                     ("district_id", "street_id", "community_id")}  # fmt: skip
            where[f"{values['level']}_id"] = place["id"]
            where = {k: v for k, v in where.items() if v is not None}
        grant = {"person_id": person, "role": values["role"], "level": values["level"], **where}
        if not await RoleGrant.exists(**grant):
            wanted.append(RoleGrant(**grant))
    await RoleGrant.bulk_create(wanted, batch_size=BATCH)
