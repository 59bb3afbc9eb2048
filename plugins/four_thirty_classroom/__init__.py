"""Module ``four_thirty_classroom`` (四点半课堂): after-school care from 16:30.

This package declares the module and its per-district settings; classrooms, sessions,
enrolment and safe pick-up arrive with the module's own issue.
"""

from __future__ import annotations

from core import hookimpl
from plugins.four_thirty_classroom.settings import ClassroomSettings


@hookimpl
def register_settings() -> type[ClassroomSettings]:
    return ClassroomSettings
