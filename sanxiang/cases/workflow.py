"""The case workflow as data: states, the transition table, and pure guards.

Nothing here touches the database. ``selectors.case_facts`` gathers everything the guards need
into a frozen :class:`CaseFacts`; each guard is a function of those facts returning a Chinese
reason or None; ``available_actions(facts)`` lists every action with its blocking reasons (the
case page shows them; a test walks every (state, action) pair); ``services.case_transition``
executes a row. Guards that depend on what the user enters (a date, a reason) are *checks*:
functions of (facts, params), run only when the action is executed.

Clocks each action opens, closes, suspends or resumes are declared in the row (``opens``,
``closes`` …) and applied by ``services`` through ``cases.clocks``; a test checks that what
happens matches what is declared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sanxiang.registry import rules as registry_rules

from . import rules
from .choices import (
    NO_SERVICE_OUTCOMES,
    NOTICE_OUTCOMES,
    SUPPLEMENT_SOURCES,
    CorrectionResult,
    CourtStatus,
    DeadlineKind,
    Disposition,
    HearingOutcome,
    NoPenaltyGround,
    OutcomeKind,
    PenaltyType,
    State,
)

S = State
K = DeadlineKind
Out = OutcomeKind

# --- facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """An officer on the case team and why they may not act on ``CaseFacts.on`` (registry)."""

    user_id: int
    name: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProposalFacts:
    revision: int
    kind: str
    sanction: rules.Sanction
    has_item: bool = False
    tier_problem: str | None = None  # the tier is not one of the benchmark's tiers
    statutory_problem: str | None = None  # outside the statutory range: never allowed
    amount_problem: str | None = None  # outside the benchmark tier: needs a written reason
    outside_range_reason: str = ""
    no_penalty_ground: str = ""
    first_offence_problem: str | None = None
    education_record: bool = False
    transfer_to: str = ""
    payment_order: str = ""
    facts_found: bool = True
    hearing_basis: str = ""  # ground for a hearing under the agency's thresholds ("" = none)


@dataclass(frozen=True)
class NoticeFacts:
    revision: int  # the proposal revision notified
    sanction: rules.Sanction
    served_on: dt.date
    defence_due: dt.date | None
    defence_due_reason: str = ""
    hearing_eligible: bool = False
    hearing_request_due: dt.date | None = None
    hearing_due_reason: str = ""
    defence_waived: bool = False
    hearing_waived: bool = False


@dataclass(frozen=True)
class HearingFacts:
    requested_on: dt.date
    scheduled_on: dt.date | None = None
    earliest_on: dt.date | None = None
    notice_served_on: dt.date | None = None
    presider_id: int | None = None
    presider_recused: bool = False
    outcome: str = ""
    has_record: bool = False
    record_signed: bool = False  # party signed, or the presider noted the refusal
    has_report: bool = False


@dataclass(frozen=True)
class DecisionFacts:
    kind: str
    decided_on: dt.date
    fine: Decimal | None = None
    served_on: dt.date | None = None
    voided: str = ""  # why the decision no longer binds (revoked, void): "" = in force


@dataclass(frozen=True)
class PaymentFacts:
    fine: Decimal
    fine_paid: Decimal
    surcharge_owed: Decimal
    surcharge_paid: Decimal
    next_due: dt.date | None  # the earliest unpaid obligation's due date
    due_reason: str = ""  # why next_due is unknown

    @property
    def fine_outstanding(self) -> Decimal:
        return max(self.fine - self.fine_paid, Decimal(0))

    @property
    def complete(self) -> bool:
        return self.fine_outstanding == 0 and self.surcharge_paid >= self.surcharge_owed


@dataclass(frozen=True)
class CaseFacts:
    """Everything the guards look at, as plain values (built by ``selectors.case_facts``)."""

    case_id: int
    state: str
    procedure: str
    source: str
    on: dt.date  # the date the action takes effect (today unless entered)
    received_on: dt.date
    is_major: bool = False
    is_complex: bool = False
    limitation_problem: str | None = None
    limitation_reason: str = ""
    party_count: int = 0
    natural_person: bool = False
    cause_count: int = 0
    team: tuple[Member, ...] = ()
    investigator_ids: frozenset[int] = frozenset()
    pending_recusals: int = 0
    record_count: int = 0
    unsigned_records: int = 0
    open_preservations: int = 0
    correction_orders: int = 0
    corrections_complied: bool = False
    correction_overdue: bool = False  # an order's deadline passed without compliance
    investigation_due: dt.date | None = None
    investigation_due_reason: str = ""
    proposal: ProposalFacts | None = None
    notice: NoticeFacts | None = None
    unchecked_defences: int = 0
    hearing: HearingFacts | None = None
    discussion_for_current: bool = False
    decision: DecisionFacts | None = None
    payment: PaymentFacts | None = None
    court_status: str = ""
    review_reasons: tuple[str, ...] = ()
    recording_reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    actor_id: int | None = None
    actor_perms: frozenset[str] = frozenset()
    actor_in_team: bool = False


Guard = Callable[[CaseFacts], "str | None"]
Check = Callable[[CaseFacts, Mapping], "str | None"]


def fmt(day: dt.date | None) -> str:
    return rules.cn_date(day) if day else "（期限待定）"


# --- guards (facts only) ---------------------------------------------------------------------


def has_party(f: CaseFacts) -> str | None:
    if f.party_count == 0:
        return "未登记当事人（被调查的用人单位或个人，须有有效的统一社会信用代码或身份证号码）"
    return None


def has_cause(f: CaseFacts) -> str | None:
    if f.cause_count == 0:
        return "未选择案由（执法事项清单中的事项）"
    return None


def within_limitation_or_reason(f: CaseFacts) -> str | None:
    # 劳动保障监察条例 第二十条: a warning that needs a written reason to proceed.
    if f.limitation_problem and not f.limitation_reason.strip():
        return f"{f.limitation_problem}；如仍须立案查处，请写明理由"
    return None


def team_may_act(f: CaseFacts) -> str | None:
    """行政处罚法 第四十二条、第五十五条; 劳动保障监察条例 第十六条: two officers with
    certificates valid on the day (registry rule)."""
    problems = registry_rules.team_problems(
        [(m.name, list(m.problems)) for m in f.team], act="立案调查"
    )
    if problems:
        return "；".join(problems)
    return None


def supplement_source(f: CaseFacts) -> str | None:
    if f.source not in SUPPLEMENT_SOURCES:
        return "只有劳动者本人的投诉才能告知补正材料（若干规定第十八条）"
    return None


def has_record(f: CaseFacts) -> str | None:
    if f.record_count == 0:
        return "尚无询问笔录或现场检查笔录（行政处罚法第五十五条）"
    return None


def records_signed(f: CaseFacts) -> str | None:
    if f.unsigned_records:
        return (
            f"有{f.unsigned_records}份笔录签名不全：被询问人（在场人）应逐页签名或注明拒签，"
            "执法人员应签名（行政处罚法第五十五条）"
        )
    return None


def preservations_decided(f: CaseFacts) -> str | None:
    if f.open_preservations:
        return f"有{f.open_preservations}项先行登记保存尚未批准或尚未作出处理决定（行政处罚法第五十六条）"
    return None


def no_pending_recusal(f: CaseFacts) -> str | None:
    if f.pending_recusals:
        return "回避申请尚未决定：调查不停止，但调查终结前须由行政机关负责人作出决定（行政处罚法第四十三条）"
    return None


def has_proposal(f: CaseFacts) -> str | None:
    if f.proposal is None:
        return "尚未提出拟处理意见（调查终结报告）"
    return None


def proposal_problems(f: CaseFacts) -> list[str]:
    """What is wrong with the current proposal (empty list: it may go forward)."""
    p = f.proposal
    if p is None:
        return []
    out = []
    if not p.facts_found:
        out.append("拟处理意见未写明认定的事实")
    out.extend(rules.sanction_problems(p.sanction))
    if p.kind == Out.PENALTY:
        if not p.has_item:
            out.append("行政处罚须写明适用的执法事项（裁量基准）")
        if p.tier_problem:
            out.append(p.tier_problem)
        if p.statutory_problem:
            out.append(p.statutory_problem)
        if p.amount_problem and not p.outside_range_reason.strip():
            out.append(f"{p.amount_problem}；超出裁量基准须书面说明理由")
        if f.correction_orders == 0:
            # 行政处罚法 第二十八条第一款: 行政机关实施行政处罚时, 应当责令当事人改正或者限期改正.
            out.append(
                "实施行政处罚应当同时责令当事人改正或者限期改正（行政处罚法第二十八条），尚无责令改正记录"
            )
    elif p.kind == Out.HANDLING:
        if not p.payment_order.strip() and f.correction_orders == 0:
            out.append("行政处理须写明责令改正、限期支付的内容")
    elif p.kind == Out.NO_PENALTY:
        if not p.no_penalty_ground:
            out.append("请选择不予行政处罚的情形")
        if p.no_penalty_ground == NoPenaltyGround.FIRST_OFFENCE and p.first_offence_problem:
            out.append(p.first_offence_problem)
        if p.no_penalty_ground != NoPenaltyGround.NOT_ESTABLISHED and not p.education_record:
            # 行政处罚法 第三十三条第三款: 依法不予行政处罚的, 应当对当事人进行教育.
            out.append("不予行政处罚的，应当对当事人进行教育并记录（行政处罚法第三十三条第三款）")
    elif p.kind in (Out.TRANSFER_AGENCY, Out.TRANSFER_JUDICIAL):
        if not p.transfer_to.strip():
            out.append("请写明移送的机关")
    return out


def proposal_valid(f: CaseFacts) -> str | None:
    problems = proposal_problems(f)
    return "；".join(problems) if problems else None


def investigation_time_remains(f: CaseFacts) -> str | None:
    if f.investigation_due is not None and f.on > f.investigation_due:
        return (
            f"调查期限已于{fmt(f.investigation_due)}届满，不能补充调查（劳动保障监察条例第十七条）"
        )
    return None


def outcome_needs_notice(f: CaseFacts) -> str | None:
    if f.proposal is not None and f.proposal.kind not in NOTICE_OUTCOMES:
        return f"拟处理意见为“{OutcomeKind(f.proposal.kind).label}”，无需事先告知，请直接提请决定"
    return None


def submit_allowed(f: CaseFacts) -> str | None:
    if f.state == S.CONCLUDED:
        if f.proposal is not None and f.proposal.kind in NOTICE_OUTCOMES:
            return (
                "作出行政处罚或者行政处理决定前，应当事先告知当事人并听取陈述、申辩"
                "（行政处罚法第四十四条、第六十二条；劳动保障监察条例第十九条）"
            )
        return None
    n = f.notice
    if n is None:
        return "尚未事先告知"
    reasons = []
    if not n.defence_waived:
        if n.defence_due is None:
            reasons.append(f"陈述申辩期限无法计算：{n.defence_due_reason}")
        elif f.on <= n.defence_due:
            reasons.append(f"陈述申辩期限至{fmt(n.defence_due)}，尚未届满（当事人明确放弃的除外）")
    if n.hearing_eligible and not n.hearing_waived:
        if n.hearing_request_due is None:
            reasons.append(f"听证申请期限无法计算：{n.hearing_due_reason}")
        elif f.on <= n.hearing_request_due:
            reasons.append(
                f"申请听证期限至{fmt(n.hearing_request_due)}，尚未届满（行政处罚法第六十四条）"
            )
    return "；".join(reasons) or None


def defences_rechecked(f: CaseFacts) -> str | None:
    if f.unchecked_defences:
        return f"有{f.unchecked_defences}份陈述申辩尚未复核（行政处罚法第四十五条：应当充分听取并复核）"
    return None


def hearing_eligible(f: CaseFacts) -> str | None:
    n = f.notice
    if n is None:
        return "尚未事先告知"
    if not n.hearing_eligible:
        return "告知的处罚不属于听证范围（行政处罚法第六十三条），当事人无权要求听证"
    if n.hearing_waived:
        return "当事人已明确放弃听证"
    return None


def hearing_concluded(f: CaseFacts) -> str | None:
    h = f.hearing
    if h is None:
        return "尚无听证申请"
    if not h.outcome:
        return "听证尚未举行，也未记录当事人放弃、撤回或无正当理由缺席"
    if h.outcome != HearingOutcome.HELD:
        return None
    reasons = []
    if h.scheduled_on is None or h.notice_served_on is None:
        reasons.append("未安排听证或未送达听证通知")
    elif h.earliest_on is None:
        reasons.append("无法核对听证通知是否提前七个工作日送达（节假日安排未录入）")
    elif h.scheduled_on < h.earliest_on:
        reasons.append(
            f"听证通知于{fmt(h.notice_served_on)}送达，应在举行听证的七日前通知，"
            f"最早可于{fmt(h.earliest_on)}举行（行政处罚法第六十四条第一款第（二）项）"
        )
    if h.presider_id is None:
        reasons.append("未指定听证主持人")
    elif h.presider_id in f.investigator_ids:
        reasons.append("听证主持人不得是本案调查人员（行政处罚法第六十四条第一款第（四）项）")
    elif h.presider_recused:
        reasons.append("听证主持人已被决定回避，须另行指定主持人")
    if not h.has_record:
        reasons.append("未录入听证笔录（行政处罚法第六十四条第一款第（八）项）")
    elif not h.record_signed:
        reasons.append("听证笔录未经当事人签字，主持人也未注明拒签情况")
    if not h.has_report:
        reasons.append("未录入听证报告")
    return "；".join(reasons) or None


def approver_not_on_team(f: CaseFacts) -> str | None:
    # ARCHITECTURE.md invariant 3: the decision approver is never a member of the case team.
    if f.actor_id is not None and f.actor_id in f.investigator_ids:
        return "作出决定的负责人不得是本案办案人员"
    return None


def review_passed(f: CaseFacts) -> str | None:
    if f.review_reasons:
        return "；".join(f.review_reasons)
    return None


def discussed_if_major_or_complex(f: CaseFacts) -> str | None:
    # 行政处罚法 第五十七条第二款: 对情节复杂或者重大违法行为给予行政处罚, 行政机关负责人应当
    # 集体讨论决定.
    if (f.is_major or f.is_complex) and not f.discussion_for_current:
        what = "重大" if f.is_major else "情节复杂"
        return f"{what}案件须经行政机关负责人集体讨论决定，尚无对当前拟处理意见的集体讨论记录（行政处罚法第五十七条第二款）"
    return None


def notified_if_needed(f: CaseFacts) -> str | None:
    p = f.proposal
    if p is None or p.kind not in NOTICE_OUTCOMES:
        return None
    if f.notice is None:
        return "作出行政处罚、行政处理决定前未事先告知当事人（行政处罚法第四十四条、第六十二条）"
    return None


def not_heavier_than_notified(f: CaseFacts) -> str | None:
    if f.proposal is None or f.notice is None:
        return None
    heavier = rules.heavier_reasons(f.proposal.sanction, f.notice.sanction)
    if heavier:
        return (
            "拟作出的决定重于事先告知的内容（" + "；".join(heavier) + "），"
            "不得因当事人陈述、申辩加重处罚，如因新的事实须重新告知（行政处罚法第四十五条）"
        )
    return None


def needs_service(f: CaseFacts) -> str | None:
    if f.decision is not None and f.decision.kind in NO_SERVICE_OUTCOMES:
        return f"“{OutcomeKind(f.decision.kind).label}”无需送达决定书，请直接结案"
    return None


def performance_overdue(f: CaseFacts) -> str | None:
    """行政强制法 第五十四条: a reminder when the decision has not been performed in time."""
    d = f.decision
    if d is None:
        return "尚未作出决定"
    if d.voided:  # execution ends when the decision is revoked (行政强制法 第四十条第四项)
        return d.voided
    pay = f.payment
    if pay is not None and pay.fine > 0:
        if pay.complete:
            return "罚款及加处罚款已缴清，无需催告"
        if pay.fine_outstanding == 0:
            return None  # only the surcharge is unpaid
        if pay.next_due is None:
            return f"缴纳期限无法计算：{pay.due_reason}"
        if f.on <= pay.next_due:
            return f"缴纳期限至{fmt(pay.next_due)}，尚未逾期"
        return None
    if d.kind == Out.HANDLING and f.correction_overdue:
        return None
    return "当事人没有逾期未履行的义务"


def execution_complete(f: CaseFacts) -> str | None:
    """Closing needs evidence that the decision has been carried out (DOMAIN.md §3.13 no. 23)."""
    d = f.decision
    if d is None:
        return "尚未作出决定"
    if d.voided:  # nothing left to carry out: the case closes on the change itself
        return None
    if f.state == S.DECIDED:
        if d.kind not in NO_SERVICE_OUTCOMES:
            return "决定书尚未送达"
        return None
    if f.court_status in (CourtStatus.EXECUTED, CourtStatus.TERMINATED, CourtStatus.REFUSED):
        return None
    reasons = []
    if f.payment is not None and f.payment.fine > 0 and not f.payment.complete:
        pay = f.payment
        if pay.fine_outstanding:
            reasons.append(f"罚款尚有{pay.fine_outstanding}元未缴纳")
        if pay.surcharge_owed > pay.surcharge_paid:
            reasons.append(
                f"加处罚款尚有{pay.surcharge_owed - pay.surcharge_paid}元未缴纳（行政处罚法第七十二条）"
            )
    if d.kind in (Out.PENALTY, Out.HANDLING) and f.correction_orders and not f.corrections_complied:
        reasons.append("责令改正尚未复查确认已改正")
    if reasons and f.state == S.ENFORCEMENT and f.court_status:
        reasons.append(f"人民法院强制执行尚未终结（{CourtStatus(f.court_status).label}）")
    return "；".join(reasons) or None


def recordings_for(action: str) -> Guard:
    """The records app's slot: required recordings for this step (default: none)."""

    def guard(f: CaseFacts) -> str | None:
        reasons = f.recording_reasons.get(action, ())
        return "；".join(reasons) if reasons else None

    guard.__name__ = f"recordings_for_{action}"
    return guard


