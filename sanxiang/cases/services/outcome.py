"""From the proposed outcome to the decision: proposals, defences and re-checks, waivers,
hearings, collective discussions, the decision-clock extension."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.lib.errors import DomainError

from .. import clocks, gates, rules, selectors
from ..choices import (
    OPEN_PROCEDURE_STATES,
    DeadlineKind,
    DefenceForm,
    DiscussionConclusion,
    FlagKind,
    FlagSource,
    HearingOutcome,
    NoPenaltyGround,
    OutcomeKind,
    PenaltyType,
    RecheckResult,
    RecusalStatus,
    State,
)
from ..models import (
    Assignment,
    Case,
    CaseFlag,
    CollectiveDiscussion,
    Defence,
    DiscussionOpinion,
    Hearing,
    Notice,
    Proposal,
    Recusal,
)
from . import common
from .team import add_flag

MAX_HEARING_AGENTS = 2  # 行政处罚法 第六十四条第一款第（五）项：委托一至二人代理
PROPOSAL_STATES = sorted(OPEN_PROCEDURE_STATES)


@transaction.atomic
def proposal_make(
    *,
    actor,
    case: Case,
    kind: str,
    facts_found: str,
    item_version=None,
    tier_level: str = "",
    penalty_types=(),
    fine_amount=None,
    confiscation_amount=None,
    compensation_amount=None,
    payment_order: str = "",
    affected_workers=None,
    base_amount=None,
    outside_range_reason: str = "",
    no_penalty_ground: str = "",
    is_first_offence: bool = False,
    harm_minor: bool = False,
    education_record: str = "",
    transfer_to: str = "",
    transfer_reason: str = "",
    evidence_summary: str = "",
    legal_basis: str = "",
    discretion_reason: str = "",
    change_reason: str = "",
    on: dt.date | None = None,
) -> Proposal:
    """提出（修改）拟处理意见. Each change is a new revision with its reason; once the party has
    stated or defended itself, a revision may not be heavier than what was notified
    (行政处罚法 第四十五条第二款: 不得因当事人陈述、申辩而给予更重的处罚). A proposal meeting
    a major-decision criterion flags the case major automatically."""
    case = common.locked_case(case)
    common.require_team(actor, case, "提出拟处理意见")
    common.require_state(case, PROPOSAL_STATES, "提出或修改拟处理意见")
    kind = common.choice(kind, OutcomeKind, field="kind", label="处理意见")
    on = common.date(on or timezone.localdate(), field="on", label="提出日期")
    types = list(dict.fromkeys(penalty_types or ()))
    for value in types:
        common.choice(value, PenaltyType, field="penalty_types", label="处罚种类")
    fine = common.money(fine_amount, field="fine_amount", label="罚款金额")
    confiscation = common.money(
        confiscation_amount, field="confiscation_amount", label="没收违法所得"
    )
    compensation = common.money(
        compensation_amount, field="compensation_amount", label="加付赔偿金"
    )
    sanction = rules.Sanction(
        kind=kind,
        penalty_types=frozenset(types),
        fine=fine,
        confiscation=confiscation,
        compensation=compensation,
    )
    problems = rules.sanction_problems(sanction)
    if problems:
        raise DomainError("；".join(problems), field="penalty_types")
    version = None
    if item_version is not None:
        from sanxiang.catalog.models import ItemVersion

        version = (
            item_version
            if isinstance(item_version, ItemVersion)
            else ItemVersion.objects.filter(pk=item_version).first()
        )
        if version is None:
            raise DomainError("请选择执法事项", field="item_version")
        if not case.causes.filter(item_version__item_id=version.item_id).exists():
            raise DomainError("适用的执法事项应为本案案由中的事项", field="item_version")
    if no_penalty_ground:
        common.choice(
            no_penalty_ground, NoPenaltyGround, field="no_penalty_ground", label="不予处罚的情形"
        )
        if kind != OutcomeKind.NO_PENALTY:
            raise DomainError("只有不予行政处罚才选择不予处罚的情形", field="no_penalty_ground")
    last = Proposal.objects.filter(case=case).order_by("-revision").first()
    change_reason = common.long_text(
        change_reason, field="change_reason", label="修改理由", required=last is not None
    )
    notice = Notice.objects.filter(case=case).select_related("proposal").order_by("-pk").first()
    if notice is not None and Defence.objects.filter(notice=notice).exists():
        heavier = rules.heavier_reasons(sanction, selectors.sanction_of(notice.proposal))
        if heavier:
            raise DomainError(
                "当事人已陈述、申辩，拟处理意见不得重于告知的内容（" + "；".join(heavier) + "）"
                "（行政处罚法第四十五条第二款）",
                field="fine_amount",
            )
    proposal = Proposal.objects.create(
        case=case,
        revision=(last.revision + 1) if last else 1,
        kind=kind,
        item_version=version,
        tier_level=common.text(
            tier_level, field="tier_level", label="裁量档次", max_length=20, required=False
        ),
        penalty_types=types,
        fine_amount=fine,
        confiscation_amount=confiscation,
        compensation_amount=compensation,
        payment_order=common.long_text(
            payment_order, field="payment_order", label="责令支付、改正的内容", required=False
        ),
        affected_workers=common.positive_int(
            affected_workers, field="affected_workers", label="受侵害劳动者人数"
        ),
        base_amount=common.money(base_amount, field="base_amount", label="计算基数"),
        outside_range_reason=common.long_text(
            outside_range_reason,
            field="outside_range_reason",
            label="超出裁量基准的理由",
            required=False,
        ),
        no_penalty_ground=no_penalty_ground,
        is_first_offence=bool(is_first_offence),
        harm_minor=bool(harm_minor),
        education_record=common.long_text(
            education_record, field="education_record", label="教育记录", required=False
        ),
        transfer_to=common.text(
            transfer_to, field="transfer_to", label="移送机关", max_length=100, required=False
        ),
        transfer_reason=common.long_text(
            transfer_reason, field="transfer_reason", label="移送理由", required=False
        ),
        facts_found=common.long_text(facts_found, field="facts_found", label="认定的事实"),
        evidence_summary=common.long_text(
            evidence_summary, field="evidence_summary", label="证据", required=False
        ),
        legal_basis=common.long_text(
            legal_basis, field="legal_basis", label="定性及依据", required=False
        ),
        discretion_reason=common.long_text(
            discretion_reason, field="discretion_reason", label="裁量理由", required=False
        ),
        change_reason=change_reason,
        created_on=on,
        created_by=actor,
    )
    auto = rules.auto_major_reasons(sanction) + gates.major_criteria(case, sanction)
    flagged = None
    if (
        auto
        and not CaseFlag.objects.filter(
            case=case, kind=FlagKind.MAJOR, removed_on__isnull=True
        ).exists()
    ):
        flagged = add_flag(
            case=case,
            kind=FlagKind.MAJOR,
            source=FlagSource.AUTO,
            reason="；".join(auto),
            actor=actor,
            on=on,
        ).pk
    common.record(
        actor=actor,
        case=case,
        type="case.proposal_made",
        data={
            "revision": proposal.revision,
            "kind": kind,
            "item_version": version.pk if version else None,
            "tier_level": proposal.tier_level,
            "penalty_types": types,
            "fine_amount": fine,
            "confiscation_amount": confiscation,
            "compensation_amount": compensation,
            "outside_range_reason": proposal.outside_range_reason,
            "change_reason": change_reason,
            "auto_major_flag": flagged,
        },
    )
    return proposal


def _latest_notice(case: Case) -> Notice:
    notice = Notice.objects.filter(case=case).order_by("-pk").first()
    if notice is None:
        raise DomainError("本案尚未事先告知")
    return notice


@transaction.atomic
def defence_record(
    *,
    actor,
    case: Case,
    content: str,
    form: str = DefenceForm.WRITTEN,
    received_on: dt.date | None = None,
) -> Defence:
    """登记当事人的陈述、申辩 (行政处罚法 第四十五条: 行政机关必须充分听取)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "登记陈述申辩")
    common.require_state(
        case, [State.NOTIFIED, State.HEARING, State.PENDING_DECISION], "登记陈述申辩"
    )
    notice = _latest_notice(case)
    defence = Defence.objects.create(
        case=case,
        notice=notice,
        received_on=common.date(
            received_on or timezone.localdate(),
            field="received_on",
            label="提出日期",
            not_before=notice.served_on,
            not_before_label="告知书送达日期",
        ),
        form=common.choice(form, DefenceForm, field="form", label="形式"),
        content=common.long_text(content, field="content", label="陈述申辩内容"),
        recorded_by=actor,
    )
    common.record(
        actor=actor,
        case=case,
        type="case.defence_recorded",
        data={
            "defence": defence.pk,
            "notice": notice.number,
            "received_on": defence.received_on,
            "form": defence.form,
        },
    )
    return defence


