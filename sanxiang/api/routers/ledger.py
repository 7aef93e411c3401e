"""账本 Ledger: the recorded events of one subject — a case, an evidence file, an inspection
plan or task, a publication — for users allowed to see that subject (the rule of the page
that shows its timeline), and the security audit log for the 审计管理员 (the audit page's
filters and permission). Events come from ``ledger.selectors``; nothing here is written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from sanxiang.ledger import selectors
from sanxiang.ledger.forms import AuditFilterForm
from sanxiang.ledger.labels import event_label

from ..errors import ApiError
from ..paging import Page, PageQuery, paginate
from ..schemas import UserRef, user_ref
from ..types import Id, IsoDate, QueryText
from .common import default_agency, need, responses

router = Router(tags=["账本 Ledger"])

SUBJECT_KINDS = ("case", "evidence", "plan", "task", "publication")


class EventOut(Schema):
    seq: int = Field(
        description="账本序号（全局唯一，永不重复）；可据此取包含证明 /transparency/proof/{seq}"
    )
    at: dt.datetime
    type: str = Field(description="事件类型，如 case.filed、document.generated")
    label: str = Field(description="中文名称")
    actor: UserRef | None
    data: dict[str, Any] = Field(description="事件记录的数据（与账本中的记录相同）")


class AuditRow(Schema):
    seq: int
    at: dt.datetime
    type: str
    label: str
    actor: UserRef | None
    username: str
    ip: str
    result: str = Field(description="success / failure / denied")
    result_label: str
    details: str


class AuditQuery(PageQuery):
    start: IsoDate | None = Field(None, description="起始日期（含）")
    end: IsoDate | None = Field(None, description="截止日期（含）")
    user: QueryText = Field("", description="账号或姓名")
    type: QueryText = Field("", description="事件类型，如 security.login_failed")
    result: Literal["", "success", "failure", "denied"] = ""
    ip: QueryText = Field("", description="IP地址（可填前缀）")


def _event(event) -> dict:
    try:
        data = json.loads(event.payload).get("data") or {}
    except (ValueError, AttributeError):
        data = {}
    return {
        "seq": event.seq,
        "at": event.at,
        "type": event.type,
        "label": event_label(event.type),
        "actor": user_ref(event.actor),
        "data": data if isinstance(data, dict) else {"value": data},
    }


# --- who may see which subject: each the rule of the page showing its timeline ------------------


def _case(request, pk: int):
    from sanxiang.cases.views.common import case_for  # the case page's rule

    return case_for(request, pk)


def _evidence(request, pk: int):
    from sanxiang.records.evidence import selectors as evidence_selectors
    from sanxiang.records.evidence import services as evidence_services
    from sanxiang.records.evidence.models import Evidence

    need(request, "records.view_evidence", "查看证据保管链")
    try:
        evidence = evidence_selectors.evidence_detail(pk)
    except Evidence.DoesNotExist:
        raise Http404("证据不存在") from None
    if not evidence_services.may_view(request.user, evidence):
        raise PermissionDenied("您没有查看该证据的权限")
    return evidence


def _plan(request, pk: int):
    from sanxiang.inspections.models import Plan

    need(request, "inspections.view_plan", "查看抽查计划")
    plan = Plan.objects.filter(pk=pk, agency=default_agency(request.user)).first()
    if plan is None:
        raise Http404("没有找到该抽查计划")
    return plan


def _task(request, pk: int):
    from sanxiang.inspections.models import Task

    need(request, "inspections.view_task", "查看检查任务")
    task = Task.objects.filter(pk=pk, plan__agency=default_agency(request.user)).first()
    if task is None:
        raise Http404("没有找到该检查任务")
    return task


def _publication(request, pk: int):
    from sanxiang.publicity.models import Publication

    need(request, "publicity.view_publication", "查看公示")
    publication = Publication.objects.filter(pk=pk).first()
    if publication is None:
        raise Http404("没有找到该公示")
    return publication


SUBJECTS = {
    "case": _case,
    "evidence": _evidence,
    "plan": _plan,
    "task": _task,
    "publication": _publication,
}


@router.get(
    "/subjects/{kind}/{subject_id}/events",
    response=responses({200: Page[EventOut]}, 404, 409),
    operation_id="ledger_subject_events",
    summary="某一对象的账本事件",
)
def subject_events(
    request,
    kind: Literal[SUBJECT_KINDS],  # type: ignore[valid-type]
    subject_id: Id,
    q: Query[PageQuery],
):
    """一个对象的全部账本事件，按账本序号从早到晚：`case` 案件（同案件页面时间线：须有查看案件
    权限且属于本执法主体）、`evidence` 证据（同证据保管链页面）、`plan` 抽查计划、`task` 检查
    任务、`publication` 公示。看不到该对象的用户得到 403，对象不存在为 404。"""
    subject = SUBJECTS[kind](request, subject_id)
    events = selectors.events_of_subject(subject)
    if kind == "evidence" and subject.ledger_seq is not None:
        # Its upload is recorded about the case; the custody log shows it first (same here).
        from sanxiang.ledger.models import Event

        added = Event.objects.filter(seq=subject.ledger_seq).select_related("actor")
        events = list(added) + [e for e in events if e.seq != subject.ledger_seq]
    return paginate(request, events, q, lambda page: [_event(e) for e in page])


@router.get(
    "/audit",
    response=responses({200: Page[AuditRow]}),
    operation_id="ledger_audit",
    summary="审计日志",
)
def audit(request, q: Query[AuditQuery]):
    """安全与账号事件（登录、失败的认证、权限拒绝、导出、角色变更……），新的在前；筛选条件与
    “审计日志”页面相同。只有审计管理员可以查阅（三员分立）。"""
    if not request.user.has_perm("ledger.view_audit_log"):
        raise PermissionDenied("只有审计管理员可以查阅审计日志")
    raw = {
        "start": q.start.isoformat() if q.start else "",
        "end": q.end.isoformat() if q.end else "",
        "user": q.user,
        "type": q.type,
        "result": q.result,
        "ip": q.ip,
    }
    form = AuditFilterForm(raw)
    if not form.is_valid():
        fields = {
            (name if name != "__all__" else "start"): [str(e) for e in errors]
            for name, errors in form.errors.items()
        }
        message = "；".join(m for ms in fields.values() for m in ms)
        raise ApiError(422, f"筛选条件有误：{message}", fields=fields)
    events = selectors.audit_events(form.filters(), tz=timezone.get_current_timezone())

    def rows(page):
        out = []
        for event in page:
            row = selectors.audit_row(event)
            out.append(
                {
                    "seq": row.seq,
                    "at": row.at,
                    "type": row.type,
                    "label": row.label,
                    "actor": user_ref(row.actor),
                    "username": row.username,
                    "ip": row.ip,
                    "result": row.result,
                    "result_label": row.result_label,
                    "details": row.details,
                }
            )
        return out

    return paginate(request, events, q, rows)
