"""Signed, expiring access tokens (JWT, HS256)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from core.config.model import SecurityConfig

_ALGORITHM = "HS256"
_ISSUER = "hemei"


@dataclass(frozen=True)
class TokenService:
    """Issues and checks tokens with one key. Build it with :meth:`from_config`."""

    key: str
    lifetime: timedelta

    @classmethod
    def from_config(cls, security: SecurityConfig) -> TokenService:
        key = security.secret_key.get_secret_value() if security.secret_key else None
        return cls(
            key=key or secrets.token_urlsafe(48), lifetime=timedelta(minutes=security.token_minutes)
        )

    def issue(self, account_id: int, now: datetime | None = None) -> tuple[str, datetime]:
        """A token for the account and when it expires."""
        now = now or datetime.now(UTC)
        expires = now + self.lifetime
        claims = {"sub": str(account_id), "iat": now, "exp": expires, "iss": _ISSUER}
        return jwt.encode(claims, self.key, algorithm=_ALGORITHM), expires

    def account_id(self, token: str) -> int | None:
        """The account a valid token names; None for a bad, forged or expired token."""
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[_ALGORITHM],
                issuer=_ISSUER,
                options={"require": ["sub", "exp", "iat", "iss"]},
            )
            return int(claims["sub"])
        except (jwt.PyJWTError, ValueError):
            return None
