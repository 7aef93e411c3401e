"""Writes of the archive: assembling a case file, classifying items into the 副卷, setting the
retention period, sealing, borrowing. Each service checks permission and input (Chinese
DomainError, nothing written) and records its ledger event in the same transaction
(ARCHITECTURE.md §3). A sealed file is read-only (ARCHITECTURE.md invariant 9)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.accounts.guards import require as _require
from sanxiang.lib import canonical
from sanxiang.lib.errors import Blocked, DomainError

from . import assembly, completeness, config, rules
from .models import (
    Borrowing,
    BorrowStatus,
    CaseFile,
    Classification,
    FileItem,
    FileStatus,
    ItemKind,
    Volume,
)


def _locked_file(case_file: CaseFile) -> CaseFile:
    row = (
        CaseFile.objects.select_for_update(of=("self",))
        .select_related("case", "agency")
        .get(pk=case_file.pk)
    )
    if row.is_sealed:
        raise DomainError(f"案卷已封存（档号 {row.archive_no}），不能修改", code="read_only")
    return row


def _name(user) -> str:
    return (getattr(user, "real_name", "") or user.get_username()) if user else ""


# --- assembling (组卷) ---------------------------------------------------------------------


def _write_items(case_file: CaseFile, planned: list[assembly.PlanItem]) -> None:
    """Replace the file's items by ``planned``: each volume in binding order, paged."""
    FileItem.objects.filter(case_file=case_file).delete()
    counts = {}
    for volume in (Volume.MAIN, Volume.RESTRICTED):
        chosen = [
            p for p in planned if (Volume.RESTRICTED if p.classification else Volume.MAIN) == volume
        ]
        numbered = rules.number_pages([(p.section, p.pages) for p in chosen])
        rows = []
        for position, (p, n) in enumerate(zip(chosen, numbered, strict=True), start=1):
            rows.append(
                FileItem(
                    case_file=case_file,
                    volume=volume,
                    section=p.section,
                    position=position,
                    kind=p.kind,
                    document=p.document,
                    evidence_id=p.evidence_id,
                    title=p.title[:200],
                    number=p.number,
                    author=p.author[:100],
                    date=p.date,
                    file_role=p.file_role,
                    file_name=p.file_name,
                    content_type=p.content_type,
                    sha256=p.sha256,
                    sm3=p.sm3,
                    size=p.size,
                    ledger_seq=p.ledger_seq,
                    pages=p.pages,
                    first_page=n.first,
                    last_page=n.last,
                    classification=p.classification,
                    classification_reason=p.classification_reason,
                    remarks=p.remarks[:200],
                )
            )
        FileItem.objects.bulk_create(rows)
        counts[volume] = (len(rows), sum(r.pages for r in rows))
    case_file.documents, case_file.pages = counts[Volume.MAIN]
    case_file.restricted_documents, case_file.restricted_pages = counts[Volume.RESTRICTED]


def _plan_with_classes(case_file: CaseFile | None, case) -> list[assembly.PlanItem]:
    planned = assembly.plan(case)
    if case_file is not None:
        kept = {
            (f"doc:{i.document_id}" if i.document_id else f"ev:{i.evidence_id}"): (
                i.classification,
                i.classification_reason,
            )
            for i in case_file.items.exclude(kind=ItemKind.ARCHIVE).exclude(classification="")
        }
        for p in planned:
            if p.key in kept:
                p.classification, p.classification_reason = kept[p.key]
    return planned


@transaction.atomic
def casefile_assemble(*, actor, case) -> CaseFile:
    """立卷: put the closed case's documents, scans and evidence into one file in the standard
    order (rules.SECTIONS) with page numbers. Again after a change (a scan uploaded, a document
    corrected) until the file is sealed; classifications into the 副卷 are kept."""
    from sanxiang.cases.choices import State
    from sanxiang.cases.models import Case

    case = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    _require(actor, "archive.assemble_casefile", "组卷", agency=case.agency)
    if case.state != State.CLOSED:
        raise DomainError("案件尚未结案，结案后方可组卷归档")
    from sanxiang.records.casedocs.builders import CaseData

    title = CaseData(case).title
    existing = CaseFile.objects.filter(case=case).first()
    if existing is not None:
        case_file = _locked_file(existing)
    else:
        retention = rules.retention_for(
            procedure=case.procedure, major=case.is_major, policy=config.retention_policy()
        )
        case_file = CaseFile(case=case, agency=case.agency, retention=retention)
    planned = _plan_with_classes(existing, case)
    if not planned:
        raise DomainError("本案尚无文书或证据，无法组卷：请先在案件页面生成执法文书")
    case_file.title = title[:200]
    case_file.assembled_at = timezone.now()
    case_file.assembled_by = actor
    case_file.save()
    _write_items(case_file, planned)
    case_file.save()
    ledger.record(
        actor=actor,
        subject=case,
        type="archive.assembled",
        data={
            "case_file": case_file.pk,
            "documents": case_file.documents,
            "pages": case_file.pages,
            "restricted_documents": case_file.restricted_documents,
            "retention": case_file.retention,
        },
    )
    return case_file


