"""Hashing while the bytes stream in (TECH-NOTES §10.2): SHA-256 and SM3 (GB/T 32905) are
updated chunk by chunk as an upload arrives and the chunk goes straight to a temporary file on
the disk that holds the uploads, so a multi-gigabyte recording never sits in memory and is
never read twice. The temporary file is later *moved* (renamed) into content-addressed
storage when storage is local.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

CHUNK = 1 << 20  # 1 MiB: large enough that per-chunk Python overhead does not matter
WRITEBACK_EVERY = 64 << 20


class Writeback:
    """Gets written bytes on their way to the disk while more arrive, so that the fsync made
    before the ledger records the file (the file must be on disk before the record says it is
    stored) finds little left to write: every 64 MiB it asks the kernel to start writing the
    range just written (``posix_fadvise(DONTNEED)`` starts asynchronous writeback of dirty
    pages without waiting, and keeps them cached until written)."""

    __slots__ = ("fd", "start", "end")

    def __init__(self, fd: int, start: int = 0):
        self.fd, self.start, self.end = fd, start, start

    def wrote(self, n: int) -> None:
        self.end += n
        if self.end - self.start >= WRITEBACK_EVERY:
            self.kick()

    def kick(self) -> None:
        if self.end > self.start and hasattr(os, "posix_fadvise"):
            try:
                os.posix_fadvise(self.fd, self.start, self.end - self.start, os.POSIX_FADV_DONTNEED)
            except OSError:  # pragma: no cover - advice only
                pass
        self.start = self.end


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str
    size: int


class StreamHasher:
    """SHA-256 and SM3 of a stream, fed in chunks (one pass)."""

    __slots__ = ("_sha256", "_sm3", "size")

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._sm3 = hashlib.new("sm3")
        self.size = 0

    def update(self, chunk: bytes | memoryview) -> None:
        self._sha256.update(chunk)
        self._sm3.update(chunk)
        self.size += len(chunk)

    def digests(self) -> Digests:
        return Digests(self._sha256.hexdigest(), self._sm3.hexdigest(), self.size)


def file_digests(path: Path | str, *, chunk: int = CHUNK) -> Digests:
    """SHA-256, SM3 and size of a local file, streamed (constant memory)."""
    hasher = StreamHasher()
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            hasher.update(view[:n])
    return hasher.digests()


def upload_dir() -> Path:
    """Where uploads are assembled: ``RECORDS_UPLOAD_DIR`` or ``MEDIA_ROOT/uploads``. Keep it
    on the same file system as MEDIA_ROOT so that finished files are renamed, not copied."""
    configured = getattr(settings, "RECORDS_UPLOAD_DIR", None)
    path = Path(configured) if configured else Path(settings.MEDIA_ROOT) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


class HashedUploadedFile(TemporaryUploadedFile):
    """A temporary uploaded file created in the upload directory, carrying its digests."""

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        file = tempfile.NamedTemporaryFile(suffix=".upload", dir=upload_dir())
        # Skip TemporaryUploadedFile.__init__ (it would create the file in the system tmp).
        super(TemporaryUploadedFile, self).__init__(
            file, name, content_type, size, charset, content_type_extra
        )
        self.digests: Digests | None = None


class EvidenceUploadHandler(FileUploadHandler):
    """Upload handler for the plain (non-resumable) evidence form: every file is written to a
    temporary file in the upload directory while SHA-256 and SM3 are updated; a file larger
    than ``limit`` bytes is skipped and the reason left on the request for the form."""

    chunk_size = CHUNK

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.file: HashedUploadedFile | None = None
        self.hasher: StreamHasher | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = HashedUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
        self.hasher = StreamHasher()
        self.writeback = Writeback(self.file.fileno())

    def receive_data_chunk(self, raw_data, start):
        if self.hasher.size + len(raw_data) > self.limit:
            if self.request is not None:
                self.request.evidence_upload_error = (
                    f"文件超过上传上限 {self.limit // (1024 * 1024)} MB，"
                    "大文件请使用页面上的断点续传（需启用 JavaScript）"
                )
            self._discard()
            raise SkipFile()
        self.hasher.update(raw_data)
        self.file.write(raw_data)
        self.writeback.wrote(len(raw_data))
        return None

    def file_complete(self, file_size):
        if self.file is None:
            return None
        self.file.flush()
        os.fsync(self.file.fileno())  # on disk before the ledger says it is stored
        self.file.seek(0)
        self.file.size = file_size
        self.file.digests = self.hasher.digests()
        return self.file

    def upload_interrupted(self):
        self._discard()

    def _discard(self):
        # Closing a NamedTemporaryFile deletes it; the parser may close it again (harmless).
        if self.file is not None:
            self.file.close()
