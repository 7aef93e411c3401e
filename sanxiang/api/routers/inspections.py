"""双随机抽查 Random inspections: plans, the target pool (检查对象名录库), draws with everything
needed to re-run them independently (frozen pools, their hashes, the seed, the result), tasks
and their results — through ``inspections.selectors`` and ``inspections.services``, with the
permissions of the staff pages (``inspections.views``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sanxiang.inspections import forms, selectors, services
from sanxiang.inspections.models import Plan, PlanState, RiskTag, Target, Task, TaskResult
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from .. import formschema
from ..errors import ApiError
from ..paging import Page, PageQuery, paginate
from ..schemas import UserRef, user_ref
from ..types import Body, Id, IsoDate, QueryText, Text, choice
from .common import default_agency, need, responses

router = Router(tags=["双随机抽查 Inspections"])

DRAW_FILES = ("draw-input.json", "targets.jsonl", "inspectors.jsonl", "draw-result.json")


# --- shapes -----------------------------------------------------------------------------------


class PlanRow(Schema):
    id: int
    code: str
    title: str
    period_start: dt.date
    period_end: dt.date
    state: str = Field(
        description="draft 草稿；published 已公布；frozen 名录库已冻结；seeded 种子已确定；drawn 已抽取"
    )
    state_label: str
    published_at: dt.datetime | None
    task_total: int
    task_done: int


class ItemRef(Schema):
    version_id: int
    item_id: int
    code: str
    name: str


class SeedOut(Schema):
    source: str = Field(
        description="ledger_checkpoint 账本检查点根哈希；manual 人工登记的公开随机数"
    )
    rule: str = Field(description="约定的种子规则（中文）")
    ready: bool = Field(description="种子现在已经产生")
    progress: str


class PlanOut(PlanRow):
    scope: str
    ratio: str = Field(description='抽查比例（%），字符串，如 "5.00"')
    ratio_reason: str
    weights: dict[str, int] = Field(description="风险标签 → 抽中权重")
    inspectors_per_target: int
    exclude_drawn_this_year: bool
    seed: SeedOut
    items: list[ItemRef]
    created_by: UserRef
    published_by: UserRef | None
    has_draw: bool


class PoolOut(Schema):
    file: str
    count: int
    sha256: str


class DrawOut(Schema):
    plan_id: int
    algorithm: str
    pool_on: dt.date = Field(description="名录库日期")
    frozen_at: dt.datetime
    freeze_seq: int = Field(description="冻结事件的账本序号")
    targets: PoolOut
    inspectors: PoolOut
    target_count: int = Field(description="抽取数量")
    conflicts: list[Any] = Field(description="利益冲突（回避）清单")
    seed: dict[str, Any] | None = Field(description="随机种子（确定后）")
    seed_fixed_at: dt.datetime | None
    redraws: list[Any]
    result: dict[str, Any] | None = Field(description="抽取结果（draw-result.json 的内容）")
    result_sha256: str
    executed_at: dt.datetime | None
    input: dict[str, Any] = Field(
        description="draw-input.json 的内容：算法、参数、名录库哈希、种子"
    )
    files: list[str] = Field(
        description="可下载的复核文件名（GET …/draw/files/{name}）；用公开的算法可独立重算"
    )


class TargetOut(Schema):
    id: int
    name: str
    uscc: str = Field(description="统一社会信用代码")
    address: str
    industry: str
    size: str
    risk_tags: list[str]
    risk_labels: list[str]
    is_active: bool = Field(description="纳入名录库")


class Seat(Schema):
    officer_id: int
    name: str
    certificate_number: str
    active: bool
    removed_reason: str


class DueOut(Schema):
    due: dt.date | None = Field(description="结果公开期限（登记结果之日起20个工作日）")
    status: str = Field(description="on_track / due_soon / overdue / published / unknown / none")
    label: str


class TaskOut(Schema):
    id: int
    plan_id: int
    plan_code: str
    number: int = Field(description="抽取序号")
    target_id: int
    target_name: str
    uscc: str
    inspectors: list[Seat]
    inspected_on: dt.date | None
    result: str = Field(description="空（未登记）、none_found、correction、case、transfer")
    result_label: str
    public_summary: str
    transfer_to: str
    case_id: int | None = Field(description="立案查处时登记的案件")
    completed_on: dt.date | None
    published_at: dt.datetime | None
    publication: DueOut


class TaskDetail(TaskOut):
    findings: str = Field(description="检查情况（内部，不公开）")
    recorded_by: UserRef | None
    published_by: UserRef | None


class TargetQuery(PageQuery):
    q: QueryText = Field("", description="单位名称、统一社会信用代码或行业")
    tag: choice(["", *RiskTag.values]) = Field("", description="风险标签")  # type: ignore[valid-type]
    active: Literal["", "1", "0"] = Field("", description="1 纳入名录库；0 未纳入")


class TaskQuery(PageQuery):
    plan: Id | None = Field(None, description="抽查计划编号")
    mine: bool = Field(False, description="只列本人抽中的任务")
    state: Literal["", "open", "unpublished", "published"] = Field(
        "", description="open 未登记结果；unpublished 已登记未公开；published 已公开"
    )


class ResultIn(Body):
    inspected_on: IsoDate = Field(description="检查日期（不晚于今天）")
    result: choice(TaskResult.values) = Field(  # type: ignore[valid-type]
        description="none_found 未发现问题；correction 责令改正；case 立案查处；transfer 移送"
    )
    findings: Text(20000, min_length=1) = Field(description="检查情况（内部记录，不公开）")
    public_summary: Text(300) = Field("", description="公开的结果说明（不得含个人信息）")
    transfer_to: Text(100) = Field("", description="移送机关（移送时必填）")


# --- conversion -------------------------------------------------------------------------------


def _plan_row(p: Plan) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "state": p.state,
        "state_label": p.get_state_display(),
        "published_at": p.published_at,
        # plan_list annotates the counts; a single plan counts them.
        "task_total": p.task_total if hasattr(p, "task_total") else p.tasks.count(),
        "task_done": p.task_done if hasattr(p, "task_done") else p.tasks.exclude(result="").count(),
    }


def _target(t: Target) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "uscc": t.uscc,
        "address": t.address,
        "industry": t.industry,
        "size": t.size,
        "risk_tags": list(t.risk_tags or []),
        "risk_labels": t.risk_labels,
        "is_active": t.is_active,
    }


def _task(t: Task, today: dt.date) -> dict:
    due = selectors.publication_due(t, today=today)
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "plan_code": t.plan.code,
        "number": t.number,
        "target_id": t.target_id,
        "target_name": t.target_name,
        "uscc": t.target.uscc,
        "inspectors": [
            {
                "officer_id": s.officer_id,
                "name": s.name,
                "certificate_number": s.certificate_number,
                "active": s.active,
                "removed_reason": s.removed_reason,
            }
            for s in t.inspectors.all()
        ],
        "inspected_on": t.inspected_on,
        "result": t.result,
        "result_label": t.get_result_display() if t.result else "",
        "public_summary": t.public_summary,
        "transfer_to": t.transfer_to,
        "case_id": t.case_id,
        "completed_on": t.completed_on,
        "published_at": t.published_at,
        "publication": {"due": due.due, "status": due.status, "label": due.label},
    }


def _task_detail(t: Task) -> dict:
    return {
        **_task(t, timezone.localdate()),
        "findings": t.findings,
        "recorded_by": user_ref(t.recorded_by),
        "published_by": user_ref(t.published_by),
    }


def _plan(request, pk: int) -> Plan:
    """The plan, if it belongs to the user's agency (the page's ``get_object_or_404``)."""
    agency = default_agency(request.user)
    if not Plan.objects.filter(pk=pk, agency=agency).exists():
        raise Http404("没有找到该抽查计划")
    return selectors.plan_detail(pk)


def _task_or_404(request, pk: int) -> Task:
    agency = default_agency(request.user)
    if not Task.objects.filter(pk=pk, plan__agency=agency).exists():
        raise Http404("没有找到该检查任务")
    return selectors.task_detail(pk)


def _draw(plan: Plan):
    draw = selectors.plan_draw(plan)
    if draw is None:
        raise Http404("该计划尚未冻结名录库，还没有抽取数据")
    return draw


# --- plans and draws --------------------------------------------------------------------------


@router.get(
    "/plans",
    response=responses({200: Page[PlanRow]}, 409),
    operation_id="inspections_plans",
    summary="抽查计划列表",
)
def plans(request, q: Query[PageQuery]):
    """本执法主体的抽查计划（新的在前）。"""
    need(request, "inspections.view_plan", "查看抽查计划")
    rows = selectors.plan_list(agency=default_agency(request.user))
    return paginate(request, rows, q, lambda page: [_plan_row(p) for p in page])


@router.get(
    "/plans/{plan_id}",
    response=responses({200: PlanOut}, 404, 409),
    operation_id="inspections_plan",
    summary="抽查计划",
)
def plan(request, plan_id: Id):
    """计划内容、抽查事项、风险权重和随机种子规则及其进度。"""
    need(request, "inspections.view_plan", "查看抽查计划")
    p = _plan(request, plan_id)
    seed = selectors.seed_status(p, today=timezone.localdate())
    return {
        **_plan_row(p),
        "scope": p.scope,
        "ratio": f"{p.ratio:.2f}",
        "ratio_reason": p.ratio_reason,
        "weights": {k: int(v) for k, v in (p.weights or {}).items()},
        "inspectors_per_target": p.inspectors_per_target,
        "exclude_drawn_this_year": p.exclude_drawn_this_year,
        "seed": {
            "source": seed.source,
            "rule": seed.stated,
            "ready": seed.ready,
            "progress": seed.progress,
        },
        "items": [
            {"version_id": v.pk, "item_id": v.item_id, "code": v.item.code, "name": v.name}
            for v in p.items.all()
        ],
        "created_by": user_ref(p.created_by),
        "published_by": user_ref(p.published_by),
        "has_draw": p.state != PlanState.DRAFT and selectors.plan_draw(p) is not None,
    }


@router.get(
    "/plans/{plan_id}/draw",
    response=responses({200: DrawOut}, 404, 409),
    operation_id="inspections_draw",
    summary="随机抽取及复核数据",
)
def draw(request, plan_id: Id):
    """冻结的检查对象库和执法检查人员库（文件名、条数、SHA-256）、利益冲突清单、随机种子和抽取
    结果。`files` 中的文件可逐一下载，任何人可用公布的算法独立重算并比对结果哈希
    （docs/random-inspections.md §5）。名录库尚未冻结时返回 404。"""
    need(request, "inspections.view_plan", "查看抽查计划")
    d = _draw(_plan(request, plan_id))
    return {
        "plan_id": d.plan_id,
        "algorithm": d.algorithm,
        "pool_on": d.pool_on,
        "frozen_at": d.frozen_at,
        "freeze_seq": d.freeze_seq,
        "targets": {"file": "targets.jsonl", "count": d.targets_count, "sha256": d.targets_sha256},
        "inspectors": {
            "file": "inspectors.jsonl",
            "count": d.inspectors_count,
            "sha256": d.inspectors_sha256,
        },
        "target_count": d.target_count,
        "conflicts": list(d.conflicts or []),
        "seed": d.seed,
        "seed_fixed_at": d.seed_fixed_at,
        "redraws": list(d.redraws or []),
        "result": d.result,
        "result_sha256": d.result_sha256,
        "executed_at": d.executed_at,
        "input": selectors.draw_input(d),
        "files": list(selectors.draw_files(d)),
    }


@router.get(
    "/plans/{plan_id}/draw/files/{name}",
    response=responses({200: dict[str, Any]}, 404, 409),
    operation_id="inspections_draw_file",
    summary="下载抽取复核文件",
    openapi_extra={
        "responses": {
            200: {
                "description": "规范化的复核文件（与门户公布的相同）：.json 为 JSON 对象，"
                ".jsonl 为每行一个 JSON 对象",
                "content": {
                    "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def draw_file(request, plan_id: Id, name: Literal[DRAW_FILES]):  # type: ignore[valid-type]
    """draw-input.json、targets.jsonl、inspectors.jsonl、draw-result.json（抽取后）之一，
    逐字节与哈希所依据的规范文件相同。"""
    need(request, "inspections.view_plan", "查看抽查计划")
    files = selectors.draw_files(_draw(_plan(request, plan_id)))
    if name not in files:
        raise Http404("尚未抽取，没有抽取结果文件")
    content_type = "application/json" if name.endswith(".json") else "application/x-ndjson"
    response = HttpResponse(files[name], content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the target pool --------------------------------------------------------------------------


@router.get(
    "/targets",
    response=responses({200: Page[TargetOut]}, 409),
    operation_id="inspections_targets",
    summary="检查对象名录库",
)
def targets(request, q: Query[TargetQuery]):
    """本执法主体的检查对象名录库（“双随机”抽取的对象库），与“检查对象名录”页面相同的筛选。"""
    need(request, "inspections.view_target", "查看检查对象名录")
    rows = selectors.target_list(
        agency=default_agency(request.user), q=q.q, tag=q.tag, active=q.active
    )
    return paginate(request, rows, q, lambda page: [_target(t) for t in page])


@router.get(
    "/targets/{target_id}",
    response=responses({200: TargetOut}, 404, 409),
    operation_id="inspections_target",
    summary="检查对象",
)
def target(request, target_id: Id):
    need(request, "inspections.view_target", "查看检查对象")
    found = Target.objects.filter(pk=target_id, agency=default_agency(request.user)).first()
    if found is None:
        raise Http404("没有找到该检查对象")
    return _target(found)


# --- tasks and results ------------------------------------------------------------------------


@router.get(
    "/tasks",
    response=responses({200: Page[TaskOut]}, 409),
    operation_id="inspections_tasks",
    summary="检查任务列表",
)
def tasks(request, q: Query[TaskQuery]):
    """抽取产生的检查任务及其结果和公开期限；可按计划、本人、状态筛选。"""
    need(request, "inspections.view_task", "查看检查任务")
    rows = selectors.task_list(
        user=request.user,
        agency=default_agency(request.user),
        mine=q.mine,
        state=q.state,
        plan_id=q.plan,
    )
    today = timezone.localdate()
    return paginate(request, rows, q, lambda page: [_task(t, today) for t in page])


@router.get(
    "/tasks/{task_id}",
    response=responses({200: TaskDetail}, 404, 409),
    operation_id="inspections_task",
    summary="检查任务",
)
def task(request, task_id: Id):
    need(request, "inspections.view_task", "查看检查任务")
    return _task_detail(_task_or_404(request, task_id))


@router.post(
    "/tasks/{task_id}/result",
    response=responses({201: TaskDetail}, 400, 404, 409),
    operation_id="inspections_task_result",
    summary="登记检查结果",
)
def task_result(request, task_id: Id, payload: ResultIn):
    """登记检查结果（谁检查、谁录入：抽中的检查人员，或承办机构负责人代为登记）。检查须由两名
    当日持有效执法证件的人员实施（行政处罚法第四十二条）；“立案查处”同时登记案件线索。登记之日起
    20个工作日内公开。已登记或计划未抽取时返回 409。"""
    need(request, "inspections.view_task", "登记检查结果")
    found = _task_or_404(request, task_id)
    services.task_result_record(actor=request.user, task=found, **payload.dict())
    return Status(201, _task_detail(selectors.task_detail(found.pk)))


@router.post(
    "/tasks/{task_id}/publish",
    response=responses({200: TaskDetail}, 404, 409),
    operation_id="inspections_task_publish",
    summary="公开检查结果",
)
def task_publish(request, task_id: Id):
    """在门户公开检查结果（政府信息公开条例第二十六条：20个工作日内）。结果未登记或已公开时
    返回 409。"""
    need(request, "inspections.publish_result", "公开检查结果")
    found = _task_or_404(request, task_id)
    services.task_result_publish(actor=request.user, task=found)
    return _task_detail(selectors.task_detail(found.pk))


# --- writes: plans, the pools, the seed, the draw, conflicts, the target import ----------------
#
# Each endpoint is the page's view (``inspections.views``) without the HTML: the page's form
# parses the body (``formschema``), the page's permission check refuses with 403, and the one
# service decides. A step the plan's state or the seed does not allow now answers 409 with the
# service's Chinese reason; a wrong value 422 naming the field.


def _plan_form_fields() -> dict:
    """The plan form's fields (the weights are added in ``__init__``); its item choices are
    the agency's items in force, set per request."""
    from sanxiang.catalog.models import ItemVersion

    return dict(forms.PlanForm(item_queryset=ItemVersion.objects.none()).fields)


