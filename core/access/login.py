"""Checking a username and password, with lockout after repeated failures.

Failures are the ``login`` security events the schema writes after each refused login, so the
counts hold across processes. A username is locked after ``lockout_failures`` failures within
``lockout_minutes`` since its last successful login; a client address after
``client_failures``. Locks count by the username tried, whether or not such an account exists,
so the answers do not reveal which usernames exist.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.queryset import QuerySet

from core.access.models import Account, AuditRecord, SecurityEvent
from core.access.passwords import verify_password
from core.config.model import SecurityConfig
from core.errors import Unauthenticated

LOGIN = "login"


async def authenticate(
    username: str,
    password: str,
    client: str | None,
    security: SecurityConfig,
    now: datetime | None = None,
) -> Account:
    """The account for these credentials, or :class:`Unauthenticated` saying why not."""
    now = now or datetime.now(UTC)
    window = timedelta(minutes=security.lockout_minutes)
    since = now - window
    if client is not None:
        from_client = SecurityEvent.filter(action=LOGIN, client=client, at__gte=since)
        if await from_client.count() >= security.client_failures:
            raise _locked("this address", await _last_failure(from_client), window, now)
    account = await Account.filter(username=username).first()
    if account is not None:
        last_success = (
            await AuditRecord.filter(action=LOGIN, account_id=account.id).order_by("-at").first()
        )
        if last_success is not None and last_success.at > since:
            since = last_success.at
    failures = SecurityEvent.filter(action=LOGIN, username=username, at__gte=since)
    if await failures.count() >= security.lockout_failures:
        raise _locked("this account", await _last_failure(failures), window, now)
    if (
        account is None
        or not account.is_active
        or not verify_password(account.password_hash, password)
    ):
        raise Unauthenticated("Wrong username or password.")
    return account


async def _last_failure(events: QuerySet[SecurityEvent]) -> datetime:
    latest = await events.order_by("-at").first()
    return latest.at if latest is not None else datetime.now(UTC)


def _locked(what: str, last: datetime, window: timedelta, now: datetime) -> Unauthenticated:
    retry = max(1, int((last + window - now).total_seconds()))
    return Unauthenticated(
        f"Too many failed logins for {what}: try again in {max(1, retry // 60)} minute(s).",
        reason="LOCKED",
        retryAfterSeconds=retry,
    )
