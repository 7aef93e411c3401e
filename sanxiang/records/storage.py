"""Content-addressed files in Django's default storage (local disk or S3-compatible).

A file is stored under its own SHA-256 (``rules.content_name``), so equal bytes share one
name and a name never holds other bytes: nothing is ever overwritten (ARCHITECTURE.md
invariant 6). SM3 (GB/T 32905) is computed in the same pass.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Iterator
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


def iter_chunks(
    name: str, size: int = CHUNK, *, start: int = 0, end: int | None = None
) -> Iterator[bytes]:
    """The bytes of a stored file (from ``start`` to ``end`` inclusive, default all of it) in
    chunks of at most ``size``, streamed from local disk or S3.

    django-storages' S3File downloads the whole object into a SpooledTemporaryFile on its first
    read (kept in memory with the default AWS_S3_MAX_MEMORY_SIZE=0), so on S3 the object's GET
    body is streamed instead (with a Range header for a part). A missing object raises
    FileNotFoundError and other S3 failures OSError, like a missing or unreadable local file."""
    try:
        with default_storage.open(name, "rb") as handle:
            s3_file = getattr(sys.modules.get("storages.backends.s3"), "S3File", None)
            if s3_file is not None and isinstance(handle, s3_file) and not handle._storage.gzip:
                yield from _s3_chunks(handle, size, start, end)
                return
            if start:
                handle.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                chunk = handle.read(size if remaining is None else min(size, remaining))
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk
    except Exception as exc:
        botocore = sys.modules.get("botocore.exceptions")
        if botocore is None or not isinstance(exc, botocore.ClientError | botocore.BotoCoreError):
            raise
        status = getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
        error = {404: FileNotFoundError, 403: PermissionError}.get(status, OSError)
        raise error(f"{name}: {exc}") from exc


def _s3_chunks(handle, size: int, start: int, end: int | None) -> Iterator[bytes]:
    from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS

    params = {
        key: value
        for key, value in handle._storage.get_object_parameters(handle.name).items()
        if key in ALLOWED_DOWNLOAD_ARGS  # e.g. SSE-C keys, as S3File's download passes them
    }
    if start or end is not None:
        params["Range"] = f"bytes={start}-{'' if end is None else end}"
    body = handle.obj.get(**params)["Body"]
    try:
        yield from body.iter_chunks(size)
    finally:
        body.close()


def _existing_matches(name: str, sha256: str) -> bool:
    found, _, _ = digests(iter_chunks(name))
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
