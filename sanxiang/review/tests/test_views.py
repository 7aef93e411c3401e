"""The staff pages: who sees what, bad input shown in Chinese with nothing written, the
accountability page and its PDF, the figures, and flat query counts on the lists."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from sanxiang.ledger.models import Event
from sanxiang.records.models import GeneratedDocument
from sanxiang.review import selectors
from sanxiang.review.choices import Point
from sanxiang.review.models import Review, Submission

from .conftest import ALL_MATERIALS, conclude, decide, submit

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def page(client, user, url, status=200):
    response = client_for(client, user).get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


# --- access -------------------------------------------------------------------------------------------


def test_the_queue_is_for_review_staff(client, major, r):
    s = submit(major.case, r.zhangming)
    html = page(client, r.zhaomin, reverse("review:queue"))
    assert "法制审核队列" in html and major.case.number in html
    assert reverse("review:review", args=[s.pk]) in html
    page(client, r.zhangming, reverse("review:queue"), status=403)
    page(client, r.wuquanxian, reverse("review:submission_list"), status=403)


def test_a_handler_cannot_open_the_review_form_but_sees_the_dossier(client, major, r):
    s = submit(major.case, r.zhangming)
    page(client, r.zhangming, reverse("review:review", args=[s.pk]), status=403)
    html = page(client, r.zhangming, reverse("review:submission", args=[s.pk]))
    assert s.dossier_sha256 in html and "撤回送审" in html and "作出审核意见" not in html


def test_a_reviewer_on_the_team_sees_why_they_may_not_review(client, major, r, agency):
    from sanxiang.accounts import roles

    from .conftest import designate, give_role

    lihua = designate(r.xitong, agency, give_role(r.lihua, roles.REVIEWER))
    s = submit(major.case, r.zhangming)
    html = page(client, lihua, reverse("review:review", args=[s.pk]))
    assert "您不能审核本案" in html and "不得审核本案" in html
    assert 'name="opinion"' not in html


def test_an_unqualified_reviewer_sees_why_and_posting_the_opinion_is_refused(client, major, r):
    """钱审 is designated but holds no 法律职业资格 on record (行政处罚法 第五十八条第二款): the
    page says why; a posted opinion is refused with 403 and the reason, as the API refuses it,
    and nothing is written."""
    s = submit(major.case, r.zhangming)
    url = reverse("review:review", args=[s.pk])
    html = page(client, r.qianshen, url)
    assert "您不能审核本案" in html and 'name="opinion"' not in html
    data = {f"{code}_result": "pass" for code in Point.values} | {
        "opinion": "agree",
        "reasons": "同意。",
    }
    before = Event.objects.count()
    response = client_for(client, r.qianshen).post(url, data)
    assert response.status_code == 403
    assert "法律职业资格" in response.content.decode()
    assert not Review.objects.filter(submission=s).exclude(opinion="").exists()
    # the only new entry is the refusal itself, in the audit log
    assert [e.type for e in Event.objects.order_by("seq")[before:]] == [
        "security.permission_denied"
    ]


# --- submission through the page -------------------------------------------------------------------


def test_submitting_without_the_checklist_or_attestation_shows_chinese_errors(client, major, r):
    url = reverse("review:submit", args=[major.case.pk])
    html = page(client, r.zhangming, url)
    assert "送审材料清单" in html and "送审责任" in html
    before = (Submission.objects.count(), Event.objects.count())
    response = client.post(url, {"checklist": ["documents"], "note": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "不能送审" in html
    assert "请逐项核对送审材料清单，尚未确认" in html
    assert "请确认送审责任声明" in html
    assert (Submission.objects.count(), Event.objects.count()) == before
    response = client.post(url, {"checklist": ALL_MATERIALS, "attested": "on", "note": "请审核"})
    s = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "review:submission", args=[s.pk]
    )


def test_the_review_form_refuses_missing_points_and_empty_reasons(client, major, r):
    s = submit(major.case, r.zhangming)
    url = reverse("review:review", args=[s.pk])
    html = page(client, r.zhaomin, url)
    for _, label in Point.choices:
        assert label in html
    before = (Review.objects.count(), GeneratedDocument.objects.count(), Event.objects.count())
    data = {f"{code}_result": "pass" for code in Point.values}
    del data["crime_result"]
    data.update({"facts_result": "problem", "opinion": "revise", "reasons": " "})
    html = client.post(url, data).content.decode()
    assert "审核意见未保存" in html
    assert "请逐项审核并选择“符合”或“存在问题”：违法行为是否涉嫌犯罪、需要移送司法机关" in html
    assert "“案件事实是否清楚，证据是否合法充分”存在问题，请写明具体问题" in html
    assert "请填写审核意见的理由" in html
    assert (
        Review.objects.count(),
        GeneratedDocument.objects.count(),
        Event.objects.count(),
    ) == before
    data = {f"{code}_result": "pass" for code in Point.values}
    data.update(opinion="agree", reasons="经审核，同意。")
    response = client.post(url, data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.opinion == "agree" and review.reviewer_id == r.zhaomin.pk


def test_the_case_page_shows_status_rounds_and_flags(client, major, r):
    s = submit(major.case, r.zhangming)
    conclude(s, r.zhaomin, opinion="revise", reasons="补充证据", facts="缺少考勤记录")
    html = page(client, r.zhangming, reverse("review:case", args=[major.case.pk]))
    assert "审核退回" in html
    assert "受侵害劳动者人数较多，社会影响较大" in html
    assert "案件事实是否清楚，证据是否合法充分：缺少考勤记录" in html
    assert "对审核意见提出异议" in html
    status = selectors.review_status_for_case(major.case, user=r.zhangming)
    assert status.code == "returned" and status.reasons
    assert status.submit_url == reverse("review:submit", args=[major.case.pk])
    assert status.url == reverse("review:case", args=[major.case.pk])


def test_status_for_the_case_page_passed_and_voided(major, r):
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    assert selectors.review_status_for_case(major.case).code == "passed"
    major.proposed(fine_amount="800", change_reason="调整")
    status = selectors.review_status_for_case(major.case)
    assert status.code == "voided" and "审核通过后案卷已变化" in status.detail


def test_flagging_through_the_page(client, flow, r):
    f = flow().investigated()
    url = reverse("review:flag", args=[f.case.pk])
    html = client_for(client, r.zhangming).post(url, {"reason": ""}).content.decode()
    assert "请填写具体理由" in html
    response = client.post(url, {"reason": "涉及农民工工资，人数较多"})
    assert response.status_code == 302
    assert f.refresh().is_major


# --- accountability ----------------------------------------------------------------------------------


def test_the_accountability_page_shows_who_did_what_from_the_ledger(client, major, r, tmp_path):
    s1 = submit(major.case, r.zhangming)
    conclude(s1, r.zhaomin, opinion="revise", reasons="补证", facts="缺少考勤记录")
    major.proposed(fine_amount="800", change_reason="按审核意见修改")
    from .conftest import discuss

    discuss(major.case, r)
    s2 = submit(major.case, r.zhangming)
    conclude(s2, r.chenlvshi, reasons="同意")
    decided = decide(major.case, r.liujuzhang)
    acc = selectors.accountability(decided)
    assert acc.submitted_by == ["张明"]
    assert acc.reviewed_by == ["赵敏（修改后再报）", "陈律师（同意）"]
    assert acc.discussed_by == ["刘局长", "王强"]
    assert acc.decided_by == "刘局长" and acc.decision_number.startswith("陵人社监罚字")
    assert acc.approved_sha256 == s2.dossier_sha256
    stages = [row.stage for row in acc.rows]
    assert stages.index("送审") < stages.index("法制审核") < stages.index("决定")
    seqs = [row.seq for row in acc.rows]
    assert seqs == sorted(seqs)
    html = page(client, r.liujuzhang, reverse("review:accountability", args=[major.case.pk]))
    for text in (
        "送审人",
        "张明",
        "赵敏（修改后再报）",
        "陈律师（同意）",
        "刘局长",
        s2.dossier_sha256,
    ):
        assert text in html
    # Export as PDF: a records document, hashed and in the ledger; the same again returns it.
    url = reverse("review:accountability_export", args=[major.case.pk])
    response = client.post(url)
    doc = GeneratedDocument.objects.get(doc_type="review_accountability")
    assert response.status_code == 302
    assert response["Location"] == reverse("records:document_file", args=[doc.pk, "pdf"])
    client.post(url)
    assert GeneratedDocument.objects.filter(doc_type="review_accountability").count() == 1
    assert Event.objects.filter(type="document.generated", seq=doc.ledger_seq).exists()
    path = tmp_path / "acc.pdf"
    path.write_bytes(doc.pdf.read())
    tool = shutil.which("pdftotext")
    text = "".join(
        subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    for needle in [
        "重大执法决定法制审核责任记录",
        "送审人：张明",
        "赵敏（修改后再报）、陈律师（同意）",
        "刘局长、王强",
        "决定人：刘局长",
        acc.decision_number,
        "作出法制审核意见",
        str(acc.rows[-1].seq),
    ]:
        assert needle in text, needle


def test_exporting_needs_something_to_record(client, flow, r):
    f = flow().registered()
    client_for(client, r.liujuzhang)
    response = client.post(reverse("review:accountability_export", args=[f.case.pk]), follow=True)
    assert "本案尚无送审、审核、讨论或决定的记录" in response.content.decode()


# --- figures ------------------------------------------------------------------------------------------


def test_figures_count_outcomes_time_and_returns(client, major, flow, r):
    s1 = submit(major.case, r.zhangming)
    conclude(s1, r.zhaomin, opinion="revise", reasons="补证", facts="缺少考勤记录")
    major.proposed(fine_amount="800", change_reason="改")
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    other = flow().notified()
    submit(other.case, r.zhangming)  # voluntary review of a case that is not major; pending
    year = s1.submitted_on.year
    report = selectors.figures(agency=major.agency, year=year)
    f = report.figures
    assert f.by_opinion == {"agree": 1, "revise": 1, "disagree": 0, "transfer": 0}
    assert f.concluded == 2 and f.average_workdays is not None
    assert (f.cases_reviewed, f.returns, str(f.returns_per_case), f.max_returns) == (
        1,
        1,
        "1.00",
        1,
    )
    assert (f.pending, f.overdue_pending) == (1, 0)
    # 赵敏 and 钱审 are review staff (陈律师, an outside adviser, is not counted) against the
    # officers holding a valid certificate.
    assert report.ratio.reviewers == 2
    assert report.ratio.officers >= 4
    html = page(client, r.liujuzhang, reverse("review:figures") + f"?year={year}")
    assert "审核人员占执法人员比例" in html and report.ratio.percent in html
    assert "每案平均退回次数" in html
    page(client, r.zhangming, reverse("review:figures"), status=403)


def test_the_catalogue_page_lists_entries_and_the_built_in_scope(client, r, agency):
    from sanxiang.review import services

    services.catalogue_entry_add(
        actor=r.xitong,
        agency=agency,
        kind="penalty_type",
        title="责令停产停业、责令关闭",
        penalty_types=["suspend_business", "close"],
        effective_from=dt.date(2026, 1, 1),
    )
    html = page(client, r.zhangming, reverse("review:catalogue"))
    assert "经过听证程序作出行政执法决定的" in html
    assert "责令停产停业、责令关闭" in html


# --- query counts ---------------------------------------------------------------------------------------


def test_the_queue_and_list_run_a_fixed_number_of_queries(client, flow, r):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client_for(client, r.zhaomin)
    urls = [reverse("review:queue"), reverse("review:submission_list"), "/"]
    for _ in range(2):
        submit(flow().notified().case, r.zhangming)
    few = [queries(u) for u in urls]
    for _ in range(3):
        submit(flow().notified().case, r.zhangming)
    assert [queries(u) for u in urls] == few


def test_expert_extension_withdraw_and_dispute_pages(client, major, r):
    s = submit(major.case, r.zhangming)
    url = reverse("review:expert_new", args=[s.pk])
    page(client, r.zhangming, url, status=403)
    client_for(client, r.zhaomin)
    html = client.post(url, {"kind": "industry_expert", "question": "工时计算？"}).content.decode()
    assert "请填写专家姓名" in html and not s.expert_requests.exists()
    response = client.post(
        url, {"kind": "legal_adviser", "expert": r.chenlvshi.pk, "question": "裁量是否适当？"}
    )
    assert response.status_code == 302
    request = s.expert_requests.get()
    answer_url = reverse("review:expert_answer", args=[request.pk])
    page(client, r.zhaomin, answer_url, status=403)  # 陈律师 answers in person
    assert page(client, r.chenlvshi, answer_url)
    client.post(answer_url, {"answer": "裁量适当。"})
    html = page(client, r.zhaomin, reverse("review:submission", args=[s.pk]))
    assert "裁量适当。" in html
    extend_url = reverse("review:extend", args=[s.pk])
    assert client.post(extend_url, {"workdays": 2, "reason": "等待补充材料"}).status_code == 302
    assert s.extensions.count() == 1
    page(client, r.zhaomin, reverse("review:withdraw", args=[s.pk]), status=403)
    client_for(client, r.zhangming)
    response = client.post(reverse("review:withdraw", args=[s.pk]), {"reason": "补充材料"})
    assert response.status_code == 302
    assert Submission.objects.get(pk=s.pk).status == "withdrawn"
    s2 = submit(major.case, r.zhangming)
    conclude(s2, r.zhaomin, opinion="disagree", reasons="定性不准", law="应适用其他条款")
    dispute_url = reverse("review:dispute", args=[s2.pk])
    response = client.post(dispute_url, {"reason": "定性准确，理由见调查终结报告"})
    assert response.status_code == 302
    html = page(client, r.liujuzhang, reverse("review:case", args=[major.case.pk]))
    assert "异议待集体讨论" in html and "登记集体讨论记录" in html


def test_the_case_page_shows_the_review_status(client, major, r):
    status = selectors.review_status_for_case(major.case, user=r.zhangming)
    client.force_login(r.zhangming)
    html = client.get(f"/cases/{major.case.pk}/").content.decode()
    assert 'id="legal-review"' in html
    assert "待送法制审核" in html and "尚未送法制审核" in html
    assert status.submit_url in html and status.accountability_url in html


def test_after_the_decision_the_status_stays_passed(major, r):
    conclude(submit(major.case, r.zhangming), r.zhaomin)
    case = decide(major.case, r.liujuzhang)
    status = selectors.review_status_for_case(case, user=r.zhangming)
    assert (status.code, status.decided, status.reasons, status.submit_url) == (
        "passed",
        True,
        (),
        "",
    )
    assert status.detail.endswith("；已作出决定")
