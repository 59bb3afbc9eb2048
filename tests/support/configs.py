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
