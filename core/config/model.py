"""The typed shape of ``hemei.toml``. Unknown keys are refused so that typos surface at start.

The ``[districts.*]`` part is a contract with district staff who edit it by hand: keep it plain.
"""

from __future__ import annotations

from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

DEFAULT_DATABASE_URL = "sqlite://data/hemei.sqlite3"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CityConfig(_Section):
    """``[city]``: the city this deployment serves."""

    name: str = Field(default="鹤岗市", description="The city's name, shown in dashboards.")
    time_zone: str = Field(
        default="Asia/Shanghai",
        description="IANA zone in which deadlines, meal cut-offs and quarters are scheduled "
        "and shown. Times are stored in UTC.",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class DatabaseConfig(_Section):
    """``[database]``: where data lives. ``HEMEI_DATABASE_URL`` overrides ``url``."""

    url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="sqlite://PATH (relative to the working directory; WAL mode, busy timeout "
        "set) or postgres://USER:PASSWORD@HOST:PORT/DB[?minsize=1&maxsize=10].",
    )

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgres://", "postgresql://")):
            raise ValueError("must start with sqlite:// or postgres://")
        return value


class ServerConfig(_Section):
    """``[server]``: how ``hemei serve`` listens and which safety defaults apply."""

    host: str = Field(default="127.0.0.1", description="Address to listen on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port to listen on.")
    production: bool = Field(
        default=False, description="Production mode: no GraphiQL, no introspection."
    )


class ClusterConfig(_Section):
    """``[cluster]``: what several Hemei processes share beyond the database (a restart is
    needed to change it)."""

    redis_url: str | None = Field(
        default=None,
        description="Redis for what processes share: subscription events, config reloads, "
        "dashboard cache invalidations and rate-limit counters (``HEMEI_REDIS_URL`` overrides "
        "it). Unset: one process, in memory. Needed for `hemei serve --workers N` with N > 1 "
        "and for several hosts.",
    )
    job_lease_seconds: int = Field(
        default=300, ge=10,
        description="How long a process may hold a scheduled job's run before another may take "
        "it over (a process that died mid-run).",
    )  # fmt: skip

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("a Redis URL starts with redis://, rediss:// or unix://")
        return value


class LimitsConfig(_Section):
    """``[limits]``: what one client may ask of the API. Each refusal is a GraphQL error with a
    code (``QUERY_TOO_COMPLEX``, ``REQUEST_TOO_LARGE``, ``RATE_LIMITED``) and runs no SQL."""

    max_depth: int = Field(
        default=20, ge=2, le=100,
        description="Deepest nesting of fields in an operation, fragments expanded.",
    )  # fmt: skip
    max_aliases: int = Field(
        default=50, ge=0,
        description="Most aliased fields in an operation, counted as often as fragments "
        "repeat them.",
    )  # fmt: skip
    max_tokens: int = Field(
        default=5000, ge=100, description="Most lexical tokens in a document (checked while "
        "parsing, so a huge document is not parsed to the end).",
    )  # fmt: skip
    max_directives: int = Field(
        default=50, ge=0,
        description="Most directives in an operation, counted as often as fragments repeat "
        "them.",
    )  # fmt: skip
    max_cost: int = Field(
        default=25_000, ge=1,
        description="Highest cost of an operation: each object costs 1, each list multiplies "
        "what it selects by its `first` (or its declared size), each mutation 10. Roughly "
        "the number of objects a response may hold.",
    )  # fmt: skip
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024,
        description="Largest JSON or GET request to /graphql, in bytes (answered 413).",
    )  # fmt: skip
    max_upload_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1024,
        description="Largest multipart request (uploads) to /graphql, in bytes, all files "
        "together; each photo is also held to `[cases] photo_max_bytes`.",
    )  # fmt: skip
    max_upload_files: int = Field(
        default=10, ge=0, description="Most files in one multipart request."
    )
    max_batch_operations: int = Field(
        default=10, ge=0,
        description="Most operations in one batched request (a JSON list), run one after "
        "another; 0 turns batching off.",
    )  # fmt: skip
    rate_per_minute: int = Field(
        default=600, ge=0,
        description="Operations a signed-in account may send per minute (a token bucket per "
        "account); 0 turns the limit off.",
    )  # fmt: skip
    anonymous_rate_per_minute: int = Field(
        default=120, ge=0,
        description="Operations anonymous clients may send per minute, per client address "
        "(behind a proxy, run uvicorn with --proxy-headers); 0 turns the limit off.",
    )  # fmt: skip
    rate_burst: int = Field(
        default=60, ge=1,
        description="Operations a client may send at once before the per-minute rate applies.",
    )  # fmt: skip
    max_subscriptions_per_connection: int = Field(
        default=10, ge=1, description="Operations open at once on one WebSocket connection."
    )
    connection_init_timeout_seconds: int = Field(
        default=10, ge=1, le=600,
        description="A WebSocket that sends no `connection_init` within this time is closed.",
    )  # fmt: skip