@transaction.atomic
def defence_recheck(
    *, actor, defence: Defence, result: str, reason: str, on: dt.date | None = None
) -> Defence:
    """复核: 当事人提出的事实、理由或者证据成立的, 行政机关应当采纳 (第四十五条第一款)."""
    case = common.locked_case(defence.case_id)
    common.require_team(actor, case, "复核陈述申辩")
    defence = Defence.objects.select_for_update().get(pk=defence.pk)
    if defence.recheck_result:
        raise DomainError("该陈述申辩已复核")
    defence.recheck_result = common.choice(result, RecheckResult, field="result", label="复核结果")
    defence.recheck_reason = common.long_text(reason, field="reason", label="复核意见")
    defence.rechecked_on = common.date(
        on or timezone.localdate(),
        field="on",
        label="复核日期",
        not_before=defence.received_on,
        not_before_label="提出日期",
    )
    defence.rechecked_by = actor
    defence.save(update_fields=["recheck_result", "recheck_reason", "rechecked_on", "rechecked_by"])
    common.record(
        actor=actor,
        case=case,
        type="case.defence_rechecked",
        data={"defence": defence.pk, "result": defence.recheck_result},
    )
    return defence


@transaction.atomic
def notice_waive(
    *,
    actor,
    case: Case,
    defence: bool = False,
    hearing: bool = False,
    on: dt.date | None = None,
    note: str = "",
) -> Notice:
    """当事人明确放弃陈述、申辩或听证 (行政处罚法 第六十二条 "当事人明确放弃…的除外")."""
    case = common.locked_case(case)
    common.require_team(actor, case, "登记当事人放弃权利")
    common.require_state(case, [State.NOTIFIED], "登记当事人放弃权利")
    if not defence and not hearing:
        raise DomainError("请选择当事人放弃的权利（陈述申辩或听证）")
    notice = Notice.objects.select_for_update().get(pk=_latest_notice(case).pk)
    on = common.date(
        on or timezone.localdate(),
        field="on",
        label="放弃日期",
        not_before=notice.served_on,
        not_before_label="告知书送达日期",
    )
    note = common.long_text(note, field="note", label="当事人书面放弃的说明（附签字确认）")
    fields = []
    if defence:
        notice.defence_waived_on = on
        fields.append("defence_waived_on")
    if hearing:
        if not notice.hearing_eligible:
            raise DomainError("该告知不含听证权利")
        notice.hearing_waived_on = on
        fields.append("hearing_waived_on")
    notice.save(update_fields=fields)
    common.record(
        actor=actor,
        case=case,
        type="case.rights_waived",
        data={
            "notice": notice.number,
            "defence": defence,
            "hearing": hearing,
            "on": on,
            "note": note,
        },
    )
    return notice


