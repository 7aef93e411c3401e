"""The on-site inspection of a task (现场检查): the 现场检查笔录 made through the records app's
document engine with the task as its subject, the signed scan of it, and evidence files held by
the task (registered with ``records.evidence.holders`` in ``InspectionsConfig.ready()``).

All of it belongs to the full-process record (执法全过程记录): made by the drawn officers, hashed
and in the ledger; when the result is 立案 it is listed with the new case (holders case link).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry import selectors as registry

from ..models import PlanState, Task, TaskRecord
from .common import _text

CLOCK_SKEW = dt.timedelta(minutes=10)


def _seats(task: Task) -> list:
    return list(task.inspectors.filter(active=True).select_related("officer__user"))


def onsite_problems(task: Task, user) -> list[str]:
    """Why ``user`` may not add a 现场检查笔录 or evidence to ``task`` now ([] = may).
    谁检查、谁记录: only a drawn officer of the task, before the result is recorded."""
    problems = []
    if user is None or not user.is_active:
        return ["请先登录"]
    if user.pk not in {s.officer.user_id for s in _seats(task)}:
        problems.append("现场检查笔录和证据由抽中的检查人员制作和上传")
    if task.plan.state != PlanState.DRAWN:
        problems.append("该计划尚未抽取")
    if task.result:
        problems.append("检查结果已登记，不能再补充现场检查笔录或证据")
    return problems


def task_recorders(task: Task) -> list:
    return [s.officer.user for s in _seats(task)]


def task_url(task: Task) -> str:
    return reverse("inspections:task_detail", args=[task.pk])


def tasks_of_case(case) -> list[Task]:
    """The task whose result 立案 registered ``case``: its on-site material is the case's too."""
    return list(Task.objects.filter(case=case).select_related("plan").order_by("pk"))


