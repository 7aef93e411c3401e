"""Writes of the records app: generating an enforcement document and attaching its final scan.

Each service checks permission and input (Chinese DomainError, nothing written), stores the
files content-addressed, and records a ledger event carrying the files' SHA-256 and SM3 in the
same transaction (ARCHITECTURE.md §3, invariants 1 and 6).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib import canonical
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from . import documents, rules, storage
from .documents.context import canonical_data
from .models import DocumentScan, GeneratedDocument

# A scanned multi-page decision at 300 dpi is a few MB; anything near this is a mistake.
DEFAULT_SCAN_MAX_BYTES = 200 * 1024 * 1024


def _agency_of(actor):
    unit = getattr(actor, "unit", None)
    return unit.agency if unit is not None else None


def _subject_key(document: GeneratedDocument) -> tuple[str, str]:
    ct = ContentType.objects.get_for_id(document.subject_type_id)
    return f"{ct.app_label}.{ct.model}", document.subject_id


def _new_code() -> str:
    while True:  # 2^50 codes: a collision is practically impossible, but never reuse one
        code = rules.new_code()
        if not GeneratedDocument.objects.filter(verification_code=code).exists():
            return code


def context_digest(context: Any) -> str:
    """SHA-256 of the canonical JSON of the data the document was filled from."""
    return hashlib.sha256(canonical.canonical_json(canonical_data(context))).hexdigest()


@transaction.atomic
def document_generate(
    *,
    actor,
    doc_type: str,
    subject: Model,
    context: Any,
    agency=None,
    number: str | None = None,
    allocate_number: bool = False,
    replaces: GeneratedDocument | None = None,
) -> GeneratedDocument:
    """Render, store, hash and record one issued document.

    ``number`` is a 文号 already allocated by the caller; ``allocate_number=True`` takes the
    next one from the numbering service (``cases.numbering``, gap-free per agency, type and
    year) in this transaction instead. ``replaces`` names an earlier version of the same
    document (a correction before the paper is sealed): it keeps its number and verification
    page, which then says it was replaced. The verification code is allocated before
    rendering, because the QR code must be inside the PDF whose hash is recorded.
    """
    if actor is None or not actor.has_perm("records.add_generateddocument"):
        raise NotPermitted("您没有制作执法文书的权限")
    spec = documents.get(doc_type)
    if not isinstance(subject, Model) or subject.pk is None:
        raise DomainError("请先保存文书所属的案件或记录", field="subject")
    from .casedocs.locks import lock_reasons

    if reasons := lock_reasons(subject):  # e.g. the case file is sealed (archive app)
        raise Blocked(reasons)
    agency = agency or _agency_of(actor)
    if agency is None:
        raise DomainError("无法确定制作文书的执法主体：请指定执法主体", field="agency")
    from .documents.render import check_context

    check_context(spec, context)
    printed_agency = getattr(context, "agency_name", None)
    if printed_agency is not None and printed_agency != agency.name:
        raise DomainError(
            f"文书上的机关名称“{printed_agency}”与制作机关“{agency.name}”不一致", field="context"
        )
    issued_on = spec.issued_on(context)
    subject_type = ContentType.objects.get_for_model(subject)

    if replaces is not None:
        replaces = GeneratedDocument.objects.select_for_update().get(pk=replaces.pk)
        if replaces.doc_type != spec.code:
            raise DomainError("更正后的文书应与原文书种类相同", field="replaces")
        if (replaces.subject_type_id, replaces.subject_id) != (subject_type.pk, str(subject.pk)):
            raise DomainError("更正后的文书应属于同一案件", field="replaces")
        if GeneratedDocument.objects.filter(replaces=replaces).exists():
            raise DomainError("该文书已被取代，请对最新版本进行更正", field="replaces")
        if DocumentScan.objects.filter(document=replaces).exists():
            raise DomainError(
                "该文书已上传签章扫描件，不能再以新版本取代；如需更正，请依法另行作出更正决定",
                field="replaces",
            )
        if allocate_number:
            raise DomainError("更正后的文书沿用原文号，不能重新编号", field="number")
        if number not in (None, replaces.number):
            raise DomainError(f"更正后的文书应沿用原文号“{replaces.number}”", field="number")
        number = replaces.number
    elif allocate_number:
        if number:
            raise DomainError("已填写文号时不能再自动编号", field="number")
        if not spec.number_code:
            raise DomainError(f"{spec.name}不编文号", field="number")
        from sanxiang.cases.numbering import number_next

        _n, number = number_next(agency=agency, doc_type=spec.number_code, year=issued_on.year)
    elif spec.number_code and not number:
        raise DomainError(f"{spec.name}须有文号：请填写文号或选择自动编号", field="number")
    number = (number or "").strip()
    if number:
        taken = GeneratedDocument.objects.filter(
            agency=agency, number=number, replaced_by__isnull=True
        )
        if replaces is not None:
            taken = taken.exclude(pk=replaces.pk)
        if taken.exists():
            raise DomainError(f"文号“{number}”已用于另一份文书", field="number")

    code = _new_code()
    stamp = documents.Stamp(verification_code=code, site_root=settings.SITE_ROOT, number=number)
    pdf = storage.store_bytes(
        documents.render_pdf(spec.code, context, stamp=stamp), prefix="documents", ext="pdf"
    )
    docx = (
        storage.store_bytes(
            documents.render_docx(spec.code, context, stamp=stamp), prefix="documents", ext="docx"
        )
        if spec.docx_template
        else None
    )
    document = GeneratedDocument.objects.create(
        agency=agency,
        doc_type=spec.code,
        doc_name=spec.name,
        template_version=spec.version,
        template_fingerprint=spec.fingerprint(),
        subject_type=subject_type,
        subject_id=str(subject.pk),
        title=spec.title(context)[:200],
        number=number,
        issued_on=issued_on,
        verification_code=code,
        context_sha256=context_digest(context),
        pdf=pdf.path,
        pdf_sha256=pdf.sha256,
        pdf_sm3=pdf.sm3,
        pdf_size=pdf.size,
        docx=docx.path if docx else "",
        docx_sha256=docx.sha256 if docx else "",
        docx_sm3=docx.sm3 if docx else "",
        docx_size=docx.size if docx else None,
        replaces=replaces,
        created_by=actor,
        created_at=timezone.now(),
    )
    event = ledger.record(
        actor=actor,
        subject=subject,
        type="document.generated",
        data={
            "document": document.pk,
            "doc_type": spec.code,
            "template_version": spec.version,
            "template_fingerprint": document.template_fingerprint,
            "number": number,
            "verification_code": code,
            "context_sha256": document.context_sha256,
            "replaces": replaces.pk if replaces else None,
            "files": [pdf.ledger_entry("pdf")] + ([docx.ledger_entry("docx")] if docx else []),
        },
    )
    document.ledger_seq = event.seq
    document.save(update_fields=["ledger_seq"])
    return document


def _scan_max_bytes() -> int:
    return int(getattr(settings, "RECORDS_SCAN_MAX_BYTES", DEFAULT_SCAN_MAX_BYTES))


def _check_image(upload: File) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError("扫描图片已损坏或无法识别，请重新扫描后上传", field="file") from None
    finally:
        upload.seek(0)


@transaction.atomic
def document_attach_scan(
    *, actor, document: GeneratedDocument, uploaded_file: File
) -> DocumentScan:
    """Attach the scan of the signed and sealed paper as the document's final version.

    Accepted: PDF, JPEG, PNG or TIFF, recognised by content, not by file name."""
    if actor is None or not actor.has_perm("records.add_documentscan"):
        raise NotPermitted("您没有上传签章文书扫描件的权限")
    document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    from .casedocs.locks import lock_reasons

    if reasons := lock_reasons(document.subject):
        raise Blocked(reasons)
    if DocumentScan.objects.filter(document=document).exists():
        raise DomainError("该文书已上传签章扫描件，不能重复上传", field="file")
    if GeneratedDocument.objects.filter(replaces=document).exists():
        raise DomainError("该文书已被更正后的文书取代，请对新文书上传扫描件", field="file")
    if uploaded_file is None or not getattr(uploaded_file, "size", 0):
        raise DomainError("请选择扫描件文件（文件不能为空）", field="file")
    if uploaded_file.size > _scan_max_bytes():
        limit = _scan_max_bytes() // (1024 * 1024)
        raise DomainError(f"扫描件不能超过 {limit} MB", field="file")
    uploaded_file.seek(0)
    head = uploaded_file.read(rules.SNIFF_BYTES)
    uploaded_file.seek(0)
    kind = rules.scan_kind(head)
    if kind is None:
        raise DomainError("扫描件须为 PDF 或图片（JPEG、PNG、TIFF）文件", field="file")
    content_type, ext = kind
    if content_type != "application/pdf":
        _check_image(uploaded_file)
    stored = storage.store_upload(uploaded_file, prefix="scans", ext=ext)
    scan = DocumentScan.objects.create(
        document=document,
        file=stored.path,
        content_type=content_type,
        original_name=(getattr(uploaded_file, "name", "") or "")[:200],
        sha256=stored.sha256,
        sm3=stored.sm3,
        size=stored.size,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    event = ledger.record(
        actor=actor,
        subject=_subject_key(document),
        type="document.scan_attached",
        data={
            "document": document.pk,
            "doc_type": document.doc_type,
            "number": document.number,
            "verification_code": document.verification_code,
            "files": [stored.ledger_entry("scan")],
        },
    )
    scan.ledger_seq = event.seq
    scan.save(update_fields=["ledger_seq"])
    return scan


DOWNLOAD_KINDS = {"pdf": "PDF", "docx": "DOCX", "scan": "签章扫描件"}


def document_download(*, actor, document: GeneratedDocument, kind: str) -> tuple[File, str, str]:
    """Open one of a document's files for a staff download and record who took it
    (等保 2.0 安全审计: access to personal data is audited). Returns (file, name, content type)."""
    if actor is None or not actor.has_perm("records.view_generateddocument"):
        raise NotPermitted("您没有查看执法文书的权限")
    if kind == "pdf":
        field, content_type, ext = document.pdf, "application/pdf", "pdf"
    elif kind == "docx" and document.docx:
        field = document.docx
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ext = "docx"
    elif kind == "scan" and hasattr(document, "final_scan"):
        scan = document.final_scan
        field, content_type = scan.file, scan.content_type
        ext = scan.file.name.rsplit(".", 1)[-1]
    else:
        raise DomainError("该文书没有此文件", field="kind")
    with transaction.atomic():
        ledger.record(
            actor=actor,
            subject=_subject_key(document),
            type="security.document_downloaded",
            data={"document": document.pk, "kind": kind, "path": field.name},
        )
    label = DOWNLOAD_KINDS[kind]
    name = f"{document.doc_name}{'-' + document.number if document.number else ''}-{document.verification_code}"
    if kind == "scan":
        name += f"-{label}"
    return field.open("rb"), f"{name}.{ext}", content_type
