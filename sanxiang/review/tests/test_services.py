"""Submission, review, rounds, disagreement, experts and scope: the services' rules, each with
the Chinese message a user sees and the guarantee that a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.choices import FlagSource, PenaltyType, State
from sanxiang.cases.models import CaseFlag
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.records.models import GeneratedDocument
from sanxiang.review import rules, selectors, services
from sanxiang.review.choices import Opinion, Point, SubmissionStatus
from sanxiang.review.models import (
    Dispute,
    ExpertRequest,
    Review,
    ReviewPoint,
    Submission,
)

from .conftest import ALL_MATERIALS, conclude, decide, discuss, points, submit

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed"
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode("utf-8").split())


def counts():
    return (
        Submission.objects.count(),
        Review.objects.count(),
        ReviewPoint.objects.count(),
        GeneratedDocument.objects.count(),
        Event.objects.count(),
    )


# --- submission -----------------------------------------------------------------------------------


def test_submission_freezes_the_manifest_and_records_one_dossier_hash(major, r):
    s = submit(major.case, r.zhangming, note="请重点审核裁量")
    manifest, (sha256, sm3) = s.manifest, rules.dossier_hashes(s.manifest)
    assert (s.dossier_sha256, s.dossier_sm3) == (sha256, sm3)
    assert manifest["format"] == rules.MANIFEST_FORMAT
    sections = manifest["sections"]
    assert [e["key"] for e in sections["draft_decision"]] == ["proposal"]
    assert len(sections["records"]) == 1 and sections["records"][0]["label"].startswith("询问笔录")
    assert {e["key"].split(":")[0] for e in sections["process"]} >= {"notice", "order", "service"}
    assert sections["evidence"] == []  # the slot evidence files will fill
    event = Event.objects.get(seq=s.ledger_seq)
    data = json.loads(event.payload)["data"]
    assert event.type == "review.submitted" and event.actor_id == r.zhangming.pk
    assert data["dossier_sha256"] == sha256 and data["dossier_sm3"] == sm3
    assert data["attestation"] == rules.ATTESTATION
    assert data["checklist"] == sorted(ALL_MATERIALS)
    assert s.status == SubmissionStatus.PENDING and s.round == 1


def test_the_manifest_is_the_same_when_nothing_changed(major, r):
    from sanxiang.review import dossier

    a, b = dossier.build_manifest(major.case), dossier.build_manifest(major.case)
    assert rules.dossier_hashes(a) == rules.dossier_hashes(b)
    # Moving the case on (state, clocks) is not a change of the dossier.
    s = submit(major.case, r.zhangming)
    major.case.refresh_from_db()
    assert rules.dossier_hashes(dossier.build_manifest(major.case))[0] == s.dossier_sha256


def test_the_review_opinion_document_is_not_part_of_the_dossier(major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin)
    state = selectors.dossier_state(Submission.objects.get(pk=s.pk))
    assert state.unchanged


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"checklist": []}, "请逐项核对送审材料清单，尚未确认：行政执法文书；相关证据"),
        ({"checklist": ALL_MATERIALS[:-1]}, "尚未确认：拟作出的执法决定（拟处理意见）"),
        ({"attested": False}, "请确认送审责任声明：对送审材料的真实性、准确性、完整性负责"),
    ],
)
def test_an_incomplete_checklist_or_missing_attestation_is_refused(major, r, kw, message):
    before = counts()
    with pytest.raises(Blocked) as exc:
        submit(major.case, r.zhangming, **kw)
    assert any(message in reason for reason in exc.value.reasons)
    assert counts() == before


def test_only_the_case_team_submits(major, r):
    with pytest.raises(NotPermitted, match="送法制审核须由本案办案人员办理"):
        submit(major.case, r.zhaoliu)
    with pytest.raises(NotPermitted):
        submit(major.case, r.zhaomin)


def test_a_case_still_under_investigation_cannot_be_submitted(flow, r):
    f = flow().investigated()
    with pytest.raises(DomainError, match="只有在“调查终结、已告知、待决定”时才能送法制审核"):
        submit(f.case, r.zhangming)


def test_a_second_submission_while_one_is_pending_is_refused(major, r):
    submit(major.case, r.zhangming)
    with pytest.raises(Blocked, match="第1轮送审正在审核中，不能重复送审"):
        submit(major.case, r.zhangming)


def test_a_passed_unchanged_dossier_is_not_submitted_again(major, r):
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    with pytest.raises(Blocked, match="法制审核已通过且案卷未变化，无需重新送审"):
        submit(major.case, r.zhangming)


def test_withdrawing_keeps_the_round(major, r):
    s = submit(major.case, r.zhangming)
    with pytest.raises(DomainError, match="请填写撤回理由"):
        services.review_withdraw(actor=r.zhangming, submission=s, reason=" ")
    services.review_withdraw(actor=r.zhangming, submission=s, reason="漏附询问笔录")
    s2 = submit(major.case, r.zhangming)
    assert s2.round == 2
    assert list(Submission.objects.values_list("round", "status")) == [
        (1, "withdrawn"),
        (2, "pending"),
    ]


# --- the review ------------------------------------------------------------------------------------


def test_the_review_generates_the_opinion_document_hashed_in_the_ledger(major, r, tmp_path):
    s = submit(major.case, r.zhangming)
    review = conclude(
        s,
        r.zhaomin,
        reasons="执法主体合法，程序合法，事实清楚，证据充分，适用依据正确，同意。",
    )
    doc = review.document
    assert doc.doc_type == "legal_review_opinion"
    assert doc.number == "陵人社法审字〔" + str(timezone.localdate().year) + "〕第1号"
    generated = Event.objects.get(seq=doc.ledger_seq)
    assert generated.type == "document.generated"
    files = json.loads(generated.payload)["data"]["files"]
    assert files[0]["sha256"] == doc.pdf_sha256
    concluded = Event.objects.get(seq=review.ledger_seq)
    data = json.loads(concluded.payload)["data"]
    assert concluded.type == "review.concluded" and concluded.actor_id == r.zhaomin.pk
    assert data["opinion"] == "agree" and data["dossier_sha256"] == s.dossier_sha256
    assert data["document_pdf_sha256"] == doc.pdf_sha256
    assert data["points"] == {code: "pass" for code in Point.values}
    path = tmp_path / "opinion.pdf"
    path.write_bytes(doc.pdf.read())
    text = pdf_text(path)
    for needle in [
        "法制审核意见书",
        "审核意见：同意",
        "行政执法主体是否合法",
        "违法行为是否涉嫌犯罪、需要移送司法机关",
        "审核人：赵敏",
        "送审人：张明",
        s.dossier_sha256[:32],
    ]:
        assert needle in text, needle


@pytest.mark.parametrize(
    ("pts", "opinion", "reasons", "message"),
    [
        (
            {c: v for c, v in points().items() if c != "crime"},
            "agree",
            "同意",
            "请逐项审核并选择“符合”或“存在问题”：违法行为是否涉嫌犯罪、需要移送司法机关",
        ),
        ({}, "agree", "同意", "请逐项审核并选择“符合”或“存在问题”：行政执法主体是否合法"),
        (
            points(facts=""),
            "revise",
            "补充",
            "“案件事实是否清楚，证据是否合法充分”存在问题，请写明具体问题",
        ),
        (points(), "agree", "   ", "请填写审核意见的理由"),
        (points(), "", "同意", "请选择审核意见：同意、修改后再报、不同意或建议移送司法机关"),
        (points(law="档次错误"), "agree", "同意", "存在问题，审核意见不能为“同意”"),
        (points(), "revise", "请补充", "请在审核事项中指出存在的问题"),
        (
            points(facts="证据不足"),
            "transfer",
            "移送",
            "“违法行为是否涉嫌犯罪、需要移送司法机关”一项应为“存在问题”",
        ),
    ],
)
def test_bad_review_input_is_refused_in_chinese_and_nothing_is_written(
    major, r, pts, opinion, reasons, message
):
    s = submit(major.case, r.zhangming)
    before = counts()
    with pytest.raises(Blocked) as exc:
        services.review_conclude(
            actor=r.zhaomin, submission=s, points=pts, opinion=opinion, reasons=reasons
        )
    assert any(message in reason for reason in exc.value.reasons), exc.value.reasons
    assert counts() == before
    assert Submission.objects.get(pk=s.pk).status == SubmissionStatus.PENDING


def test_the_review_is_concluded_only_by_the_reviewer_s_own_act(major, r):
    s = submit(major.case, r.zhangming)
    for outsider in (r.liujuzhang, r.wangqiang, r.zhangming, r.zhougongshi):
        with pytest.raises(NotPermitted, match="您没有作出法制审核意见的权限"):
            conclude(s, outsider)
    review = conclude(s, r.zhaomin)
    assert review.reviewer_id == r.zhaomin.pk
    # Once concluded it cannot be concluded again, by anyone.
    with pytest.raises(DomainError, match="第1轮送审已审核，审核意见不能再作出或更改"):
        conclude(Submission.objects.get(pk=s.pk), r.chenlvshi)
    # No role may change a review in the admin, and the admin offers no change even to a superuser.
    from django.contrib.auth.models import Permission

    assert not Permission.objects.filter(codename="change_review", group__isnull=False).exists()
    request = RequestFactory().get("/")
    request.user = type("Super", (), {"is_active": True, "is_superuser": True, "is_staff": True})()
    model_admin = admin.site._registry[Review]
    assert not model_admin.has_change_permission(request, review)
    assert not model_admin.has_add_permission(request)
    assert not admin.site._registry[Submission].has_change_permission(request)


def test_the_legal_adviser_may_review(major, r):
    review = conclude(submit(major.case, r.zhangming), r.chenlvshi)
    assert review.reviewer_id == r.chenlvshi.pk


# --- rounds and disagreement ---------------------------------------------------------------------------


def test_a_returned_case_is_corrected_and_resubmitted_and_every_round_is_kept(major, r):
    first = submit(major.case, r.zhangming)
    conclude(
        first, r.zhaomin, opinion="revise", reasons="裁量理由不充分", law="未说明适用一般档次的理由"
    )
    with pytest.raises(Blocked, match="案卷与第1轮退回时相同：请按审核意见修改后再报"):
        submit(major.case, r.zhangming)
    major.proposed(
        discretion_reason="涉及3名劳动者，无从重情节，适用一般档次", change_reason="按审核意见补充"
    )
    second = submit(major.case, r.zhangming)
    assert second.round == 2 and second.dossier_sha256 != first.dossier_sha256
    conclude(second, r.zhaomin)
    rounds = selectors.case_rounds(major.case)
    assert [(s.round, s.review.opinion) for s in rounds] == [(1, "revise"), (2, "agree")]
    assert all(s.review.document for s in rounds)
    assert GeneratedDocument.objects.filter(doc_type="legal_review_opinion").count() == 2
    discuss(major.case, r)  # the heads discuss the revised proposal
    assert decide(major.case, r.liujuzhang).state == State.DECIDED


def test_disagreement_needs_a_collective_discussion_record(major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin, opinion="disagree", reasons="定性不准", law="应适用第二十六条")
    with pytest.raises(DomainError, match="请填写异议理由"):
        services.dispute_raise(actor=r.zhangming, submission=s, reasons="")
    dispute = services.dispute_raise(
        actor=r.zhangming, submission=s, reasons="第二十五条更符合查明的事实"
    )
    with pytest.raises(Blocked, match="异议尚未经行政机关负责人集体讨论，不能重新送审"):
        submit(major.case, r.zhangming)
    # An older discussion (held before the disagreement) does not settle it.
    old = major.case.discussions.order_by("pk").first()
    old_day = old.held_on
    assert old_day < timezone.localdate()
    with pytest.raises(DomainError, match="集体讨论应在提出异议"):
        services.dispute_resolve(actor=r.liujuzhang, dispute=dispute, discussion=old)
    with pytest.raises(DomainError, match="请选择本案的集体讨论记录"):
        services.dispute_resolve(actor=r.liujuzhang, dispute=dispute, discussion=None)
    discussion = discuss(major.case, r, held_on=timezone.localdate())
    services.dispute_resolve(actor=r.liujuzhang, dispute=dispute, discussion=discussion)
    # The dossier is unchanged, but the heads have discussed: it may go to review again.
    again = submit(major.case, r.zhangming)
    assert again.round == 2 and again.follows_dispute_id == dispute.pk
    assert again.dossier_sha256 == s.dossier_sha256
    # Still only the reviewer's 同意 lets the decision go.
    with pytest.raises(Blocked):
        decide(major.case, r.liujuzhang)
    conclude(again, r.zhaomin, reasons="经集体讨论，采纳承办机构意见，同意")
    assert decide(major.case, r.liujuzhang).state == State.DECIDED
    assert Dispute.objects.get().discussion_id == discussion.pk


def test_only_the_handler_disputes_and_only_an_opinion_that_did_not_pass(major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin)
    with pytest.raises(DomainError, match="只能对未通过的审核意见提出异议"):
        services.dispute_raise(actor=r.zhangming, submission=s, reasons="x")
    with pytest.raises(NotPermitted):
        services.dispute_raise(actor=r.zhaomin, submission=s, reasons="x")


# --- experts ---------------------------------------------------------------------------------------------


def test_expert_opinions_are_recorded_and_attached_to_the_opinion_document(major, r, tmp_path):
    s = submit(major.case, r.zhangming)
    adviser = services.expert_request(
        actor=r.zhaomin,
        submission=s,
        kind="legal_adviser",
        question="裁量档次是否适当？",
        expert=r.chenlvshi,
    )
    industry = services.expert_request(
        actor=r.zhaomin,
        submission=s,
        kind="industry_expert",
        question="工时计算是否准确？",
        expert_name="周工程师",
        expert_org="陵川县建筑业协会",
    )
    with pytest.raises(NotPermitted, match="该咨询意见须由陈律师本人出具"):
        services.expert_answer(actor=r.zhaomin, request=adviser, answer="同意")
    services.expert_answer(actor=r.chenlvshi, request=adviser, answer="裁量档次适用正确。")
    with pytest.raises(DomainError, match="请填写咨询意见"):
        services.expert_answer(actor=r.zhaomin, request=industry, answer="")
    services.expert_answer(actor=r.zhaomin, request=industry, answer="工时计算准确。")
    with pytest.raises(DomainError, match="咨询意见已登记，不能修改"):
        services.expert_answer(actor=r.chenlvshi, request=adviser, answer="改")
    review = conclude(s, r.zhaomin)
    path = tmp_path / "o.pdf"
    path.write_bytes(review.document.pdf.read())
    text = pdf_text(path)
    assert "陈律师（法律顾问）" in text and "裁量档次适用正确。" in text
    assert "周工程师（行业专家）" in text
    types = list(
        Event.objects.filter(type__startswith="review.expert").values_list("type", flat=True)
    )
    assert (
        types.count("review.expert_requested") == 2 and types.count("review.expert_answered") == 2
    )
    assert ExpertRequest.objects.filter(answer="").count() == 0


# --- clock -------------------------------------------------------------------------------------------


def test_the_review_period_is_five_working_days_and_can_be_extended_with_a_reason(major, r):
    from sanxiang.workcalendar.selectors import add_workdays

    s = submit(major.case, r.zhangming)
    assert s.workdays == 5
    assert s.due_on == add_workdays(s.submitted_on, 5)
    with pytest.raises(DomainError, match="请填写延长理由"):
        services.review_extend(actor=r.zhaomin, submission=s, workdays=2, reason="")
    with pytest.raises(DomainError, match="延长的工作日数应为1至3之间的整数"):
        services.review_extend(actor=r.zhaomin, submission=s, workdays=4, reason="复杂")
    ext = services.review_extend(
        actor=r.zhaomin, submission=s, workdays=2, reason="需征求法律顾问意见"
    )
    assert ext.due_after == add_workdays(s.due_on, 2)
    s = Submission.objects.get(pk=s.pk)
    assert selectors.effective_due(s) == ext.due_after
    services.review_extend(actor=r.zhaomin, submission=s, workdays=1, reason="等待专家意见")
    with pytest.raises(DomainError, match="达到可延长的上限（3个工作日）"):
        services.review_extend(actor=r.zhaomin, submission=s, workdays=1, reason="再延")


def test_the_clock_shows_soon_and_overdue_and_reviewers_see_it_in_their_to_do(major, r):
    from sanxiang.workcalendar.selectors import add_workdays

    s = submit(major.case, r.zhangming)
    clock = selectors.review_clock(s, today=s.submitted_on)
    assert (clock.code, clock.workdays_left) == ("normal", 5)
    soon = selectors.review_clock(s, today=add_workdays(s.submitted_on, 3))
    assert (soon.code, soon.label) == ("soon", "即将到期")
    late_day = s.due_on + dt.timedelta(days=1)
    assert selectors.review_clock(s, today=late_day).label == "已逾期"
    items = selectors.todo_items_for(user=r.zhaomin, today=late_day)
    (item,) = [i for i in items if i.title.startswith("法制审核")]
    assert item.urgency == "overdue" and item.due == s.due_on
    assert item.url == f"/review/submissions/{s.pk}/review/"
    assert selectors.todo_items_for(user=r.liujuzhang, today=late_day) == []
    # The handler sees the returned round in 我的待办.
    conclude(s, r.zhaomin, opinion="revise", reasons="补证", facts="缺少工资表")
    (back,) = selectors.todo_items_for(user=r.zhangming, today=late_day)
    assert back.title == "按法制审核意见（修改后再报）修改后重新送审"


def test_the_clock_runs_inside_the_decision_clock(major, r):
    s = submit(major.case, r.zhangming)
    clock = selectors.review_clock(s)
    decision = major.case.deadlines.get(kind="decision")
    assert clock.decision_due == decision.due
    # The 2026 demo dates put the decision clock in June; a review begun today ends after it.
    assert "晚于作出决定的期限" in clock.warning


# --- scope ----------------------------------------------------------------------------------------------


def test_catalogue_entries_flag_a_proposal_major_with_the_reason(flow, r, agency, items):
    services.catalogue_entry_add(
        actor=r.xitong,
        agency=agency,
        kind="amount",
        title="对单位罚款5000元以上",
        threshold="5000",
        party_scope="organisation",
        effective_from=dt.date(2026, 1, 1),
    )
    services.catalogue_entry_add(
        actor=r.xitong,
        agency=agency,
        kind="item",
        title="无理抗拒、阻挠劳动保障监察",
        item=items.obstruction.item,
        effective_from=dt.date(2026, 1, 1),
    )
    small = flow().investigated()
    assert not small.refresh().is_major
    big = flow().investigated(fine_amount="6000", affected_workers=20, tier_level="severe")
    flag = CaseFlag.objects.get(case=big.case)
    assert flag.source == FlagSource.AUTO
    assert "拟罚没金额6000元，达到审核目录标准（法人或其他组织5000元以上）" in flag.reason
    assert big.refresh().is_major


def test_catalogue_penalty_types_and_bad_entries(r, agency):
    with pytest.raises(DomainError, match="请选择处罚种类"):
        services.catalogue_entry_add(
            actor=r.xitong,
            agency=agency,
            kind="penalty_type",
            title="x",
            effective_from=dt.date(2026, 1, 1),
        )
    with pytest.raises(DomainError, match="请填写罚没金额标准"):
        services.catalogue_entry_add(
            actor=r.xitong,
            agency=agency,
            kind="amount",
            title="x",
            effective_from=dt.date(2026, 1, 1),
        )
    with pytest.raises(NotPermitted):
        services.catalogue_entry_add(
            actor=r.zhaomin,
            agency=agency,
            kind="complex",
            title="x",
            effective_from=dt.date(2026, 1, 1),
        )
    facts = [
        rules.CatalogueFacts(
            kind="penalty_type", title="限制从业", penalty_types=frozenset({"restrict_employment"})
        )
    ]
    assert rules.catalogue_reasons(
        facts,
        outcome="penalty",
        penalty_types=frozenset({PenaltyType.RESTRICT_EMPLOYMENT, PenaltyType.FINE}),
        fine=Decimal("1000"),
        confiscation=None,
        natural_person=True,
        item_ids=frozenset(),
    ) == ["拟限制从业，列入审核目录（限制从业）"]


def test_an_officer_of_the_case_adds_a_major_flag_with_a_catalogue_ground(flow, r, agency):
    ground = services.catalogue_entry_add(
        actor=r.xitong,
        agency=agency,
        kind="social_impact",
        title="可能引发群体性事件",
        effective_from=dt.date(2026, 1, 1),
    )
    f = flow().investigated()
    with pytest.raises(NotPermitted):
        services.major_flag_add(actor=r.zhaoliu, case=f.case, reason="x")  # not on the team
    with pytest.raises(DomainError, match="请填写具体理由"):
        services.major_flag_add(actor=r.zhangming, case=f.case, reason="")
    flag = services.major_flag_add(
        actor=r.zhangming, case=f.case, ground=ground, reason="30余名农民工集体投诉"
    )
    assert flag.reason == "可能引发群体性事件；30余名农民工集体投诉"
    assert f.refresh().is_major
    event = Event.objects.filter(type="case.flagged").latest("seq")
    assert event.actor_id == r.zhangming.pk
    # Officers may add scope, never remove it.
    with pytest.raises(NotPermitted):
        case_services.case_unflag(actor=r.zhangming, case=f.case, flag=flag, reason="误标")


def test_a_flag_from_a_hearing_cannot_be_removed_and_the_case_needs_review(flow, r):
    from zoneinfo import ZoneInfo

    f = flow().registered(causes=[flow().items.job_agency])
    f.notified(
        item_version=f.items.job_agency,
        tier_level="",
        penalty_types=[PenaltyType.FINE, PenaltyType.REVOKE_LICENCE],
        fine_amount=Decimal("20000"),
    )
    case = f.case
    case_services.case_transition(
        case=case, action="request_hearing", actor=r.zhangming, requested_on=dt.date(2026, 3, 30)
    )
    case_services.hearing_schedule(
        actor=r.wangqiang,
        case=case,
        scheduled_at=dt.datetime(2026, 4, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        place="听证室",
        presider=r.zhaomin,
        notice_served_on=dt.date(2026, 4, 8),
    )
    case_services.hearing_record(
        actor=r.zhaomin,
        case=case,
        record_summary="调查人员陈述……当事人申辩……",
        report="建议维持拟处理意见",
        party_attended=True,
        party_signed=True,
    )
    case_services.case_transition(
        case=case, action="end_hearing", actor=r.zhangming, ended_on=dt.date(2026, 4, 20)
    )
    flag = CaseFlag.objects.get(case=case, source=FlagSource.HEARING)
    with pytest.raises(DomainError, match="经过听证程序的案件属于重大执法决定，该标记不能撤销"):
        case_services.case_unflag(actor=r.wangqiang, case=case, flag=flag, reason="误标")
    case.refresh_from_db()
    assert case.is_major
    reasons = selectors.review_gate(case)
    assert "经过听证程序（行政处罚法第五十八条第一款第（二）项）" in reasons[0]
    assert "尚未送法制审核" in reasons[0]
    assert opinion_labels() == ["同意", "修改后再报", "不同意", "建议移送司法机关"]


def opinion_labels():
    return [label for _, label in Opinion.choices]
