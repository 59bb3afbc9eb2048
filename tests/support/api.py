"""Drive the real ASGI app through HTTP, as a frontend would."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from core.demo.people import DEMO_PASSWORD
from core.runtime import Runtime


@dataclass
class Api:
    client: httpx.AsyncClient
    runtime: Runtime
    token: str | None = None

    def as_token(self, token: str | None) -> Api:
        """The same client sending ``Authorization: Bearer <token>``."""
        return replace(self, token=token)

    async def signed_in(self, username: str, password: str = DEMO_PASSWORD) -> Api:
        """Log in through the API and return a client that sends the token."""
        data = await self.data(
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
            {"u": username, "p": password},
        )
        return self.as_token(data["login"]["token"])

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The full GraphQL response (``data`` and ``errors``)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.headers["content-type"].startswith("application/"), response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """``data`` of a response that must have no errors."""
        body = await self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The one error of a response that must fail."""
        body = await self.post(query, variables)
        assert body.get("errors"), body
        assert len(body["errors"]) == 1, body["errors"]
        return body["errors"][0]


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]
