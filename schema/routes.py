"""Plugins' HTTP routes (``register_routes``), mounted under ``/plugins/<plugin>/``, and the
:class:`RouteContext` their handlers read Hemei through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise.transactions import in_transaction

from core.access.audit import AuditNote, write_audit, write_security_event
from core.access.viewer import Viewer, load_viewer
from core.activation import Activation
from core.cases.categories import CaseCategory
from core.cases.services import CaseService
from core.errors import ErrorCode, HemeiError
from core.plugins.errors import PluginError
from core.plugins.host import PluginHost
from core.regions.places import PlaceRow
from core.regions.switch_ids import switch_ids
from core.runtime import Runtime
from schema.context import bearer
from schema.gate import place_codes
from schema.request_id import current_request_id

S = TypeVar("S", bound=BaseModel)
RUNTIME_KEY = "hemei.runtime"
HTTP_STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.BAD_USER_INPUT: 400,
    ErrorCode.MODULE_DISABLED: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.RATE_LIMITED: 429,
}


def plugin_mounts(host: PluginHost, runtime: Runtime) -> list[Mount]:
    """A mount at ``/plugins/<plugin>`` for each plugin that registered routes."""
    mounts = []
    for plugin, routes in host.call_each("register_routes"):
        routes = list(routes)
        for route in routes:
            if not isinstance(route, BaseRoute):
                raise PluginError(
                    plugin, f"register_routes must return Starlette routes, got {route!r}"
                )
        mounts.append(Mount(f"/plugins/{plugin}", app=_WithRuntime(Router(routes), runtime)))
    return mounts


class _WithRuntime:
    """Hands the runtime to the plugin's handlers through the ASGI scope."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app, self.runtime = app, runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[RUNTIME_KEY] = self.runtime
        await self.app(scope, receive, send)


@dataclass
class RouteContext:
    """What a plugin's HTTP handler needs from Hemei for one request: get it with
    ``context = await RouteContext.of(request)``.

    ``viewer`` is the signed-in account of an ``Authorization: Bearer`` token (or a ``token``
    given explicitly), None when there is none; ``token_invalid`` says one was sent and refused.
    ``activation`` holds the module switches and settings in force when the request started.
    """

    activation: Activation
    viewer: Viewer | None
    token_invalid: bool
    categories: Mapping[str, CaseCategory]
    request_id: str
    client: str | None

    @classmethod
    async def of(cls, request: HTTPConnection, token: str | None = None) -> RouteContext:
        runtime: Runtime = request.scope[RUNTIME_KEY]
        token = token or bearer(request.headers.get("authorization"))
        account = runtime.tokens.account_id(token) if token else None
        viewer = await load_viewer(account) if account is not None else None
        return cls(
            activation=runtime.activation,
            viewer=viewer,
            token_invalid=bool(token) and viewer is None,
            categories={code: c for code, (_, c) in runtime.host.case_categories.items()},
            request_id=current_request_id.get(),
            client=request.client.host if request.client else None,
        )

    def cases(self) -> CaseService:
        """Core's case service with the config and catalogue in force (report, act)."""
        return CaseService(self.activation.config.cases, self.categories)

    async def module_on(self, module: str, place: PlaceRow) -> bool:
        """Whether ``module`` is on at ``place`` (a ``core.find_place`` row)."""
        ids = await switch_ids(self.activation.switches(module))
        return ids.enabled(place.district_id, place.street_id, place.community_id)

    async def settings(self, module: str, place: PlaceRow, model: type[S]) -> S:
        """The module's settings in force at ``place`` (its defaults where none are set)."""
        found = self.activation.settings(module, await place_codes(place))
        return found if isinstance(found, model) else model()

    @asynccontextmanager
    async def change(self, action: str) -> AsyncIterator[AuditNote]:
        """One transaction for a change, with its audit record, as a GraphQL mutation has:
        ``async with context.change("winter_city.open311.request") as note: ...`` then
        ``note.target``, ``note.district_id``, ``note.grant`` and ``note.summary`` (no personal
        data) say what it was. An error rolls everything back and is logged as refused."""
        note = AuditNote(action=action)
        try:
            async with in_transaction():
                yield note
                await write_audit(note, self.viewer, self.request_id)
        except HemeiError as error:
            await write_security_event(note, self.viewer, error, self.request_id, self.client)
            raise

    @staticmethod
    def http_status(error: HemeiError) -> int:
        """The HTTP status that matches an error's code (500 for an unexpected one)."""
        return HTTP_STATUS.get(error.code, 500)
