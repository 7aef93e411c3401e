"""Reads of cases: the facts the workflow guards look at (in a constant number of queries),
who may see a complainant's identity, clocks with their read-time state, lists and 我的待办."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sanxiang.catalog import rules as catalog_rules
from sanxiang.lib.money import late_surcharge
from sanxiang.lib.todo import TodoItem
from sanxiang.registry import selectors as registry

from . import clocks, config, gates, rules, workflow
from .choices import (
    NATURAL_PERSON_KINDS,
    CorrectionResult,
    DeadlineKind,
    DeadlineStatus,
    NoPenaltyGround,
    OutcomeKind,
    PaymentKind,
    PlanStatus,
    PreservationStatus,
    RecusalStatus,
    ServicePurpose,
    State,
)
from .models import (
    Assignment,
    Case,
    CollectiveDiscussion,
    Complainant,
    CorrectionOrder,
    CourtApplication,
    Deadline,
    Decision,
    Defence,
    Hearing,
    InvestigationRecord,
    Notice,
    Party,
    Payment,
    PaymentPlan,
    Preservation,
    Proposal,
    Recusal,
    ServiceRecord,
)

CONFIDENTIAL = "（保密）"


# --- facts for the workflow --------------------------------------------------------------------


def sanction_of(p: Proposal | Decision) -> rules.Sanction:
    return rules.Sanction(
        kind=p.kind,
        penalty_types=frozenset(p.penalty_types or ()),
        fine=p.fine_amount,
        confiscation=p.confiscation_amount,
        compensation=getattr(p, "compensation_amount", None),
    )


def _proposal_facts(
    proposal: Proposal, *, orders: list[CorrectionOrder], natural: bool, limits: config.CaseRules
) -> workflow.ProposalFacts:
    sanction = sanction_of(proposal)
    version = proposal.item_version
    tier_problem = statutory_problem = amount_problem = first_offence_problem = None
    facts = catalog_rules.CaseFacts(
        affected_workers=proposal.affected_workers, base_amount=proposal.base_amount
    )
    amount = (
        proposal.fine_amount
        if proposal.kind == OutcomeKind.PENALTY
        else proposal.compensation_amount
    )
    if version is not None and proposal.kind in (OutcomeKind.PENALTY, OutcomeKind.HANDLING):
        tiers = list(version.tiers.all())
        tier = next((t for t in tiers if t.level == proposal.tier_level), None)
        if tiers and tier is None:
            labels = "、".join(t.get_level_display() for t in tiers)
            tier_problem = (
                f"请选择该事项裁量基准中的裁量档次（{labels}）"
                if not proposal.tier_level
                else f"裁量档次“{catalog_rules.LEVEL_LABELS.get(proposal.tier_level, proposal.tier_level)}”"
                f"不在该事项的裁量基准中（{labels}）"
            )
        statutory = version.statutory
        if amount is not None and statutory.kind != catalog_rules.NONE:
            try:
                allowed = catalog_rules.amount_range(statutory, facts)
            except catalog_rules.RuleError as exc:
                statutory_problem = str(exc)
            else:
                if allowed is not None and amount > allowed.high:
                    statutory_problem = (
                        f"拟定金额{catalog_rules.yuan(amount)}超出法定幅度上限"
                        f"{catalog_rules.yuan(allowed.high)}（{allowed.explanation}），"
                        "裁量不得超出法定幅度（行政处罚法第七十六条）"
                    )
                elif (
                    allowed is not None
                    and amount < allowed.low
                    and proposal.tier_level != catalog_rules.MITIGATED
                ):
                    statutory_problem = (
                        f"拟定金额{catalog_rules.yuan(amount)}低于法定幅度下限"
                        f"{catalog_rules.yuan(allowed.low)}，只有依法减轻处罚时方可低于下限"
                        "（行政处罚法第三十二条）"
                    )
        if tier is not None and not statutory_problem:
            amount_problem = catalog_rules.amount_check(
                tier.rule,
                facts,
                amount if amount is not None else Decimal("0"),
                tier_label=tier.get_level_display(),
            )
    if proposal.no_penalty_ground == NoPenaltyGround.FIRST_OFFENCE:
        rule = getattr(version, "first_offence", None) if version is not None else None
        if rule is None:
            first_offence_problem = (
                "所适用的执法事项（版本）没有首违不罚情形（行政处罚法第三十三条第一款）"
            )
        else:
            corrected = any(
                o.result == CorrectionResult.COMPLIED and o.checked_on and o.checked_on <= o.due_on
                for o in orders
            )
            reasons = catalog_rules.first_offence_reasons(
                catalog_rules.FirstOffenceFacts(
                    first_offence=proposal.is_first_offence,
                    harm_minor=proposal.harm_minor,
                    corrected_in_time=corrected,
                    affected_workers=proposal.affected_workers,
                ),
                max_affected_workers=rule.max_affected_workers,
            )
            if reasons:
                first_offence_problem = "不符合首违不罚情形：" + "、".join(reasons)
    return workflow.ProposalFacts(
        revision=proposal.revision,
        kind=proposal.kind,
        sanction=sanction,
        has_item=version is not None,
        tier_problem=tier_problem,
        statutory_problem=statutory_problem,
        amount_problem=amount_problem,
        outside_range_reason=proposal.outside_range_reason,
        no_penalty_ground=proposal.no_penalty_ground,
        first_offence_problem=first_offence_problem,
        education_record=bool(proposal.education_record.strip()),
        transfer_to=proposal.transfer_to,
        payment_order=proposal.payment_order,
        facts_found=bool(proposal.facts_found.strip()),
        hearing_basis=rules.hearing_basis(
            sanction,
            natural_person=natural,
            fine_threshold_person=limits.hearing_fine_natural_person,
            fine_threshold_org=limits.hearing_fine_organisation,
        ),
    )


def payment_facts(
    *,
    fine: Decimal,
    payments: list[Payment],
    clock: Deadline | None,
    plan: PaymentPlan | None,
    on: dt.date,
) -> workflow.PaymentFacts:
    """Fine, what was paid, the surcharge owed (行政处罚法 第七十二条) and the next due date.

    With an approved deferral or instalment plan (第六十六条) each instalment is due on its own
    date; payments go to the earliest instalment first; the surcharge accrues per instalment and
    is capped, in total, at the fine.
    """
    fine_payments = sorted(
        ((p.paid_on, p.amount) for p in payments if p.kind == PaymentKind.FINE), key=lambda x: x[0]
    )
    surcharge_paid = sum(
        (p.amount for p in payments if p.kind == PaymentKind.SURCHARGE), Decimal(0)
    )
    fine_paid = sum((a for _, a in fine_payments), Decimal(0))
    due_reason = ""
    if plan is not None:
        obligations = [
            (dt.date.fromisoformat(i["due"]), Decimal(i["amount"])) for i in plan.schedule
        ]
    elif clock is not None and clock.due is not None:
        obligations = [(clock.due, fine)]
    else:
        obligations = []
        due_reason = clock.due_unknown_reason if clock is not None else "缴纳期限尚未起算"
    # Allocate payments to obligations in order (FIFO).
    remaining = list(fine_payments)
    owed = Decimal(0)
    next_due = None
    for due, amount in sorted(obligations):
        allocated: list[tuple[dt.date, Decimal]] = []
        need = amount
        while need > 0 and remaining:
            day, paid = remaining[0]
            take = min(need, paid)
            allocated.append((day, take))
            need -= take
            if take == paid:
                remaining.pop(0)
            else:
                remaining[0] = (day, paid - take)
        as_of = on if need > 0 else (allocated[-1][0] if allocated else on)
        owed += late_surcharge(fine=amount, due=due, as_of=as_of, payments=allocated).amount
        if need > 0 and next_due is None:
            next_due = due
    owed = min(owed, fine)
    return workflow.PaymentFacts(
        fine=fine,
        fine_paid=fine_paid,
        surcharge_owed=owed,
        surcharge_paid=surcharge_paid,
        next_due=next_due,
        due_reason=due_reason,
    )


def case_facts(case: Case, *, actor=None, on: dt.date | None = None) -> workflow.CaseFacts:
    """Everything the guards need, in a constant number of queries whatever the case's size
    (plus whatever installed gates need)."""
    on = on or timezone.localdate()
    limits = config.rules_for(case.agency)
    parties = list(Party.objects.filter(case=case).order_by("pk"))
    natural = bool(parties) and parties[0].kind in NATURAL_PERSON_KINDS
    cause_count = case.causes.count()
    assignments = list(Assignment.objects.filter(case=case).select_related("user"))
    active = [a for a in assignments if a.released_on is None]
    problems = registry.enforcement_problems(users=[a.user for a in active], on=on)
    team = tuple(
        workflow.Member(a.user_id, str(a.user), tuple(problems[a.user_id])) for a in active
    )
    recusals = list(Recusal.objects.filter(case=case).values_list("person_id", "status"))
    records = list(
        InvestigationRecord.objects.filter(case=case).values_list(
            "person_signed", "refusal_note", "officers_signed"
        )
    )
    unsigned = sum(
        1 for signed, refusal, officers in records if not ((signed or refusal) and officers)
    )
    open_preservations = Preservation.objects.filter(
        case=case, status__in=[PreservationStatus.REQUESTED, PreservationStatus.APPROVED]
    ).count()
    orders = list(CorrectionOrder.objects.filter(case=case))
    deadlines = list(Deadline.objects.filter(case=case).order_by("pk"))

    def latest_clock(kind: str) -> Deadline | None:
        found = [d for d in deadlines if d.kind == kind and d.status != DeadlineStatus.CANCELLED]
        return found[-1] if found else None

    inv = latest_clock(DeadlineKind.INVESTIGATION)
    proposal = (
        Proposal.objects.filter(case=case)
        .select_related("item_version__first_offence")
        .prefetch_related("item_version__tiers__version")
        .order_by("-revision")
        .first()
    )
    proposal_facts = (
        _proposal_facts(proposal, orders=orders, natural=natural, limits=limits)
        if proposal
        else None
    )
    notice = Notice.objects.filter(case=case).select_related("proposal").order_by("-pk").first()
    notice_facts = None
    if notice is not None:
        defence_clock = next(
            (
                d
                for d in reversed(deadlines)
                if d.kind == DeadlineKind.DEFENCE and d.ref == f"notice:{notice.pk}"
            ),
            None,
        )
        hearing_clock = next(
            (
                d
                for d in reversed(deadlines)
                if d.kind == DeadlineKind.HEARING_REQUEST and d.ref == f"notice:{notice.pk}"
            ),
            None,
        )
        notice_facts = workflow.NoticeFacts(
            revision=notice.proposal.revision,
            sanction=sanction_of(notice.proposal),
            served_on=notice.served_on,
            defence_due=notice.defence_due,
            defence_due_reason=defence_clock.due_unknown_reason if defence_clock else "",
            hearing_eligible=notice.hearing_eligible,
            hearing_request_due=notice.hearing_request_due,
            hearing_due_reason=hearing_clock.due_unknown_reason if hearing_clock else "",
            defence_waived=notice.defence_waived_on is not None,
            hearing_waived=notice.hearing_waived_on is not None,
        )
    unchecked = Defence.objects.filter(case=case, recheck_result="").count()
    hearing = Hearing.objects.filter(case=case).order_by("-pk").first()
    hearing_facts = None
    upheld = {pid for pid, status in recusals if status == RecusalStatus.UPHELD}
    if hearing is not None:
        hearing_facts = workflow.HearingFacts(
            requested_on=hearing.requested_on,
            scheduled_on=timezone.localtime(hearing.scheduled_at).date()
            if hearing.scheduled_at
            else None,
            earliest_on=hearing.earliest_on,
            notice_served_on=hearing.notice_served_on,
            presider_id=hearing.presider_id,
            presider_recused=hearing.presider_id in upheld,
            outcome=hearing.outcome,
            has_record=bool(hearing.record_summary.strip()),
            record_signed=hearing.party_signed or bool(hearing.refusal_note.strip()),
            has_report=bool(hearing.report.strip()),
        )
    discussed = (
        proposal is not None
        and CollectiveDiscussion.objects.filter(case=case, proposal=proposal).exists()
    )
    decision = Decision.objects.filter(case=case).first()
    decision_facts = payment = None
    court_status = ""
    if decision is not None:
        served = (
            ServiceRecord.objects.filter(case=case, purpose=ServicePurpose.DECISION)
            .order_by("-served_on", "-pk")
            .values_list("served_on", flat=True)
            .first()
        )
        decision_facts = workflow.DecisionFacts(
            kind=decision.kind,
            decided_on=decision.decided_on,
            fine=decision.fine_amount,
            served_on=served,
        )
        if decision.fine_amount:
            plan = (
                PaymentPlan.objects.filter(case=case, status=PlanStatus.APPROVED)
                .order_by("-decided_on", "-pk")
                .first()
            )
            payment = payment_facts(
                fine=decision.fine_amount,
                payments=list(Payment.objects.filter(case=case)),
                clock=latest_clock(DeadlineKind.PAYMENT),
                plan=plan,
                on=on,
            )
        court_status = (
            CourtApplication.objects.filter(case=case)
            .order_by("-pk")
            .values_list("status", flat=True)
            .first()
            or ""
        )
    limitation = rules.limitation_problem(
        received_on=case.received_on,
        violation_from=case.violation_from,
        violation_until=case.violation_until,
        continuing=case.violation_continuing,
        years=limits.limitation_years,
    )
    active_ids = {a.user_id for a in active}
    perms: frozenset[str] = frozenset()
    if actor is not None and actor.is_active:
        perms = frozenset(actor.get_all_permissions())
    return workflow.CaseFacts(
        case_id=case.pk,
        state=case.state,
        procedure=case.procedure,
        source=case.source,
        on=on,
        received_on=case.received_on,
        is_major=case.is_major,
        is_complex=case.is_complex,
        limitation_problem=limitation,
        limitation_reason=case.limitation_reason,
        party_count=len(parties),
        natural_person=natural,
        cause_count=cause_count,
        team=team,
        investigator_ids=frozenset(a.user_id for a in assignments),
        pending_recusals=sum(1 for _, s in recusals if s == RecusalStatus.PENDING),
        record_count=len(records),
        unsigned_records=unsigned,
        open_preservations=open_preservations,
        correction_orders=len(orders),
        corrections_complied=bool(orders)
        and all(o.result == CorrectionResult.COMPLIED for o in orders),
        correction_overdue=any(
            o.due_on < on and o.result != CorrectionResult.COMPLIED for o in orders
        ),
        investigation_due=inv.due if inv else None,
        investigation_due_reason=inv.due_unknown_reason if inv else "",
        proposal=proposal_facts,
        notice=notice_facts,
        unchecked_defences=unchecked,
        hearing=hearing_facts,
        discussion_for_current=discussed,
        decision=decision_facts,
        payment=payment,
        court_status=court_status,
        review_reasons=tuple(gates.review_gate(case))
        if case.state == State.PENDING_DECISION
        else (),
        recording_reasons={
            action: tuple(gates.required_recordings(case, action)) for action in workflow.ACTIONS
        },
        actor_id=actor.pk if actor is not None else None,
        actor_perms=perms,
        actor_in_team=actor is not None and actor.pk in active_ids,
    )


def available_actions(case: Case, *, user, on: dt.date | None = None) -> list[workflow.ActionState]:
    """What ``user`` may do on ``case`` now, with the reasons for what is blocked."""
    return workflow.available_actions(case_facts(case, actor=user, on=on))


# --- team and confidentiality ------------------------------------------------------------------


def active_team(case: Case) -> list[Assignment]:
    return list(
        Assignment.objects.filter(case=case, released_on__isnull=True)
        .select_related("user")
        .order_by("role", "pk")
    )


def is_on_team(*, case: Case, user) -> bool:
    return Assignment.objects.filter(case=case, user=user, released_on__isnull=True).exists()


def may_see_complainant(*, case: Case, user) -> bool:
    """劳动保障监察条例 第九条: 为举报人保密. The identity of complainants and reporters is seen
    only by the officer who registered it, the case team (current members), the unit head
    (承办机构负责人, who approves filing) and the decision maker (局负责人)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.pk == case.received_by_id:
        return True
    same_agency = user.unit is None or user.unit.agency_id == case.agency_id
    if same_agency and (user.has_perm("cases.file_case") or user.has_perm("cases.decide_case")):
        return True
    return is_on_team(case=case, user=user)


