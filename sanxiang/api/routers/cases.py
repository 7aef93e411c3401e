"""案件 Leads and cases: register, read, every action of the case page, clocks, timeline.

Every action of the case page is one operation here (``POST /cases/{case_id}/actions/<name>``,
``…/<name>/{object_id}`` for an action on one of the case's records): the rows of the
transition table (受理并立案, 不予受理, 调查终结, 事先告知, 作出决定, 结案 …, all executed by the one
service ``cases.services.case_transition``) and the other case services (指派, 回避, 笔录, 拟处理
意见, 听证, 缴款 …). Each runs exactly what the page runs (``cases.views.ops.OPS``): the same
"offered?" check (a role or team the user lacks is 403, a state in which the step is not
possible is 409), the page's form to turn the values into the service's arguments, the same
service. A blocked action answers 409 with every Chinese reason.

No ``from __future__ import annotations`` here: the action views are made in a loop and ninja
reads their body type from the real annotation object.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from sanxiang.cases import selectors, services, workflow
from sanxiang.cases.choices import TERMINAL_STATES, State
from sanxiang.cases.forms import IntakeForm
from sanxiang.cases.forms.execution import PLAN_ROWS, PlanApplyForm
from sanxiang.cases.forms.investigation import (
    InspectionRecordForm,
    PreservationRequestForm,
    RecordForm,
)
from sanxiang.cases.forms.outcome import DiscussionForm
from sanxiang.cases.forms.transitions import NotifyForm, RemindForm
from sanxiang.cases.models import Assignment, Case, CaseCause, Party
from sanxiang.cases.views import common as pages
from sanxiang.cases.views.detail import TIMELINE_KEYS
from sanxiang.cases.views.ops import OPS, Op, read_only_reason
from sanxiang.ledger.labels import all_labels
from sanxiang.lib.errors import Blocked, DomainError

from .. import formschema
from ..errors import ApiError
from ..paging import Page, PageQuery, paginate
from ..schemas import Choice, UserRef, choice_of, money, user_ref
from ..types import Id, QueryText, choice
from .common import need, responses

router = Router(tags=["案件 Cases"])
actions_router = Router(tags=["案件办理 Case actions"])


# --- output -------------------------------------------------------------------------------------


class AgencyRef(Schema):
    id: int
    name: str


class CaseOut(Schema):
    id: int = Field(description="案件编号（数据库编号，稳定，不重复使用）")
    registration_no: str = Field(description="登记号")
    case_no: str = Field(description="立案号（立案前为空）")
    state: Choice
    procedure: Choice
    source: Choice
    channel: Choice
    received_on: dt.date
    summary: str = Field(description="案情摘要（不含投诉人、举报人身份）")
    workers_affected: int | None
    amount_claimed: str | None
    is_major: bool
    is_complex: bool
    filed_on: dt.date | None
    closed_on: dt.date | None
    agency: AgencyRef
    party_name: str | None = Field(None, description="第一位当事人")


class PartyOut(Schema):
    id: int
    kind: Choice
    name: str
    uscc: str
    legal_representative: str


class TeamMember(Schema):
    assignment_id: int
    user: UserRef
    role: Choice
    assigned_on: dt.date
    released_on: dt.date | None


class CauseOut(Schema):
    id: int
    item_version_id: int
    item_code: str
    name: str


class CaseDetail(CaseOut):
    parties: list[PartyOut]
    team: list[TeamMember]
    causes: list[CauseOut]


def case_out(case: Case, *, party_name: str | None = None) -> dict:
    return {
        "id": case.pk,
        "registration_no": case.registration_no,
        "case_no": case.case_no,
        "state": choice_of(case, "state"),
        "procedure": choice_of(case, "procedure"),
        "source": choice_of(case, "source"),
        "channel": choice_of(case, "channel"),
        "received_on": case.received_on,
        "summary": case.summary,
        "workers_affected": case.workers_affected,
        "amount_claimed": money(case.amount_claimed),
        "is_major": case.is_major,
        "is_complex": case.is_complex,
        "filed_on": case.filed_on,
        "closed_on": case.closed_on,
        "agency": {"id": case.agency_id, "name": case.agency.name},
        "party_name": party_name if party_name is not None else getattr(case, "party_name", None),
    }


def case_detail(case: Case) -> dict:
    parties = list(Party.objects.filter(case=case).order_by("pk"))
    team = Assignment.objects.filter(case=case).select_related("user").order_by("pk")
    causes = CaseCause.objects.filter(case=case).select_related("item_version__item").order_by("pk")
    return {
        **case_out(case, party_name=parties[0].name if parties else None),
        "parties": [
            {
                "id": p.pk,
                "kind": choice_of(p, "kind"),
                "name": p.name,
                "uscc": p.uscc,
                "legal_representative": p.legal_representative,
            }
            for p in parties
        ],
        "team": [
            {
                "assignment_id": a.pk,
                "user": user_ref(a.user),
                "role": choice_of(a, "role"),
                "assigned_on": a.assigned_on,
                "released_on": a.released_on,
            }
            for a in team
        ],
        "causes": [
            {
                "id": c.pk,
                "item_version_id": c.item_version_id,
                "item_code": c.item_version.item.code,
                "name": c.item_version.name,
            }
            for c in causes
        ],
    }


def _case(request, case_id: int) -> Case:
    """The case page's own check: ``cases.view_case`` and the same agency; 404 otherwise."""
    return pages.case_for(request, case_id)


