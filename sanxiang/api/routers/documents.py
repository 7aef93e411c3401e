"""执法文书 Documents: a case's documents, making one from the case's data, and downloading a
document's files — through ``records.casedocs`` (the case page's 文书 section) and
``records.services.document_download``, which records every download in the ledger
(``security.document_downloaded``) exactly as the page's download does."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import FileResponse, Http404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sanxiang.lib.errors import DomainError
from sanxiang.records import selectors as records_selectors
from sanxiang.records import services as records_services
from sanxiang.records.casedocs import builders
from sanxiang.records.casedocs import selectors as casedocs_selectors
from sanxiang.records.casedocs import services as casedocs_services
from sanxiang.records.models import GeneratedDocument

from ..paging import Page, PageQuery, paginate
from ..schemas import UserRef, user_ref
from ..types import Body, Id, Text
from .common import need, responses, same_agency

router = Router(tags=["执法文书 Documents"])

FILE_KINDS = ("pdf", "docx", "scan")
CONTENT_TYPES = {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
        "schema": {"type": "string", "format": "binary"}
    },
    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
    "image/png": {"schema": {"type": "string", "format": "binary"}},
    "image/tiff": {"schema": {"type": "string", "format": "binary"}},
}


# --- shapes -----------------------------------------------------------------------------------


class FileOut(Schema):
    kind: str = Field(
        description="pdf 生成的 PDF；docx 可编辑的 Word 文件；scan 签章扫描件（定稿）"
    )
    sha256: str
    sm3: str = Field(description="SM3 哈希（GB/T 32905）")
    size: int
    url: str = Field(description="下载地址（下载记入账本）")


class DocumentOut(Schema):
    id: int
    case_id: int | None = Field(description="所属案件（文书属于案件以外的记录时为 null）")
    doc_type: str
    doc_name: str = Field(description="文书种类，如“行政处罚决定书”")
    title: str
    number: str = Field(description="文号（不编号的文书为空）")
    issued_on: dt.date = Field(description="成文日期")
    verification_code: str = Field(description="验证码（印在文书上，公众可在 /verify/ 核验）")
    template_version: str
    current: bool = Field(description="现行版本（未被更正后的文书取代）")
    replaces_id: int | None = Field(description="本文书更正并取代的文书")
    replaced_by_id: int | None
    files: list[FileOut]
    ledger_seq: int | None = Field(description="制作事件的账本序号")
    created_by: UserRef
    created_at: dt.datetime


class SlotOut(Schema):
    stage: str = Field(description="办案阶段：立案、调查取证、告知与听证……")
    doc_type: str
    name: str
    label: str = Field(description="文书所依据的记录，如某次询问")
    obj_id: int | None = Field(
        description="制作时传入的 obj（记录编号）；文书依据案件本身时为 null"
    )
    document_id: int | None = Field(description="已制作的现行文书")
    versions: int
    may_generate: bool = Field(description="当前用户现在能否制作（或重新制作）")
    reasons: list[str] = Field(description="不能制作的原因（中文）")
    waiting: str = Field(description="尚无可据以制作的记录时的说明")


class GenerateIn(Body):
    doc_type: Text(40, min_length=1) = Field(  # type: ignore[valid-type]
        description="文书种类代码，见 GET /cases/{case_id}/documents/slots"
    )
    obj: Id | None = Field(
        None, description="所依据的记录（slots 中的 obj_id）；本案只有一份该类文书时可省略"
    )


class DocsQuery(PageQuery):
    current: bool = Field(False, description="只列现行版本（不含被取代的）")


# --- conversion -------------------------------------------------------------------------------


def _replaced_by(d: GeneratedDocument) -> int | None:
    try:
        return d.replaced_by.pk
    except GeneratedDocument.DoesNotExist:
        return None


def _document(d: GeneratedDocument) -> dict:
    url = f"/api/v1/documents/{d.pk}/files/"
    files = [{"kind": "pdf", "sha256": d.pdf_sha256, "sm3": d.pdf_sm3, "size": d.pdf_size}]
    if d.docx:
        files.append(
            {"kind": "docx", "sha256": d.docx_sha256, "sm3": d.docx_sm3, "size": d.docx_size or 0}
        )
    scan = d.final_scan if hasattr(d, "final_scan") else None
    if scan is not None:
        files.append({"kind": "scan", "sha256": scan.sha256, "sm3": scan.sm3, "size": scan.size})
    replaced_by = _replaced_by(d)
    return {
        "id": d.pk,
        "case_id": int(d.subject_id)
        if (d.subject_type.app_label, d.subject_type.model) == ("cases", "case")
        and d.subject_id.isdigit()
        else None,
        "doc_type": d.doc_type,
        "doc_name": d.doc_name,
        "title": d.title,
        "number": d.number,
        "issued_on": d.issued_on,
        "verification_code": d.grouped_code,
        "template_version": d.template_version,
        "current": replaced_by is None,
        "replaces_id": d.replaces_id,
        "replaced_by_id": replaced_by,
        "files": [{**f, "url": url + f["kind"]} for f in files],
        "ledger_seq": d.ledger_seq,
        "created_by": user_ref(d.created_by),
        "created_at": d.created_at,
    }


def _case(request, case_id: int):
    """The case, if the user may see it (the case page's rule) and read its documents (the
    rule of the page's 文书 panel)."""
    from sanxiang.cases.views.common import case_for

    case = case_for(request, case_id)
    need(request, "records.view_generateddocument", "查看执法文书")
    return case


def _document_or_404(request, pk: int) -> GeneratedDocument:
    need(request, "records.view_generateddocument", "查看执法文书")
    try:
        document = records_selectors.document_detail(pk)
    except GeneratedDocument.DoesNotExist:
        raise Http404("文书不存在") from None
    same_agency(request.user, document.agency_id, "该文书")
    return document


def _with_subject_type(documents):
    from django.contrib.contenttypes.models import ContentType

    for d in documents:
        d.subject_type = ContentType.objects.get_for_id(d.subject_type_id)  # cached per type
    return documents


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/documents",
    response=responses({200: Page[DocumentOut]}, 404),
    operation_id="case_documents",
    summary="案件的执法文书",
)
def case_documents(request, case_id: Id, q: Query[DocsQuery]):
    """本案已制作的全部文书（含被更正取代的版本，按制作时间从早到晚），每份文书的文件及其
    SHA-256、SM3。"""
    case = _case(request, case_id)
    documents = casedocs_selectors.case_documents(case)
    if q.current:
        documents = [d for d in documents if _replaced_by(d) is None]
    return paginate(
        request, documents, q, lambda page: [_document(d) for d in _with_subject_type(page)]
    )


