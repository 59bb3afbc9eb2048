"""Signed, expiring access tokens (JWT, HS256)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import jwt

from core.config.model import SecurityConfig

_ALGORITHM = "HS256"
_ISSUER = "hemei"
CHECKED_TOKENS = 4096
"""How many valid tokens a process remembers having checked (a few hundred bytes each)."""


@dataclass(frozen=True)
class TokenService:
    """Issues and checks tokens with one key. Build it with :meth:`from_config`."""

    key: str
    lifetime: timedelta
    # token -> (account id, expiry as a UNIX time). A request reads its token up to three times
    # (rate limit, batch admission, viewer), and verifying a JWT (base64 and JSON three times,
    # an HMAC) was a fifth of a small read; a valid token stays valid until it expires.
    _checked: dict[str, tuple[int, float]] = field(
        default_factory=dict, hash=False, compare=False, repr=False
    )

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
        known = self._checked.get(token)
        if known is not None:
            if time.time() < known[1]:
                return known[0]
            del self._checked[token]
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[_ALGORITHM],
                issuer=_ISSUER,
                options={"require": ["sub", "exp", "iat", "iss"]},
            )
            account = int(claims["sub"])
            expires = float(claims["exp"])
        except (jwt.PyJWTError, ValueError, TypeError):
            return None
        if len(self._checked) >= CHECKED_TOKENS:
            self._checked.clear()  # simpler than an LRU, and rare: each entry lives an hour
        self._checked[token] = (account, expires)
        return account
