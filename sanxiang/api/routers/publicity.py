"""公示 Publicity: publications (the masked text of each decision, through review to the portal),
approval, withdrawal, and the 双公示 export — over ``sanxiang.publicity``'s services, selectors
and export builders, with the same permissions as its pages. Only masked text leaves here: the
API shows what the 公示管理员 sees on the review page, never the unmasked decision."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field

from sanxiang.ledger.audit import security_event
from sanxiang.lib.errors import DomainError
from sanxiang.publicity import exports, rules, selectors, services
from sanxiang.publicity.models import Publication

from ..paging import Page, PageQuery, paginate
from ..schemas import Choice, UserRef, choice_of, user_ref
from ..types import Body, Id, IsoDate, LongText, Text
from .common import need, responses

router = Router(tags=["公示 Publicity"])

TABS = tuple(key for key, _ in selectors.TABS)
Tab = Literal[TABS]  # type: ignore[valid-type]
Reason = Text(1000, min_length=1)


class PublicationOut(Schema):
    id: int
    case_id: int
    decision_id: int
    decision_number: str = Field(description="决定书文号")
    category: Choice
    state: Choice
    decided_on: dt.date
    due_on: dt.date | None = Field(description="应公开日期（自决定日期起按工作日计算）")
    due_reason: str
    published_at: dt.datetime | None
    period_end: dt.date | None = Field(description="公示截止期")
    withdraw_due: dt.date | None = Field(description="应撤下日期（决定被撤销、变更等之后）")
    ended_at: dt.datetime | None
    end_reason: str


class TextField(Schema):
    key: str
    value: str


class PublicationDetail(PublicationOut):
    drafted_by: UserRef | None
    published_by: UserRef | None
    confidentiality_review: bool = Field(description="公开前需经保密审查")
    withhold_grounds: list[str] = Field(description="不予公开的情形")
    text: list[TextField] = Field(
        description="待审核（或已公开）的公开文本，已脱敏；公开前须由另一名公示管理员审核"
    )
    text_version: int | None
    approval_problems: list[str] = Field(
        description="当前用户不能审核发布的原因（无审核权限时为空）"
    )


def publication_out(p: Publication) -> dict:
    decision = p.decision
    return {
        "id": p.pk,
        "case_id": decision.case_id,
        "decision_id": decision.pk,
        "decision_number": decision.number or "",
        "category": choice_of(p, "category"),
        "state": choice_of(p, "state"),
        "decided_on": p.decided_on,
        "due_on": p.due_on,
        "due_reason": p.due_reason,
        "published_at": p.published_at,
        "period_end": p.period_end,
        "withdraw_due": p.withdraw_due,
        "ended_at": p.ended_at,
        "end_reason": p.end_reason,
    }


def _publication(request, publication_id: int) -> Publication:
    need(request, "publicity.view_publication", "查看公示信息")
    try:
        return selectors.publication_detail(publication_id)
    except Publication.DoesNotExist:
        raise Http404("没有找到该公示信息") from None


def publication_detail(request, p: Publication) -> dict:
    draft = selectors.current_draft(p)
    version = draft
    if version is None:
        version = p.versions.filter(published_at__isnull=False).order_by("-number").first()
    problems: list[str] = []
    if request.user.has_perm("publicity.approve_publication") and draft is not None:
        problems = services.approval_problems(p, request.user, confidentiality_checked=True)
    fields = (version.fields or {}) if version is not None else {}
    return {
        **publication_out(p),
        "drafted_by": user_ref(p.drafted_by),
        "published_by": user_ref(p.published_by),
        "confidentiality_review": p.confidentiality_review,
        "withhold_grounds": list(rules.ground_labels(p.withhold_grounds or [])),
        "text": [{"key": k, "value": str(v)} for k, v in fields.items()],
        "text_version": version.number if version is not None else None,
        "approval_problems": problems,
    }


class PublicationQuery(PageQuery):
    tab: Tab = Field(
        "all",
        description="draft 待审核；withdraw 待撤下；published 已公开；withdrawn 已撤下；"
        "withheld 不予公开；terminated 提前终止；all 全部",
    )


@router.get(
    "/publications",
    response=responses({200: Page[PublicationOut]}),
    operation_id="publication_list",
    summary="公示信息列表",
)
def publication_list(request, q: Query[PublicationQuery]):
    """与“公示信息”页面相同的分栏；待审核按应公开日期排序，其余按决定日期倒序。"""
    need(request, "publicity.view_publication", "查看公示信息")
    rows = selectors.publication_list(tab=q.tab)
    return paginate(request, rows, q, lambda chunk: [publication_out(p) for p in chunk])


@router.get(
    "/publications/{publication_id}",
    response=responses({200: PublicationDetail}, 404),
    operation_id="publication_detail",
    summary="公示信息详情（已脱敏文本）",
)
def publication_read(request, publication_id: Path[Id]):
    return publication_detail(request, _publication(request, publication_id))


class ApproveBody(Body):
    confidentiality_checked: bool = Field(
        False, description="已完成保密审查，公开内容不涉及国家秘密、商业秘密和个人隐私"
    )
    confidentiality_note: LongText = Field("", description="保密审查意见")


@router.post(
    "/publications/{publication_id}/approve",
    response=responses({200: PublicationDetail}, 400, 404, 409),
    operation_id="publication_approve",
    summary="审核发布（或更正）公示信息",
)
def publication_approve(request, publication_id: Path[Id], payload: ApproveBody):
    """公示管理员审核待发布的脱敏文本并发布到公示平台；审核人不能是采集或修改该文本的人。
    不能发布时返回 409 和每一条原因。"""
    need(request, "publicity.approve_publication", "审核发布公示信息")
    p = _publication(request, publication_id)
    services.publication_approve(
        publication=p,
        actor=request.user,
        confidentiality_checked=payload.confidentiality_checked,
        confidentiality_note=payload.confidentiality_note,
    )
    return publication_detail(request, selectors.publication_detail(p.pk))


class WithdrawBody(Body):
    reason: Reason = Field(description="撤下理由（将在公示平台公开说明）")


@router.post(
    "/publications/{publication_id}/withdraw",
    response=responses({200: PublicationDetail}, 400, 404, 409),
    operation_id="publication_withdraw",
    summary="撤下公示信息",
)
def publication_withdraw(request, publication_id: Path[Id], payload: WithdrawBody):
    """撤下已公开的决定信息；公示平台改为显示撤下日期和理由（行政处罚法第四十八条第二款）。"""
    need(request, "publicity.withdraw_publication", "撤下公示信息")
    p = _publication(request, publication_id)
    services.publication_withdraw(publication=p, actor=request.user, reason=payload.reason)
    return publication_detail(request, selectors.publication_detail(p.pk))


class WithholdBody(Body):
    grounds: list[Literal[tuple(rules.WITHHOLD_GROUNDS)]] = Field(  # type: ignore[valid-type]
        min_length=1,
        max_length=len(rules.WITHHOLD_GROUNDS),
        description="不予公开的情形："
        + "；".join(f"{k} {v}" for k, v in rules.WITHHOLD_GROUNDS.items()),
    )
    reason: Reason = Field(description="理由")


def _found(publication_id: int) -> Publication:
    """The publication named (the page's ``get_object_or_404``: no further permission)."""
    try:
        return selectors.publication_detail(publication_id)
    except Publication.DoesNotExist:
        raise Http404("没有找到该公示信息") from None


@router.post(
    "/publications/{publication_id}/withhold",
    response=responses({200: PublicationDetail}, 400, 404, 409),
    operation_id="publication_withhold",
    summary="不予公开",
)
def publication_withhold(request, publication_id: Path[Id], payload: WithholdBody):
    """公示管理员对待审核的决定信息作出不予公开决定（涉及国家秘密、商业秘密、个人隐私等情形），
    写明情形和理由，记入账本；作出人不能是采集或修改该文本的人。不是待审核状态时返回 409。"""
    need(request, "publicity.approve_publication", "作出不予公开决定")
    p = _found(publication_id)
    services.publication_withhold(
        publication=p, actor=request.user, grounds=payload.grounds, reason=payload.reason
    )
    return publication_detail(request, selectors.publication_detail(p.pk))


# --- 双公示 export ---------------------------------------------------------------------------------


class ExportQuery(Schema):
    date_from: IsoDate | None = Field(None, description="决定日期自（含）")
    date_to: IsoDate | None = Field(None, description="决定日期至（含）")


class ExportFieldOut(Schema):
    code: str
    name: str
    required: bool


class ExportDoc(Schema):
    schema_: str = Field(alias="schema")
    fields: list[ExportFieldOut]
    states: dict[str, str]
    records: list[dict[str, str]] = Field(
        description="每条记录以国家字段代码（CF_XDR_MC、CF_WSH、CF_JDRQ……）为键"
    )


def _records(request, q: ExportQuery, fmt: str) -> list[dict[str, str]]:
    need(request, "publicity.export_publicity", "导出双公示数据")
    records = [
        selectors.export_record(p)
        for p in selectors.export_publications(date_from=q.date_from, date_to=q.date_to)
    ]
    try:
        exports.validate(records)
    except DomainError:
        security_event(
            request, "security.exported", result="failure", what="双公示", rows=len(records)
        )
        raise
    security_event(request, "security.exported", what="双公示", format=fmt, rows=len(records))
    return records


EXPORT_NOTE = (
    "已公开、已撤下和提前终止的行政处罚决定（只取公示平台上已脱敏的数据），字段为国家“双公示”"
    "字段代码。任何一条记录不符合字段规范时不导出，返回 409 和每一处问题。每次导出记入审计日志。"
)


@router.get(
    "/export",
    response=responses({200: ExportDoc}, 409),
    operation_id="publicity_export",
    summary="双公示导出（JSON）",
    description=EXPORT_NOTE,
    by_alias=True,
)
def publicity_export(request, q: Query[ExportQuery]):
    import json

    records = _records(request, q, "json")
    return json.loads(exports.to_json(records))


def _file(request, q: ExportQuery, fmt: str) -> HttpResponse:
    records = _records(request, q, fmt)
    build, content_type, ext = exports.FORMATS[fmt]
    response = HttpResponse(build(records), content_type=content_type)
    name = f"shuanggongshi-{timezone.localdate():%Y%m%d}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_response(content_type: str, description: str) -> dict:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/export.csv",
    response=responses({200: None}, 409),
    operation_id="publicity_export_csv",
    summary="双公示导出（CSV）",
    description=EXPORT_NOTE + " CSV 为 UTF-8（带 BOM），第一行字段代码，第二行中文名称。",
    openapi_extra=_file_response("text/csv", "CSV 文件"),
)
def publicity_export_csv(request, q: Query[ExportQuery]):
    return _file(request, q, "csv")


@router.get(
    "/export.xlsx",
    response=responses({200: None}, 409),
    operation_id="publicity_export_xlsx",
    summary="双公示导出（Excel）",
    description=EXPORT_NOTE,
    openapi_extra=_file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX 文件"
    ),
)
def publicity_export_xlsx(request, q: Query[ExportQuery]):
    return _file(request, q, "xlsx")
