"""The registry of what can be done on a case page: each *operation* names its form, the one
service it calls, who is offered it and where it appears.

    Op("file", form=FileForm, transition="file")                    # a row of the table
    Op("issue_order", "下达责令改正", form=OrderIssueForm,
       run=svc(services.correction_order_issue), who=TEAM, states=ORDER_STATES)

One generic view (``views.actions.case_action``) serves every operation: parse the form →
check the operation is offered to the user → call the service → on ``DomainError`` put the
Chinese message next to its field, on ``Blocked`` list the reasons — nothing is written then.

*Offered* is presentation only (which buttons the page shows, and a 403 for someone who may
never do it). For the rows of the transition table it comes from the table itself
(``workflow.permission_reason``, ``blockers``); for the other services from ``who`` and
``states`` below. The service always decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import forms, services, workflow
from ..choices import (
    OPEN_PROCEDURE_STATES,
    PRE_FILING_STATES,
    TERMINAL_STATES,
    CourtStatus,
    FlagSource,
    PlanStatus,
    PreservationStatus,
    RecusalStatus,
    State,
)
from ..models import (
    Assignment,
    CaseCause,
    CaseFlag,
    CorrectionOrder,
    CourtApplication,
    Defence,
    InvestigationRecord,
    PaymentPlan,
    Preservation,
    Recusal,
)
from ..services.execution import DECISION_CHANGE_STATES, PAYMENT_STATES
from ..services.investigation import ORDER_STATES
from ..services.outcome import PROPOSAL_STATES

S = State
OPEN_STATES = frozenset(State.values) - TERMINAL_STATES
# The case cause is settled before the proposal; the service allows changes later too, the page
# offers them only while the case is being investigated.
CAUSE_STATES = frozenset({S.LEAD, S.SUPPLEMENT, S.INVESTIGATING})


def read_only_reason(case) -> str:
    """What the page and the API say for an operation on a closed or not-filed case."""
    if case.state == S.CLOSED:
        return "案件已结案，只能查看，不能再办理（结案后只读）。"
    return "该线索未立案，已办结，只能查看。"


@dataclass(frozen=True)
class Who:
    """Who is asking, about which case: what ``Op.who`` looks at (no queries)."""

    user: Any
    case: Any
    perms: frozenset[str]
    team_ids: frozenset[int]
    presider_ids: frozenset[int] = frozenset()
    decision_suspension: str = ""  # why the open decision clock is suspended ("" = it runs)

    def has(self, perm: str) -> bool:
        return perm in self.perms

    @property
    def on_team(self) -> bool:
        return "cases.handle_case" in self.perms and self.user.pk in self.team_ids


def TEAM(w: Who) -> bool:  # noqa: N802 — a constant-like predicate
    return w.on_team


def perm(name: str) -> Callable[[Who], bool]:
    def check(w: Who) -> bool:
        return w.has(name)

    return check


def any_of(*checks: Callable[[Who], bool]) -> Callable[[Who], bool]:
    return lambda w: any(c(w) for c in checks)


def EDITOR(w: Who) -> bool:  # noqa: N802
    """Before filing whoever registers leads completes them; afterwards the case team
    (services.intake._require_editor)."""
    if w.case.state in PRE_FILING_STATES:
        return w.has("cases.register_case")
    return w.on_team


def PRESIDER_OR_TEAM(w: Who) -> bool:  # noqa: N802
    return w.on_team or w.user.pk in w.presider_ids


@dataclass(frozen=True)
class Op:
    name: str
    label: str = ""
    form: type = forms.CaseForm
    run: Callable[..., Any] | None = None  # (actor, case, obj, kwargs) -> result
    transition: str = ""  # the row of workflow.TRANSITIONS this executes
    who: Callable[[Who], bool] = TEAM
    states: frozenset[str] = OPEN_STATES
    model: type | None = None  # the object acted on (its pk is in the URL)
    when: Callable[[Any], bool] | None = None  # which objects get the button
    section: str = "actions"  # case-page section the operation belongs to
    intro: str = ""
    submit: str = ""
    danger: bool = False
    done: Callable[[Any, Any], str] | None = None  # (case, result) -> success message
    show: Callable[[Who], bool] | None = None  # a further condition for offering it

    @property
    def title(self) -> str:
        return self.label or workflow.TRANSITIONS[self.transition].label

    def execute(self, *, actor, case, obj, kwargs):
        if self.transition:
            return services.case_transition(
                case=case, action=self.transition, actor=actor, **kwargs
            )
        return self.run(actor, case, obj, kwargs)

    def offered(self, w: Who) -> bool:
        """For services: may ``w`` be offered this now (role, team, state)? Transitions are
        answered by the table (``workflow.available_actions``)."""
        if w.case.state in TERMINAL_STATES and w.case.state not in self.states:
            return False  # read-only, except what explicitly applies after closing
        return w.case.state in self.states and self.who(w) and (self.show is None or self.show(w))


def on_case(service) -> Callable:
    return lambda actor, case, obj, kw: service(actor=actor, case=case, **kw)


def on_object(service) -> Callable:
    """The form's ``service_kwargs`` carry the object (record=, preservation= …)."""
    return lambda actor, case, obj, kw: service(actor=actor, **kw)


