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


def test_a_drawn_officer_uploads_a_photo_and_makes_the_inspection_record(
    page, login, personas, agency, officers, items, pool, run_draw, tmp_path
):
    """On the task page a drawn officer uploads a photo (tus resumable upload by upload.js,
    then the evidence form) and makes the 现场检查笔录; bad input gets a Chinese error and
    writes nothing."""
    import datetime as dt
    import os
    from pathlib import Path

    from django.utils import timezone
    from PIL import Image

    from sanxiang.records.models import Evidence, GeneratedDocument

    from .. import services
    from ..models import TaskRecord
    from .conftest import plan_data

    plan = run_draw(
        services.plan_create(actor=personas.wangqiang, agency=agency, data=plan_data(items))
    )
    task = next(
        t
        for t in Task.objects.filter(plan=plan).order_by("number")
        if t.inspectors.filter(active=True, officer__user__username__in=["zhangming", "lihua"])
    )
    user = (
        task.inspectors.filter(active=True, officer__user__username__in=["zhangming", "lihua"])
        .first()
        .officer.user
    )
    photo = tmp_path / "现场照片.jpg"
    Image.new("RGB", (320, 240), (200, 60, 30)).save(photo, "JPEG")
    now = timezone.localtime().replace(second=0, microsecond=0)

    def stamp(value):
        return value.strftime("%Y-%m-%dT%H:%M")

    login(user.username, next_path=f"/inspections/tasks/{task.pk}/")
    assert "尚无现场检查证据" in page.locator("main").inner_text()

    # A photo, sent by tus (upload.js) and registered by the form.
    page.locator("#evidence-panel summary").click()
    form = page.locator("#evidence-form")
    form.get_by_label("证据形式").select_option("photo")
    form.get_by_label("开始时间").fill(stamp(now - dt.timedelta(hours=1)))
    form.get_by_label("结束时间").fill(stamp(now - dt.timedelta(minutes=59)))
    form.get_by_label("地点").fill("该单位车间")
    form.get_by_label("内容说明").fill("车间墙上张贴的作息时间表")
    form.locator("input[type=file][name=file]").set_input_files(str(photo))
    form.get_by_role("button", name="上传并登记").click()
    page.wait_for_selector(".messages", timeout=30_000)
    assert "已登记" in page.locator(".messages").inner_text()
    ev = Evidence.objects.get()
    assert ev.holder == task and ev.via == "resumable"
    assert (
        ev.sha256
        in page.locator("#h-evidence + table, section:has(#h-evidence)").first.inner_text()
    )

    # The record without 出示执法证件: refused in Chinese, nothing written.
    page.locator("#record-panel summary").click()
    rec = page.locator("#record-form")
    rec.get_by_label("在场人姓名").fill("赵示例")
    rec.get_by_label("在场人职务").fill("人事主管")
    rec.get_by_label("已告知申请回避的权利").check()
    rec.get_by_label("检查情况").fill("查阅劳动合同台账和工资发放记录，查看车间作息时间表。")
    rec.get_by_role("button", name="制作现场检查笔录").click()
    assert "现场检查应当出示执法证件" in page.locator("main").inner_text()
    assert not GeneratedDocument.objects.exists() and not TaskRecord.objects.exists()

    rec = page.locator("#record-form")
    rec.get_by_label("已向在场人出示执法证件（行政处罚法 第五十五条）").check()
    rec.get_by_label("附件（照片、音像记录）").fill(f"现场照片1张（证据{ev.number}）")
    rec.get_by_role("button", name="制作现场检查笔录").click()
    assert "现场检查笔录已制作" in page.locator(".messages").inner_text()
    record = TaskRecord.objects.get()
    assert record.document.subject == task
    onsite = page.locator("section:has(#h-onsite)").inner_text()
    assert record.document.pdf_sha256 in onsite and record.document.grouped_code in onsite
    shots = Path(os.environ.get("SANXIANG_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "task-onsite.png"), full_page=True)
