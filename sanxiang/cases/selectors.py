"""Reads of cases: the facts the workflow guards look at (in a constant number of queries),
who may see a complainant's identity, clocks with their read-time state, lists and 我的待办."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
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
    ComplainantRole,
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
            voided=decision_voided_reason(decision),
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
        review_reasons=tuple(gates.review_gate(case, actor=actor, on=on))
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


def named_complainants(case: Case) -> QuerySet[Complainant]:
    """投诉人 who put their name to a complaint (投诉须署名; only a report may be anonymous): the
    people a refusal to accept must be notified to in writing (若干规定 第十八条)."""
    return Complainant.objects.filter(
        case=case, role=ComplainantRole.COMPLAINANT, anonymous=False
    ).order_by("pk")


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


def _todo_note(d: Deadline, state: clocks.ClockState, today: dt.date) -> str:
    """What the urgency badge does not say already: why the due date is unknown, how long past
    it is, or how many working days are left."""
    if d.due is None:
        return d.due_unknown_reason
    if state.code == "overdue":
        return f"已逾期{(today - d.due).days}日"
    if state.workdays_left is not None:
        return f"剩余{state.workdays_left}个工作日"
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
    # A head or decider acts for their own agency only: another agency's clocks are not theirs.
    agency_id = user.unit.agency_id if getattr(user, "unit_id", None) else None
    own = Q(case__agency_id=agency_id) if agency_id is not None else Q()
    deadlines = (
        Deadline.objects.filter(status=DeadlineStatus.OPEN)
        .filter(visible)
        .filter(own)
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
                note=_todo_note(d, state, today),
            )
        )
    if user.has_perm("cases.approve_as_agency_head"):
        for p in (
            Preservation.objects.filter(status=PreservationStatus.REQUESTED)
            .filter(own)
            .select_related("case")
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
        for r in (
            Recusal.objects.filter(status=RecusalStatus.PENDING)
            .filter(own)
            .select_related("case", "person")
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


# --- staff UI: list rows, the case page's records, choices for forms -----------------------------
# Added for the case-handling pages (sanxiang/cases/views). Reads only; each function runs a
# fixed number of queries whatever the number of cases, records or events.

LEAD_STATES = (State.LEAD, State.SUPPLEMENT)


def case_search(
    *,
    agency=None,
    leads: bool | None = None,
    state: str = "",
    source: str = "",
    procedure: str = "",
    officer=None,
    major: bool | None = None,
    deadline: str = "",
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    q: str = "",
    order: str = "-received_on",
    today: dt.date | None = None,
) -> QuerySet[Case]:
    """The staff case list with every filter of the list page (the same filters as
    ``case_list``, and more). ``leads`` True: only leads awaiting acceptance (待受理线索); False:
    everything else. ``deadline``: "overdue" (an open clock past its due date), "soon" (due within
    2 working days), "unknown" (期限待定). ``order``: "-received_on" (newest first) or
    "received_on". (Ordering by the nearest deadline is 我的待办's job: ``todo_items_for``.)

    Built for 100,000 cases: related tables are matched with ``pk IN (subquery)`` — one pass
    over the matching clocks, parties or assignments — rather than a correlated EXISTS per case,
    and nothing is annotated, so the database reads only the page it returns; ``case_rows`` adds
    the party, team and clock of those rows."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    today = today or timezone.localdate()
    q = (q or "").strip()
    qs = Case.objects.all()
    if agency is not None and not q:
        qs = qs.filter(agency=agency)
    if leads is True:
        qs = qs.filter(state__in=LEAD_STATES)
    elif leads is False:
        qs = qs.exclude(state__in=LEAD_STATES)
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if major is not None:
        qs = qs.filter(is_major=major)
    if received_from is not None:
        qs = qs.filter(received_on__gte=received_from)
    if received_to is not None:
        qs = qs.filter(received_on__lte=received_to)
    if officer is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(user=officer, released_on__isnull=True).values(
                "case_id"
            )
        )
    open_clocks = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    if deadline == "overdue":
        qs = qs.filter(pk__in=open_clocks.filter(due__lt=today).values("case_id"))
    elif deadline == "soon":
        limit, _ = clocks.compute_due(start=today, length=2, unit="workdays")
        if limit is None:  # the calendar of the coming days is missing: count 2 calendar days
            limit = today + dt.timedelta(days=2)
        qs = qs.filter(pk__in=open_clocks.filter(due__gte=today, due__lte=limit).values("case_id"))
    elif deadline == "unknown":
        qs = qs.filter(pk__in=open_clocks.filter(due__isnull=True).values("case_id"))
    received = F("received_on")
    if q:
        qs = qs.filter(_text_match(q))
        # A search collects the matches (from the trigram index, or a scan for a short term)
        # and sorts them, rather than walk the date index row by row — for a rare term that
        # visits all 100,000 rows in random order. The two expressions keep SQLite's planner
        # off the agency and date indexes; the result and its order are the same.
        received = Coalesce("received_on", "received_on")
        if agency is not None:
            qs = qs.alias(agency_key=F("agency_id") + 0).filter(agency_key=agency.pk)
    if order == "received_on":
        return qs.order_by(received.asc(), "pk")
    return qs.order_by(received.desc(), "-pk")


