"""Trusted documents: the first-party apps' operations, registered by the SHA-256 of their text.

A client sends a registered document by hash, persisted-query style::

    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}, "variables": {}}

(or in full: a full text whose hash is registered counts as registered). With ``[documents]
require_for_anonymous = true`` anonymous clients may run nothing else; clients with a valid token
keep full queries within ``[limits]``. Documents are added with ``hemei documents add FILE...``,
which validates each against the schema; the file is re-read when it changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CHECK_EVERY_SECONDS = 1.0


def document_hash(text: str) -> str:
    """The hex SHA-256 of the document's UTF-8 text, exactly as sent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    hash: str
    name: str
    body: str
    added: str


class DocumentStore:
    """The registered documents in one JSON file (absent: none are registered)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._documents: dict[str, Document] = {}
        self._stamp: tuple[int, int] | None = None
        self._checked = float("-inf")

    def get(self, digest: str) -> Document | None:
        self._refresh()
        return self._documents.get(digest.lower())

    def is_registered(self, text: str) -> bool:
        return self.get(document_hash(text)) is not None

    def all(self) -> list[Document]:
        self._refresh(force=True)
        return sorted(self._documents.values(), key=lambda d: (d.name, d.hash))

    def add(self, body: str, name: str) -> Document:
        """Register ``body`` under ``name`` (again: the name is updated). Writes the file
        atomically."""
        self._refresh(force=True)
        digest = document_hash(body)
        document = Document(digest, name, body, datetime.now(UTC).isoformat(timespec="seconds"))
        documents = {**self._documents, digest: document}
        data: dict[str, Any] = {
            "format": "hemei-trusted-documents",
            "version": 1,
            "documents": {
                d.hash: {"name": d.name, "body": d.body, "added": d.added}
                for d in sorted(documents.values(), key=lambda d: d.hash)
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".documents-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(temp, self.path)
        self._refresh(force=True)
        return document

    def _refresh(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < CHECK_EVERY_SECONDS:
            return
        self._checked = now
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._documents, self._stamp = {}, None
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        data = json.loads(self.path.read_text(encoding="utf-8"))
        self._documents = {
            digest: Document(digest, entry["name"], entry["body"], entry.get("added", ""))
            for digest, entry in data.get("documents", {}).items()
            if document_hash(entry["body"]) == digest  # a hand-edited entry must still match
        }
        self._stamp = stamp