def _moment(value, *, field: str, label: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(f"请填写{label}（日期和时间）", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def task_title(task: Task) -> str:
    """What the 现场检查笔录 says it is about (its 案件名称 line)."""
    return f"{task.plan.title}（{task.plan.code}第{task.number}号）双随机抽查"


@transaction.atomic
def task_record_make(
    *,
    actor,
    task: Task,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    person_name: str,
    person_post: str,
    person_phone: str = "",
    witnesses: str = "",
    ids_shown: bool,
    recusal_asked: bool,
    recusal_answer: str = "",
    content: str,
    attachments_note: str = "",
    refusal_note: str = "",
    recorder=None,
) -> TaskRecord:
    """制作现场检查笔录 for a task: the record row, then the document rendered by the records
    engine (``records.services.document_generate``, subject = the task; 现场检查笔录 has no
    文号; a verification code), filled by the same builder as a case's inspection record. Two
    officers with certificates valid on the inspection day (行政处罚法 第四十二条), who showed
    them (第五十五条)."""
    from sanxiang.records import selectors as records_selectors
    from sanxiang.records import services as records_services
    from sanxiang.records.casedocs.builders import inspection_context

    if actor is None or not actor.is_active or not actor.has_perm("records.add_generateddocument"):
        raise NotPermitted("您没有制作现场检查笔录的权限")
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__agency", "target")
        .get(pk=task.pk)
    )
    if actor.pk not in {u.pk for u in task_recorders(task)}:
        raise NotPermitted("现场检查笔录由抽中的检查人员制作")
    if problems := onsite_problems(task, actor):
        raise DomainError(problems[0])
    started_at = _moment(started_at, field="started_at", label="检查开始时间")
    ended_at = _moment(ended_at, field="ended_at", label="检查结束时间")
    if ended_at < started_at:
        raise DomainError("检查结束时间不能早于开始时间", field="ended_at")
    if ended_at > timezone.now() + CLOCK_SKEW:
        raise DomainError("检查结束时间不能晚于现在：笔录记录已经完成的检查", field="ended_at")
    if ended_at - started_at > dt.timedelta(hours=24):
        raise DomainError("一次现场检查不能超过24小时，请核对开始和结束时间", field="ended_at")
    day = timezone.localtime(started_at).date()
    drawn_on = timezone.localtime(task.plan.draw.executed_at).date()
    if day < drawn_on:
        raise DomainError("检查日期不能早于抽取日期", field="started_at")
    place = _text(place, field="place", label="检查地点", max_length=200)
    person_name = _text(person_name, field="person_name", label="在场人姓名", max_length=50)
    person_post = _text(person_post, field="person_post", label="在场人职务", max_length=50)
    person_phone = _text(
        person_phone, field="person_phone", label="联系电话", max_length=30, required=False
    )
    witnesses = _text(witnesses, field="witnesses", label="见证人", max_length=200, required=False)
    recusal_answer = _text(
        recusal_answer, field="recusal_answer", label="对回避的答复", max_length=100, required=False
    )
    refusal_note = _text(
        refusal_note, field="refusal_note", label="拒绝签名情况", max_length=200, required=False
    )
    content = str(content or "").strip()
    if not content:
        raise DomainError("请填写检查情况", field="content")
    if len(content) > 5000:
        raise DomainError("检查情况不能超过5000字", field="content")
    attachments_note = str(attachments_note or "").strip()[:2000]
    if not ids_shown:
        raise DomainError("现场检查应当出示执法证件（行政处罚法 第五十五条）", field="ids_shown")
    if not recusal_asked:
        raise DomainError("应当告知被检查单位申请回避的权利", field="recusal_asked")
    users = task_recorders(task)
    recorder = recorder or actor
    if recorder.pk not in {u.pk for u in users}:
        raise DomainError("记录人须为本任务抽中的检查人员", field="recorder")
    if team := registry.team_problems(users=users, on=day, act="现场检查"):
        raise Blocked(team)
    record = TaskRecord(
        task=task, started_at=started_at, ended_at=ended_at, place=place, recorder=recorder,
        person_name=person_name, person_post=person_post, person_phone=person_phone,
        witnesses=witnesses, ids_shown=ids_shown, recusal_asked=recusal_asked,
        recusal_answer=recusal_answer, content=content, attachments_note=attachments_note,
        refusal_note=refusal_note, created_by=actor, created_at=timezone.now(),
    )  # fmt: skip
    context = inspection_context(
        record,
        agency_name=task.plan.agency.name,
        case_title=task_title(task),
        party_name=task.target.name,
        party_address=task.target.address,
        officers=records_selectors.officer_refs(users=users, on=day),
    )
    document = records_services.document_generate(
        actor=actor,
        doc_type="inspection_record",
        subject=task,
        context=context,
        agency=task.plan.agency,
    )
    record.document = document
    record.save()
    ledger.record(
        actor=actor,
        subject=task,
        type="inspection.onsite_recorded",
        data={
            "plan": task.plan.code,
            "target": task.target.uscc,
            "record": record.pk,
            "document": document.pk,
            "verification_code": document.verification_code,
            "pdf_sha256": document.pdf_sha256,
            "started_at": started_at,
            "ended_at": ended_at,
            "inspectors": [u.pk for u in users],
        },
    )
    return record


@transaction.atomic
def task_record_scan_attach(*, actor, record: TaskRecord, uploaded_file):
    """上传签章扫描件 of a task's 现场检查笔录 (signed by the person present on every page and by
    the officers): a drawn officer of the task, through ``records.services.document_attach_scan``
    (type from the bytes, hashes in the ledger)."""
    from sanxiang.records import services as records_services

    record = TaskRecord.objects.select_related("task__plan", "document").get(pk=record.pk)
    if actor is None or actor.pk not in {u.pk for u in task_recorders(record.task)}:
        raise NotPermitted("签章扫描件由抽中的检查人员上传")
    return records_services.document_attach_scan(
        actor=actor, document=record.document, uploaded_file=uploaded_file
    )


def task_evidence_add(*, actor, task: Task, upload_id: str = "", incoming=None, **fields):
    """Evidence of a task's on-site inspection — the same ingest as a case's (type from the
    bytes, SHA-256 and SM3, content-addressed storage, ``evidence.added`` in the ledger), with
    the task as holder: a plain upload (``incoming``) or a finished tus upload (``upload_id``)."""
    from sanxiang.records.evidence import services as evidence_services
    from sanxiang.records.evidence import tus
    from sanxiang.records.evidence.choices import Scene, Step

    fields.setdefault("scene", Scene.ON_SITE)
    fields.setdefault("step", Step.INSPECTION)
    if upload_id:
        return tus.upload_ingest(actor=actor, upload_id=upload_id, holder=task, **fields)
    return evidence_services.evidence_add(actor=actor, holder=task, incoming=incoming, **fields)
