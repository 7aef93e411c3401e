"""From the proposal to the decision: discretion, notice and defence, hearing, collective
discussion, the legal-review gate, the approver, the 90-day decision clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from sanxiang.cases import gates, services
from sanxiang.cases.choices import (
    DeadlineKind,
    FlagKind,
    FlagSource,
    HearingOutcome,
    NoPenaltyGround,
    OutcomeKind,
    PenaltyType,
    State,
)
from sanxiang.cases.models import CaseFlag, Deadline
from sanxiang.catalog import rules as C
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from .conftest import CONCLUDED, FILED, NOTIFIED, SUBMITTED, at, certify

TZ_NOTE = "Asia/Shanghai"


def conclude(f, on=CONCLUDED):
    services.case_transition(case=f.case, action="conclude", actor=f.p.zhangming, concluded_on=on)


def submit(f, on=SUBMITTED):
    services.case_transition(case=f.case, action="submit", actor=f.p.zhangming, on=on)


def decide(f, on=dt.date(2026, 4, 7), actor=None):
    services.case_transition(
        case=f.case, action="decide", actor=actor or f.p.liujuzhang, decided_on=on
    )


def clock(case, kind):
    return Deadline.objects.filter(case=case, kind=kind).order_by("-pk").first()


# --- the proposal ---------------------------------------------------------------------------


def test_every_penalty_is_paired_with_an_order_to_correct(flow):
    # 行政处罚法第二十八条第一款
    f = flow().filed().recorded().proposed()
    with pytest.raises(Blocked, match="第二十八条"):
        conclude(f)
    f.ordered()
    conclude(f)
    assert f.refresh().state == State.CONCLUDED


def test_amount_outside_the_benchmark_tier_needs_a_written_reason(flow):
    # 一般 tier: 100–300 yuan per worker × 3 workers = 300–900; statutory 100–500 × 3 = 300–1,500.
    f = flow().investigated(fine_amount=D("1200"))
    with pytest.raises(Blocked, match="高于裁量基准“一般处罚”档的上限900.00元") as exc:
        conclude(f)
    assert "书面说明理由" in exc.value.message
    f.proposed(fine_amount=D("1200"), outside_range_reason="拒不配合调查，经集体研究从重")
    conclude(f)


def test_amount_beyond_the_statutory_range_is_refused_even_with_a_reason(flow):
    f = flow().investigated(fine_amount=D("1600"), outside_range_reason="情节严重")
    with pytest.raises(Blocked, match="超出法定幅度上限1,500.00元"):
        conclude(f)


def test_below_the_statutory_minimum_only_as_a_mitigated_penalty(flow):
    f = flow().investigated(fine_amount=D("200"))
    with pytest.raises(Blocked, match="减轻处罚"):
        conclude(f)


def test_tier_must_be_one_of_the_benchmark(flow):
    f = flow().investigated(tier_level="")
    with pytest.raises(Blocked, match="请选择该事项裁量基准中的裁量档次"):
        conclude(f)


def test_first_offence_no_penalty_needs_the_rule_a_timely_correction_and_education(flow):
    # 行政处罚法第三十三条第一款 (首违不罚) and 第三款 (教育).
    base = dict(
        kind=OutcomeKind.NO_PENALTY,
        penalty_types=[],
        fine_amount=None,
        tier_level=C.NO_PENALTY,
        no_penalty_ground=NoPenaltyGround.FIRST_OFFENCE,
        is_first_offence=True,
        harm_minor=True,
    )
    f = flow().investigated(affected_workers=3, **base)
    with pytest.raises(Blocked) as exc:
        conclude(f)
    assert "超过首违不罚清单规定的2人" in exc.value.message and "教育" in exc.value.message
    f.proposed(affected_workers=2, education_record="当面教育法定代表人并告诫", **base)
    conclude(f)
    # A no-penalty decision needs no prior notice: it goes straight to the decision.
    with pytest.raises(Blocked, match="无需事先告知"):
        services.case_transition(
            case=f.case,
            action="notify",
            actor=f.p.zhangming,
            served_on=NOTIFIED,
            service={"method": "direct"},
        )
    submit(f, on=dt.date(2026, 3, 26))
    decide(f, on=dt.date(2026, 3, 27))
    assert f.refresh().decision.number == "陵人社监不罚字〔2026〕第1号"


def test_first_offence_needs_the_correction_to_be_timely(flow):
    f = flow().filed().recorded()
    order = services.correction_order_issue(
        actor=f.p.zhangming,
        case=f.case,
        content="改正",
        legal_basis="条例",
        due_on=dt.date(2026, 3, 12),
        issued_on=dt.date(2026, 3, 10),
    )
    services.correction_order_check(
        actor=f.p.zhangming,
        order=order,
        result="complied",
        note="逾期后改正",
        checked_on=dt.date(2026, 3, 20),
    )
    f.proposed(
        kind=OutcomeKind.NO_PENALTY,
        penalty_types=[],
        fine_amount=None,
        tier_level=C.NO_PENALTY,
        no_penalty_ground=NoPenaltyGround.FIRST_OFFENCE,
        is_first_offence=True,
        harm_minor=True,
        affected_workers=2,
        education_record="教育",
    )
    with pytest.raises(Blocked, match="未在责令改正期限内改正"):
        conclude(f)


def test_proposal_must_name_a_cause_of_the_case(flow):
    f = flow().filed()
    with pytest.raises(DomainError, match="本案案由"):
        f.proposed(item_version=f.items.obstruction)


def test_every_revision_is_kept_with_its_reason(flow):
    f = flow().investigated()
    with pytest.raises(DomainError, match="修改理由"):
        services.proposal_make(
            actor=f.p.zhangming,
            case=f.case,
            kind=OutcomeKind.PENALTY,
            facts_found="x",
            item_version=f.items.overtime,
            tier_level=C.GENERAL,
            penalty_types=["warning", "fine"],
            fine_amount="600",
            affected_workers=3,
        )
    f.proposed(fine_amount=D("600"), change_reason="当事人已主动改正")
    assert list(f.case.proposals.values_list("revision", "fine_amount")) == [
        (1, D("900.00")),
        (2, D("600.00")),
    ]
    first = f.case.proposals.get(revision=1)
    first.fine_amount = D("1")
    with pytest.raises(ValueError):
        first.save()


# --- notice and defence --------------------------------------------------------------------


def test_penalty_cannot_be_submitted_without_prior_notice(flow):
    # 行政处罚法第四十四条、第六十二条
    f = flow().concluded()
    with pytest.raises(Blocked, match="事先告知"):
        submit(f)


def test_notice_opens_the_defence_period_and_submission_waits_for_it(flow):
    f = flow().notified()
    notice = f.case.notices.get()
    assert notice.number == "陵人社监告字〔2026〕第1号"
    assert notice.defence_workdays == 3 and notice.defence_due == dt.date(2026, 3, 31)
    assert not notice.hearing_eligible and clock(f.case, DeadlineKind.HEARING_REQUEST) is None
    with pytest.raises(Blocked, match="陈述申辩期限至2026年3月31日"):
        submit(f, on=dt.date(2026, 3, 31))
    submit(f, on=dt.date(2026, 4, 1))


def test_defence_period_is_configurable_per_agency(flow, agency):
    f = flow()
    services.case_settings_set(
        actor=f.p.xitong, agency=agency, defence_workdays=5, basis_note="告知书格式"
    )
    f.notified()
    assert f.case.notices.get().defence_due == dt.date(2026, 4, 2)


def test_explicit_waiver_lets_the_case_go_on_early(flow):
    f = flow().notified()
    services.notice_waive(
        actor=f.p.zhangming,
        case=f.case,
        defence=True,
        on=NOTIFIED,
        note="当事人书面表示放弃陈述申辩",
    )
    submit(f, on=NOTIFIED)


def test_defences_must_be_rechecked_before_submission(flow):
    f = flow().notified()
    defence = services.defence_record(
        actor=f.p.zhangming,
        case=f.case,
        content="已整改，请求从轻",
        received_on=dt.date(2026, 3, 30),
    )
    with pytest.raises(Blocked, match="尚未复核"):
        submit(f)
    services.defence_recheck(
        actor=f.p.zhangming,
        defence=defence,
        result="partly",
        reason="已整改属实",
        on=dt.date(2026, 4, 2),
    )
    submit(f)


def test_no_heavier_penalty_after_a_defence(flow):
    # 行政处罚法第四十五条第二款
    f = flow().notified()
    services.defence_record(
        actor=f.p.zhangming, case=f.case, content="不服", received_on=dt.date(2026, 3, 27)
    )
    with pytest.raises(DomainError, match="第四十五条") as exc:
        f.proposed(fine_amount=D("1200"), outside_range_reason="态度恶劣")
    assert "罚款由900.00元增加到1,200.00元" in exc.value.message
    with pytest.raises(DomainError, match="增加了告知中没有的处罚种类"):
        f.proposed(penalty_types=[PenaltyType.WARNING, PenaltyType.FINE, PenaltyType.CRITICISM])
    f.proposed(fine_amount=D("600"))  # lighter is fine
    f.proposed(penalty_types=[PenaltyType.WARNING], fine_amount=None, tier_level=C.LENIENT)


def test_decision_heavier_than_notified_is_blocked_even_without_defence(flow):
    f = flow().notified()
    f.proposed(
        fine_amount=D("1200"), outside_range_reason="新发现多次违法"
    )  # no defence yet: allowed
    submit(f)
    with pytest.raises(Blocked, match="重于事先告知的内容"):
        decide(f)


# --- hearing ------------------------------------------------------------------------------------


def hearing_case(flow, **proposal):
    f = flow().registered(causes=[flow().items.job_agency])
    f.notified(
        item_version=f.items.job_agency,
        tier_level="",
        penalty_types=[PenaltyType.FINE, PenaltyType.REVOKE_LICENCE],
        fine_amount=D("20000"),
        **proposal,
    )
    return f


def test_licence_revocation_always_offers_a_hearing_with_a_5_working_day_window(flow):
    f = hearing_case(flow)
    notice = f.case.notices.get()
    assert notice.hearing_eligible and "吊销许可证件" in notice.hearing_basis
    # 5 working days from Thu 26 Mar → Thu 2 Apr (行政处罚法第六十四条第一款第（一）项).
    assert notice.hearing_request_due == dt.date(2026, 4, 2)
    with pytest.raises(Blocked, match="五日内提出"):
        services.case_transition(
            case=f.case,
            action="request_hearing",
            actor=f.p.zhangming,
            requested_on=dt.date(2026, 4, 3),
        )
    services.case_transition(
        case=f.case, action="request_hearing", actor=f.p.zhangming, requested_on=dt.date(2026, 4, 2)
    )
    assert f.refresh().state == State.HEARING


def test_submission_waits_for_the_hearing_window(flow):
    f = hearing_case(flow)
    with pytest.raises(Blocked, match="申请听证期限至2026年4月2日"):
        submit(f, on=dt.date(2026, 4, 2))
    submit(f, on=dt.date(2026, 4, 3))


def test_hearing_threshold_is_the_jurisdictions_large_amount(flow, agency):
    f = flow()
    f.registered(causes=[f.items.obstruction])
    f.notified(
        item_version=f.items.obstruction,
        tier_level=C.SEVERE,
        fine_amount=D("20000"),
        penalty_types=["fine"],
    )
    assert not f.case.notices.get().hearing_eligible  # default 50,000 for organisations
    g = flow()
    services.case_settings_set(actor=g.p.xitong, agency=agency, hearing_fine_organisation="20000")
    g.registered(causes=[g.items.obstruction])
    g.notified(
        item_version=g.items.obstruction,
        tier_level=C.SEVERE,
        fine_amount=D("20000"),
        penalty_types=["fine"],
    )
    notice = g.case.notices.get()
    assert notice.hearing_eligible and "较大数额" in notice.hearing_basis


def test_request_for_a_hearing_without_the_right_is_refused(flow):
    f = flow().notified()
    with pytest.raises(Blocked, match="不属于听证范围"):
        services.case_transition(
            case=f.case,
            action="request_hearing",
            actor=f.p.zhangming,
            requested_on=dt.date(2026, 3, 27),
        )


def requested(flow):
    f = hearing_case(flow)
    services.case_transition(
        case=f.case,
        action="request_hearing",
        actor=f.p.zhangming,
        requested_on=dt.date(2026, 3, 30),
    )
    return f


def test_hearing_notice_is_served_at_least_7_working_days_before(flow):
    f = requested(flow)
    kw = dict(
        actor=f.p.wangqiang,
        case=f.case,
        place="听证室",
        presider=f.p.zhaomin,
        notice_served_on=dt.date(2026, 9, 18),
    )
    # Fri 18 Sep + 7 working days (Sun 20 Sep make-up, 25 Sep holiday) → Tue 29 Sep.
    with pytest.raises(DomainError, match="最早可安排在2026年9月29日"):
        services.hearing_schedule(scheduled_at=at(dt.date(2026, 9, 28), 9), **kw)
    hearing = services.hearing_schedule(scheduled_at=at(dt.date(2026, 9, 29), 9), **kw)
    assert hearing.earliest_on == dt.date(2026, 9, 29)


def test_presider_is_not_an_investigator_of_the_case(flow):
    f = requested(flow)
    services.case_release(
        actor=f.p.wangqiang, case=f.case, user=f.p.lihua, reason="调岗", on=dt.date(2026, 3, 30)
    )
    for investigator in (f.p.zhangming, f.p.lihua):  # a released investigator still investigated
        with pytest.raises(DomainError, match="非本案调查人员主持"):
            services.hearing_schedule(
                actor=f.p.wangqiang,
                case=f.case,
                scheduled_at=at(dt.date(2026, 4, 20)),
                place="听证室",
                presider=investigator,
                notice_served_on=dt.date(2026, 4, 8),
            )


def held(flow, **record):
    f = requested(flow)
    services.hearing_schedule(
        actor=f.p.wangqiang,
        case=f.case,
        scheduled_at=at(dt.date(2026, 4, 20)),
        place="听证室",
        presider=f.p.zhaomin,
        notice_served_on=dt.date(2026, 4, 8),
    )
    data = dict(
        record_summary="调查人员陈述……当事人申辩……",
        report="建议维持拟处理意见",
        party_attended=True,
        party_signed=True,
    )
    data.update(record)
    services.hearing_record(actor=f.p.zhaomin, case=f.case, **data)
    return f


def test_hearing_needs_record_and_report_and_makes_the_case_major_for_good(flow):
    f = held(flow)
    services.case_transition(
        case=f.case, action="end_hearing", actor=f.p.zhangming, ended_on=dt.date(2026, 4, 20)
    )
    case = f.refresh()
    assert case.state == State.PENDING_DECISION and case.is_major
    flag = case.flags.get(source=FlagSource.HEARING)
    with pytest.raises(DomainError, match="不能撤销"):
        services.case_unflag(actor=f.p.liujuzhang, case=case, flag=flag, reason="误标")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFlag.objects.filter(pk=flag.pk).update(removed_on=dt.date(2026, 4, 21))


@pytest.mark.parametrize(
    ("attended", "agents", "message", "field"),
    [
        (True, ["甲", "乙", "丙"], "委托一至二人代理", "agents"),
        (True, ["甲", "甲"], "登记了两次", "agents"),
        (False, ["", "  "], "视为放弃听证", "party_attended"),
    ],
)
def test_the_party_attends_in_person_or_by_one_or_two_agents(
    flow, attended, agents, message, field
):
    # 行政处罚法 第六十四条第一款第（五）项 (一至二人代理) and 第（八）项 (缺席视为放弃).
    f = requested(flow)
    services.hearing_schedule(
        actor=f.p.wangqiang,
        case=f.case,
        scheduled_at=at(dt.date(2026, 4, 20)),
        place="听证室",
        presider=f.p.zhaomin,
        notice_served_on=dt.date(2026, 4, 8),
    )
    before = Event.objects.count()
    with pytest.raises(DomainError, match=message) as caught:
        services.hearing_record(
            actor=f.p.zhaomin,
            case=f.case,
            record_summary="笔录",
            report="报告",
            party_attended=attended,
            agents=agents,
        )
    assert caught.value.field == field and Event.objects.count() == before
    assert f.case.hearings.get().outcome == ""


def test_agents_alone_may_attend_for_the_party(flow):
    f = held(flow, party_attended=False, agents=[" 王代理 ", "", "李律师"])
    hearing = f.case.hearings.get()
    assert hearing.party_attended is False and hearing.agents == ["王代理", "李律师"]


def test_hearing_record_refused_by_the_party_needs_the_presiders_note(flow):
    f = held(flow, party_signed=False)
    with pytest.raises(Blocked, match="主持人也未注明"):
        services.case_transition(
            case=f.case, action="end_hearing", actor=f.p.zhangming, ended_on=dt.date(2026, 4, 20)
        )


def test_waived_hearing_ends_without_a_major_flag(flow):
    f = requested(flow)
    services.hearing_forgo(
        actor=f.p.zhangming,
        case=f.case,
        outcome=HearingOutcome.ABSENT,
        note="当事人无正当理由未到场",
    )
    services.case_transition(
        case=f.case, action="end_hearing", actor=f.p.zhangming, ended_on=dt.date(2026, 4, 20)
    )
    assert not f.refresh().flags.filter(source=FlagSource.HEARING).exists()


def test_hearing_time_is_excluded_from_the_90_day_decision_clock(flow):
    f = held(flow)
    assert clock(f.case, DeadlineKind.DECISION).due is None  # 期限中止 while the hearing runs
    services.case_transition(
        case=f.case, action="end_hearing", actor=f.p.zhangming, ended_on=dt.date(2026, 4, 10)
    )
    # Filed 3 Mar: 90 days → 1 Jun; 30 Mar–10 Apr (12 days) not counted → Sat 13 Jun → Mon 15 Jun.
    assert clock(f.case, DeadlineKind.DECISION).due == dt.date(2026, 6, 15)


# --- decision -----------------------------------------------------------------------------------


def test_major_case_is_blocked_by_the_default_review_gate(flow):
    f = flow().pending()
    services.case_flag(
        actor=f.p.wangqiang, case=f.case, kind=FlagKind.MAJOR, reason="涉及劳动者众多"
    )
    services.discussion_record(
        actor=f.p.liujuzhang,
        case=f.case,
        held_on=dt.date(2026, 4, 6),
        opinions=[(f.p.liujuzhang, "同意"), (f.p.wangqiang, "同意")],
        conclusion_kind="agree",
        conclusion="同意处罚",
    )
    with gates.overridden(review=gates.default_review_gate), pytest.raises(Blocked) as exc:
        decide(f)
    assert exc.value.reasons == [gates.MAJOR_NEEDS_REVIEW]
    with gates.overridden(review=lambda case, **kw: []):
        decide(f)
    assert f.refresh().state == State.DECIDED


def test_installed_review_gate_is_asked_for_every_decision(flow):
    f = flow().pending()
    with gates.overridden(review=lambda case, **kw: ["法制审核意见为“存在问题”，须修改后重新送审"]):
        with pytest.raises(Blocked, match="存在问题"):
            decide(f)


def test_major_or_complex_cases_need_a_collective_discussion_of_the_current_proposal(flow):
    # 行政处罚法第五十七条第二款
    f = flow().pending()
    services.case_flag(
        actor=f.p.wangqiang, case=f.case, kind=FlagKind.COMPLEX, reason="涉及多个法律关系"
    )
    with pytest.raises(Blocked, match="集体讨论"):
        decide(f)
    services.discussion_record(
        actor=f.p.liujuzhang,
        case=f.case,
        held_on=dt.date(2026, 4, 6),
        opinions=[(f.p.liujuzhang, "同意"), (f.p.wangqiang, "同意")],
        conclusion_kind="agree",
        conclusion="同意",
    )
    decide(f)


def test_collective_discussion_needs_two_attendees_with_opinions(flow):
    f = flow().pending()
    with pytest.raises(DomainError, match="两名以上"):
        services.discussion_record(
            actor=f.p.liujuzhang,
            case=f.case,
            held_on=dt.date(2026, 4, 6),
            opinions=[(f.p.liujuzhang, "同意")],
            conclusion_kind="agree",
            conclusion="同意",
        )
    with pytest.raises(NotPermitted):
        services.discussion_record(
            actor=f.p.wangqiang,
            case=f.case,
            held_on=dt.date(2026, 4, 6),
            opinions=[(f.p.liujuzhang, "同意"), (f.p.wangqiang, "同意")],
            conclusion_kind="agree",
            conclusion="同意",
        )


def test_approver_is_never_on_the_case_team(flow, agency):
    f = flow().registered()
    certify(f.p.xitong, f.p.liujuzhang, agency)
    f.assigned(f.p.zhangming, f.p.lihua, f.p.liujuzhang)
    services.case_release(
        actor=f.p.wangqiang, case=f.case, user=f.p.liujuzhang, reason="改由他人", on=FILED
    )
    f.pending()
    with pytest.raises(Blocked, match="不得是本案办案人员"):
        decide(f)


def test_only_the_bureau_head_decides(flow):
    f = flow().pending()
    with pytest.raises(NotPermitted):
        decide(f, actor=f.p.wangqiang)


def test_decision_opens_the_7_working_day_service_clock(flow):
    f = flow().decided()
    # Tue 7 Apr + 7 working days → Thu 16 Apr (行政处罚法第六十一条).
    assert clock(f.case, DeadlineKind.SERVICE).due == dt.date(2026, 4, 16)
    assert clock(f.case, DeadlineKind.DECISION).status == "met"


def test_decision_clock_extension_30_days_then_only_after_collective_discussion(flow):
    f = flow().notified()
    base = clock(f.case, DeadlineKind.DECISION).due
    with pytest.raises(DomainError, match="超过30日须经集体讨论"):
        services.decision_extend(
            actor=f.p.liujuzhang,
            case=f.case,
            days=31,
            reason="鉴定",
            approved_on=dt.date(2026, 4, 1),
        )
    services.decision_extend(
        actor=f.p.liujuzhang,
        case=f.case,
        days=30,
        reason="需委托审计工资",
        approved_on=dt.date(2026, 4, 1),
    )
    assert clock(f.case, DeadlineKind.DECISION).due == base + dt.timedelta(days=30)
    with pytest.raises(DomainError, match="集体讨论"):
        services.decision_extend(
            actor=f.p.liujuzhang,
            case=f.case,
            days=15,
            reason="审计未完成",
            approved_on=dt.date(2026, 4, 2),
        )
    discussion = services.discussion_record(
        actor=f.p.liujuzhang,
        case=f.case,
        held_on=dt.date(2026, 4, 2),
        opinions=[(f.p.liujuzhang, "同意延长15日"), (f.p.wangqiang, "同意")],
        conclusion_kind="other",
        conclusion="同意再延长15日",
    )
    services.decision_extend(
        actor=f.p.liujuzhang,
        case=f.case,
        days=15,
        reason="审计未完成",
        approved_on=dt.date(2026, 4, 2),
        discussion=discussion,
    )
    assert clock(f.case, DeadlineKind.DECISION).extensions.count() == 2


def test_licence_revocation_proposal_flags_the_case_major_automatically(flow):
    f = hearing_case(flow)
    flag = f.refresh().flags.get()
    assert flag.source == FlagSource.AUTO and "重大权益" in flag.reason and f.case.is_major
    services.case_unflag(actor=f.p.liujuzhang, case=f.case, flag=flag, reason="经研究不属于重大")
    assert not f.refresh().is_major


def test_installed_major_criteria_flag_cases(flow):
    f = flow().investigated(fine_amount=D("900"))
    with gates.overridden(
        major=[lambda case, sanction: ["列入本局重大执法决定目录：罚款"] if sanction.fine else []]
    ):
        f.proposed(fine_amount=D("800"))
    assert "目录" in f.refresh().flags.get().reason


def test_appraisal_time_is_excluded_from_the_decision_clock_with_the_heads_approval(flow):
    f = flow().investigated()
    base = clock(f.case, DeadlineKind.DECISION).due  # 1 Jun
    with pytest.raises(NotPermitted):
        services.decision_clock_pause(
            actor=f.p.zhangming,
            case=f.case,
            period="audit",
            note="委托审计",
            on=dt.date(2026, 3, 20),
        )
    services.decision_clock_pause(
        actor=f.p.liujuzhang,
        case=f.case,
        period="audit",
        note="委托会计师事务所审计工资支付情况",
        on=dt.date(2026, 3, 20),
    )
    assert clock(f.case, DeadlineKind.DECISION).due is None
    services.decision_clock_resume(
        actor=f.p.liujuzhang, case=f.case, last_excluded=dt.date(2026, 3, 29)
    )
    assert clock(f.case, DeadlineKind.DECISION).due == base + dt.timedelta(days=10)
