"""Plugins add HTTP routes (``register_routes``), mounted under ``/plugins/<plugin>/``, and read
Hemei through ``schema.RouteContext``."""

from __future__ import annotations

import pytest
from starlette.routing import Mount

from core.plugins.errors import PluginError
from core.plugins.host import build_plugin_host
from core.regions.models import District
from schema.routes import plugin_mounts
from tests.support.distributions import installed


async def test_hook_register_routes_are_mounted_under_the_plugin_name(api):
    client = await api()
    nanshan, xingshan = await District.get(code="nanshan"), await District.get(code="xingshan")
    anonymous = await client.client.get(f"/plugins/kernel_test/hello?district={nanshan.id}")
    assert anonymous.status_code == 200
    assert anonymous.json() == {"viewer": None, "on": True, "greeting": "南山好"}
    admin = await client.signed_in("city_admin")
    signed = await client.client.get(
        f"/plugins/kernel_test/hello?district={xingshan.id}",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert signed.json() == {"viewer": "city_admin", "on": False, "greeting": "你好"}
    assert signed.headers["x-request-id"], "the app's middleware runs for plugin routes too"
    assert (await client.client.get("/plugins/kernel_test/nothing")).status_code == 404


def test_only_routes_are_accepted(tmp_path, kernel_plugin):
    host = build_plugin_host([kernel_plugin])
    [mount] = plugin_mounts(host, runtime=None)  # type: ignore[arg-type]  # not served here
    assert isinstance(mount, Mount) and mount.path == "/plugins/kernel_test"
    with installed(tmp_path, "hemei-odd", {"odd": "tests.bad_plugins:RoutesNotRoutes"}):
        host = build_plugin_host(["odd"])
        with pytest.raises(PluginError, match="plugin 'odd': register_routes must return Star"):
            plugin_mounts(host, runtime=None)  # type: ignore[arg-type]
