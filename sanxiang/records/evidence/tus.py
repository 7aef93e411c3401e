"""Resumable uploads: the tus 1.0.0 core protocol (https://tus.io/protocols/resumable-upload)
with the creation, expiration, checksum and termination extensions, for body-camera files of
several gigabytes over slow county links.

    OPTIONS /records/evidence/uploads/        capabilities (204)
    POST    /records/evidence/uploads/        create: Upload-Length, Upload-Metadata (201 + Location)
    HEAD    /records/evidence/uploads/<id>    Upload-Offset, Upload-Length (200)
    PATCH   /records/evidence/uploads/<id>    bytes at Upload-Offset (204; 409 wrong offset,
                                              415 wrong type, 460 checksum mismatch)
    DELETE  /records/evidence/uploads/<id>    abandon (204)

Every request but OPTIONS needs ``Tus-Resumable: 1.0.0`` (else 412), a staff session and, for
POST/PATCH/DELETE, the CSRF token in ``X-CSRFToken`` (Django's middleware checks it; upload.js
sends it). An upload belongs to the user who created it; anyone else gets 404.

The bytes go to ``<upload dir>/<uuid>.part`` (the file's size is the offset: bytes a broken
connection delivered are kept, as the protocol wants). A PATCH that starts at 0 and ends the
upload hashes the bytes as it writes them; otherwise the assembled file is hashed once when
the last byte arrives (hashlib state cannot be kept between requests). The finished upload is
then registered as evidence by the evidence form (``upload_ingest``), which moves the file
into content-addressed storage. Abandoned parts are removed by ``sweeps.expire_uploads``.
"""

from __future__ import annotations

import base64
import datetime as dt
import errno
import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from sanxiang.lib.errors import DomainError, NotPermitted

from . import config, services
from .choices import Kind, UploadStatus, Via
from .hashing import CHUNK, Digests, StreamHasher, Writeback, file_digests, upload_dir
from .models import Evidence, UploadSession
from .rules import CHECKSUM_ALGORITHMS, TusError, safe_filename

DISK_MARGIN = 1024 * 1024 * 1024  # keep 1 GB free for everything else


class TusFailure(Exception):
    """An answer other than success: HTTP status and a Chinese message for the body."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def part_path(upload_id) -> Path:
    return upload_dir() / f"{upload_id}.part"


def expires_at(session: UploadSession) -> dt.datetime:
    return session.updated_at + config.upload_expiry()


def _open_sessions(owner) -> int:
    return UploadSession.objects.filter(
        owner=owner, status__in=[UploadStatus.UPLOADING, UploadStatus.COMPLETE]
    ).count()


def upload_create(*, actor, length: int, metadata: dict[str, str]) -> UploadSession:
    """POST: a new upload of ``length`` bytes for the case named in the metadata — or for the
    registered holder (``holder`` = "inspections.task:12", see holders.py)."""
    from sanxiang.cases.models import Case

    if metadata.get("holder") and not metadata.get("case"):
        return _holder_upload_create(actor=actor, length=length, metadata=metadata)
    try:
        case_pk = int(metadata.get("case", ""))
        case = Case.objects.get(pk=case_pk)
    except (ValueError, Case.DoesNotExist):
        raise TusFailure(400, "Upload-Metadata 须含有效的案件（case）") from None
    try:
        services.require(actor, "records.add_evidence", "上传证据", case=case)
    except NotPermitted as exc:
        raise TusFailure(403, exc.message) from None
    if not services.on_team(case, actor):
        raise TusFailure(403, "证据须由本案办案人员上传")
    from sanxiang.cases.choices import TERMINAL_STATES

    if case.state in TERMINAL_STATES:
        raise TusFailure(403, "案件已办结，不能再添加证据（结案后只读）")
    return _session_create(actor=actor, length=length, metadata=metadata, owner={"case": case})


def _holder_upload_create(*, actor, length: int, metadata: dict[str, str]) -> UploadSession:
    from . import holders

    holder = holders.resolve(metadata.get("holder", ""))
    if holder is None:
        raise TusFailure(400, "Upload-Metadata 须含有效的案件（case）或检查任务（holder）")
    spec = holders.holder_of(holder)
    try:
        services.require(actor, "records.add_evidence", "上传证据")
    except NotPermitted as exc:
        raise TusFailure(403, exc.message) from None
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.agency_id != spec.agency_id(holder):
        raise TusFailure(403, f"您不属于该{spec.name}的执法主体，不能上传证据")
    if problems := spec.upload_problems(holder, actor):
        raise TusFailure(403, problems[0])
    owner = {"case": None, "holder": holders.ref(holder)}
    return _session_create(actor=actor, length=length, metadata=metadata, owner=owner)


def _session_create(*, actor, length: int, metadata: dict[str, str], owner: dict):
    kind = metadata.get("kind", "")
    if kind and kind not in Kind.values:
        raise TusFailure(400, "Upload-Metadata 中的证据形式（kind）无效")
    limit = config.max_bytes(kind) if kind else config.max_any()
    if length <= 0:
        raise TusFailure(400, "文件为空")
    if length > limit:
        raise TusFailure(413, f"文件超过上限 {config.human_size(limit)}")
    if _open_sessions(actor) >= config.uploads_per_user():
        raise TusFailure(
            429, "您未完成的上传过多，请先完成或取消已有的上传（过期未完成的上传会自动清除）"
        )
    directory = upload_dir()
    if shutil.disk_usage(directory).free < length + DISK_MARGIN:
        raise TusFailure(507, "服务器存储空间不足，请通知系统管理员")
    now = timezone.now()
    session = UploadSession.objects.create(
        owner=actor,
        **owner,
        kind=kind,
        filename=safe_filename(metadata.get("filename", "")),
        client_type=metadata.get("filetype", "")[:100],
        length=length,
        created_at=now,
        updated_at=now,
    )
    # O_EXCL: a part file is never reused or overwritten.
    os.close(os.open(part_path(session.pk), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return session


def session_for(*, actor, upload_id) -> UploadSession:
    """The caller's own upload (404 for anyone else's: its existence is not revealed)."""
    session = UploadSession.objects.filter(pk=upload_id, owner=actor).first()
    if session is None:
        raise TusFailure(404, "上传不存在")
    if session.status in (UploadStatus.TERMINATED, UploadStatus.EXPIRED):
        raise TusFailure(410, "上传已取消或已过期清除，请重新上传")
    return session


def current_offset(session: UploadSession) -> int:
    """The offset is the part file's size (bytes of an interrupted PATCH count)."""
    if session.status != UploadStatus.UPLOADING:
        return session.offset
    try:
        return os.path.getsize(part_path(session.pk))
    except FileNotFoundError:
        raise TusFailure(410, "上传的临时文件已被清除，请重新上传") from None


