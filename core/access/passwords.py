"""Password hashing with argon2 (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import BadUserInput

MIN_LENGTH = 8
_hasher = PasswordHasher()

# Verifying against this when the username is unknown keeps the answer as slow as for a known
# one, so response times do not tell which usernames exist.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise BadUserInput(
            f"A password needs at least {MIN_LENGTH} characters.", argument="password"
        )
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
