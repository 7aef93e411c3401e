"""A decision goes public and comes down again, in a real browser: the case is brought to 待决定
through the cases services and 刘局长 decides it on the case page; the draft is collected (what
the ledger subscription or the collect sweep does after the commit); 周公示 reviews the masked
draft side by side and approves it on the staff pages; an anonymous visitor on a phone-sized
screen finds it by searching the portal; 赵敏 records the revocation on the case, which the
publicity subscription turns into a withdrawal deadline, and 周公示 withdraws it; the
visitor then sees the withdrawal notice with its reason and date, and the search no longer
finds it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from sanxiang.publicity.handlers import collect_pending
from sanxiang.publicity.models import Publication

pytestmark = pytest.mark.browser


def test_decide_approve_find_revoke_and_see_the_withdrawal_notice(page, login, browser, flow):
    f = flow().pending(
        facts_found="经查，投诉人孙某（电话13903560101）反映属实：该公司安排3名劳动者每月延长工作时间超过36小时。"
    )
    base = page.base_url

    # 刘局长 decides the case on its page (清明 is 4–6 April: 7 working days end on 16 April).
    login("liujuzhang", next_path=f"/cases/{f.case.pk}/")
    page.get_by_role("link", name="作出决定", exact=True).first.click()
    page.fill("#id_decided_on", "2026-04-07")
    page.get_by_role("button", name="作出决定", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("文号")
    # The ledger subscription collected the draft when the decision committed.
    assert collect_pending() == 0
    publication = Publication.objects.get(decision__case=f.case)
    assert publication.due_on == dt.date(2026, 4, 16) and publication.state == "draft"
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()

    # 周公示 reviews original and masked text side by side and approves.
    login("zhougongshi", next_path="/publicity/")
    page.get_by_role("link", name=publication.decision.number).click()
    compare = page.locator(".pub-compare")
    expect(compare).to_contain_text("13903560101")  # the original, highlighted
    expect(compare.locator("mark.masked").first).to_be_visible()
    expect(compare).to_contain_text("〔电话号码已隐去〕")
    page.get_by_role("button", name="审核通过并公开").click()
    expect(page.locator(".messages")).to_contain_text("已审核发布")
    entry_id = Publication.objects.get(pk=publication.pk).entry_id

    # An anonymous visitor searches the portal.
    visitor = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    anon = visitor.new_page()
    anon.goto(f"{base}/gongkai/")
    anon.get_by_role("searchbox", name="检索执法决定").fill("延长工作时间")
    anon.get_by_role("button", name="检索").click()
    expect(anon).to_have_url(re.compile(r"/gongkai/decisions/\?q="))
    anon.get_by_role("link", name=re.compile("陵川县示例建筑劳务有限公司")).first.click()
    expect(anon.get_by_role("heading", level=1)).to_contain_text("陵川县示例建筑劳务有限公司")
    expect(anon.locator("main")).to_contain_text("〔电话号码已隐去〕")
    expect(anon.locator("main")).not_to_contain_text("13903560101")
    expect(anon.get_by_role("link", name="包含证明").first).to_be_visible()

    # The decision is revoked on administrative review: 赵敏 (法制审核员) records it on the case;
    # the publicity subscription sets the withdrawal deadline when that commits.
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    login("zhaomin", next_path=f"/cases/{f.case.pk}/")
    page.get_by_role("link", name="登记决定被撤销、变更或确认违法").click()
    page.select_option("#id_kind", "revoked")
    page.select_option("#id_authority", "review")
    page.fill("#id_authority_name", "陵川县人民政府")
    page.fill("#id_document", "陵政复决字〔2026〕第7号")
    page.fill("#id_happened_on", "2026-09-30")
    page.fill("#id_reason", "认定事实不清，撤销原处罚决定")
    page.get_by_role("button", name=re.compile("登记决定被撤销")).click()
    expect(page.locator("#decision")).to_contain_text("被依法撤销")
    expect(page.locator("#decision")).to_contain_text("不再执行")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()

    # 周公示 sees the deadline on the publication and withdraws it.
    login("zhougongshi", next_path=f"/publicity/{publication.pk}/")
    expect(page.locator("main")).to_contain_text("2026年10月10日前撤下")
    page.get_by_label("撤下理由（将在公示平台公开说明）").fill(
        "该行政处罚决定已被陵川县人民政府行政复议决定撤销"
    )
    page.get_by_role("button", name="撤下并公开说明理由").click()
    expect(page.locator(".messages")).to_contain_text("已撤下")

    # The visitor reloads: a notice with the reason and the date, no content.
    anon.goto(f"{base}/gongkai/decisions/{entry_id}/")
    expect(anon.get_by_role("heading", level=1)).to_have_text("撤下说明")
    expect(anon.locator("main")).to_contain_text("该行政处罚决定已被陵川县人民政府行政复议决定撤销")
    expect(anon.locator("main")).to_contain_text("撤下时间")
    expect(anon.locator("main")).not_to_contain_text("违法事实")
    anon.goto(f"{base}/gongkai/decisions/?q=延长工作时间")
    expect(anon.locator("main")).to_contain_text("没有找到符合条件的执法决定")
    visitor.close()
