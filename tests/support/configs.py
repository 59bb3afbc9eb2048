"""Config files the tests serve."""

from __future__ import annotations

TEST_CONFIG = """
[plugins]
load = ["kernel_test", "elderly_canteen", "new_employment_stations", "medical_teams", "four_thirty_classroom"]

[districts.gongnong]
name = "工农区"
modules = ["kernel_test", "elderly_canteen", "new_employment_stations", "medical_teams", "four_thirty_classroom"]
[districts.gongnong.settings.elderly_canteen]
booking_cutoff = "09:30"

[districts.nanshan]
name = "南山区"
modules = ["kernel_test", "new_employment_stations", "medical_teams", "four_thirty_classroom"]
[districts.nanshan.settings.kernel_test]
greeting = "南山好"
[districts.nanshan.streets.liuhao]
modules_off = ["kernel_test"]
[districts.nanshan.streets.liuhao.settings.kernel_test]
max_notices = 3

[districts.xingshan]
name = "兴山区"
modules = []

[districts.suibin]
name = "绥滨县"
modules = ["elderly_canteen"]
"""

# The suite drives each app hard from a handful of accounts: rate limits out of the way here
# (tests/schema/test_rate_limits.py sets its own).
TEST_LIMITS: dict[str, int] = {
    "rate_per_minute": 1_000_000,
    "anonymous_rate_per_minute": 1_000_000,
    "rate_burst": 1_000_000,
}
# The suite writes grants and accounts straight into the database between requests, which no
# user can; with viewers remembered for [performance] viewer_cache_seconds those writes would
# count only seconds later, and a request's statements would depend on what ran before it.
# tests/core/test_viewer_cache.py covers the cache at its default.
TEST_PERFORMANCE: dict[str, int | bool] = {"viewer_cache_seconds": 0}
BASE_CONFIG = TEST_CONFIG


def with_limits(**limits: int | str | bool) -> str:
    """The test config with ``[limits]`` keys changed (on top of :data:`TEST_LIMITS`)."""
    return _config(limits, {})


def with_performance(**performance: int | str | bool) -> str:
    """The test config with ``[performance]`` keys changed (on top of
    :data:`TEST_PERFORMANCE`)."""
    return _config({}, performance)


def _config(limits: dict[str, int | str | bool], performance: dict[str, int | str | bool]) -> str:
    return (
        BASE_CONFIG
        + _table("limits", {**TEST_LIMITS, **limits})
        + _table("performance", {**TEST_PERFORMANCE, **performance})
    )


def _table(name: str, values: dict[str, int | str | bool]) -> str:
    lines = "\n".join(f"{key} = {_toml(value)}" for key, value in values.items())
    return f"\n[{name}]\n{lines}\n"


def _toml(value: int | str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


TEST_CONFIG = with_limits()
