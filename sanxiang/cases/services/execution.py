"""Execution (执行): e-service consent, payments and the late surcharge, deferral and
instalments, applications to court; and the per-agency case settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import Blocked, DomainError

from .. import clocks, selectors
from ..choices import (
    DECISION_VOIDING_CHANGES,
    CourtStatus,
    DeadlineKind,
    DecisionChangeAuthority,
    DecisionChangeKind,
    PaymentChannel,
    PaymentKind,
    PlanKind,
    PlanStatus,
    State,
)
from ..models import (
    Case,
    CaseSettings,
    CourtApplication,
    Deadline,
    Decision,
    DecisionChange,
    Party,
    Payment,
    PaymentPlan,
    Reminder,
    ServiceConsent,
)
from . import common

PAYMENT_STATES = [State.DECIDED, State.SERVED, State.ENFORCEMENT]
# A decision can be revoked by 复议 or a court after the case was closed (复议 within 60 days,
# 诉讼 within 6 months of service): the change is recorded on a closed case too.
DECISION_CHANGE_STATES = [State.DECIDED, State.SERVED, State.ENFORCEMENT, State.CLOSED]


def require_in_force(case: Case, what: str) -> None:
    """Nothing of a revoked or void decision is enforced (行政强制法 第四十条第四项)."""
    reason = selectors.decision_voided_reason(Decision.objects.filter(case=case).first())
    if reason:
        raise Blocked([f"{reason}，不能{what}"])


@transaction.atomic
def service_consent_record(
    *, actor, case: Case, party: Party, signed_on: dt.date, address: str
) -> ServiceConsent:
    """电子送达确认书 (行政处罚法 第六十一条第二款: 当事人同意并签订确认书的, 可以电子送达)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "登记电子送达确认书")
    if party.case_id != case.pk:
        raise DomainError("当事人不属于本案", field="party")
    consent = ServiceConsent.objects.create(
        case=case,
        party=party,
        signed_on=common.date(signed_on, field="signed_on", label="签署日期"),
        address=common.text(address, field="address", label="电子送达地址", max_length=200),
        recorded_by=actor,
    )
    common.record(
        actor=actor,
        case=case,
        type="case.service_consent_recorded",
        data={"consent": consent.pk, "party": party.pk, "signed_on": consent.signed_on},
    )
    return consent


def _payment_state(case: Case, *, on: dt.date):
    facts = selectors.case_facts(case, on=on)
    if facts.payment is None:
        raise DomainError("本案决定不涉及罚款")
    return facts.payment