PLAN_FIELDS = _plan_form_fields()
PlanIn = formschema.schema_for(
    "PlanIn",
    PLAN_FIELDS,
    doc="抽查计划（与“制定抽查计划”页面的表单相同的字段）。权重 weight_<风险标签> 留空即为1。",
)


def _plan_form(request, payload, *, plan: Plan | None) -> forms.PlanForm:
    """The page's plan form (``views._plan_form``) bound to the body: the items offered are the
    agency's random-inspection items in force today, plus those the plan already names."""
    from sanxiang.catalog.models import ItemVersion

    agency = default_agency(request.user)
    offered = list(
        selectors.item_list(agency=agency, on=timezone.localdate()).values_list("pk", flat=True)
    )
    if plan is not None:
        offered += list(plan.items.values_list("pk", flat=True))
    form = forms.PlanForm(
        formschema.form_data(payload, PLAN_FIELDS),
        item_queryset=ItemVersion.objects.filter(pk__in=offered).select_related("item"),
    )
    if not form.is_valid():
        errors = formschema.form_errors(form)
        summary = "；".join(f"{k}：{'、'.join(v)}" for k, v in errors.items())
        raise ApiError(422, f"请求参数不正确（{summary}）", fields=errors)
    return form


def _step(call):
    """A step without a body: the plan's state or the seed does not allow it now → 409 with
    the service's reason (a service's field error has no field of the request to name)."""
    try:
        return call()
    except (NotPermitted, Blocked):
        raise
    except DomainError as exc:
        raise ApiError(
            409, exc.message, code=exc.code or "blocked", reasons=[exc.message]
        ) from None