@dataclass(frozen=True)
class ComplainantView:
    role: str
    name: str
    sex: str
    age: str
    id_number: str
    occupation: str
    employer: str
    address: str
    phone: str
    is_representative: bool
    confidential: bool  # True: identity fields are "（保密）"


def _view(c: Complainant, *, masked: bool) -> ComplainantView:
    def show(value) -> str:
        if masked:
            return CONFIDENTIAL
        return "" if value is None else str(value)

    return ComplainantView(
        role=c.get_role_display(),
        name=CONFIDENTIAL if masked else (c.name or "（匿名）"),
        sex=show(c.get_sex_display() if c.sex else ""),
        age=show(c.age),
        id_number=show(c.id_number),
        occupation=show(c.occupation),
        employer=show(c.employer),
        address=show(c.address),
        phone=show(c.phone),
        is_representative=c.is_representative,
        confidential=masked,
    )


def complainants_masked(case: Case) -> list[ComplainantView]:
    """What everyone sees by default: the role only, every identity field "（保密）"."""
    return [_view(c, masked=True) for c in Complainant.objects.filter(case=case).order_by("pk")]


def complainants_unmasked(case: Case) -> list[ComplainantView]:
    """Only for ``services.complainant_reveal`` (which checks and records the access)."""
    return [_view(c, masked=False) for c in Complainant.objects.filter(case=case).order_by("pk")]


