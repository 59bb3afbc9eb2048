"""Case photos: checked by their bytes (not by what the client claims) and kept in a store.

The store is a small interface so that a deployment can put photos in object storage; the
default keeps them in a local folder, named by their content hash (the same photo twice is
stored once)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Protocol

from core.errors import BadUserInput

# The first bytes of each accepted image type (its "magic number").
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}
WEBP = ("image/webp", "webp")


def sniff(data: bytes) -> tuple[str, str]:
    """The content type and extension of an image, or BAD_USER_INPUT if it is none we take."""
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    raise BadUserInput("A photo must be a JPEG, PNG or WebP image.", argument="photos")


class PhotoStore(Protocol):
    async def save(self, data: bytes, extension: str) -> str:
        """Keep ``data``; returns the key to read it back with."""

    async def load(self, key: str) -> bytes | None:
        """The bytes under ``key``, or None."""


class FolderStore:
    """Photos as files in a folder, named ``<sha256>.<ext>``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    async def save(self, data: bytes, extension: str) -> str:
        key = f"{hashlib.sha256(data).hexdigest()}.{extension}"
        await asyncio.to_thread(self._write, key, data)
        return key

    def _write(self, key: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / key
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)

    async def load(self, key: str) -> bytes | None:
        path = self.folder / Path(key).name  # a key never leaves the folder
        return await asyncio.to_thread(lambda: path.read_bytes() if path.is_file() else None)


def check_size(data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise BadUserInput(
            f"A photo may be at most {limit // (1024 * 1024)} MB.", argument="photos", max=limit
        )
