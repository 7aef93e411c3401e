"""Plans (抽查计划): create, edit while draft, publish with the seed rule, restate it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.ledger.selectors import tree_size
from sanxiang.lib.errors import DomainError

from .. import rules
from ..models import (
    Plan,
    PlanState,
    SeedSource,
)
from .common import _date, _locked_plan, _require, _require_state, _text

# --- plans -----------------------------------------------------------------------------------


def _plan_values(data: dict, *, agency) -> dict:
    from sanxiang.catalog.models import ItemVersion

    values: dict = {}
    values["code"] = _text(data.get("code"), field="code", label="计划编号", max_length=40)
    values["title"] = _text(data.get("title"), field="title", label="计划名称", max_length=200)
    values["scope"] = str(data.get("scope") or "").strip()[:5000]
    start = _date(data.get("period_start"), field="period_start", label="检查期间起始日期")
    end = _date(data.get("period_end"), field="period_end", label="检查期间截止日期")
    if end < start:
        raise DomainError("检查期间截止日期不能早于起始日期", field="period_end")
    values["period_start"], values["period_end"] = start, end
    try:
        ratio = Decimal(str(data.get("ratio", rules.DEFAULT_RATIO)))
    except (InvalidOperation, ValueError):
        raise DomainError("抽查比例应为数字（百分比）", field="ratio") from None
    reason = str(data.get("ratio_reason") or "").strip()
    problems = rules.ratio_problems(ratio, reason)
    if problems:
        raise DomainError(problems[0], field="ratio")
    values["ratio"], values["ratio_reason"] = ratio, reason
    weights = dict(data.get("weights") or {})
    problems = rules.weight_problems(weights)
    if problems:
        raise DomainError(problems[0], field="weights")
    values["weights"] = {k: weights[k] for k in rules.RISK_TAG_CODES if k in weights}
    per = data.get("inspectors_per_target", rules.MIN_INSPECTORS_PER_TARGET)
    if not isinstance(per, int) or per < rules.MIN_INSPECTORS_PER_TARGET or per > 10:
        raise DomainError(
            "每个检查对象至少抽取2名执法检查人员（行政处罚法第四十二条）",
            field="inspectors_per_target",
        )
    values["inspectors_per_target"] = per
    values["exclude_drawn_this_year"] = bool(data.get("exclude_drawn_this_year", True))
    source = data.get("seed_source", SeedSource.LEDGER)
    if source not in SeedSource.values:
        raise DomainError("请选择随机种子来源", field="seed_source")
    values["seed_source"] = source
    size = data.get("seed_tree_size")
    values["seed_tree_size"] = int(size) if size not in (None, "") else None
    values["seed_description"] = _text(
        data.get("seed_description"),
        field="seed_description",
        label="公开随机数的来源",
        max_length=200,
        required=False,
    )
    public_on = data.get("seed_public_on")
    values["seed_public_on"] = (
        _date(public_on, field="seed_public_on", label="公开随机数的产生日期")
        if public_on
        else None
    )
    items = list(data.get("items") or [])
    versions = list(
        ItemVersion.objects.select_related("item").filter(
            pk__in=[getattr(i, "pk", i) for i in items]
        )
    )
    if len(versions) != len(set(getattr(i, "pk", i) for i in items)):
        raise DomainError("请选择双随机抽查事项清单中的事项", field="items")
    for v in versions:
        if v.item.agency_id != agency.pk or not v.random_inspection:
            raise DomainError(f"“{v.name}”不在本机关的双随机抽查事项清单中", field="items")
    values["items"] = versions
    return values


@transaction.atomic
def plan_create(*, actor, agency, data: dict) -> Plan:
    """制定抽查计划 (draft). Published with :func:`plan_publish`."""
    _require(actor, "inspections.manage_plans", "制定抽查计划", agency=agency)
    values = _plan_values(data, agency=agency)
    items = values.pop("items")
    if Plan.objects.filter(agency=agency, code=values["code"]).exists():
        raise DomainError(f"计划编号“{values['code']}”已存在", field="code")
    try:
        with transaction.atomic():
            plan = Plan.objects.create(agency=agency, created_by=actor, **values)
    except IntegrityError:
        raise DomainError(f"计划编号“{values['code']}”已存在", field="code") from None
    plan.items.set(items)
    ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.plan_created",
        data={**_plan_facts(plan), "items": [v.pk for v in items]},
    )
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, data: dict) -> Plan:
    _require(actor, "inspections.manage_plans", "修改抽查计划", agency=plan.agency)
    plan = _locked_plan(plan)
    _require_state(plan, PlanState.DRAFT, what="修改（计划公布后不能修改）")
    values = _plan_values(data, agency=plan.agency)
    items = values.pop("items")
    if Plan.objects.filter(agency=plan.agency, code=values["code"]).exclude(pk=plan.pk).exists():
        raise DomainError(f"计划编号“{values['code']}”已存在", field="code")
    for k, v in values.items():
        setattr(plan, k, v)
    plan.save()
    plan.items.set(items)
    ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.plan_updated",
        data={**_plan_facts(plan), "items": [v.pk for v in items]},
    )
    return plan


def _plan_facts(plan: Plan) -> dict:
    return {
        "code": plan.code,
        "title": plan.title,
        "period": [plan.period_start, plan.period_end],
        "ratio": plan.ratio,
        "weights": plan.weights,
        "inspectors_per_target": plan.inspectors_per_target,
        "seed_source": plan.seed_source,
        "seed_tree_size": plan.seed_tree_size,
        "seed_description": plan.seed_description,
        "seed_public_on": plan.seed_public_on,
    }


def _check_seed_rule(plan: Plan, *, today: dt.date) -> None:
    """The seed must not exist yet (docs §3): a tree size ahead of the log, or a public value
    that appears on a later day."""
    if plan.seed_source == SeedSource.LEDGER:
        size = tree_size()
        if plan.seed_tree_size is None:
            raise DomainError("请填写约定的账本树大小", field="seed_tree_size")
        if plan.seed_tree_size < size + rules.MIN_SEED_MARGIN:
            raise DomainError(
                f"约定的账本树大小应大于当前树大小（{size}）至少{rules.MIN_SEED_MARGIN}："
                "随机种子必须是计划公布时尚不存在的检查点",
                field="seed_tree_size",
            )
    else:
        if not plan.seed_description:
            raise DomainError(
                "请写明公开随机数的来源（如“某日中国福利彩票双色球开奖号码”）",
                field="seed_description",
            )
        if plan.seed_public_on is None or plan.seed_public_on <= today:
            raise DomainError(
                "公开随机数的产生日期应晚于今天：随机种子必须是计划公布时尚不存在的数值",
                field="seed_public_on",
            )


@transaction.atomic
def plan_publish(*, actor, plan: Plan) -> Plan:
    """公布抽查计划 on the portal, with its seed rule, before anything is drawn."""
    _require(actor, "inspections.manage_plans", "公布抽查计划", agency=plan.agency)
    plan = _locked_plan(plan)
    _require_state(plan, PlanState.DRAFT, what="公布")
    today = timezone.localdate()
    if not plan.items.exists():
        raise DomainError("请选择至少一个抽查事项", field="items")
    if plan.period_end < today:
        raise DomainError("检查期间已经结束，不能公布", field="period_end")
    _check_seed_rule(plan, today=today)
    plan.state, plan.published_at, plan.published_by = (
        PlanState.PUBLISHED,
        timezone.now(),
        actor,
    )
    plan.save(update_fields=["state", "published_at", "published_by"])
    ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.plan_published",
        data={**_plan_facts(plan), "items": list(plan.items.values_list("pk", flat=True))},
    )
    return plan


@transaction.atomic
def plan_seed_restate(
    *,
    actor,
    plan: Plan,
    reason: str,
    seed_tree_size: int | None = None,
    seed_public_on: dt.date | None = None,
    seed_description: str | None = None,
) -> Plan:
    """重新约定随机种子 before the pools are frozen (e.g. the log passed the stated size first).
    The new rule must again point at something that does not exist yet; the change is public."""
    _require(actor, "inspections.manage_plans", "重新约定随机种子", agency=plan.agency)
    plan = _locked_plan(plan)
    _require_state(
        plan, PlanState.PUBLISHED, what="重新约定随机种子（名录库冻结后种子规则不可更改）"
    )
    reason = _text(reason, field="reason", label="重新约定的理由", max_length=200)
    before = _plan_facts(plan)
    if plan.seed_source == SeedSource.LEDGER:
        plan.seed_tree_size = seed_tree_size
    else:
        plan.seed_public_on = seed_public_on
        if seed_description is not None:
            plan.seed_description = _text(
                seed_description, field="seed_description", label="公开随机数的来源", max_length=200
            )
    _check_seed_rule(plan, today=timezone.localdate())
    plan.save(update_fields=["seed_tree_size", "seed_public_on", "seed_description"])
    ledger.record(
        actor=actor,
        subject=plan,
        type="inspection.seed_restated",
        data={"reason": reason, "before": before, "after": _plan_facts(plan)},
    )
    return plan
