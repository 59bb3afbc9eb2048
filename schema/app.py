"""The Starlette application: ``/graphql`` (GraphiQL outside production), ``/healthz`` and
``/readyz``. Built by :func:`create_app` from a :class:`core.runtime.Runtime`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import Any, cast

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType
from tortoise import connections

from core.access.tokens import TokenService
from core.assessment.schedule import run_quarterly_assessment
from core.cases.jobs import run_deadline_jobs
from core.cases.photos import FolderStore
from core.cases.services import CaseService
from core.cluster import broker_for
from core.cluster.jobs import JobLedger
from core.config.model import HemeiConfig
from core.db.setup import DatabaseNotMigrated, close_orm, init_orm, pending_migrations
from core.events.relay import OutboxRelay
from core.runtime import Runtime
from core.webhooks.sender import WebhookSender
from schema.builder import ComposedSchema, build_schema
from schema.cases.photos import photo_route
from schema.context import Context, bearer
from schema.gc_tuning import tune_for_serving
from schema.graphql_lane import HemeiStarlette
from schema.limits.documents import DocumentStore
from schema.limits.rate import limiter_for
from schema.limits.view import GuardedGraphQL
from schema.observability import observe
from schema.request_headers import headers_of
from schema.request_id import RequestIdMiddleware, current_request_id
from schema.routes import plugin_mounts
from schema.stats.exports import assessment_route, stats_route
from schema.volunteers.photos import work_order_photo_route

log = logging.getLogger("hemei.app")


class HemeiGraphQL(GuardedGraphQL):
    """Strawberry's ASGI view, with Hemei's per-request context and the HTTP rules and limits
    of :class:`schema.limits.view.GuardedGraphQL`."""

    def __init__(
        self, composed: ComposedSchema, runtime: Runtime, relay: OutboxRelay, **kwargs: Any
    ) -> None:
        self.runtime = runtime
        super().__init__(composed.schema, multipart_uploads_enabled=True, **kwargs)
        self.limiter = limiter_for(runtime.config.cluster.redis_url)
        self.composed = composed
        self.relay = relay
        self.photos = FolderStore(runtime.config.cases.photo_folder)
        self.documents = DocumentStore(runtime.config.documents.path)
        # What the plugins declared: fixed for the process (loading plugins needs a restart),
        # so built once rather than for every request's context. Nothing writes to them.
        host = runtime.host
        self._roles = {name: spec for name, (_, spec) in host.roles.items()}
        self._categories = {code: c for code, (_, c) in host.case_categories.items()}
        self._figures = tuple(spec for _, spec in host.figures.values())
        self._prototype: Context | None = None
        self._prototype_extensions: Any = None
        self._json_fragments = False

    @property
    def config(self) -> HemeiConfig:
        return self.runtime.config

    @property
    def tokens(self) -> TokenService:
        return self.runtime.tokens

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        peer = request.scope.get("client")
        context = self._context_prototype().fresh(
            current_request_id.get(), request, response, peer[0] if peer else None
        )
        if isinstance(request, Request):
            context.json_fragments = self._json_fragments
            # Checked once the document passed the limits (schema.limits.Authenticate).
            context.defer_authentication(bearer(headers_of(request.scope).get("authorization")))
        return context

    def _context_prototype(self) -> Context:
        """What every request's context starts from, under the config in force (made again
        when the config is reloaded, or the token service, viewer cache or the schema's
        extensions replaced)."""
        runtime, extensions = self.runtime, cast(Any, self.schema).extensions
        made = self._prototype
        if (
            made is not None
            and made.activation is runtime.activation
            and made.tokens is runtime.tokens
            and made.viewers is runtime.viewers
            and self._prototype_extensions is extensions
        ):
            return made
        config = runtime.activation.config
        made = self._prototype = Context(
            activation=runtime.activation,
            request_id="-",
            gate=self.composed.gate,
            access=self.composed.access,
            tokens=runtime.tokens,
            roles=self._roles,
            categories=self._categories,
            figures=self._figures,
            node_sources=self.composed.node_sources,
            broker=self.relay.broker,
            photos=self.photos,
            outbox_wake=self.relay.wake,
            planner_enabled=config.performance.planned_reads,
            viewers=runtime.viewers,
            viewer_seconds=config.performance.viewer_cache_seconds,
        )
        # The HTTP view writes its responses with orjson, which copies JSON text as it is;
        # an extension Hemei does not know (a plugin's) might read the data itself.
        self._json_fragments = config.performance.json_in_database and self.lean.knows(extensions)
        self._prototype_extensions = extensions
        return made

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket signs in with ``Authorization: Bearer <token>`` in its connection_init
        payload; without a valid token the connection is closed (4403): every subscription is
        for signed-in viewers, so anonymous connections serve nothing."""
        params = context.connection_params or {}
        token = params.get("Authorization") or params.get("authorization")
        await context.authenticate(bearer(token) if isinstance(token, str) else None)
        if context.viewer_if_valid is None:
            raise ConnectionRejectionError()
        return UNSET


