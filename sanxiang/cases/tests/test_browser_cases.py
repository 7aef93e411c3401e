"""A complaint becomes a closed case in a real browser, with the demo personas and only the
pages' own forms. Dates are counted back from today on the working-day calendar, so that every
statutory window the case goes through (the 3-working-day defence period above all) has passed
by the day each step is entered."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.lib import codes
from sanxiang.workcalendar.selectors import add_workdays

pytestmark = pytest.mark.browser


def plan() -> dict[str, dt.date]:
    today = timezone.localdate()
    received = today - dt.timedelta(days=30)
    filed = received + dt.timedelta(days=1)
    recorded = filed + dt.timedelta(days=1)
    order_due = recorded + dt.timedelta(days=3)
    proposed = order_due + dt.timedelta(days=1)
    notified = proposed + dt.timedelta(days=1)
    submitted = add_workdays(notified, 3) + dt.timedelta(days=1)  # the defence period is over
    served = submitted + dt.timedelta(days=1)
    paid = served + dt.timedelta(days=2)
    assert paid <= today
    return {
        "violation_from": received - dt.timedelta(days=90),
        "received": received,
        "filed": filed,
        "recorded": recorded,
        "order_due": order_due,
        "proposed": proposed,
        "notified": notified,
        "submitted": submitted,
        "decided": submitted,
        "served": served,
        "paid": paid,
    }


def test_complaint_to_closed_case(page, login, p, items):
    d = {k: v.isoformat() for k, v in plan().items()}
    base = page.base_url

    def step(name: str) -> None:
        """Open a step from the case page (a button or link with that name)."""
        link = page.get_by_role("link", name=name, exact=True).first
        assert link.get_attribute("aria-disabled") is None, page.inner_text("#actions")
        link.click()

    def switch(user: str) -> None:
        page.get_by_role("button", name="退出").click()
        page.wait_for_load_state()
        login(user, next_path=f"/cases/{case.pk}/")

    def submit(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()
        errors = page.locator(".error, .form-errors, .blocked-box").all_inner_texts()
        assert not errors, errors

    # 张明 registers a wage-arrears complaint.
    login("zhangming", next_path="/cases/")
    page.get_by_role("link", name="登记投诉举报（线索）").click()
    page.select_option("#id_source", "complaint")
    page.select_option("#id_channel", "window")
    page.fill("#id_received_on", d["received"])
    page.fill("#id_complainant_name", "孙某")
    page.fill("#id_complainant_phone", "13903560101")
    page.select_option("#id_party_kind", "organisation")
    page.fill("#id_party_name", "陵川县示例建筑劳务有限公司")
    page.fill("#id_party_uscc", codes.make_uscc(random.Random(7), region="140524"))
    page.fill("#id_party_legal_representative", "钱某")
    page.fill("#id_summary", "拖欠3名农民工工资、超时加班")
    page.fill("#id_facts", "投诉人反映公司拖欠工资并安排每日加班4小时。")
    page.fill("#id_workers_affected", "3")
    page.fill("#id_amount_claimed", "12600")
    page.fill("#id_violation_from", d["violation_from"])
    page.fill("#id_violation_until", d["received"])
    page.select_option("#id_cause", str(items.overtime.pk))
    submit("登记")
    assert "已登记，登记号" in page.inner_text(".messages")
    case = Case.objects.get()
    case_url = f"{base}/cases/{case.pk}/"

    # 王强 assigns 张明 and 李华 and files the case.
    switch("wangqiang")
    for user, role in ((p.zhangming, "lead"), (p.lihua, "assist")):
        step("指派办案人员")
        page.select_option("#id_user", str(user.pk))
        page.select_option("#id_role", role)
        page.fill("#id_on", d["received"])
        submit("指派办案人员")
    step("受理并立案")
    page.fill("#id_filed_on", d["filed"])
    submit("受理并立案")
    assert "已立案，立案号" in page.inner_text(".messages")

    # 张明 records an interview and an inspection, orders the correction and checks it,
    # proposes a penalty within the benchmark, concludes, and serves the notice.
    switch("zhangming")
    for name, kind_extra in (("制作询问笔录", True), ("制作现场检查笔录", False)):
        step(name)
        page.fill("#id_started_at", f"{d['recorded']}T09:00")
        page.fill("#id_ended_at", f"{d['recorded']}T10:00")
        page.fill("#id_place", "陵川县人社局询问室" if kind_extra else "公司车间")
        page.fill("#id_person_name", "钱某")
        page.check("#id_ids_shown")
        page.check("#id_recusal_asked")
        if kind_extra:
            page.check("#id_truth_duty_told")
        page.fill("#id_content", "问：……答：……" if kind_extra else "查看考勤记录和排班表")
        page.check("#id_person_signed")
        page.check("#id_officers_signed")
        submit(name)
    step("下达责令改正")
    page.fill("#id_content", "立即停止违法延长劳动者工作时间")
    page.fill("#id_legal_basis", "《劳动保障监察条例》第二十五条")
    page.fill("#id_issued_on", d["recorded"])
    page.fill("#id_due_on", d["order_due"])
    submit("下达责令改正")
    step("复查改正情况")
    page.select_option("#id_result", "complied")
    page.fill("#id_note", "已调整排班")
    page.fill("#id_checked_on", d["order_due"])
    submit("复查改正情况")
    step("提出拟处理意见")
    assert "法定幅度" in page.inner_text("aside")  # the benchmark is shown beside the form
    page.select_option("#id_kind", "penalty")
    page.select_option("#id_item_version", str(items.overtime.pk))
    page.select_option("#id_tier_level", "general")
    page.check("input[name=penalty_types][value=warning]")
    page.check("input[name=penalty_types][value=fine]")
    page.fill("#id_fine_amount", "900")
    page.fill("#id_affected_workers", "3")
    page.fill("#id_facts_found", "经查，该公司安排3名劳动者每月延长工作时间超过36小时。")
    page.fill("#id_on", d["proposed"])
    submit("提出拟处理意见")
    step("调查终结")
    page.fill("#id_concluded_on", d["proposed"])
    submit("调查终结")
    step("事先告知")
    page.fill("#id_served_on", d["notified"])
    page.select_option("#id_method", "direct")
    page.select_option("#id_receiver_relation", "legal_rep")
    submit("事先告知")
    step("提请决定")
    page.fill("#id_on", d["submitted"])
    submit("提请决定")

    # 刘局长 decides (not a major case: no review needed); the number appears.
    switch("liujuzhang")
    step("作出决定")
    page.fill("#id_decided_on", d["decided"])
    submit("作出决定")
    message = page.inner_text(".messages")
    number = re.search(r"文号：(\S+号)", message).group(1)
    assert "监罚字" in number and number in page.inner_text(".case-head")

    # 张明 serves the decision and records the payment; 王强 closes the case.
    switch("zhangming")
    step("送达决定书")
    page.fill("#id_served_on", d["served"])
    page.select_option("#id_method", "direct")
    page.select_option("#id_receiver_relation", "legal_rep")
    submit("送达决定书")
    step("登记缴款")
    page.fill("#id_amount", "900")
    page.fill("#id_paid_on", d["paid"])
    page.fill("#id_receipt_no", "R-0001")
    submit("登记缴款")
    switch("wangqiang")
    step("结案")
    page.select_option("#id_closing_reason", "performed")
    page.fill("#id_evidence", f"罚款900元已于{d['paid']}缴清，凭证R-0001；已复查改正。")
    page.fill("#id_closed_on", d["paid"])
    submit("结案")

    page.goto(case_url)
    assert "已结案" in page.inner_text(".case-head")
    assert "结案后只读" in page.inner_text(".readonly-banner")
    # Read-only: the one operation left is recording a revocation (复议、诉讼 after closing).
    assert [a.get_attribute("href") for a in page.locator("a[href*='/do/']").all()] == [
        f"/cases/{case.pk}/do/change_decision/"
    ]
    # The earlier entries are folded; opening them shows the whole record.
    page.locator("#timeline summary").click()
    timeline = page.inner_text("#timeline")
    for label in (
        "登记投诉举报（线索）",
        "指派办案人员",
        "受理并立案",
        "制作调查笔录",
        "责令改正",
        "提出拟处理意见",
        "调查终结",
        "事先告知",
        "提请决定",
        "作出决定",
        "送达决定书",
        "登记缴款",
        "结案",
    ):
        assert label in timeline, label
