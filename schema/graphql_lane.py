"""The Starlette application, with ``POST /graphql`` handed straight to the GraphQL view.

Nearly every request a city serves is a POST to ``/graphql``. Starlette passes each one through
its error middleware, the app's own middleware (request id, metrics and the access line), its
exception middleware and its router, which matches the path against each route: those two
layers were 5 % of the instructions of a small query (``{ __typename }``, 658,000 → 625,000
under callgrind). :class:`HemeiStarlette` builds, once, the same error middleware and app
middleware around the view alone, and sends such requests there
(``tests/schema/test_graphql_lane.py`` and ``tests/observability`` check the answers,
request ids, metrics and errors are the same). The view answers HTTP errors itself
(:class:`schema.limits.view.GuardedGraphQL`), so the exception middleware had nothing to do
for them. Everything else (GET, WebSocket, other paths, a ``root_path``) takes Starlette's
whole stack.

Both stacks sit inside the ``outermost`` middleware (Hemei's request id): outside the error
middleware, so that the 500 it answers carries the request's id too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class HemeiStarlette(Starlette):
    """A Starlette app whose ``POST graphql_path`` requests go to ``graphql`` through the
    error middleware and the app's middleware only (see the module's text)."""

    def __init__(
        self,
        *args: Any,
        graphql: ASGIApp,
        graphql_path: str,
        outermost: Sequence[Middleware] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.graphql_view, self.graphql_path = graphql, graphql_path
        self.graphql_stack: ASGIApp | None = None
        # Outside the error middleware, so that they also see the 500 it answers (the
        # request id's header on it) and the exception it raises on to the server.
        self.outermost = tuple(outermost)

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack, inside the ``outermost`` middleware."""
        return _wrapped(super().build_middleware_stack(), self.outermost)

    def build_graphql_stack(self) -> ASGIApp:
        """What :meth:`build_middleware_stack` builds, with the view in place of the
        exception middleware and router."""
        if self.max_body_size is not None:
            return self.build_middleware_stack()  # its body limit sits in between: no lane
        handler = next(
            (h for key, h in self.exception_handlers.items() if key in (500, Exception)), None
        )
        middleware = [
            *self.outermost,
            Middleware(ServerErrorMiddleware, handler=handler, debug=self.debug),
            *self.user_middleware,
        ]
        return _wrapped(self.graphql_view, middleware)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == self.graphql_path
            and not scope.get("root_path")
        ):
            scope["app"] = self
            if self.graphql_stack is None:
                self.graphql_stack = self.build_graphql_stack()
            await self.graphql_stack(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _wrapped(app: ASGIApp, middleware: Sequence[Middleware]) -> ASGIApp:
    """``app`` inside ``middleware``, the first outermost (as Starlette stacks them)."""
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
    return app