# --- checks (facts and the values entered) ----------------------------------------------------


def _date(params: Mapping, name: str) -> dt.date | None:
    value = params.get(name)
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def not_before_received(f: CaseFacts, params: Mapping) -> str | None:
    if f.on < f.received_on:
        return f"日期不能早于收到（发现）日期{fmt(f.received_on)}"
    return None


def not_in_future(f: CaseFacts, params: Mapping) -> str | None:
    today = params.get("_today")
    if today is not None and f.on > today:
        return f"日期{fmt(f.on)}晚于今天，不能登记尚未发生的事项"
    return None


def reason_given(field_name: str, label: str) -> Check:
    def check(f: CaseFacts, params: Mapping) -> str | None:
        if not str(params.get(field_name) or "").strip():
            return f"请填写{label}"
        return None

    check.__name__ = f"reason_given_{field_name}"
    return check


def decline_disposition(f: CaseFacts, params: Mapping) -> str | None:
    disposition = params.get("disposition")
    if disposition not in Disposition.values:
        return "请选择处理方式（不予受理、告知向有管辖权的机关投诉、移送、告知劳动争议处理程序、不予立案）"
    if (
        disposition in (Disposition.OTHER_JURISDICTION, Disposition.REFERRED)
        and not str(params.get("competent_body") or "").strip()
    ):
        return "请写明有管辖权的机关或接收移送的部门"
    return None


