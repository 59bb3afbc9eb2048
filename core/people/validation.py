"""Checks of personal identifiers. Error messages never repeat the value (it is personal)."""

from __future__ import annotations

import re

from core.errors import BadUserInput

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^1[3-9]\d{9}$")


def id_check_character(body: str) -> str:
    """The check character (GB 11643-1999) of the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def id_number_is_valid(value: str) -> bool:
    """A mainland resident ID number: 17 digits and their check character."""
    return bool(re.fullmatch(r"\d{17}[\dX]", value)) and id_check_character(value[:17]) == value[17]


def checked_id_number(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    if not id_number_is_valid(value):
        raise BadUserInput(
            "The ID number is not a valid 18-character resident ID.", argument="idNumber"
        )
    return value


def checked_phone(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().replace(" ", "").replace("-", "")
    if not _PHONE.match(value):
        raise BadUserInput("The phone number is not an 11-digit mobile number.", argument="phone")
    return value
