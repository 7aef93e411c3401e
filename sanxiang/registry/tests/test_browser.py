"""Key journey in a real browser (Playwright driving Debian's chromium): the registry keeper
puts an officer on the roster with his certificate; the officer list then shows him as valid."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_keeper_registers_an_officer_with_his_certificate(page, login, personas):
    login("xitong", next_path="/registry/officers/")
    assert (
        page.get_by_role("navigation", name="主导航")
        .get_by_role("link", name="执法人员与证件")
        .is_visible()
    )
    page.get_by_role("link", name="登记执法人员").click()
    page.get_by_label("人员账号").select_option(label="李华（劳动保障监察大队（行政执法队））")
    page.get_by_label("岗位").fill("劳动保障监察员")
    page.get_by_role("button", name="列入名录").click()
    assert "请继续登记其执法证件" in page.locator(".messages").inner_text()

    page.get_by_label("证件号码").fill("晋14052420240099")
    page.get_by_label("发证机关").fill("山西省人民政府")
    page.get_by_label("有效期自").fill("2026-01-01")
    page.get_by_label("有效期至").fill("2025-12-31")
    page.get_by_role("button", name="登记").click()
    assert "有效期截止日期不能早于起始日期" in page.get_by_role("alert").first.inner_text()

    page.get_by_label("有效期至").fill("2030-12-31")
    page.get_by_role("button", name="登记").click()
    assert "今天持有有效执法证件" in page.locator("main").inner_text()

    page.get_by_role("link", name="返回名录").click()
    row = page.get_by_role("row").filter(has_text="李华")
    assert "晋14052420240099" in row.inner_text() and "有效" in row.inner_text()
