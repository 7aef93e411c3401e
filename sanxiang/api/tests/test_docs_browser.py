"""The interactive docs at /api/v1/docs load in a real browser with no network beyond our own
server: Swagger UI comes from our static files (django-ninja's vendored copy), never a CDN."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SANXIANG_SHOTS", "/tmp/shots_api")


def test_swagger_ui_loads_offline_from_our_static_files(page):
    own = urlsplit(page.base_url).netloc
    foreign: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).netloc
        if host and host != own:
            foreign.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", guard)
    page.goto(f"{page.base_url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .information-container", timeout=15_000)
    page.wait_for_selector("text=案件办理 Case actions")
    assert "三项" in page.locator(".swagger-ui .info .title").inner_text()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "docs.png"), full_page=False)
    assert foreign == []
    html = page.content()
    assert "cdn" not in html.lower()


def test_token_page_shows_a_new_token_once_and_revokes_it(page, login, personas):
    login("zhangming", next_path="/settings/api-tokens/")
    page.get_by_label("令牌名称").fill("省平台对接")
    page.get_by_role("button", name="创建令牌").click()
    raw = page.locator("#raw-token").input_value()
    assert raw.startswith("sx_")
    assert page.get_by_text("离开本页后将无法再次查看").is_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, "tokens-created.png"), full_page=True)
    page.goto(f"{page.base_url}/settings/api-tokens/")
    assert raw not in page.content()
    assert page.get_by_role("cell", name="省平台对接").is_visible()
    page.get_by_role("button", name="撤销").click()
    assert page.get_by_text("已撤销令牌“省平台对接”").is_visible()
    page.screenshot(path=os.path.join(SHOTS, "tokens-revoked.png"), full_page=True)
