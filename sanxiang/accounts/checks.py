"""Deploy checks for accounts (``manage.py check --deploy``).

The demo personas' password is printed by ``make run`` and written in the README: a database
where one of those accounts is active with that password must never serve a bureau (等保 2.0
三级 身份鉴别; DOMAIN.md §10.2). The check is an error, so ``check --deploy`` fails until the
security administrator resets or deactivates the accounts."""

from __future__ import annotations

from django.core import checks


def demo_password_accounts() -> list[str]:
    """Usernames of active demo accounts that still log in with the published demo password."""
    from django.contrib.auth.hashers import check_password

    from .demo import DEMO_PASSWORD, NO_ROLE, PERSONAS
    from .models import User

    names = [p.username for p in (*PERSONAS, NO_ROLE)]
    rows = User.objects.filter(username__in=names, is_active=True).values_list(
        "username", "password"
    )
    # hashers.check_password without a setter: checking never rewrites the stored hash.
    return sorted(name for name, encoded in rows if check_password(DEMO_PASSWORD, encoded))


@checks.register(checks.Tags.security, deploy=True)
def check_demo_passwords(app_configs=None, databases=None, **kwargs):
    try:
        found = demo_password_accounts()
    except Exception:  # no database or no table yet: nothing to say
        return []
    if not found:
        return []
    return [
        checks.Error(
            f"以下账号仍可用公开的演示密码登录：{'、'.join(found)}",
            hint="正式环境不要载入演示数据；已载入的，由安全管理员为这些账号重置密码或停用账号",
            id="accounts.E001",
        )
    ]
