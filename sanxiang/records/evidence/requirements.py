"""Which recordings a case owes, and whether it has them (reads only).

A *subject* is one act of the case that a recording rule covers: a 留置送达 (a ServiceRecord
with method ``left``), a hearing held, an on-site inspection record … A subject is *met* when
an evidence file of an allowed kind documents it — bound to that very record, or bound to the
same step and recorded on the day of the act (an upload made before the record existed, e.g.
the video uploaded before the 送达回证 is entered) — or when the head approved a reason for
its absence (``RecordingExemption``).

Everything here works on a set of cases at once in a constant number of queries, so the
workflow gate (one case, asked for every action) and 我的待办 (all of a user's cases) share it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .choices import ExemptionStatus, RuleMode, RuleTarget, Step
from .models import Evidence, RecordingExemption, RecordingRule

RecordRef = tuple[int, str]  # (content type id, primary key as text)


@dataclass(frozen=True)
class Subject:
    target: str
    case_id: int
    step: str
    record: RecordRef | None  # None: an act about to be recorded (the transition's own)
    on: dt.date | None  # the day of the act
    label: str  # e.g. "行政处罚决定书（2026年4月8日留置送达）"


@dataclass
class Requirement:
    rule: RecordingRule
    subject: Subject
    evidence: list[int] = field(default_factory=list)  # pks of evidence that meet it
    exemption: int | None = None  # pk of the approved exemption
    pending_exemption: int | None = None

    @property
    def met(self) -> bool:
        return bool(self.evidence) or self.exemption is not None

    @property
    def blocking(self) -> bool:
        return self.rule.mode == RuleMode.BLOCK and not self.met

    @property
    def reason(self) -> str:
        return f"{self.subject.label}：{self.rule.reason}"


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "日期未填"


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _ct(model) -> int:
    return ContentType.objects.get_for_model(model).pk  # cached after the first call


# --- subjects per kind of act ------------------------------------------------------------------


def _service_subjects(case_ids, method: str, target: str) -> list[Subject]:
    from sanxiang.cases.choices import ServiceMethod
    from sanxiang.cases.models import ServiceRecord

    ct = _ct(ServiceRecord)
    rows = ServiceRecord.objects.filter(case_id__in=case_ids, method=method).values_list(
        "pk", "case_id", "document_name", "served_on", "published_on"
    )
    label = ServiceMethod(method).label
    out = []
    for pk, case_id, name, served_on, published_on in rows:
        day = published_on if method == ServiceMethod.PUBLIC else served_on
        out.append(
            Subject(
                target, case_id, Step.SERVICE, (ct, str(pk)), day, f"{name}（{_cn(day)}{label}）"
            )
        )
    return out


def _hearing_subjects(case_ids) -> list[Subject]:
    from sanxiang.cases.choices import HearingOutcome
    from sanxiang.cases.models import Hearing

    ct = _ct(Hearing)
    rows = Hearing.objects.filter(case_id__in=case_ids, outcome=HearingOutcome.HELD).values_list(
        "pk", "case_id", "scheduled_at"
    )
    return [
        Subject(
            RuleTarget.HEARING,
            case_id,
            Step.HEARING,
            (ct, str(pk)),
            _local_date(at),
            f"听证（{_cn(_local_date(at))}举行）",
        )
        for pk, case_id, at in rows
    ]


def _record_subjects(case_ids, kind: str, target: str, step: str) -> list[Subject]:
    from sanxiang.cases.choices import RecordKind
    from sanxiang.cases.models import InvestigationRecord

    ct = _ct(InvestigationRecord)
    rows = InvestigationRecord.objects.filter(case_id__in=case_ids, kind=kind).values_list(
        "pk", "case_id", "started_at", "person_name"
    )
    label = RecordKind(kind).label
    return [
        Subject(
            target,
            case_id,
            step,
            (ct, str(pk)),
            _local_date(at),
            f"{label}（{person}，{_cn(_local_date(at))}）",
        )
        for pk, case_id, at, person in rows
    ]


def _preservation_subjects(case_ids) -> list[Subject]:
    from sanxiang.cases.choices import PreservationStatus
    from sanxiang.cases.models import Preservation

    ct = _ct(Preservation)
    rows = Preservation.objects.filter(
        case_id__in=case_ids,
        status__in=[PreservationStatus.APPROVED, PreservationStatus.DECIDED],
    ).values_list("pk", "case_id", "preserved_on")
    return [
        Subject(
            RuleTarget.PRESERVATION,
            case_id,
            Step.PRESERVATION,
            (ct, str(pk)),
            day,
            f"先行登记保存（{_cn(day)}）",
        )
        for pk, case_id, day in rows
    ]


def _correction_subjects(case_ids) -> list[Subject]:
    from sanxiang.cases.models import CorrectionOrder

    ct = _ct(CorrectionOrder)
    rows = CorrectionOrder.objects.filter(
        case_id__in=case_ids, checked_on__isnull=False
    ).values_list("pk", "case_id", "number", "checked_on")
    return [
        Subject(
            RuleTarget.CORRECTION_CHECK,
            case_id,
            Step.CORRECTION_CHECK,
            (ct, str(pk)),
            day,
            f"责令改正{number}的现场核查（{_cn(day)}）",
        )
        for pk, case_id, number, day in rows
    ]


def _on_spot_subjects(case_ids) -> list[Subject]:
    from sanxiang.cases.models import Decision

    ct = _ct(Decision)
    rows = Decision.objects.filter(case_id__in=case_ids, on_spot=True).values_list(
        "pk", "case_id", "number", "decided_on"
    )
    return [
        Subject(
            RuleTarget.ON_SPOT,
            case_id,
            Step.ON_SPOT,
            (ct, str(pk)),
            day,
            f"当场处罚决定{number or ''}（{_cn(day)}）",
        )
        for pk, case_id, number, day in rows
    ]


def subjects(target: str, case_ids: Iterable[int]) -> list[Subject]:
    """The acts of these cases that a rule for ``target`` covers (one query)."""
    from sanxiang.cases.choices import RecordKind, ServiceMethod

    ids = list(case_ids)
    if target == RuleTarget.SERVICE_LEFT:
        return _service_subjects(ids, ServiceMethod.LEFT, target)
    if target == RuleTarget.SERVICE_PUBLIC:
        return _service_subjects(ids, ServiceMethod.PUBLIC, target)
    if target == RuleTarget.HEARING:
        return _hearing_subjects(ids)
    if target == RuleTarget.INSPECTION:
        return _record_subjects(ids, RecordKind.INSPECTION, target, Step.INSPECTION)
    if target == RuleTarget.INTERVIEW:
        return _record_subjects(ids, RecordKind.INTERVIEW, target, Step.INTERVIEW)
    if target == RuleTarget.PRESERVATION:
        return _preservation_subjects(ids)
    if target == RuleTarget.CORRECTION_CHECK:
        return _correction_subjects(ids)
    if target == RuleTarget.ON_SPOT:
        return _on_spot_subjects(ids)
    return []


def pending_service_subject(case, service) -> Subject | None:
    """The act a transition is about to record: an unsaved ServiceRecord the ``notify``,
    ``serve`` or ``remind`` transition built (``case.pending_service``, set by the cases
    transition service before it asks the gates)."""
    from sanxiang.cases.choices import ServiceMethod

    method = getattr(service, "method", None)
    if method == ServiceMethod.LEFT:
        target = RuleTarget.SERVICE_LEFT
    elif method == ServiceMethod.PUBLIC:
        target = RuleTarget.SERVICE_PUBLIC
    else:
        return None
    day = service.published_on if method == ServiceMethod.PUBLIC else service.served_on
    name = getattr(service, "document_name", "") or "文书"
    return Subject(
        target,
        case.pk,
        Step.SERVICE,
        None,
        day,
        f"{name}（{_cn(day)}{ServiceMethod(method).label}）",
    )


# --- meeting them ------------------------------------------------------------------------------


def active_rules(*, blocking_only: bool = False) -> list[RecordingRule]:
    qs = RecordingRule.objects.exclude(mode=RuleMode.OFF)
    if blocking_only:
        qs = qs.filter(mode=RuleMode.BLOCK)
    return list(qs.order_by("pk"))


def _ref(type_id, record_id) -> RecordRef | None:
    return (type_id, record_id) if type_id else None


def requirements(
    case_ids: Iterable[int],
    *,
    rules: list[RecordingRule],
    extra: Iterable[Subject] = (),
) -> dict[int, list[Requirement]]:
    """Each case's requirements under ``rules`` (plus ``extra`` subjects), with what meets them.

    Queries: one per rule target, then — only if there is any subject — one for evidence and
    one for exemptions."""
    ids = list(dict.fromkeys(case_ids))
    by_target = {rule.target: rule for rule in rules}
    found: list[Subject] = []
    for target in by_target:
        found.extend(subjects(target, ids))
    found.extend(s for s in extra if s.target in by_target)
    result: dict[int, list[Requirement]] = defaultdict(list)
    if not found:
        return result
    case_set = {s.case_id for s in found}
    evidence = list(
        Evidence.objects.filter(case_id__in=case_set).values_list(
            "pk", "case_id", "step", "record_type_id", "record_id", "kind", "started_at"
        )
    )
    exemptions = list(
        RecordingExemption.objects.filter(case_id__in=case_set)
        .exclude(status=ExemptionStatus.REFUSED)
        .values_list("pk", "case_id", "rule_id", "step", "record_type_id", "record_id", "status")
    )
    for subject in found:
        rule = by_target[subject.target]
        req = Requirement(rule=rule, subject=subject)
        for pk, case_id, step, type_id, record_id, kind, started_at in evidence:
            if case_id != subject.case_id or kind not in rule.kinds:
                continue
            ref = _ref(type_id, record_id)
            if ref is not None:
                ok = ref == subject.record
            else:
                ok = step == subject.step and (
                    subject.on is None or _local_date(started_at) == subject.on
                )
            if ok:
                req.evidence.append(pk)
        for pk, case_id, rule_id, step, type_id, record_id, status in exemptions:
            if case_id != subject.case_id or rule_id != rule.pk:
                continue
            ref = _ref(type_id, record_id)
            if not (ref == subject.record or (ref is None and step == subject.step)):
                continue
            if status == ExemptionStatus.APPROVED:
                req.exemption = pk
            else:
                req.pending_exemption = pk
        result[subject.case_id].append(req)
    return result