# --- clocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockRow:
    deadline: Deadline
    state: clocks.ClockState


def clocks_of(case: Case, *, today: dt.date | None = None) -> list[ClockRow]:
    today = today or timezone.localdate()
    rows = (
        Deadline.objects.filter(case=case)
        .prefetch_related("extensions", "suspensions")
        .order_by("pk")
    )
    return [ClockRow(d, clocks.clock_state(d, today)) for d in rows]


# --- lists ---------------------------------------------------------------------------------------


def _first_party_name() -> Subquery:
    return Subquery(Party.objects.filter(case=OuterRef("pk")).order_by("pk").values("name")[:1])


def case_list(
    *, agency=None, state: str = "", q: str = "", mine=None, major: bool | None = None
) -> QuerySet[Case]:
    """Cases for the staff list, with the respondent's name annotated (one query per page)."""
    qs = Case.objects.select_related("agency").annotate(party_name=_first_party_name())
    if agency is not None:
        qs = qs.filter(agency=agency)
    if state:
        qs = qs.filter(state=state)
    if major is not None:
        qs = qs.filter(is_major=major)
    if mine is not None:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(case=OuterRef("pk"), user=mine, released_on__isnull=True)
            )
        )
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(registration_no__icontains=q)
            | Q(case_no__icontains=q)
            | Q(summary__icontains=q)
            | Exists(Party.objects.filter(case=OuterRef("pk"), name__icontains=q))
        )
    return qs.order_by("-received_on", "-pk")