@transaction.atomic
def hearing_schedule(
    *,
    actor,
    case: Case,
    scheduled_at: dt.datetime,
    place: str,
    presider,
    notice_served_on: dt.date,
    clerk=None,
    public: bool = True,
    closed_reason: str = "",
) -> Hearing:
    """安排听证 (行政处罚法 第六十四条): notice served at least 7 working days before; the presider
    is designated by the agency and is not an investigator of the case; public unless secrets
    or privacy are involved."""
    case = common.locked_case(case)
    # The agency designates the presider: the unit head (who assigns people) or the bureau head.
    perm = (
        "cases.assign_case"
        if actor is not None and actor.has_perm("cases.assign_case")
        else "cases.approve_as_agency_head"
    )
    common.require(actor, perm, "安排听证、指定主持人", case=case)
    common.require_state(case, [State.HEARING], "安排听证")
    hearing = Hearing.objects.select_for_update().filter(case=case).order_by("-pk").first()
    if hearing is None or hearing.outcome:
        raise DomainError("没有待举行的听证")
    if Assignment.objects.filter(case=case, user=presider).exists():
        raise DomainError(
            "听证由行政机关指定的非本案调查人员主持（行政处罚法第六十四条第一款第（四）项）",
            field="presider",
        )
    if Recusal.objects.filter(case=case, person=presider, status=RecusalStatus.UPHELD).exists():
        raise DomainError(f"{presider}已被决定回避", field="presider")
    if clerk is not None and clerk == presider:
        raise DomainError("记录员不能由主持人兼任", field="clerk")
    notice_served_on = common.date(
        notice_served_on,
        field="notice_served_on",
        label="听证通知送达日期",
        not_before=hearing.requested_on,
        not_before_label="听证申请日期",
    )
    if not isinstance(scheduled_at, dt.datetime) or timezone.is_naive(scheduled_at):
        raise DomainError("请填写听证时间（日期和时间）", field="scheduled_at")
    earliest, reason = clocks.earliest_hearing_date(notice_served_on)
    if earliest is None:
        raise DomainError(f"无法核对听证通知期限：{reason}", field="scheduled_at")
    day = timezone.localtime(scheduled_at).date()
    if day < earliest:
        raise DomainError(
            f"应当在举行听证的七日前通知当事人（行政处罚法第六十四条第一款第（二）项）：听证通知"
            f"{rules.cn_date(notice_served_on)}送达，听证最早可安排在{rules.cn_date(earliest)}",
            field="scheduled_at",
        )
    public = bool(public)
    closed_reason = common.text(
        closed_reason,
        field="closed_reason",
        label="不公开的理由",
        max_length=200,
        required=not public,
    )
    hearing.scheduled_at, hearing.place = (
        scheduled_at,
        common.text(place, field="place", label="听证地点", max_length=200),
    )
    hearing.presider, hearing.clerk = presider, clerk
    hearing.notice_served_on, hearing.earliest_on = notice_served_on, earliest
    hearing.public, hearing.closed_reason = public, closed_reason
    hearing.save()
    common.record(
        actor=actor,
        case=case,
        type="case.hearing_scheduled",
        data={
            "hearing": hearing.pk,
            "scheduled_at": scheduled_at,
            "presider": presider.pk,
            "notice_served_on": notice_served_on,
            "earliest_on": earliest,
            "public": public,
        },
    )
    return hearing


