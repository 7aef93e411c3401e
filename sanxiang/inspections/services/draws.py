"""Freezing the pools, conflicts, the seed, the draw and redraws (docs/random-inspections.md §3-§4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.ledger.models import Checkpoint
from sanxiang.ledger.selectors import tree_size
from sanxiang.lib import draw as drawlib
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry import rules as registry_rules
from sanxiang.registry import selectors as registry
from sanxiang.registry.models import Certificate, Officer

from .. import rules
from ..models import (
    Conflict,
    Draw,
    Plan,
    PlanState,
    SeedSource,
    Target,
    Task,
    TaskInspector,
)
from .common import _fmt, _locked_plan, _require, _require_state, _text
from .plans import _plan_facts

# --- freezing the pools ----------------------------------------------------------------------


def inspector_pool(*, agency, on: dt.date) -> list[tuple[Officer, Certificate]]:
    """执法检查人员名录库 on ``on``: officers on the roster with a certificate valid that day
    (registry.certified_officers), each with the certificate printed for that day (the latest
    issued valid one, registry.rules.valid_certificate). Expired, suspended, ended → out."""
    officers = list(registry.certified_officers(agency=agency, on=on))
    certs: dict[int, list[Certificate]] = {}
    for c in Certificate.objects.filter(officer__in=officers).prefetch_related("suspensions"):
        certs.setdefault(c.officer_id, []).append(c)
    pool = []
    for officer in officers:
        mine = certs.get(officer.pk, [])
        facts = [c.facts() for c in mine]
        chosen = registry_rules.valid_certificate(facts, on)
        if chosen is not None:
            pool.append((officer, mine[facts.index(chosen)]))
    return pool


def _drawn_this_year(plan: Plan) -> set[int]:
    year = plan.period_start.year
    return set(
        Task.objects.filter(plan__agency=plan.agency, plan__period_start__year=year)
        .exclude(plan=plan)
        .values_list("target_id", flat=True)
    )


@transaction.atomic
def pools_freeze(*, actor, plan: Plan) -> Draw:
    """冻结两库: build the canonical target and inspector pool files, take their SHA-256 and
    the declared conflicts, and record them publicly — while the seed does not exist yet."""
    _require(actor, "inspections.manage_plans", "冻结名录库", agency=plan.agency)
    plan = _locked_plan(plan)
    _require_state(plan, PlanState.PUBLISHED, what="冻结名录库")
    today = timezone.localdate()
    if plan.seed_source == SeedSource.LEDGER:
        size = tree_size()
        if size >= plan.seed_tree_size:
            raise DomainError(
                f"账本已达到约定的树大小 {plan.seed_tree_size}（当前 {size}），种子可能已经产生，"
                "不能再冻结名录库；请先重新约定随机种子",
                code="seed_passed",
            )
    elif today >= plan.seed_public_on:
        raise DomainError(
            f"约定的公开随机数已于{_fmt(plan.seed_public_on)}产生，不能再冻结名录库；请先重新约定随机种子",
            code="seed_passed",
        )
    targets = Target.objects.filter(agency=plan.agency, is_active=True).order_by("uscc")
    excluded = _drawn_this_year(plan) if plan.exclude_drawn_this_year else set()
    target_rows = [
        t for t in targets.only("pk", "uscc", "name", "risk_tags") if t.pk not in excluded
    ]
    if not target_rows:
        raise DomainError("检查对象名录库中没有可抽取的检查对象，请先导入")
    officers = inspector_pool(agency=plan.agency, on=today)
    if len(officers) < plan.inspectors_per_target:
        raise DomainError(
            f"持有有效执法证件的执法人员只有{len(officers)}人，少于每个检查对象所需的"
            f"{plan.inspectors_per_target}人"
        )
    try:
        target_pool = drawlib.pool_build(
            "targets",
            (
                drawlib.target_entry(
                    id=t.uscc, name=t.name, weight=rules.target_weight(t.risk_tags, plan.weights)
                )
                for t in target_rows
            ),
        )
        officer_pool = drawlib.pool_build(
            "inspectors",
            (drawlib.inspector_entry(id=c.number, name=o.name) for o, c in officers),
        )
    except drawlib.DrawError as exc:
        raise DomainError(str(exc)) from None
    by_officer = {o.pk: c.number for o, c in officers}
    by_target = {t.pk: t.uscc for t in target_rows}
    conflicts = drawlib.conflicts_canonical(
        (by_officer[c.officer_id], by_target[c.target_id])
        for c in Conflict.objects.filter(
            agency=plan.agency, officer_id__in=by_officer, target_id__in=by_target
        )
    )
    target_count = drawlib.target_count_for(len(target_rows), plan.ratio_basis_points)
    draw = Draw(
        plan=plan,
        algorithm=drawlib.ALGORITHM,
        pool_on=today,
        targets_pool=target_pool.data.decode("utf-8"),
        targets_sha256=target_pool.sha256,
        targets_count=len(target_pool.entries),
        inspectors_pool=officer_pool.data.decode("utf-8"),
        inspectors_sha256=officer_pool.sha256,
        inspectors_count=len(officer_pool.entries),
        target_count=target_count,
        conflicts=conflicts,
        frozen_at=timezone.now(),
        frozen_by=actor,
        freeze_seq=-1,
    )
    event = ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.pools_frozen",
        data={
            "algorithm": drawlib.ALGORITHM,
            "pool_on": today,
            "targets": {"sha256": draw.targets_sha256, "count": draw.targets_count},
            "inspectors": {"sha256": draw.inspectors_sha256, "count": draw.inspectors_count},
            "conflicts": conflicts,
            "target_count": target_count,
            "excluded_drawn_this_year": len(excluded & {t.pk for t in targets}),
            "seed_rule": _plan_facts(plan),
        },
    )
    draw.freeze_seq = event.seq
    draw.save()
    plan.state = PlanState.FROZEN
    plan.save(update_fields=["state"])
    return draw


# --- conflicts -------------------------------------------------------------------------------


@transaction.atomic
def conflict_declare(*, actor, officer: Officer, target: Target, reason: str) -> Conflict:
    """申报利益冲突. Before a freeze it is an input of later draws; where the officer is
    already drawn for that target in an ongoing plan, the slot is redrawn at once (logged)."""
    # Officers declare their own conflicts (行政处罚法 第四十三条: 执法人员…应当回避); declaring
    # for someone else is for the unit head who runs the plans.
    if actor is None or not actor.is_active:
        raise NotPermitted("您没有申报利益冲突的权限")
    if getattr(officer, "user_id", None) != actor.pk:
        _require(
            actor, "inspections.manage_plans", "为其他执法人员申报利益冲突", agency=target.agency
        )
    if officer.agency_id != target.agency_id:
        raise DomainError("执法人员与检查对象不属于同一执法主体", field="officer")
    reason = _text(reason, field="reason", label="回避理由", max_length=200)
    if Conflict.objects.filter(officer=officer, target=target).exists():
        raise DomainError(f"{officer.name}与{target.name}的利益冲突已申报", field="target")
    conflict = Conflict.objects.create(
        agency=target.agency, officer=officer, target=target, reason=reason, declared_by=actor
    )
    ledger.record(
        actor=actor,
        subject=conflict,
        type="inspection.conflict_declared",
        data={"officer": officer.pk, "name": officer.name, "target": target.uscc, "reason": reason},
    )
    for seat in TaskInspector.objects.select_related("task__plan").filter(
        officer=officer, task__target=target, active=True, task__result=""
    ):
        _redraw(actor=actor, seat=seat, reason=drawlib.CONFLICT, note=f"利益冲突：{reason}")
    return conflict


# --- seed and draw ---------------------------------------------------------------------------


def seed_checkpoint(plan: Plan) -> Checkpoint | None:
    """The first checkpoint at or after the stated size (the seed), if it exists yet."""
    if plan.seed_tree_size is None:
        return None
    return Checkpoint.objects.filter(size__gte=plan.seed_tree_size).order_by("size").first()


@transaction.atomic
def seed_fix(*, actor, plan: Plan, text: str = "") -> Draw:
    """确定随机种子: the root of the first checkpoint at or after the stated size, or the
    public value entered by hand (on or after its stated day). Nothing else is accepted."""
    _require(actor, "inspections.manage_plans", "确定随机种子", agency=plan.agency)
    plan = _locked_plan(plan)
    _require_state(plan, PlanState.FROZEN, what="确定随机种子")
    draw = Draw.objects.select_for_update().get(plan=plan)
    if plan.seed_source == SeedSource.LEDGER:
        checkpoint = seed_checkpoint(plan)
        if checkpoint is None:
            raise DomainError(
                f"约定的检查点尚未签发：需要树大小 ≥ {plan.seed_tree_size} 的检查点，"
                f"当前账本树大小 {tree_size()}。检查点由定时任务签发，请稍后再试",
                code="seed_not_ready",
            )
        # Defence in depth: the seed must postdate both the plan and the frozen pools.
        if checkpoint.size <= draw.freeze_seq or checkpoint.created_at <= plan.published_at:
            raise DomainError("该检查点早于计划公布或名录库冻结，不能作为随机种子")
        seed = {
            "checkpoint": checkpoint.note,
            "source": SeedSource.LEDGER.value,
            "tree_size": plan.seed_tree_size,
            "value": bytes(checkpoint.root).hex(),
        }
    else:
        today = timezone.localdate()
        if today < plan.seed_public_on:
            raise DomainError(
                f"约定的公开随机数将于{_fmt(plan.seed_public_on)}产生，请在该日及以后登记",
                code="seed_not_ready",
            )
        value = drawlib.normalise_text(text)
        if not value:
            raise DomainError(f"请填写{plan.seed_description}的数值", field="text")
        if len(value) > 200:
            raise DomainError("公开随机数不能超过200个字", field="text")
        seed = {
            "description": plan.seed_description,
            "public_on": plan.seed_public_on.isoformat(),
            "source": SeedSource.MANUAL.value,
            "text": value,
            "value": drawlib.seed_from_text(value),
        }
    draw.seed, draw.seed_fixed_at = seed, timezone.now()
    draw.save(update_fields=["seed", "seed_fixed_at"])
    plan.state = PlanState.SEEDED
    plan.save(update_fields=["state"])
    ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.seed_fixed",
        data={k: v for k, v in seed.items() if k != "checkpoint"},
    )
    return draw


def _parameters(plan: Plan, draw: Draw) -> drawlib.Parameters:
    return drawlib.Parameters(
        target_count=draw.target_count,
        inspectors_per_target=plan.inspectors_per_target,
        ratio_basis_points=plan.ratio_basis_points,
    )


def draw_rerun(draw: Draw, *, redraws: list | None = None) -> drawlib.Result:
    """Run sanxiang.lib.draw on the frozen pools (the server's own copy of what is published)."""
    targets = drawlib.pool_parse("targets", draw.targets_pool.encode("utf-8"), canonical=False)
    inspectors = drawlib.pool_parse(
        "inspectors", draw.inspectors_pool.encode("utf-8"), canonical=False
    )
    if targets.sha256 != draw.targets_sha256 or inspectors.sha256 != draw.inspectors_sha256:
        raise DomainError("冻结的名录库与记录的哈希不符（数据被改动），拒绝抽取")
    return drawlib.run(
        targets=targets,
        inspectors=inspectors,
        parameters=_parameters(draw.plan, draw),
        seed=draw.seed["value"],
        conflicts=draw.conflicts,
        redraws=draw.redraws if redraws is None else redraws,
    )


@transaction.atomic
def draw_execute(*, actor, plan: Plan) -> Draw:
    """执行随机抽取: run the algorithm on the frozen pools with the fixed seed, store the result
    and create one task per drawn target with its drawn officers (and the certificate numbers
    they were drawn under). Drawn officers whose certificate is no longer valid today are
    replaced at once by logged redraws (reason ``unavailable``)."""
    _require(actor, "inspections.manage_plans", "执行随机抽取", agency=plan.agency)
    plan = _locked_plan(plan)
    _require_state(plan, PlanState.SEEDED, what="执行随机抽取")
    draw = Draw.objects.select_for_update(of=("self",)).select_related("plan").get(plan=plan)
    try:
        result = draw_rerun(draw)
    except drawlib.DrawError as exc:
        raise DomainError(f"无法抽取：{exc}") from None
    targets = {t.uscc: t for t in Target.objects.filter(agency=plan.agency)}
    officers = _officers_by_certificate(plan.agency, draw)
    names = {e["id"]: e["name"] for e in _entries("targets", draw.targets_pool)}
    for item in result.tasks:
        task = Task.objects.create(
            plan=plan,
            number=item["n"],
            target=targets[item["target"]],
            target_name=names[item["target"]],
        )
        TaskInspector.objects.bulk_create(
            TaskInspector(
                task=task,
                officer=officers[number],
                certificate_number=number,
                name=officers[number].name,
            )
            for number in item["inspectors"]
        )
    draw.result, draw.result_sha256 = result.document, result.sha256
    draw.executed_at, draw.executed_by = timezone.now(), actor
    draw.save(update_fields=["result", "result_sha256", "executed_at", "executed_by"])
    plan.state = PlanState.DRAWN
    plan.save(update_fields=["state"])
    ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.draw_executed",
        data={
            "algorithm": drawlib.ALGORITHM,
            "key": result.document["key"],
            "result_sha256": result.sha256,
            "tasks": len(result.tasks),
            "recusals": result.document["recusals"],
        },
    )
    # Certificates may have lapsed between the freeze and today (registry rules).
    today = timezone.localdate()
    seats = list(
        TaskInspector.objects.filter(task__plan=plan, active=True).select_related("task", "officer")
    )
    problems = registry.enforcement_problems(users=list({s.officer.user for s in seats}), on=today)
    for seat in seats:
        reasons = problems.get(seat.officer.user_id)
        if reasons:
            _redraw(actor=actor, seat=seat, reason=drawlib.UNAVAILABLE, note="；".join(reasons))
    return draw