def _number(case, result) -> str:
    decision = getattr(case, "decision", None)
    return decision.number if decision is not None and decision.number else ""


def _t(action: str, form, **kw) -> Op:
    t = workflow.TRANSITIONS[action]
    return Op(name=action, label=t.label, form=form, transition=action, states=t.sources, **kw)


OPS: dict[str, Op] = {
    op.name: op
    for op in [
        # --- rows of the transition table -------------------------------------------------
        _t(
            "file",
            forms.FileForm,
            intro="承办机构负责人批准立案，批准之日为立案日期；立案时分配立案号，开始计算调查期限"
            "（60个工作日）和作出决定的期限（90日）。",
            done=lambda case, r: f"已立案，立案号：{case.case_no}",
        ),
        _t("request_supplement", forms.RequestSupplementForm),
        _t("supplement_received", forms.SupplementReceivedForm),
        _t("decline", forms.DeclineForm, danger=True),
        _t(
            "conclude",
            forms.ConcludeForm,
            intro="调查终结前须：两名以上持证办案人员；至少一份笔录且签名齐全；先行登记保存均已处理；"
            "回避申请已决定；拟处理意见有效。",
        ),
        _t("reopen", forms.ReopenForm),
        _t(
            "notify",
            forms.NotifyForm,
            intro="告知拟作出的处罚（处理）内容、事实、理由、依据以及陈述、申辩和要求听证的权利"
            "（行政处罚法第四十四条）。送达后开始计算陈述申辩期限和申请听证期限。",
        ),
        _t("request_hearing", forms.RequestHearingForm),
        _t("end_hearing", forms.EndHearingForm),
        _t("submit", forms.SubmitForm),
        _t(
            "decide",
            forms.DecideForm,
            intro="由行政机关负责人作出决定；文号在此时统一编号分配（不重号、不跳号），决定日期为文书日期。",
            done=lambda case, r: (
                "已作出决定" + (f"，文号：{_number(case, r)}" if _number(case, r) else "")
            ),
        ),
        _t("serve", forms.ServeForm),
        _t("remind", forms.RemindForm),
        _t("close", forms.CloseForm, intro="结案后案件只读，不能再修改。"),
        _t("transfer", forms.TransferForm, danger=True),
        _t(
            "decide_on_spot",
            forms.OnSpotForm,
            intro="简易程序：违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以"
            "三千元以下罚款或者警告的，可以当场作出行政处罚决定（行政处罚法第五十一条）。",
            done=lambda case, r: f"已当场作出处罚决定，文号：{_number(case, r)}",
        ),
        # --- registration -------------------------------------------------------------------
        Op(
            "edit_intake",
            "修改登记信息",
            forms.IntakeUpdateForm,
            on_case(services.case_update_intake),
            who=EDITOR,
            section="intake",
        ),
        Op(
            "add_party",
            "登记当事人",
            forms.PartyForm,
            on_case(services.party_add),
            who=EDITOR,
            section="parties",
        ),
        Op(
            "add_complainant",
            "登记投诉人、举报人",
            forms.ComplainantForm,
            on_case(services.complainant_add),
            who=EDITOR,
            section="complainants",
        ),
        Op(
            "add_cause",
            "选择案由",
            forms.CauseForm,
            on_case(services.cause_add),
            who=EDITOR,
            states=CAUSE_STATES,
            section="causes",
        ),
        Op(
            "remove_cause",
            "删除",
            forms.CauseRemoveForm,
            on_case(services.cause_remove),
            who=EDITOR,
            states=CAUSE_STATES,
            model=CaseCause,
            section="causes",
            danger=True,
        ),
        # --- team, recusal, flags -------------------------------------------------------------
        Op(
            "assign",
            "指派办案人员",
            forms.AssignForm,
            on_case(services.case_assign),
            who=perm("cases.assign_case"),
            section="team",
        ),
        Op(
            "release",
            "调出",
            forms.ReleaseForm,
            on_case(services.case_release),
            who=perm("cases.assign_case"),
            model=Assignment,
            when=lambda a: a.released_on is None,
            section="team",
        ),
        Op(
            "recusal",
            "登记回避",
            forms.RecusalFileForm,
            on_case(services.recusal_file),
            who=any_of(TEAM, perm("cases.assign_case")),
            show=lambda w: bool(w.team_ids or w.presider_ids),
            section="team",
        ),
        Op(
            "decide_recusal",
            "作出回避决定",
            forms.RecusalDecideForm,
            on_object(services.recusal_decide),
            who=perm("cases.approve_as_agency_head"),
            model=Recusal,
            when=lambda r: r.status == RecusalStatus.PENDING,
            section="team",
            intro="回避由行政机关负责人决定；决定作出之前，不停止调查（行政处罚法第四十三条）。",
        ),
        Op(
            "flag",
            "标记重大、复杂案件",
            forms.FlagForm,
            on_case(services.case_flag),
            who=perm("cases.flag_case"),
            section="flags",
        ),
        Op(
            "unflag",
            "撤销标记",
            forms.UnflagForm,
            on_case(services.case_unflag),
            who=perm("cases.flag_case"),
            model=CaseFlag,
            when=lambda f: f.removed_on is None and f.source != FlagSource.HEARING,
            section="flags",
        ),
        # --- investigation ----------------------------------------------------------------------
        Op(
            "record_interview",
            "制作询问笔录",
            forms.RecordForm,
            on_case(services.investigation_record_add),
            states=frozenset({S.INVESTIGATING}),
            section="investigation",
        ),
        Op(
            "record_inspection",
            "制作现场检查笔录",
            forms.InspectionRecordForm,
            on_case(services.investigation_record_add),
            states=frozenset({S.INVESTIGATING}),
            section="investigation",
        ),
        Op(
            "sign_record",
            "补全签名",
            forms.RecordSignForm,
            on_object(services.investigation_record_sign),
            states=frozenset({S.INVESTIGATING}),
            model=InvestigationRecord,
            when=lambda r: not r.signatures_complete,
            section="investigation",
        ),
        Op(
            "request_preservation",
            "申请先行登记保存",
            forms.PreservationRequestForm,
            on_case(services.preservation_request),
            states=frozenset({S.INVESTIGATING}),
            section="investigation",
            intro="证据可能灭失或者以后难以取得的，经行政机关负责人批准，可以先行登记保存，"
            "并应当在七日内及时作出处理决定（行政处罚法第五十六条）。",
        ),
        Op(
            "approve_preservation",
            "审批",
            forms.PreservationApproveForm,
            on_object(services.preservation_approve),
            who=perm("cases.approve_as_agency_head"),
            states=frozenset({S.INVESTIGATING}),
            model=Preservation,
            when=lambda p: p.status == PreservationStatus.REQUESTED,
            section="investigation",
        ),
        Op(
            "decide_preservation",
            "作出处理决定",
            forms.PreservationDecideForm,
            on_object(services.preservation_decide),
            model=Preservation,
            when=lambda p: p.status == PreservationStatus.APPROVED,
            section="investigation",
        ),
        Op(
            "issue_order",
            "下达责令改正",
            forms.OrderIssueForm,
            on_case(services.correction_order_issue),
            states=frozenset(ORDER_STATES),
            section="investigation",
            intro="实施行政处罚应当责令当事人改正或者限期改正（行政处罚法第二十八条；"
            "劳动保障监察条例第十八条）。",
        ),
        Op(
            "check_order",
            "复查改正情况",
            forms.OrderCheckForm,
            on_object(services.correction_order_check),
            model=CorrectionOrder,
            when=lambda o: not o.result,
            section="investigation",
        ),
        Op(
            "extend_investigation",
            "延长调查期限",
            forms.InvestigationExtendForm,
            on_case(services.investigation_extend),
            who=perm("cases.approve_as_agency_head"),
            states=frozenset({S.INVESTIGATING}),
            section="clocks",
            intro="情况复杂的，经劳动保障行政部门负责人批准，可以延长30个工作日，只能延长一次，"
            "须在调查期限届满前批准（劳动保障监察条例第十七条）。",
        ),
        # --- outcome ----------------------------------------------------------------------------
        Op(
            "propose",
            "提出拟处理意见",
            forms.ProposalForm,
            on_case(services.proposal_make),
            states=frozenset(PROPOSAL_STATES),
            section="outcome",
        ),
        Op(
            "record_defence",
            "登记陈述申辩",
            forms.DefenceRecordForm,
            on_case(services.defence_record),
            states=frozenset({S.NOTIFIED, S.HEARING, S.PENDING_DECISION}),
            section="outcome",
        ),
        Op(
            "recheck_defence",
            "复核",
            forms.DefenceRecheckForm,
            on_object(services.defence_recheck),
            model=Defence,
            when=lambda d: not d.recheck_result,
            section="outcome",
            intro="当事人提出的事实、理由或者证据成立的，应当采纳；不得因当事人陈述、申辩而给予"
            "更重的处罚（行政处罚法第四十五条）。",
        ),
        Op(
            "waive",
            "登记放弃陈述申辩或听证",
            forms.WaiveForm,
            on_case(services.notice_waive),
            states=frozenset({S.NOTIFIED}),
            section="outcome",
        ),
        Op(
            "schedule_hearing",
            "安排听证",
            forms.HearingScheduleForm,
            on_case(services.hearing_schedule),
            who=any_of(perm("cases.assign_case"), perm("cases.approve_as_agency_head")),
            states=frozenset({S.HEARING}),
            section="outcome",
        ),
        Op(
            "record_hearing",
            "录入听证笔录和报告",
            forms.HearingRecordForm,
            on_case(services.hearing_record),
            who=PRESIDER_OR_TEAM,
            states=frozenset({S.HEARING}),
            section="outcome",
        ),
        Op(
            "forgo_hearing",
            "听证终止（放弃、撤回、缺席）",
            forms.HearingForgoForm,
            on_case(services.hearing_forgo),
            states=frozenset({S.HEARING}),
            section="outcome",
        ),
        Op(
            "discuss",
            "录入集体讨论",
            forms.DiscussionForm,
            on_case(services.discussion_record),
            who=perm("cases.discuss_case"),
            states=frozenset(PROPOSAL_STATES),
            section="outcome",
            intro="情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定"
            "（行政处罚法第五十七条第二款）。讨论针对当前的拟处理意见。",
        ),
        Op(
            "extend_decision",
            "延长作出决定的期限",
            forms.DecisionExtendForm,
            on_case(services.decision_extend),
            who=perm("cases.approve_as_agency_head"),
            states=frozenset(PROPOSAL_STATES),
            section="clocks",
        ),
        Op(
            "pause_decision",
            "期限中止（鉴定、审计、公告）",
            forms.DecisionPauseForm,
            on_case(services.decision_clock_pause),
            who=perm("cases.approve_as_agency_head"),
            states=frozenset(PROPOSAL_STATES),
            show=lambda w: not w.decision_suspension,
            section="clocks",
        ),
        Op(
            "resume_decision",
            "恢复计算期限",
            forms.DecisionResumeForm,
            on_case(services.decision_clock_resume),
            who=perm("cases.approve_as_agency_head"),
            states=frozenset(PROPOSAL_STATES),
            # a hearing's suspension ends with the hearing, not by hand
            show=lambda w: (
                bool(w.decision_suspension) and not w.decision_suspension.startswith("听证")
            ),
            section="clocks",
        ),
        # --- service and execution ------------------------------------------------------------
        Op(
            "consent",
            "登记电子送达确认书",
            forms.ConsentForm,
            on_case(services.service_consent_record),
            states=frozenset(OPEN_PROCEDURE_STATES | {S.DECIDED, S.SERVED, S.ENFORCEMENT}),
            section="decision",
        ),
        Op(
            "change_decision",
            "登记决定被撤销、变更或确认违法",
            forms.DecisionChangeForm,
            on_case(services.decision_change_record),
            who=perm("cases.record_decision_change"),
            states=frozenset(DECISION_CHANGE_STATES),
            section="decision",
            intro="行政复议决定、人民法院裁判或本机关纠正撤销、变更、确认违法或确认无效的，在此登记"
            "（结案后也可登记）。被撤销或确认无效的决定不再执行；已公开的决定信息将在三个工作日内"
            "撤下并说明理由（行政处罚法第四十八条第二款）。",
        ),
        Op(
            "pay",
            "登记缴款",
            forms.PaymentForm,
            on_case(services.payment_record),
            states=frozenset(PAYMENT_STATES),
            section="execution",
            intro="罚缴分离：当事人到指定银行或通过电子支付系统缴纳，这里登记缴款凭证"
            "（行政处罚法第六十七条）。加处罚款由系统按日计算，不需填写应缴金额。",
        ),
        Op(
            "apply_plan",
            "登记暂缓或分期缴纳申请",
            forms.PlanApplyForm,
            on_case(services.payment_plan_apply),
            states=frozenset({S.SERVED, S.ENFORCEMENT}),
            section="execution",
        ),
        Op(
            "decide_plan",
            "审批",
            forms.PlanDecideForm,
            on_object(services.payment_plan_decide),
            who=perm("cases.approve_as_agency_head"),
            model=PaymentPlan,
            when=lambda p: p.status == PlanStatus.APPLIED,
            section="execution",
        ),
        Op(
            "apply_court",
            "申请人民法院强制执行",
            forms.CourtApplyForm,
            on_case(services.court_application_record),
            states=frozenset({S.ENFORCEMENT}),
            section="execution",
        ),
        Op(
            "update_court",
            "登记进展",
            forms.CourtUpdateForm,
            on_object(services.court_application_update),
            model=CourtApplication,
            when=lambda a: (
                a.status not in (CourtStatus.EXECUTED, CourtStatus.TERMINATED, CourtStatus.REFUSED)
            ),
            section="execution",
        ),
    ]
}

# Operations on the case (a button in their section), and on one of its objects (a button in
# the object's row), by section.
CASE_OPS: dict[str, list[Op]] = {}
OBJECT_OPS: dict[type, list[Op]] = {}
for _op in OPS.values():
    if _op.transition:
        continue
    if _op.model is None:
        CASE_OPS.setdefault(_op.section, []).append(_op)
    else:
        OBJECT_OPS.setdefault(_op.model, []).append(_op)
