"""Helpers of the canteen tests: a clock to stand at a chosen moment, people with logins, and
the GraphQL documents the tests send."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.demo.people import id_number
from plugins.elderly_canteen import timing
from tests.access.probes import gid
from tests.support.api import Api

CITY = ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in city time, as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CITY).astimezone(UTC)


@dataclass
class Clock:
    """Where the canteen module believes it is in time (``timing.now``)."""

    at: datetime

    def set(self, moment: datetime) -> None:
        self.at = moment

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    standing = Clock(datetime.now(UTC))
    monkeypatch.setattr(timing, "now", standing)
    return standing


def born_id(born: date) -> str:
    """A valid ID number of 工农区 with this birth date (unique per test run)."""
    return id_number("230403", born, 100 + next(_serial) % 800)


CREATE_USER = """mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"""
GRANT = """mutation($p: ID!, $r: String!, $at: ID) { grantRole(personId: $p, role: $r, placeId: $at) { id } }"""
CREATE_CANTEEN = """mutation($i: CreateCanteenInput!) { createCanteen(input: $i) {
  id version name seats deliveryPlaces openingDays lunch { starts ends } dinner { starts ends }
  staff operatorName deliveryArea } }"""
REGISTER = """mutation($i: RegisterCanteenElderInput!) { registerCanteenElder(input: $i) {
  id version name ageTier livingAlone disability specialDiet dietNote } }"""
PUBLISH = """mutation($i: PublishCanteenMenuInput!) { publishCanteenMenu(input: $i) {
  id day meal price seats seatsFree deliveryPlaces deliveryFree bookingClosesAt
  dishes { name allergens } } }"""
BOOK = """mutation($s: ID!, $m: CanteenMealMode, $e: ID) { bookCanteenMeal(sittingId: $s, mode: $m, elderId: $e) {
  id status mode ageTier price subsidy pay subsidyBreakdown capped elderName } }"""
CHECK_IN = """mutation($m: ID!) { checkInCanteenMeal(mealId: $m) { id status servedAt } }"""
CANCEL = """mutation($m: ID!) { cancelCanteenMeal(mealId: $m) { id status } }"""
STATEMENT = """query($month: String!, $e: ID) { canteenElderStatement(month: $month, elderId: $e) {
  month mealsServed price subsidy pay bookedSubsidy subsidyCap subsidyLeft
  elder { name ageTier livingAlone }
  lines { day meal mode status canteenName ageTier price subsidy pay } } }"""
REPORT = """query($p: ID!, $month: String!) { canteenSubsidyReport(placeId: $p, month: $month) {
  month placeName totals { mealsServed dineIn delivered eldersServed price subsidy pay }
  canteens { name totals { mealsServed subsidy } } elders { name ageTier totals { mealsServed price subsidy pay } }
  xlsx { filename contentType base64 size } } }"""


async def new_user(
    admin: Api, username: str, name: str, compound_id: int | None, born: date | None = None
) -> str:
    """A person with a login (password hemei-demo) made through createUser; their global id."""
    data = await admin.data(
        CREATE_USER,
        {
            "i": {
                "username": username,
                "password": "hemei-demo",
                "name": name,
                "idNumber": born_id(born) if born else None,
                "homeCompoundId": gid("Compound", compound_id) if compound_id else None,
            }
        },
    )
    return data["createUser"]["id"]
