"""Demo cases with a plausible past: each one walks the four-level ladder through the real
state machine (:func:`core.cases.machine.apply`), step by step, with the people who would have
taken each step, and is written in bulk with its timeline, departments and consultations.

A history is planned in full and then cut at ``now``: a case reported yesterday may still be
waiting at its community. Deadlines and field changes follow ``CaseService`` exactly (a new
deadline on every change of level and on a rating that reopens the case, the grid's worker on
duty as assignee until the case leaves the grid). No outbox events are written: they describe
live changes, and the demo's past is not news to plugins or subscribers.

Plugins add theirs through :meth:`core.DemoContext.add_cases` (the rider stations' snap-and-
reports, for example).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.access.models import RoleGrant
from core.cases.categories import CaseCategory
from core.cases.machine import Action, CaseState, Level, Status, apply, takes_new_deadline
from core.cases.models import Case, CaseDepartment, CaseStep, Consultation
from core.cases.services import SYSTEM
from core.config.model import CasesConfig
from core.demo.city.bulk import insert, insert_ids
from core.people.models import Department
from core.progress import SILENT, Progress
from core.regions.models import Compound

__all__ = ["DemoCase", "DemoCaseResult", "LadderWriter"]

RATERS = ("RESIDENT", "SNAPSHOT")
"""Sources whose reporter is a resident or a rider, who rates the resolution."""
REPORTER_ROLE = {"GRID_PATROL": "GRID_WORKER", "HOTLINE_12345": "DISTRICT_ADMIN",
                 "PETITION": "DISTRICT_ADMIN"}  # fmt: skip
HANDLER_ROLE = {Level.GRID: "GRID_WORKER", Level.COMMUNITY: "COMMUNITY_WORKER",
                Level.DEPARTMENT: "DEPARTMENT_OFFICER", Level.STREET: "STREET_OFFICER"}  # fmt: skip
TOP = {  # category: weights of the level where the case is finally solved
    "neighbour_dispute": (75, 25, 0, 0),
    "heating": (52, 26, 18, 4),
    "road_damage": (35, 20, 40, 5),
    "illegal_construction": (30, 25, 35, 10),
}
DEFAULT_TOP = (68, 20, 9, 3)
REJECT_SHARE = 0.04
RATED_SHARE = 0.8
ON_TIME_SHARE = 0.88
RATINGS = ((5, 4, 3, 2, 1), (58, 26, 9, 4, 3))
NOTES = {
    Action.ACCEPT: ("已接单，马上到现场查看。", "收到，已联系反映人。", "已受理，正在核实情况。"),
    Action.START: ("已到现场，正在处理。", "已安排人员处置。", "正在协调相关方。"),
    Action.ESCALATE: ("本级无法解决，提请上一级协调。", "涉及多个部门，申请联动处置。",
                      "问题复杂，需要上级统筹。"),
    Action.RESOLVE: ("问题已解决，已回访反映人。", "已处理完毕，现场恢复正常。",
                     "已协调解决，双方满意。"),
    Action.REJECT: ("经核实不属实。", "与已有诉求重复，已合并处理。",
                    "不属于本平台受理范围，已告知渠道。"),
}  # fmt: skip
COMMENTS = {5: ("处理很及时，谢谢网格员！", "态度好，效率高。", ""),
            4: ("解决了，就是慢了点。", ""), 3: ("基本解决，还需观察。", ""),
            2: ("没有彻底解决，过几天又坏了。",), 1: ("根本没人管，问题还在。",)}  # fmt: skip
CONSULT_DECISIONS = (
    "街道牵头，相关部门三日内联合现场处置，社区全程跟进并向居民反馈。",
    "由责任部门制定整改方案，物业配合实施，街道督办销号。",
    "召开居民恳谈会统一意见，费用按政策由维修资金列支，十日内完成。",
)
PARTICIPANTS = ("街道办事处", "社区居委会", "网格员", "物业公司", "居民代表", "党员代表")


@dataclass(frozen=True)
class DemoCase:
    """A case for the demo to write with a plausible history (exported as ``core.DemoCase``).

    The case lies in ``compound_id`` (its grid, community, street and district follow).
    ``source`` is one of core's case sources; residents and riders (RESIDENT, SNAPSHOT) rate
    the resolution, staff who report (GRID_PATROL, HOTLINE_12345, PETITION) do not."""

    compound_id: int
    category: str
    title: str
    reported_at: datetime
    source: str = "RESIDENT"
    reporter_id: int | None = None
    description: str = ""
    address: str = ""
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class DemoCaseResult:
    """How a demo case stands now: its id, where it is, and when it was first accepted and
    first resolved (``None``: not yet, or never)."""

    id: int
    level: str
    status: str
    accepted_at: datetime | None
    resolved_at: datetime | None


@dataclass
class _Staff:
    """Who handles cases where: person ids, the one on duty first."""

    grid: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    community: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    street: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    district: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    department: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    department_ids: dict[str, int] = field(default_factory=dict)


@dataclass
class _History:
    case: Case
    steps: list[CaseStep]
    departments: list[CaseDepartment]
    consultations: list[Consultation]
    result: dict[str, Any]


class LadderWriter:
    """Plans and writes demo cases. ``now`` cuts every history; ``rng`` alone decides."""

    def __init__(
        self,
        config: CasesConfig,
        categories: Mapping[str, CaseCategory],
        rng: random.Random,
        now: datetime,
    ) -> None:
        self.config, self.categories, self.rng, self.now = config, categories, rng, now
        self._staff: _Staff | None = None
        self._compounds: dict[int, dict[str, Any]] = {}

    async def write(
        self, cases: Sequence[DemoCase], progress: Progress = SILENT
    ) -> list[DemoCaseResult]:
        """Write ``cases`` with their histories; results in the same order."""
        staff = await self._load()
        missing = {c.compound_id for c in cases} - set(self._compounds)
        if missing:
            rows = await Compound.filter(id__in=list(missing)).values(
                "id", "district_id", "street_id", "community_id", "grid_id"
            )
            self._compounds.update({row["id"]: row for row in rows})
        progress.phase("case histories", len(cases))
        histories = []
        for spec in cases:
            histories.append(self._history(spec, staff))
            progress.advance()
        steps = sum(len(h.steps) for h in histories)
        progress.phase("case timelines", len(histories) + steps)
        await insert_ids(Case, [h.case for h in histories], progress)
        for history in histories:
            for row in (*history.steps, *history.departments, *history.consultations):
                row.case_id = history.case.id
        await insert(CaseStep, [s for h in histories for s in h.steps], progress)
        await insert(CaseDepartment, [d for h in histories for d in h.departments])
        await insert(Consultation, [c for h in histories for c in h.consultations])
        return [DemoCaseResult(id=h.case.id, **h.result) for h in histories]

    async def _load(self) -> _Staff:
        if self._staff is not None:
            return self._staff
        staff = _Staff(department_ids=dict(await Department.all().values_list("code", "id")))
        roles = [*HANDLER_ROLE.values(), "DISTRICT_ADMIN"]
        grants = await RoleGrant.filter(role__in=roles).order_by("id").values_list(
            "role", "person_id", "grid_id", "community_id", "street_id", "district_id",
            "department_id",
        )  # fmt: skip
        for role, person, grid, community, street, district, department in grants:
            where = {"GRID_WORKER": (staff.grid, grid),
                     "COMMUNITY_WORKER": (staff.community, community),
                     "STREET_OFFICER": (staff.street, street),
                     "DISTRICT_ADMIN": (staff.district, district),
                     "DEPARTMENT_OFFICER": (staff.department, department)}[role]  # fmt: skip
            if where[1] is not None:
                where[0][where[1]].append(person)
        self._staff = staff
        return staff

    def _history(self, spec: DemoCase, staff: _Staff) -> _History:
        rng, place = self.rng, self._compounds[spec.compound_id]
        t = spec.reported_at
        state = CaseState()
        on_duty = next(iter(staff.grid[place["grid_id"]]), None)
        lead_departments = [
            staff.department_ids[code]
            for code in (self.categories[spec.category].departments
                         if spec.category in self.categories else ())
            if code in staff.department_ids
        ]  # fmt: skip
        planned: list[tuple[datetime, Action, dict[str, Any]]] = []

        def act(action: Action, after: float, **extra: Any) -> None:
            nonlocal t
            t = t + timedelta(hours=after)
            planned.append((t, action, extra))

        def sla(level: Level) -> float:
            return self.config.deadline_hours(spec.category, level.value)

        if rng.random() < REJECT_SHARE:
            act(Action.REJECT, rng.uniform(0.3, 8))
        else:
            weights = TOP.get(spec.category, DEFAULT_TOP)
            if not lead_departments:  # nobody to route to: solved at the community at most
                weights = (weights[0], sum(weights[1:]), 0, 0)
            top = rng.choices(list(Level), weights)[0]
            level, reopened = Level.GRID, False
            while True:
                act(Action.ACCEPT, rng.uniform(0.1, 3 if level == Level.GRID else 10))
                act(Action.START, rng.uniform(0.1, 2))
                if list(Level).index(level) < list(Level).index(top):
                    act(Action.ESCALATE, rng.uniform(2, sla(level) * 0.8))
                    level = level.above()
                    continue
                if level == Level.STREET:
                    act(Action.CONSULT, rng.uniform(12, 60))
                share = (
                    rng.uniform(0.1, 0.95)
                    if rng.random() < ON_TIME_SHARE
                    else rng.uniform(1.05, 2.5)
                )
                act(Action.RESOLVE, max(0.5, sla(level) * share - 2))
                if (
                    spec.source in RATERS
                    and spec.reporter_id is not None
                    and rng.random() < RATED_SHARE
                ):
                    rating = rng.choices(*RATINGS)[0] if not reopened else rng.choice((3, 4, 5))
                    if level.above() == Level.DEPARTMENT and not lead_departments:
                        rating = max(rating, 3)  # reopening there needs departments to route to
                    act(Action.RATE, rng.uniform(1, 72), rating=rating)
                    if rating <= 2:
                        level, top, reopened = level.above(), level.above(), True
                        continue
                else:
                    act(Action.CLOSE, self.config.close_unrated_after_days * 24)
                break

        # Replay through the state machine up to now.
        case = Case(
            title=spec.title[:200], description=spec.description, category=spec.category,
            source=spec.source, level=Level.GRID.value, status=Status.REPORTED.value,
            grid_id=place["grid_id"], compound_id=spec.compound_id, address=spec.address,
            lon=spec.lon, lat=spec.lat, reporter_id=spec.reporter_id, assignee_id=on_duty,
            due_at=spec.reported_at + timedelta(hours=sla(Level.GRID)),
            created_at=spec.reported_at, district_id=place["district_id"],
            street_id=place["street_id"], community_id=place["community_id"],
        )  # fmt: skip
        steps = [CaseStep(at=spec.reported_at, action="REPORT", actor_id=spec.reporter_id,
                          actor_role=REPORTER_ROLE.get(spec.source), to_level="GRID",
                          to_status="REPORTED", note=spec.description[:500])]  # fmt: skip
        departments: list[CaseDepartment] = []
        consultations: list[Consultation] = []
        result: dict[str, Any] = {"accepted_at": None, "resolved_at": None}
        for at, action, extra in planned:
            if at > self.now:
                break
            before = state
            state = apply(state, action, extra.get("rating"))
            actor, role = self._actor(before.level, action, spec, place, staff, lead_departments)
            note: str = rng.choice(NOTES[action]) if action in NOTES else ""
            if action == Action.RATE:
                note = rng.choice(COMMENTS[extra["rating"]])
                case.rating = extra["rating"]
                if note:
                    case.rating_comment = note
            if takes_new_deadline(before, state):
                case.due_at = at + timedelta(hours=sla(state.level))
                case.assignee_id = None
            if state.level == Level.DEPARTMENT and before.level != Level.DEPARTMENT:
                departments = [CaseDepartment(department_id=d, lead=i == 0)
                               for i, d in enumerate(lead_departments)]  # fmt: skip
            if action == Action.CONSULT:
                consultations.append(Consultation(
                    held_at=at, decision=rng.choice(CONSULT_DECISIONS),
                    participants=rng.sample(PARTICIPANTS, 4),
                ))  # fmt: skip
            if action == Action.ACCEPT and result["accepted_at"] is None:
                result["accepted_at"] = at
            if action == Action.RESOLVE:
                case.resolved_at = at
                if result["resolved_at"] is None:
                    result["resolved_at"] = at
            if state.status == Status.CLOSED:
                case.closed_at, case.closed_without_rating = at, action == Action.CLOSE
            steps.append(CaseStep(
                at=at, action=action.value, actor_id=actor, actor_role=role,
                from_level=before.level.value, to_level=state.level.value,
                from_status=before.status.value, to_status=state.status.value, note=note,
            ))  # fmt: skip
        case.level, case.status, case.consulted = (
            state.level.value,
            state.status.value,
            state.consulted,
        )
        case.version = len(steps)
        result |= {"level": case.level, "status": case.status}
        return _History(case, steps, departments, consultations, result)

    def _actor(
        self,
        level: Level,
        action: Action,
        spec: DemoCase,
        place: dict[str, Any],
        staff: _Staff,
        departments: list[int],
    ) -> tuple[int | None, str | None]:
        """Who took the step, and through which role."""
        if action == Action.RATE:
            return spec.reporter_id, None
        if action == Action.CLOSE:
            return None, SYSTEM
        people = {
            Level.GRID: staff.grid[place["grid_id"]][:2],  # the worker on duty, or a colleague
            Level.COMMUNITY: staff.community[place["community_id"]],
            Level.DEPARTMENT: staff.department[departments[0]] if departments else [],
            Level.STREET: staff.street[place["street_id"]],
        }[level]
        if people:
            return self.rng.choice(people), HANDLER_ROLE[level]
        admins = staff.district[place["district_id"]]
        return (self.rng.choice(admins), "DISTRICT_ADMIN") if admins else (None, SYSTEM)
