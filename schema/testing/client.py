"""A GraphQL client for the real ASGI app, as a frontend would use it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from core.demo.people import DEMO_PASSWORD
from core.runtime import Runtime


class GraphQLErrors(AssertionError):
    """A response that had to succeed carried errors (they are in the message)."""


@dataclass
class Client:
    """Posts GraphQL to ``/graphql``; ``token`` signs the requests in."""

    http: httpx.AsyncClient
    runtime: Runtime
    token: str | None = None

    def as_token(self, token: str | None) -> Client:
        """The same client sending ``Authorization: Bearer <token>``."""
        return replace(self, token=token)

    async def signed_in(self, username: str, password: str = DEMO_PASSWORD) -> Client:
        """Log in through the API (demo logins share ``hemei-demo``) and send the token."""
        data = await self.data(
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
            {"u": username, "p": password},
        )
        return self.as_token(data["login"]["token"])

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response: ``data`` and ``errors``."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """``data`` of a response that must have no errors."""
        body = await self.post(query, variables)
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The one error of a response that must fail."""
        body = await self.post(query, variables)
        errors = body.get("errors") or []
        if len(errors) != 1:
            raise GraphQLErrors(f"expected one error, got {errors or body}")
        error: dict[str, Any] = errors[0]
        return error


def codes(body: dict[str, Any]) -> list[str]:
    """The ``extensions.code`` of each error of a response."""
    return [(e.get("extensions") or {}).get("code", "?") for e in body.get("errors") or []]
