"""The evaluation journey in a real browser (Playwright driving Debian's chromium): 赵敏 draws a
sample of closed files, starts evaluating the drawn file, is told in Chinese that a deduction
needs a reason, corrects it and finishes; the result appears in the statistics.

Set ``SANXIANG_SHOTS=/some/dir`` to keep screenshots of the pages on the way."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sanxiang.evaluation.models import Evaluation, Status

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    folder = os.environ.get("SANXIANG_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"evaluation-{name}.png"), full_page=True)


def test_reviewer_draws_scores_and_sees_the_results(closed_case, p, page, login):
    login("zhaomin", next_path="/evaluation/")
    page.get_by_label("结案日期自").fill("2026-01-01")
    page.get_by_label("结案日期至").fill("2026-12-31")
    page.get_by_label("抽取数量（件）").fill("1")
    page.get_by_role("button", name="抽取").click()
    page.get_by_text("复核一致").wait_for()
    shot(page, "sample")
    page.get_by_role("button", name="开始评查").click()
    page.get_by_role("heading", name=f"案卷评查：{closed_case.number}").wait_for()

    page.locator("#d_L5").fill("2")
    page.get_by_role("button", name="完成评查（计算得分和等次，之后不能修改）").click()
    page.get_by_text("须写明扣分理由").wait_for()
    shot(page, "error")
    assert Evaluation.objects.get().status == Status.DRAFT

    page.get_by_label("L5 扣分理由").fill("承办人意见未签名")
    page.get_by_role("button", name="完成评查（计算得分和等次，之后不能修改）").click()
    page.get_by_text("评查已完成").wait_for()
    shot(page, "done")
    e = Evaluation.objects.get()
    assert (e.status, e.total, e.grade) == (Status.FINAL, 98, "优秀")

    page.goto(f"{page.base_url}/evaluation/results/")
    page.get_by_role("heading", name="按主办人").wait_for()
    assert "L5 承办人意见明确并签名（1次）" in page.content()
    shot(page, "results")