class DocumentsConfig(_Section):
    """``[documents]``: trusted documents, the first-party apps' operations registered by hash
    (`hemei documents add`) and sent by hash."""

    path: str = Field(
        default="data/trusted-documents.json",
        description="The file of registered documents (written by `hemei documents add`; "
        "re-read when it changes).",
    )
    require_for_anonymous: bool = Field(
        default=False,
        description="Anonymous clients may run only registered documents (sent by hash or in "
        "full); clients with a valid token keep full queries within `[limits]`. Meant for "
        "production.",
    )


class SecurityConfig(_Section):
    """``[security]``: secrets. Prefer ``HEMEI_SECRET_KEY`` to writing the key in the file."""

    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs access tokens; ``HEMEI_SECRET_KEY`` overrides it. Never "
        "shown in logs or errors. Unset outside production: a random key per process, so "
        "tokens do not survive a restart.",
    )
    token_minutes: int = Field(
        default=60, ge=1, le=7 * 24 * 60, description="How long an access token is valid."
    )
    lockout_failures: int = Field(
        default=5, ge=1, description="Failed logins of one username that lock it."
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="Window for counting failures, and how long a lock lasts."
    )
    client_failures: int = Field(
        default=20, ge=1, description="Failed logins from one client address that block it."
    )


LEVELS = ("GRID", "COMMUNITY", "DEPARTMENT", "STREET")


