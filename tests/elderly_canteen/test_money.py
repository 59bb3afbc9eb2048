"""Age tiers, subsidies and the settings that drive them: exact to the fen."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from pydantic import ValidationError

from plugins.elderly_canteen.money import age_tier, subsidy_for
from plugins.elderly_canteen.settings import CanteenSettings
from plugins.elderly_canteen.timing import birth_date_of, cutoff_minutes, parse_month
from tests.elderly_canteen.support import local


@pytest.mark.parametrize(
    ("born", "tier"),
    [(date(1966, 11, 23), "60-69"), (date(1956, 11, 24), "60-69"), (date(1956, 11, 23), "70-79"),
     (date(1946, 11, 24), "70-79"), (date(1946, 11, 23), "80+"), (date(1926, 1, 1), "80+")],
)  # fmt: skip
def test_age_tiers_by_the_birthday(born, tier):
    assert age_tier(born, date(2026, 11, 23)) == tier


def test_younger_than_60_is_no_tier():
    with pytest.raises(ValueError):
        age_tier(date(1966, 11, 24), date(2026, 11, 23))


def test_the_birth_date_comes_from_the_id_number():
    assert birth_date_of("230403194403080017") == date(1944, 3, 8)
    assert birth_date_of("23040319440230001X") is None
    assert birth_date_of(None) is None and birth_date_of("2304") is None


def test_subsidy_adds_tier_and_flags_and_never_passes_the_price_or_the_cap():
    settings = CanteenSettings(
        subsidy_by_age_tier={"80+": Decimal("5.50")},
        subsidy_by_flag={"living_alone": Decimal("1.25"), "disability": Decimal("0.75")},
        monthly_subsidy_cap=Decimal("100"),
    )
    flags = {"living_alone": True, "disability": True, "special_diet": True}
    meal = subsidy_for(settings, Decimal("12.3"), "80+", flags, Decimal("0"))
    assert (meal.price, meal.subsidy, meal.pay) == (
        Decimal("12.30"),
        Decimal("7.50"),
        Decimal("4.80"),
    )
    assert meal.parts == {"tier:80+": "5.50", "flag:living_alone": "1.25", "flag:disability": "0.75",
                          "flag:special_diet": "0.00"}  # fmt: skip
    cheap = subsidy_for(settings, Decimal("6.00"), "80+", flags, Decimal("0"))
    assert (cheap.subsidy, cheap.pay, cheap.capped) == (Decimal("6.00"), Decimal("0.00"), False)
    near_cap = subsidy_for(settings, Decimal("12.30"), "80+", flags, Decimal("97.01"))
    assert (near_cap.subsidy, near_cap.pay, near_cap.capped) == (
        Decimal("2.99"),
        Decimal("9.31"),
        True,
    )
    none_left = subsidy_for(settings, Decimal("12.30"), "60-69", {}, Decimal("100"))
    assert (none_left.subsidy, none_left.pay) == (Decimal("0.00"), Decimal("12.30"))


def test_settings_refuse_unknown_tiers_flags_and_fractions_of_a_fen():
    with pytest.raises(ValidationError, match="unknown age tiers"):
        CanteenSettings(subsidy_by_age_tier={"90+": Decimal("9")})
    with pytest.raises(ValidationError, match="unknown flags"):
        CanteenSettings(subsidy_by_flag={"poor": Decimal("1")})
    with pytest.raises(ValidationError):
        CanteenSettings(monthly_subsidy_cap=Decimal("300.001"))
    with pytest.raises(ValidationError):
        CanteenSettings(subsidy_by_age_tier={"80+": Decimal("-1")})


def test_the_cutoff_is_the_districts_local_time_on_the_meals_day():
    day = date(2026, 11, 17)
    assert cutoff_minutes(local(day, 11, 30), day, time(9, 30), "Asia/Shanghai") == 120
    assert cutoff_minutes(local(day, 17), day, time(9, 30), "Asia/Shanghai") == 450
    assert cutoff_minutes(local(day, 9), day, time(9, 30), "Asia/Shanghai") == 0
    assert parse_month("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
