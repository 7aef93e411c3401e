"""Personal API tokens (个人接口令牌) and the failed-authentication counters that rate-limit them.

A token is shown once, when it is created; only its SHA-256 is stored, so a copy of the
database cannot be used to call the API. ``prefix`` (the first characters after ``sx_``) is
not secret: it names the token in lists and in the audit log and keys the rate limit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):  # 接口令牌
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="持有人",
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=16, db_index=True)
    digest = models.CharField("令牌 SHA-256", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间")
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（sx_{self.prefix}…）"

    def state(self, now=None) -> str:
        """ "active", "expired" or "revoked"."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @property
    def state_label(self) -> str:
        return {"active": "有效", "expired": "已过期", "revoked": "已撤销"}[self.state()]


class AuthThrottle(models.Model):  # 接口认证失败计数
    """Failed token checks in the current window, per client address and per token prefix.

    In the database (not a per-process cache) so that every app server and worker sees the
    same counts."""

    class Scope(models.TextChoices):
        IP = "ip", "来源地址"
        PREFIX = "prefix", "令牌前缀"

    scope = models.CharField("范围", max_length=8, choices=Scope.choices)
    key = models.CharField("地址或前缀", max_length=64)
    window_start = models.DateTimeField("计数起始时间")
    failures = models.PositiveIntegerField("失败次数", default=0)
    blocked_until = models.DateTimeField("暂停认证至", null=True, blank=True)
    refused = models.PositiveIntegerField("暂停期间拒绝次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "接口认证失败计数"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="api_throttle_scope_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}：{self.failures}"