@transaction.atomic
def hearing_record(
    *,
    actor,
    case: Case,
    record_summary: str,
    report: str,
    party_attended: bool,
    agents=(),
    party_signed: bool = False,
    refusal_note: str = "",
) -> Hearing:
    """听证笔录与听证报告 (第六十四条第一款第（八）项: 笔录交当事人核对签字, 拒绝的由主持人注明;
    第六十五条: 根据听证笔录作出决定). Who attended for the party: the party in person and/or
    one or two agents (第（五）项); nobody means the party was absent — the hearing then ends
    under 第（八）项 (听证终止：缺席), not with a record."""
    case = common.locked_case(case)
    common.require_state(case, [State.HEARING], "录入听证笔录")
    hearing = Hearing.objects.select_for_update().filter(case=case).order_by("-pk").first()
    if hearing is None or hearing.scheduled_at is None:
        raise DomainError("听证尚未安排")
    if actor is None or actor.pk not in (hearing.presider_id, hearing.clerk_id):
        common.require_team(actor, case, "录入听证笔录")
    if timezone.localtime(hearing.scheduled_at).date() > timezone.localdate():
        raise DomainError("听证尚未举行")
    names = [str(a or "").strip() for a in (agents or ())]
    names = [n for n in names if n]
    if len(names) > MAX_HEARING_AGENTS:
        raise DomainError(
            "当事人可以委托一至二人代理参加听证（行政处罚法第六十四条第一款第（五）项）",
            field="agents",
        )
    if any(len(n) > 50 for n in names):
        raise DomainError("委托代理人姓名不能超过50个字", field="agents")
    if len(set(names)) != len(names):
        raise DomainError("同一委托代理人登记了两次", field="agents")
    if not party_attended and not names:
        raise DomainError(
            "当事人既未亲自参加也未委托代理人参加的，视为放弃听证：请按“听证终止（缺席）”办理"
            "（行政处罚法第六十四条第一款第（八）项）",
            field="party_attended",
        )
    hearing.party_attended = bool(party_attended)
    hearing.agents = names
    hearing.record_summary = common.long_text(
        record_summary, field="record_summary", label="听证笔录"
    )
    hearing.report = common.long_text(report, field="report", label="听证报告")
    hearing.party_signed = bool(party_signed)
    hearing.refusal_note = common.text(
        refusal_note, field="refusal_note", label="拒绝签字情况", max_length=200, required=False
    )
    hearing.outcome = HearingOutcome.HELD
    hearing.save()
    common.record(
        actor=actor,
        case=case,
        type="case.hearing_recorded",
        data={
            "hearing": hearing.pk,
            "party_attended": hearing.party_attended,
            "agents": len(names),
            "party_signed": hearing.party_signed,
            "refusal": bool(hearing.refusal_note),
        },
    )
    return hearing


