import pytest

pytestmark = pytest.mark.browser


def test_zhangming_logs_in_and_sees_his_todo_list_in_chinese(page, login, personas):
    login("zhangming")
    page.wait_for_url(f"{page.base_url}/")
    assert page.get_by_role("heading", name="我的待办").is_visible()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "张明" in page.locator(".usermenu").inner_text()
    nav = page.get_by_role("navigation", name="主导航").inner_text()
    assert "我的待办" in nav
    assert "账号管理" not in nav  # 执法人员 does not manage accounts


def test_wrong_password_shows_a_chinese_error_and_stays_on_login(page, login, personas):
    login("zhangming", "wrong-password")
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()
    assert "/accounts/login/" in page.url
