"""Key journey in a real browser (Playwright driving Debian's chromium): the registry keeper
puts an officer on the roster with his certificate; the officer list then shows him as valid."""

from __future__ import annotations

import os
import shutil

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SANXIANG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(live_server, personas):
    # The personas are created before Playwright starts: ORM calls made while its sync API
    # (an event loop in a greenlet) is active open a connection Django never closes, and
    # PostgreSQL then cannot drop the test database.
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.base_url = live_server.url
        yield pg
        context.close()
        browser.close()


def login(page, username: str, next_path: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("Sanxiang@2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{page.base_url}{next_path}")


def test_keeper_registers_an_officer_with_his_certificate(page, personas):
    login(page, "xitong", "/registry/officers/")
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