def case_detail(pk: int) -> Case:
    return Case.objects.select_related("agency", "received_by", "filed_by", "closed_by").get(pk=pk)


def current_proposal(case: Case) -> Proposal | None:
    return Proposal.objects.filter(case=case).order_by("-revision").first()


def timeline(case: Case):
    """The case's events from the ledger, oldest first (the case page timeline)."""
    from sanxiang.ledger.selectors import events_of_subject

    return events_of_subject(case)


# --- 我的待办 -------------------------------------------------------------------------------------

_TODO_TITLES = {
    DeadlineKind.ACCEPTANCE: "决定是否受理投诉举报",
    DeadlineKind.VERIFICATION: "核查线索并决定是否立案",
    DeadlineKind.INVESTIGATION: "完成调查",
    DeadlineKind.DECISION: "作出处理决定",
    DeadlineKind.PRESERVATION: "对先行登记保存的证据作出处理决定",
    DeadlineKind.CORRECTION: "复查责令改正情况",
    DeadlineKind.DEFENCE: "陈述申辩期限届满后复核并提请决定",
    DeadlineKind.HEARING_REQUEST: "听证申请期限",
    DeadlineKind.SERVICE: "送达决定书",
    DeadlineKind.PAYMENT: "跟踪罚款缴纳",
    DeadlineKind.REMINDER: "催告期满后申请强制执行或结案",
    DeadlineKind.COURT: "申请人民法院强制执行",
}
# Clocks the unit head answers for (filing decisions) and the bureau head (the decision).
_HEAD_KINDS = {DeadlineKind.ACCEPTANCE, DeadlineKind.VERIFICATION}
_DECIDER_KINDS = {DeadlineKind.DECISION}


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def todo_items_for(*, user, today: dt.date) -> list:
    """我的待办 from the case clocks: team members see their cases' open clocks; whoever
    registered a lead sees its acceptance clock; the unit head sees every acceptance and
    filing clock; the decision maker sees the decision clocks of cases awaiting decision; the
    bureau head also sees preservations and recusals awaiting approval. Constant queries."""
    if not user.is_active:
        return []
    team_cases = Assignment.objects.filter(user=user, released_on__isnull=True).values("case")
    visible = Q(case__in=team_cases) & ~Q(kind__in=_DECIDER_KINDS)
    visible |= Q(case__received_by=user, kind__in=_HEAD_KINDS)
    if user.has_perm("cases.file_case"):
        visible |= Q(kind__in=_HEAD_KINDS)
    if user.has_perm("cases.decide_case"):
        visible |= Q(kind__in=_DECIDER_KINDS, case__state=State.PENDING_DECISION)
    deadlines = (
        Deadline.objects.filter(status=DeadlineStatus.OPEN)
        .filter(visible)
        .select_related("case")
        .annotate(
            party_name=Subquery(
                Party.objects.filter(case=OuterRef("case")).order_by("pk").values("name")[:1]
            )
        )
        .order_by("due", "pk")
    )
    items = []
    for d in deadlines:
        state = clocks.clock_state(d, today)
        items.append(
            TodoItem(
                title=_TODO_TITLES.get(d.kind, d.get_kind_display()),
                subject=f"{d.case.number} {d.party_name or d.case.summary}",
                url=_url("cases:case_detail", d.case_id),
                due=d.due,
                basis=d.basis,
                urgency=state.urgency,
                note=d.due_unknown_reason if d.due is None else state.label,
            )
        )
    if user.has_perm("cases.approve_as_agency_head"):
        for p in Preservation.objects.filter(status=PreservationStatus.REQUESTED).select_related(
            "case"
        ):
            items.append(
                TodoItem(
                    title="审批先行登记保存",
                    subject=f"{p.case.number} {p.case.summary}",
                    url=_url("cases:case_detail", p.case_id),
                    basis="行政处罚法第五十六条：经行政机关负责人批准",
                    urgency="soon",
                )
            )
        for r in Recusal.objects.filter(status=RecusalStatus.PENDING).select_related(
            "case", "person"
        ):
            items.append(
                TodoItem(
                    title="决定是否回避",
                    subject=f"{r.case.number} {r.person}",
                    url=_url("cases:case_detail", r.case_id),
                    basis="行政处罚法第四十三条：由行政机关负责人决定；决定作出之前不停止调查",
                    urgency="soon",
                )
            )
    return items