def _checksum(header: str | None):
    if not header:
        return None, None
    from .rules import parse_checksum

    algorithm, expected = parse_checksum(header)
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise TusFailure(400, f"不支持的校验算法：{algorithm}")
    return hashlib.new(algorithm), expected


def upload_append(
    *,
    session: UploadSession,
    offset: int,
    content_length: int,
    read: Callable[[int], bytes],
    checksum_header: str | None = None,
) -> UploadSession:
    """PATCH: write ``content_length`` bytes read from ``read`` at ``offset``.

    The part file is locked (flock) while it is written, so two PATCH requests for one upload
    cannot interleave (the second gets 423). No database transaction is held while the bytes
    arrive — an upload can take an hour and SQLite has one writer."""
    if session.status != UploadStatus.UPLOADING:
        raise TusFailure(403, "该上传已完成")
    try:
        checksum, expected = _checksum(checksum_header)
    except TusError as exc:
        raise TusFailure(400, str(exc)) from None
    path = part_path(session.pk)
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        raise TusFailure(410, "上传的临时文件已被清除，请重新上传") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise TusFailure(423, "该上传正在另一个连接中传输") from None
            raise
        current = os.fstat(fd).st_size
        if offset != current:
            raise TusFailure(409, f"Upload-Offset 与服务器已接收的字节数（{current}）不一致")
        if offset + content_length > session.length:
            raise TusFailure(413, "传输的数据超过了创建上传时声明的长度")
        whole = offset == 0 and content_length == session.length
        hasher = StreamHasher() if whole else None
        os.lseek(fd, offset, os.SEEK_SET)
        writeback = Writeback(fd, offset)
        written = 0
        try:
            while written < content_length:
                chunk = read(min(CHUNK, content_length - written))
                if not chunk:
                    break  # the client went away: keep what arrived
                view = memoryview(chunk)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                if hasher is not None:
                    hasher.update(chunk)
                if checksum is not None:
                    checksum.update(chunk)
                written += len(chunk)
                writeback.wrote(len(chunk))
        except OSError:
            pass  # connection reset while reading the body: keep what arrived (tus §PATCH)
        if checksum is not None and (written != content_length or checksum.digest() != expected):
            os.ftruncate(fd, offset)  # discard this request's bytes
            raise TusFailure(460, "Upload-Checksum 与收到的数据不符，请重传这一段")
        writeback.kick()
        new_offset = offset + written
        digests: Digests | None = None
        if new_offset == session.length:
            os.fsync(fd)
            digests = (
                hasher.digests()
                if hasher is not None and written == content_length
                else file_digests(path)
            )
    finally:
        os.close(fd)  # releases the lock
    now = timezone.now()
    with transaction.atomic():
        session = UploadSession.objects.select_for_update().get(pk=session.pk)
        session.offset, session.updated_at = new_offset, now
        fields = ["offset", "updated_at"]
        if digests is not None:
            session.status = UploadStatus.COMPLETE
            session.sha256, session.sm3, session.completed_at = digests.sha256, digests.sm3, now
            fields += ["status", "sha256", "sm3", "completed_at"]
        session.save(update_fields=fields)
    return session