# --- list, register, read -------------------------------------------------------------------------


class CaseListQuery(PageQuery):
    state: choice(State.values) | None = Field(None, description="案件状态")
    q: QueryText | None = Field(None, description="登记号、立案号、案情摘要或当事人名称")
    mine: bool = Field(False, description="只列出本人承办的案件")
    major: bool | None = Field(None, description="true 只列重大案件；false 只列非重大案件")


@router.get(
    "",
    response=responses({200: Page[CaseOut]}),
    operation_id="case_list",
    summary="案件和线索列表",
)
def case_list(request, q: Query[CaseListQuery]):
    """本执法主体的案件和线索（与“案件”页面相同的查询），按收到日期倒序。"""
    need(request, "cases.view_case", "查看案件")
    rows = selectors.case_list(
        agency=pages.user_agency(request.user),
        state=q.state or "",
        q=q.q or "",
        mine=request.user if q.mine else None,
        major=q.major,
    )
    return paginate(request, rows, q, lambda chunk: [case_out(c) for c in chunk])


IntakeBody = formschema.schema_for(
    "CaseRegister",
    IntakeForm.base_fields,
    doc="登记投诉、举报或案件线索（与“登记”页面的字段相同）。",
)


@router.post(
    "",
    response=responses({201: CaseDetail}, 400, 409),
    operation_id="case_register",
    summary="登记投诉、举报或案件线索",
)
def case_register(request, payload: IntakeBody):
    """登记投诉（complaint）、举报（report）或其他来源的案件线索；受理期限自收到日期起算。
    投诉人、举报人的身份保密，只有有权人员可以查看。"""
    need(request, "cases.register_case", "登记投诉举报和案件线索")
    form = _bound(IntakeForm, payload, IntakeForm.base_fields, user=request.user)
    case = _run(
        form,
        lambda kw: services.case_register(
            actor=request.user, agency=pages.intake_agency(request.user), **kw
        ),
    )
    return Status(201, case_detail(Case.objects.select_related("agency").get(pk=case.pk)))


@router.get(
    "/{case_id}",
    response=responses({200: CaseDetail}, 404),
    operation_id="case_detail",
    summary="案件详情",
)
def case_read(request, case_id: Path[Id]):
    """案件的登记信息、当事人、办案人员和案由。"""
    return case_detail(_case(request, case_id))


# --- actions: what may be done now ------------------------------------------------------------


class ActionOut(Schema):
    name: str = Field(description="操作名称（即办理该操作的地址的最后一段）")
    label: str
    kind: Literal["transition", "operation"] = Field(
        description="transition 流程转换（案件状态改变）；operation 其他办理事项"
    )
    target_state: str | None = Field(None, description="流程转换后的案件状态")
    allowed: bool = Field(description="当前是否可以办理")
    reasons: list[str] = Field(description="不能办理的原因（中文）")
    object_type: str | None = Field(None, description="操作对象的类型（对案件的某条记录办理时）")


