"""Objects built from raw rows (schema/nodes.py ``build_raw``, the by-id and page reads of both
read paths) carry exactly the values the ORM gives for the same rows: every column of every
node type, date-times included."""

from __future__ import annotations

from core.db.rows import rows_in
from core.plugins.host import build_plugin_host
from schema.builder import build_schema
from tests.cases.test_ladder_api import act, report
from tests.conftest import ALL_TEST_PLUGINS


async def test_objects_built_from_raw_rows_equal_the_orms_own(api):
    resident = await (await api()).signed_in("resident_xinhong")
    worker = await (await api()).signed_in("xinhong_grid1")
    await act(worker, await report(resident), "ACCEPT")  # a case with more date-times set
    sources = build_schema(build_plugin_host(ALL_TEST_PLUGINS)).node_sources
    compared = 0
    for name, source in sources.items():
        instance = await source.model.all().order_by("-id").first()
        if instance is None:
            continue
        [row] = await rows_in(source.model, source.columns, "id", [instance.pk])
        built = source.build_raw(row)
        for column in source.columns:
            assert getattr(built, column) == getattr(instance, column), (name, column)
        compared += 1
    assert compared >= 10 and "Case" in sources