def _plan_out(request, pk: int) -> dict:
    return plan(request, pk)


@router.post(
    "/plans",
    response=responses({201: PlanOut}, 400, 409),
    operation_id="inspections_plan_create",
    summary="制定抽查计划（草稿）",
)
def plan_create(request, payload: PlanIn):  # type: ignore[valid-type]
    """保存为草稿；核对无误后公布（`POST /plans/{plan_id}/publish`）。抽查事项须为本机关现行的
    双随机抽查事项；人社领域抽查比例不低于5%，低于5%须说明理由；每个对象至少2名检查人员。"""
    need(request, "inspections.manage_plans", "制定抽查计划")
    form = _plan_form(request, payload, plan=None)
    created = services.plan_create(
        actor=request.user, agency=default_agency(request.user), data=form.service_data()
    )
    return Status(201, _plan_out(request, created.pk))


@router.put(
    "/plans/{plan_id}",
    response=responses({200: PlanOut}, 400, 404, 409),
    operation_id="inspections_plan_update",
    summary="修改抽查计划（草稿）",
)
def plan_update(request, plan_id: Id, payload: PlanIn):  # type: ignore[valid-type]
    """替换草稿计划的全部内容。计划公布后不能修改：返回 409。"""
    need(request, "inspections.manage_plans", "修改抽查计划")
    found = _plan(request, plan_id)
    if found.state != PlanState.DRAFT:
        raise ApiError(
            409, "计划公布后不能修改。", code="wrong_state", reasons=["计划公布后不能修改。"]
        )
    form = _plan_form(request, payload, plan=found)
    services.plan_update(actor=request.user, plan=found, data=form.service_data())
    return _plan_out(request, found.pk)


