"""The typed shape of ``hemei.toml``. Unknown keys are refused so that typos surface at start.

The ``[districts.*]`` part is a contract with district staff who edit it by hand: keep it plain.
"""

from __future__ import annotations

from typing import Any
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
        description="Redis for what processes tell each other: subscription events and config "
        "reloads (``HEMEI_REDIS_URL`` overrides it). Unset: one process, in memory. Needed for "
        "`hemei serve --workers N` with N > 1 and for several hosts.",
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


class HemeiConfig(_Section):
    """The whole config file."""

    city: CityConfig = Field(default_factory=CityConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    cases: CasesConfig = Field(default_factory=CasesConfig)
    assessment: AssessmentConfig = Field(default_factory=AssessmentConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
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
        if self.server.production and self.security.secret_key is None:
            raise ValueError("security.secret_key is required in production (set HEMEI_SECRET_KEY)")
        return self
