"""A term's own holidays are bounded, as `ClassroomTerm.holidays` declares: more is refused
before anything is written."""

from __future__ import annotations

from datetime import date, timedelta

from plugins.four_thirty_classroom.timing import MAX_HOLIDAYS
from tests.four_thirty_classroom.support import SESSIONS, TERM, classroom_scene
from tests.support.api import codes


def days_off(n: int) -> list[dict]:
    first = date(2026, 12, 1)
    return [
        {"from": (first + timedelta(days=i)).isoformat(),
         "to": (first + timedelta(days=i)).isoformat(), "name": f"休{i}"}
        for i in range(n)
    ]  # fmt: skip


async def test_a_term_takes_at_most_the_declared_number_of_holidays(api, clock):
    s = await classroom_scene(api, clock)
    term = {"classroomId": s.classroom["id"], "name": "冬季学期", "startsOn": "2026-11-30",
            "endsOn": "2027-02-28", "weekdays": [1, 2, 3, 4, 5, 6, 7]}  # fmt: skip

    refused = await s.staff.post(TERM, {"i": {**term, "holidays": days_off(MAX_HOLIDAYS + 1)}})
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["extensions"]["argument"] == "holidays"
    assert refused["errors"][0]["extensions"]["max"] == MAX_HOLIDAYS
    sessions = (
        await s.staff.data(SESSIONS, {"c": s.classroom["id"], "from": "2026-11-30", "days": 14})
    )["node"]["sessions"]
    assert sessions == [], "nothing written"

    made = (await s.staff.data(TERM, {"i": {**term, "holidays": days_off(MAX_HOLIDAYS)}}))[
        "scheduleClassroomTerm"
    ]
    assert len(made["term"]["holidays"]) == MAX_HOLIDAYS
    assert made["term"]["holidays"][0] == {"from": "2026-12-01", "to": "2026-12-01", "name": "休0"}