@router.post(
    "/plans/{plan_id}/publish",
    response=responses({200: PlanOut}, 404, 409),
    operation_id="inspections_plan_publish",
    summary="公布抽查计划",
)
def plan_publish(request, plan_id: Id):
    """在门户公布计划及其随机种子规则（记入账本）。种子必须是公布时尚不存在的检查点或公开随机数；
    不能公布（已公布、无抽查事项、期间已结束、种子规则不符）时返回 409 和原因。"""
    need(request, "inspections.manage_plans", "办理抽查计划")
    found = _plan(request, plan_id)
    _step(lambda: services.plan_publish(actor=request.user, plan=found))
    return _plan_out(request, found.pk)


RestateIn = formschema.schema_for(
    "PlanRestateIn", dict(forms.RestateForm.base_fields), doc="重新约定随机种子"
)


@router.post(
    "/plans/{plan_id}/seed-rule",
    response=responses({200: PlanOut}, 400, 404, 409),
    operation_id="inspections_plan_restate",
    summary="重新约定随机种子",
)
def plan_restate(request, plan_id: Id, payload: RestateIn):  # type: ignore[valid-type]
    """名录库冻结前（如账本已先达到约定的树大小）重新约定种子规则并公布；新规则仍须指向尚不存在
    的数值。"""
    need(request, "inspections.manage_plans", "办理抽查计划")
    found = _plan(request, plan_id)
    fields = dict(forms.RestateForm.base_fields)
    form = forms.RestateForm(formschema.form_data(payload, fields))
    if not form.is_valid():
        raise ApiError(
            422, "请填写重新约定的理由和新的种子规则。", fields=formschema.form_errors(form)
        )
    d = form.cleaned_data
    services.plan_seed_restate(
        actor=request.user,
        plan=found,
        reason=d["reason"],
        seed_tree_size=d["seed_tree_size"],
        seed_public_on=d["seed_public_on"],
        seed_description=d["seed_description"] or None,
    )
    return _plan_out(request, found.pk)