@transaction.atomic
def hearing_forgo(
    *, actor, case: Case, outcome: str, note: str, on: dt.date | None = None
) -> Hearing:
    """The hearing does not take place: the party waived or withdrew its request, or did not
    attend without good reason / left without permission (行政处罚法 第六十四条第一款第（六）项:
    视为放弃听证权利, 行政机关终止听证)."""
    case = common.locked_case(case)
    common.require_team(actor, case, "登记听证终止")
    common.require_state(case, [State.HEARING], "登记听证终止")
    outcome = common.choice(outcome, HearingOutcome, field="outcome", label="听证结果")
    if outcome == HearingOutcome.HELD:
        raise DomainError("举行听证的情况请录入听证笔录", field="outcome")
    hearing = Hearing.objects.select_for_update().filter(case=case).order_by("-pk").first()
    if hearing is None or hearing.outcome:
        raise DomainError("没有待举行的听证")
    on = common.date(
        on or timezone.localdate(),
        field="on",
        label="日期",
        not_before=hearing.requested_on,
        not_before_label="听证申请日期",
    )
    hearing.outcome = outcome
    hearing.record_summary = common.long_text(
        note, field="note", label="情况说明（附当事人书面材料或记录）"
    )
    hearing.save(update_fields=["outcome", "record_summary"])
    common.record(
        actor=actor,
        case=case,
        type="case.hearing_forgone",
        data={"hearing": hearing.pk, "outcome": outcome, "on": on},
    )
    return hearing


@transaction.atomic
def discussion_record(
    *,
    actor,
    case: Case,
    held_on: dt.date,
    opinions: list[tuple],
    conclusion_kind: str,
    conclusion: str,
    chair=None,
) -> CollectiveDiscussion:
    """集体讨论记录 (行政处罚法 第五十七条第二款): date, attendees with each one's opinion, the
    conclusion; it concerns the current proposal revision."""
    case = common.locked_case(case)
    common.require(actor, "cases.discuss_case", "组织集体讨论", case=case)
    common.require_state(case, PROPOSAL_STATES, "集体讨论")
    proposal = selectors.current_proposal(case)
    if proposal is None:
        raise DomainError("尚无拟处理意见，无法集体讨论")
    held_on = common.date(held_on, field="held_on", label="讨论日期")
    chair = chair or actor
    rows = []
    seen = set()
    for attendee, opinion in opinions or ():
        if attendee.pk in seen:
            raise DomainError(f"{attendee}重复", field="opinions")
        seen.add(attendee.pk)
        rows.append(
            (attendee, common.long_text(opinion, field="opinions", label=f"{attendee}的意见"))
        )
    if len(rows) < 2:
        raise DomainError("集体讨论须有两名以上负责人参加并逐一记录意见", field="opinions")
    if chair.pk not in seen:
        raise DomainError("主持人应为参加人员之一", field="chair")
    discussion = CollectiveDiscussion.objects.create(
        case=case,
        proposal=proposal,
        held_on=held_on,
        chair=chair,
        conclusion_kind=common.choice(
            conclusion_kind, DiscussionConclusion, field="conclusion_kind", label="结论"
        ),
        conclusion=common.long_text(conclusion, field="conclusion", label="讨论结论"),
        recorded_by=actor,
    )
    for attendee, opinion in rows:
        DiscussionOpinion.objects.create(discussion=discussion, attendee=attendee, opinion=opinion)
    common.record(
        actor=actor,
        case=case,
        type="case.discussion_recorded",
        data={
            "discussion": discussion.pk,
            "proposal_revision": proposal.revision,
            "held_on": held_on,
            "attendees": [a.pk for a, _ in rows],
            "conclusion_kind": discussion.conclusion_kind,
        },
    )
    return discussion


