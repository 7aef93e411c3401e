"""Reads for the staff pages, the portal and 我的待办. The portal selectors return only
publishable data: employer names and credit codes, officers' names and certificate numbers
(already public on the roster, 国办发〔2018〕118号), hashes, seeds and results — never
addresses, risk tags, internal findings, complainants or case details."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from sanxiang.catalog.selectors import random_inspection_items_on
from sanxiang.ledger.selectors import timeline_of_subject, tree_size
from sanxiang.lib import draw as drawlib
from sanxiang.lib.canonical import canonical_json
from sanxiang.lib.todo import TodoItem
from sanxiang.workcalendar.selectors import CalendarYearMissing, add_workdays, deadline_status

from . import rules
from .models import Draw, Plan, PlanState, SeedSource, Target, Task, TaskInspector, TaskResult

# --- item list and target pool ---------------------------------------------------------------


def item_list(*, agency, on: dt.date):
    """一单: the random-inspection item list as of ``on`` (catalogue versions in force)."""
    return random_inspection_items_on(on=on, agency=agency)


def target_list(*, agency, q: str = "", tag: str = "", active: str = "") -> QuerySet[Target]:
    qs = Target.objects.filter(agency=agency)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc__icontains=q) | Q(industry__contains=q))
    if tag:
        # JSON list membership, the same on SQLite and PostgreSQL: the tag codes are ASCII
        # words that never occur inside one another.
        qs = qs.filter(risk_tags__icontains=f'"{tag}"')
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.order_by("-is_active", "uscc")


def target_counts(*, agency) -> dict:
    return Target.objects.filter(agency=agency).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )


# --- plans -----------------------------------------------------------------------------------


def plan_list(*, agency) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(agency=agency)
        .select_related("draw")
        .annotate(
            task_total=Count("tasks", distinct=True),
            task_done=Count("tasks", filter=~Q(tasks__result=""), distinct=True),
        )
        .order_by("-period_start", "-pk")
    )


def plan_detail(pk: int) -> Plan:
    return (
        Plan.objects.select_related("agency", "created_by", "published_by")
        .prefetch_related("items__item")
        .get(pk=pk)
    )


def plan_draw(plan: Plan) -> Draw | None:
    return Draw.objects.filter(plan=plan).first()


@dataclass(frozen=True)
class SeedStatus:
    source: str
    stated: str  # the rule, in words
    ready: bool  # the seed exists now
    progress: str  # how far it is


def seed_status(plan: Plan, *, today: dt.date) -> SeedStatus:
    from .services import seed_checkpoint

    if plan.seed_source == SeedSource.LEDGER:
        size = tree_size()
        checkpoint = seed_checkpoint(plan)
        stated = f"账本中树大小不小于 {plan.seed_tree_size} 的第一个签名检查点的根哈希"
        if checkpoint is not None:
            progress = f"检查点（树大小 {checkpoint.size}）已签发"
        else:
            progress = f"当前账本树大小 {size}，尚待签发树大小 ≥ {plan.seed_tree_size} 的检查点"
        return SeedStatus(plan.seed_source, stated, checkpoint is not None, progress)
    stated = f"{plan.seed_description}（{rules_fmt(plan.seed_public_on)}产生）"
    ready = plan.seed_public_on is not None and today >= plan.seed_public_on
    progress = "可以登记" if ready else f"将于{rules_fmt(plan.seed_public_on)}产生"
    return SeedStatus(plan.seed_source, stated, ready, progress)


def rules_fmt(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（未定）"


def suggested_seed_tree_size() -> int:
    """A default for the plan form: far enough ahead that the freeze comes first."""
    return tree_size() + 30


def plan_timeline(plan: Plan):
    return timeline_of_subject(plan)


# --- the published draw files (docs/random-inspections.md §5) ------------------------------


def draw_input(draw: Draw) -> dict:
    """draw-input.json: algorithm, parameters, pool hashes and file names, conflicts, seed
    (once fixed) and the redraw requests."""
    plan = draw.plan
    doc = {
        "algorithm": draw.algorithm,
        "conflicts": draw.conflicts,
        "parameters": {
            "inspectors_per_target": plan.inspectors_per_target,
            "ratio_basis_points": plan.ratio_basis_points,
            "target_count": draw.target_count,
        },
        "plan": {"agency": plan.agency.name, "code": plan.code, "title": plan.title},
        "pools": {
            "inspectors": {
                "count": draw.inspectors_count,
                "file": "inspectors.jsonl",
                "sha256": draw.inspectors_sha256,
            },
            "targets": {
                "count": draw.targets_count,
                "file": "targets.jsonl",
                "sha256": draw.targets_sha256,
            },
        },
        "redraws": draw.redraws,
        "seed": draw.seed
        or {"source": plan.seed_source, "value": None, "note": "种子尚未产生 / not yet known"},
    }
    return doc


def draw_files(draw: Draw) -> dict[str, bytes]:
    files = {
        "draw-input.json": canonical_json(draw_input(draw)),
        "targets.jsonl": draw.targets_pool.encode("utf-8"),
        "inspectors.jsonl": draw.inspectors_pool.encode("utf-8"),
    }
    if draw.result is not None:
        files["draw-result.json"] = canonical_json(draw.result)
    return files


def draw_zip(draw: Draw) -> bytes:
    buffer = io.BytesIO()
    folder = f"draw-{draw.plan.pk}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in draw_files(draw).items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# --- tasks and results -----------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    due: dt.date | None
    status: str  # on_track / due_soon / overdue / published / unknown / none
    label: str


def publication_due(task: Task, *, today: dt.date | None = None) -> Due:
    """20 working days from the day the result was recorded (rules.PUBLISH_WORKDAYS), through
    the workcalendar import point; a year without calendar data gives an unknown due date."""
    if not task.completed_on:
        return Due(None, "none", "")
    try:
        due = add_workdays(task.completed_on, rules.PUBLISH_WORKDAYS)
    except CalendarYearMissing as exc:
        return Due(None, "unknown", f"期限待定：{exc}")
    if task.published_at is not None:
        return Due(due, "published", "已公开")
    if today is None:
        return Due(due, "on_track", "")
    status = deadline_status(today, due)
    return Due(due, status.value, status.label)


def _seats() -> Prefetch:
    return Prefetch(
        "inspectors",
        queryset=TaskInspector.objects.select_related("officer__user").order_by("pk"),
    )


def task_list(*, user, agency, mine: bool = False, state: str = "", plan_id: int | None = None):
    qs = Task.objects.filter(plan__agency=agency).select_related("plan", "target", "case")
    if mine:
        qs = qs.filter(inspectors__officer__user=user, inspectors__active=True)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if state == "open":
        qs = qs.filter(result="")
    elif state == "unpublished":
        qs = qs.exclude(result="").filter(published_at__isnull=True)
    elif state == "published":
        qs = qs.filter(published_at__isnull=False)
    return qs.prefetch_related(_seats()).order_by("-plan__period_start", "plan_id", "number")


def task_detail(pk: int) -> Task:
    return (
        Task.objects.select_related("plan__agency", "target", "case", "recorded_by", "published_by")
        .prefetch_related(_seats())
        .get(pk=pk)
    )


def task_timeline(task: Task):
    return timeline_of_subject(task)


def is_task_inspector(task: Task, user) -> bool:
    return any(s.active and s.officer.user_id == user.pk for s in task.inspectors.all())


# --- portal (public) -------------------------------------------------------------------------


def public_plans(*, agency=None) -> QuerySet[Plan]:
    qs = Plan.objects.exclude(state=PlanState.DRAFT).select_related("agency", "draw")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.annotate(
        published_results=Count("tasks", filter=Q(tasks__published_at__isnull=False))
    ).order_by("-published_at", "-pk")


def public_plan(pk: int) -> Plan:
    return (
        Plan.objects.exclude(state=PlanState.DRAFT)
        .select_related("agency")
        .prefetch_related("items__item")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class PublicTask:
    number: int
    target_name: str
    uscc: str
    inspectors: list[tuple[str, str]]  # (name, certificate number)
    result: str
    summary: str
    inspected_on: dt.date | None
    published: bool


def public_tasks(plan: Plan) -> list[PublicTask]:
    """抽查任务公告 / 结果公告: drawn targets with their drawn officers; results once published."""
    rows = []
    for t in (
        Task.objects.filter(plan=plan)
        .select_related("target")
        .prefetch_related(
            Prefetch(
                "inspectors", queryset=TaskInspector.objects.filter(active=True).order_by("pk")
            )
        )
        .order_by("number")
    ):
        published = t.published_at is not None
        rows.append(
            PublicTask(
                number=t.number,
                target_name=t.target_name,
                uscc=t.target.uscc,
                inspectors=[(s.name, s.certificate_number) for s in t.inspectors.all()],
                result=TaskResult(t.result).label if published else "",
                summary=t.public_summary if published else "",
                inspected_on=t.inspected_on if published else None,
                published=published,
            )
        )
    return rows


def public_results(*, limit: int = 200) -> QuerySet[Task]:
    return (
        Task.objects.filter(published_at__isnull=False)
        .select_related("plan", "target")
        .order_by("-published_at", "-pk")[:limit]
    )


# --- 我的待办 --------------------------------------------------------------------------------


def todo_items_for(*, user, today: dt.date) -> list[TodoItem]:
    """Drawn officers: inspections to carry out and record. Publicity administrators (and the
    unit head, who answers for the plan): results to publish within 20 working days, overdue
    first."""
    items: list[TodoItem] = []
    if not user.has_perm("inspections.view_task"):
        return items
    open_tasks = (
        Task.objects.filter(
            result="",
            plan__state=PlanState.DRAWN,
            inspectors__officer__user=user,
            inspectors__active=True,
        )
        .select_related("plan")
        .order_by("plan__period_end", "number")
    )
    for t in open_tasks:
        overdue = t.plan.period_end < today
        items.append(
            TodoItem(
                title="实施双随机检查并登记结果",
                subject=f"{t.plan.code} · {t.target_name}",
                url=reverse("inspections:task_detail", args=[t.pk]),
                due=t.plan.period_end,
                basis="抽查计划的检查期间",
                urgency="overdue" if overdue else "normal",
            )
        )
    if user.has_perm("inspections.publish_result") or user.has_perm("inspections.manage_plans"):
        waiting = (
            Task.objects.exclude(result="")
            .filter(published_at__isnull=True)
            .select_related("plan")
            .order_by("completed_on", "pk")
        )
        for t in waiting:
            due = publication_due(t, today=today)
            urgency = {"overdue": "overdue", "due_soon": "soon", "unknown": "unknown"}.get(
                due.status, "normal"
            )
            items.append(
                TodoItem(
                    title="公开双随机抽查结果",
                    subject=f"{t.plan.code} · {t.target_name}",
                    url=reverse("inspections:task_detail", args=[t.pk]),
                    due=due.due,
                    basis=rules.PUBLISH_BASIS,
                    urgency=urgency,
                    note=due.label if due.status == "unknown" else "",
                )
            )
    return items


__all__ = [
    "SeedStatus",
    "draw_files",
    "draw_input",
    "draw_zip",
    "drawlib",
    "item_list",
    "plan_detail",
    "plan_list",
    "public_plans",
    "public_results",
    "public_tasks",
    "publication_due",
    "seed_status",
    "target_list",
    "task_detail",
    "task_list",
    "todo_items_for",
]
