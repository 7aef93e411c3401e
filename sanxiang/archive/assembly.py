"""Assembling a case file (组卷): which files go in, in which order, on which pages.

Reads only. ``plan(case)`` returns the items of the main volume and the 副卷 in binding order
(rules.SECTIONS), each with the file the archive keeps — the signed and sealed scan where it was
uploaded (the final version, docs/documents.md), else the generated PDF; evidence files as
uploaded — its hashes, the ledger entry that recorded them and its page count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils import timezone

from sanxiang.records import documents
from sanxiang.records.casedocs.selectors import case_documents
from sanxiang.records.models import GeneratedDocument

from . import rules

# Files larger than this are not read to count pages (a huge scan counts as its size unknown).
MAX_COUNT_BYTES = 512 * 1024 * 1024


@dataclass
class PlanItem:
    key: str  # "doc:<pk>" or "ev:<pk>": what carries a classification across re-assembly
    kind: str  # document / evidence
    section: str
    title: str
    number: str
    author: str
    date: dt.date
    file_role: str  # pdf / scan / evidence
    file_name: str
    content_type: str
    sha256: str
    sm3: str
    size: int
    ledger_seq: int | None
    pages: int
    remarks: str = ""
    document: GeneratedDocument | None = None
    evidence_id: int | None = None
    classification: str = ""
    classification_reason: str = ""
    sort: tuple = field(default=())


def _pages(name: str, content_type: str, size: int) -> int:
    if size > MAX_COUNT_BYTES:
        return 0
    if not (content_type == "application/pdf" or content_type.startswith("image/")):
        return 0
    with default_storage.open(name, "rb") as handle:
        return rules.page_count(handle.read(), content_type)


def _is_current(doc: GeneratedDocument) -> bool:
    try:
        doc.replaced_by  # noqa: B018
    except GeneratedDocument.DoesNotExist:
        return True
    return False


def _author(doc: GeneratedDocument) -> str:
    try:
        spec = documents.get(doc.doc_type)
        sealed = spec.sealed
    except Exception:  # noqa: BLE001 - a type no longer registered
        sealed = True
    if sealed:
        return doc.agency.name
    unit = getattr(doc.created_by, "unit", None)
    return unit.name if unit is not None else doc.agency.name


_RECEIPT = re.compile(r"^送达回证：《([^》]+)》")


def index_title(doc: GeneratedDocument, case_title: str) -> str:
    """The title as the 卷内目录 lists it: without the case name the file's title already says
    (陵川县某公司违法延长劳动者工作时间案立案审批表 → 立案审批表); a receipt names what it served."""
    receipt = _RECEIPT.match(doc.title)
    if receipt:
        return f"送达回证（{receipt.group(1)}）"
    short = doc.title.removeprefix(case_title)
    return short or doc.title


def _document_item(doc: GeneratedDocument, case_title: str = "") -> PlanItem:
    scan = getattr(doc, "final_scan", None) if hasattr(doc, "final_scan") else None
    if scan is not None:
        role, name, ctype = "scan", scan.file.name, scan.content_type
        sha, sm3, size, seq = scan.sha256, scan.sm3, scan.size, scan.ledger_seq
        remarks = ""
    else:
        role, name, ctype = "pdf", doc.pdf.name, "application/pdf"
        sha, sm3, size, seq = doc.pdf_sha256, doc.pdf_sm3, doc.pdf_size, doc.ledger_seq
        remarks = "未上传扫描件"
    return PlanItem(
        key=f"doc:{doc.pk}",
        kind="document",
        section=rules.DOC_SECTIONS.get(doc.doc_type, "other"),
        title=index_title(doc, case_title),
        number=doc.number,
        author=_author(doc),
        date=doc.issued_on,
        file_role=role,
        file_name=name,
        content_type=ctype,
        sha256=sha,
        sm3=sm3,
        size=size,
        ledger_seq=seq,
        pages=_pages(name, ctype, size),
        remarks=remarks,
        document=doc,
    )


def _evidence_items(rows) -> list[PlanItem]:
    items = []
    for ev in rows:
        kind_label = ev.get_kind_display()
        av = ev.kind in ("audio", "video")
        items.append(
            PlanItem(
                key=f"ev:{ev.pk}",
                kind="evidence",
                section="evidence",
                title=f"{kind_label}：{ev.description}"[:200],
                number=ev.number,
                author=getattr(ev.recorded_by, "real_name", "") or str(ev.recorded_by),
                date=timezone.localtime(ev.started_at).date(),
                file_role="evidence",
                file_name=ev.storage_name,
                content_type=ev.content_type,
                sha256=ev.sha256,
                sm3=ev.sm3,
                size=ev.size,
                ledger_seq=ev.ledger_seq,
                pages=0 if av else max(1, _pages(ev.storage_name, ev.content_type, ev.size)),
                remarks=("音像资料，电子文件随卷保存" if av else "电子文件"),
                evidence_id=ev.pk,
            )
        )
    return items


_SERVED = re.compile(r"（([^（）]+)）")


def plan(case) -> list[PlanItem]:
    """The case's files in binding order (without cover, index and note sheet)."""
    docs = [
        d
        for d in case_documents(case)
        if _is_current(d) and d.doc_type not in rules.ARCHIVE_DOC_TYPES
    ]
    from sanxiang.records.casedocs.builders import CaseData

    try:
        case_title = CaseData(case).title
    except Exception:  # noqa: BLE001 - a case without a party: titles stay as they are
        case_title = ""
    from sanxiang.records.evidence.selectors import linked_materials
    from sanxiang.records.models import Evidence

    evidence = list(
        Evidence.objects.filter(case=case)
        .select_related("recorded_by")
        .order_by("started_at", "pk")
    )
    # The on-site record and evidence of the random-inspection task whose result was 立案 are
    # material of this case (若干规定 第十八条: 检查中发现的违法行为; DOMAIN.md §7.2): they are
    # bound with it, under 证据材料, with the hashes they were recorded with.
    for linked in linked_materials(case):
        docs += [
            d
            for d in linked.documents
            if _is_current(d) and d.doc_type not in rules.ARCHIVE_DOC_TYPES
        ]
        evidence += linked.evidence
    receipts = [d for d in docs if d.doc_type == "service_receipt"]
    others = [d for d in docs if d.doc_type != "service_receipt"]
    items = [_document_item(d, case_title) for d in others] + _evidence_items(evidence)
    for item in items:
        item.sort = (rules.SECTION_RANK[item.section], item.date, item.key)
    by_number = {i.number: i for i in items if i.number}
    for r in receipts:
        item = _document_item(r, case_title)
        # 送达回证 follows the document it proves was served (DOMAIN.md §7.2).
        served = next((by_number[n] for n in _SERVED.findall(r.title) if n in by_number), None)
        if served is not None:
            item.section = served.section
            item.sort = (*served.sort, 1, r.issued_on, item.key)
        else:
            item.section = "party"
            item.sort = (rules.SECTION_RANK["party"], item.date, item.key)
        items.append(item)
    for item in items:
        if len(item.sort) == 3:
            item.sort = (*item.sort, 0, item.date, "")
    items.sort(key=lambda i: i.sort)
    return items