def upload_terminate(*, session: UploadSession) -> None:
    """DELETE (termination extension): the user abandoned the upload."""
    if session.status == UploadStatus.INGESTED:
        raise TusFailure(403, "该上传已登记为证据，不能删除")
    services.remove_quietly(part_path(session.pk))
    UploadSession.objects.filter(pk=session.pk).update(
        status=UploadStatus.TERMINATED, updated_at=timezone.now()
    )


def tus_metadata(header: str) -> dict[str, str]:
    from .rules import parse_upload_metadata

    try:
        return parse_upload_metadata(header)
    except TusError as exc:
        raise TusFailure(400, str(exc)) from None


def encode_metadata(values: dict[str, str]) -> str:
    """The inverse of parse_upload_metadata (for clients written in Python: tests, bench)."""
    return ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}" if v else k for k, v in values.items()
    )


# --- registering a finished upload as evidence ---------------------------------------------------


def completed_session(*, actor, upload_id, case=None, holder=None) -> UploadSession:
    """The caller's finished upload for ``case`` (or ``holder``), ready to be registered
    (DomainError if not)."""
    from . import holders

    session = UploadSession.objects.filter(pk=upload_id, owner=actor).first()
    if holder is not None:
        mismatch = session is None or session.case_id is not None
        mismatch = mismatch or session.holder != holders.ref(holder)
    else:
        mismatch = session is None or case is None or session.case_id != case.pk
    if mismatch:
        raise DomainError("找不到该上传，请重新选择文件上传", field="file")
    if session.status == UploadStatus.INGESTED:
        raise DomainError(
            f"该上传已登记为证据{session.evidence.number if session.evidence else ''}",
            field="file",
        )
    if session.status != UploadStatus.COMPLETE:
        raise DomainError("文件尚未上传完成或已过期清除，请重新上传", field="file")
    if not part_path(session.pk).exists():
        raise DomainError("上传的临时文件已不存在，请重新上传", field="file")
    return session


@transaction.atomic
def upload_ingest(*, actor, upload_id, case=None, holder=None, **fields) -> Evidence:
    """Register a finished resumable upload as evidence through the same path as the plain
    form (``services.evidence_add``): the digests computed when its last byte arrived are
    recorded, the part file is moved into storage."""
    session = completed_session(actor=actor, upload_id=upload_id, case=case, holder=holder)
    session = UploadSession.objects.select_for_update().get(pk=session.pk)
    if session.status != UploadStatus.COMPLETE:
        raise DomainError("该上传已登记或已失效", field="file")
    evidence = services.evidence_add(
        actor=actor,
        case=case,
        holder=holder,
        incoming=services.Incoming(
            path=part_path(session.pk),
            original_name=session.filename,
            digests=Digests(session.sha256, session.sm3, session.length),
            via=Via.RESUMABLE,
        ),
        **fields,
    )
    session.status, session.evidence, session.updated_at = (
        UploadStatus.INGESTED,
        evidence,
        timezone.now(),
    )
    session.save(update_fields=["status", "evidence", "updated_at"])
    return evidence


def expire_uploads(now: dt.datetime) -> int:
    """Remove parts of uploads untouched for RECORDS_UPLOAD_EXPIRY_HOURS (default 72), and part
    files no session knows (left by a crash). Returns how many were removed."""
    cutoff = now - config.upload_expiry()
    stale = list(
        UploadSession.objects.filter(
            status__in=[UploadStatus.UPLOADING, UploadStatus.COMPLETE], updated_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        services.remove_quietly(part_path(pk))
    if stale:
        UploadSession.objects.filter(pk__in=stale).update(status=UploadStatus.EXPIRED)
    removed = len(stale)
    directory = upload_dir()
    known = {
        str(pk)
        for pk in UploadSession.objects.filter(
            status__in=[UploadStatus.UPLOADING, UploadStatus.COMPLETE]
        ).values_list("pk", flat=True)
    }
    for entry in os.scandir(directory):
        # <uuid>.part of a vanished session; *.upload of a plain upload whose request died.
        if entry.name.endswith(".part"):
            if entry.name[:-5] in known:
                continue
        elif not entry.name.endswith(".upload"):
            continue
        if dt.datetime.fromtimestamp(entry.stat().st_mtime, tz=dt.UTC) < cutoff:
            services.remove_quietly(Path(entry.path))
            removed += 1
    return removed