def create_app(
    runtime: Runtime,
    *,
    composed: ComposedSchema | None = None,
    manage_database: bool = True,
    watch_config: bool = True,
) -> Starlette:
    """The app for ``runtime``. ``manage_database``: start and stop the ORM with the app (tests
    that share one database across apps pass False). ``watch_config``: reload the config file
    on change and on SIGHUP."""
    production = runtime.config.server.production
    composed = composed or build_schema(runtime.host, production=production)
    broker = broker_for(runtime)
    relay = OutboxRelay(runtime.host, broker, activation=lambda: runtime.activation)
    observed = observe(runtime.config.observability, composed, lambda: broker.subscriptions)
    ledger = JobLedger(lease=timedelta(seconds=runtime.config.cluster.job_lease_seconds))
    categories = {code: c for code, (_, c) in runtime.host.case_categories.items()}

    def case_service() -> CaseService:
        return CaseService(runtime.config.cases, categories)

    graphql = HemeiGraphQL(composed, runtime, relay, graphql_ide=None if production else "graphiql")
    state = {"ready": False}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            url, apps = runtime.config.database.url, runtime.host.model_apps()
            await init_orm(url, apps)
            if pending := await pending_migrations(url, apps):
                await close_orm()
                raise DatabaseNotMigrated(pending)
        stop = asyncio.Event()
        await broker.start()
        watcher = asyncio.create_task(runtime.watch(stop)) if watch_config else None
        background = (
            [
                relay.run(stop),
                WebhookSender().run(stop),
                run_deadline_jobs(
                    case_service, stop, runtime.config.cases.jobs_interval_seconds, ledger
                ),
                run_quarterly_assessment(lambda: runtime.config, stop, ledger),
            ]
            if manage_database
            else []
        )
        tasks = [asyncio.create_task(job) for job in background]
        tune_for_serving()
        state["ready"] = True
        try:
            yield
        finally:
            state["ready"] = False
            stop.set()
            for task in [watcher, *tasks]:
                if task is not None:
                    with suppress(asyncio.CancelledError, TimeoutError):
                        await asyncio.wait_for(task, timeout=5)
            await broker.close()
            close = getattr(graphql.limiter, "close", None)  # a Redis limiter's client
            if close is not None:
                await close()
            if manage_database:
                await close_orm()

    async def healthz(request: Request) -> JSONResponse:
        try:
            await connections.get("default").execute_query("SELECT 1")
        except Exception as exc:
            log.warning("health check failed: %s", type(exc).__name__)
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable"}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        if not state["ready"] and manage_database:
            return JSONResponse({"status": "starting"}, status_code=503)
        return JSONResponse({"status": "ready"})

    return HemeiStarlette(
        graphql=graphql,
        graphql_path="/graphql",
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/photos/{photo_id}", photo_route(runtime.tokens, graphql.photos)),
            Route("/exports/stats.xlsx", stats_route(runtime)),
            Route("/exports/assessment.xlsx", assessment_route(runtime)),
            Route(
                "/work-order-photos/{photo_id}",
                work_order_photo_route(runtime.tokens, graphql.photos),
            ),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *observed.routes,
            *plugin_mounts(runtime.host, runtime),
        ],
        middleware=observed.middleware,
        outermost=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )


def app_from_environment() -> Starlette:
    """The app for the config named by ``$HEMEI_CONFIG``: the factory uvicorn's worker
    processes call (``hemei serve --workers N``), each building its own runtime."""
    from core.config.loader import config_path
    from core.runtime import start_runtime

    return create_app(start_runtime(config_path(None)))
