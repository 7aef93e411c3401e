"""The case team (办案人员), recusal (回避) and the major / complex flags."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.lib.errors import DomainError
from sanxiang.registry import selectors as registry

from ..choices import FlagKind, FlagSource, RecusalKind, RecusalStatus, TeamRole
from ..models import Assignment, Case, CaseFlag, Hearing, Recusal
from . import common


@transaction.atomic
def case_assign(
    *, actor, case: Case, user, role: str = TeamRole.ASSIST, on: dt.date | None = None
) -> Assignment:
    """指派办案人员. Only officers on the agency's roster whose certificate is valid on the day
    (registry rule; 行政处罚法 第四十二条), never someone who has been recused from this case."""
    case = common.locked_case(case)
    common.require(actor, "cases.assign_case", "指派办案人员", case=case)
    on = common.date(on or timezone.localdate(), field="on", label="指派日期")
    role = common.choice(role, TeamRole, field="role", label="分工")
    officer = registry.officer_for_user(user)
    if officer is None or officer.agency_id != case.agency_id or not officer.is_active:
        raise DomainError(f"{user}不在本执法主体的执法人员名录中", field="user")
    problems = registry.enforcement_problems(users=[user], on=on)[user.pk]
    if problems:
        raise DomainError(f"{user}不能从事执法：{'；'.join(problems)}", field="user")
    if Recusal.objects.filter(case=case, person=user, status=RecusalStatus.UPHELD).exists():
        raise DomainError(f"{user}已被决定回避本案，不能指派", field="user")
    if Assignment.objects.filter(case=case, user=user, released_on__isnull=True).exists():
        raise DomainError(f"{user}已是本案办案人员", field="user")
    if (
        role == TeamRole.LEAD
        and Assignment.objects.filter(
            case=case, role=TeamRole.LEAD, released_on__isnull=True
        ).exists()
    ):
        raise DomainError("本案已有主办人员，请先调整原主办人员", field="role")
    assignment = Assignment.objects.create(
        case=case, user=user, role=role, assigned_on=on, assigned_by=actor
    )
    common.record(
        actor=actor,
        case=case,
        type="case.officer_assigned",
        data={"user": user.pk, "role": role, "on": on},
    )
    return assignment


def _release(case: Case, assignment: Assignment, *, on: dt.date, reason: str) -> None:
    assignment.released_on = max(on, assignment.assigned_on)
    assignment.release_reason = reason
    assignment.save(update_fields=["released_on", "release_reason"])


@transaction.atomic
def case_release(*, actor, case: Case, user, reason: str, on: dt.date | None = None) -> Assignment:
    """调出办案人员. The remaining team must still have two qualified officers before the next
    investigation act (checked by that act)."""
    case = common.locked_case(case)
    common.require(actor, "cases.assign_case", "调整办案人员", case=case)
    on = common.date(on or timezone.localdate(), field="on", label="调出日期")
    reason = common.text(reason, field="reason", label="调出原因", max_length=200)
    assignment = (
        Assignment.objects.select_for_update()
        .filter(case=case, user=user, released_on__isnull=True)
        .first()
    )
    if assignment is None:
        raise DomainError(f"{user}不是本案办案人员", field="user")
    _release(case, assignment, on=on, reason=reason)
    common.record(
        actor=actor,
        case=case,
        type="case.officer_released",
        data={"user": user.pk, "reason": reason, "on": on},
    )
    return assignment


@transaction.atomic
def recusal_file(
    *,
    actor,
    case: Case,
    person,
    kind: str,
    grounds: str,
    filed_on: dt.date | None = None,
    applicant: str = "",
) -> Recusal:
    """登记回避: an officer's own declaration (劳动保障监察条例 第十六条第二款) or a party's
    application (行政处罚法 第四十三条第二款). Investigation goes on meanwhile (第四十三条第三款:
    决定作出之前, 不停止调查) — nothing is blocked until the head decides."""
    case = common.locked_case(case)
    kind = common.choice(kind, RecusalKind, field="kind", label="回避类型")
    if kind == RecusalKind.DECLARATION:
        if actor != person:
            common.require(actor, "cases.assign_case", "登记回避", case=case)
    else:
        common.require_team(actor, case, "登记当事人的回避申请")
    grounds = common.long_text(grounds, field="grounds", label="回避事由")
    filed_on = common.date(filed_on or timezone.localdate(), field="filed_on", label="提出日期")
    applicant = common.text(
        applicant,
        field="applicant",
        label="申请人",
        max_length=100,
        required=kind == RecusalKind.APPLICATION,
    )
    involved = Assignment.objects.filter(case=case, user=person, released_on__isnull=True).exists()
    presides = Hearing.objects.filter(case=case, presider=person, outcome="").exists()
    if not involved and not presides:
        raise DomainError(f"{person}不是本案办案人员或听证主持人", field="person")
    if Recusal.objects.filter(case=case, person=person, status=RecusalStatus.PENDING).exists():
        raise DomainError(f"对{person}的回避申请尚未决定", field="person")
    recusal = Recusal.objects.create(
        case=case,
        person=person,
        kind=kind,
        applicant=applicant,
        grounds=grounds,
        filed_on=filed_on,
        recorded_by=actor,
    )
    common.record(
        actor=actor,
        case=case,
        type="case.recusal_filed",
        data={"recusal": recusal.pk, "person": person.pk, "kind": kind, "filed_on": filed_on},
    )
    return recusal


@transaction.atomic
def recusal_decide(
    *, actor, recusal: Recusal, upheld: bool, reason: str, decided_on: dt.date | None = None
) -> Recusal:
    """行政机关负责人决定回避 (行政处罚法 第四十三条第二款: 由行政机关负责人决定). An upheld
    recusal releases the officer from the case; if fewer than two qualified officers remain,
    every further investigation act is refused until a replacement is assigned."""
    case = common.locked_case(recusal.case_id)
    common.require(actor, "cases.approve_as_agency_head", "决定回避", case=case)
    recusal = Recusal.objects.select_for_update().get(pk=recusal.pk)
    if recusal.status != RecusalStatus.PENDING:
        raise DomainError("该回避申请已作出决定")
    if actor.pk == recusal.person_id:
        raise DomainError("不能对自己的回避作出决定")
    decided_on = common.date(
        decided_on or timezone.localdate(),
        field="decided_on",
        label="决定日期",
        not_before=recusal.filed_on,
        not_before_label="提出日期",
    )
    reason = common.long_text(reason, field="reason", label="决定理由")
    recusal.status = RecusalStatus.UPHELD if upheld else RecusalStatus.REJECTED
    recusal.decided_on, recusal.decided_by, recusal.decision_reason = decided_on, actor, reason
    recusal.save(update_fields=["status", "decided_on", "decided_by", "decision_reason"])
    released = False
    if upheld:
        assignment = (
            Assignment.objects.select_for_update()
            .filter(case=case, user_id=recusal.person_id, released_on__isnull=True)
            .first()
        )
        if assignment is not None:
            _release(case, assignment, on=decided_on, reason="决定回避")
            released = True
    common.record(
        actor=actor,
        case=case,
        type="case.recusal_decided",
        data={
            "recusal": recusal.pk,
            "person": recusal.person_id,
            "upheld": upheld,
            "released": released,
        },
    )
    return recusal


# --- flags -------------------------------------------------------------------------------------


def _sync_flags(case: Case) -> None:
    active = CaseFlag.objects.filter(case=case, removed_on__isnull=True)
    major = active.filter(kind=FlagKind.MAJOR).exists()
    complex_ = active.filter(kind=FlagKind.COMPLEX).exists()
    if (case.is_major, case.is_complex) != (major, complex_):
        case.is_major, case.is_complex = major, complex_
        common.touch(case, "is_major", "is_complex")


def add_flag(*, case: Case, kind: str, source: str, reason: str, actor, on: dt.date) -> CaseFlag:
    """Internal: set a flag inside another service's transaction."""
    flag = CaseFlag.objects.create(
        case=case, kind=kind, source=source, reason=reason, set_on=on, set_by=actor
    )
    _sync_flags(case)
    return flag