def hearing_requested_in_time(f: CaseFacts, params: Mapping) -> str | None:
    n = f.notice
    if n is None:
        return None
    if n.hearing_request_due is None:
        return f"听证申请期限无法计算：{n.hearing_due_reason}"
    if f.on < n.served_on:
        return "听证申请日期早于告知送达日期"
    if f.on > n.hearing_request_due:
        return (
            f"当事人要求听证的，应当在告知后五日内提出（截止{fmt(n.hearing_request_due)}），"
            f"{fmt(f.on)}提出已逾期（行政处罚法第六十四条第一款第（一）项）"
        )
    return None


def simplified_allowed(f: CaseFacts, params: Mapping) -> str | None:
    limits = params.get("_limits")
    sanction = params.get("_sanction")
    if limits is None or sanction is None:
        return None
    problems = rules.simplified_problems(
        sanction,
        natural_person=f.natural_person,
        limit_person=limits.simplified_fine_natural_person,
        limit_org=limits.simplified_fine_organisation,
    )
    return "；".join(problems) or None


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str  # "cases.<codename>"
    team_only: bool  # the actor must be on the case team (执法人员 acts)
    guards: tuple[Guard, ...] = ()
    checks: tuple[Check, ...] = ()
    date_param: str = "on"  # the entered date the action takes effect on
    opens: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()
    suspends: tuple[str, ...] = ()
    resumes: tuple[str, ...] = ()
    basis: str = ""