@router.post(
    "/plans/{plan_id}/freeze",
    response=responses({200: DrawOut}, 404, 409),
    operation_id="inspections_pools_freeze",
    summary="冻结检查对象库和执法检查人员库",
)
def pools_freeze(request, plan_id: Id):
    """生成两库的规范文件并公布其 SHA-256 和利益冲突清单——此时随机种子尚不存在。计划未公布、
    种子可能已经产生、名录库为空或持证人员不足时返回 409 和原因。"""
    need(request, "inspections.manage_plans", "办理抽查计划")
    found = _plan(request, plan_id)
    _step(lambda: services.pools_freeze(actor=request.user, plan=found))
    return draw(request, found.pk)


class SeedIn(Body):
    text: Text(200) = Field(
        "",
        description="公开随机数（种子来源为人工登记的公开随机数时必填），照实登记公开发布的数值，"
        "如“03 08 12 19 25 31 + 07”；种子来源为账本检查点时不填",
    )


@router.post(
    "/plans/{plan_id}/seed",
    response=responses({200: DrawOut}, 404, 409),
    operation_id="inspections_seed_fix",
    summary="确定随机种子",
)
def seed_fix(request, plan_id: Id, payload: SeedIn):
    """种子为约定树大小之后第一个签名检查点的根哈希，或在约定日期及以后登记的公开随机数。
    检查点尚未签发、公开随机数尚未产生或计划状态不对时返回 409。"""
    need(request, "inspections.manage_plans", "办理抽查计划")
    found = _plan(request, plan_id)
    try:
        services.seed_fix(actor=request.user, plan=found, text=payload.text)
    except DomainError as exc:
        if exc.field == "text" and not isinstance(exc, (NotPermitted, Blocked)):
            raise ApiError(422, exc.message, fields={"text": [exc.message]}) from None
        raise
    return draw(request, found.pk)