@transaction.atomic
def item_classify(*, actor, item: FileItem, classification: str, reason: str = "") -> FileItem:
    """Put an item in the restricted 副卷 (工作秘密、商业秘密、个人隐私 — 国办发〔2018〕118号:
    涉及国家秘密、商业秘密、个人隐私的执法信息按规定归档; 行政处罚法 第五十条) or back into the
    正卷. Only the 档案管理员, before sealing; pages are renumbered."""
    case_file = _locked_file(item.case_file)
    _require(actor, "archive.seal_casefile", "划定卷内文件密级", agency=case_file.agency)
    item = FileItem.objects.get(pk=item.pk, case_file=case_file)
    if item.kind == ItemKind.ARCHIVE:
        raise DomainError("封面、目录和备考表不能划入副卷")
    if classification not in Classification.values:
        raise DomainError("密级只能是工作秘密、商业秘密、个人隐私或不涉密", field="classification")
    reason = (reason or "").strip()
    if classification and not reason:
        raise DomainError("划入副卷须填写理由", field="reason")
    planned = _plan_with_classes(case_file, case_file.case)
    key = f"doc:{item.document_id}" if item.document_id else f"ev:{item.evidence_id}"
    target = next((p for p in planned if p.key == key), None)
    if target is None:
        raise DomainError("该文件已不在案卷中：请重新组卷")
    before = item.classification
    target.classification = classification
    target.classification_reason = reason[:200] if classification else ""
    _write_items(case_file, planned)
    case_file.save()
    ledger.record(
        actor=actor,
        subject=case_file.case,
        type="archive.item_classified",
        data={
            "case_file": case_file.pk,
            "item": key,
            "title": item.title,
            "before": before,
            "after": classification,
            "reason": reason,
        },
    )
    return FileItem.objects.get(case_file=case_file, **_item_lookup(key))


def _item_lookup(key: str) -> dict:
    kind, pk = key.split(":")
    return {"document_id": int(pk)} if kind == "doc" else {"evidence_id": int(pk)}


@transaction.atomic
def casefile_set_retention(*, actor, case_file: CaseFile, retention: str, reason: str) -> CaseFile:
    """Change the retention period from the policy's default (a reason is required: 档案法实施
    条例 第十九条, the schedule is the agency's approved one)."""
    case_file = _locked_file(case_file)
    _require(actor, "archive.seal_casefile", "调整保管期限", agency=case_file.agency)
    if retention not in rules.RETENTION_LABELS:
        raise DomainError("保管期限只能是永久、30年或10年", field="retention")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写调整保管期限的理由", field="reason")
    before = case_file.retention
    case_file.retention, case_file.retention_reason = retention, reason[:200]
    case_file.save(update_fields=["retention", "retention_reason"])
    ledger.record(
        actor=actor,
        subject=case_file.case,
        type="archive.retention_set",
        data={"case_file": case_file.pk, "before": before, "after": retention, "reason": reason},
    )
    return case_file


# --- the cover, the index, the note sheet -----------------------------------------------------


def _volume_items(case_file: CaseFile, volume: str) -> list[FileItem]:
    return list(
        case_file.items.filter(volume=volume).exclude(kind=ItemKind.ARCHIVE).order_by("position")
    )


def _volume_title(case_file: CaseFile, volume: str) -> str:
    return case_file.title + ("（副卷）" if volume == Volume.RESTRICTED else "")


