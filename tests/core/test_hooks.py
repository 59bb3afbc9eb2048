"""One test per hook spec (the meta-test in test_architecture.py checks that each has one),
each through the ``kernel_test`` plugin loaded from its entry point."""

from __future__ import annotations

from core.activation import Place
from core.plugins.contributions import DemoContext
from core.plugins.host import build_plugin_host
from core.regions.models import Community, District, Street
from tests.kernel_plugin.models import Notice
from tests.kernel_plugin.settings import KernelSettings


async def test_hook_register_models_tables_are_migrated_and_prefixed(api):
    host = build_plugin_host(["kernel_test"])
    app = host.plugins["kernel_test"].model_app
    assert app is not None and app.label == "kernel_test"
    assert [a.label for a in host.model_apps()] == ["core", "kernel_test"]
    assert Notice._meta.db_table == "kernel_test_notice"
    community = await Community.first()
    notice = await Notice.create(
        title="t",
        district_id=community.district_id,
        street_id=community.street_id,
        community_id=community.id,
    )
    assert await Notice.filter(id=notice.id).exists()
    await notice.delete()


def test_hook_register_settings_is_validated_and_has_defaults(kernel_plugin):
    host = build_plugin_host(["kernel_test", "elderly_canteen"])
    assert host.settings_models()["kernel_test"] is KernelSettings
    assert host.plugins["kernel_test"].version == "1.0.0"


async def test_hook_register_graphql_fields_reach_the_schema(api):
    client = await api()
    sdl = (await client.data('{ __type(name: "Community") { fields { name } } }'))["__type"]
    assert "kernelNotices" in [f["name"] for f in sdl["fields"]]
    root = await client.data("{ __schema { mutationType { name } subscriptionType { name } } }")
    assert root == {
        "__schema": {
            "mutationType": {"name": "Mutation"},
            "subscriptionType": {"name": "Subscription"},
        }
    }


def test_hook_register_roles_claims_role_names(kernel_plugin):
    host = build_plugin_host(["kernel_test"])
    owner, role = host.roles["KERNEL_TESTER"]
    assert owner == "kernel_test" and role.scope == "community"
    assert host.roles["GRID_WORKER"][0] == "core"


async def test_hook_load_demo_data_is_awaited_with_the_region_tree(api):
    client = await api()
    host = build_plugin_host(["kernel_test"])  # the built-in modules' demo data is theirs to test
    await Notice.all().delete()
    districts = await District.all()
    demo = DemoContext(
        activation=client.runtime.activation,
        districts=districts,
        streets=await Street.all(),
        communities=await Community.all(),
    )
    await host.call_each_async("load_demo_data", demo=demo)
    made = await Notice.all().values_list("district_id", flat=True)
    on = {
        d.id
        for d in districts
        if client.runtime.activation.state("kernel_test", Place(d.code)).enabled
    }
    assert made and set(made) == on
    await Notice.all().delete()


def test_hook_register_case_categories_joins_the_catalogue(kernel_plugin):
    host = build_plugin_host(["kernel_test"])
    owner, category = host.case_categories["kernel_noise"]
    assert owner == "kernel_test" and category.departments == ("chengguan",)
    assert host.case_categories["heating"][0] == "core"
