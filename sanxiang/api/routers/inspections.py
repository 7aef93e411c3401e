"""双随机抽查 Random inspections: plans, the target pool (检查对象名录库), draws with everything
needed to re-run them independently (frozen pools, their hashes, the seed, the result), tasks
and their results — through ``inspections.selectors`` and ``inspections.services``, with the
permissions of the staff pages (``inspections.views``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Plan, PlanState, RiskTag, Target, Task, TaskResult

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