@transaction.atomic
def payment_record(
    *,
    actor,
    case: Case,
    amount,
    paid_on: dt.date,
    receipt_no: str,
    kind: str = PaymentKind.FINE,
    channel: str = PaymentChannel.BANK,
) -> Payment:
    """登记缴款 (罚缴分离, 行政处罚法 第六十七条: the party pays the bank; the agency records the
    receipt). The surcharge owed is computed (第七十二条), never typed in. When everything is
    paid the payment clocks are met."""
    case = common.locked_case(case)
    common.require_team(actor, case, "登记缴款")
    common.require_state(case, PAYMENT_STATES, "登记缴款")
    require_in_force(case, "登记缴款")
    kind = common.choice(kind, PaymentKind, field="kind", label="款项")
    channel = common.choice(channel, PaymentChannel, field="channel", label="缴款渠道")
    amount = common.money(amount, field="amount", label="缴款金额", required=True)
    if amount <= 0:
        raise DomainError("缴款金额应大于0", field="amount")
    decision = Decision.objects.get(case=case)
    paid_on = common.date(
        paid_on,
        field="paid_on",
        label="缴款日期",
        not_before=decision.decided_on,
        not_before_label="决定日期",
    )
    receipt_no = common.text(receipt_no, field="receipt_no", label="缴款凭证号", max_length=60)
    if Payment.objects.filter(case=case, receipt_no=receipt_no).exists():
        raise DomainError(f"缴款凭证{receipt_no}已登记", field="receipt_no")
    state = _payment_state(case, on=paid_on)
    if kind == PaymentKind.FINE and amount > state.fine_outstanding:
        raise DomainError(f"缴款金额超过未缴罚款{state.fine_outstanding}元", field="amount")
    if kind == PaymentKind.SURCHARGE:
        # The surcharge owed once the fine is settled (or as of the payment date).
        due = state.surcharge_owed - state.surcharge_paid
        if amount > due:
            raise DomainError(f"缴款金额超过应缴加处罚款{due}元", field="amount")
    payment = Payment.objects.create(
        case=case,
        kind=kind,
        amount=amount,
        paid_on=paid_on,
        receipt_no=receipt_no,
        channel=channel,
        recorded_by=actor,
    )
    after = _payment_state(case, on=paid_on)
    if after.complete:
        for deadline in Deadline.objects.filter(
            case=case, kind=DeadlineKind.PAYMENT, status="open"
        ):
            clocks.close_clock(
                case=case, kind=DeadlineKind.PAYMENT, ref=deadline.ref, on=paid_on, note="已缴清"
            )
    elif after.fine_outstanding == 0:
        for deadline in Deadline.objects.filter(
            case=case, kind=DeadlineKind.PAYMENT, status="open"
        ):
            clocks.close_clock(
                case=case,
                kind=DeadlineKind.PAYMENT,
                ref=deadline.ref,
                on=paid_on,
                note="罚款已缴清，加处罚款未缴清",
            )
    common.record(
        actor=actor,
        case=case,
        type="case.payment_recorded",
        data={
            "payment": payment.pk,
            "kind": kind,
            "amount": amount,
            "paid_on": paid_on,
            "receipt_no": receipt_no,
            "fine_outstanding": after.fine_outstanding,
            "surcharge_owed": after.surcharge_owed,
            "surcharge_paid": after.surcharge_paid,
        },
    )
    return payment


def _schedule(raw, *, kind: str, outstanding: Decimal, after: dt.date) -> list[dict]:
    if not isinstance(raw, (list, tuple)) or not raw:
        raise DomainError("请填写缴纳安排", field="schedule")
    if kind == PlanKind.DEFERRAL and len(raw) != 1:
        raise DomainError("暂缓缴纳只能有一个缴纳日期", field="schedule")
    if kind == PlanKind.INSTALMENTS and len(raw) < 2:
        raise DomainError("分期缴纳至少分两期", field="schedule")
    out, total, previous = [], Decimal(0), after
    for i, row in enumerate(raw, start=1):
        due = row.get("due")
        if isinstance(due, str):
            try:
                due = dt.date.fromisoformat(due)
            except ValueError:
                raise DomainError(f"第{i}期缴纳日期格式不正确", field="schedule") from None
        due = common.date(due, field="schedule", label=f"第{i}期缴纳日期", not_after_today=False)
        if due <= previous:
            raise DomainError(f"第{i}期缴纳日期应晚于{previous.isoformat()}", field="schedule")
        amount = common.money(
            row.get("amount"), field="schedule", label=f"第{i}期金额", required=True
        )
        if amount <= 0:
            raise DomainError(f"第{i}期金额应大于0", field="schedule")
        out.append({"due": due.isoformat(), "amount": str(amount)})
        total += amount
        previous = due
    if total != outstanding:
        raise DomainError(f"各期金额合计{total}元，应等于未缴罚款{outstanding}元", field="schedule")
    return out


