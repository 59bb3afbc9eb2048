"""Drive the real ASGI app through HTTP, as a frontend would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from core.runtime import Runtime


@dataclass
class Api:
    client: httpx.AsyncClient
    runtime: Runtime

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The full GraphQL response (``data`` and ``errors``)."""
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
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
