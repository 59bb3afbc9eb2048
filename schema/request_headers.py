"""A request's headers looked up by name, read into a dict once per request.

Starlette's ``Headers`` scans the whole header list on each look-up, and each ``Request``
makes a new one: the view, the lean path and the context looked up six headers of every
request that way. The view runs after every middleware, so the headers it sees no longer
change: :func:`headers_of` keeps them in the scope, for the view and what it calls.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import Scope

_KEY = "hemei.headers"


def headers_of(scope: Scope) -> Mapping[str, str]:
    """The request's headers by name (lower-case, as ASGI gives names), each the first of
    its name when repeated (as Starlette's ``Headers.get`` answers), decoded as Latin-1.
    Only for the endpoint's own use: a middleware may still change the headers it passes on."""
    found: Mapping[str, str] | None = scope.get(_KEY)
    if found is None:
        raw = scope.get("headers") or ()
        listed = raw if isinstance(raw, list | tuple) else list(raw)
        named = {k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(listed)}
        found = scope[_KEY] = named
    return found
