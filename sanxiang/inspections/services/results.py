"""Results (检查结果) and their publication."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry import selectors as registry

from .. import rules
from ..models import (
    PlanState,
    Task,
    TaskResult,
)
from .common import _date, _require, _text

# --- results ---------------------------------------------------------------------------------


def _case_register(*, actor, task: Task, inspected_on: dt.date, findings: str, summary: str):
    """立案: a lead in the cases app with source 双随机抽查 (cases.services.case_register)."""
    from sanxiang.cases import services as case_services
    from sanxiang.cases.choices import Channel, PartyKind, Source

    target = task.target
    return case_services.case_register(
        actor=actor,
        agency=task.plan.agency,
        source=Source.RANDOM,
        channel=Channel.SYSTEM,
        received_on=inspected_on,
        summary=f"双随机抽查发现：{summary}"[:200],
        facts=findings,
        parties=[
            {
                "kind": PartyKind.ORGANISATION,
                "name": target.name,
                "uscc": target.uscc,
                "address": target.address,
            }
        ],
        # The cause (案由) is chosen by the case team when filing: the plan's items say what
        # was checked, not which rule was broken.
        causes=[],
    )


@transaction.atomic
def task_result_record(
    *,
    actor,
    task: Task,
    inspected_on: dt.date,
    result: str,
    findings: str,
    public_summary: str = "",
    transfer_to: str = "",
) -> Task:
    """登记检查结果 (未发现问题 / 责令改正 / 立案 / 移送). Only a drawn officer of the task (or the
    unit head) records it; the inspection needed two officers with certificates valid that day
    (行政处罚法 第四十二条). 立案 registers a case lead with source 双随机抽查. The 20-working-day
    publication clock starts on the day the result is recorded."""
    if actor is None or not actor.is_active:
        raise NotPermitted("您没有登记检查结果的权限")
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__agency", "target")
        .get(pk=task.pk)
    )
    seats = list(task.inspectors.filter(active=True).select_related("officer__user"))
    # 谁检查、谁录入: the drawn officers record; the unit head may record for them.
    if actor.pk not in {s.officer.user_id for s in seats}:
        _require(actor, "inspections.manage_plans", "登记他人的检查结果", agency=task.plan.agency)
        if not actor.has_perm("inspections.record_result"):
            raise NotPermitted("检查结果由抽中的检查人员登记")
    if task.plan.state != PlanState.DRAWN:
        raise DomainError("该计划尚未抽取")
    if task.result:
        raise DomainError("该任务的检查结果已登记", code="already_recorded")
    inspected_on = _date(inspected_on, field="inspected_on", label="检查日期")
    today = timezone.localdate()
    if inspected_on > today:
        raise DomainError("检查日期不能晚于今天", field="inspected_on")
    if inspected_on < task.plan.draw.executed_at.astimezone(timezone.get_current_timezone()).date():
        raise DomainError("检查日期不能早于抽取日期", field="inspected_on")
    if result not in TaskResult.values:
        raise DomainError("请选择检查结果", field="result")
    findings = str(findings or "").strip()
    if not findings:
        raise DomainError("请填写检查情况", field="findings")
    if len(findings) > 5000:
        raise DomainError("检查情况不能超过5000字", field="findings")
    public_summary = _text(
        public_summary,
        field="public_summary",
        label="公开的结果说明",
        max_length=300,
        required=False,
    )
    transfer_to = _text(
        transfer_to, field="transfer_to", label="移送机关", max_length=100, required=False
    )
    problems = rules.result_summary_problems(result, public_summary, transfer_to)
    if problems:
        raise DomainError(problems[0], field="public_summary")
    team = registry.team_problems(
        users=[s.officer.user for s in seats], on=inspected_on, act="双随机检查"
    )
    if team:
        raise Blocked(team)
    case = None
    if result == TaskResult.CASE:
        case = _case_register(
            actor=actor,
            task=task,
            inspected_on=inspected_on,
            findings=findings,
            summary=public_summary,
        )
    task.inspected_on, task.result, task.findings = inspected_on, result, findings
    task.public_summary = public_summary or TaskResult(result).label
    task.transfer_to, task.case = transfer_to, case
    task.completed_on, task.recorded_by = today, actor
    task.save()
    ledger.record(
        actor=actor,
        subject=task,
        type="inspection.result_recorded",
        data={
            "plan": task.plan.code,
            "target": task.target.uscc,
            "inspected_on": inspected_on,
            "result": result,
            "public_summary": task.public_summary,
            "transfer_to": transfer_to,
            "case": case.registration_no if case is not None else None,
            "inspectors": [s.certificate_number for s in seats],
            # The on-site material as it stands when the result is recorded (for 立案: what the
            # case file takes over from the inspection).
            "onsite": _onsite_material(task),
        },
    )
    return task


def _onsite_material(task: Task) -> dict:
    from sanxiang.records.evidence.selectors import holder_evidence

    return {
        "records": [
            {
                "document": r.document_id,
                "verification_code": r.document.verification_code,
                "pdf_sha256": r.document.pdf_sha256,
            }
            for r in task.records.select_related("document").order_by("pk")
        ],
        "evidence": [
            {"number": e.number, "sha256": e.sha256, "sm3": e.sm3} for e in holder_evidence(task)
        ],
    }


@transaction.atomic
def task_result_publish(*, actor, task: Task) -> Task:
    """公开检查结果 on the portal (within 20 working days of the result, 政府信息公开条例 第二十六条)."""
    from ..selectors import publication_due

    _require(actor, "inspections.publish_result", "公开检查结果", agency=task.plan.agency)
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan", "target")
        .get(pk=task.pk)
    )
    if not task.result:
        raise DomainError("检查结果尚未登记，不能公开")
    if task.published_at is not None:
        raise DomainError("该检查结果已公开", code="already_published")
    due = publication_due(task)
    task.published_at, task.published_by = timezone.now(), actor
    task.save(update_fields=["published_at", "published_by"])
    today = timezone.localdate()
    ledger.record(
        actor=actor,
        subject=task,
        type="inspection.result_published",
        data={
            "plan": task.plan.code,
            "target": task.target.uscc,
            "result": task.result,
            "public_summary": task.public_summary,
            "due": due.due,
            "on_time": None if due.due is None else today <= due.due,
        },
    )
    return task
