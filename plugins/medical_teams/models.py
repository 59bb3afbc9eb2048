"""Teams and their doctors, free clinics and health-training sessions, consultation records and
visiting experts.

Tables are prefixed with the plugin name (``medical_teams_team`` ...). A team and an expert
visit belong to a district; a session and its consultation records sit in a community
(``PlacedModel``), so the module gate and the scope rules are plain column comparisons.
Consultation records hold health data: see ``rules`` for who may read them.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields

from core import Booking, Compound, District, HemeiModel, Offering, Person, PlacedModel, Slot


class Team(HemeiModel):
    """党员医疗服务队: a party-member medical team of a hospital, serving one district."""

    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    hospital = fields.CharField(max_length=100)
    active = fields.BooleanField(default=True)
    district_id: int

    class Meta:
        unique_together = (("district", "name"),)


class TeamMember(HemeiModel):
    """A doctor on a team, with the specialty they practise there.

    Only people holding DOCTOR in the team district are made members. Members are the doctors
    who may read the consultation records of the team."""

    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "medical_teams.Team", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    specialty = fields.CharField(max_length=32)
    leader = fields.BooleanField(default=False)
    team_id: int
    person_id: int

    class Meta:
        unique_together = (("team", "person"),)


class Session(PlacedModel):
    """A free clinic or a health-training session of a team at a school, community or factory.

    ``kind`` is FREE_CLINIC or HEALTH_TRAINING, ``place_type`` SCHOOL, COMMUNITY or FACTORY and
    ``place_name`` the school, community centre or factory. Residents register through the
    core booking engine (``offering`` and ``slot``, whose capacity is the session capacity).
    ``status`` is PLANNED, HELD or CANCELLED; ``walk_ins`` counts people served who had not
    registered."""

    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "medical_teams.Team", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=16)
    place_type = fields.CharField(max_length=16)
    place_name = fields.CharField(max_length=100)
    compound: fields.ForeignKeyNullableRelation[Compound] = fields.ForeignKeyField(
        "core.Compound", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    specialties: Any = fields.JSONField(default=list)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    status = fields.CharField(max_length=16, default="PLANNED")
    walk_ins = fields.IntField(default=0)
    offering: fields.ForeignKeyRelation[Offering] = fields.ForeignKeyField(
        "core.Offering", related_name=False, on_delete=fields.RESTRICT
    )
    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "core.Slot", related_name=False, on_delete=fields.RESTRICT
    )
    team_id: int
    compound_id: int | None
    offering_id: int
    slot_id: int

    class Meta:
        indexes = (("district_id", "starts_at"), ("team_id", "starts_at"))


class Consultation(PlacedModel):
    """A consultation record of a resident seen at a session. Health data.

    ``specialty``, ``notes`` (what the resident needs to know), ``referral``, ``follow_up_on``
    and ``follow_up_need`` are read only by the doctors of ``team`` and by the resident, and
    every read by a doctor is recorded. ``case_id`` is the core case a referral became (its
    status is kept in step through case events); the case itself carries no health data."""

    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "medical_teams.Team", related_name=False, on_delete=fields.RESTRICT
    )
    session: fields.ForeignKeyRelation[Session] = fields.ForeignKeyField(
        "medical_teams.Session", related_name=False, on_delete=fields.RESTRICT
    )
    booking: fields.ForeignKeyRelation[Booking] = fields.ForeignKeyField(
        "core.Booking", related_name=False, on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    doctor: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    specialty = fields.CharField(max_length=32)
    notes = fields.TextField(null=True)
    referral = fields.TextField(null=True)
    follow_up_on = fields.DateField(null=True)
    follow_up_need = fields.CharField(max_length=16, null=True)
    case_id = fields.IntField(null=True, unique=True)
    case_status = fields.CharField(max_length=16, null=True)
    team_id: int
    session_id: int
    booking_id: int
    person_id: int
    doctor_id: int

    class Meta:
        indexes = (("team_id", "id"), ("person_id", "id"), ("district_id", "created_at"))


class ExpertVisit(HemeiModel):
    """A visiting expert hosted by a team: what they did, as counts and categories only.

    ``surgery_categories`` is a list of category and count pairs whose counts add up to
    ``surgeries``. Nothing about any patient is stored here."""

    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "medical_teams.Team", related_name=False, on_delete=fields.RESTRICT
    )
    district: fields.ForeignKeyRelation[District] = fields.ForeignKeyField(
        "core.District", related_name=False, on_delete=fields.RESTRICT
    )
    expert_name = fields.CharField(max_length=50)
    expert_title = fields.CharField(max_length=50, default="")
    home_hospital = fields.CharField(max_length=100)
    specialty = fields.CharField(max_length=32)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    consultations = fields.IntField(default=0)
    surgeries = fields.IntField(default=0)
    surgery_categories: Any = fields.JSONField(default=list)
    team_id: int
    district_id: int

    class Meta:
        indexes = (("district_id", "starts_on"),)
