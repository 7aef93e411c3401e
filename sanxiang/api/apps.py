from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The integration API (/api/v1/, django-ninja) and the personal API tokens it accepts.

    The API is the top floor (ARCHITECTURE.md §3): thin endpoints over the services and
    selectors the pages use; no rule lives here."""

    name = "sanxiang.api"
    verbose_name = "接口"
    # Every signed-in user may hold personal tokens: a token can do exactly what its holder
    # can, so it needs no permission of its own.
    nav_items = [("接口令牌", "api_tokens", None, "个人设置")]
    ledger_event_labels = {
        "security.api_token_created": "创建接口令牌",
        "security.api_token_revoked": "撤销接口令牌",
        "security.api_auth_failed": "接口认证失败",
        "security.api_auth_blocked": "接口认证失败次数过多，暂停认证",
    }
