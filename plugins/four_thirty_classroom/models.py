"""Classrooms with their staff and tutor lists, tutors and their background checks, terms and
the sessions generated from them, children with the adults who may pick them up, attendance,
pick-up alerts, and the lectures and activities brought into schools and communities.

Tables are prefixed with the plugin's name (``four_thirty_classroom_classroom``...) by core's
table-name rule. Rows that belong to a classroom carry its place columns, which is where the
module is switched.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from core import PlacedModel


class Classroom(PlacedModel):
    """四点半课堂: after-school care from 16:30 at a community or a school.

    ``capacity`` is the number of children a session takes (the seats of each session slot in
    the core booking engine). Its staff and tutors are people on its member list."""

    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    kind = fields.CharField(max_length=16)
    address = fields.CharField(max_length=300, default="")
    compound_id = fields.IntField(null=True)
    capacity = fields.IntField()
    active = fields.BooleanField(default=True)

    class Meta:
        unique_together = (("district", "code"),)


class ClassroomMember(Model):
    """A person on the staff list (STAFF) or the tutor list (TUTOR) of a classroom.

    Members see the classroom's children: staff holding CLASSROOM_STAFF and tutors holding
    TUTOR at its community, tutors only while their background check has passed."""

    id = fields.IntField(primary_key=True)
    classroom: fields.ForeignKeyRelation[Classroom] = fields.ForeignKeyField(
        "four_thirty_classroom.Classroom", related_name=False, on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=8)
    classroom_id: int
    person_id: int

    class Meta:
        unique_together = (("classroom", "person", "kind"),)


class Tutor(PlacedModel):
    """A volunteer tutor (teacher, party member, university student) and their background check.

    The place is the community they volunteer in. ``check_status`` is PENDING, PASSED or
    FAILED, set by the admins of the district (never by the tutor); a PASSED check is valid
    for the district's ``background_check_valid_days`` from ``checked_at``."""

    person: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=24)
    check_status = fields.CharField(max_length=8, default="PENDING")
    checked_at = fields.DatetimeField(null=True)
    checked_by_id = fields.IntField(null=True)
    check_note = fields.CharField(max_length=300, default="")
    registered_by_id = fields.IntField()
    person_id: int