def index_context(case_file: CaseFile, *, volume: str = Volume.MAIN):
    """卷内目录 of one volume, from its assembled items (DA/T 22-2015 columns)."""
    from sanxiang.records.documents.types.file_index import FileIndex, IndexEntry

    items = _volume_items(case_file, volume)
    decision = getattr(case_file.case, "decision", None) if _has_decision(case_file.case) else None
    return FileIndex(
        agency_name=case_file.agency.name,
        case_title=_volume_title(case_file, volume),
        archive_no=case_file.archive_no,
        case_number=(decision.number or "") if decision else case_file.case.case_no,
        entries=[
            IndexEntry(
                title=i.title,
                author=i.author,
                date=i.date,
                pages=i.page_range or "—",
                number=i.number,
                remarks=_index_remark(i),
            )
            for i in items
        ],
        filed_by=_name(case_file.assembled_by),
        checked_by=_name(case_file.sealed_by),
        filed_on=timezone.localdate(case_file.sealed_at or case_file.assembled_at),
    )


def _index_remark(item: FileItem) -> str:
    if item.kind == ItemKind.EVIDENCE and item.pages == 0:
        return "音像"
    if item.kind == ItemKind.DOCUMENT and item.file_role != "scan":
        return "电子件"
    return ""


def _has_decision(case) -> bool:
    try:
        case.decision  # noqa: B018
    except Exception:  # noqa: BLE001
        return False
    return True


def _cover_context(case_file: CaseFile, volume: str):
    from sanxiang.records.documents.types.archive_cover import ArchiveCover

    case = case_file.case
    decision = case.decision if _has_decision(case) else None
    items = _volume_items(case_file, volume)
    return ArchiveCover(
        agency_name=case_file.agency.name,
        case_title=case_file.title,
        case_number=case.case_no or case.registration_no,
        decision_number=(decision.number or "") if decision else "",
        volume="restricted" if volume == Volume.RESTRICTED else "main",
        filed_on=case.filed_on or case.received_on,
        closed_on=case.closed_on,
        retention=rules.RETENTION_LABELS[case_file.retention],
        documents=len(items),
        pages=sum(i.pages for i in items),
        archive_no=case_file.archive_no,
        filed_by=_name(case_file.assembled_by),
        checked_by=_name(case_file.sealed_by),
        sealed_on=timezone.localdate(case_file.sealed_at),
    )


def _note_context(case_file: CaseFile, volume: str):
    from sanxiang.records.documents.types.archive_note import ArchiveNote

    items = _volume_items(case_file, volume)
    label = "副卷" if volume == Volume.RESTRICTED else "正卷"
    av = [i for i in items if i.kind == ItemKind.EVIDENCE and i.pages == 0]
    unscanned = [i for i in items if i.kind == ItemKind.DOCUMENT and i.file_role != "scan"]
    statements = [
        f"本卷（{label}）共有文件{len(items)}件，共{sum(i.pages for i in items)}页。",
        "卷内每份文件的 SHA-256 与 SM3 哈希已记入执法记录账本，封存时另记封存清单哈希；"
        "导出的案卷电子包可用 sanxiang-verify 离线核验。",
    ]
    if av:
        statements.append(f"音像资料{len(av)}件，以电子文件随卷保存，不计页数。")
    if unscanned:
        statements.append(f"{len(unscanned)}件文书以系统生成的电子文件归档（无签章扫描件）。")
    if volume == Volume.MAIN and case_file.restricted_documents:
        statements.append(
            f"另有副卷{case_file.restricted_documents}件（涉及工作秘密、商业秘密或个人隐私），"
            "另行保管，凭档案管理员批准的借阅查阅。"
        )
    if volume == Volume.RESTRICTED:
        for i in items:
            statements.append(
                f"《{i.title}》：{Classification(i.classification).label}（{i.classification_reason}）。"
            )
    return ArchiveNote(
        agency_name=case_file.agency.name,
        case_title=_volume_title(case_file, volume),
        archive_no=case_file.archive_no,
        statements=statements,
        filed_by=_name(case_file.assembled_by),
        checked_by=_name(case_file.sealed_by),
        sealed_on=timezone.localdate(case_file.sealed_at),
    )


def _issue(actor, case_file: CaseFile, doc_type: str, context):
    """Issue a cover/index/note, replacing an earlier unsealed version of the same volume."""
    from sanxiang.records.casedocs.selectors import case_documents
    from sanxiang.records.documents import get as get_type
    from sanxiang.records.services import document_generate

    title = get_type(doc_type).title(context)[:200]
    earlier = next(
        (
            d
            for d in reversed(case_documents(case_file.case))
            if d.doc_type == doc_type
            and d.title == title
            and not hasattr(d, "final_scan")
            and not _replaced(d)
        ),
        None,
    )
    return document_generate(
        actor=actor,
        doc_type=doc_type,
        subject=case_file.case,
        context=context,
        agency=case_file.agency,
        replaces=earlier,
    )


