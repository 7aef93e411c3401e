"""登记 Registry: agencies, units, the officer roster and each officer's certificates — above
all "may this officer act on date D" (行政处罚法 第四十二条), answered by the same selectors
the staff pages and the case services use (``registry.selectors``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from sanxiang.registry import rules, selectors
from sanxiang.registry.models import Agency, Officer, Unit

from ..paging import Page, PageQuery, paginate
from ..types import Id, IsoDate, QueryText
from .common import need, responses

router = Router(tags=["登记 Registry"])


# --- shapes -----------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str = Field(description="统一社会信用代码")
    legal_basis: str = Field(description="职权依据")
    jurisdiction: str
    division_code: str
    address: str
    phone: str
    is_active: bool


class UnitOut(Schema):
    id: int
    agency_id: int
    name: str
    kind: str = Field(
        description="enforcement 执法机构；legal_review 法制审核机构；leadership；office；other"
    )
    kind_label: str
    duties: str
    is_active: bool


class CertificateOut(Schema):
    id: int
    kind: str = Field(description="enforcement 行政执法证；labour_inspection 劳动保障监察证")
    kind_label: str
    number: str
    issuer: str
    scope: str
    valid_from: dt.date
    valid_until: dt.date
    ended: str = Field(description="终止情形：replaced / cancelled / revoked；空为未终止")
    ended_on: dt.date | None
    state: str = Field(
        description="该日的状态：valid 有效；expiring 即将到期；expired 已过期；suspended 暂扣中；"
        "pending 未生效；ended 已终止"
    )
    state_label: str
    problems: list[str] = Field(description="该日不能凭此证执法的原因（空：有效）")


class OfficerOut(Schema):
    id: int
    user_id: int
    name: str
    agency_id: int
    unit: str | None
    post: str
    is_active: bool = Field(description="在册")
    left_on: dt.date | None
    on: dt.date = Field(description="证件状态所依据的日期")
    state: str = Field(description="该日证件状态（none：未登记证件）")
    state_label: str
    certificate: CertificateOut | None = Field(description="该日有效的证件，否则最近一份证件")


class OfficerDetail(OfficerOut):
    certificates: list[CertificateOut]
    may_act: bool = Field(description="该日能否从事执法活动（持有当日有效的执法证件）")
    reasons: list[str] = Field(description="该日不能从事执法活动的原因")


class ActStatus(Schema):
    officer_id: int
    name: str
    on: dt.date
    may_act: bool = Field(description="该日能否从事调查取证等执法活动（行政处罚法第四十二条）")
    reasons: list[str] = Field(description="不能的原因（中文）；可以时为空")
    certificate: CertificateOut | None = Field(description="该日有效、印在文书上的证件")


class OnQuery(Schema):
    on: IsoDate | None = Field(None, description="日期（默认今天）")


class OfficerQuery(PageQuery):
    on: IsoDate | None = Field(None, description="证件状态所依据的日期（默认今天）")
    q: QueryText = Field("", description="姓名、账号、证件号码或岗位")
    unit: Id | None = Field(None, description="内设机构编号")
    state: Literal["", "valid", "expiring", "problem"] = Field(
        "", description="valid 有效；expiring 即将到期；problem 无有效证件"
    )
    include_inactive: bool = Field(False, description="包括已离岗人员")


class UnitQuery(PageQuery):
    agency: Id | None = Field(None, description="执法主体编号")
    include_inactive: bool = False


class AgencyQuery(PageQuery):
    include_inactive: bool = False


# --- conversion -------------------------------------------------------------------------------


def _agency(a: Agency) -> dict:
    return {
        f: getattr(a, f)
        for f in (
            "id", "name", "short_name", "uscc", "legal_basis", "jurisdiction", "division_code",
            "address", "phone", "is_active",
        )
    }  # fmt: skip


def _unit(u: Unit) -> dict:
    return {
        "id": u.pk,
        "agency_id": u.agency_id,
        "name": u.name,
        "kind": u.kind,
        "kind_label": u.get_kind_display(),
        "duties": u.duties,
        "is_active": u.is_active,
    }


def _certificate(c, on: dt.date) -> dict:
    facts = c.facts()
    state, label = rules.certificate_state(facts, on)
    return {
        "id": c.pk,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "number": c.number,
        "issuer": c.issuer,
        "scope": c.scope,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
        "ended": c.ended,
        "ended_on": c.ended_on,
        "state": state,
        "state_label": label,
        "problems": rules.certificate_problems(facts, on),
    }


def _officer(row: selectors.OfficerRow, on: dt.date) -> dict:
    o = row.officer
    return {
        "id": o.pk,
        "user_id": o.user_id,
        "name": o.name,
        "agency_id": o.agency_id,
        "unit": o.user.unit.name if o.user.unit_id else None,
        "post": o.post,
        "is_active": o.is_active,
        "left_on": o.left_on,
        "on": on,
        "state": row.state,
        "state_label": row.state_label,
        "certificate": _certificate(row.current, on) if row.current is not None else None,
    }


def _officer_or_404(pk: int) -> Officer:
    try:
        return selectors.officer_detail(pk)
    except Officer.DoesNotExist:
        raise Http404("没有找到该执法人员") from None


# --- agencies and units -----------------------------------------------------------------------


@router.get(
    "/agencies",
    response=responses({200: Page[AgencyOut]}),
    operation_id="registry_agencies",
    summary="执法主体列表",
)
def agencies(request, q: Query[AgencyQuery]):
    """执法主体（默认只列有效的）。需要“查看执法主体”权限。"""
    need(request, "registry.view_agency", "查看执法主体")
    rows = Agency.objects.order_by("name", "pk")
    if not q.include_inactive:
        rows = rows.filter(is_active=True)
    return paginate(request, rows, q, lambda page: [_agency(a) for a in page])


@router.get(
    "/agencies/{agency_id}",
    response=responses({200: AgencyOut}, 404),
    operation_id="registry_agency",
    summary="执法主体",
)
def agency(request, agency_id: Id):
    need(request, "registry.view_agency", "查看执法主体")
    found = Agency.objects.filter(pk=agency_id).first()
    if found is None:
        raise Http404("没有找到该执法主体")
    return _agency(found)


@router.get(
    "/units",
    response=responses({200: Page[UnitOut]}),
    operation_id="registry_units",
    summary="内设机构列表",
)
def units(request, q: Query[UnitQuery]):
    """内设机构（执法机构、法制审核机构等），可按执法主体筛选。"""
    need(request, "registry.view_unit", "查看内设机构")
    rows = Unit.objects.order_by("agency__name", "name", "pk")
    if q.agency is not None:
        rows = rows.filter(agency_id=q.agency)
    if not q.include_inactive:
        rows = rows.filter(is_active=True)
    return paginate(request, rows, q, lambda page: [_unit(u) for u in page])


@router.get(
    "/units/{unit_id}",
    response=responses({200: UnitOut}, 404),
    operation_id="registry_unit",
    summary="内设机构",
)
def unit(request, unit_id: Id):
    need(request, "registry.view_unit", "查看内设机构")
    found = Unit.objects.filter(pk=unit_id).first()
    if found is None:
        raise Http404("没有找到该内设机构")
    return _unit(found)


# --- officers ---------------------------------------------------------------------------------


@router.get(
    "/officers",
    response=responses({200: Page[OfficerOut]}),
    operation_id="registry_officers",
    summary="执法人员名录",
)
def officers(request, q: Query[OfficerQuery]):
    """执法人员名录及每人在 `on` 当日的证件状态（与“执法人员与证件”页面相同的筛选）。"""
    need(request, "registry.view_officer", "查看执法人员名录")
    on = q.on or timezone.localdate()
    rows = selectors.officer_rows(
        selectors.officer_list(q=q.q.strip(), unit_id=q.unit, include_inactive=q.include_inactive),
        today=on,
    )
    if q.state == "valid":
        rows = [r for r in rows if r.state == "valid"]
    elif q.state == "expiring":
        rows = [r for r in rows if r.state == "expiring"]
    elif q.state == "problem":
        rows = [r for r in rows if r.officer.is_active and r.state not in ("valid", "expiring")]
    return paginate(request, rows, q, lambda page: [_officer(r, on) for r in page])


@router.get(
    "/officers/{officer_id}",
    response=responses({200: OfficerDetail}, 404),
    operation_id="registry_officer",
    summary="执法人员及其证件",
)
def officer(request, officer_id: Id, q: Query[OnQuery]):
    """一名执法人员、其全部证件在 `on` 当日的状态，以及当日能否从事执法活动。"""
    need(request, "registry.view_officer", "查看执法人员")
    found = _officer_or_404(officer_id)
    on = q.on or timezone.localdate()
    (row,) = selectors.officer_rows([found], today=on)
    certs = list(found.certificates.all())
    reasons = selectors.enforcement_problems(users=[found.user], on=on)[found.user_id]
    return {
        **_officer(row, on),
        "certificates": [_certificate(c, on) for c in certs],
        "may_act": not reasons,
        "reasons": reasons,
    }


@router.get(
    "/officers/{officer_id}/status",
    response=responses({200: ActStatus}, 404),
    operation_id="registry_officer_status",
    summary="执法人员某日能否执法",
)
def officer_status(request, officer_id: Id, q: Query[OnQuery]):
    """“该执法人员在某日能否执法”：与案件办理时核对两名执法人员资格所用的同一查询
    （`registry.selectors.enforcement_problems`，行政处罚法第四十二条）。`on` 可以是过去的日期
    （事后登记的执法行为）。"""
    need(request, "registry.view_officer", "查看执法人员")
    found = _officer_or_404(officer_id)
    on = q.on or timezone.localdate()
    reasons = selectors.enforcement_problems(users=[found.user], on=on)[found.user_id]
    cert = selectors.certificate_on(user=found.user, on=on)
    return {
        "officer_id": found.pk,
        "name": found.name,
        "on": on,
        "may_act": not reasons,
        "reasons": reasons,
        "certificate": _certificate(cert, on) if cert is not None else None,
    }
