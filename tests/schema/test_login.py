"""Signing in: tokens, `me`, wrong passwords and lockout."""

from __future__ import annotations

from core.access.models import Account, AuditRecord, RoleGrant, SecurityEvent
from core.people.models import Person
from core.regions.models import Grid
from tests.support.configs import TEST_CONFIG
from tests.support.grants import make_grid_worker

LOGIN = (
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt } }"
)
ME = "{ me { username person { name } grants { role level placeId } } }"
STRICT = (
    TEST_CONFIG + "\n[security]\nlockout_failures = 3\nlockout_minutes = 15\nclient_failures = 50\n"
)


async def test_login_gives_a_token_that_me_accepts(api):
    client = await api()
    data = await client.data(LOGIN, {"u": "xinhong_grid1", "p": "hemei-demo"})
    assert data["login"]["token"] and data["login"]["expiresAt"]
    me = await client.as_token(data["login"]["token"]).data(ME)
    assert me["me"]["username"] == "xinhong_grid1"
    assert [(g["role"], g["level"]) for g in me["me"]["grants"]] == [("GRID_WORKER", "grid")]
    assert me["me"]["grants"][0]["placeId"]
    assert await client.data(ME) == {"me": None}, "anonymous"


async def test_wrong_password_and_unknown_user_answer_alike(api):
    client = await api()
    wrong = await client.error(LOGIN, {"u": "xinhong_grid1", "p": "wrong-password"})
    unknown = await client.error(LOGIN, {"u": "nobody_at_all", "p": "wrong-password"})
    for error in (wrong, unknown):
        assert error["message"] == "Wrong username or password."
        assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    events = await SecurityEvent.filter(action="login", username="nobody_at_all").values(
        "code", "reason"
    )
    assert events == [{"code": "UNAUTHENTICATED", "reason": "Wrong username or password."}]


async def test_bad_or_forged_token_is_unauthenticated(api):
    client = await api()
    for token in ("not-a-jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"):
        error = await client.as_token(token).error(ME)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
    other_key = (await api()).runtime.tokens  # every runtime without a secret has its own key
    token, _ = other_key.issue(1)
    assert (await client.as_token(token).error(ME))["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await client.as_token("junk").data("{ districts { code } }"))["districts"], (
        "public data"
    )


async def test_a_token_follows_its_account_grants_and_stops_when_it_is_disabled(api):
    client = await api()
    grid = await Grid.get(code="xinhong-g1")
    person = await Person.create(name="临时网格员")
    account = await Account.create(
        username=f"token-test-{person.id}", password_hash="-", person_id=person.id
    )
    token, _ = client.runtime.tokens.issue(account.id)
    signed_in = client.as_token(token)
    assert (await signed_in.data(ME))["me"]["grants"] == [], "signed in without any grant"
    await make_grid_worker(person.id, grid)
    await RoleGrant.create(person_id=person.id, role="RESIDENT", level="self")
    grants = (await signed_in.data(ME))["me"]["grants"]
    assert [(g["role"], g["level"]) for g in grants] == [
        ("GRID_WORKER", "grid"),
        ("RESIDENT", "self"),
    ], "every grant, oldest first, read afresh on each request"
    await Account.filter(id=account.id).update(is_active=False)
    error = await signed_in.error(ME)
    assert error["extensions"]["code"] == "UNAUTHENTICATED", "a disabled account's token is refused"


async def test_lockout_after_repeated_failures_even_with_the_right_password(api):
    client = await api(STRICT)
    for _ in range(3):
        await client.error(LOGIN, {"u": "nanshan_admin", "p": "not-the-password"})
    locked = await client.error(LOGIN, {"u": "nanshan_admin", "p": "hemei-demo"})
    assert locked["extensions"]["code"] == "UNAUTHENTICATED"
    assert locked["extensions"]["reason"] == "LOCKED"
    assert 0 < locked["extensions"]["retryAfterSeconds"] <= 15 * 60
    assert "try again in" in locked["message"]
    # Another account is not affected.
    assert (await client.data(LOGIN, {"u": "gongnong_admin", "p": "hemei-demo"}))["login"]["token"]


async def test_a_success_resets_the_count(api):
    client = await api(STRICT)
    for _ in range(2):
        await client.error(LOGIN, {"u": "hongqi_officer", "p": "not-the-password"})
    await client.data(LOGIN, {"u": "hongqi_officer", "p": "hemei-demo"})
    for _ in range(2):
        await client.error(LOGIN, {"u": "hongqi_officer", "p": "not-the-password"})
    assert (await client.data(LOGIN, {"u": "hongqi_officer", "p": "hemei-demo"}))["login"]["token"]
    account = await Account.get(username="hongqi_officer")
    logins = await AuditRecord.filter(action="login", account_id=account.id).values(
        "role", "target"
    )
    assert len(logins) >= 2 and logins[0] == {"role": None, "target": None}


async def test_client_address_is_blocked_after_many_failures(api):
    client = await api(TEST_CONFIG + "\n[security]\nclient_failures = 4\nlockout_failures = 100\n")
    for i in range(4):
        await client.error(LOGIN, {"u": f"guess{i}", "p": "not-the-password"})
    blocked = await client.error(LOGIN, {"u": "city_admin", "p": "hemei-demo"})
    assert blocked["extensions"]["reason"] == "LOCKED" and "this address" in blocked["message"]


async def test_passwords_never_reach_the_audit_log_or_security_events(api):
    client = await api()
    await client.error(LOGIN, {"u": "xinhong_worker", "p": "secret-typo-123"})
    await client.data(LOGIN, {"u": "xinhong_worker", "p": "hemei-demo"})
    for model in (AuditRecord, SecurityEvent):
        dumped = str(await model.all().values())
        assert "secret-typo-123" not in dumped and "hemei-demo" not in dumped