def _replaced(doc) -> bool:
    try:
        doc.replaced_by  # noqa: B018
    except type(doc).DoesNotExist:
        return False
    return True


def _archive_item(case_file, volume, section, position, doc) -> FileItem:
    return FileItem(
        case_file=case_file,
        volume=volume,
        section=section,
        position=position,
        kind=ItemKind.ARCHIVE,
        document=doc,
        title=doc.title,
        number=doc.number,
        author=case_file.agency.name,
        date=doc.issued_on,
        file_role="pdf",
        file_name=doc.pdf.name,
        content_type="application/pdf",
        sha256=doc.pdf_sha256,
        sm3=doc.pdf_sm3,
        size=doc.pdf_size,
        ledger_seq=doc.ledger_seq,
        pages=_pdf_pages(doc),
    )


def _pdf_pages(doc) -> int:
    with doc.pdf.open("rb") as handle:
        return rules.pdf_page_count(handle.read())


# --- sealing (封存) ------------------------------------------------------------------------


def seal_manifest(case_file: CaseFile) -> dict:
    """What sealing fixes: every item of both volumes with its hashes and pages (its SHA-256
    over canonical JSON is recorded in the ``archive.sealed`` event)."""
    return {
        "archive_no": case_file.archive_no,
        "case": case_file.case_id,
        "retention": case_file.retention,
        "title": case_file.title,
        "items": [
            {
                "volume": i.volume,
                "position": i.position,
                "section": i.section,
                "title": i.title,
                "file_role": i.file_role,
                "sha256": i.sha256,
                "sm3": i.sm3,
                "size": i.size,
                "pages": i.pages,
                "first_page": i.first_page,
                "ledger_seq": i.ledger_seq,
                "classification": i.classification,
            }
            for i in case_file.items.order_by("volume", "position")
        ],
    }


@transaction.atomic
def casefile_seal(*, actor, case_file: CaseFile) -> CaseFile:
    """检查并封存: the 档案管理员 checks completeness (blocking problems stop it), the file is
    assembled afresh, given its archive number (year + sequence, from the numbering service:
    gap-free per agency and year), its cover, index and note sheet are issued, and a manifest of
    every item's hashes is recorded in the ledger. From then on the file and its case's
    documents are read-only (archive.hooks.sealed_lock); it can be lent and exported."""
    case_file = _locked_file(case_file)
    _require(actor, "archive.seal_casefile", "封存案卷", agency=case_file.agency)
    case = case_file.case
    problems = completeness.blocking(completeness.check(case))
    if problems:
        raise Blocked(["案卷不完整，不能封存"] + problems)
    planned = _plan_with_classes(case_file, case)
    _write_items(case_file, planned)
    now = timezone.now()
    year = timezone.localdate(now).year
    from sanxiang.cases.numbering import number_next

    seq, _text = number_next(agency=case_file.agency, doc_type="archive", year=year)
    case_file.archive_year, case_file.archive_seq = year, seq
    case_file.archive_no = rules.archive_number(year, seq)
    case_file.sealed_at, case_file.sealed_by = now, actor
    case_file.save()
    for volume in (Volume.MAIN, Volume.RESTRICTED):
        items = _volume_items(case_file, volume)
        if not items:
            continue
        cover = _issue(actor, case_file, "archive_cover", _cover_context(case_file, volume))
        index = _issue(actor, case_file, "file_index", index_context(case_file, volume=volume))
        note = _issue(actor, case_file, "archive_note", _note_context(case_file, volume))
        # Positions: cover 1, index 2, then the items, then the note sheet (DOMAIN.md §7.2).
        for item in reversed(items):
            item.position += 2
            item.save(update_fields=["position"])
        FileItem.objects.bulk_create(
            [
                _archive_item(case_file, volume, "cover", 1, cover),
                _archive_item(case_file, volume, "index", 2, index),
                _archive_item(case_file, volume, "note", len(items) + 3, note),
            ]
        )
    manifest = seal_manifest(case_file)
    case_file.seal_manifest_sha256 = hashlib.sha256(canonical.canonical_json(manifest)).hexdigest()
    case_file.status = FileStatus.SEALED
    event = ledger.record(
        actor=actor,
        subject=case,
        type="archive.sealed",
        data={
            "case_file": case_file.pk,
            "archive_no": case_file.archive_no,
            "retention": case_file.retention,
            "documents": case_file.documents,
            "pages": case_file.pages,
            "restricted_documents": case_file.restricted_documents,
            "manifest_sha256": case_file.seal_manifest_sha256,
            "items": [
                {"volume": i["volume"], "position": i["position"], "sha256": i["sha256"]}
                for i in manifest["items"]
            ],
        },
    )
    case_file.seal_ledger_seq = event.seq
    case_file.save()
    return case_file


