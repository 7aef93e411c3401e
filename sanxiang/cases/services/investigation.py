"""Investigation acts (调查取证): interview and inspection records, 先行登记保存, orders to
correct and their follow-up checks, the investigation extension."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.lib.errors import Blocked, DomainError
from sanxiang.registry import selectors as registry

from .. import clocks, numbering
from ..choices import (
    CorrectionResult,
    DeadlineKind,
    PreservationDisposal,
    PreservationStatus,
    RecordKind,
    Sex,
    State,
)
from ..models import (
    Assignment,
    Case,
    CorrectionOrder,
    InvestigationRecord,
    Preservation,
    RecordOfficer,
)
from . import common

# States in which orders to correct may be issued or checked: during the investigation and
# with or after the decision (劳动保障监察条例 第十八条; 行政处罚法 第二十八条).
ORDER_STATES = [
    State.INVESTIGATING,
    State.CONCLUDED,
    State.NOTIFIED,
    State.HEARING,
    State.PENDING_DECISION,
    State.DECIDED,
    State.SERVED,
    State.ENFORCEMENT,
]


def _team_act_problems(case: Case, officers: list, on: dt.date, act: str) -> None:
    """Investigation acts need two officers of the case team with certificates valid that day
    (行政处罚法 第四十二条、第五十五条). After an upheld recusal the recused officer is no longer on
    the team, so the act is refused until a replacement is assigned."""
    team = set(
        Assignment.objects.filter(case=case, released_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    outsiders = [str(o) for o in officers if o.pk not in team]
    if outsiders:
        raise Blocked(
            [f"{'、'.join(outsiders)}不是本案办案人员（已回避或未指派的人员不能参与调查）"]
        )
    problems = registry.team_problems(users=officers, on=on, act=act)
    if problems:
        raise Blocked(problems)


@transaction.atomic
def investigation_record_add(
    *,
    actor,
    case: Case,
    kind: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: list,
    person: dict,
    ids_shown: bool,
    recusal_asked: bool,
    content: str,
    recusal_answer: str = "",
    truth_duty_told: bool = False,
    witnesses: str = "",
    attachments_note: str = "",
    pages: int = 1,
    person_signed: bool = False,
    refusal_note: str = "",
    officers_signed: bool = False,
    recorder=None,
) -> InvestigationRecord:
    """询问笔录 / 现场检查笔录 as structured data (DOMAIN.md §3.13 nos. 6–7)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "制作调查笔录")
    common.require_state(case, [State.INVESTIGATING], "制作调查笔录")
    kind = common.choice(kind, RecordKind, field="kind", label="笔录种类")
    started_at = common.aware(started_at, field="started_at", label="开始时间")
    ended_at = common.aware(ended_at, field="ended_at", label="结束时间")
    if ended_at < started_at:
        raise DomainError("结束时间不能早于开始时间", field="ended_at")
    day = timezone.localtime(started_at).date()
    if case.filed_on and day < case.filed_on:
        raise DomainError("调查笔录的时间不能早于立案日期", field="started_at")
    place = common.text(place, field="place", label="地点", max_length=200)
    if not ids_shown:
        raise DomainError(
            "执法人员应当主动出示执法证件（行政处罚法第五十五条），请核实后再录入",
            field="ids_shown",
        )
    if kind == RecordKind.INTERVIEW:
        if not recusal_asked:
            raise DomainError(
                "询问前应当告知被询问人有申请回避的权利（行政处罚法第四十三条）",
                field="recusal_asked",
            )
        if not truth_duty_told:
            raise DomainError("询问前应当告知被询问人如实陈述的义务", field="truth_duty_told")
    officers = list(dict.fromkeys(officers or []))
    _team_act_problems(case, officers, day, "询问、检查")
    person = dict(person or {})
    sex = person.get("sex") or ""
    if sex and sex not in Sex.values:
        raise DomainError("性别无效", field="person")
    pages = common.positive_int(pages, field="pages", label="页数", required=True, maximum=500)
    content = common.long_text(content, field="content", label="询问内容或检查情况")
    record = InvestigationRecord.objects.create(
        case=case,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        recorder=recorder or actor,
        person_name=common.text(
            person.get("name"), field="person", label="被询问人（在场人）姓名", max_length=50
        ),
        person_sex=sex,
        person_id_number=common.id_number(person.get("id_number"), field="person", required=False),
        person_employer=common.text(
            person.get("employer"), field="person", label="工作单位", max_length=100, required=False
        ),
        person_post=common.text(
            person.get("post"), field="person", label="职务", max_length=50, required=False
        ),
        person_phone=common.phone(person.get("phone"), field="person"),
        person_address=common.text(
            person.get("address"), field="person", label="住址", max_length=200, required=False
        ),
        relation_to_case=common.text(
            person.get("relation"),
            field="person",
            label="与本案关系",
            max_length=50,
            required=False,
        ),
        witnesses=common.text(
            witnesses, field="witnesses", label="见证人", max_length=200, required=False
        ),
        ids_shown=True,
        recusal_asked=bool(recusal_asked),
        recusal_answer=common.text(
            recusal_answer, field="recusal_answer", label="回避答复", max_length=100, required=False
        ),
        truth_duty_told=bool(truth_duty_told),
        content=content,
        attachments_note=common.long_text(
            attachments_note, field="attachments_note", label="附件", required=False
        ),
        pages=pages,
        person_signed=bool(person_signed),
        refusal_note=common.text(
            refusal_note, field="refusal_note", label="拒绝签名情况", max_length=200, required=False
        ),
        officers_signed=bool(officers_signed),
        created_by=actor,
    )
    for officer in officers:
        cert = registry.certificate_on(user=officer, on=day)
        RecordOfficer.objects.create(record=record, user=officer, certificate_number=cert.number)
    common.record(
        actor=actor,
        case=case,
        type="case.record_added",
        data={
            "record": record.pk,
            "kind": kind,
            "started_at": started_at,
            "ended_at": ended_at,
            "place": place,
            "officers": [o.pk for o in officers],
            "signatures_complete": record.signatures_complete,
        },
    )
    return record


