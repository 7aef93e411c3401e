"""The case-file export package (案卷电子包): one ZIP per sealed case file that anyone can verify
offline with ``tools/sanxiang-verify package FILE.zip --key VKEY``.

Layout (docs/archive.md §"The export package" has the full description)::

    README.txt                       how to verify, in Chinese and English
    manifest.json                    canonical JSON: every file's path, SHA-256, SM3, size, …
    files/main/001-….pdf             the 正卷 in binding order (cover, index, documents, scans,
    files/restricted/…               evidence, note sheet); the 副卷 only if asked for
    ledger/log.vkey                  the log's verifier key (for reference — verify with a key
                                     obtained from the bureau, /transparency/key)
    ledger/payloads/<seq>.json       the recorded payload of each event that names a file of
    ledger/payloads/<seq>.salt       the package (and of the sealing), with its salt (hex)
    ledger/entries/<seq>.tlog-proof  c2sp.org/tlog-proof@v1 of each of the case's ledger
                                     entries, all against one signed checkpoint
    ledger/export.json|.salt|.tlog-proof   the export event, which records the manifest's SHA-256
    ledger/checkpoint.txt            that signed checkpoint

What binds what: the manifest's SHA-256 is in the export event's payload; the payload's
commitment is in the public entry; the entry is in the signed tree (inclusion proof →
checkpoint → Ed25519 signature). Every file's hashes are in the manifest; every document or
evidence file's hashes are also in the payload of the ledger event that recorded it when it was
made. The proofs and the checkpoint are not in the manifest (they are made after the export
event is recorded); they verify on their own.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib import canonical
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.records.storage import iter_chunks

from .models import CaseFile, FileItem, Volume

FORMAT = "sanxiang-case-package/1"
CHUNK = 1 << 20
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # member times carry nothing; the ledger has the times
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


@dataclass(frozen=True)
class ExportedPackage:
    path: Path  # a temporary file: the caller streams it and removes it
    filename: str
    manifest_sha256: str
    export_seq: int
    checkpoint_size: int
    files: int


def _safe(title: str, limit: int = 40) -> str:
    return _UNSAFE.sub("_", title).strip("._")[:limit] or "file"


def _digests(name: str) -> tuple[str, str, int]:
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    for chunk in iter_chunks(name, CHUNK):  # streamed on S3 too (not spooled whole)
        sha.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), sm3.hexdigest(), size


def _text_digests(data: bytes) -> dict:
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "sm3": hashlib.new("sm3", data).hexdigest(),
        "size": len(data),
    }


def readme(case_file: CaseFile, *, origin: str, withheld: int) -> str:
    site = getattr(settings, "SITE_ROOT", "")
    held = (
        f"\n注意：本包未包含副卷的 {withheld} 个文件（涉及工作秘密、商业秘密或个人隐私），"
        "清单中仅列出其哈希值。\n"
        f"Note: {withheld} file(s) of the restricted volume are withheld; the manifest lists"
        " their hashes only.\n"
        if withheld
        else ""
    )
    return f"""案卷电子包 / Case-file export package
==========================================

案卷 Case file: {case_file.title}
档号 Archive no.: {case_file.archive_no}
立卷单位 Agency: {case_file.agency.name}
账本 Log origin: {origin}
{held}
一、包里有什么
  files/         案卷文件，按装订顺序编号（正卷 main；副卷 restricted）：封面、卷内目录、执法文书
                 （有签章扫描件的为扫描件）、证据文件、备考表。
  manifest.json  清单：每个文件的路径、SHA-256、SM3、大小、页数，以及记录该文件的账本序号。
  ledger/        本案在执法记录账本中的全部条目及其包含证明（c2sp.org/tlog-proof@v1）、
                 一个已签名的检查点、记录文件哈希的事件原文（payload）及盐值、本次导出事件。

二、如何核验（离线，不需要联网）
  1. 从执法机关或其门户网站 {site}/transparency/key 取得账本公钥（不要只用包内的
     ledger/log.vkey：包内公钥仅供参考）。
  2. 取得核验工具 sanxiang-verify（三项平台源代码 tools/sanxiang-verify；只需 Python 3.8+
     和 cryptography 包），运行：
         python3 sanxiang-verify package 本文件.zip --key 公钥或公钥文件
     显示“验证通过 VERIFIED”即：每个文件与清单一致（SHA-256 与 SM3）；清单的哈希记录在
     账本的导出事件中；本案每个账本条目都在已签名的账本中（包含证明）；检查点签名有效；
     每份文书、扫描件和证据文件的哈希与其制作、上传时记入账本的哈希一致；封存时登记的
     每个文件都在包中。任何一个文件被改动一个字节，核验即失败。
  3. 也可以单独核对某个文件：sha256sum 文件 或 openssl dgst -sm3 文件，与 manifest.json
     中的值比较。

