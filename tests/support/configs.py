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
BASE_CONFIG = TEST_CONFIG


def with_limits(**limits: int | str | bool) -> str:
    """The test config with ``[limits]`` keys changed (on top of :data:`TEST_LIMITS`)."""
    values = {**TEST_LIMITS, **limits}
    table = "\n".join(f"{key} = {_toml(value)}" for key, value in values.items())
    return BASE_CONFIG + f"\n[limits]\n{table}\n"


def _toml(value: int | str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)


TEST_CONFIG = with_limits()