# Registration and case numbers (“陵人社监立字〔2026〕第12号”) are searched when the term could be
# part of one; names and summaries always.
_NUMBERISH = frozenset("0123456789０１２３４５６７８９〔〕[]字号")


def _text_match(q: str) -> Q:
    if connection.vendor == "sqlite":
        return _text_match_sqlite(q)
    # PostgreSQL: migration 0002 indexes UPPER(column) with pg_trgm, the expression icontains
    # compares, so this plain ORM query uses those indexes.
    return _text_match_orm(q)


def _text_match_orm(q: str) -> Q:
    match = Q(summary__icontains=q) | Q(
        pk__in=Party.objects.filter(name__icontains=q).values("case_id")
    )
    if _NUMBERISH.intersection(q):
        match |= Q(registration_no__icontains=q) | Q(case_no__icontains=q)
    return match


def _text_match_sqlite(q: str) -> Q:
    """The same match over the FTS5 trigram tables of migration 0002 (kept by triggers) for a
    term of 3+ characters without LIKE wildcards: an index look-up. A shorter term (the index
    holds no 1–2 character grams, and scanning the FTS tables is slower than scanning the base
    tables) or one containing ``%``/``_`` takes the plain ``icontains`` scan. Case folding as
    ``icontains`` on SQLite: ASCII only."""
    from django.db.models.expressions import RawSQL

    if len(q) < 3 or set(q) & {"%", "_", "\\"}:
        return _text_match_orm(q)
    test, param = "{} LIKE %s", f"%{q}%"
    columns = ["summary", "numbers"] if _NUMBERISH.intersection(q) else ["summary"]
    cases_sql = " UNION ALL ".join(
        f"SELECT rowid FROM cases_case_fts WHERE {test.format(c)}" for c in columns
    )
    parties_sql = f"SELECT case_id FROM cases_party_fts WHERE {test.format('name')}"
    return Q(pk__in=RawSQL(cases_sql, [param] * len(columns))) | Q(
        pk__in=RawSQL(parties_sql, [param])
    )


SEARCH_CAP = 2000  # a search lists at most this many cases (“2000件以上”: refine the term)


@dataclass(frozen=True)
class CasePage:
    page: object  # django.core.paginator.Page of Case
    capped: bool  # a search found more than SEARCH_CAP cases


