"""Content-addressed files in Django's default storage (local disk or S3-compatible).

A file is stored under its own SHA-256 (``rules.content_name``), so equal bytes share one
name and a name never holds other bytes: nothing is ever overwritten (ARCHITECTURE.md
invariant 6). SM3 (GB/T 32905) is computed in the same pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from sanxiang.lib.errors import DomainError

from . import rules

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    path: str  # name in default_storage
    sha256: str
    sm3: str
    size: int

    def ledger_entry(self, role: str) -> dict:
        """The file as recorded in ledger event data (the ledger's "files" convention, which
        ``manage.py ledger verify --files`` re-hashes)."""
        return {
            "path": self.path,
            "role": role,
            "sha256": self.sha256,
            "sm3": self.sm3,
            "size": self.size,
        }


def digests(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    for chunk in chunks:
        sha.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), sm3.hexdigest(), size


def _existing_matches(name: str, sha256: str) -> bool:
    with default_storage.open(name, "rb") as handle:
        found, _, _ = digests(iter(lambda: handle.read(CHUNK), b""))
    return found == sha256


def _store(name: str, sha256: str, content: File) -> None:
    if default_storage.exists(name):
        if not _existing_matches(name, sha256):
            # Never overwrite: a stored file whose bytes no longer match its name was altered.
            raise DomainError(
                f"存储中的文件 {name} 与其内容哈希不符，已停止写入，请通知系统管理员核查"
            )
        return
    saved = default_storage.save(name, content)
    if saved != name:  # a concurrent writer stored the same bytes first
        default_storage.delete(saved)
        if not _existing_matches(name, sha256):
            raise DomainError(
                f"存储中的文件 {name} 与其内容哈希不符，已停止写入，请通知系统管理员核查"
            )


def store_bytes(data: bytes, *, prefix: str, ext: str) -> StoredFile:
    sha256, sm3, size = digests([data])
    name = rules.content_name(prefix, sha256, ext)
    _store(name, sha256, ContentFile(data))
    return StoredFile(name, sha256, sm3, size)


def store_upload(upload: File, *, prefix: str, ext: str) -> StoredFile:
    """Store an uploaded file (streamed; a 2 GB scan never sits in memory)."""
    upload.seek(0)
    sha256, sm3, size = digests(upload.chunks(CHUNK))
    name = rules.content_name(prefix, sha256, ext)
    upload.seek(0)
    _store(name, sha256, upload)
    return StoredFile(name, sha256, sm3, size)


def store_hashed(
    content: File, *, sha256: str, sm3: str, size: int, prefix: str, ext: str
) -> StoredFile:
    """Store a file whose digests were computed while its bytes streamed in (evidence ingest:
    the upload handler or the resumable-upload endpoint hashed them), without reading it
    again. A local temporary file (``content.temporary_file_path()``) is moved, not copied."""
    name = rules.content_name(prefix, sha256, ext)
    _store(name, sha256, content)
    return StoredFile(name, sha256, sm3, size)