class CasesConfig(_Section):
    """``[cases]``: deadlines of the four-level ladder and what happens when they pass."""

    sla_hours: dict[str, float] = Field(
        default_factory=lambda: {
            "GRID": 24.0,
            "COMMUNITY": 48.0,
            "DEPARTMENT": 72.0,
            "STREET": 120.0,
        },
        description="Hours a case may stay at each level before it is overdue.",
    )
    category_sla_hours: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Per category, levels whose deadline differs, e.g. "
        "`heating = { GRID = 4 }` (no heating in a Hegang winter is urgent).",
    )
    auto_escalate_overdue: bool = Field(
        default=False, description="Escalate overdue open cases one level up automatically."
    )
    close_unrated_after_days: int = Field(
        default=7, ge=1, description="A resolution nobody rates is closed after this many days."
    )
    jobs_interval_seconds: float = Field(
        default=60, ge=0.5, le=3600,
        description="How often the deadline jobs run (once per interval across all processes).",
    )  # fmt: skip
    photo_folder: str = Field(
        default="data/photos", description="Where case photos are stored (a local folder)."
    )
    photo_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Largest photo accepted, in bytes."
    )

    @field_validator("sla_hours")
    @classmethod
    def _every_level(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) != set(LEVELS) or any(hours <= 0 for hours in value.values()):
            raise ValueError(f"needs a positive number of hours for each of {', '.join(LEVELS)}")
        return value

    @field_validator("category_sla_hours")
    @classmethod
    def _known_levels(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for category, hours in value.items():
            if set(hours) - set(LEVELS) or any(h <= 0 for h in hours.values()):
                raise ValueError(f"{category}: levels are {', '.join(LEVELS)}, hours positive")
        return value

    def deadline_hours(self, category: str, level: str) -> float:
        return self.category_sla_hours.get(category, {}).get(level, self.sla_hours[level])


class Rubric(_Section):
    """The scoring rubric of the quarterly three-colour warning (三色预警) of community workers.

    A worker's score is 100 × the weighted mean of their rates (completion, on-time,
    satisfaction scaled to 0–1), less ``complaint_penalty`` per complaint, within 0–100. The
    colour follows the thresholds; a worker who handled fewer than ``min_cases`` cases gets
    ``sparse_colour`` instead (nothing to judge a score by)."""

    weight_completion_rate: float = Field(
        default=0.4, ge=0, description="Weight of the completion rate (办结率) of handled cases."
    )
    weight_on_time_rate: float = Field(
        default=0.3, ge=0, description="Weight of the share resolved before their deadline."
    )
    weight_satisfaction: float = Field(
        default=0.3, ge=0, description="Weight of residents' mean rating, 1–5 scaled to 0–1."
    )
    complaint_penalty: float = Field(
        default=5.0, ge=0, description="Points taken off per complaint against the worker."
    )
    complaint_max_rating: int = Field(
        default=2, ge=1, le=5,
        description="A resident's rating at or below this counts as a complaint.",
    )  # fmt: skip
    green_from: float = Field(default=85, description="Score from which a worker is GREEN.")
    yellow_from: float = Field(
        default=70, description="Score from which YELLOW (黄牌提醒); below it ORANGE or RED."
    )
    orange_from: float = Field(
        default=60, description="Score from which ORANGE (橙牌谈话); below it RED (红牌清退)."
    )
    min_cases: int = Field(
        default=3, ge=0, description="Fewest handled cases for a score to mean anything."
    )
    sparse_colour: str = Field(
        default="YELLOW",
        description="The colour of a worker below `min_cases` (a reminder by default).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        if not 100 >= self.green_from >= self.yellow_from >= self.orange_from >= 0:
            raise ValueError("thresholds need 100 ≥ green_from ≥ yellow_from ≥ orange_from ≥ 0")
        if self.weight_completion_rate + self.weight_on_time_rate + self.weight_satisfaction <= 0:
            raise ValueError("at least one weight must be positive")
        if self.sparse_colour not in ("GREEN", "YELLOW", "ORANGE", "RED"):
            raise ValueError("sparse_colour is GREEN, YELLOW, ORANGE or RED")
        return self


class AssessmentConfig(_Section):
    """``[assessment]``: the quarterly assessment of community workers."""

    rubric: Rubric = Field(
        default_factory=Rubric,
        description="The city's rubric; a district may change any of its keys in "
        "`[districts.CODE.assessment]`. Every result keeps the rubric that produced it.",
    )
    scheduled: bool = Field(
        default=True,
        description="Run each quarter's assessment by itself once the quarter is over, for "
        "every district (once across all processes), unless an admin already ran it after the "
        "quarter ended. Off: only `runAssessment` runs it.",
    )
    scheduled_days_after: int = Field(
        default=8, ge=0, le=60,
        description="Days after a quarter ends that its scheduled run is due (0: the first day "
        "of the next quarter). The default leaves `[cases] close_unrated_after_days` for the "
        "quarter's last resolutions to be rated or closed.",
    )  # fmt: skip
    scheduled_hour: int = Field(
        default=2, ge=0, le=23, description="Hour of that day, in city time, from which it runs."
    )


class PluginsConfig(_Section):
    """``[plugins]``: which installed plugins this deployment loads (a restart is needed)."""

    load: list[str] = Field(
        default_factory=list,
        description="Entry-point names of the plugins to load; `hemei plugins` lists them.",
    )


class PlaceOverride(_Section):
    """``[districts.D.streets.S]`` or ``[districts.D.communities.C]``: a change below a district.

    The nearest override wins: community over street over district.
    """

    modules_on: list[str] = Field(
        default_factory=list, description="Modules switched on here although off above."
    )
    modules_off: list[str] = Field(
        default_factory=list, description="Modules switched off here although on above."
    )
    settings: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-module settings that replace the district's values here.",
    )


class DistrictConfig(_Section):
    """``[districts.CODE]``: one district, its modules and their settings."""

    name: str = Field(description="The district's name, e.g. 工农区.")
    modules: list[str] = Field(
        default_factory=list, description="Modules switched on in the whole district."
    )
    settings: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-module settings, `[districts.CODE.settings.MODULE]`; omitted keys "
        "take the module's defaults.",
    )
    streets: dict[str, PlaceOverride] = Field(
        default_factory=dict, description="Overrides for single streets, by street code."
    )
    communities: dict[str, PlaceOverride] = Field(
        default_factory=dict, description="Overrides for single communities, by community code."
    )
    assessment: dict[str, Any] = Field(
        default_factory=dict,
        description="Keys of the assessment rubric that differ in this district, e.g. "
        "`green_from = 80`.",
    )


class ObservabilityConfig(_Section):
    """``[observability]``: logs, metrics and traces for operators (a restart is needed)."""

    log_format: Literal["text", "json"] = Field(
        default="text",
        description="`json`: one JSON object a line (time, level, logger, message, request "
        "id), for a log collector; `text`: lines for a person. ``HEMEI_LOG_FORMAT`` overrides "
        "it. ID-card and mobile numbers are masked in either.",
    )
    metrics: bool = Field(
        default=True,
        description="Serve Prometheus metrics at `/metrics` (requests by operation and "
        "outcome, latencies, database pool, outbox backlog, subscriptions).",
    )
    tracing: bool = Field(
        default=False,
        description="OpenTelemetry spans for each GraphQL operation and resolver, through "
        "strawberry's extension, sent to the tracer provider the deployment sets up "
        "(needs `pip install hemei[tracing]`). No query text or argument values are recorded.",
    )
    tracing_console: bool = Field(
        default=False,
        description="With `tracing`: print spans on standard output instead (for trying it).",
    )


