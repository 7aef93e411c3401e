"""The decision gate (行政处罚法 第五十八条; 实施方案 三（三）4): a major case is decided only after
a review with the opinion 同意 of the dossier as it is now, by a reviewer outside the case team,
recorded in the ledger — and 会签 or any other path does not count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.accounts import roles
from sanxiang.cases import gates
from sanxiang.cases import services as case_services
from sanxiang.cases.choices import RecordKind, ServiceMethod, State
from sanxiang.lib.errors import Blocked
from sanxiang.records import documents
from sanxiang.records.services import document_generate
from sanxiang.review import selectors
from sanxiang.review.models import Review

from .conftest import at, conclude, decide, designate, discuss, give_role, submit

pytestmark = pytest.mark.django_db


def reasons_of(exc) -> str:
    return "；".join(exc.value.reasons)


def test_the_review_app_fills_the_cases_slot():
    assert gates._review_gate is selectors.review_gate


def test_unflagged_case_decides(flow, r):
    f = flow().pending()
    assert not f.case.is_major
    assert selectors.review_gate(f.case) == []
    assert decide(f.case, r.liujuzhang).state == State.DECIDED


def test_flagged_case_without_review_is_blocked_with_the_reason(major, r):
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    text = reasons_of(exc)
    assert "重大执法决定须经法制审核通过后方可作出" in text
    assert "尚未送法制审核" in text
    assert "受侵害劳动者人数较多，社会影响较大" in text  # the flag's reason is shown
    assert major.refresh().state == State.PENDING_DECISION


def test_a_pending_review_blocks_with_its_due_date(major, r):
    s = submit(major.case, r.zhangming)
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    assert f"法制审核尚未完成（第1轮，{s.submitted_on.year}年" in reasons_of(exc)
    assert "审核期限至" in reasons_of(exc)


def test_passed_review_lets_the_major_case_be_decided(major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin)
    assert selectors.review_gate(major.case) == []
    assert decide(major.case, r.liujuzhang).state == State.DECIDED


@pytest.mark.parametrize(
    ("opinion", "problem", "says"),
    [
        ("revise", {"facts": "缺少工资支付凭证"}, "修改后再报"),
        ("disagree", {"law": "适用条款错误"}, "不同意"),
        ("transfer", {"crime": "涉嫌拒不支付劳动报酬罪"}, "建议移送司法机关"),
    ],
)
def test_a_review_that_did_not_pass_blocks(major, r, opinion, problem, says):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin, opinion=opinion, reasons="见审核事项", **problem)
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    assert f"法制审核意见为“{says}”" in reasons_of(exc)


def test_passed_review_then_a_new_proposal_revision_blocks_again(major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin)
    major.proposed(fine_amount="800", change_reason="复核后调整金额")
    discuss(major.case, r)  # the heads discuss the new revision: the review still does not cover it
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    text = reasons_of(exc)
    assert "审核通过后案卷已变化" in text
    assert "拟处理意见（第1版：行政处罚）变更为拟处理意见（第2版：行政处罚）" in text
    assert "须重新送审" in text
    # Submitting the changed dossier again and passing it lets the decision go.
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    assert decide(major.case, r.liujuzhang).state == State.DECIDED


def test_passed_review_then_a_generated_document_blocks_again(major, r):
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    spec = documents.get("file_index")
    document_generate(
        actor=r.zhangming, doc_type="file_index", subject=major.case, context=spec.sample()
    )
    reasons = selectors.review_gate(major.case)
    assert len(reasons) == 1
    assert reasons[0].startswith("审核通过后案卷已变化（新增卷内目录")


def test_passed_review_then_a_new_interview_record_blocks_again(major, r):
    """The example of the issue: after the review the officers investigate further (补充调查)
    and add a 询问笔录; back at the decision, the approval no longer covers the dossier."""
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    case = major.case
    reopen_on = dt.date(2026, 4, 8)
    case_services.case_transition(
        case=case, action="reopen", actor=r.wangqiang, on=reopen_on, reason="补充询问劳动者"
    )
    case_services.investigation_record_add(
        actor=r.zhangming,
        case=case,
        kind=RecordKind.INTERVIEW,
        started_at=at(dt.date(2026, 4, 9), 9),
        ended_at=at(dt.date(2026, 4, 9), 10),
        place="陵川县人社局询问室",
        officers=major.team,
        person={"name": "孙某", "post": "工人", "relation": "受侵害劳动者"},
        ids_shown=True,
        recusal_asked=True,
        truth_duty_told=True,
        content="问：……答：……",
        person_signed=True,
        officers_signed=True,
    )
    case_services.case_transition(
        case=case, action="conclude", actor=r.zhangming, concluded_on=dt.date(2026, 4, 10)
    )
    case_services.case_transition(
        case=case,
        action="notify",
        actor=r.zhangming,
        served_on=dt.date(2026, 4, 13),
        service={
            "method": ServiceMethod.DIRECT,
            "receiver_name": "钱某",
            "receiver_relation": "legal_rep",
        },
    )
    case_services.case_transition(
        case=case, action="submit", actor=r.zhangming, on=dt.date(2026, 4, 20)
    )
    with pytest.raises(Blocked) as exc:
        decide(case, r.liujuzhang)
    text = reasons_of(exc)
    assert "审核通过后案卷已变化（新增询问笔录（孙某，2026年4月9日）" in text
    assert "须重新送审" in text


def test_a_reviewer_on_the_case_team_is_refused(major, r, agency):
    lihua = designate(r.xitong, agency, give_role(r.lihua, roles.REVIEWER))
    s = submit(major.case, r.zhangming)
    with pytest.raises(Blocked) as exc:
        conclude(s, lihua)
    assert "李华是（或曾是）本案办案人员，不得审核本案" in reasons_of(exc)
    assert not Review.objects.exists()


def test_a_reviewer_released_from_the_team_is_still_refused(major, r, agency):
    case_services.case_assign(
        actor=r.wangqiang, case=major.case, user=r.zhaoliu, role="assist", on=dt.date(2026, 3, 3)
    )
    case_services.case_release(
        actor=r.wangqiang,
        case=major.case,
        user=r.zhaoliu,
        reason="调整分工",
        on=dt.date(2026, 3, 4),
    )
    zhaoliu = designate(r.xitong, agency, give_role(r.zhaoliu, roles.REVIEWER))
    with pytest.raises(Blocked) as exc:
        conclude(submit(major.case, r.zhangming), zhaoliu)
    assert "本案办案人员" in reasons_of(exc)


def test_a_first_time_penalty_reviewer_without_qualification_is_refused(major, r):
    s = submit(major.case, r.zhangming)
    with pytest.raises(Blocked) as exc:
        conclude(s, r.qianshen)
    assert (
        "初次从事行政处罚决定法制审核的人员，应当取得法律职业资格（行政处罚法第五十八条第二款）"
        in reasons_of(exc)
    )
    assert not Review.objects.exists()


def test_someone_not_designated_as_review_staff_is_refused(major, r):
    # 王强 holds no review role at all; give him the role but no designation.
    wangqiang = give_role(r.wangqiang, roles.REVIEWER)
    with pytest.raises(Blocked) as exc:
        conclude(submit(major.case, r.zhangming), wangqiang)
    assert "未被指定为法制审核人员" in reasons_of(exc)


def test_an_approver_who_reviewed_the_case_is_refused_by_the_gate(major, r, agency):
    liu = designate(r.xitong, agency, give_role(r.liujuzhang, roles.REVIEWER))
    conclude(submit(major.case, r.zhangming), liu)
    reasons = selectors.review_gate(major.case, actor=liu)
    assert reasons == [
        "作出决定的负责人不得是本案的法制审核人员（刘局长审核了本案），承办、审核、决定须由不同人员担任"
    ]
    assert selectors.review_gate(major.case, actor=r.wangqiang) == []


def test_a_decision_dated_before_the_approval_is_refused(major, r):
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    today = timezone.localdate()
    (reason,) = selectors.review_gate(major.case, on=today - dt.timedelta(days=1))
    assert "早于法制审核意见作出的日期" in reason
    assert selectors.review_gate(major.case, on=today) == []


def test_an_approver_who_reviewed_the_case_cannot_decide(major, r, agency):
    """Through the decide transition, which passes the decision maker to the review slot."""
    liu = designate(r.xitong, agency, give_role(r.liujuzhang, roles.REVIEWER))
    conclude(submit(major.case, r.zhangming), liu)
    with pytest.raises(Blocked) as exc:
        decide(major.case, liu)
    assert "作出决定的负责人不得是本案的法制审核人员" in reasons_of(exc)


def test_a_reviewer_later_put_on_the_team_voids_the_approval(major, r, agency):
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    from sanxiang.cases.models import Assignment

    Assignment.objects.create(
        case=major.case,
        user=r.zhaomin,
        role="assist",
        assigned_on=timezone.localdate(),
        assigned_by=r.wangqiang,
    )
    reasons = selectors.review_gate(major.case)
    assert any("审核人赵敏是本案办案人员" in x for x in reasons)


def test_countersigning_does_not_replace_review(major, r):
    """会签: the reviewer and the legal adviser sign the decision in a collective discussion,
    and the legal adviser gives a written 同意 — still no review, still blocked."""
    discuss(
        major.case,
        r,
        extra=[(r.zhaomin, "会签：同意"), (r.chenlvshi, "会签：同意，无法律问题")],
    )
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    assert "尚未送法制审核" in reasons_of(exc)
    # An advisory opinion of 同意 on a pending round is not a review either.
    from sanxiang.review import services

    s = submit(major.case, r.zhangming)
    request = services.expert_request(
        actor=r.zhaomin,
        submission=s,
        kind="legal_adviser",
        question="是否合法？",
        expert=r.chenlvshi,
    )
    services.expert_answer(actor=r.chenlvshi, request=request, answer="同意")
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    assert "法制审核尚未完成" in reasons_of(exc)


def test_a_review_row_changed_behind_the_services_back_does_not_count(major, r):
    """Only the reviewer's own recorded act concludes a review: an opinion rewritten in the
    database (admin, SQL) does not match its ledger event and the gate refuses it."""
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin, opinion="revise", reasons="补充证据", facts="缺少工资表")
    Review.objects.filter(submission=s).update(opinion="agree")
    with pytest.raises(Blocked) as exc:
        decide(major.case, r.liujuzhang)
    assert "法制审核结论与执法记录账本不一致，视为未经审核" in reasons_of(exc)


def test_a_forged_dossier_hash_does_not_count(major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin)
    major.proposed(fine_amount="800", change_reason="调整")
    discuss(major.case, r)
    # Someone rewrites the frozen hash to the current dossier's: the ledger event disagrees.
    from sanxiang.review import dossier, rules
    from sanxiang.review.models import Submission

    current, _ = rules.dossier_hashes(dossier.build_manifest(major.case))
    Submission.objects.filter(pk=s.pk).update(dossier_sha256=current)
    reasons = selectors.review_gate(major.case)
    assert reasons and "账本不一致" in reasons[0]


def test_a_complex_case_needs_review_when_the_agency_says_so(flow, r, agency):
    from sanxiang.review import services

    f = flow().notified()
    case_services.case_flag(
        actor=r.wangqiang, case=f.case, kind="complex", reason="涉及劳务派遣和用工单位多个法律关系"
    )
    f.pending()
    discuss(f.case, r)
    # By default 情节复杂 is the 第五十七条 flag (collective discussion); a 疑难复杂 case is put in
    # review scope by flagging it major on that ground.
    assert selectors.review_gate(f.refresh()) == []
    services.review_settings_set(
        actor=r.xitong,
        agency=agency,
        review_workdays=5,
        extension_workdays=3,
        complex_needs_review=True,
    )
    assert "尚未送法制审核" in selectors.review_gate(f.refresh())[0]


def test_passed_review_then_new_evidence_blocks_again(major, r, tmp_path):
    """Evidence files (records.Evidence, SHA-256 + SM3) are part of the dossier: a photo added
    after the approval voids it."""
    evidence = pytest.importorskip("sanxiang.records.evidence.services")
    hashing = pytest.importorskip("sanxiang.records.evidence.hashing")
    import io

    from PIL import Image

    conclude(submit(major.case, r.zhangming), r.zhaomin)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    path = tmp_path / "IMG_0410.upload"
    path.write_bytes(buffer.getvalue())
    evidence.evidence_add(
        actor=r.zhangming,
        case=major.case,
        incoming=evidence.Incoming(
            path=path,
            original_name="IMG_0410.jpg",
            digests=hashing.file_digests(path),
            via="form",
        ),
        kind="photo",
        scene="investigation",
        step="other",
        recorded_by=r.zhangming,
        started_at=at(dt.date(2026, 4, 10), 9),
        ended_at=at(dt.date(2026, 4, 10), 9, 5),
        place="该公司车间",
        description="车间考勤机记录照片",
    )
    (reason,) = selectors.review_gate(major.case)
    assert reason.startswith("审核通过后案卷已变化（新增证据")
    assert "车间考勤机记录照片" in reason
