"""One process may hold several composed schemas (tests do; a reload that rebuilt the schema
would): fields a plugin adds to core types belong to the schema that loaded it only."""

from __future__ import annotations

WITHOUT_KERNEL = """
[plugins]
load = ["elderly_canteen"]
[districts.gongnong]
name = "工农区"
modules = ["elderly_canteen"]
"""

QUERY = '{ district(code: "gongnong") { communities(first: 1) { edges { node { kernelNotices { title } } } } } }'


async def test_schemas_with_and_without_a_plugin_coexist(api):
    with_kernel = await api()
    without = await api(WITHOUT_KERNEL)
    body = await without.post(QUERY)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "kernelNotices" in body["errors"][0]["message"]
    # The first schema still has and resolves the field after the second was built.
    data = await with_kernel.data(QUERY)
    assert isinstance(data["district"]["communities"]["edges"][0]["node"]["kernelNotices"], list)
    assert with_kernel.runtime.host is not without.runtime.host, "no global plugin manager"