@transaction.atomic
def investigation_record_sign(
    *,
    actor,
    record: InvestigationRecord,
    person_signed: bool,
    officers_signed: bool,
    refusal_note: str = "",
) -> InvestigationRecord:
    """Complete the signatures of a record: the person on every page (or the refusal noted),
    the officers (行政处罚法 第五十五条)."""
    case = common.locked_case(record.case_id)
    common.require_team(actor, case, "登记笔录签名")
    common.require_state(case, [State.INVESTIGATING], "登记笔录签名")
    record = InvestigationRecord.objects.select_for_update().get(pk=record.pk)
    record.person_signed = bool(person_signed)
    record.officers_signed = bool(officers_signed)
    record.refusal_note = common.text(
        refusal_note, field="refusal_note", label="拒绝签名情况", max_length=200, required=False
    )
    record.save(update_fields=["person_signed", "officers_signed", "refusal_note"])
    common.record(
        actor=actor,
        case=case,
        type="case.record_signed",
        data={
            "record": record.pk,
            "person_signed": record.person_signed,
            "refusal": bool(record.refusal_note),
            "officers_signed": record.officers_signed,
        },
    )
    return record


def _items(items) -> list[dict]:
    if not isinstance(items, (list, tuple)) or not items:
        raise DomainError("请填写登记保存的物品清单", field="items")
    out = []
    for i, item in enumerate(items, start=1):
        name = common.text(
            item.get("name"), field="items", label=f"第{i}项物品名称", max_length=100
        )
        out.append(
            {
                "name": name,
                "spec": common.text(
                    item.get("spec"), field="items", label="规格", max_length=100, required=False
                ),
                "quantity": common.text(
                    item.get("quantity"), field="items", label=f"第{i}项数量", max_length=30
                ),
            }
        )
    return out