Verification (offline)
  1. Obtain the log's verifier key from the agency ({site}/transparency/key). The copy in
     ledger/log.vkey is for reference only.
  2. Run: python3 sanxiang-verify package THIS.zip --key VKEY   (Python 3.8+, cryptography)
     "VERIFIED" means: every file matches the manifest (SHA-256 and SM3); the manifest's
     SHA-256 is recorded in the ledger's export event; every ledger entry of the case is
     included in the signed log; the checkpoint signature is valid; each document, scan and
     evidence file has the hashes recorded in the ledger when it was made or uploaded; and
     every file registered when the file was sealed is in the package. Changing any byte of
     any file makes the verification fail.
  3. Single files: compare sha256sum / openssl dgst -sm3 with manifest.json.
"""


def _member_path(item: FileItem) -> str:
    ext = item.file_name.rsplit(".", 1)[-1] if "." in item.file_name else "bin"
    folder = "main" if item.volume == Volume.MAIN else "restricted"
    return f"files/{folder}/{item.position:03d}-{_safe(item.title)}.{ext.lower()}"


def package_export(
    *, actor, case_file: CaseFile, request=None, include_restricted: bool = False
) -> ExportedPackage:
    """Build the export package of a sealed case file.

    Records the export (a ``security.exported`` event holding the manifest's SHA-256) before
    anything leaves, then signs a checkpoint covering it (``ledger.services.checkpoint_issue``)
    and proves every entry against that one checkpoint. Files are re-hashed from storage while
    the manifest is made: a file that no longer matches its recorded hashes stops the export."""
    from sanxiang.ledger import keys
    from sanxiang.ledger import selectors as ledger_selectors
    from sanxiang.ledger.models import Event
    from sanxiang.ledger.services import checkpoint_issue

    if actor is None or not actor.has_perm("archive.export_package"):
        raise NotPermitted("您没有导出案卷电子包的权限")
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.agency_id != case_file.agency_id:
        raise NotPermitted("该案卷不属于您所在的执法主体")
    case_file = CaseFile.objects.select_related("case", "agency").get(pk=case_file.pk)
    if not case_file.is_sealed:
        raise DomainError("案卷封存后方可导出电子包")
    if include_restricted and not actor.has_perm("archive.view_restricted"):
        raise NotPermitted("只有档案管理员可以导出副卷")
    case = case_file.case
    origin = settings.LEDGER_ORIGIN

    items = list(case_file.items.order_by("volume", "position"))
    files: list[dict] = []
    contents: dict[str, tuple[str, bytes | None]] = {}  # path -> (storage name or "", bytes)
    withheld = 0
    for item in items:
        entry = {
            "kind": item.kind,
            "ledger_file_role": item.file_role,
            "ledger_seq": item.ledger_seq,
            "number": item.number,
            "pages": item.pages,
            "first_page": item.first_page,
            "last_page": item.last_page,
            "position": item.position,
            "role": "item",
            "section": item.section,
            "sha256": item.sha256,
            "sm3": item.sm3,
            "size": item.size,
            "title": item.title,
            "volume": item.volume,
        }
        if item.volume == Volume.RESTRICTED and not include_restricted:
            withheld += 1
            files.append({**entry, "path": None, "withheld": True})
            continue
        sha, sm3, size = _digests(item.file_name)
        if (sha, sm3, size) != (item.sha256, item.sm3, item.size):
            raise DomainError(
                f"存储的文件“{item.title}”与记录的哈希不一致，已停止导出：请运行 "
                "python manage.py ledger verify --files 查明"
            )
        path = _member_path(item)
        files.append({**entry, "path": path, "withheld": False})
        contents[path] = (item.file_name, None)

    case_seqs = set(ledger_selectors.events_of_subject(case).values_list("seq", flat=True))
    opened = sorted(
        {i.ledger_seq for i in items if i.ledger_seq is not None}
        | ({case_file.seal_ledger_seq} if case_file.seal_ledger_seq is not None else set())
    )
    entries = sorted(case_seqs | set(opened))
    events = {e.seq: e for e in Event.objects.filter(seq__in=opened)}
    for seq in opened:
        event = events[seq]
        for path, data in (
            (f"ledger/payloads/{seq}.json", event.payload.encode("utf-8")),
            (f"ledger/payloads/{seq}.salt", bytes(event.salt).hex().encode() + b"\n"),
        ):
            files.append({"path": path, "role": "ledger-payload", **_text_digests(data)})
            contents[path] = ("", data)
    key_text = (keys.log_verifier().encode() + "\n").encode()
    readme_text = readme(case_file, origin=origin, withheld=withheld).encode("utf-8")
    for path, data, role in (
        ("ledger/log.vkey", key_text, "key"),
        ("README.txt", readme_text, "readme"),
    ):
        files.append({"path": path, "role": role, **_text_digests(data)})
        contents[path] = ("", data)

    now = timezone.now()
    manifest = {
        "format": FORMAT,
        "case": {
            "agency": case_file.agency.name,
            "archive_no": case_file.archive_no,
            "case_number": case.case_no or case.registration_no,
            "retention": case_file.retention,
            "seal_ledger_seq": case_file.seal_ledger_seq,
            "seal_manifest_sha256": case_file.seal_manifest_sha256,
            "sealed_at": case_file.sealed_at,
            "title": case_file.title,
        },
        "exported_at": now,
        "exported_by": getattr(actor, "real_name", "") or actor.get_username(),
        "files": files,
        "ledger": {
            "checkpoint_file": "ledger/checkpoint.txt",
            "entries": entries,
            "export_files": {
                "payload": "ledger/export.json",
                "proof": "ledger/export.tlog-proof",
                "salt": "ledger/export.salt",
            },
            "key_file": "ledger/log.vkey",
            "opened": opened,
            "origin": origin,
            "seal_seq": case_file.seal_ledger_seq,
        },
        "withheld": withheld,
    }
    manifest_bytes = canonical.canonical_json(manifest)
    manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()

    details = {
        "what": "案卷电子包",
        "case_file": case_file.pk,
        "archive_no": case_file.archive_no,
        "manifest_sha256": manifest_sha256,
        "files": sum(1 for f in files if f.get("path")),
        "withheld": withheld,
        "include_restricted": bool(include_restricted),
    }
    if request is not None:
        from sanxiang.ledger.audit import security_event

        event = security_event(request, "security.exported", subject=case, **details)
    else:
        with transaction.atomic():
            event = ledger.record(
                actor=actor,
                subject=case,
                type="security.exported",
                data={"ip": "", "result": "success", **details},
            )
    checkpoint = checkpoint_issue()
    proofs = {}
    for seq in [*entries, event.seq]:
        bundle = ledger_selectors.proof_bundle(seq, checkpoint)
        if bundle is None:  # pragma: no cover - the checkpoint was issued after the event
            raise DomainError("账本检查点未覆盖本案条目，请重试")
        proofs[seq] = bundle.text.encode("utf-8")
    export_event = Event.objects.get(seq=event.seq)

    tmp_dir = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    handle = tempfile.NamedTemporaryFile(suffix=".zip", delete=False, dir=tmp_dir)
    path = Path(handle.name)
    try:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:

            def put(name: str, data: bytes) -> None:
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)

            put("README.txt", readme_text)
            put("manifest.json", manifest_bytes)
            put("ledger/checkpoint.txt", checkpoint.note.encode("utf-8"))
            put("ledger/export.json", export_event.payload.encode("utf-8"))
            put("ledger/export.salt", bytes(export_event.salt).hex().encode() + b"\n")
            put("ledger/export.tlog-proof", proofs[event.seq])
            for seq in entries:
                put(f"ledger/entries/{seq}.tlog-proof", proofs[seq])
            for name, (storage_name, data) in contents.items():
                if data is not None:
                    if name != "README.txt":
                        put(name, data)
                    continue
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as dst:
                    for chunk in iter_chunks(storage_name, CHUNK):
                        dst.write(chunk)
    except BaseException:
        handle.close()
        path.unlink(missing_ok=True)
        raise
    handle.close()
    return ExportedPackage(
        path=path,
        filename=f"案卷电子包-{case_file.archive_no}.zip",
        manifest_sha256=manifest_sha256,
        export_seq=event.seq,
        checkpoint_size=checkpoint.size,
        files=len(contents),
    )