@transaction.atomic
def case_flag(*, actor, case: Case, kind: str, reason: str, on: dt.date | None = None) -> CaseFlag:
    """标记重大案件 / 情节复杂案件 (manual)."""
    case = common.locked_case(case)
    common.require(actor, "cases.flag_case", "标记重大、复杂案件", case=case)
    kind = common.choice(kind, FlagKind, field="kind", label="标记")
    reason = common.long_text(reason, field="reason", label="理由")
    on = common.date(on or timezone.localdate(), field="on", label="标记日期")
    flag = add_flag(
        case=case, kind=kind, source=FlagSource.MANUAL, reason=reason, actor=actor, on=on
    )
    common.record(
        actor=actor,
        case=case,
        type="case.flagged",
        data={"flag": flag.pk, "kind": kind, "source": "manual", "reason": reason},
    )
    return flag


@transaction.atomic
def case_unflag(
    *, actor, case: Case, flag: CaseFlag, reason: str, on: dt.date | None = None
) -> CaseFlag:
    """撤销标记, with a reason. A flag set because the case went through a hearing cannot be
    removed (行政处罚法 第五十八条第一款第（二）项)."""
    case = common.locked_case(case)
    common.require(actor, "cases.flag_case", "撤销重大、复杂案件标记", case=case)
    flag = CaseFlag.objects.select_for_update().get(pk=flag.pk, case=case)
    if flag.source == FlagSource.HEARING:
        raise DomainError(
            "经过听证程序的案件属于重大执法决定，该标记不能撤销（行政处罚法第五十八条）"
        )
    if flag.removed_on is not None:
        raise DomainError("该标记已撤销")
    flag.removed_on = common.date(on or timezone.localdate(), field="on", label="撤销日期")
    flag.removed_by = actor
    flag.removal_reason = common.long_text(reason, field="reason", label="撤销理由")
    flag.save(update_fields=["removed_on", "removed_by", "removal_reason"])
    _sync_flags(case)
    common.record(
        actor=actor,
        case=case,
        type="case.unflagged",
        data={"flag": flag.pk, "kind": flag.kind, "reason": flag.removal_reason},
    )
    return flag
