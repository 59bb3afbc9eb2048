"""Permission classes for root fields and mutations: who may call them at all. Which rows a
caller then sees is the business of the scope rules (``core.access.scope``)."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from core.errors import Forbidden, Unauthenticated


class IsAuthenticated(BasePermission):
    """The caller has signed in."""

    message = "Sign in first."

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.viewer is None:
            raise Unauthenticated(self.message)
        return True


def has_role(*roles: str) -> type[BasePermission]:
    """The caller holds at least one of ``roles`` (anywhere; scope rules narrow it down)."""

    class HasRole(BasePermission):
        message = f"Needs one of the roles {', '.join(roles)}."

        async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            viewer = info.context.viewer
            if viewer is None:
                raise Unauthenticated("Sign in first.")
            if not viewer.with_role(*roles):
                raise Forbidden(self.message, roles=list(roles))
            return True

    HasRole.__name__ = f"HasRole({', '.join(roles)})"
    return HasRole