@router.post(
    "/plans/{plan_id}/draw",
    response=responses({200: DrawOut}, 404, 409),
    operation_id="inspections_draw_execute",
    summary="执行随机抽取",
)
def draw_execute(request, plan_id: Id, payload: SeedIn):
    """与页面“确定种子并抽取”相同：名录库已冻结而种子未确定时先确定种子（`text` 同
    `POST …/seed`），再用公布的算法抽取并生成检查任务。不能抽取时返回 409 和原因。"""
    need(request, "inspections.manage_plans", "办理抽查计划")
    found = _plan(request, plan_id)

    def both() -> None:
        current = Plan.objects.get(pk=found.pk)
        if current.state == PlanState.FROZEN:
            services.seed_fix(actor=request.user, plan=current, text=payload.text)
            current.refresh_from_db()
        services.draw_execute(actor=request.user, plan=current)

    _step(both)
    return draw(request, found.pk)


class ConflictIn(Body):
    officer: Id = Field(description="执法人员编号（registry 的 officer id）；本人申报时为自己")
    uscc: Text(40, min_length=1) = Field(description="检查对象的统一社会信用代码")
    reason: Text(200, min_length=1) = Field(description="回避理由")


class ConflictOut(Schema):
    id: int
    officer_id: int
    officer_name: str
    target_id: int
    target_name: str
    uscc: str
    reason: str
    declared_by: UserRef
    declared_at: dt.datetime
    redrawn_tasks: list[int] = Field(
        description="因该冲突而重新抽取检查人员的任务（抽取后申报时，已记入账本）"
    )


