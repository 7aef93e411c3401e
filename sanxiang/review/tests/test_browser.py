"""The key journey in a real browser, with the demo personas: a major case is blocked at the
decision, 张明 submits it, 赵敏 returns it (修改后再报), 张明 corrects and resubmits, 赵敏 approves,
刘局长 decides — the decision through the case page (``/cases/<pk>/do/decide/``), the review steps
through the review pages. The case is built up to 待决定 through the cases services; the
correction between the rounds (a new revision of the proposal, discussed by the heads) too."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from sanxiang.cases.choices import State
from sanxiang.cases.models import Case
from sanxiang.review.choices import Point
from sanxiang.review.models import Submission

from .conftest import discuss

pytestmark = pytest.mark.browser


def test_major_case_blocked_submitted_returned_resubmitted_approved_decided(page, login, major, r):
    case = major.case
    base = page.base_url
    today = timezone.localdate().isoformat()

    def switch(user: str, path: str) -> None:
        if page.get_by_role("button", name="退出").count():
            page.get_by_role("button", name="退出").click()
            page.wait_for_load_state()
        login(user, next_path=path)

    def messages() -> str:
        return page.locator(".messages").inner_text()

    # 刘局长 tries to decide: blocked, with the reason.
    switch("liujuzhang", f"/cases/{case.pk}/do/decide/")
    page.fill("#id_decided_on", today)
    page.get_by_role("button", name="作出决定", exact=True).click()
    page.wait_for_load_state()
    refusal = page.locator(".blocked-box").first.inner_text()
    assert "重大执法决定须经法制审核通过后方可作出" in refusal and "尚未送法制审核" in refusal
    assert Case.objects.get(pk=case.pk).state == State.PENDING_DECISION

    # 张明 submits the case: the checklist and the attestation are required.
    switch("zhangming", f"/review/cases/{case.pk}/")
    assert "待送法制审核" in page.inner_text("main")
    page.get_by_role("link", name="送法制审核").click()
    page.get_by_role("button", name="确认送审").click()
    errors = page.locator(".form-errors").inner_text()
    assert "请逐项核对送审材料清单" in errors and "请确认送审责任声明" in errors
    for box in page.locator("input[name=checklist]").all():
        box.check()
    page.locator("#id_attested").check()
    page.get_by_role("button", name="确认送审").click()
    assert "已送法制审核（第1轮）" in messages()
    first = Submission.objects.get(case=case)
    assert first.dossier_sha256 in page.inner_text("main")

    # 赵敏 returns it: the facts point has a problem.
    switch("zhaomin", "/review/queue/")
    page.get_by_role("row").filter(has_text=case.number).get_by_role("link", name="审核").click()
    for code in Point.values:
        page.locator(f"#point-{code}").get_by_label("符合", exact=True).check()
    page.locator("#point-facts").get_by_label("存在问题", exact=True).check()
    page.locator("#id_facts_comment").fill("缺少工资支付记录，不能证明延长工作时间的事实")
    page.get_by_label("修改后再报", exact=True).check()
    page.get_by_label("审核意见的理由").fill("证据不足，请补充工资支付记录后再报。")
    page.get_by_role("button", name="作出审核意见").click()
    assert "已作出法制审核意见：修改后再报" in messages()
    assert "法审字" in messages()

    # The officers correct the proposal; the heads discuss the new revision.
    major.proposed(
        evidence_summary="询问笔录；考勤记录；2026年1月至3月工资支付记录",
        change_reason="按法制审核意见补充证据",
    )
    discuss(case, r)

    # 张明 sees the return and resubmits the changed dossier.
    switch("zhangming", f"/review/cases/{case.pk}/")
    main = page.inner_text("main")
    assert "审核退回" in main and "缺少工资支付记录" in main
    page.get_by_role("link", name="重新送审").click()
    assert "与第1轮送审相比，案卷已变化" in page.inner_text("main")
    for box in page.locator("input[name=checklist]").all():
        box.check()
    page.locator("#id_attested").check()
    page.get_by_label("送审说明").fill("已按第1轮审核意见补充工资支付记录")
    page.get_by_role("button", name="确认送审").click()
    assert "已送法制审核（第2轮）" in messages()

    # 赵敏 approves the second round.
    switch("zhaomin", "/review/queue/")
    page.get_by_role("row").filter(has_text=case.number).get_by_role("link", name="审核").click()
    for code in Point.values:
        page.locator(f"#point-{code}").get_by_label("符合", exact=True).check()
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("审核意见的理由").fill("经审核，事实清楚，证据充分，程序合法，同意。")
    page.get_by_role("button", name="作出审核意见").click()
    assert "已作出法制审核意见：同意" in messages()

    # 刘局长 decides through the case page.
    switch("liujuzhang", f"/cases/{case.pk}/do/decide/")
    page.fill("#id_decided_on", today)
    page.get_by_role("button", name="作出决定", exact=True).click()
    page.wait_for_load_state()
    assert not page.locator(".blocked-box").count(), page.locator(".blocked-box").all_inner_texts()
    assert re.search(r"监罚字〔\d{4}〕第\d+号", messages())
    assert Case.objects.get(pk=case.pk).state == State.DECIDED

    # The accountability record shows the three people and both rounds.
    page.goto(f"{base}/review/cases/{case.pk}/accountability/")
    record = page.inner_text("main")
    for text in ("张明", "赵敏（修改后再报）", "赵敏（同意）", "刘局长"):
        assert text in record
    assert [s.round for s in Submission.objects.filter(case=case)] == [1, 2]