@transaction.atomic
def decision_extend(
    *,
    actor,
    case: Case,
    days: int,
    reason: str,
    approved_on: dt.date | None = None,
    discussion: CollectiveDiscussion | None = None,
):
    """Extend the 90-day decision clock (行政处罚法 第六十条 "法律、法规、规章另有规定的除外";
    人社部令第47号 [M]: 经负责人批准可延长30日; 再延长须经集体讨论决定). The first extension is at
    most 30 days with the head's approval; any further one needs a collective-discussion record of
    this case. Approved before the period runs out."""
    case = common.locked_case(case)
    common.require(actor, "cases.approve_as_agency_head", "批准延长作出决定的期限", case=case)
    common.require_state(case, PROPOSAL_STATES, "延长作出决定的期限")
    days = common.positive_int(days, field="days", label="延长天数", required=True, maximum=365)
    reason = common.long_text(reason, field="reason", label="延长理由")
    approved_on = common.date(
        approved_on or timezone.localdate(), field="approved_on", label="批准日期"
    )
    deadline = clocks.open_of(case, DeadlineKind.DECISION)
    if deadline is None:
        raise DomainError("没有进行中的作出决定期限")
    if deadline.due is not None and approved_on > deadline.due:
        raise DomainError(
            f"作出决定的期限已于{deadline.due.isoformat()}届满，不能再延长", field="approved_on"
        )
    if not deadline.extensions.exists():
        if days > 30:
            raise DomainError("经负责人批准可延长30日；超过30日须经集体讨论决定", field="days")
        if discussion is not None and discussion.case_id != case.pk:
            raise DomainError("集体讨论记录不属于本案", field="discussion")
    else:
        if discussion is None or discussion.case_id != case.pk:
            raise DomainError(
                "已延长过一次，再次延长须经行政机关负责人集体讨论决定，请选择本案的集体讨论记录",
                field="discussion",
            )
    clocks.extend_clock(
        deadline=deadline,
        length=days,
        reason=reason,
        approved_by=actor,
        approved_on=approved_on,
        discussion=discussion,
    )
    common.record(
        actor=actor,
        case=case,
        type="case.decision_extended",
        data={
            "days": days,
            "reason": reason,
            "discussion": discussion.pk if discussion else None,
            "due": deadline.due,
            "due_unknown": deadline.due_unknown_reason,
        },
    )
    return deadline


# Periods not counted in the decision clock besides the hearing (人社部令第47号 [M]: 听证、公告、
# 检测、检验、检疫、鉴定、审计等时间不计入).
EXCLUDED_PERIODS = {
    "appraisal": "检测、检验、检疫、鉴定期间",
    "audit": "委托会计师事务所审计期间（劳动保障监察条例第十五条第（五）项）",
    "announcement": "公告期间",
}


@transaction.atomic
def decision_clock_pause(*, actor, case: Case, period: str, note: str, on: dt.date | None = None):
    """Stop the 90-day decision clock for a period the law does not count (鉴定、审计、公告).
    Approved by the agency head, since it moves a statutory deadline."""
    case = common.locked_case(case)
    common.require(actor, "cases.approve_as_agency_head", "批准期限中止", case=case)
    common.require_state(case, PROPOSAL_STATES, "期限中止")
    if period not in EXCLUDED_PERIODS:
        raise DomainError("请选择不计入期限的事项（鉴定、审计、公告）", field="period")
    note = common.long_text(note, field="note", label="说明（委托鉴定、审计或公告的情况）")
    on = common.date(on or timezone.localdate(), field="on", label="中止日期")
    deadline = clocks.open_of(case, DeadlineKind.DECISION)
    if deadline is None:
        raise DomainError("没有进行中的作出决定期限")
    if deadline.suspensions.filter(ends_on__isnull=True).exists():
        raise DomainError("作出决定的期限已经中止")
    clocks.suspend_clock(
        case=case, kind=DeadlineKind.DECISION, on=on, reason=f"{EXCLUDED_PERIODS[period]}：{note}"
    )
    common.record(
        actor=actor,
        case=case,
        type="case.decision_clock_paused",
        data={"period": period, "on": on, "note": note},
    )
    return deadline


@transaction.atomic
def decision_clock_resume(*, actor, case: Case, last_excluded: dt.date):
    """The excluded period ended on ``last_excluded``; the decision clock counts again."""
    case = common.locked_case(case)
    common.require(actor, "cases.approve_as_agency_head", "恢复期限计算", case=case)
    deadline = clocks.open_of(case, DeadlineKind.DECISION)
    suspension = deadline.suspensions.filter(ends_on__isnull=True).first() if deadline else None
    if suspension is None or suspension.reason.startswith("听证"):
        raise DomainError("作出决定的期限没有因鉴定、审计或公告中止")
    last_excluded = common.date(
        last_excluded,
        field="last_excluded",
        label="不计入期限的最后一日",
        not_before=suspension.starts_on,
        not_before_label="中止日期",
    )
    clocks.resume_clock(case=case, kind=DeadlineKind.DECISION, last_excluded=last_excluded)
    deadline.refresh_from_db()
    common.record(
        actor=actor,
        case=case,
        type="case.decision_clock_resumed",
        data={
            "last_excluded": last_excluded,
            "due": deadline.due,
            "due_unknown": deadline.due_unknown_reason,
        },
    )
    return deadline