@router.post(
    "/conflicts",
    response=responses({201: ConflictOut}, 400, 409),
    operation_id="inspections_conflict_declare",
    summary="申报利益冲突（回避）",
)
def conflict_declare(request, payload: ConflictIn):
    """执法人员申报本人与检查对象的利益冲突（承办机构负责人可为他人申报）。冻结前申报的是抽取的
    输入；抽取后申报的，本人在该对象未登记结果的任务中的位置立即重新抽取（记入账本）。"""
    from sanxiang.lib import codes
    from sanxiang.registry.models import Officer

    agency = default_agency(request.user)
    manage = request.user.has_perm("inspections.manage_plans")
    if not (manage or Officer.objects.filter(user=request.user, is_active=True).exists()):
        raise PermissionDenied("只有执法人员名录中的人员可以申报利益冲突")
    # The page's officer choices: everyone for the head who runs the plans, else oneself.
    offered = Officer.objects.filter(agency=agency, is_active=True)
    if not manage:
        offered = offered.filter(user=request.user)
    form = forms.ConflictForm(
        {"officer": str(payload.officer), "uscc": payload.uscc, "reason": payload.reason},
        officer_queryset=offered,
    )
    if not form.is_valid():
        raise ApiError(422, "请求参数不正确", fields=formschema.form_errors(form))
    d = form.cleaned_data
    try:
        uscc = codes.validate_uscc(d["uscc"])
    except codes.CodeError as exc:
        raise ApiError(422, exc.message, fields={"uscc": [exc.message]}) from None
    found = Target.objects.filter(agency=agency, uscc=uscc).first()
    if found is None:
        message = "名录库中没有该统一社会信用代码的检查对象"
        raise ApiError(422, message, fields={"uscc": [message]})
    conflict = services.conflict_declare(
        actor=request.user, officer=d["officer"], target=found, reason=d["reason"]
    )
    redrawn = (
        Task.objects.filter(
            target=found, inspectors__officer=d["officer"], inspectors__active=False
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    return Status(
        201,
        {
            "id": conflict.pk,
            "officer_id": d["officer"].pk,
            "officer_name": d["officer"].name,
            "target_id": found.pk,
            "target_name": found.name,
            "uscc": found.uscc,
            "reason": conflict.reason,
            "declared_by": user_ref(request.user),
            "declared_at": conflict.declared_at,
            "redrawn_tasks": list(redrawn),
        },
    )


class ImportRow(Schema):
    line: int = Field(description="文件中的行号（表头为第1行）")
    uscc: str
    name: str
    errors: list[str]
    status: str = Field("", description="新增、更新、未变（校验通过时）")


class ImportOut(Schema):
    dry_run: bool
    batch_id: int | None = Field(description="导入批次（只校验时为 null）")
    rows: int
    created: int
    updated: int
    unchanged: int
    report: list[ImportRow] = Field(description="逐行报告（最多前1000行）")


REPORT_ROWS = 1000


@router.post(
    "/target-imports",
    response=responses({200: ImportOut, 201: ImportOut}, 400, 409),
    operation_id="inspections_targets_import",
    summary="导入检查对象名录（CSV 或 XLSX）",
)
def targets_import(
    request,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
):
    """multipart/form-data：`file` 为 CSV 或 XLSX（第1行为表头：单位名称、统一社会信用代码必填，
    地址、行业、规模、风险标签、是否纳入选填），`dry_run=true` 只校验不导入。全部或全不：有任何
    一行错误则整个文件不导入，返回 422，`fields` 按“第N行”列出每一行的中文错误。导入返回 201，
    只校验返回 200。"""
    need(request, "inspections.manage_targets", "导入检查对象名录")
    form = forms.ImportForm({"dry_run": "on" if dry_run else ""}, {"file": file})
    if not form.is_valid():
        raise ApiError(422, "请求参数不正确", fields=formschema.form_errors(form))
    upload = form.cleaned_data["file"]
    try:
        outcome = services.targets_import(
            actor=request.user,
            agency=default_agency(request.user),
            file_name=upload.name or "",
            data=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
        )
    except services.ImportRejected as exc:
        fields: dict[str, list[str]] = {}
        if exc.parsed.errors:
            fields["file"] = list(exc.parsed.errors)
        for row in exc.parsed.bad_rows:
            fields[f"第{row.line}行"] = list(row.errors)
        fields.setdefault("file", [exc.message])
        raise ApiError(422, exc.message, code="import_rejected", fields=fields) from None
    report = [
        {**r.as_json(), "status": r.values.get("status", "")}
        for r in outcome.parsed.rows[:REPORT_ROWS]
    ]
    data = {
        "dry_run": outcome.batch is None,
        "batch_id": outcome.batch.pk if outcome.batch is not None else None,
        "rows": len(outcome.parsed.rows),
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "report": report,
    }
    return Status(200 if outcome.batch is None else 201, data)