def _op_refusal(op: Op, case: Case, asker) -> tuple[int, str] | None:
    """Why the page would not offer ``op`` (a service that is not a transition): the same
    three checks as ``cases.views.actions.case_action``."""
    if case.state in TERMINAL_STATES and case.state not in op.states:
        return 409, read_only_reason(case)
    if not op.who(asker):
        return 403, f"您没有“{op.title}”的权限，或者不是本案办案人员"
    if case.state not in op.states:
        labels = "、".join(State(s).label for s in sorted(op.states))
        return 409, f"案件当前为“{case.get_state_display()}”，“{op.title}”只能在“{labels}”时办理"
    return None


@router.get(
    "/{case_id}/actions",
    response=responses({200: Page[ActionOut]}, 404),
    operation_id="case_actions",
    summary="可办理的操作及被阻止的原因",
)
def case_actions(request, case_id: Path[Id], page: Query[PageQuery]):
    """流程转换表中的每个操作（是否可办理、不能办理的每一条原因），以及其他办理事项。
    与案件页面的按钮相同；真正办理时仍由服务再次检查（含所填的日期、理由等）。"""
    case = _case(request, case_id)
    rows = []
    for a in selectors.available_actions(case, user=request.user):
        rows.append(
            {
                "name": a.action,
                "label": a.label,
                "kind": "transition",
                "target_state": a.target,
                "allowed": a.allowed,
                "reasons": list(a.reasons),
            }
        )
    asker = pages.who(request, case)
    for op in OPS.values():
        if op.transition:
            continue
        refusal = _op_refusal(op, case, asker)
        if refusal is None and op.show is not None and not op.show(asker):
            refusal = (409, f"当前不需要“{op.title}”")
        rows.append(
            {
                "name": op.name,
                "label": op.title,
                "kind": "operation",
                "allowed": refusal is None,
                "reasons": [refusal[1]] if refusal else [],
                "object_type": op.model._meta.model_name if op.model is not None else None,
            }
        )
    return paginate(request, rows, page)


# --- actions: doing one --------------------------------------------------------------------------


class ObjectRef(Schema):
    type: str = Field(description="记录类型，如 assignment、recusal、investigationrecord")
    id: int


class ActionDone(Schema):
    action: str
    message: str
    case: CaseOut
    object: ObjectRef | None = Field(None, description="本次办理产生或处理的记录")


# Fields a form adds or removes in ``setup()`` beyond its placeholders (the rows of a list
# entered as numbered fields). ``tests/test_cases.py`` checks these against the forms as
# instantiated on a real case, so a form that changes cannot silently drift from its schema.
_DROP = {
    # 公告送达 is offered for the decision only (ServiceFieldsMixin.without_public_service).
    NotifyForm: ("published_on", "publication_medium", "public_reason"),
    RemindForm: ("published_on", "publication_medium", "public_reason"),
    InspectionRecordForm: ("truth_duty_told",),
}


def _rows(form_class) -> dict:
    from sanxiang.cases.forms.base import UserChoiceField, date_field, long_text, money_field
    from sanxiang.cases.forms.base import text_field as text
    from sanxiang.cases.forms.investigation import ITEM_ROWS
    from sanxiang.cases.forms.outcome import ATTENDEE_ROWS
    from sanxiang.cases.models import Assignment as _A

    fields: dict = {}
    if issubclass(form_class, RecordForm):
        from django import forms as dj_forms

        fields["officers"] = dj_forms.ModelMultipleChoiceField(
            _A.objects.none(), label="参加的执法人员（用户编号，须为本案办案人员，至少两名）"
        )
    if form_class is PlanApplyForm:
        for i in range(1, PLAN_ROWS + 1):
            fields[f"due_{i}"] = date_field(f"第{i}期 缴纳日期", required=False)
            fields[f"amount_{i}"] = money_field(f"第{i}期 金额（元）")
    elif form_class is DiscussionForm:
        for i in range(1, ATTENDEE_ROWS + 1):
            fields[f"attendee_{i}"] = UserChoiceField(
                _A.objects.none(), label=f"参加人员{i}（用户编号）", required=False
            )
            fields[f"opinion_{i}"] = long_text(f"参加人员{i}的意见")
    elif form_class is PreservationRequestForm:
        for i in range(1, ITEM_ROWS + 1):
            fields[f"item_{i}_name"] = text(f"第{i}项 物品名称", max_length=100)
            fields[f"item_{i}_spec"] = text(f"第{i}项 规格", max_length=100)
            fields[f"item_{i}_quantity"] = text(f"第{i}项 数量", max_length=30)
    return fields