def case_page(cases: QuerySet[Case], *, number, per_page: int = 50, search: bool = False):
    """One page of ``case_search``. A plain list counts with the index and reads one page; a
    search reads the matching ids once (count and page from the same pass, at most
    ``SEARCH_CAP``), then the page's rows by primary key."""
    from django.core.paginator import Paginator

    if not search:
        return CasePage(Paginator(cases, per_page).get_page(number), capped=False)
    ids = list(cases.values_list("pk", flat=True)[: SEARCH_CAP + 1])
    capped = len(ids) > SEARCH_CAP
    page = Paginator(ids[:SEARCH_CAP], per_page).get_page(number)
    rows = Case.objects.in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    return CasePage(page, capped=capped)


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: the case, its team and its nearest open clock."""

    case: Case
    party_name: str
    team: tuple[Assignment, ...]
    next_clock: Deadline | None
    next_state: clocks.ClockState | None
    unknown_clocks: int


def case_rows(cases, *, today: dt.date | None = None) -> list[CaseRow]:
    """Rows for a page of cases (three queries whatever the page size): the first party, the
    active team and the open clock due first; clocks with an unknown due date are counted
    (期限待定)."""
    today = today or timezone.localdate()
    cases = list(cases)
    ids = [c.pk for c in cases]
    parties: dict[int, str] = {}
    for case_id, name in (
        Party.objects.filter(case_id__in=ids).order_by("pk").values_list("case_id", "name")
    ):
        parties.setdefault(case_id, name)
    teams: dict[int, list[Assignment]] = {pk: [] for pk in ids}
    for a in (
        Assignment.objects.filter(case_id__in=ids, released_on__isnull=True)
        .select_related("user")
        .order_by("role", "pk")
    ):
        teams[a.case_id].append(a)
    nearest: dict[int, Deadline] = {}
    unknown: dict[int, int] = {}
    for d in Deadline.objects.filter(case_id__in=ids, status=DeadlineStatus.OPEN).order_by(
        "due", "pk"
    ):
        if d.due is None:
            unknown[d.case_id] = unknown.get(d.case_id, 0) + 1
        elif d.case_id not in nearest:
            nearest[d.case_id] = d
    rows = []
    for c in cases:
        d = nearest.get(c.pk)
        rows.append(
            CaseRow(
                case=c,
                party_name=parties.get(c.pk, ""),
                team=tuple(teams[c.pk]),
                next_clock=d,
                next_state=clocks.clock_state(d, today) if d is not None else None,
                unknown_clocks=unknown.get(c.pk, 0),
            )
        )
    return rows


@dataclass(frozen=True)
class TeamRow:
    assignment: Assignment
    certificate: str  # number of the certificate valid today ("" when none)
    problems: tuple[str, ...]  # why the officer may not act today (registry rules)


def team_rows(case: Case, *, on: dt.date | None = None) -> list[TeamRow]:
    """The case team (current and released) with each officer's certificate status on ``on``
    (three queries whatever the team size)."""
    from django.db.models import F

    from sanxiang.registry import rules as registry_rules
    from sanxiang.registry.models import Certificate

    on = on or timezone.localdate()
    assignments = list(
        Assignment.objects.filter(case=case)
        .select_related("user", "assigned_by")
        .order_by(F("released_on").asc(nulls_first=True), "role", "pk")
    )
    certs: dict[int, list] = {a.user_id: [] for a in assignments}
    for c in (
        Certificate.objects.filter(officer__user_id__in=list(certs))
        .select_related("officer")
        .prefetch_related("suspensions")
    ):
        certs[c.officer.user_id].append(c.facts())
    rows = []
    for a in assignments:
        facts = certs[a.user_id]
        valid = registry_rules.valid_certificate(facts, on)
        rows.append(
            TeamRow(
                assignment=a,
                certificate=valid.number if valid else "",
                problems=tuple(registry_rules.holder_problems(facts, on)),
            )
        )
    return rows


@dataclass(frozen=True)
class CaseRecords:
    """Everything recorded on a case, for its page (a fixed number of queries)."""

    parties: list
    complainant_roles: list
    causes: list
    flags: list
    recusals: list
    records: list
    preservations: list
    orders: list
    proposals: list
    notices: list
    defences: list
    hearings: list
    discussions: list
    decision: Decision | None
    consents: list
    service_records: list
    payments: list
    plans: list
    reminders: list
    court_applications: list


def case_causes(case: Case) -> list:
    """The case's causes with their catalogue item, version and discretion tiers."""
    from django.db.models import Prefetch

    from sanxiang.catalog.models import DiscretionTier

    return list(
        case.causes.select_related("item_version__item")
        .prefetch_related(
            Prefetch(
                "item_version__tiers",
                queryset=DiscretionTier.objects.select_related("version").order_by("rank"),
            )
        )
        .order_by("pk")
    )


