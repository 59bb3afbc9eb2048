"""Demo data, at a plausible smaller scale than Hegang's (15 teams, 217 sessions, 169 experts,
1,876 surgeries, 7,887 people served): two teams of three doctors in every district where the
module is on, each with eight sessions held in the past year at schools, communities and
factories (walk-ins counted), two sessions next week and three expert visits with surgeries.

In 南山区 (on in the demo config) a doctor can sign in, ``nanshan_doctor`` (password
``hemei-demo``): their team holds a free clinic in the home community of ``resident_nanshan``
right now, where that resident is registered (check them in and record a consultation), and
the resident already has one record from an earlier clinic, with a referral.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core import (
    Booking,
    BookingStatus,
    Community,
    DemoContext,
    District,
    Grant,
    Offering,
    Person,
    Place,
    Slot,
)
from plugins.medical_teams.models import Consultation, ExpertVisit, Session, Team, TeamMember
from plugins.medical_teams.places import NAME
from plugins.medical_teams.rules import DOCTOR
from plugins.medical_teams.sessions import OFFERING_KINDS, PlaceType, SessionKind

HOSPITALS = ("人民医院", "中医院")
SPECIALTIES = ("内科", "外科", "儿科", "妇科", "眼科", "口腔科", "中医科", "心内科", "骨科")
DOCTORS = ("张建华", "李秀梅", "王志强", "刘淑兰", "陈国栋", "杨丽娟", "赵文博", "孙海燕")
TOPICS = (
    "高血压防治讲座",
    "糖尿病饮食指导",
    "心肺复苏急救培训",
    "青少年近视防控",
    "职业病防护讲座",
)
SCHOOLS = ("第一小学", "第三中学", "实验小学")
FACTORIES = ("选煤厂", "机电厂", "发电厂")
EXPERTS = (
    ("哈尔滨医科大学附属第一医院", "骨科", ("膝关节置换术", "脊柱微创手术")),
    ("黑龙江省医院", "眼科", ("白内障超声乳化术", "青光眼手术")),
    ("哈尔滨医科大学附属第二医院", "普外科", ("腹腔镜胆囊切除术", "疝修补术")),
    ("黑龙江省医院", "心内科", ("冠状动脉介入术",)),
)
EXPERT_NAMES = ("周教授", "吴主任", "郑教授", "冯主任", "韩教授", "曹主任")
LOGINS_IN = "nanshan"


async def load(demo: DemoContext) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for district in demo.districts:
        if not demo.activation.state(NAME, Place(district.code)).enabled:
            continue
        communities = [
            c for c in demo.communities
            if c.district_id == district.id and demo.activation.state(
                NAME, Place(district.code, _street_code(demo, c), c.code)).enabled
        ]  # fmt: skip
        if not communities:
            continue
        for index, hospital in enumerate(HOSPITALS):
            team = await _team(demo, district, hospital, index)
            for n in range(8):
                days_ago = demo.random.randrange(7, 360)
                await _session(demo.random, team, demo.random.choice(communities),
                               _morning(now, days_ago), held=True, n=n)  # fmt: skip
            for n in range(2):
                await _session(demo.random, team, demo.random.choice(communities),
                               _morning(now, -7 - n), held=False, n=n)  # fmt: skip
            await _experts(demo.random, team, now.date())
        if district.code == LOGINS_IN:
            await _logins(demo, district, now)


def _morning(now: datetime, days_ago: int) -> datetime:
    """09:00 in Hegang (01:00 UTC), ``days_ago`` days from now."""
    return now.replace(hour=1) - timedelta(days=days_ago)


def _street_code(demo: DemoContext, community: Community) -> str | None:
    return next((s.code for s in demo.streets if s.id == community.street_id), None)


async def _team(demo: DemoContext, district: District, hospital: str, index: int) -> Team:
    team = await Team.create(
        district_id=district.id, name=f"{district.name}{hospital}党员医疗服务队",
        hospital=f"{district.name}{hospital}",
    )  # fmt: skip
    for n in range(3):
        doctor = await Person.create(name=demo.random.choice(DOCTORS))
        await demo.grant_role(doctor.id, Grant(DOCTOR, "district", district_id=district.id))
        await TeamMember.create(
            team_id=team.id, person_id=doctor.id, leader=n == 0,
            specialty=SPECIALTIES[(index * 3 + n) % len(SPECIALTIES)],
        )  # fmt: skip
    return team


async def _session(
    rng: random.Random, team: Team, community: Community, starts: datetime, *, held: bool,
    n: int, in_community: bool = False,
) -> Session:  # fmt: skip
    """A session of three hours; every third one health training, the rest free clinics."""
    place_type = PlaceType.COMMUNITY if in_community else rng.choice(list(PlaceType))
    kind = SessionKind.FREE_CLINIC if n % 3 else SessionKind.HEALTH_TRAINING
    place_name = {
        PlaceType.SCHOOL: f"{community.name.removesuffix('社区')}{rng.choice(SCHOOLS)}",
        PlaceType.FACTORY: f"鹤岗矿业{rng.choice(FACTORIES)}",
        PlaceType.COMMUNITY: f"{community.name}党群服务站",
    }[place_type]
    title = (f"{place_name}义诊" if kind == SessionKind.FREE_CLINIC
             else f"{place_name}{rng.choice(TOPICS)}")  # fmt: skip
    where: dict[str, Any] = {"district_id": community.district_id, "street_id": community.street_id,
             "community_id": community.id}  # fmt: skip
    offering = await Offering.create(owner=NAME, kind=OFFERING_KINDS[kind], title=title,
                                     cutoff_minutes=60, per_person_limit=1, **where)  # fmt: skip
    slot = await Slot.create(offering_id=offering.id, starts_at=starts,
                             ends_at=starts + timedelta(hours=3), capacity=50)  # fmt: skip
    specialties = rng.sample(SPECIALTIES, 3) if kind == SessionKind.FREE_CLINIC else []
    return await Session.create(
        team_id=team.id, kind=kind.value, place_type=place_type.value, place_name=place_name,
        title=title, specialties=specialties, starts_at=slot.starts_at, ends_at=slot.ends_at,
        status="HELD" if held else "PLANNED", walk_ins=rng.randrange(15, 70) if held else 0,
        offering_id=offering.id, slot_id=slot.id, **where,
    )  # fmt: skip


async def _experts(rng: random.Random, team: Team, today: date) -> None:
    for _ in range(3):
        hospital, specialty, categories = rng.choice(EXPERTS)
        starts = today - timedelta(days=rng.randrange(20, 350))
        counts = {c: rng.randrange(2, 12) for c in categories}
        await ExpertVisit.create(
            team_id=team.id, district_id=team.district_id, expert_name=rng.choice(EXPERT_NAMES),
            expert_title="主任医师", home_hospital=hospital, specialty=specialty,
            starts_on=starts, ends_on=starts + timedelta(days=2),
            consultations=rng.randrange(30, 120), surgeries=sum(counts.values()),
            surgery_categories=[{"category": c, "count": n} for c, n in counts.items()],
        )  # fmt: skip


async def _logins(demo: DemoContext, district: District, now: datetime) -> None:
    """``nanshan_doctor`` on the district's first team, and ``resident_nanshan`` (core's demo
    login: the first resident of the district, as core's demo picks them) at two of its
    clinics."""
    team = await Team.filter(district_id=district.id).order_by("id").first()
    resident = await Person.filter(home_district_id=district.id).order_by("id").first()
    if team is None or resident is None or resident.home_community_id is None:
        return
    doctor = await Person.create(name="马丽华")
    await demo.grant_role(doctor.id, Grant(DOCTOR, "district", district_id=district.id))
    await TeamMember.create(team_id=team.id, person_id=doctor.id, specialty="内科")
    await demo.add_login(f"{district.code}_doctor", doctor.id)
    community = await Community.get(id=resident.home_community_id)
    earlier = await _session(demo.random, team, community, _morning(now, 14), held=True, n=1,
                             in_community=True)  # fmt: skip
    seen = await _booking(earlier, resident.id, BookingStatus.CHECKED_IN)
    await Consultation.create(
        team_id=team.id, session_id=earlier.id, booking_id=seen.id, person_id=resident.id,
        doctor_id=doctor.id, specialty="内科", notes="血压偏高，低盐饮食，每日早晚各测一次血压。",
        referral="鹤岗市人民医院心内科门诊复查", follow_up_on=now.date() + timedelta(days=16),
        district_id=earlier.district_id, street_id=earlier.street_id,
        community_id=earlier.community_id,
    )  # fmt: skip
    running = await _session(demo.random, team, community, now - timedelta(hours=1),
                             held=False, n=1, in_community=True)  # fmt: skip
    await _booking(running, resident.id, BookingStatus.CONFIRMED)


async def _booking(session: Session, person_id: int, status: BookingStatus) -> Booking:
    booking = await Booking.create(
        slot_id=session.slot_id,
        person_id=person_id,
        offering_id=session.offering_id,
        status=status.value,
    )
    await Slot.filter(id=session.slot_id).update(confirmed=1)
    return booking