# --- borrowing (借阅) ----------------------------------------------------------------------


@transaction.atomic
def borrowing_request(
    *, actor, case_file: CaseFile, purpose: str, include_restricted: bool = False
) -> Borrowing:
    """Ask to borrow a sealed file (and, if needed, its 副卷)."""
    _require(actor, "archive.add_borrowing", "申请借阅案卷", agency=case_file.agency)
    case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if not case_file.is_sealed:
        raise DomainError("案卷封存后方可借阅；未封存的案卷由办案人员在案件页面查看")
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError("请填写借阅目的", field="purpose")
    if include_restricted and not case_file.restricted_documents:
        include_restricted = False
    if Borrowing.objects.filter(
        case_file=case_file,
        borrower=actor,
        status__in=[BorrowStatus.REQUESTED, BorrowStatus.APPROVED],
    ).exists():
        raise DomainError("您已申请或正在借阅该案卷")
    row = Borrowing.objects.create(
        case_file=case_file,
        borrower=actor,
        purpose=purpose[:200],
        include_restricted=bool(include_restricted),
        requested_at=timezone.now(),
    )
    ledger.record(
        actor=actor,
        subject=case_file.case,
        type="archive.borrow_requested",
        data={
            "borrowing": row.pk,
            "case_file": case_file.pk,
            "archive_no": case_file.archive_no,
            "purpose": row.purpose,
            "include_restricted": row.include_restricted,
        },
    )
    return row


@transaction.atomic
def borrowing_decide(
    *, actor, borrowing: Borrowing, approve: bool, due_on: dt.date | None = None, note: str = ""
) -> Borrowing:
    """The 档案管理员 approves (with a due date) or refuses a borrowing request."""
    row = (
        Borrowing.objects.select_for_update(of=("self",))
        .select_related("case_file__case")
        .get(pk=borrowing.pk)
    )
    _require(actor, "archive.decide_borrowing", "审批借阅", agency=row.case_file.agency)
    if row.status != BorrowStatus.REQUESTED:
        raise DomainError(f"该申请{row.get_status_display()}，不能再审批")
    if row.borrower_id == actor.pk:
        raise DomainError("不能审批本人的借阅申请")
    today = timezone.localdate()
    if approve:
        due_on = due_on or today + dt.timedelta(days=config.borrow_days())
        if due_on < today:
            raise DomainError("借阅期限不能早于今天", field="due_on")
        row.status, row.due_on = BorrowStatus.APPROVED, due_on
    else:
        if not (note or "").strip():
            raise DomainError("不予批准的，请填写理由", field="note")
        row.status = BorrowStatus.REFUSED
    row.decided_by, row.decided_at, row.decision_note = actor, timezone.now(), (note or "")[:200]
    row.save()
    ledger.record(
        actor=actor,
        subject=row.case_file.case,
        type="archive.borrow_decided",
        data={
            "borrowing": row.pk,
            "approved": approve,
            "due_on": row.due_on,
            "include_restricted": row.include_restricted,
            "note": row.decision_note,
        },
    )
    return row


@transaction.atomic
def borrowing_return(*, actor, borrowing: Borrowing) -> Borrowing:
    """The file comes back: the 档案管理员 records the return (access ends)."""
    row = (
        Borrowing.objects.select_for_update(of=("self",))
        .select_related("case_file__case")
        .get(pk=borrowing.pk)
    )
    _require(actor, "archive.decide_borrowing", "登记归还", agency=row.case_file.agency)
    if row.status != BorrowStatus.APPROVED:
        raise DomainError("只有借阅中的案卷可以登记归还")
    row.status, row.returned_at, row.returned_to = BorrowStatus.RETURNED, timezone.now(), actor
    row.save()
    ledger.record(
        actor=actor,
        subject=row.case_file.case,
        type="archive.borrow_returned",
        data={"borrowing": row.pk, "case_file": row.case_file_id},
    )
    return row