def _t(action, label, sources, target, permission, *, team_only=False, **kw) -> Transition:
    guards = tuple(kw.pop("guards", ())) + (recordings_for(action),)
    return Transition(
        action=action,
        label=label,
        sources=frozenset(sources),
        target=target,
        permission=f"cases.{permission}",
        team_only=team_only,
        guards=guards,
        **kw,
    )


PAST = (not_in_future, not_before_received)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(
            "file",
            "受理并立案",
            [S.LEAD],
            S.INVESTIGATING,
            "file_case",
            guards=[has_party, has_cause, within_limitation_or_reason, team_may_act],
            checks=PAST,
            date_param="filed_on",
            opens=(K.INVESTIGATION, K.DECISION),
            closes=(K.ACCEPTANCE, K.VERIFICATION),
            basis="若干规定第十八条；劳动保障监察条例第十四条、第二十条；行政处罚法第五十四条",
        ),
        _t(
            "request_supplement",
            "告知补正材料",
            [S.LEAD],
            S.SUPPLEMENT,
            "register_case",
            guards=[supplement_source],
            checks=(*PAST, reason_given("items", "需补正的材料")),
            date_param="notified_on",
            closes=(K.ACCEPTANCE,),
            basis="若干规定第十八条",
        ),
        _t(
            "supplement_received",
            "补正材料已收到",
            [S.SUPPLEMENT],
            S.LEAD,
            "register_case",
            checks=PAST,
            date_param="received_on",
            opens=(K.ACCEPTANCE,),
            basis="若干规定第十八条：自收到补正材料之日起重新计算",
        ),
        _t(
            "decline",
            "不予受理（不予立案）",
            [S.LEAD, S.SUPPLEMENT],
            S.NOT_FILED,
            "file_case",
            checks=(*PAST, decline_disposition, reason_given("reason", "理由")),
            date_param="decided_on",
            closes=(K.ACCEPTANCE, K.VERIFICATION),
            basis="若干规定第十八条；劳动保障监察条例第二十条、第二十一条",
        ),
        _t(
            "conclude",
            "调查终结",
            [S.INVESTIGATING],
            S.CONCLUDED,
            "handle_case",
            team_only=True,
            guards=[
                team_may_act,
                has_record,
                records_signed,
                preservations_decided,
                no_pending_recusal,
                has_proposal,
                proposal_valid,
            ],
            checks=PAST,
            date_param="concluded_on",
            closes=(K.INVESTIGATION,),
            basis="劳动保障监察条例第十七条、第十八条；行政处罚法第二十八条、第五十五条",
        ),
        _t(
            "reopen",
            "补充调查",
            [S.CONCLUDED, S.PENDING_DECISION],
            S.INVESTIGATING,
            "file_case",
            guards=[investigation_time_remains],
            checks=(*PAST, reason_given("reason", "补充调查的理由")),
            opens=(K.INVESTIGATION,),
            basis="劳动保障监察条例第十七条",
        ),
        _t(
            "notify",
            "事先告知",
            [S.CONCLUDED],
            S.NOTIFIED,
            "handle_case",
            team_only=True,
            guards=[has_proposal, outcome_needs_notice, proposal_valid],
            checks=PAST,
            date_param="served_on",
            opens=(K.DEFENCE, K.HEARING_REQUEST),
            basis="行政处罚法第四十四条、第四十五条、第六十三条、第六十四条；劳动保障监察条例第十九条",
        ),
        _t(
            "request_hearing",
            "当事人申请听证",
            [S.NOTIFIED],
            S.HEARING,
            "handle_case",
            team_only=True,
            guards=[hearing_eligible],
            checks=(*PAST, hearing_requested_in_time),
            date_param="requested_on",
            closes=(K.HEARING_REQUEST,),
            suspends=(K.DECISION,),
            basis="行政处罚法第六十三条、第六十四条",
        ),
        _t(
            "end_hearing",
            "听证结束",
            [S.HEARING],
            S.PENDING_DECISION,
            "handle_case",
            team_only=True,
            guards=[hearing_concluded],
            checks=PAST,
            date_param="ended_on",
            closes=(K.DEFENCE,),
            resumes=(K.DECISION,),
            basis="行政处罚法第六十四条、第六十五条",
        ),
        _t(
            "submit",
            "提请决定",
            [S.CONCLUDED, S.NOTIFIED],
            S.PENDING_DECISION,
            "handle_case",
            team_only=True,
            guards=[has_proposal, submit_allowed, defences_rechecked, proposal_valid],
            checks=PAST,
            closes=(K.DEFENCE, K.HEARING_REQUEST),
            basis="行政处罚法第四十五条、第六十二条",
        ),
        _t(
            "decide",
            "作出决定",
            [S.PENDING_DECISION],
            S.DECIDED,
            "decide_case",
            guards=[
                has_proposal,
                approver_not_on_team,
                proposal_valid,
                notified_if_needed,
                not_heavier_than_notified,
                defences_rechecked,
                discussed_if_major_or_complex,
                review_passed,
            ],
            checks=PAST,
            date_param="decided_on",
            opens=(K.SERVICE,),
            closes=(K.DECISION,),
            basis="行政处罚法第五十七条、第五十八条、第五十九条、第六十条",
        ),
        _t(
            "serve",
            "送达决定书",
            [S.DECIDED],
            S.SERVED,
            "handle_case",
            team_only=True,
            guards=[needs_service],
            checks=PAST,
            date_param="served_on",
            opens=(K.PAYMENT,),
            closes=(K.SERVICE,),
            basis="行政处罚法第六十一条；民事诉讼法第八十七条至第九十五条",
        ),
        _t(
            "remind",
            "催告履行",
            [S.SERVED],
            S.ENFORCEMENT,
            "handle_case",
            team_only=True,
            guards=[performance_overdue],
            checks=PAST,
            date_param="served_on",
            opens=(K.REMINDER, K.COURT),
            basis="行政强制法第三十五条、第五十三条、第五十四条",
        ),
        _t(
            "close",
            "结案",
            [S.DECIDED, S.SERVED, S.ENFORCEMENT],
            S.CLOSED,
            "close_case",
            guards=[execution_complete],
            checks=(*PAST, reason_given("evidence", "执行情况及证据")),
            date_param="closed_on",
            basis="案卷评查标准：结案审批表载明执行情况",
        ),
        _t(
            "transfer",
            "移送管辖",
            [S.INVESTIGATING, S.CONCLUDED],
            S.CLOSED,
            "file_case",
            checks=(
                *PAST,
                reason_given("transfer_to", "接收移送的机关"),
                reason_given("reason", "移送理由"),
            ),
            date_param="transferred_on",
            basis="劳动保障监察条例第十三条、第十八条；行政处罚法第二十七条",
        ),
        _t(
            "decide_on_spot",
            "当场处罚（简易程序）",
            [S.LEAD],
            S.SERVED,
            "handle_case",
            guards=[has_party, has_cause],
            checks=(*PAST, simplified_allowed, reason_given("facts", "违法事实")),
            date_param="decided_on",
            opens=(K.PAYMENT,),
            closes=(K.ACCEPTANCE, K.VERIFICATION),
            basis="行政处罚法第五十一条、第五十二条",
        ),
    ]
}