@router.get(
    "/cases/{case_id}/documents/slots",
    response=responses({200: Page[SlotOut]}, 404),
    operation_id="case_document_slots",
    summary="本案可制作的文书",
)
def case_document_slots(request, case_id: Id, q: Query[PageQuery]):
    """案件页面“文书”栏目的内容：本案按办案阶段应制作的每一份文书、所依据的记录、已制作的
    现行文书，以及当前用户现在能否制作及原因。"""
    case = _case(request, case_id)
    rows = [
        {
            "stage": group.stage,
            "doc_type": r.doc_type,
            "name": r.name,
            "label": r.label,
            "obj_id": r.obj_id,
            "document_id": r.document.pk if r.document is not None else None,
            "versions": r.versions,
            "may_generate": r.may_generate,
            "reasons": list(r.reasons),
            "waiting": r.waiting,
        }
        for group in casedocs_selectors.case_document_rows(case, user=request.user)
        for r in group.rows
    ]
    return paginate(request, rows, q)


@router.post(
    "/cases/{case_id}/documents",
    response=responses({201: DocumentOut}, 400, 404, 409),
    operation_id="case_document_generate",
    summary="制作（或重新制作）文书",
)
def case_document_generate(request, case_id: Id, payload: GenerateIn):
    """从案件数据填制并出具一份文书（渲染 PDF/DOCX，存储其 SHA-256 与 SM3 并记入账本）。文号沿用
    案件已分配的文号；尚未上传签章扫描件的文书可重新制作（取代原版本，文号不变）。只有本案办案
    人员可以制作（403 并说明原因）；案卷已封存或已上传扫描件时返回 409，`doc_type`、`obj` 不对
    时返回 422。"""
    case = _case(request, case_id)
    builder = builders.get(payload.doc_type)
    obj = None
    if payload.obj is not None:
        objects = builder.objects(builders.CaseData(case))
        obj = next((o for o in objects if getattr(o, "pk", None) == payload.obj), None)
        if obj is None:
            raise DomainError("所选记录不属于本案或尚不能制作该文书", field="obj")
    document = casedocs_services.case_document_generate(
        actor=request.user, case=case, doc_type=payload.doc_type, obj=obj
    )
    fresh = records_selectors.document_detail(document.pk)
    return Status(201, _document(_with_subject_type([fresh])[0]))


@router.get(
    "/documents/{document_id}",
    response=responses({200: DocumentOut}, 404),
    operation_id="document",
    summary="执法文书",
)
def document(request, document_id: Id):
    document = _document_or_404(request, document_id)
    return _document(_with_subject_type([document])[0])


@router.get(
    "/documents/{document_id}/files/{kind}",
    response=responses({200: bytes}, 404),
    operation_id="document_file",
    summary="下载文书文件（记入账本）",
    openapi_extra={
        "responses": {200: {"description": "文件内容", "content": CONTENT_TYPES}},
    },
)
def document_file(request, document_id: Id, kind: Literal[FILE_KINDS]):  # type: ignore[valid-type]
    """下载文书的 PDF、DOCX 或签章扫描件。每次下载在发出文件之前记入账本
    （`security.document_downloaded`：谁、何时、哪份文书的哪个文件），与页面下载相同。
    该文书没有此文件（如尚无扫描件）时返回 404。"""
    document = _document_or_404(request, document_id)
    try:
        handle, name, content_type = records_services.document_download(
            actor=request.user, document=document, kind=kind
        )
    except DomainError:
        raise Http404("该文书没有此文件") from None
    inline = content_type == "application/pdf" or content_type.startswith("image/")
    return FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