def _form_fields(form_class) -> dict:
    fields = {**form_class.base_fields, **_rows(form_class)}
    for name in _DROP.get(form_class, ()):
        fields.pop(name, None)
    return fields


def _bound(form_class, payload, fields, **kw):
    form = form_class(formschema.form_data(payload, fields), **kw)
    if not form.is_valid():
        errors = formschema.form_errors(form)
        summary = "；".join(f"{k}：{'、'.join(v)}" for k, v in errors.items())
        raise ApiError(422, f"请求参数不正确（{summary}）", fields=errors)
    return form


def _run(form, call):
    """Call the service with the form's arguments; a value the service refuses names the API
    field (the form's ``field_map`` says which form field a service field is)."""
    try:
        return call(form.service_kwargs())
    except Blocked:
        raise
    except DomainError as exc:
        if not exc.field or exc.code == "forbidden":
            raise
        target = getattr(form, "field_map", {}).get(exc.field, exc.field)
        name = target if target in form.fields else exc.field
        raise ApiError(
            422, exc.message, code=exc.code or "invalid", fields={name: [exc.message]}
        ) from None


def _message(op: Op, case, result) -> str:
    message = op.done(case, result) if op.done else ""
    return message or f"已办理：{op.title}"


def _object_ref(result, case) -> dict | None:
    if result is None or result is case or isinstance(result, Case):
        return None
    meta = getattr(result, "_meta", None)
    if meta is None or getattr(result, "pk", None) is None:
        return None
    return {"type": meta.model_name, "id": result.pk}


def _execute(request, op: Op, case_id: int, object_id: int | None, payload, fields):
    case = _case(request, case_id)
    obj = None
    if op.model is not None:
        obj = op.model.objects.filter(pk=object_id, case=case).first()
        if obj is None:
            raise Http404("没有找到该记录")
    if op.transition:
        t = workflow.TRANSITIONS[op.transition]
        if reason := workflow.state_reason(t, case.state):
            raise Blocked([reason])
        facts = selectors.case_facts(case, actor=request.user)
        if reason := workflow.permission_reason(t, facts):
            raise PermissionDenied(reason)
    else:
        refusal = _op_refusal(op, case, pages.who(request, case))
        if refusal is not None:
            status, reason = refusal
            if status == 403:
                raise PermissionDenied(reason)
            raise Blocked([reason])
    form = _bound(op.form, payload, fields, case=case, user=request.user, obj=obj)
    result = _run(form, lambda kw: op.execute(actor=request.user, case=case, obj=obj, kwargs=kw))
    fresh = Case.objects.select_related("agency").get(pk=case.pk)
    first = Party.objects.filter(case=fresh).order_by("pk").values_list("name", flat=True).first()
    return {
        "action": op.name,
        "message": _message(op, fresh, result),
        "case": case_out(fresh, party_name=first),
        "object": _object_ref(result, case),
    }


def _describe(op: Op) -> str:
    lines = []
    if op.transition:
        t = workflow.TRANSITIONS[op.transition]
        sources = "、".join(State(s).label for s in sorted(t.sources))
        lines.append(
            f"流程转换：{sources} → {State(t.target).label}。权限：{t.permission}"
            + ("，且须为本案办案人员" if t.team_only else "")
            + "。"
        )
        if t.basis:
            lines.append(f"依据：{t.basis}。")
    if op.intro:
        lines.append(op.intro)
    lines.append(
        "被阻止时返回 409 和每一条中文原因（reasons）；无权办理返回 403；所填的值不正确返回 422。"
    )
    return "\n\n".join(lines)


