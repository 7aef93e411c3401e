"""Key journey in a real browser: the unit head creates a plan, publishes it, freezes the
pools, draws once the seed checkpoint exists, sees the tasks; a drawn officer records a
result; the publicity administrator publishes it; the portal shows it."""

from __future__ import annotations

import pytest

from sanxiang.ledger.services import checkpoint_issue

from ..models import Plan, Task
from .conftest import advance_ledger_to

pytestmark = pytest.mark.browser


def test_plan_publish_draw_record_and_see_the_result_on_the_portal(
    page, login, personas, officers, items, pool
):
    login("wangqiang", next_path="/inspections/plans/")
    page.get_by_role("link", name="制定抽查计划").click()
    page.get_by_label("计划编号").fill("2026-08")
    page.get_by_role("button", name="保存草稿").click()
    assert "已保存为草稿" in page.locator(".messages").inner_text()

    page.get_by_role("button", name="公布计划").click()
    assert "抽查计划已公布" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="冻结两库并公布哈希").click()
    assert "哈希已公布" in page.locator(".messages").inner_text()
    plan = Plan.objects.get(code="2026-08")
    assert plan.draw.targets_sha256 in page.locator("main").inner_text()

    # The bureau's work goes on; the sweep signs the checkpoint that becomes the seed.
    advance_ledger_to(plan.seed_tree_size)
    checkpoint_issue()
    page.reload()
    page.get_by_role("button", name="确定种子并抽取").click()
    assert "随机抽取已完成" in page.locator(".messages").inner_text()
    tasks = page.get_by_role("table").filter(has_text="检查人员")
    first = Task.objects.filter(plan=plan).order_by("number").first()
    assert first.target_name in tasks.inner_text()

    seat = first.inspectors.filter(
        active=True, officer__user__username__in=["zhangming", "lihua", "wangqiang"]
    ).first()
    page.get_by_role("button", name="退出").click()
    login(seat.officer.user.username, next_path=f"/inspections/tasks/{first.pk}/")
    page.get_by_label("发现问题，责令改正").check()
    page.get_by_label("检查情况（内部记录）").fill(
        "查阅劳动合同台账，2名劳动者未签订书面劳动合同。"
    )
    page.get_by_label("公开的结果说明").fill("未依法订立书面劳动合同，已责令限期改正")
    page.get_by_role("button", name="登记结果").click()
    assert "检查结果已登记" in page.locator(".messages").inner_text()

    page.get_by_role("button", name="退出").click()
    login("zhougongshi", next_path=f"/inspections/tasks/{first.pk}/")
    page.get_by_role("button", name="在门户公开结果").click()
    assert "已在门户公开" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="退出").click()

    page.goto(f"{page.base_url}/public/inspections/plans/{plan.pk}/")
    row = page.get_by_role("row").filter(has_text=first.target_name)
    assert "未依法订立书面劳动合同，已责令限期改正" in row.inner_text()
    assert "查阅劳动合同台账" not in page.content()