class Term(PlacedModel):
    """A term of a classroom: its dates, weekly pattern, session times and holidays.

    ``holidays`` is a list of ``{"from": "2026-10-01", "to": "2026-10-07", "name": "国庆"}``
    (inclusive). Sessions are generated from it when it is scheduled; its sessions are booked
    through one core offering."""

    classroom: fields.ForeignKeyRelation[Classroom] = fields.ForeignKeyField(
        "four_thirty_classroom.Classroom", related_name=False, on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    weekdays: Any = fields.JSONField(default=list)
    holidays: Any = fields.JSONField(default=list)
    session_start = fields.CharField(max_length=5)
    session_end = fields.CharField(max_length=5)
    topic = fields.CharField(max_length=200)
    offering_id = fields.IntField()
    created_by_id = fields.IntField()
    classroom_id: int


class Session(PlacedModel):
    """One afternoon of a classroom: its topic, times (UTC), status and booking slot.

    ``status`` is SCHEDULED, HELD (closed after it ended) or CANCELLED."""

    classroom: fields.ForeignKeyRelation[Classroom] = fields.ForeignKeyField(
        "four_thirty_classroom.Classroom", related_name=False, on_delete=fields.RESTRICT
    )
    term: fields.ForeignKeyRelation[Term] = fields.ForeignKeyField(
        "four_thirty_classroom.Term", related_name=False, on_delete=fields.RESTRICT
    )
    day = fields.DateField()
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    topic = fields.CharField(max_length=200)
    status = fields.CharField(max_length=16, default="SCHEDULED")
    slot_id = fields.IntField()
    offering_id = fields.IntField()
    note = fields.CharField(max_length=300, default="")
    classroom_id: int
    term_id: int

    class Meta:
        unique_together = (("classroom", "day"),)
        indexes = (("district_id", "starts_at"),)


class SessionTutor(Model):
    """A tutor scheduled for a session (their background check had passed)."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[Session] = fields.ForeignKeyField(
        "four_thirty_classroom.Session", related_name=False, on_delete=fields.CASCADE
    )
    tutor: fields.ForeignKeyRelation[Tutor] = fields.ForeignKeyField(
        "four_thirty_classroom.Tutor", related_name=False, on_delete=fields.RESTRICT
    )
    person_id = fields.IntField()
    session_id: int
    tutor_id: int

    class Meta:
        unique_together = (("session", "tutor"),)


class Child(PlacedModel):
    """A child registered with a classroom by a guardian (personal data of a minor).

    The place columns are the classroom ones. ``person`` is the child in the core booking
    engine only: that person row carries no name, phone, ID number or home. Name, school,
    grade and notes are seen by the guardian and the classroom staff and tutors only."""

    classroom: fields.ForeignKeyRelation[Classroom] = fields.ForeignKeyField(
        "four_thirty_classroom.Classroom", related_name=False, on_delete=fields.RESTRICT
    )
    person: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    guardian: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "core.Person", related_name=False, on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=50)
    school = fields.CharField(max_length=100)
    grade = fields.IntField()
    notes = fields.CharField(max_length=300, default="")
    active = fields.BooleanField(default=True)
    classroom_id: int
    person_id: int
    guardian_id: int


class PickupAdult(Model):
    """An adult the guardian authorised to pick the child up (the guardian is always one).

    Removed adults stay with ``active`` false, so past check-outs still name them."""

    id = fields.IntField(primary_key=True)
    child: fields.ForeignKeyRelation[Child] = fields.ForeignKeyField(
        "four_thirty_classroom.Child", related_name=False, on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=50)
    relation = fields.CharField(max_length=16)
    phone = fields.CharField(max_length=32, default="")
    person_id = fields.IntField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    child_id: int


class Attendance(PlacedModel):
    """A child enrolled in a session (a core booking), with check-in and check-out.

    Checked in on arrival, checked out to an authorised adult only, whose name and relation are
    copied here when they pick the child up."""

    session: fields.ForeignKeyRelation[Session] = fields.ForeignKeyField(
        "four_thirty_classroom.Session", related_name=False, on_delete=fields.RESTRICT
    )
    child: fields.ForeignKeyRelation[Child] = fields.ForeignKeyField(
        "four_thirty_classroom.Child", related_name=False, on_delete=fields.RESTRICT
    )
    booking: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "core.Booking", related_name=False, on_delete=fields.RESTRICT
    )
    classroom_id = fields.IntField()
    guardian_id = fields.IntField()
    person_id = fields.IntField()
    enrolled_by_id = fields.IntField()
    checked_in_at = fields.DatetimeField(null=True)
    checked_in_by_id = fields.IntField(null=True)
    checked_out_at = fields.DatetimeField(null=True)
    checked_out_by_id = fields.IntField(null=True)
    picked_up_by_id = fields.IntField(null=True)
    picked_up_by_name = fields.CharField(max_length=50, null=True)
    picked_up_by_relation = fields.CharField(max_length=16, null=True)
    session_id: int
    child_id: int
    booking_id: int

    class Meta:
        unique_together = (("session", "child"),)


class PickupAlert(PlacedModel):
    """An adult who was not authorised tried to pick a child up and was refused.

    Seen by the classroom staff and tutors and by the guardian; the staff close it with a
    note once they have followed it up."""

    classroom_id = fields.IntField()
    session_id = fields.IntField()
    child: fields.ForeignKeyRelation[Child] = fields.ForeignKeyField(
        "four_thirty_classroom.Child", related_name=False, on_delete=fields.RESTRICT
    )
    attendance_id = fields.IntField()
    guardian_id = fields.IntField()
    person_id = fields.IntField()
    adult_name = fields.CharField(max_length=50)
    adult_phone = fields.CharField(max_length=32, default="")
    claimed_relation = fields.CharField(max_length=16, null=True)
    reason = fields.CharField(max_length=200)
    raised_at = fields.DatetimeField()
    raised_by_id = fields.IntField()
    closed_at = fields.DatetimeField(null=True)
    closed_by_id = fields.IntField(null=True)
    note = fields.CharField(max_length=300, default="")
    child_id: int

    class Meta:
        indexes = (("classroom_id", "closed_at"), ("district_id", "raised_at"))


class Lecture(PlacedModel):
    """A lecture or activity in a school or community (精品党课进校园, 护航成长, 小手拉大手).

    ``kind`` is LECTURE or ACTIVITY; ``status`` PLANNED, HELD or CANCELLED; ``students`` and
    ``families`` are the beneficiaries counted when it is recorded as held."""

    kind = fields.CharField(max_length=16)
    program = fields.CharField(max_length=24)
    title = fields.CharField(max_length=200)
    venue_kind = fields.CharField(max_length=16)
    venue = fields.CharField(max_length=100)
    speaker = fields.CharField(max_length=100, default="")
    starts_at = fields.DatetimeField()
    status = fields.CharField(max_length=16, default="PLANNED")
    students = fields.IntField(default=0)
    families = fields.IntField(default=0)
    compound_id = fields.IntField(null=True)
    planned_by_id = fields.IntField()
    recorded_by_id = fields.IntField(null=True)

    class Meta:
        indexes = (("district_id", "starts_at"),)
