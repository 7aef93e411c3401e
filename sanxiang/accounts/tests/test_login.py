import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.middleware import SESSION_KEY
from sanxiang.accounts.models import User
from sanxiang.ledger.models import Event

LOGIN = "/accounts/login/"


def post_login(client, username, password="Sanxiang@2026"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_chinese(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_successful_login_goes_home_and_is_recorded(client, personas):
    response = post_login(client, "zhangming")
    assert response.status_code == 302 and response["Location"] == "/"
    event = Event.objects.filter(type="security.login").last()
    assert event.actor == personas.zhangming
    assert '"result":"success"' in event.payload


def test_failed_login_shows_chinese_error_and_is_recorded(client, personas):
    response = post_login(client, "zhangming", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = Event.objects.filter(type="security.login").last()
    assert event.actor is None and '"result":"failure"' in event.payload


def test_account_is_locked_after_repeated_failures_even_for_the_right_password(
    client, personas, settings
):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        post_login(client, "lihua", "wrong")
    personas.lihua.refresh_from_db()
    assert personas.lihua.locked_until > timezone.now()
    response = post_login(client, "lihua")
    assert response.status_code == 200
    assert "已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_expires(client, personas):
    User.objects.filter(pk=personas.lihua.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert post_login(client, "lihua").status_code == 302


def test_inactive_account_cannot_log_in(client, personas):
    User.objects.filter(pk=personas.lihua.pk).update(is_active=False)
    response = post_login(client, "lihua")
    assert "已停用" in response.content.decode()


def test_idle_session_is_logged_out_with_a_message(client, personas, settings):
    client.force_login(personas.zhangming)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_KEY] = session[SESSION_KEY] - settings.IDLE_LOGOUT_MINUTES * 60 - 1
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "自动退出" in response.content.decode()
    assert Event.objects.filter(type="security.logout", actor=personas.zhangming).exists()


def test_logout_requires_post_and_is_recorded(client, personas):
    client.force_login(personas.zhangming)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert Event.objects.filter(type="security.logout").exists()


def test_open_redirect_after_login_is_refused(client, personas):
    response = client.post(
        LOGIN,
        {"username": "zhangming", "password": "Sanxiang@2026", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_home_shows_my_todo_in_chinese(client, personas):
    client.force_login(personas.zhangming)
    content = client.get(reverse("workbench:home")).content.decode()
    assert "我的待办" in content and "张明" in content


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short1A!", False),
        ("alllowercaseletters", False),
        ("Abcdefgh12", True),
        ("12345678901", False),
        ("Sanxiang@2026", False),  # the published demo password
    ],
)
def test_password_rules(personas, password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    try:
        with translation.override("zh-hans"):
            validate_password(password, personas.zhangming)
    except ValidationError as exc:
        assert not ok, exc.messages
        assert all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in exc.messages)
    else:
        assert ok


def test_password_change_rejects_weak_password_and_keeps_the_old_one(client, personas):
    client.force_login(personas.zhangming)
    response = client.post(
        "/accounts/password/",
        {"old_password": "Sanxiang@2026", "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    personas.zhangming.refresh_from_db()
    assert personas.zhangming.check_password("Sanxiang@2026")


def test_expired_password_must_be_changed_after_login(client, personas, settings):
    User.objects.filter(pk=personas.zhangming.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    )
    response = post_login(client, "zhangming")
    assert response["Location"] == "/accounts/password/"


def test_deploy_check_fails_while_a_demo_account_has_the_published_password(personas):
    """``check --deploy`` is an error while any active demo persona still logs in with the
    password ``make run`` prints; resetting or deactivating the accounts clears it."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from sanxiang.accounts.checks import check_demo_passwords, demo_password_accounts

    found = demo_password_accounts()
    assert "zhangming" in found and "anquan" in found
    [error] = check_demo_passwords(databases=["default"])
    assert error.id == "accounts.E001" and "zhangming" in error.msg
    with pytest.raises(SystemCheckError, match="演示密码"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    hashes = dict(User.objects.values_list("username", "password"))
    for user in User.objects.filter(username__in=found):
        if user.username == "lihua":
            user.is_active = False
        else:
            user.set_password("Another-Strong-2027")
        user.save()
    assert demo_password_accounts() == []
    assert check_demo_passwords(databases=["default"]) == []
    # checking never rewrote a stored hash
    assert User.objects.get(username="lihua").password == hashes["lihua"]