def _entries(kind: str, pool_text: str) -> list[dict]:
    return list(drawlib.pool_parse(kind, pool_text.encode("utf-8"), canonical=False).entries)


def _officers_by_certificate(agency, draw: Draw) -> dict[str, Officer]:
    numbers = [e["id"] for e in _entries("inspectors", draw.inspectors_pool)]
    found = {
        c.number: c.officer
        for c in Certificate.objects.filter(number__in=numbers, officer__agency=agency)
        .select_related("officer__user")
        .order_by("pk")
    }
    missing = [n for n in numbers if n not in found]
    if missing:
        raise DomainError(f"执法证号 {'、'.join(missing)} 在登记簿中找不到持证人")
    return found


def _redraw(*, actor, seat: TaskInspector, reason: str, note: str) -> TaskInspector:
    """Replace one drawn officer of one task by the documented redraw (lib.draw §4.7)."""
    task = seat.task
    plan = _locked_plan(task.plan)
    draw = Draw.objects.select_for_update(of=("self",)).select_related("plan").get(plan=plan)
    request = {
        "inspector": seat.certificate_number,
        "reason": reason,
        "target": task.target.uscc,
    }
    redraws = [*draw.redraws, request]
    try:
        result = draw_rerun(draw, redraws=redraws)
    except drawlib.DrawError as exc:
        raise DomainError(f"无法重新抽取：{exc}") from None
    done = result.document["redraws"][-1]
    officers = _officers_by_certificate(plan.agency, draw)
    replacement = officers[done["replacement"]]
    seat.active, seat.removed_reason = False, note[:200]
    seat.save(update_fields=["active", "removed_reason"])
    new = TaskInspector.objects.create(
        task=task,
        officer=replacement,
        certificate_number=done["replacement"],
        name=replacement.name,
    )
    draw.redraws, draw.result, draw.result_sha256 = redraws, result.document, result.sha256
    draw.save(update_fields=["redraws", "result", "result_sha256"])
    ledger.record(
        actor=actor,
        subject=task,
        type="inspection.redrawn",
        data={
            "plan": plan.code,
            "target": task.target.uscc,
            "removed": seat.certificate_number,
            "replacement": done["replacement"],
            "reason": reason,
            "note": note,
            "redraw": len(redraws),
            "result_sha256": result.sha256,
        },
    )
    return new