class PerformanceConfig(_Section):
    """``[performance]``: how queries are executed."""

    planned_reads: bool = Field(
        default=True,
        description="Complete a query's root fields level by level when every field of their "
        "selection has a declared plan (one batched read per relation level, no per-field "
        "resolver calls), else field by field as graphql-core does. The answers are the same "
        "either way (the test suite compares them); turn it off to compare or to rule it out. "
        "With `observability.tracing` on, planned fields get no per-field spans.",
    )
    lean_queries: bool = Field(
        default=True,
        description="Run the common request (one query POSTed as JSON whose document passed "
        "the limits and validation) straight through graphql-core, without strawberry's "
        "per-request pipeline of extension hooks; anything else (mutations, subscriptions, "
        "GET, batches, uploads, persisted documents, errors before execution, tracing on) "
        "takes the full path. Responses, status codes, metrics and audit records are the "
        "same either way (the test suite compares them).",
    )
    json_in_database: bool = Field(
        default=True,
        description="On PostgreSQL, let a planned read have the database write the JSON of "
        "a list's objects whose fields are all plain columns (text, whole numbers, booleans, "
        "enums, dates, date-times, global ids), which the HTTP response then carries as it "
        "is: the same bytes as Hemei writes itself (the test suite compares them), without "
        "turning every value into Python and back. Off: Hemei writes every value itself.",
    )
    viewer_cache_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="How long a process reuses a signed-in account's grants between its "
        "requests instead of reading them again (one statement a request). A mutation makes "
        "every request read them afresh at once (in every process, with `cluster.redis_url`); "
        "a change made behind the API's back (a `hemei` command, a direct database write) "
        "counts within this many seconds. 0 reads them on every request.",
    )


class HemeiConfig(_Section):
    """The whole config file."""

    city: CityConfig = Field(default_factory=CityConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    cases: CasesConfig = Field(default_factory=CasesConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    documents: DocumentsConfig = Field(default_factory=DocumentsConfig)
    assessment: AssessmentConfig = Field(default_factory=AssessmentConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
    observability: ObservabilityConfig = Field(default_factory=ObservabilityConfig)
    performance: PerformanceConfig = Field(default_factory=PerformanceConfig)
    plugins: PluginsConfig = Field(default_factory=PluginsConfig)
    districts: dict[str, DistrictConfig] = Field(default_factory=dict)

    def rubric_for(self, district_code: str | None) -> Rubric:
        """The rubric in force in a district: the city's with the district's changes."""
        district = self.districts.get(district_code) if district_code else None
        if district is None or not district.assessment:
            return self.assessment.rubric
        return Rubric(**{**self.assessment.rubric.model_dump(), **district.assessment})

    @model_validator(mode="after")
    def _district_rubrics_are_valid(self) -> HemeiConfig:
        for code in self.districts:
            try:
                self.rubric_for(code)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                key = f"districts.{code}.assessment" + (f".{where}" if where else "")
                raise ValueError(f"{key}: {first['msg']}") from None
        return self

    @model_validator(mode="after")
    def _production_has_a_secret(self) -> HemeiConfig:
        if not self.server.production:
            return self
        if self.security.secret_key is None:
            raise ValueError("security.secret_key is required in production (set HEMEI_SECRET_KEY)")
        if problem := weak_secret(self.security.secret_key.get_secret_value()):
            raise ValueError(f"security.secret_key {problem}: production needs its own random key")
        return self


MIN_SECRET_LENGTH = 32
# Keys that appear in documentation, examples and tests, or that people type when asked for one.
KNOWN_SECRETS = frozenset(
    {"changeme", "change-me", "change_me", "secret", "secret-key", "secret_key", "hemei",
     "hemei-demo", "hemei-secret", "password", "development", "dev", "test", "example"}
)  # fmt: skip


def weak_secret(key: str) -> str | None:
    """Why ``key`` is not fit to sign tokens in production, or None. Generate one with
    ``python -c "import secrets; print(secrets.token_urlsafe(48))"``."""
    if key.strip().lower() in KNOWN_SECRETS:
        return "is a well-known default"
    if len(key) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(key)) < 10:
        return "repeats too few characters"
    return None