def case_records(case: Case) -> CaseRecords:
    from django.db.models import Prefetch

    from .models import CaseFlag, DiscussionOpinion, RecordOfficer, Reminder, ServiceConsent

    return CaseRecords(
        parties=list(Party.objects.filter(case=case).order_by("pk")),
        complainant_roles=list(
            Complainant.objects.filter(case=case).order_by("pk").values_list("role", flat=True)
        ),
        causes=case_causes(case),
        flags=list(
            CaseFlag.objects.filter(case=case).select_related("set_by", "removed_by").order_by("pk")
        ),
        recusals=list(
            Recusal.objects.filter(case=case)
            .select_related("person", "decided_by")
            .order_by("filed_on", "pk")
        ),
        records=list(
            InvestigationRecord.objects.filter(case=case)
            .select_related("recorder")
            .prefetch_related(
                Prefetch("officers", queryset=RecordOfficer.objects.select_related("user"))
            )
            .order_by("started_at", "pk")
        ),
        preservations=list(
            Preservation.objects.filter(case=case)
            .select_related("requested_by", "approved_by")
            .order_by("requested_on", "pk")
        ),
        orders=list(CorrectionOrder.objects.filter(case=case).order_by("issued_on", "pk")),
        proposals=list(
            Proposal.objects.filter(case=case)
            .select_related("item_version__item", "created_by")
            .order_by("-revision")
        ),
        notices=list(
            Notice.objects.filter(case=case).select_related("proposal").order_by("served_on", "pk")
        ),
        defences=list(
            Defence.objects.filter(case=case)
            .select_related("notice", "rechecked_by")
            .order_by("received_on", "pk")
        ),
        hearings=list(
            Hearing.objects.filter(case=case)
            .select_related("presider", "clerk")
            .order_by("requested_on", "pk")
        ),
        discussions=list(
            CollectiveDiscussion.objects.filter(case=case)
            .select_related("chair", "proposal")
            .prefetch_related(
                Prefetch(
                    "opinions",
                    queryset=DiscussionOpinion.objects.select_related("attendee").order_by("pk"),
                )
            )
            .order_by("held_on", "pk")
        ),
        decision=Decision.objects.filter(case=case).select_related("decided_by").first(),
        consents=list(
            ServiceConsent.objects.filter(case=case).select_related("party").order_by("pk")
        ),
        service_records=list(
            ServiceRecord.objects.filter(case=case)
            .select_related("server", "second_server")
            .order_by("served_on", "pk")
        ),
        payments=list(Payment.objects.filter(case=case).order_by("paid_on", "pk")),
        plans=list(
            PaymentPlan.objects.filter(case=case)
            .select_related("decided_by")
            .order_by("applied_on", "pk")
        ),
        reminders=list(Reminder.objects.filter(case=case).order_by("served_on", "pk")),
        court_applications=list(
            CourtApplication.objects.filter(case=case).order_by("applied_on", "pk")
        ),
    )


def assignable_officers(*, agency, on: dt.date | None = None):
    """Users on the agency's officer roster with a certificate valid on ``on`` (the pool the
    unit head assigns from); the service checks again."""
    from sanxiang.registry import selectors as registry_selectors

    on = on or timezone.localdate()
    ids = registry_selectors.certified_officers(agency=agency, on=on).values("user_id")
    return _agency_users(agency).filter(pk__in=ids)


def roster_users(*, agency):
    """Every user on the agency's officer roster (the list page's officer filter)."""
    return _agency_users(agency).filter(officer__agency=agency)


def _agency_users(agency):
    from django.contrib.auth import get_user_model

    qs = get_user_model().objects.filter(is_active=True).select_related("unit")
    if agency is not None:
        qs = qs.filter(Q(unit__agency=agency) | Q(unit__isnull=True))
    return qs.order_by("real_name", "pk")


def agency_users(*, agency):
    """Active users of the agency (hearing presider and clerk, discussion attendees)."""
    return _agency_users(agency)


def cause_versions_in_force(*, agency, on: dt.date | None = None):
    """Catalogue item versions in force on ``on`` for choosing a case cause (案由)."""
    from sanxiang.catalog import selectors as catalog_selectors

    on = on or timezone.localdate()
    return catalog_selectors.item_list_on(on=on, agency=agency).filter(effective_from__lte=on)


def decision_changes(decision) -> list:
    """The decision's recorded changes (复议、诉讼、自行纠正), oldest first."""
    from .models import DecisionChange

    if decision is None:
        return []
    return list(
        DecisionChange.objects.filter(decision=decision)
        .select_related("recorded_by")
        .order_by("happened_on", "pk")
    )


def decision_voided_reason(decision) -> str:
    """Why ``decision`` no longer binds the party ("" = it does): the latest change that revoked
    it or confirmed it void (行政复议法 第六十四条、第六十七条; 行政诉讼法 第七十条、第七十五条)."""
    from .choices import DECISION_VOIDING_CHANGES
    from .models import DecisionChange

    if decision is None:
        return ""
    change = (
        DecisionChange.objects.filter(decision=decision, kind__in=DECISION_VOIDING_CHANGES)
        .order_by("-happened_on", "-pk")
        .first()
    )
    if change is None:
        return ""
    return (
        f"执法决定已于{rules.cn_date(change.happened_on)}{change.get_kind_display()}"
        f"（{change.authority_name}：{change.document}），不再执行"
    )
