"""Key journey in a real browser (shared ``page`` and ``login`` fixtures): an officer attaches
the video of a 留置送达 to the case and sees the step unblock.

The case page (/cases/<pk>/) is not in the root URLconf yet, so the step's status is checked on
the records app's 全过程记录 page of the case, which lists the transitions the recording gate
blocks (the same gate the case page asks, through ``cases.gates``)."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import hashlib

import pytest

from sanxiang.cases import selectors as case_selectors
from sanxiang.records.models import Evidence, UploadSession

from .evidence_support import device, flow, items, left_served, mp4_bytes, p  # noqa: F401

pytestmark = pytest.mark.browser

REASON = "留置送达须有拍照或录像记录"


def test_attaching_a_video_to_a_left_service_unblocks_the_step(flow, device, page, login, tmp_path):
    f = left_served(flow)
    f.paid()
    close = {a.action: a for a in case_selectors.available_actions(f.case, user=f.p.wangqiang)}
    assert not close["close"].allowed and any(REASON in r for r in close["close"].reasons)

    materials = f"/records/evidence/cases/{f.case.pk}/"
    login("zhangming", next_path=materials)
    alert = page.get_by_role("alert").filter(has_text="缺少必须的音像记录")
    assert alert.is_visible()
    assert REASON in alert.inner_text() and "结案" in alert.inner_text()

    # The requirement's own link opens the upload form for that receipt.
    page.get_by_role("link", name="上传照片或录像").first.click()
    page.wait_for_url(f"**/records/evidence/cases/{f.case.pk}/new/**")
    assert "留置送达" in page.get_by_label("所记录的执法行为或办案环节").inner_text()
    page.get_by_label("证据形式").select_option("video")
    page.get_by_label("记录设备").select_option(str(device.pk))
    page.get_by_label("开始时间").fill("2026-04-08T09:30")
    page.get_by_label("结束时间").fill("2026-04-08T09:42")
    page.get_by_label("地点").fill("陵川县崇文镇该公司办公室门口")
    page.get_by_label("内容说明").fill("法定代表人拒收，将决定书留置于其办公室，全程录像")
    video = tmp_path / "留置送达 20260408.mp4"
    data = mp4_bytes(2 * 1024 * 1024 + 321)
    video.write_bytes(data)
    page.locator("input[type=file][name=file]").set_input_files(str(video))
    page.get_by_role("button", name="上传并登记").click()

    # upload.js sent the file with tus, then posted the form with the upload's id.
    page.wait_for_url("**/records/evidence/*/", timeout=30_000)
    assert page.get_by_text("已登记").first.is_visible()
    ev = Evidence.objects.get()
    assert ev.via == "resumable" and ev.size == len(data)
    assert UploadSession.objects.get().status == "ingested"
    assert page.get_by_text(hashlib.sha256(data).hexdigest()).is_visible()

    page.goto(f"{page.base_url}{materials}")
    assert page.locator("#recording-status").inner_text().startswith("音像记录要求已满足")
    assert page.get_by_role("alert").filter(has_text="缺少必须的音像记录").count() == 0
    close = {a.action: a for a in case_selectors.available_actions(f.case, user=f.p.wangqiang)}
    assert close["close"].allowed, close["close"].reasons