@transaction.atomic
def payment_plan_apply(
    *,
    actor,
    case: Case,
    kind: str,
    reason: str,
    schedule: list[dict],
    applied_on: dt.date | None = None,
) -> PaymentPlan:
    """当事人申请暂缓或分期缴纳罚款 (行政处罚法 第六十六条第二款: 确有经济困难)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "登记暂缓或分期缴纳申请")
    common.require_state(case, [State.SERVED, State.ENFORCEMENT], "申请暂缓或分期缴纳")
    require_in_force(case, "登记暂缓或分期缴纳申请")
    kind = common.choice(kind, PlanKind, field="kind", label="方式")
    applied_on = common.date(
        applied_on or timezone.localdate(), field="applied_on", label="申请日期"
    )
    if PaymentPlan.objects.filter(case=case, status=PlanStatus.APPLIED).exists():
        raise DomainError("已有待批准的申请")
    state = _payment_state(case, on=applied_on)
    if state.fine_outstanding == 0:
        raise DomainError("罚款已缴清")
    plan = PaymentPlan.objects.create(
        case=case,
        kind=kind,
        applied_on=applied_on,
        reason=common.long_text(reason, field="reason", label="经济困难的情况"),
        schedule=_schedule(
            schedule, kind=kind, outstanding=state.fine_outstanding, after=applied_on
        ),
        recorded_by=actor,
    )
    common.record(
        actor=actor,
        case=case,
        type="case.payment_plan_applied",
        data={"plan": plan.pk, "kind": kind, "schedule": plan.schedule},
    )
    return plan


@transaction.atomic
def payment_plan_decide(
    *, actor, plan: PaymentPlan, approved: bool, note: str = "", decided_on: dt.date | None = None
) -> PaymentPlan:
    """行政机关批准暂缓或分期缴纳: the payment clock is replaced by one clock per instalment."""
    case = common.locked_case(plan.case_id)
    common.require(actor, "cases.approve_as_agency_head", "批准暂缓或分期缴纳罚款", case=case)
    plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPLIED:
        raise DomainError("该申请已审批")
    decided_on = common.date(
        decided_on or timezone.localdate(),
        field="decided_on",
        label="批准日期",
        not_before=plan.applied_on,
        not_before_label="申请日期",
    )
    plan.status = PlanStatus.APPROVED if approved else PlanStatus.REFUSED
    plan.decided_on, plan.decided_by = decided_on, actor
    plan.decision_note = common.long_text(
        note, field="note", label="审批意见", required=not approved
    )
    plan.save(update_fields=["status", "decided_on", "decided_by", "decision_note"])
    if approved:
        for deadline in Deadline.objects.filter(
            case=case, kind=DeadlineKind.PAYMENT, status="open"
        ):
            clocks.close_clock(
                case=case,
                kind=DeadlineKind.PAYMENT,
                ref=deadline.ref,
                on=decided_on,
                note=f"已批准{plan.get_kind_display()}",
                cancelled=True,
            )
        for i, row in enumerate(plan.schedule, start=1):
            clocks.open_clock(
                case=case,
                kind=DeadlineKind.PAYMENT,
                start=decided_on,
                fixed_due=dt.date.fromisoformat(row["due"]),
                ref=f"plan:{plan.pk}:{i}",
                basis=f"行政处罚法第六十六条：经批准{plan.get_kind_display()}（第{i}期{row['amount']}元）",
            )
    common.record(
        actor=actor,
        case=case,
        type="case.payment_plan_decided",
        data={"plan": plan.pk, "approved": approved, "decided_on": decided_on},
    )
    return plan


@transaction.atomic
def court_application_record(
    *, actor, case: Case, court: str, applied_on: dt.date | None = None, note: str = ""
) -> CourtApplication:
    """申请人民法院强制执行 (行政强制法 第五十三条、第五十四条): only after the reminder has been
    served for 10 working days, only after the litigation period has expired, and within the 3
    months that follow."""
    case = common.locked_case(case)
    common.require_team(actor, case, "申请人民法院强制执行")
    common.require_state(case, [State.ENFORCEMENT], "申请强制执行")
    require_in_force(case, "申请人民法院强制执行")
    applied_on = common.date(
        applied_on or timezone.localdate(), field="applied_on", label="申请日期"
    )
    reminder = Reminder.objects.filter(case=case).order_by("-served_on", "-pk").first()
    reminder_clock = Deadline.objects.filter(
        case=case, kind=DeadlineKind.REMINDER, ref=f"reminder:{reminder.pk}" if reminder else ""
    ).first()
    court_clock = (
        Deadline.objects.filter(case=case, kind=DeadlineKind.COURT).order_by("-pk").first()
    )
    reasons = []
    if reminder is None or reminder_clock is None:
        reasons.append("申请强制执行前应当催告当事人履行义务（行政强制法第五十四条）")
    elif reminder_clock.due is None:
        reasons.append(f"催告期限无法计算：{reminder_clock.due_unknown_reason}")
    elif applied_on <= reminder_clock.due:
        reasons.append(
            f"催告书送达十日后当事人仍未履行的方可申请（催告期限至{reminder_clock.due.isoformat()}，行政强制法第五十四条）"
        )
    if court_clock is None:
        reasons.append("没有申请强制执行的期限记录")
    else:
        if applied_on <= court_clock.start:
            reasons.append(
                f"当事人申请行政复议、提起行政诉讼的期限（至{court_clock.start.isoformat()}）尚未届满，"
                "不能申请人民法院强制执行（行政强制法第五十三条）"
            )
        if court_clock.due is None:
            # The last day needs a year whose holidays are not entered; the unrolled end is a
            # safe lower bound (rolling only moves it later): within it, the application is on time.
            bound = clocks.add_months_unrolled(court_clock.start, court_clock.length or 3)
            if applied_on > bound:
                reasons.append(f"申请强制执行的期限无法计算：{court_clock.due_unknown_reason}")
        elif applied_on > court_clock.due:
            reasons.append(
                f"申请强制执行的期限已于{court_clock.due.isoformat()}届满（行政强制法第五十三条）"
            )
    if reasons:
        raise Blocked(reasons)
    application = CourtApplication.objects.create(
        case=case,
        applied_on=applied_on,
        court=common.text(court, field="court", label="人民法院", max_length=100),
        status=CourtStatus.APPLIED,
        status_on=applied_on,
        note=common.long_text(note, field="note", label="说明", required=False),
        recorded_by=actor,
    )
    clocks.close_clock(case=case, kind=DeadlineKind.COURT, on=applied_on, note="已申请强制执行")
    clocks.close_clock(
        case=case,
        kind=DeadlineKind.REMINDER,
        ref=reminder_clock.ref,
        on=applied_on,
        note="已申请强制执行",
    )
    common.record(
        actor=actor,
        case=case,
        type="case.court_applied",
        data={"application": application.pk, "court": application.court, "applied_on": applied_on},
    )
    return application


@transaction.atomic
def court_application_update(
    *, actor, application: CourtApplication, status: str, status_on: dt.date, note: str = ""
) -> CourtApplication:
    case = common.locked_case(application.case_id)
    common.require_team(actor, case, "登记强制执行进展")
    application = CourtApplication.objects.select_for_update().get(pk=application.pk)
    application.status = common.choice(status, CourtStatus, field="status", label="进展")
    application.status_on = common.date(
        status_on,
        field="status_on",
        label="进展日期",
        not_before=application.applied_on,
        not_before_label="申请日期",
    )
    application.note = (
        common.long_text(note, field="note", label="说明", required=False) or application.note
    )
    application.save(update_fields=["status", "status_on", "note"])
    common.record(
        actor=actor,
        case=case,
        type="case.court_updated",
        data={
            "application": application.pk,
            "status": application.status,
            "status_on": application.status_on,
        },
    )
    return application


@transaction.atomic
def case_settings_set(*, actor, agency, basis_note: str = "", **values) -> CaseSettings:
    """Set an agency's case-handling values (较大数额 thresholds, defence period …). Blank
    (None) means "use the installation default"."""
    common.require(actor, "cases.configure_cases", "设置办案参数", agency=agency)
    allowed = {
        "defence_workdays": ("陈述申辩期限（工作日）", "int"),
        "hearing_fine_natural_person": ("较大数额罚款（公民）", "money"),
        "hearing_fine_organisation": ("较大数额罚款（法人或其他组织）", "money"),
        "simplified_fine_natural_person": ("当场处罚罚款上限（公民）", "money"),
        "simplified_fine_organisation": ("当场处罚罚款上限（法人或其他组织）", "money"),
        "limitation_years": ("查处时效（年）", "int"),
    }
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise DomainError(f"未知的参数：{'、'.join(unknown)}")
    row, _ = CaseSettings.objects.select_for_update().get_or_create(agency=agency)
    before = {k: getattr(row, k) for k in values}
    for key, raw in values.items():
        label, kind = allowed[key]
        if raw in (None, ""):
            setattr(row, key, None)
        elif kind == "int":
            setattr(row, key, common.positive_int(raw, field=key, label=label, maximum=30))
        else:
            setattr(row, key, common.money(raw, field=key, label=label))
    row.basis_note = (
        common.long_text(basis_note, field="basis_note", label="依据说明", required=False)
        or row.basis_note
    )
    row.updated_at, row.updated_by = timezone.now(), actor
    row.save()
    from sanxiang import ledger

    ledger.record(
        actor=actor,
        subject=row,
        type="cases.settings_set",
        data={"agency": agency.pk, "before": before, "after": {k: getattr(row, k) for k in values}},
    )
    return row


@transaction.atomic
def decision_change_record(
    *,
    actor,
    case: Case,
    kind: str,
    authority: str,
    authority_name: str,
    document: str,
    happened_on: dt.date,
    reason: str,
) -> DecisionChange:
    """登记执法决定被撤销、确认违法、确认无效、责令重新作出或变更 — by 行政复议 (行政复议法
    第六十三条至第六十七条), a court (行政诉讼法 第七十条、第七十四条、第七十五条、第七十七条) or
    the agency itself. A revoked or void decision is no longer enforced (行政强制法 第四十条第四项:
    the case may then be closed on that ground); the publicity app, subscribed to
    ``case.decision_changed``, takes a published decision down within 3 working days
    (行政处罚法 第四十八条第二款). Recorded on a closed case too."""
    case = common.locked_case(case, allow_terminal=True)
    common.require(actor, "cases.record_decision_change", "登记执法决定变更", case=case)
    common.require_state(case, DECISION_CHANGE_STATES, "登记执法决定变更")
    decision = Decision.objects.filter(case=case).first()
    if decision is None:  # pragma: no cover - every state above has a decision
        raise DomainError("本案尚未作出决定")
    kind = common.choice(kind, DecisionChangeKind, field="kind", label="变更情形")
    authority = common.choice(
        authority, DecisionChangeAuthority, field="authority", label="作出机关类别"
    )
    authority_name = common.text(
        authority_name, field="authority_name", label="作出机关", max_length=100
    )
    document = common.text(document, field="document", label="文书名称及文号", max_length=200)
    happened_on = common.date(
        happened_on,
        field="happened_on",
        label="作出日期",
        not_before=decision.decided_on,
        not_before_label="原执法决定的日期",
    )
    reason = common.long_text(reason, field="reason", label="理由")
    voided_before = selectors.decision_voided_reason(decision)
    if voided_before and kind in DECISION_VOIDING_CHANGES:
        raise Blocked([f"{voided_before}；不需再次登记"])
    change = DecisionChange.objects.create(
        decision=decision,
        kind=kind,
        authority=authority,
        authority_name=authority_name,
        document=document,
        happened_on=happened_on,
        reason=reason,
        recorded_by=actor,
    )
    event = ledger.record(
        actor=actor,
        subject=case,
        type="case.decision_changed",
        data={
            "change": change.pk,
            "decision": decision.number or "",
            "kind": kind,
            "authority": authority,
            "authority_name": authority_name,
            "document": document,
            "happened_on": happened_on,
            "reason": reason,
            "voids_decision": kind in DECISION_VOIDING_CHANGES,
        },
    )
    change.ledger_seq = event.seq
    change.save(update_fields=["ledger_seq"])
    return change
