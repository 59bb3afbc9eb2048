"""The module's figures on the core dashboards (``register_figures``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from core import FigureSpec, PlaceScope, Unit
from plugins.four_thirty_classroom.figures import Figures, figures
from plugins.four_thirty_classroom.places import NAME


def _figure(pick: Callable[[Figures], float | None]) -> Callable[..., Awaitable[float | None]]:
    async def compute(place: PlaceScope, start: datetime, end: datetime) -> float | None:
        where = place.q(grid=None)  # classrooms and lectures belong to a community: no grid figure
        return None if where is None else pick(await figures(where, start, end))

    return compute


FIGURES = [
    FigureSpec(f"{NAME}.sessions_held", "四点半课堂开课", "After-school sessions held",
               "Sessions of 四点半课堂 classrooms closed as held that started in the period.",
               Unit.COUNT, _figure(lambda f: f.sessions_held)),
    FigureSpec(f"{NAME}.children_served", "课后托管儿童", "Children in after-school care",
               "Distinct children checked in at those sessions.", Unit.COUNT,
               _figure(lambda f: f.children_served)),
    FigureSpec(f"{NAME}.attendance_rate", "课堂出勤率", "After-school attendance rate",
               "Of the seats confirmed for those sessions, the share whose child came.",
               Unit.RATE, _figure(lambda f: f.attendance_rate)),
    FigureSpec(f"{NAME}.tutor_hours", "志愿辅导时长", "Volunteer tutor hours",
               "Hours of those sessions times the tutors scheduled for them.", Unit.COUNT,
               _figure(lambda f: f.tutor_hours)),
    FigureSpec(f"{NAME}.lectures_held", "进校园讲座", "Lectures in schools and communities",
               "Lectures (精品党课进校园 and others) recorded as held in the period.", Unit.COUNT,
               _figure(lambda f: f.lectures_held)),
    FigureSpec(f"{NAME}.activities_held", "护航成长等活动", "Growth activities held",
               "Activities (护航成长, 小手拉大手 and others) recorded as held in the period.",
               Unit.COUNT, _figure(lambda f: f.activities_held)),
    FigureSpec(f"{NAME}.lecture_beneficiaries", "受益家庭和学生", "Families and students reached",
               "Students and families the lectures and activities held in the period reached.",
               Unit.COUNT, _figure(lambda f: f.lecture_beneficiaries)),
]  # fmt: skip