ACTIONS = tuple(TRANSITIONS)


@dataclass(frozen=True)
class ActionState:
    action: str
    label: str
    target: str
    allowed: bool
    reasons: tuple[str, ...]


def state_reason(t: Transition, state: str) -> str | None:
    if state not in t.sources:
        if state == S.CLOSED:
            return "案件已结案，不能再办理（结案后只读）"
        labels = "、".join(State(s).label for s in sorted(t.sources))
        return f"案件当前为“{State(state).label}”，“{t.label}”只能在“{labels}”时进行"
    return None


def permission_reason(t: Transition, f: CaseFacts) -> str | None:
    if t.permission not in f.actor_perms:
        return f"您没有“{t.label}”的权限"
    if t.team_only and not f.actor_in_team:
        return f"“{t.label}”须由本案办案人员办理"
    return None


def blockers(t: Transition, f: CaseFacts, params: Mapping | None = None) -> list[str]:
    """Every reason ``t`` may not run on ``f`` (state first; then guards; then checks of the
    entered values when ``params`` is given)."""
    if reason := state_reason(t, f.state):
        return [reason]
    reasons = [r for g in t.guards if (r := g(f))]
    if params is not None:
        reasons += [r for c in t.checks if (r := c(f, params))]
    return reasons


def available_actions(f: CaseFacts, *, include_permission: bool = True) -> list[ActionState]:
    """Every action of the table with whether it is allowed now and, if not, why."""
    out = []
    for t in TRANSITIONS.values():
        reasons = []
        if (r := state_reason(t, f.state)) is not None:
            reasons = [r]
        else:
            if include_permission and (r := permission_reason(t, f)):
                reasons.append(r)
            reasons += [r for g in t.guards if (r := g(f))]
        out.append(ActionState(t.action, t.label, t.target, not reasons, tuple(reasons)))
    return out


def mermaid() -> str:
    """The state diagram (documentation): ``python -c "from sanxiang.cases.workflow import
    mermaid; print(mermaid())"``."""
    lines = ["stateDiagram-v2"]
    for t in TRANSITIONS.values():
        for s in sorted(t.sources):
            lines.append(f"    {s} --> {t.target}: {t.label}")
    return "\n".join(lines)


# Penalty types whose presence makes a decision need the payment clock.
FINE_TYPES = frozenset({PenaltyType.FINE})
COMPLIED = CorrectionResult.COMPLIED