def _add_action(op: Op) -> None:
    fields = _form_fields(op.form)
    name = "".join(part.capitalize() for part in op.name.split("_"))
    body = formschema.schema_for(f"Case{name}", fields, doc=op.title)
    summary = op.title if op.model is None else f"{op.title}（{op.model._meta.verbose_name}）"

    if op.model is None:

        def view(request, case_id: Path[Id], payload: body):
            return _execute(request, op, case_id, None, payload, fields)

        path = f"/{{case_id}}/actions/{op.name}"
    else:

        def view(request, case_id: Path[Id], object_id: Path[Id], payload: body):
            return _execute(request, op, case_id, object_id, payload, fields)

        path = f"/{{case_id}}/actions/{op.name}/{{object_id}}"
    view.__name__ = f"case_{op.name}"
    actions_router.add_api_operation(
        path,
        ["POST"],
        view,
        response=responses({200: ActionDone}, 400, 404, 409),
        operation_id=f"case_{op.name}",
        summary=summary,
        description=_describe(op),
    )


for _op in OPS.values():
    _add_action(_op)


# --- clocks and timeline ----------------------------------------------------------------------


class ClockStateOut(Schema):
    code: str = Field(
        description="met 已完成；cancelled 已取消；suspended 期限中止；unknown 期限待定；"
        "overdue 已逾期；soon 即将到期；normal 未到期"
    )
    label: str
    workdays_left: int | None


class ClockOut(Schema):
    id: int
    kind: Choice
    basis: str = Field(description="法律依据")
    start: dt.date = Field(description="起算日期（当日不计入）")
    length: int | None
    unit: Choice
    due: dt.date | None = Field(description="届满日期（无法计算时为 null，见 due_unknown_reason）")
    due_unknown_reason: str
    status: Choice
    closed_on: dt.date | None
    state: ClockStateOut = Field(description="按今天计算的状态（读取时计算，不存储）")


@router.get(
    "/{case_id}/clocks",
    response=responses({200: Page[ClockOut]}, 404),
    operation_id="case_clocks",
    summary="案件期限",
)
def case_clocks(request, case_id: Path[Id], page: Query[PageQuery]):
    """受理、调查、作出决定、陈述申辩、听证、送达、缴款等期限，届满日期均按法定工作日历计算。"""
    case = _case(request, case_id)
    rows = selectors.clocks_of(case)
    return paginate(
        request,
        rows,
        page,
        lambda chunk: [
            {
                "id": r.deadline.pk,
                "kind": choice_of(r.deadline, "kind"),
                "basis": r.deadline.basis,
                "start": r.deadline.start,
                "length": r.deadline.length,
                "unit": choice_of(r.deadline, "unit"),
                "due": r.deadline.due,
                "due_unknown_reason": r.deadline.due_unknown_reason,
                "status": choice_of(r.deadline, "status"),
                "closed_on": r.deadline.closed_on,
                "state": {
                    "code": r.state.code,
                    "label": r.state.label,
                    "workdays_left": r.state.workdays_left,
                },
            }
            for r in chunk
        ],
    )


class Detail(Schema):
    label: str
    value: str


class TimelineEvent(Schema):
    seq: int = Field(description="账本序号（全局唯一，可用于验证）")
    at: dt.datetime
    type: str
    label: str
    actor: UserRef | None
    details: list[Detail]


@router.get(
    "/{case_id}/timeline",
    response=responses({200: Page[TimelineEvent]}, 404),
    operation_id="case_timeline",
    summary="案件办理记录（账本事件）",
)
def case_timeline(request, case_id: Path[Id], page: Query[PageQuery]):
    """本案在记录账本中的事件，按顺序（与案件页面的“办理记录”相同，不含投诉人身份）。
    每个事件可用 /transparency/proof/{seq} 验证未被篡改。"""
    import json

    case = _case(request, case_id)
    labels = all_labels()

    def convert(chunk):
        out = []
        for event in chunk:
            try:
                data = json.loads(event.payload).get("data") or {}
            except (ValueError, AttributeError):
                data = {}
            details = [
                {"label": label, "value": str(data[key])}
                for key, label in TIMELINE_KEYS
                if data.get(key) not in (None, "", [], {})
                and not isinstance(data[key], (dict, list))
            ]
            out.append(
                {
                    "seq": event.seq,
                    "at": event.at,
                    "type": event.type,
                    "label": labels.get(event.type, event.type),
                    "actor": user_ref(event.actor),
                    "details": details[:3],
                }
            )
        return out

    return paginate(request, selectors.timeline(case), page, convert)