@transaction.atomic
def preservation_request(
    *,
    actor,
    case: Case,
    items: list[dict],
    place_kept: str,
    reason: str,
    requested_on: dt.date | None = None,
) -> Preservation:
    """Ask the head to approve 先行登记保存 (行政处罚法 第五十六条: 证据可能灭失或者以后难以取得)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "申请先行登记保存")
    common.require_state(case, [State.INVESTIGATING], "先行登记保存")
    preservation = Preservation.objects.create(
        case=case,
        items=_items(items),
        place_kept=common.text(place_kept, field="place_kept", label="保存地点", max_length=200),
        reason=common.long_text(reason, field="reason", label="证据可能灭失或者以后难以取得的情况"),
        requested_on=common.date(
            requested_on or timezone.localdate(), field="requested_on", label="申请日期"
        ),
        requested_by=actor,
    )
    common.record(
        actor=actor,
        case=case,
        type="case.preservation_requested",
        data={"preservation": preservation.pk, "items": preservation.items},
    )
    return preservation


@transaction.atomic
def preservation_approve(
    *,
    actor,
    preservation: Preservation,
    approved: bool,
    note: str = "",
    approved_on: dt.date | None = None,
    preserved_on: dt.date | None = None,
) -> Preservation:
    """行政处罚法 第五十六条: 经行政机关负责人批准, 可以先行登记保存, 并应当在七日内及时作出处理
    决定. Approval opens the 7-working-day clock from the day the evidence was preserved."""
    case = common.locked_case(preservation.case_id)
    common.require(actor, "cases.approve_as_agency_head", "批准先行登记保存", case=case)
    common.require_state(case, [State.INVESTIGATING], "先行登记保存")
    preservation = Preservation.objects.select_for_update().get(pk=preservation.pk)
    if preservation.status != PreservationStatus.REQUESTED:
        raise DomainError("该先行登记保存已经审批")
    if actor.pk == preservation.requested_by_id:
        raise DomainError("申请人不能批准自己的申请")
    approved_on = common.date(
        approved_on or timezone.localdate(),
        field="approved_on",
        label="批准日期",
        not_before=preservation.requested_on,
        not_before_label="申请日期",
    )
    preservation.approved_on, preservation.approved_by = approved_on, actor
    preservation.approval_note = common.long_text(
        note, field="note", label="审批意见", required=not approved
    )
    if approved:
        preserved_on = common.date(
            preserved_on or approved_on,
            field="preserved_on",
            label="登记保存日期",
            not_before=approved_on,
            not_before_label="批准日期",
        )
        team = list(
            Assignment.objects.filter(case=case, released_on__isnull=True).select_related("user")
        )
        problems = registry.team_problems(
            users=[a.user for a in team], on=preserved_on, act="先行登记保存"
        )
        if problems:
            raise Blocked(problems)
        preservation.status, preservation.preserved_on = PreservationStatus.APPROVED, preserved_on
        clock = clocks.open_clock(
            case=case,
            kind=DeadlineKind.PRESERVATION,
            start=preserved_on,
            ref=f"preservation:{preservation.pk}",
        )
        due = clock.due
    else:
        preservation.status = PreservationStatus.REFUSED
        due = None
    preservation.save()
    common.record(
        actor=actor,
        case=case,
        type="case.preservation_approved" if approved else "case.preservation_refused",
        data={
            "preservation": preservation.pk,
            "preserved_on": preservation.preserved_on,
            "decision_due": due,
        },
    )
    return preservation


@transaction.atomic
def preservation_decide(
    *,
    actor,
    preservation: Preservation,
    disposal: str,
    note: str,
    decided_on: dt.date | None = None,
) -> Preservation:
    """处理决定 on preserved evidence; meets the 7-working-day clock."""
    case = common.locked_case(preservation.case_id)
    common.require_team(actor, case, "作出先行登记保存处理决定")
    preservation = Preservation.objects.select_for_update().get(pk=preservation.pk)
    if preservation.status != PreservationStatus.APPROVED:
        raise DomainError("只有已登记保存的证据才能作出处理决定")
    preservation.disposal = common.choice(
        disposal, PreservationDisposal, field="disposal", label="处理决定"
    )
    preservation.decision_note = common.long_text(note, field="note", label="处理决定内容")
    preservation.decided_on = common.date(
        decided_on or timezone.localdate(),
        field="decided_on",
        label="处理决定日期",
        not_before=preservation.preserved_on,
        not_before_label="登记保存日期",
    )
    preservation.decided_by = actor
    preservation.status = PreservationStatus.DECIDED
    preservation.save()
    clock = clocks.close_clock(
        case=case,
        kind=DeadlineKind.PRESERVATION,
        ref=f"preservation:{preservation.pk}",
        on=preservation.decided_on,
        note=preservation.get_disposal_display(),
    )
    common.record(
        actor=actor,
        case=case,
        type="case.preservation_decided",
        data={
            "preservation": preservation.pk,
            "disposal": preservation.disposal,
            "decided_on": preservation.decided_on,
            "late": bool(clock and clock.due and preservation.decided_on > clock.due),
        },
    )
    return preservation


@transaction.atomic
def correction_order_issue(
    *,
    actor,
    case: Case,
    content: str,
    legal_basis: str,
    due_on: dt.date,
    issued_on: dt.date | None = None,
) -> CorrectionOrder:
    """责令改正 / 限期改正指令书 (劳动保障监察条例 第十八条; 行政处罚法 第二十八条)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "下达责令改正指令书")
    common.require_state(case, ORDER_STATES, "责令改正")
    issued_on = common.date(issued_on or timezone.localdate(), field="issued_on", label="下达日期")
    due_on = common.date(due_on, field="due_on", label="改正期限", not_after_today=False)
    if due_on <= issued_on:
        raise DomainError("改正期限应晚于下达日期", field="due_on")
    _, number = numbering.number_next(agency=case.agency, doc_type="order", year=issued_on.year)
    order = CorrectionOrder.objects.create(
        case=case,
        number=number,
        issued_on=issued_on,
        content=common.long_text(content, field="content", label="责令改正的内容"),
        legal_basis=common.long_text(legal_basis, field="legal_basis", label="依据"),
        due_on=due_on,
        issued_by=actor,
    )
    clocks.open_clock(
        case=case,
        kind=DeadlineKind.CORRECTION,
        start=issued_on,
        fixed_due=due_on,
        ref=f"order:{order.pk}",
    )
    common.record(
        actor=actor,
        case=case,
        type="case.correction_ordered",
        data={"order": order.pk, "number": number, "issued_on": issued_on, "due_on": due_on},
    )
    return order


