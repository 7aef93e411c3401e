"""Reads of the archive: the file list, one file with its volumes, who may open what, the
access log (from the ledger), borrowings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Borrowing, BorrowStatus, CaseFile, FileItem, FileStatus, Volume

ACCESS_TYPES = (
    "security.archive_viewed",
    "security.archive_item_downloaded",
    "security.archive_denied",
    "security.exported",
    "archive.assembled",
    "archive.item_classified",
    "archive.retention_set",
    "archive.sealed",
    "archive.borrow_requested",
    "archive.borrow_decided",
    "archive.borrow_returned",
)


def _agency_q(agency, field: str = "agency") -> Q:
    return Q(**{field: agency}) if agency is not None else Q()


def closed_unfiled(*, agency=None) -> QuerySet:
    """Closed cases without a case file yet (待组卷)."""
    from sanxiang.cases.models import Case

    return (
        Case.objects.filter(_agency_q(agency), state="closed", case_file__isnull=True)
        .select_related("agency")
        .order_by("-closed_on", "-pk")
    )


def casefile_list(*, agency=None, status: str = "") -> QuerySet[CaseFile]:
    qs = CaseFile.objects.filter(_agency_q(agency)).select_related(
        "case", "assembled_by", "sealed_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-sealed_at", "-assembled_at", "-pk")


def casefile_of(case) -> CaseFile | None:
    return (
        CaseFile.objects.filter(case=case)
        .select_related("case", "agency", "assembled_by", "sealed_by")
        .first()
    )


def volumes(case_file: CaseFile) -> dict[str, list[FileItem]]:
    out: dict[str, list[FileItem]] = {Volume.MAIN: [], Volume.RESTRICTED: []}
    for item in case_file.items.select_related("document").order_by("volume", "position"):
        out[item.volume].append(item)
    return out


def active_borrowing(case_file: CaseFile, user, *, on: dt.date | None = None) -> Borrowing | None:
    on = on or timezone.localdate()
    return (
        Borrowing.objects.filter(
            case_file=case_file, borrower=user, status=BorrowStatus.APPROVED, due_on__gte=on
        )
        .order_by("-decided_at")
        .first()
    )


@dataclass(frozen=True)
class Access:
    main: bool
    restricted: bool
    reason: str  # why not (Chinese), for the page and the denial event


def access(case_file: CaseFile, user) -> Access:
    """Who may open the file's items. 副卷: only the 档案管理员 and a borrower whose approved
    borrowing includes it (国办发〔2018〕118号: 涉密、商业秘密、个人隐私材料另行归档, separate access).
    A sealed 正卷: the 档案管理员 and approved borrowers. An unsealed 正卷: the case team and
    the 档案管理员 (it is still being put together)."""
    if not user.has_perm("archive.view_casefile"):
        return Access(False, False, "您没有查阅案卷的权限")
    unit = getattr(user, "unit", None)
    if unit is not None and unit.agency_id != case_file.agency_id:
        return Access(False, False, "该案卷不属于您所在的执法主体")
    archivist = user.has_perm("archive.view_restricted")
    if archivist:
        return Access(True, True, "")
    borrowing = active_borrowing(case_file, user)
    if case_file.status == FileStatus.SEALED:
        if borrowing is None:
            return Access(False, False, "案卷已封存：查阅卷内文件须经档案管理员批准借阅")
        return Access(
            True,
            borrowing.include_restricted,
            "" if borrowing.include_restricted else "副卷须经批准借阅",
        )
    from sanxiang.cases.selectors import is_on_team

    if is_on_team(case=case_file.case, user=user):
        return Access(True, False, "副卷仅档案管理员可查阅")
    return Access(False, False, "案卷尚未封存：仅本案办案人员和档案管理员可查阅")


@dataclass(frozen=True)
class AccessRow:
    seq: int
    at: dt.datetime
    label: str
    actor: object
    details: str


def access_log(case_file: CaseFile) -> list[AccessRow]:
    """Every access to and change of the file, from the ledger (tamper-evident)."""
    from sanxiang.ledger.labels import event_label
    from sanxiang.ledger.selectors import events_of_subject

    rows = []
    for event in events_of_subject(case_file.case).filter(type__in=ACCESS_TYPES):
        data = json.loads(event.payload).get("data") or {}
        if event.type == "security.exported" and data.get("case_file") != case_file.pk:
            continue
        bits = []
        for key, label in (
            ("item_title", "文件"),
            ("what", "内容"),
            ("purpose", "目的"),
            ("reason", "理由"),
            ("archive_no", "档号"),
            ("due_on", "期限"),
            ("ip", "IP"),
        ):
            if data.get(key) not in (None, ""):
                bits.append(f"{label}：{data[key]}")
        if data.get("result") == "denied":
            bits.append("结果：拒绝")
        rows.append(
            AccessRow(
                seq=event.seq,
                at=event.at,
                label=event_label(event.type),
                actor=event.actor,
                details="；".join(bits),
            )
        )
    return rows


def borrowings_pending(*, agency=None) -> QuerySet[Borrowing]:
    return (
        Borrowing.objects.filter(
            _agency_q(agency, "case_file__agency"), status=BorrowStatus.REQUESTED
        )
        .select_related("case_file", "borrower")
        .order_by("requested_at")
    )


def borrowings_out(*, agency=None) -> QuerySet[Borrowing]:
    return (
        Borrowing.objects.filter(
            _agency_q(agency, "case_file__agency"), status=BorrowStatus.APPROVED
        )
        .select_related("case_file", "borrower", "decided_by")
        .order_by("due_on")
    )


def borrowings_of(user) -> QuerySet[Borrowing]:
    return (
        Borrowing.objects.filter(borrower=user)
        .select_related("case_file", "decided_by")
        .order_by("-requested_at")
    )


def borrowings_for(case_file: CaseFile) -> QuerySet[Borrowing]:
    return case_file.borrowings.select_related("borrower", "decided_by", "returned_to").order_by(
        "-requested_at"
    )