@transaction.atomic
def correction_order_check(
    *, actor, order: CorrectionOrder, result: str, note: str, checked_on: dt.date | None = None
) -> CorrectionOrder:
    """复查: was the order complied with? Meets the correction clock."""
    case = common.locked_case(order.case_id)
    common.require_team(actor, case, "复查责令改正情况")
    order = CorrectionOrder.objects.select_for_update().get(pk=order.pk)
    if order.result:
        raise DomainError("该责令改正已复查")
    order.result = common.choice(result, CorrectionResult, field="result", label="复查结果")
    order.check_note = common.long_text(note, field="note", label="复查情况")
    order.checked_on = common.date(
        checked_on or timezone.localdate(),
        field="checked_on",
        label="复查日期",
        not_before=order.issued_on,
        not_before_label="下达日期",
    )
    order.checked_by = actor
    order.save(update_fields=["result", "check_note", "checked_on", "checked_by"])
    clocks.close_clock(
        case=case,
        kind=DeadlineKind.CORRECTION,
        ref=f"order:{order.pk}",
        on=order.checked_on,
        note=order.get_result_display(),
    )
    common.record(
        actor=actor,
        case=case,
        type="case.correction_checked",
        data={"order": order.pk, "result": order.result, "checked_on": order.checked_on},
    )
    return order


@transaction.atomic
def investigation_extend(*, actor, case: Case, reason: str, approved_on: dt.date | None = None):
    """劳动保障监察条例 第十七条: 对情况复杂的, 经劳动保障行政部门负责人批准, 可以延长30个工作日 —
    once, with a reason, approved before the 60 working days run out."""
    case = common.locked_case(case)
    common.require(actor, "cases.approve_as_agency_head", "批准延长调查期限", case=case)
    common.require_state(case, [State.INVESTIGATING], "延长调查期限")
    reason = common.long_text(reason, field="reason", label="延长理由（情况复杂的具体情形）")
    approved_on = common.date(
        approved_on or timezone.localdate(), field="approved_on", label="批准日期"
    )
    deadline = clocks.open_of(case, DeadlineKind.INVESTIGATION)
    if deadline is None:
        raise DomainError("没有进行中的调查期限")
    if deadline.extensions.exists():
        raise DomainError("调查期限只能延长一次（劳动保障监察条例第十七条）")
    if deadline.due is not None and approved_on > deadline.due:
        raise DomainError(
            f"调查期限已于{deadline.due.isoformat()}届满，不能再延长", field="approved_on"
        )
    clocks.extend_clock(
        deadline=deadline, length=30, reason=reason, approved_by=actor, approved_on=approved_on
    )
    common.record(
        actor=actor,
        case=case,
        type="case.investigation_extended",
        data={
            "length": 30,
            "unit": "workdays",
            "reason": reason,
            "due": deadline.due,
            "due_unknown": deadline.due_unknown_reason,
        },
    )
    return deadline
